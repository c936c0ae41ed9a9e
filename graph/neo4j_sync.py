"""Sync the knowledge graph to Neo4j (or any Bolt server speaking Cypher, such as FalkorDB).

* Connection settings come from options or NEO4J_URI / NEO4J_USER (or NEO4J_USERNAME) /
  NEO4J_DATABASE; the password only from NEO4J_PASSWORD.
* Uniqueness constraints (indexes on FalkorDB) are created first; the few
  dialect-specific statements sit in `Dialect`, chosen from the server's agent
  string (and, since FalkorDB announces itself as "Neo4j/5.x", one probe).
* Data goes in batched `UNWIND $rows AS r MERGE (n:Label {id: r.id}) SET n += r.props`;
  labels and relationship types are checked against the schema allow-lists
  before they are put into Cypher text; values are always parameters.
* Incremental: the `graph_sync` state of the SQLite store (corpus.sync_state) records, per server
  and database, the fingerprint of each document last confirmed there. Only
  changed documents are re-sent; a group of documents is marked synced only
  after the server confirmed all of its batches. If the server goes away, the
  sync stops with a GraphError and nothing unconfirmed is marked. A server that
  lost documents (restarted without its data) gets them again: before anything is
  re-sent their fingerprints are blanked, so a resend cut short is resumed.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Iterator, Optional

from unkg.corpus.sync_state import GraphSyncState
from unkg.errors import GraphError
from unkg.settings import Settings

from . import schema as S
from .build import KnowledgeGraph

# -- connection ---------------------------------------------------------------------


@dataclass
class Connection:
    uri: str
    user: Optional[str] = None
    database: Optional[str] = None
    password: Optional[str] = field(default=None, repr=False)
    #: FalkorDB's Redis port (host:port, UNKG_FALKORDB_REDIS): read-only queries then go through GRAPH.RO_QUERY
    falkordb_redis: Optional[str] = None

    @classmethod
    def from_options(cls, uri: Optional[str] = None, user: Optional[str] = None, database: Optional[str] = None,
                     settings: Optional[Settings] = None) -> "Connection":
        """Options first, then the settings (NEO4J_URI, NEO4J_USER, NEO4J_DATABASE, NEO4J_PASSWORD: unkg.settings)."""
        settings = settings or Settings.from_env()
        uri = uri or settings.neo4j_uri
        if not uri:
            raise GraphError("no graph server given: pass --uri bolt://HOST:7687 or set NEO4J_URI (password in NEO4J_PASSWORD)")
        return cls(uri=uri, user=user or settings.neo4j_user, database=database or settings.neo4j_database,
                   password=settings.neo4j_password, falkordb_redis=settings.falkordb_redis)

    @property
    def target(self) -> str:
        """The key of this server and database in the sync state."""
        return f"{self.uri}#{self.database or ''}"

    def driver(self):
        import neo4j

        _install_close_shim()
        # Neo4j sends notifications (an unknown property key, a deprecation) that the
        # driver logs as warnings: not the user's business on every sync and search
        logging.getLogger("neo4j.notifications").setLevel(logging.ERROR)
        # the password is a secret: from the settings (NEO4J_PASSWORD) when the connection was not given one
        password = self.password if self.password is not None else Settings.from_env().neo4j_password
        auth = (self.user or "neo4j", password) if password is not None else None
        try:
            return neo4j.GraphDatabase.driver(self.uri, auth=auth, connection_timeout=10,
                                              connection_acquisition_timeout=20, max_connection_lifetime=3600)
        except (ValueError, neo4j.exceptions.ConfigurationError) as exc:
            raise GraphError(f"bad graph server URI {self.uri!r}: {exc}") from None


# FalkorDB's Bolt endpoint stops answering the next handshake after a client says
# GOODBYE; connections to servers known to be FalkorDB are closed without it.
_NO_GOODBYE: set[str] = set()
_SHIM_LOCK = threading.Lock()
_SHIM = False


def _install_close_shim() -> None:
    global _SHIM
    with _SHIM_LOCK:
        if _SHIM:
            return
        from neo4j._sync.io._bolt import Bolt

        original = Bolt.close

        def close(self):  # pragma: no cover - exercised through every FalkorDB test
            if str(getattr(self, "unresolved_address", "")) in _NO_GOODBYE:
                self.goodbye = lambda *a, **k: None
            return original(self)

        Bolt.close = close
        _SHIM = True


# -- dialects -------------------------------------------------------------------------


class Dialect:
    """The statements that differ between servers; data Cypher is the same everywhere."""

    name = "neo4j"
    #: largest Bolt RUN message the server takes (None: no limit worth knowing)
    max_message_bytes: Optional[int] = None
    #: open read-only passthrough sessions in READ access mode (the server then refuses writes too)
    read_sessions = True
    #: send the time limit as the transaction timeout (the server stops the query itself)
    tx_timeout = True
    #: writes in explicit transactions (BEGIN, RUN, COMMIT): a batch is confirmed by its commit
    explicit_tx = True
    #: rows per UNWIND statement (one transaction each) when the caller gives none: on Neo4j a
    #: statement costs a round trip and a commit, so large batches (10,000 rows, a few MB of
    #: transaction state) send about twice as fast as 2,000
    batch_rows = 10000
    #: sessions a sync writes on side by side (the nodes of a group of documents, then their
    #: relationships): Neo4j runs each transaction on one thread, so two use both cores
    write_workers = 2

    def params(self, params: dict) -> dict:
        """Parameters as this server must receive them (Neo4j: as they are)."""
        return params

    def data_query(self, query: str) -> str:
        """A sync's data statement as sent. Neo4j plans a statement again when the statistics
        moved (a sync into an empty database moves them with every batch), and planning took
        more of the server's time than the writes: `replan=skip` keeps the first plan, which
        for these statements (unique-index seeks on the ids) does not depend on the counts."""
        return "CYPHER replan=skip " + query

    def schema_statements(self, run_read: Callable[[str], list[dict]]) -> list[str]:
        """What is missing (by name): `IF NOT EXISTS` makes each safe, this makes a second sync send none."""
        have = {r["name"] for r in run_read("SHOW CONSTRAINTS YIELD name RETURN name")}
        have |= {r["name"] for r in run_read("SHOW INDEXES YIELD name RETURN name")}
        # an index on the relationship key makes Neo4j plan each relationship MERGE as an
        # index seek that must also scan the transaction's own new relationships: a batch
        # gets quadratic (2,000 rows took ~20 s). Without it the MERGE expands between its
        # two (bound) nodes. Servers synced before lose the index.
        drop = [f"DROP INDEX {name} IF EXISTS" for name in sorted(have) if _REL_KEY_INDEX.match(name)]
        return drop + [st for st in self._all_schema_statements() if st.split()[2] not in have]

    def _all_schema_statements(self) -> list[str]:
        out = []
        for label in S.LABELS:
            out.append(f"CREATE CONSTRAINT unkg_{label.lower()}_id IF NOT EXISTS FOR (n:{S.check_label(label)}) REQUIRE n.id IS UNIQUE")
        for label in sorted(S.OWNED_LABELS):
            out.append(f"CREATE INDEX unkg_{label.lower()}_doc IF NOT EXISTS FOR (n:{S.check_label(label)}) ON (n.doc)")
        for rel in S.REL_TYPES:
            out.append(f"CREATE INDEX unkg_rel_{rel.lower()}_doc IF NOT EXISTS FOR ()-[r:{S.check_rel_type(rel)}]-() ON (r.doc)")
        return out


_REL_KEY_INDEX = re.compile(r"^unkg_rel_[a-z_]+_key$")


class FalkorDialect(Dialect):
    """FalkorDB: exact-match indexes (its unique constraints are only reachable over the Redis protocol)."""

    name = "falkordb"
    # FalkorDB 4.16's Bolt endpoint writes the parameters into the query text
    # (`CYPHER rows=[...] UNWIND ...`) and drops the connection (it can crash) when
    # that text passes about 4 KB: batches are cut by that size, long strings are
    # sent in pieces.
    max_message_bytes = 3800
    # its Bolt endpoint answers READ-mode sessions from an empty graph; the
    # passthrough relies on `check_read_only` there
    read_sessions = False
    # a transaction timeout in the RUN message makes it pick another graph than
    # the database names: the time limit is only the client's watchdog there
    tx_timeout = False
    # its Bolt endpoint runs each statement on its own: auto-commit writes
    explicit_tx = False
    # batches are cut by message size long before this
    batch_rows = 2000
    # its Bolt endpoint runs one query at a time
    write_workers = 1
    # FalkorDB 4.16's Bolt endpoint pastes string parameters between single quotes
    # without escaping them, and map keys and parameter names bare: an apostrophe
    # ("Children's Fund") fails the statement, a backslash is read as an escape,
    # and a crafted value or name runs as Cypher. Strings are escaped here and
    # names must be plain identifiers; the client turns this off if a probe shows
    # the server quotes parameters itself.
    escape_strings = True

    def params(self, params: dict) -> dict:
        return {_param_name(k): self._value(v) for k, v in params.items()}

    def data_query(self, query: str) -> str:
        return query  # its `CYPHER` prefix carries parameters

    def _value(self, v: Any) -> Any:
        if isinstance(v, str):
            return v.replace("\\", "\\\\").replace("'", "\\'") if self.escape_strings else v
        if isinstance(v, (list, tuple)):
            return [self._value(x) for x in v]
        if isinstance(v, dict):
            return {_param_name(k): self._value(x) for k, x in v.items()}
        return v

    def schema_statements(self, run_read: Callable[[str], list[dict]]) -> list[str]:
        have = set()
        for row in run_read("CALL db.indexes() YIELD label, properties, entitytype RETURN label, properties, entitytype"):
            for p in row.get("properties") or []:
                have.add((row["entitytype"], row["label"], p))
        out = []
        for label in S.LABELS:
            if ("NODE", label, "id") not in have:
                out.append(f"CREATE INDEX FOR (n:{S.check_label(label)}) ON (n.id)")
        for label in sorted(S.OWNED_LABELS):
            if ("NODE", label, "doc") not in have:
                out.append(f"CREATE INDEX FOR (n:{S.check_label(label)}) ON (n.doc)")
        for rel in S.REL_TYPES:
            if ("RELATIONSHIP", rel, "key") not in have:
                out.append(f"CREATE INDEX FOR ()-[r:{S.check_rel_type(rel)}]-() ON (r.key)")
        return out


def _param_name(name: Any) -> str:
    if not isinstance(name, str) or not _PROP.match(name):
        raise GraphError(f"parameter or map key {str(name)[:60]!r} is not a plain name (letters, digits, _); "
                         "this server would read it as Cypher")
    return name


def choose_dialect(agent: str, probe: Optional[Callable[[], bool]] = None) -> Dialect:
    """The one switch: FalkorDB or Neo4j, from the agent string ("Neo4j/5.13.0", "FalkorDB/4.x").

    FalkorDB's Bolt endpoint announces itself as "Neo4j/5.13.0"; for agents that
    claim Neo4j, `probe()` (does `dbms.components()` answer?) settles it.
    """
    a = (agent or "").lower()
    if "falkor" in a:
        return FalkorDialect()
    if a.startswith("neo4j/") and probe is not None and not probe():
        return FalkorDialect()
    return Dialect()


# -- sessions -----------------------------------------------------------------------


def _server_gone(conn: Connection, exc: BaseException, doing: str) -> GraphError:
    return GraphError(
        f"the graph server at {conn.uri} failed while {doing}: {type(exc).__name__}: {str(exc)[:300]}. "
        "Nothing unconfirmed was marked as synced; run `unkg graph sync` again when the server is back."
    )


class Client:
    """A driver plus the dialect of the server behind it."""

    def __init__(self, conn: Connection) -> None:
        import neo4j

        self.conn = conn
        self._neo4j = neo4j
        self._lock = threading.Lock()
        self.retries = 0  # writes tried again after a transient refusal (a deadlock between parallel writes)
        self.driver = conn.driver()
        try:
            self.driver.verify_connectivity()
            info = self.driver.get_server_info()
        except self._neo4j.exceptions.AuthError as exc:
            self.driver.close()
            raise GraphError(f"the graph server at {conn.uri} (NEO4J_URI) refused the login of user {conn.user or 'neo4j'!r}: "
                             f"{str(exc.message or exc)[:200]}; check NEO4J_USER and NEO4J_PASSWORD") from None
        except Exception as exc:
            self.driver.close()
            raise GraphError(f"cannot reach the graph server at {conn.uri}: {type(exc).__name__}: {str(exc)[:200]}; "
                             "is it running, and are NEO4J_URI / NEO4J_USER / NEO4J_PASSWORD right?") from None
        self.agent = info.agent
        self.address = str(info.address)
        self.dialect = Dialect()  # until the probe has answered
        self.dialect = choose_dialect(self.agent, self._probe_neo4j)
        if self.dialect.name == "falkordb":
            _NO_GOODBYE.add(self.address)
            for addr in (conn.uri.split("://", 1)[-1],):
                _NO_GOODBYE.add(addr)
            # does the server read `\'` in a string parameter as an escape (it pastes parameters unquoted)?
            self.dialect.escape_strings = False
            self.dialect.escape_strings = self.run("RETURN $v AS v", {"v": "\\'"}) == [{"v": "'"}]

    def _probe_neo4j(self) -> bool:
        try:
            self.run("CALL dbms.components() YIELD name RETURN name")
            return True
        except GraphError:
            return False

    def session(self, read: bool = False):
        kw = {"database": self.conn.database} if self.conn.database else {}
        if read and self.dialect.read_sessions:
            kw["default_access_mode"] = self._neo4j.READ_ACCESS
        return self.driver.session(**kw)

    def run(self, query: str, params: Optional[dict] = None, read: bool = False, timeout: Optional[float] = None) -> list[dict]:
        q = self._neo4j.Query(query, timeout=timeout) if timeout and self.dialect.tx_timeout else query
        try:
            params = self.dialect.params(params or {})
            with self.session(read=read) as s:
                result = s.run(q, params)
                rows = [r.data() for r in result]
                result.consume()
                return rows
        except self._neo4j.exceptions.Neo4jError as exc:
            raise GraphError(f"the graph server refused a statement: {exc.code}: {str(exc.message or exc)[:300]}") from None
        except (self._neo4j.exceptions.DriverError, OSError) as exc:
            raise _server_gone(self.conn, exc, "running a statement") from None

    def write(self, query: str, params: dict, attempts: int = 5) -> Any:
        """One write in its own transaction; returns the summary counters once the server confirmed it.

        A transient refusal (two transactions running side by side waited on each other's
        locks: a deadlock the server broke by rolling one back) is tried again: the
        rolled-back transaction left nothing behind.
        """
        for attempt in range(attempts):
            try:
                sent = self.dialect.params(params)
                with self.session() as s:
                    if not self.dialect.explicit_tx:
                        return s.run(query, sent).consume().counters
                    with s.begin_transaction() as tx:
                        counters = tx.run(query, sent).consume().counters
                        tx.commit()
                        return counters
            except self._neo4j.exceptions.TransientError as exc:
                if "lock" not in (exc.code or "").lower():  # only deadlocks and lock time-outs are tried again
                    raise GraphError(f"the graph server refused a write: {exc.code}: {str(exc.message or exc)[:300]}") from None
                if attempt + 1 == attempts:
                    raise GraphError(f"the graph server refused a write {attempts} times: {exc.code}: {str(exc.message or exc)[:300]}") from None
                with self._lock:
                    self.retries += 1
                time.sleep(0.05 * 2 ** attempt)
            except self._neo4j.exceptions.Neo4jError as exc:
                raise GraphError(f"the graph server refused a write: {exc.code}: {str(exc.message or exc)[:300]}") from None
            except (self._neo4j.exceptions.DriverError, OSError) as exc:
                raise _server_gone(self.conn, exc, "writing") from None

    def close(self) -> None:
        try:
            self.driver.close()
        except Exception:
            pass

    def __enter__(self) -> "Client":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- schema and counts ------------------------------------------------------
    def ensure_schema(self) -> list[str]:
        done = []
        for stmt in self.dialect.schema_statements(lambda q: self.run(q)):
            self.write(stmt, {})
            done.append(stmt)
        return done

    def is_empty(self) -> bool:
        """No node with a schema label (counts from the server's count store: no scan)."""
        return self.counts()["nodes"] == 0

    def counts(self) -> dict[str, Any]:
        """Nodes by label and relationships by type, in one statement (a UNION of count-store look-ups)."""
        parts = [f"MATCH (n:{S.check_label(label)}) RETURN 'n' AS k, '{label}' AS name, count(n) AS c" for label in S.LABELS]
        parts += [f"MATCH ()-[r:{S.check_rel_type(rel)}]->() RETURN 'r' AS k, '{rel}' AS name, count(r) AS c" for rel in S.REL_TYPES]
        rows = self.run(" UNION ALL ".join(parts))
        labels = {r["name"]: r["c"] for r in rows if r["k"] == "n" and r["c"]}
        types = {r["name"]: r["c"] for r in rows if r["k"] == "r" and r["c"]}
        labels = {label: labels[label] for label in S.LABELS if label in labels}  # in the schema's order
        types = {rel: types[rel] for rel in S.REL_TYPES if rel in types}
        return {"nodes": sum(labels.values()), "relationships": sum(types.values()), "labels": labels, "types": types}


# -- sync -------------------------------------------------------------------------------


@dataclass
class SyncReport:
    target: str
    dialect: str = ""
    agent: str = ""
    documents: int = 0
    removed: int = 0
    nodes: int = 0
    relationships: int = 0
    statements: int = 0
    seconds: float = 0.0
    full: bool = False
    created: bool = False  # the server was empty: what one document owns was CREATEd, not MERGEd
    retries: int = 0  # writes tried again after a deadlock between the sessions written on side by side
    restored: int = 0  # relationships of other documents sent again: they ended at a re-sent document's nodes
    schema: list[str] = field(default_factory=list)
    counts: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        items = self.nodes + self.relationships
        return {"target": self.target, "dialect": self.dialect, "agent": self.agent, "documents_synced": self.documents,
                "documents_removed": self.removed, "nodes_sent": self.nodes, "relationships_sent": self.relationships,
                "statements": self.statements, "seconds": round(self.seconds, 3), "full": self.full, "created": self.created,
                "items_per_s": round(items / self.seconds, 1) if self.seconds else None,
                "schema_statements": len(self.schema), "retries": self.retries, "restored": self.restored, "server": self.counts}


def sync_state(store, target: str) -> dict[str, str]:
    """Document id -> fingerprint the server `target` confirmed (the store's graph_sync state)."""
    return GraphSyncState(store).fingerprints(target)


def _chunks(items: list, n: int) -> Iterator[list]:
    for i in range(0, len(items), n):
        yield items[i:i + n]


def node_rows(kg: KnowledgeGraph, nodes: Iterable[str]) -> dict[str, list[dict]]:
    """Nodes grouped by label, as UNWIND rows {id, props}."""
    by_label: dict[str, list[dict]] = {}
    g = kg.g
    for n in nodes:
        if n not in g:
            continue
        attrs = g.nodes[n]
        props = {k: v for k, v in attrs.items() if k != "label"}  # id is set by the MERGE pattern
        by_label.setdefault(S.check_label(attrs["label"]), []).append({"id": n, "props": props})
    return by_label


def edge_rows(kg: KnowledgeGraph, edges: Iterable[tuple[str, str, str]]) -> dict[tuple[str, str, str], list[dict]]:
    """Edges grouped by (type, source label, target label), as UNWIND rows {s, t, q, props}.

    The key (`TYPE|s|t|q`, see schema.edge_key) is put together on the server, which
    keeps rows small (FalkorDB takes messages of about 4 KB).
    """
    out: dict[tuple[str, str, str], list[dict]] = {}
    g = kg.g
    for u, v, k in edges:
        if not g.has_edge(u, v, k):
            continue
        attrs = g.edges[u, v, k]
        props = {a: b for a, b in attrs.items() if a != "type"}
        rel = S.check_rel_type(attrs["type"])
        head = f"{rel}|{u}|{v}|"
        if not k.startswith(head):
            raise GraphError(f"relationship key {k!r} does not follow the id rules")
        q = k[len(head):]
        # what the server can fill in itself is left out: the paragraph is the key's
        # last part, the document is the source node's (see edge_merge)
        if q and props.get("paragraph") == q:
            del props["paragraph"]
        if props.get("doc") is not None and props["doc"] == g.nodes[u].get("doc"):
            del props["doc"]
        group = (rel, S.check_label(g.nodes[u]["label"]), S.check_label(g.nodes[v]["label"]))
        out.setdefault(group, []).append({"s": u, "t": v, "q": q, "props": props})
    return out


def _cypher_size(v: Any) -> int:
    """Bytes of a value written as a Cypher literal.

    FalkorDB turns Bolt parameters into a `CYPHER name=value` prefix of the query
    text, and that text must stay under about 4 KB: this is what batches are cut by.
    """
    if v is None or isinstance(v, bool):
        return 5
    if isinstance(v, (int, float)):
        return len(repr(v))
    if isinstance(v, str):
        b = v.encode("utf-8")
        return len(b) + 2 + b.count(b"'") + b.count(b'"') + b.count(b"\\")
    if isinstance(v, (list, tuple)):
        return 2 + sum(_cypher_size(x) + 2 for x in v)
    if isinstance(v, dict):
        return 2 + sum(len(str(k).encode("utf-8")) + 4 + _cypher_size(x) for k, x in v.items())
    return _cypher_size(str(v))


def _row_bytes(row: dict) -> int:
    return _cypher_size(row)


def batches(rows: list[dict], max_rows: int, max_bytes: Optional[int], base: int = 0) -> Iterator[list[dict]]:
    """Cut rows into batches of at most max_rows rows and (if given) max_bytes encoded bytes."""
    if not max_bytes:
        yield from _chunks(rows, max_rows)
        return
    cur: list[dict] = []
    size = base
    for r in rows:
        b = _row_bytes(r)
        if cur and (len(cur) >= max_rows or size + b > max_bytes):
            yield cur
            cur, size = [], base
        cur.append(r)
        size += b
    if cur:
        yield cur


_PROP = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def split_oversize(row: dict, budget: int) -> tuple[dict, list[tuple[str, list[str]]]]:
    """Take long string properties out of a row; returns the slim row and (property, pieces) to append."""
    if _row_bytes(row) <= budget:
        return row, []
    props = dict(row["props"])
    pieces = []
    piece_chars = max(200, (budget - 400) // 4)  # up to 4 bytes a character in UTF-8
    for k, v in sorted(props.items(), key=lambda kv: -_row_bytes({"v": kv[1]})):
        if _row_bytes({**row, "props": props}) <= budget:
            break
        if isinstance(v, str) and _PROP.match(k) and len(v) > piece_chars // 4:
            pieces.append((k, [v[i:i + piece_chars] for i in range(0, len(v), piece_chars)]))
            del props[k]
        elif isinstance(v, list):
            props[k] = v[:3]
    return {**row, "props": props}, pieces


def write_pieces(client: "Client", label: str, node_id: str, pieces: list[tuple[str, list[str]]]) -> int:
    """Long texts in pieces: set the first, append the rest (idempotent: the first piece resets)."""
    n = 0
    for prop, parts in pieces:
        if not _PROP.match(prop):
            raise GraphError(f"property name {prop!r} cannot be written")
        for i, part in enumerate(parts):
            rhs = "$v" if i == 0 else f"n.{prop} + $v"
            client.write(f"MATCH (n:{S.check_label(label)} {{id: $id}}) SET n.{prop} = {rhs}", {"id": node_id, "v": part})
            n += 1
    return n


def node_merge(label: str) -> str:
    return f"UNWIND $rows AS r MERGE (n:{S.check_label(label)} {{id: r.id}}) SET n += r.props"


def node_create(label: str) -> str:
    """For nodes known to be absent (see `_Fresh`): no index look-up before the write; every property in one SET."""
    return f"UNWIND $rows AS r WITH r, r.props AS p CREATE (n:{S.check_label(label)}) SET n = p {{.*, id: r.id}}"


def edge_merge(rel: str, src_label: str, dst_label: str) -> str:
    rel = S.check_rel_type(rel)
    return (f"UNWIND $rows AS r MATCH (a:{S.check_label(src_label)} {{id: r.s}}) MATCH (b:{S.check_label(dst_label)} {{id: r.t}}) "
            f"WITH a, b, r, '{rel}|' + r.s + '|' + r.t + '|' + r.q AS k "
            f"MERGE (a)-[e:{rel} {{key: k}}]->(b) "
            f"SET e += r.props, e.paragraph = coalesce(r.props.paragraph, r.q), e.doc = coalesce(r.props.doc, a.doc)")


def edge_create(rel: str, src_label: str, dst_label: str) -> str:
    """For relationships known to be absent (see `_Fresh`): no scan of the endpoints' relationships, no lock for the
    check; every property in one SET (a map projection), which the server writes with less work than four SETs."""
    rel = S.check_rel_type(rel)
    return (f"UNWIND $rows AS r MATCH (a:{S.check_label(src_label)} {{id: r.s}}) MATCH (b:{S.check_label(dst_label)} {{id: r.t}}) "
            f"CREATE (a)-[e:{rel}]->(b) WITH a, e, r, r.props AS p "
            f"SET e = p {{.*, key: '{rel}|' + r.s + '|' + r.t + '|' + r.q, "
            f"paragraph: coalesce(p.paragraph, r.q), doc: coalesce(p.doc, a.doc)}}")


@dataclass
class _Fresh:
    """What a sync may CREATE instead of MERGE: items that are certainly not on the server yet.

    Only when the server held no node with a schema label when the sync began (a first
    sync, or one after a reset or a lost database), and only items that exactly one
    document contributes (a document is sent once per sync; items two documents share
    are sent with each of them and stay MERGE). A sync cut short leaves a non-empty
    server, so the next one MERGEs everything: the keys the CREATEs wrote make it find
    what is there, and nothing is duplicated.
    """

    nodes: frozenset = frozenset()
    edges: frozenset = frozenset()

    @classmethod
    def of(cls, kg: KnowledgeGraph, empty_server: bool) -> "_Fresh":
        if not empty_server:
            return cls()
        seen: dict[str, int] = {}
        for ids in kg.doc_nodes.values():
            for n in ids:
                seen[n] = seen.get(n, 0) + 1
        g = kg.g
        nodes = frozenset(n for n, c in seen.items() if c == 1 and n in g and g.nodes[n].get("doc") is not None
                          and g.nodes[n].get("label") in S.OWNED_LABELS)
        edges = frozenset(k for k, owners in kg.edge_docs.items() if len(owners) == 1 and k[2].split("|", 1)[0] != "ADOPTED_AT")
        return cls(nodes, edges)


def sync_graph(kg: KnowledgeGraph, store, conn: Connection, batch_size: Optional[int] = None, full: bool = False,
               docs_per_group: int = 500, on_batch: Optional[Callable[[int, int], None]] = None,
               client: Optional[Client] = None, workers: Optional[int] = None) -> SyncReport:
    """Send what changed since the last sync to the server; see the module docstring.

    `workers`: sessions written on side by side (default: the server's, `Dialect.write_workers`).
    """
    t0 = time.perf_counter()
    own = client is None
    client = client or Client(conn)
    rep = SyncReport(target=conn.target, dialect=client.dialect.name, agent=client.agent)
    batch_size = batch_size or client.dialect.batch_rows
    workers = max(1, workers or client.dialect.write_workers)
    retries0 = client.retries
    try:
        rep.schema = client.ensure_schema()
        # constraints first (above), then: may this sync CREATE what one document owns?
        fresh = _Fresh.of(kg, client.is_empty())
        rep.created = bool(fresh.nodes or fresh.edges)
        marks = GraphSyncState(store)
        state = marks.fingerprints(conn.target)
        # documents the state claims whose node the server no longer has (it lost its data, or part of it)
        on_server = {r["d"] for r in client.run("MATCH (n:Document) RETURN n.doc AS d")} if state else set()
        lost = {d for d in state if d not in on_server}
        if state and not full and not on_server:
            full = True  # the database was emptied behind our back: send everything again
        rep.full = full
        # what is sent again stops counting as synced before the first write, so an
        # interrupted resend cannot leave the old claim standing over a partial graph
        if state:
            marks.unmark(conn.target, None if full else lost)
        removed = sorted(d for d in state if d not in kg.built)
        changed = sorted(d for d, fp in kg.built.items() if full or state.get(d) != fp or d in lost)
        work = [(d, True) for d in removed] + [(d, False) for d in changed]
        sent_batches = 0

        limit = client.dialect.max_message_bytes

        lock = threading.Lock()

        def plan(query: str, rows: list[dict], label: Optional[str] = None) -> tuple[list, list]:
            """The statements that send `rows` (cut to the server's message size) and the long texts to append."""
            base = len(query.encode()) + 64
            appends = []
            if limit:
                budget = limit - base
                slim = []
                for r in rows:
                    r2, pieces = split_oversize(r, budget)
                    slim.append(r2)
                    if pieces:
                        if label is None:
                            raise GraphError(f"relationship {r.get('s')} -> {r.get('t')} is too large for this server ({limit} bytes a message)")
                        appends.append((label, r["id"], pieces))
                rows = slim
            query = client.dialect.data_query(query)
            return [(query, {"rows": chunk}) for chunk in batches(rows, batch_size, limit, base)], appends

        def one(stmt: tuple[str, dict]) -> None:
            nonlocal sent_batches
            query, params = stmt
            client.write(query, params)
            with lock:
                rep.statements += 1
                sent_batches += 1
                n = sent_batches
            if on_batch:
                on_batch(n, len(params["rows"]))

        def run(stmts: list) -> None:
            """Every statement, on `workers` sessions side by side; returns once all are confirmed.

            A failed statement stops the others from starting; the first error is raised
            after those running have ended (nothing is marked synced by then)."""
            if workers == 1 or len(stmts) < 2:
                for st in stmts:
                    one(st)
                return
            pending = sorted(stmts, key=lambda st: len(st[1]["rows"]))  # popped from the end: the biggest start first
            errors: list[BaseException] = []

            def worker() -> None:
                while True:
                    with lock:
                        if errors or not pending:
                            return
                        st = pending.pop()
                    try:
                        one(st)
                    except BaseException as exc:  # handed to the caller's thread
                        with lock:
                            errors.append(exc)
                        return

            threads = [threading.Thread(target=worker, daemon=True) for _ in range(min(workers, len(stmts)))]
            for th in threads:
                th.start()
            for th in threads:
                th.join()
            if errors:
                raise errors[0]

        def edge_statements(edges: set) -> tuple[list, int]:
            """The statements that send `edges` (CREATE what is certainly absent, MERGE the rest), and how many rows."""
            stmts, n = [], 0
            new_edges = sorted(e for e in edges if e in fresh.edges)
            for make, keys in ((edge_create, new_edges), (edge_merge, sorted(edges.difference(new_edges)))):
                for (rel, ls, ld), rows in sorted(edge_rows(kg, keys).items()):
                    stmts += plan(make(rel, ls, ld), rows)[0]
                    n += len(rows)
            return stmts, n

        def send(query: str, rows: list[dict], label: Optional[str] = None) -> None:
            stmts, appends = plan(query, rows, label)
            run(stmts)
            for lab, node_id, pieces in appends:
                rep.statements += write_pieces(client, lab, node_id, pieces)

        # edges several documents give (a decision's session): sent once, after every group
        shared = [(u, v, k) for (u, v, k), owners in kg.edge_docs.items() if len(owners) > 1 or kg.g.edges[u, v, k].get("type") == "ADOPTED_AT"]
        shared_edges = set(shared)
        owned_by: Optional[dict[str, list[str]]] = None  # doc -> the nodes it owns, on the first re-sent document

        for group in _chunks(work, docs_per_group):
            docs = [d for d, _ in group]
            gone = [d for d, is_removed in group if is_removed]
            present = [d for d, is_removed in group if not is_removed]
            old = [d for d in docs if d in state]
            if old:  # take out what these documents put there before
                for label in sorted(S.OWNED_LABELS):
                    client.write(f"MATCH (n:{S.check_label(label)}) WHERE n.doc IN $docs DETACH DELETE n", {"docs": old})
                    rep.statements += 1
                for rel in S.REL_TYPES:
                    client.write(f"MATCH ()-[e:{S.check_rel_type(rel)}]->() WHERE e.doc IN $docs DELETE e", {"docs": old})
                    rep.statements += 1
            nodes, edges = kg.doc_items(present)
            # the relationships' statements are made on another thread while the nodes are written (the
            # client's work then overlaps the server's): they depend on the graph only, not on the server
            edge_stmts = _Background(lambda: edge_statements(edges))
            stmts, appends = [], []
            new_nodes = sorted(n for n in nodes if n in fresh.nodes)
            for make, ids in ((node_create, new_nodes), (node_merge, sorted(nodes.difference(new_nodes)))):
                for label, rows in sorted(node_rows(kg, ids).items()):
                    st, ap = plan(make(label), rows, label)
                    stmts += st
                    appends += ap
                    rep.nodes += len(rows)
            run(stmts)  # every node first ...
            for lab, node_id, pieces in appends:
                rep.statements += write_pieces(client, lab, node_id, pieces)
            stmts, n_edges = edge_stmts.result()
            rep.relationships += n_edges
            run(stmts)  # ... then the relationships between them
            if old:
                # DETACH DELETE took with the old nodes the relationships other documents give to them (a
                # translation, a citation of the document, a report responding to one of its mandates): the
                # local graph keeps them, so they are sent again, before the group counts as synced
                if owned_by is None:
                    owned_by = _owned_nodes(kg)
                again = {n for d in old for n in owned_by.get(d, ())}
                extra = sorted(again - nodes)  # nodes of these documents that others name and they no longer do
                for label, rows in sorted(node_rows(kg, extra).items()):
                    send(node_merge(label), rows, label)
                    rep.nodes += len(rows)
                g = kg.g
                foreign = sorted({e for n in again for e in (*g.in_edges(n, keys=True), *g.out_edges(n, keys=True))}
                                 - edges - shared_edges)
                for (rel, ls, ld), rows in sorted(edge_rows(kg, foreign).items()):
                    send(edge_merge(rel, ls, ld), rows)
                    rep.relationships += len(rows)
                    rep.restored += len(rows)
            marks.mark(conn.target, {d: kg.built[d] for d in present}, gone)
            rep.documents += len(present)
            rep.removed += len(gone)

        # the edges several documents give, and nodes no document names any more
        for (rel, ls, ld), rows in sorted(edge_rows(kg, shared).items()):
            send(edge_merge(rel, ls, ld), rows)
        # (one statement; the labels whose nodes can lack a document: shared ones and cited documents; the
        # nodes of the other owned labels always carry theirs and went with it above)
        unowned = [label for label in S.LABELS if label in S.SHARED_LABELS or label == "Document"]
        ids: dict[str, list[str]] = {}
        for r in client.run(" UNION ALL ".join(f"MATCH (n:{S.check_label(label)}) WHERE n.doc IS NULL RETURN '{label}' AS label, n.id AS id"
                                               for label in unowned)):
            if r["id"] not in kg.g:
                ids.setdefault(r["label"], []).append(r["id"])
        for label, stale in sorted(ids.items()):
            for chunk in _chunks(stale, batch_size):
                client.write(f"MATCH (n:{S.check_label(label)}) WHERE n.id IN $ids DETACH DELETE n", {"ids": chunk})
                rep.statements += 1
        rep.seconds = time.perf_counter() - t0
        rep.retries = client.retries - retries0
        rep.counts = client.counts()
        return rep
    finally:
        if own:
            client.close()


class _Background:
    """`fn()` run on a thread of its own; `result()` waits for it and returns its value (or raises its error)."""

    def __init__(self, fn: Callable[[], Any]) -> None:
        self._box: dict[str, Any] = {}

        def work() -> None:
            try:
                self._box["value"] = fn()
            except BaseException as exc:  # handed to the caller's thread
                self._box["error"] = exc

        self._thread = threading.Thread(target=work, daemon=True)
        self._thread.start()

    def result(self) -> Any:
        self._thread.join()
        if "error" in self._box:
            raise self._box["error"]
        return self._box["value"]


def _owned_nodes(kg: KnowledgeGraph) -> dict[str, list[str]]:
    """Document id -> the nodes it owns, as the server sees ownership (an owned label and that `doc`)."""
    out: dict[str, list[str]] = {}
    for n, attrs in kg.g.nodes(data=True):
        d = attrs.get("doc")
        if d is not None and attrs.get("label") in S.OWNED_LABELS:
            out.setdefault(d, []).append(n)
    return out


def reset_target(store, conn: Connection, client: Optional[Client] = None) -> None:
    """Delete every node with a schema label from the server and forget its sync state."""
    own = client is None
    client = client or Client(conn)
    try:
        for label in S.LABELS:
            if client.dialect.name == "neo4j":  # in slices: one transaction would outgrow the server's memory
                client.run(f"MATCH (n:{S.check_label(label)}) CALL {{ WITH n DETACH DELETE n }} IN TRANSACTIONS OF 5000 ROWS")
            else:
                client.write(f"MATCH (n:{S.check_label(label)}) DETACH DELETE n", {})
        GraphSyncState(store).forget(conn.target)
    finally:
        if own:
            client.close()


# -- one statement per item: the baseline of the benchmark ------------------------------


def sync_one_by_one(kg: KnowledgeGraph, client: Client, seconds: Optional[float] = None) -> tuple[int, float]:
    """Send every node and edge in its own statement (the naive way, the benchmark's baseline).

    With `seconds`, stop after half of it on nodes and half on edges. Returns (items sent, seconds).
    """
    t0 = time.perf_counter()
    n = 0
    budget = seconds / 2 if seconds else None
    limit = client.dialect.max_message_bytes
    for label, rows in node_rows(kg, kg.g.nodes).items():
        q = client.dialect.data_query(f"MERGE (n:{S.check_label(label)} {{id: $id}}) SET n += $props")
        for r in rows:
            pieces = []
            if limit:
                r, pieces = split_oversize(r, limit - len(q) - 64)
            client.write(q, r)
            write_pieces(client, label, r["id"], pieces)
            n += 1
            if budget and time.perf_counter() - t0 > budget:
                break
    t_edges = time.perf_counter()
    for (rel, ls, ld), rows in edge_rows(kg, kg.g.edges(keys=True)).items():
        q = client.dialect.data_query(f"MATCH (a:{S.check_label(ls)} {{id: $s}}) MATCH (b:{S.check_label(ld)} {{id: $t}}) "
                                      f"MERGE (a)-[e:{S.check_rel_type(rel)} {{key: $k}}]->(b) SET e += $props")
        for r in rows:
            full = {**r["props"], "paragraph": r["props"].get("paragraph", r["q"]),
                    "doc": r["props"].get("doc", kg.g.nodes[r["s"]].get("doc"))}
            client.write(q, {"s": r["s"], "t": r["t"], "k": f"{rel}|{r['s']}|{r['t']}|{r['q']}", "props": full})
            n += 1
            if budget and time.perf_counter() - t_edges > budget:
                return n, time.perf_counter() - t0
    return n, time.perf_counter() - t0


# -- read-only Cypher passthrough -----------------------------------------------------------

# the check lives in cypher_guard (a tokenizer); re-exported here for the callers that import it from this module
from .cypher_guard import READ_PROCEDURES, check_read_only  # noqa: E402,F401


def _jsonable(value: Any) -> Any:
    from neo4j.graph import Node, Path, Relationship

    if isinstance(value, Node):
        return {"labels": sorted(value.labels), **{k: _jsonable(v) for k, v in value.items()}}
    if isinstance(value, Relationship):
        return {"type": value.type, "start": value.start_node.get("id") if value.start_node else None,
                "end": value.end_node.get("id") if value.end_node else None, **{k: _jsonable(v) for k, v in value.items()}}
    if isinstance(value, Path):
        return {"nodes": [_jsonable(n) for n in value.nodes], "relationships": [_jsonable(r) for r in value.relationships]}
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)


def read_query(conn: Connection, query: str, params: Optional[dict] = None, timeout: float = 10.0,
               limit: int = 1000, client: Optional[Client] = None) -> list[dict]:
    """Run a read-only Cypher query with a time limit; rows as JSON-ready dicts."""
    check_read_only(query)
    own = client is None
    client = client or Client(conn)
    box: dict[str, Any] = {}
    try:
        sent_params = client.dialect.params(params or {})
    except GraphError:
        if own:
            client.close()
        raise

    redis = conn.falkordb_redis
    if redis and client.dialect.name == "falkordb":
        # the server's own read-only mode and time limit (falkor_resp.py)
        from .falkor_resp import graph_key, parse_address, ro_query

        try:
            address = parse_address(redis)
            return ro_query(address, graph_key(address, conn.database), query, params, timeout=timeout, limit=limit)
        finally:
            if own:
                client.close()

    def work() -> None:
        try:
            import neo4j

            with client.session(read=True) as s:
                q = neo4j.Query(query, timeout=timeout) if client.dialect.tx_timeout else query
                result = s.run(q, sent_params)
                rows = []
                for rec in result:
                    rows.append({k: _jsonable(v) for k, v in rec.items()})
                    if len(rows) >= limit:
                        break
                box["rows"] = rows
        except Exception as exc:  # handed to the caller's thread
            box["error"] = exc

    th = threading.Thread(target=work, daemon=True)
    th.start()
    th.join(timeout + 2.0)
    try:
        if th.is_alive():
            client.close()  # cuts the connection; the server stops the query with it
            raise GraphError(f"the query ran past the {timeout:g} s time limit and was stopped; narrow it or raise --timeout")
        exc = box.get("error")
        if exc is not None:
            import neo4j

            if isinstance(exc, neo4j.exceptions.Neo4jError):
                raise GraphError(f"the graph server refused the query: {exc.code}: {str(exc.message or exc)[:300]}")
            raise _server_gone(conn, exc, "running the query")
        return box["rows"]
    finally:
        if own:
            client.close()
