"""Indexes of mandates, entity names and decision citations, kept per document in the store.

Why: listing mandates and their status scanned every block's JSON on each call (mandates,
entity names, paragraphs citing a decision): seconds at a million paragraphs. These tables
hold one row per mandate (with the fields users filter on), per addressee, per entity name and
per citation of a decision with a response or supersede cue, each indexed, and are rewritten
per changed document (`graph_built`-style fingerprints in ``mandate_index_built``).

Each mandate row also keeps what its status rests on (`found`: "superseded", "reported on" or
"implemented" with its rule and evidence, or "" when there is no evidence; NULL while it is to be
computed) and the last day its deadline allows, so listing mandates by status is an indexed read:
only "open" and "elapsed" depend on the day asked, and that is a comparison of dates. A document that
changes sets `found` back to NULL for its own mandates and for the mandates of every decision it cites
with a cue (before and after the change); the next refresh computes those again.

Only SQL lives here; the rows are computed by `unkg.graph.mandate_index`.
"""

from __future__ import annotations

import sqlite3
from typing import Any, Callable, Iterable, Optional, Sequence

from .kept import kept

MANDATE_SCHEMA = """
CREATE TABLE IF NOT EXISTS mandate_index (
    block_id TEXT NOT NULL, i INTEGER NOT NULL, doc_id TEXT NOT NULL,
    decision TEXT, decision_lc TEXT NOT NULL, session TEXT, language_lc TEXT NOT NULL,
    verb TEXT, verb_en TEXT, force TEXT,
    found TEXT, rule TEXT, evidence TEXT, deadline_end TEXT,
    PRIMARY KEY (block_id, i)
);
CREATE INDEX IF NOT EXISTS mandate_index_found ON mandate_index(found, decision, doc_id, block_id, i);
CREATE INDEX IF NOT EXISTS mandate_index_doc ON mandate_index(doc_id);
CREATE INDEX IF NOT EXISTS mandate_index_decision ON mandate_index(decision);
CREATE INDEX IF NOT EXISTS mandate_index_decision_lc ON mandate_index(decision_lc);
CREATE INDEX IF NOT EXISTS mandate_index_session ON mandate_index(session);
CREATE INDEX IF NOT EXISTS mandate_index_language ON mandate_index(language_lc);
CREATE INDEX IF NOT EXISTS mandate_index_verb ON mandate_index(verb, verb_en, force);
CREATE TABLE IF NOT EXISTS mandate_addressees (
    block_id TEXT NOT NULL, i INTEGER NOT NULL, actor TEXT NOT NULL, doc_id TEXT NOT NULL,
    PRIMARY KEY (block_id, i, actor)
);
CREATE INDEX IF NOT EXISTS mandate_addressees_actor ON mandate_addressees(actor);
CREATE INDEX IF NOT EXISTS mandate_addressees_doc ON mandate_addressees(doc_id);
CREATE TABLE IF NOT EXISTS entity_names (
    entity TEXT NOT NULL, name TEXT NOT NULL, doc_id TEXT NOT NULL, brow INTEGER NOT NULL, pos INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS entity_names_entity ON entity_names(entity, brow, pos);
CREATE INDEX IF NOT EXISTS entity_names_doc ON entity_names(doc_id);
CREATE INDEX IF NOT EXISTS entity_names_name ON entity_names(entity, name);
CREATE TABLE IF NOT EXISTS entity_name_set (entity TEXT NOT NULL, name TEXT NOT NULL, PRIMARY KEY (entity, name)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS decision_cues (
    decision TEXT NOT NULL, doc_id TEXT NOT NULL, block_id TEXT NOT NULL, ord INTEGER NOT NULL, pos INTEGER NOT NULL,
    response INTEGER NOT NULL, supersede INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS decision_cues_decision ON decision_cues(decision, doc_id, ord, pos);
CREATE INDEX IF NOT EXISTS decision_cues_doc ON decision_cues(doc_id);
CREATE TABLE IF NOT EXISTS mandate_index_built (doc TEXT PRIMARY KEY, fingerprint TEXT NOT NULL);
"""

_TABLES = ("mandate_index", "mandate_addressees", "entity_names", "decision_cues")
#: changes when the tables' layout changes: older tables are dropped and built again from the store
MANDATE_TABLES_VERSION = "3"



