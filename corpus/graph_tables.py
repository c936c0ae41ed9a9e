"""The knowledge graph kept in the store: nodes, relationships and who contributed them.

Why: a pickled networkx graph must be read whole before any answer (gigabytes and tens of
seconds at a million paragraphs). Kept here, each question reads only the rows it touches,
through indexes by id, by label, by name key and by relationship endpoint and type.

Tables (all created through `Store.create_schema`):

* ``graph_nodes(id, label, deg, seq, props)``: props is JSON; deg the number of relationships
  at the node (in + out, as networkx counts it); seq the order nodes were first added in.
* ``graph_edges(seq, key, src, dst, type, props)``: seq as for nodes (the row id; the order networkx
  iterates in, so answers that take "the first" stay the same).
* ``graph_node_docs`` / ``graph_edge_docs``: which documents give a node or relationship, with
  the paragraph (provenance); a document's part is found and taken out by these.
* ``graph_names(key, node)``: normalized names, symbols, aliases and acronyms for look-ups.
* ``graph_built(doc, fingerprint)``: what each document's part was built from.
* ``graph_changes(pos, op, a, b, t)``: every node and relationship added or removed, in order (a node: op
  2 / -2, id, label; a relationship: op 1 / -1, its ends and type). What is derived from the tables (the path
  index) is patched from the changes after the position it was derived at, not read again whole. The log
  has an epoch (meta ``graph_log_epoch``, new when the tables are laid out again) and a floor (meta
  ``graph_log_floor``: changes at or below it may have been pruned).

Only SQL lives here; what to write (merging of shared nodes, provenance moves) is decided
by `unkg.graph.table_graph`.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any, Iterable, Iterator, Optional

from .kept import kept

GRAPH_SCHEMA = """
CREATE TABLE IF NOT EXISTS graph_nodes (
    id TEXT PRIMARY KEY,
    label TEXT NOT NULL,
    deg INTEGER NOT NULL DEFAULT 0,
    seq INTEGER NOT NULL,
    props TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS graph_nodes_label ON graph_nodes(label, seq);
CREATE TABLE IF NOT EXISTS graph_edges (
    seq INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    src TEXT NOT NULL,
    dst TEXT NOT NULL,
    type TEXT NOT NULL,
    props TEXT NOT NULL
);
DROP INDEX IF EXISTS graph_edges_src;
DROP INDEX IF EXISTS graph_edges_dst;
CREATE INDEX IF NOT EXISTS graph_edges_ends ON graph_edges(src, dst);
CREATE INDEX IF NOT EXISTS graph_edges_ends_back ON graph_edges(dst, src);
CREATE TABLE IF NOT EXISTS graph_node_docs (
    node TEXT NOT NULL, doc TEXT NOT NULL, paragraph TEXT,
    PRIMARY KEY (node, doc)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS graph_node_docs_doc ON graph_node_docs(doc);
CREATE TABLE IF NOT EXISTS graph_edge_docs (
    edge INTEGER NOT NULL, doc TEXT NOT NULL, paragraph TEXT,
    PRIMARY KEY (edge, doc)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS graph_edge_docs_doc ON graph_edge_docs(doc);
CREATE TABLE IF NOT EXISTS graph_names (
    key TEXT NOT NULL, node TEXT NOT NULL,
    PRIMARY KEY (key, node)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS graph_names_node ON graph_names(node);
CREATE TABLE IF NOT EXISTS graph_built (doc TEXT PRIMARY KEY, fingerprint TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS graph_changes (
    pos INTEGER PRIMARY KEY AUTOINCREMENT,
    op INTEGER NOT NULL,
    a TEXT NOT NULL, b TEXT, t TEXT NOT NULL
);
"""

#: graph_changes.op
NODE_ADDED, NODE_REMOVED, EDGE_ADDED, EDGE_REMOVED = 2, -2, 1, -1

EdgeId = tuple[str, str, str]

#: the layout of the tables above; a store holding another layout has them dropped and built again
GRAPH_TABLES_VERSION = "2"
_GRAPH_TABLES = ("graph_nodes", "graph_edges", "graph_node_docs", "graph_edge_docs", "graph_names", "graph_built",
                 "graph_changes")

#: the columns an adjacency read returns: the relationship and the node at its other end
_ADJ = "e.src, e.dst, e.key, e.type, e.props, n.label, n.deg"


def _dumps(props: dict[str, Any]) -> str:
    return json.dumps(props, ensure_ascii=False, default=str)


def _chunks(items: list, n: int = 500) -> Iterator[list]:
    for i in range(0, len(items), n):
        yield items[i : i + n]


class GraphTables:
    """Reads and writes of the graph tables of one store (its connection, its transactions)."""

    def __init__(self, store) -> None:
        self.store = store
        row = store._db.execute("SELECT value FROM meta WHERE key = 'graph_tables_version'").fetchone()
        if row is None or row[0] != GRAPH_TABLES_VERSION:
            store.create_schema("", self._relayout)
        store.create_schema(GRAPH_SCHEMA)
        if store.meta("graph_log_epoch") is None:
            store.create_schema("", self._new_log_epoch)
        self._seq: Optional[int] = None

    @property
    def _db(self) -> sqlite3.Connection:
        return self.store._db

    @staticmethod
    def _relayout(db: sqlite3.Connection) -> None:
        """Tables of an older layout go (they are rebuilt from the store by the next build)."""
        for t in _GRAPH_TABLES:
            db.execute(f"DROP TABLE IF EXISTS {t}")
        db.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('graph_tables_version', ?)", (GRAPH_TABLES_VERSION,))
        db.execute("DELETE FROM meta WHERE key = 'graph_tables_checked'")
        db.execute("DELETE FROM meta WHERE key IN ('graph_log_epoch', 'graph_log_floor')")
        GraphTables._bump(db)

    @staticmethod
    def _new_log_epoch(db: sqlite3.Connection) -> None:
        """A change log starts (a new store, or tables laid out again): positions of another log do not count here."""
        db.execute("INSERT OR IGNORE INTO meta(key, value) VALUES ('graph_log_epoch', lower(hex(randomblob(8))))")

    @staticmethod
    def _bump(db: sqlite3.Connection) -> None:
        db.execute("INSERT INTO meta(key, value) VALUES ('graph_generation', '1') "
                   "ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + 1")

    def generation(self) -> int:
        """A counter every write of the tables moves (each document's part added or removed, a new layout): what
        is derived from the tables (the path index) is up to date while it keeps the value it was derived at."""
        r = self._db.execute("SELECT value FROM meta WHERE key = 'graph_generation'").fetchone()
        return int(r[0]) if r else 0

    # -- bookkeeping ---------------------------------------------------------
    def checked_at(self) -> Optional[str]:
        """What the tables were last found up to date with (the store's generation and the graph version), or None."""
        return self.store.meta("graph_tables_checked")

    def set_checked_at(self, value: str) -> None:
        self.store.set_meta("graph_tables_checked", value)

    def built(self) -> dict[str, str]:
        return dict(self._db.execute("SELECT doc, fingerprint FROM graph_built").fetchall())

    def count_built(self) -> int:
        return self._db.execute("SELECT count(*) FROM graph_built").fetchone()[0]

    def fingerprint(self, doc: str) -> Optional[str]:
        r = self._db.execute("SELECT fingerprint FROM graph_built WHERE doc = ?", (doc,)).fetchone()
        return r[0] if r else None

    def set_built(self, doc: str, fingerprint: Optional[str]) -> None:
        """Record what a document's part was built from (None: it is gone); every change of a part ends here."""
        self._bump(self._db)
        if fingerprint is None:
            self._db.execute("DELETE FROM graph_built WHERE doc = ?", (doc,))
        else:
            self._db.execute("INSERT OR REPLACE INTO graph_built(doc, fingerprint) VALUES (?, ?)", (doc, fingerprint))

    def next_seq(self) -> int:
        if self._seq is None:
            a = self._db.execute("SELECT max(seq) FROM graph_nodes").fetchone()[0] or 0
            b = self._db.execute("SELECT max(seq) FROM graph_edges").fetchone()[0] or 0
            self._seq = max(a, b)
        self._seq += 1
        return self._seq

    def reset_seq(self) -> None:
        """Forget the cached counter (after a rolled-back transaction)."""
        self._seq = None

    # -- nodes -----------------------------------------------------------------
    def node_rows(self, ids: Iterable[str]) -> dict[str, tuple[str, int, dict[str, Any]]]:
        """id -> (label, degree, props) of the nodes that exist among `ids`."""
        out: dict[str, tuple[str, int, dict[str, Any]]] = {}
        for chunk in _chunks(list(ids)):
            q = f"SELECT id, label, deg, props FROM graph_nodes WHERE id IN ({','.join('?' * len(chunk))})"
            for r in self._db.execute(q, chunk):
                out[r[0]] = (r[1], r[2], json.loads(r[3]))
        return out

    def node(self, node_id: str) -> Optional[tuple[str, int, dict[str, Any]]]:
        r = self._db.execute("SELECT label, deg, props FROM graph_nodes WHERE id = ?", (node_id,)).fetchone()
        return (r[0], r[1], json.loads(r[2])) if r else None

    def label_and_degree(self, node_id: str) -> Optional[tuple[str, int]]:
        r = self._db.execute("SELECT label, deg FROM graph_nodes WHERE id = ?", (node_id,)).fetchone()
        return (r[0], r[1]) if r else None

    def insert_nodes(self, rows: list[tuple[str, str, dict[str, Any]]]) -> None:
        """New nodes (id, label, props), in this order."""
        self._db.executemany("INSERT INTO graph_nodes(id, label, deg, seq, props) VALUES (?, ?, 0, ?, ?)",
                            [(n, label, self.next_seq(), _dumps(p)) for n, label, p in rows])
        self._log([(NODE_ADDED, n, None, label) for n, label, _ in rows])

    def _log(self, rows: list[tuple[int, str, Optional[str], str]]) -> None:
        self._db.executemany("INSERT INTO graph_changes(op, a, b, t) VALUES (?, ?, ?, ?)", rows)

    def update_node_props(self, node_id: str, props: dict[str, Any]) -> None:
        self._db.execute("UPDATE graph_nodes SET props = ? WHERE id = ?", (_dumps(props), node_id))

    def delete_node(self, node_id: str) -> list[EdgeId]:
        """Remove a node and every relationship at it; returns those relationships (for degree updates)."""
        rows = self._db.execute(
            "SELECT seq, src, dst, key, type FROM graph_edges WHERE src = ? "
            "UNION SELECT seq, src, dst, key, type FROM graph_edges WHERE dst = ?", (node_id, node_id)).fetchall()
        gone = [tuple(r[1:4]) for r in rows]
        self._db.executemany("DELETE FROM graph_edge_docs WHERE edge = ?", [(r[0],) for r in rows])
        self._db.executemany("DELETE FROM graph_edges WHERE seq = ?", [(r[0],) for r in rows])
        label = self._db.execute("DELETE FROM graph_nodes WHERE id = ? RETURNING label", (node_id,)).fetchall()
        self._db.execute("DELETE FROM graph_names WHERE node = ?", (node_id,))
        self._log([(EDGE_REMOVED, r[1], r[2], r[4]) for r in rows] + [(NODE_REMOVED, node_id, None, lab) for (lab,) in label])
        return gone  # type: ignore[return-value]

    def add_degree(self, deltas: dict[str, int]) -> None:
        self._db.executemany("UPDATE graph_nodes SET deg = deg + ? WHERE id = ?", [(d, n) for n, d in deltas.items() if d])

    def set_names(self, names: dict[str, Iterable[str]], new: bool = False) -> None:
        """node -> its look-up keys, replacing the ones it had (`new`: nodes that had none)."""
        if not new:
            self._db.executemany("DELETE FROM graph_names WHERE node = ?", [(n,) for n in names])
        self._db.executemany("INSERT OR IGNORE INTO graph_names(key, node) VALUES (?, ?)",
                            [(k, n) for n, keys in names.items() for k in keys])

    def add_node_owners(self, doc: str, rows: list[tuple[str, Optional[str]]]) -> None:
        """(node, paragraph) given by `doc`."""
        self._db.executemany("INSERT OR REPLACE INTO graph_node_docs(node, doc, paragraph) VALUES (?, ?, ?)",
                            [(n, doc, p) for n, p in rows])

    def nodes_of(self, doc: str) -> list[str]:
        return [r[0] for r in self._db.execute("SELECT node FROM graph_node_docs WHERE doc = ?", (doc,))]

    def drop_node_owner(self, node_id: str, doc: str) -> int:
        """Take `doc` off the node's owners; returns how many owners remain."""
        self._db.execute("DELETE FROM graph_node_docs WHERE node = ? AND doc = ?", (node_id, doc))
        return self._db.execute("SELECT count(*) FROM graph_node_docs WHERE node = ?", (node_id,)).fetchone()[0]

    # -- relationships ---------------------------------------------------------
    # a relationship's key names its type, both ends and its paragraph (graph.schema.edge_key): it is unique alone
    def existing_edges(self, keys: Iterable[str]) -> set[str]:
        out: set[str] = set()
        for chunk in _chunks(list(keys)):
            out.update(r[0] for r in self._db.execute(f"SELECT key FROM graph_edges WHERE key IN ({','.join('?' * len(chunk))})", chunk))
        return out

    def insert_edges(self, rows: list[tuple[EdgeId, str, dict[str, Any]]]) -> None:
        """New relationships ((src, dst, key), type, props), in this order."""
        self._db.executemany("INSERT INTO graph_edges(src, dst, key, type, seq, props) VALUES (?, ?, ?, ?, ?, ?)",
                            [(e[0], e[1], e[2], t, self.next_seq(), _dumps(p)) for e, t, p in rows])
        self._log([(EDGE_ADDED, e[0], e[1], t) for e, t, _ in rows])

    def delete_edge(self, e: EdgeId) -> bool:
        gone = self._db.execute("DELETE FROM graph_edges WHERE key = ? RETURNING src, dst, type", (e[2],)).fetchall()
        self._log([(EDGE_REMOVED, *r) for r in gone])
        return bool(gone)

    def edge_props(self, e: EdgeId) -> Optional[dict[str, Any]]:
        r = self._db.execute("SELECT type, props FROM graph_edges WHERE key = ?", (e[2],)).fetchone()
        return dict(json.loads(r[1]), type=r[0]) if r else None

    def update_edge_props(self, e: EdgeId, props: dict[str, Any]) -> None:
        self._db.execute("UPDATE graph_edges SET props = ? WHERE key = ?", (_dumps(props), e[2]))

    def add_edge_owners(self, doc: str, rows: list[tuple[str, Optional[str]]]) -> None:
        """(relationship key, paragraph) given by `doc`."""
        self._db.executemany("INSERT OR REPLACE INTO graph_edge_docs(edge, doc, paragraph) SELECT seq, ?, ? FROM graph_edges WHERE key = ?",
                            [(doc, p, k) for k, p in rows])

    def edges_of(self, doc: str) -> list[EdgeId]:
        return [tuple(r) for r in self._db.execute(  # type: ignore[misc]
            "SELECT e.src, e.dst, e.key FROM graph_edge_docs d JOIN graph_edges e ON e.seq = d.edge WHERE d.doc = ?", (doc,))]

    def drop_edge_owner(self, e: EdgeId, doc: str) -> Optional[tuple[str, Optional[str]]]:
        """Take `doc` off the relationship's owners; returns the first remaining (doc, paragraph), or None."""
        self._db.execute("DELETE FROM graph_edge_docs WHERE edge = (SELECT seq FROM graph_edges WHERE key = ?) AND doc = ?", (e[2], doc))
        r = self._db.execute("SELECT d.doc, d.paragraph FROM graph_edge_docs d JOIN graph_edges e ON e.seq = d.edge WHERE e.key = ? "
                            "ORDER BY d.doc LIMIT 1", (e[2],)).fetchone()
        return (r[0], r[1]) if r else None

    # -- the path index's rows (graph.path_index) ------------------------------------
    def change_log(self) -> tuple[str, int, int]:
        """(epoch, floor, last position) of the change log: changes after `floor` up to `last` are all kept."""
        epoch = self.store.meta("graph_log_epoch") or ""
        floor = int(self.store.meta("graph_log_floor") or 0)
        last = self._db.execute("SELECT max(pos) FROM graph_changes").fetchone()[0] or 0
        return epoch, floor, max(last, floor)

    def count_changes_after(self, pos: int) -> int:
        return self._db.execute("SELECT count(*) FROM graph_changes WHERE pos > ?", (pos,)).fetchone()[0]

    def changes_after(self, pos: int, upto: int) -> Iterator[tuple[int, str, Optional[str], str]]:
        """(op, a, b, t) of the changes after position `pos` up to `upto`, in order."""
        yield from self._db.execute("SELECT op, a, b, t FROM graph_changes WHERE pos > ? AND pos <= ? ORDER BY pos",
                                    (pos, upto))

    def prune_changes(self, upto: int) -> None:
        """Forget the changes up to position `upto` (what is derived from the tables has them)."""
        with self.store.transaction():
            floor = int(self.store.meta("graph_log_floor") or 0)
            if upto > floor:
                self._db.execute("DELETE FROM graph_changes WHERE pos <= ?", (upto,))
                self._db.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('graph_log_floor', ?)", (str(upto),))

    def node_labels_by_id(self) -> Iterator[tuple[str, str]]:
        """(id, label) of every node, by id."""
        yield from self._db.execute("SELECT id, label FROM graph_nodes ORDER BY id")

    def edge_ends_and_types(self) -> Iterator[tuple[str, str, str]]:
        """(src, dst, type) of every relationship."""
        yield from self._db.execute("SELECT src, dst, type FROM graph_edges")

    # -- reads for questions -----------------------------------------------------
    def out_adjacency(self, node_id: str) -> list[tuple]:
        """(src, dst, key, type, props json, label of dst, degree of dst), in the order networkx iterates."""
        return self._db.execute(
            f"SELECT {_ADJ} FROM graph_edges e JOIN graph_nodes n ON n.id = e.dst WHERE e.src = ? "
            "ORDER BY min(e.seq) OVER (PARTITION BY e.dst), e.seq", (node_id,)).fetchall()

    def in_adjacency(self, node_id: str) -> list[tuple]:
        """(src, dst, key, type, props json, label of src, degree of src)."""
        return self._db.execute(
            f"SELECT {_ADJ} FROM graph_edges e JOIN graph_nodes n ON n.id = e.src WHERE e.dst = ? "
            "ORDER BY min(e.seq) OVER (PARTITION BY e.src), e.seq", (node_id,)).fetchall()

    def undirected_types(self, node_id: str) -> list[tuple[str, str, str, str, int]]:
        """(other end, key, type, label of the other end, its degree) of every relationship at the node, either way."""
        return self._db.execute(
            "SELECT e.dst, e.key, e.type, n.label, n.deg FROM graph_edges e JOIN graph_nodes n ON n.id = e.dst WHERE e.src = ? "
            "UNION ALL SELECT e.src, e.key, e.type, n.label, n.deg FROM graph_edges e JOIN graph_nodes n ON n.id = e.src WHERE e.dst = ?",
            (node_id, node_id)).fetchall()

    def edge(self, src: str, dst: str, key: str) -> Optional[tuple[str, str]]:
        """(type, props json) of the relationship with this key from src to dst (by its unique key: a hub's other
        relationships are never read), or None."""
        return self._db.execute("SELECT type, props FROM graph_edges WHERE key = ? AND src = ? AND dst = ?",
                                (key, src, dst)).fetchone()

    def edges_between(self, src: str, dst: str) -> list[tuple[str, str, str]]:
        """(key, type, props json) of the relationships from src to dst."""
        return self._db.execute("SELECT key, type, props FROM graph_edges WHERE src = ? AND dst = ? ORDER BY seq",
                               (src, dst)).fetchall()  # through graph_edges_ends: never a hub's other relationships

    def names_exact(self, key: str) -> list[str]:
        return [r[0] for r in self._db.execute("SELECT node FROM graph_names WHERE key = ?", (key,))]

    def names_containing(self, part: str) -> list[str]:
        """Nodes with a name key containing `part`: the distinct keys (kept per process while the tables' generation
        stays; 16,068 keys for 399,593 rows at a million paragraphs) matched in Python, then their nodes read by key
        (65 ms a question as a scan of every row at that size)."""
        hits = [k for k in self._distinct_keys() if part in k]
        if not hits:
            return []
        return [r[0] for r in self._db.execute(
            "SELECT node FROM graph_names WHERE key IN (SELECT value FROM json_each(?)) ORDER BY key, node",
            (json.dumps(hits, ensure_ascii=False),))]

    def _distinct_keys(self) -> list[str]:
        # the generation before the keys: keys written in between are newer than the stamp, and a later question
        # sees the generation moved and reads them again
        return kept(self.store, self.generation(), "graph name keys",
                    lambda: [r[0] for r in self._db.execute("SELECT DISTINCT key FROM graph_names")])

    def ids_containing(self, part: str, label: str, limit: int) -> list[str]:
        """Ids of nodes with this label whose id contains `part` (a scan of one label's ids; paragraphs have no name keys)."""
        return [r[0] for r in self._db.execute(
            "SELECT id FROM graph_nodes WHERE label = ? AND instr(lower(id), ?) > 0 ORDER BY seq LIMIT ?", (label, part, limit))]

    def most_linked(self, labels: list[str], limit: int) -> list[str]:
        """Ids of the nodes with these labels that have the most relationships (first added first among equals)."""
        marks = ",".join("?" * len(labels))
        return [r[0] for r in self._db.execute(
            f"SELECT id FROM graph_nodes WHERE label IN ({marks}) ORDER BY deg DESC, seq LIMIT ?", (*labels, limit))]

    def nodes_with_label(self, label: str) -> Iterator[tuple[str, dict[str, Any]]]:
        for r in self._db.execute("SELECT id, props FROM graph_nodes WHERE label = ? ORDER BY seq", (label,)):
            yield r[0], json.loads(r[1])

    def count_nodes(self) -> int:
        return self._db.execute("SELECT count(*) FROM graph_nodes").fetchone()[0]

    def count_edges(self) -> int:
        return self._db.execute("SELECT count(*) FROM graph_edges").fetchone()[0]

    def label_counts(self) -> dict[str, int]:
        return dict(self._db.execute("SELECT label, count(*) FROM graph_nodes GROUP BY label").fetchall())

    def type_counts(self) -> dict[str, int]:
        return dict(self._db.execute("SELECT type, count(*) FROM graph_edges GROUP BY type").fetchall())

    def all_nodes(self) -> Iterator[tuple[str, str, dict[str, Any]]]:
        for r in self._db.execute("SELECT id, label, props FROM graph_nodes ORDER BY seq"):
            yield r[0], r[1], json.loads(r[2])

    def all_edges(self) -> Iterator[tuple[str, str, str, str, dict[str, Any]]]:
        for r in self._db.execute("SELECT src, dst, key, type, props FROM graph_edges ORDER BY seq"):
            yield r[0], r[1], r[2], r[3], json.loads(r[4])

    def node_owners(self) -> Iterator[tuple[str, str, Optional[str]]]:
        """(node, document, paragraph) of every node, by document."""
        yield from self._db.execute("SELECT node, doc, paragraph FROM graph_node_docs ORDER BY doc")

    def edge_owners(self) -> Iterator[tuple[str, str, str, str, Optional[str]]]:
        """(src, dst, key, document, paragraph) of every relationship, by document."""
        yield from self._db.execute("SELECT e.src, e.dst, e.key, d.doc, d.paragraph FROM graph_edge_docs d "
                                   "JOIN graph_edges e ON e.seq = d.edge ORDER BY d.doc")

    def doc_items(self, docs: Iterable[str]) -> tuple[set[str], set[EdgeId]]:
        nodes: set[str] = set()
        edges: set[EdgeId] = set()
        for d in docs:
            nodes.update(self.nodes_of(d))
            edges.update(self.edges_of(d))
        return nodes, edges


INITIATIVE_ALIAS_SCHEMA = """
CREATE TABLE IF NOT EXISTS graph_initiative_docs (doc TEXT PRIMARY KEY, fingerprint TEXT NOT NULL, symbol TEXT);
CREATE TABLE IF NOT EXISTS graph_initiatives (
    doc TEXT NOT NULL, node TEXT NOT NULL, name TEXT NOT NULL, lang TEXT NOT NULL,
    PRIMARY KEY (doc, node)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS graph_alias_links (
    grp TEXT NOT NULL, a TEXT NOT NULL, b TEXT NOT NULL, evidence TEXT NOT NULL, score REAL NOT NULL,
    PRIMARY KEY (grp, a, b)
) WITHOUT ROWID;
"""


class InitiativeAliasTables:
    """What the cross-language merge of initiatives is computed from, kept between graph builds.

    * ``graph_initiatives(doc, node, name, lang)``: the initiative ids each document names (as extracted, before
      any merge), with a name and its language; ``graph_initiative_docs`` the fingerprint they were read at.
    * ``graph_alias_links(grp, a, b, evidence, score)``: two ids naming one initiative; ``grp`` is the symbol whose
      language versions gave a translation link, ``""`` for the links of the names' embeddings.
    """

    def __init__(self, store) -> None:
        self.store = store
        store.create_schema(INITIATIVE_ALIAS_SCHEMA)

    @property
    def _db(self) -> sqlite3.Connection:
        return self.store._db

    def read_at(self) -> dict[str, str]:
        """doc -> the fingerprint its initiatives were read at."""
        return dict(self._db.execute("SELECT doc, fingerprint FROM graph_initiative_docs").fetchall())

    def set_initiatives(self, doc: str, fingerprint: Optional[str], rows: Iterable[tuple[str, str, str]],
                        symbol: Optional[str] = None) -> None:
        """Replace the (node, name, lang) rows of a document (`fingerprint` None: the document is gone)."""
        self._db.execute("DELETE FROM graph_initiatives WHERE doc = ?", (doc,))
        if fingerprint is None:
            self._db.execute("DELETE FROM graph_initiative_docs WHERE doc = ?", (doc,))
            return
        self._db.executemany("INSERT OR IGNORE INTO graph_initiatives(doc, node, name, lang) VALUES (?, ?, ?, ?)",
                            [(doc, n, name, lang) for n, name, lang in rows])
        self._db.execute("INSERT OR REPLACE INTO graph_initiative_docs(doc, fingerprint, symbol) VALUES (?, ?, ?)",
                         (doc, fingerprint, symbol))

    def symbols_of(self, docs: Iterable[str]) -> set[str]:
        """The symbols the documents had when their initiatives were read."""
        out: set[str] = set()
        for chunk in _chunks(list(docs)):
            q = f"SELECT symbol FROM graph_initiative_docs WHERE symbol IS NOT NULL AND doc IN ({','.join('?' * len(chunk))})"
            out.update(r[0] for r in self._db.execute(q, chunk))
        return out

    def initiative_mentions(self, doc: str) -> list[tuple[Optional[str], str]]:
        """(block language, annotations json) of the document's blocks that name an initiative."""
        return self._db.execute("SELECT language, annotations FROM blocks WHERE doc_id = ? AND annotations LIKE '%\"initiative\"%' "
                               "ORDER BY ord", (doc,)).fetchall()

    def initiatives(self) -> Iterator[tuple[str, str, str, str]]:
        """(doc, node, name, lang) of every document, by document."""
        yield from self._db.execute("SELECT doc, node, name, lang FROM graph_initiatives ORDER BY doc, node")

    def set_links(self, grp: str, rows: Iterable[tuple[str, str, str, float]]) -> None:
        """Replace the links (a, b, evidence, score) of one group."""
        self._db.execute("DELETE FROM graph_alias_links WHERE grp = ?", (grp,))
        self._db.executemany("INSERT OR REPLACE INTO graph_alias_links(grp, a, b, evidence, score) VALUES (?, ?, ?, ?, ?)",
                            [(grp, a, b, ev, s) for a, b, ev, s in rows])

    def links(self) -> list[tuple[str, str, str, str, float]]:
        return self._db.execute("SELECT grp, a, b, evidence, score FROM graph_alias_links ORDER BY grp, a, b").fetchall()

    def documents_with_symbols(self) -> list[tuple[str, Optional[str], Optional[str]]]:
        """(id, symbol, language) of every stored document."""
        return self._db.execute("SELECT id, symbol, language FROM documents ORDER BY id").fetchall()