def _in(n: int) -> str:
    return ",".join("?" * n)


class MandateTables:
    """Reads and writes of the mandate indexes of one store."""

    def __init__(self, store) -> None:
        self.store = store
        row = store._db.execute("SELECT value FROM meta WHERE key = 'mandate_tables_version'").fetchone()
        if row is None or row[0] != MANDATE_TABLES_VERSION:
            store.create_schema("", self._relayout)
        store.create_schema(MANDATE_SCHEMA)

    @staticmethod
    def _relayout(db: sqlite3.Connection) -> None:
        """Tables of an older layout go (the next refresh builds them again from the store)."""
        for t in (*_TABLES, "entity_name_set", "mandate_index_built"):
            db.execute(f"DROP TABLE IF EXISTS {t}")
        db.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('mandate_tables_version', ?)", (MANDATE_TABLES_VERSION,))
        db.execute("DELETE FROM meta WHERE key = 'mandate_index_checked'")

    @property
    def _db(self) -> sqlite3.Connection:
        return self.store._db

    # -- writing ---------------------------------------------------------------------------
    def checked_at(self) -> Optional[str]:
        """What the indexes were last found up to date with (the store's generation and the index rule), or None."""
        return self.store.meta("mandate_index_checked")

    def set_checked_at(self, value: str) -> None:
        self.store.set_meta("mandate_index_checked", value)

    def built(self) -> dict[str, str]:
        return dict(self._db.execute("SELECT doc, fingerprint FROM mandate_index_built").fetchall())

    def block_rowids(self, doc_id: str) -> dict[str, int]:
        """Block id -> its row number (the order a scan of the blocks meets them: "first seen" names)."""
        return {r[0]: r[1] for r in self._db.execute("SELECT id, rowid FROM blocks WHERE doc_id = ?", (doc_id,))}

    def remove_document(self, doc_id: str) -> None:
        named = self._db.execute("SELECT DISTINCT entity, name FROM entity_names WHERE doc_id = ?", (doc_id,)).fetchall()
        for t in _TABLES:
            self._db.execute(f"DELETE FROM {t} WHERE doc_id = ?", (doc_id,))
        # a name no other document gives leaves the set of distinct names
        self._db.executemany("DELETE FROM entity_name_set WHERE entity = ? AND name = ? AND NOT EXISTS "
                             "(SELECT 1 FROM entity_names n WHERE n.entity = ?1 AND n.name = ?2)", [tuple(r) for r in named])
        self._db.execute("DELETE FROM mandate_index_built WHERE doc = ?", (doc_id,))

    def cue_decisions(self, doc_id: str) -> list[str]:
        """The decisions a document cites with a response or supersede cue (as its rows say now)."""
        return [r[0] for r in self._db.execute("SELECT DISTINCT decision FROM decision_cues WHERE doc_id = ?", (doc_id,))]

    def forget_statuses(self, decisions: Iterable[str]) -> None:
        """The mandates of these decisions get their status computed again (call inside a transaction)."""
        ds = sorted(set(decisions))
        for k in range(0, len(ds), 500):
            chunk = ds[k : k + 500]
            self._db.execute(f"UPDATE mandate_index SET found = NULL, rule = NULL, evidence = NULL "
                             f"WHERE decision IN ({_in(len(chunk))}) AND found IS NOT NULL", chunk)

    def unsettled(self, limit: int) -> list[tuple[str, int, str, Optional[str]]]:
        """(block id, i, document, decision) of mandates whose status is to be computed, by decision (a
        decision's citing documents are read once for all its mandates)."""
        return [tuple(r) for r in self._db.execute(  # type: ignore[misc]
            "SELECT block_id, i, doc_id, decision FROM mandate_index WHERE found IS NULL "
            "ORDER BY decision, doc_id, block_id, i LIMIT ?", (limit,))]

    def settle(self, rows: Sequence[tuple[str, int, str, Optional[str], Optional[str]]]) -> None:
        """Store statuses: (block id, i, found, rule, evidence JSON) (call inside a transaction)."""
        self._db.executemany("UPDATE mandate_index SET found = ?, rule = ?, evidence = ? WHERE block_id = ? AND i = ?",
                             [(f, r, e, b, i) for b, i, f, r, e in rows])

    def put_document(self, doc_id: str, fingerprint: str, mandates: Sequence[tuple], addressees: Sequence[tuple],
                     names: Sequence[tuple], cues: Sequence[tuple]) -> None:
        """Replace one document's rows (call inside a transaction); its mandates' statuses are to be computed.

        mandates: (block_id, i, decision, decision_lc, session, language_lc, verb, verb_en, force, deadline_end);
        addressees: (block_id, i, actor); names: (entity, name, brow, pos);
        cues: (decision, block_id, ord, pos, response, supersede).
        """
        self.remove_document(doc_id)
        self._db.executemany("INSERT OR REPLACE INTO mandate_index(block_id, i, decision, decision_lc, session, language_lc, verb, "
                            "verb_en, force, deadline_end, doc_id) VALUES (?,?,?,?,?,?,?,?,?,?,?)", [(*m, doc_id) for m in mandates])
        self._db.executemany("INSERT OR IGNORE INTO mandate_addressees(block_id, i, actor, doc_id) VALUES (?,?,?,?)",
                            [(*a, doc_id) for a in addressees])
        self._db.executemany("INSERT INTO entity_names(entity, name, brow, pos, doc_id) VALUES (?,?,?,?,?)", [(*n, doc_id) for n in names])
        self._db.executemany("INSERT OR IGNORE INTO entity_name_set(entity, name) VALUES (?,?)", [(n[0], n[1]) for n in names])
        self._db.executemany("INSERT INTO decision_cues(decision, block_id, ord, pos, response, supersede, doc_id) VALUES (?,?,?,?,?,?,?)",
                            [(*c, doc_id) for c in cues])
        self._db.execute("INSERT OR REPLACE INTO mandate_index_built(doc, fingerprint) VALUES (?, ?)", (doc_id, fingerprint))

    # -- reading ---------------------------------------------------------------------------
    def _memo(self, what: str, read: Callable[[], Any]) -> Any:
        """`read()` kept for as long as the indexes stay as last found up to date (`checked_at`: no document changed).

        Why: the distinct sessions, verbs and addressees are a scan of every mandate (346,696 at a million
        paragraphs: 35 ms each), the same for every question until a document changes."""
        return kept(self.store, self.checked_at(), "mandates: " + what, read)

    def distinct(self, column: str) -> list:
        """The distinct values of a filter column (few: sessions, verbs), to match in Python once each."""
        if column not in ("session", "verb", "verb_en", "force"):
            raise ValueError(column)
        return self._memo(column, lambda: [r[0] for r in self._db.execute(f"SELECT DISTINCT {column} FROM mandate_index")])

    def verb_forms(self) -> list[tuple[Optional[str], Optional[str], Optional[str]]]:
        return self._memo("verb forms", lambda: [tuple(r) for r in self._db.execute(  # type: ignore[misc]
            "SELECT DISTINCT verb, verb_en, force FROM mandate_index")])

    def actors(self) -> list[str]:
        return self._memo("actors", lambda: [r[0] for r in self._db.execute("SELECT DISTINCT actor FROM mandate_addressees")])

    def actor_names(self) -> dict[str, list[str]]:
        """Every addressee's id -> every name the store gives it."""
        return self._memo("actor names", lambda: self.distinct_names(self.actors()))

    def first_names(self, entities: Iterable[str]) -> dict[str, str]:
        """Entity id -> the first name a scan of the blocks meets for it (Store.entity_names, for these ids only)."""
        out: dict[str, str] = {}
        for e in set(entities):
            r = self._db.execute("SELECT name FROM entity_names WHERE entity = ? ORDER BY brow, pos LIMIT 1", (e,)).fetchone()
            if r:
                out[e] = r[0]
        return out

    def distinct_names(self, entities: Iterable[str]) -> dict[str, list[str]]:
        """Entity id -> every name the store gives it."""
        out: dict[str, list[str]] = {}
        ids = list(entities)
        for k in range(0, len(ids), 500):
            chunk = ids[k : k + 500]
            for e, n in self._db.execute(f"SELECT entity, name FROM entity_name_set WHERE entity IN ({_in(len(chunk))})", chunk):
                out.setdefault(e, []).append(n)
        return out

    def candidates(self, language: str = "", document: str = "", decision: str = "", sessions: Optional[list] = None,
                   verbs: Optional[list[tuple]] = None, actors: Optional[list[str]] = None, found: Optional[str] = None,
                   deadline_before: Optional[str] = None, deadline_from: Optional[str] = None) -> list[tuple]:
        """(block id, i, document, decision, found, rule, evidence) of the mandates passing the given filters (each
        optional). `found`: what the status rests on ("" for no evidence); `deadline_before` / `deadline_from`: the
        last day the deadline allows is before / on or after this ISO date, or (from) there is no deadline."""
        where, params = [], []
        # a status another process set to be computed again (NULL) passes: the caller computes it
        if found is not None:
            where.append("(m.found = ? OR m.found IS NULL)")
            params.append(found)
        if deadline_before is not None:
            where.append("(m.found IS NULL OR m.deadline_end < ?)")
            params.append(deadline_before)
        if deadline_from is not None:
            where.append("(m.found IS NULL OR m.deadline_end IS NULL OR m.deadline_end >= ?)")
            params.append(deadline_from)
        if language:
            where.append("m.language_lc = ?")
            params.append(language)
        if document:
            where.append("m.doc_id = ?")
            params.append(document)
        if decision:  # a part of a decision's id: matched against the distinct decisions (read once, `_memo`)
            known = self._memo("decisions", lambda: [r[0] for r in self._db.execute(
                "SELECT DISTINCT decision_lc FROM mandate_index WHERE decision_lc IS NOT NULL")])
            where.append("m.decision_lc IN (SELECT value FROM json_each(?))")
            params.append(_json([d for d in known if decision in d]))
        if sessions is not None:
            sessions = [s for s in sessions if s is not None]
            where.append(f"m.session IN (SELECT value FROM json_each(?))")
            params.append(_json(sessions))
        if verbs is not None:
            where.append("EXISTS (SELECT 1 FROM json_each(?) v WHERE v.value = "
                         "coalesce(m.verb, '') || char(31) || coalesce(m.verb_en, '') || char(31) || coalesce(m.force, ''))")
            params.append(_json(["\x1f".join(x or "" for x in v) for v in verbs]))
        sql = "SELECT m.block_id, m.i, m.doc_id, m.decision, m.found, m.rule, m.evidence FROM mandate_index m"
        if actors is not None:  # read from the addressees' index: the mandates of these actors only
            sql = ("SELECT m.block_id, m.i, m.doc_id, m.decision, m.found, m.rule, m.evidence FROM "
                   "(SELECT DISTINCT block_id, i FROM mandate_addressees WHERE actor IN (SELECT value FROM json_each(?))) a "
                   "JOIN mandate_index m ON m.block_id = a.block_id AND m.i = a.i")
            params.insert(0, _json(actors))
        if where:
            sql += " WHERE " + " AND ".join(where)
        return [tuple(r) for r in self._db.execute(sql, params)]  # type: ignore[misc]

    def cues(self, decision: str) -> list[tuple[str, str, int, int]]:
        """(document, block, response, supersede) of the paragraphs citing a decision with a cue, by document and order."""
        return [tuple(r) for r in self._db.execute(  # type: ignore[misc]
            "SELECT doc_id, block_id, response, supersede FROM decision_cues WHERE decision = ? ORDER BY doc_id, ord, pos", (decision,))]


def _json(values: list) -> str:
    import json

    return json.dumps(values, ensure_ascii=False)


def mandate_blocks_by_id(store, block_ids: Sequence[str]) -> dict[str, sqlite3.Row]:
    """Store.mandate_blocks's rows (block, citation, document metadata) for the given blocks only."""
    out: dict[str, sqlite3.Row] = {}
    ids = list(block_ids)
    for k in range(0, len(ids), 500):
        chunk = ids[k : k + 500]
        for r in store._db.execute(
                "SELECT b.id, b.doc_id, b.ord, b.kind, b.label, b.parent, b.language, b.text, b.annotations, b.citation, "
                "d.symbol, d.title, d.session AS doc_session, d.body, d.doc_type, d.language AS doc_language "
                f"FROM blocks b JOIN documents d ON d.id = b.doc_id WHERE b.id IN ({_in(len(chunk))})", chunk):
            out[r["id"]] = r
    return out
