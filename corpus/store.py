"""The store, source of truth for every later stage: SQLite in WAL mode.

One transaction per document. A document is keyed by its stable id (symbol
and language, or content hash) and by the path it came from; the same bytes
again change nothing, changed bytes from the same path replace the older
version whole. Different content from another path under an id already stored
(two files printing the same symbol and language) is a conflict: nothing is
replaced unless the caller asks for it (`replace=True`), so one file never
silently overwrites another.
"""

from __future__ import annotations

import json
import sqlite3
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator, Optional

from unkg.errors import StoreError, StoreFull
from unkg.model import Block, Document

from .citation import CITATION_RULE, cite_blocks, element_ids

SCHEMA_VERSION = 1

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS documents (
    id TEXT PRIMARY KEY,
    source TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    format TEXT NOT NULL,
    symbol TEXT, title TEXT, date TEXT, language TEXT, languages TEXT,
    body TEXT, session TEXT, agenda_item TEXT, doc_type TEXT, pages INTEGER,
    warnings TEXT NOT NULL DEFAULT '[]',
    ingested_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now'))
);
CREATE UNIQUE INDEX IF NOT EXISTS documents_source ON documents(source);
CREATE INDEX IF NOT EXISTS documents_symbol ON documents(symbol);
CREATE TABLE IF NOT EXISTS blocks (
    id TEXT PRIMARY KEY,
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    ord INTEGER NOT NULL,
    kind TEXT NOT NULL, zone TEXT NOT NULL, label TEXT, label_sep TEXT, level INTEGER NOT NULL,
    parent TEXT, page INTEGER, language TEXT, text TEXT NOT NULL, verb TEXT,
    translation_of TEXT,
    annotations TEXT NOT NULL DEFAULT '{}',
    citation TEXT,
    eid TEXT
);
CREATE INDEX IF NOT EXISTS blocks_doc ON blocks(doc_id, ord);
CREATE TABLE IF NOT EXISTS watches (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    target TEXT NOT NULL,
    label TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT '{}',
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),
    seen_at TEXT,
    UNIQUE(kind, target)
);
CREATE INDEX IF NOT EXISTS blocks_kind ON blocks(kind);
INSERT OR IGNORE INTO meta(key, value) VALUES ('documents_generation', '0');
CREATE TRIGGER IF NOT EXISTS documents_generation_insert AFTER INSERT ON documents BEGIN
    UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'documents_generation';
END;
CREATE TRIGGER IF NOT EXISTS documents_generation_update AFTER UPDATE ON documents BEGIN
    UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'documents_generation';
END;
CREATE TRIGGER IF NOT EXISTS documents_generation_delete AFTER DELETE ON documents BEGIN
    UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'documents_generation';
END;
"""


class Store:
    """Access to the SQLite store; cheap to open, safe to share within a thread."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.conflict_source: Optional[str] = None  # set by put_document when it answers 'conflict'
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(str(self.path), timeout=30, isolation_level=None, check_same_thread=False)
        except (OSError, sqlite3.Error) as exc:
            raise StoreError(f"cannot open the store at {self.path}: {exc}; set UNKG_HOME to a writable folder") from None
        self._db.row_factory = sqlite3.Row
        try:
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute("PRAGMA foreign_keys=ON")
        except sqlite3.OperationalError as exc:
            self._db.close()
            if _is_full(exc):
                raise self._full(exc) from None
            raise
        try:
            self.create_schema(SCHEMA, self._migrate,
                               lambda db: db.execute("INSERT OR IGNORE INTO meta(key, value) VALUES ('schema_version', ?)",
                                                     (str(SCHEMA_VERSION),)))
        except StoreFull:
            self._db.close()
            raise
        # a scan for missing citations only until one backfill has completed under this rule (not on every open:
        # at a million paragraphs the scan alone costs every CLI call a fraction of a second)
        done = self._db.execute("SELECT value FROM meta WHERE key = 'citations_complete'").fetchone()
        if done is None or done[0] != CITATION_RULE:
            self._backfill_citations()

    def create_schema(self, script: str, *then: Callable[[sqlite3.Connection], None]) -> None:
        """Create tables (``IF NOT EXISTS``) and run `then` in one transaction.

        Why: on a full disk a new store, or a store gaining the search tables, must end
        with all of them or none, and the error must be StoreFull, not a traceback.
        """
        try:
            self._run_schema(script, then, immediate=False)
        except sqlite3.OperationalError as exc:
            # another process wrote after this transaction began reading: SQLite refuses the upgrade to a write
            # at once ("database is locked", without waiting); taken whole from the start, the write lock is waited for
            if getattr(exc, "sqlite_errorcode", 0) & 0xFF != sqlite3.SQLITE_BUSY:
                raise
            self._run_schema(script, then, immediate=True)

    def _run_schema(self, script: str, then: tuple[Callable[[sqlite3.Connection], None], ...], immediate: bool) -> None:
        with self.transaction(immediate=immediate) as db:
            for stmt in _statements(script):
                db.execute(stmt)
            for step in then:
                step(db)

    def _migrate(self, db: sqlite3.Connection) -> None:
        """Columns added after a store was created (additive, so older stores keep working)."""
        cols = {r[1] for r in db.execute("PRAGMA table_info(blocks)")}
        if "label_sep" not in cols:
            db.execute("ALTER TABLE blocks ADD COLUMN label_sep TEXT")
        if "citation" not in cols:
            db.execute("ALTER TABLE blocks ADD COLUMN citation TEXT")
        if "eid" not in cols:
            db.execute("ALTER TABLE blocks ADD COLUMN eid TEXT")
            db.execute("UPDATE blocks SET citation = NULL")
            db.execute("DELETE FROM meta WHERE key = 'citations_complete'")
        db.execute("CREATE INDEX IF NOT EXISTS blocks_eid ON blocks(doc_id, eid)")
        rule = db.execute("SELECT value FROM meta WHERE key = 'citation_rule'").fetchone()
        if rule is None or rule[0] != CITATION_RULE:
            db.execute("UPDATE blocks SET citation = NULL")
            db.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('citation_rule', ?)", (CITATION_RULE,))
            db.execute("DELETE FROM meta WHERE key = 'citations_complete'")

    def _backfill_citations(self) -> None:
        """Citations of documents stored before the store kept them (computed by the one rule, corpus.citation)."""
        ids = [r[0] for r in self._db.execute("SELECT DISTINCT doc_id FROM blocks WHERE citation IS NULL")]
        for doc_id in ids:
            doc = self.document(doc_id)
            if doc is None:
                continue
            eids = element_ids(doc)
            with self.transaction() as db:
                db.executemany("UPDATE blocks SET citation = ?, eid = ? WHERE id = ?",
                               [(c, eids.get(i), i) for i, c in cite_blocks(doc).items()])
        with self.transaction() as db:
            db.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('citations_complete', ?)", (CITATION_RULE,))

    def close(self) -> None:
        self._db.close()

    @contextmanager
    def transaction(self, immediate: bool = True) -> Iterator[sqlite3.Connection]:
        """One transaction; all or nothing. A full disk becomes StoreFull (rolled back), not a traceback.

        `immediate=False` takes the write lock only at the first write (schema checks that find
        everything in place then never wait for a writer in another process).
        """
        try:
            self._db.execute("BEGIN IMMEDIATE" if immediate else "BEGIN")
            try:
                yield self._db
            except BaseException:
                self._rollback()
                raise
            else:
                self._db.execute("COMMIT")
        except sqlite3.OperationalError as exc:
            if not _is_full(exc):
                raise
            self._rollback()
            raise self._full(exc) from None

    def _full(self, exc: sqlite3.Error) -> StoreFull:
        return StoreFull(f"the disk holding the store at {self.path} is full ({exc}); the change was rolled back, "
                         "nothing already stored was lost: free some space and run the command again")

    def _rollback(self) -> None:
        if self._db.in_transaction:
            try:
                self._db.execute("ROLLBACK")
            except sqlite3.Error:
                pass

    # -- reading -----------------------------------------------------------

    def generation(self) -> int:
        """A counter every added, replaced, changed or removed document moves (triggers on `documents`, so any
        writer moves it): an index built when it had some value is up to date with the documents while it keeps it."""
        row = self._db.execute("SELECT value FROM meta WHERE key = 'documents_generation'").fetchone()
        return int(row[0]) if row else 0

    def meta(self, key: str) -> Optional[str]:
        row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: Optional[str]) -> bool:
        """Keep (None: forget) a value in `meta`, in its own transaction; False when the store cannot be written
        (read-only): what is recorded this way is a shortcut, never needed for a right answer."""
        try:
            with self.transaction() as db:
                if value is None:
                    db.execute("DELETE FROM meta WHERE key = ?", (key,))
                else:
                    db.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (key, value))
        except sqlite3.OperationalError as exc:
            if "readonly" in str(exc).lower() or "read-only" in str(exc).lower():
                return False
            raise
        return True

    def sha_for_source(self, source: str) -> Optional[str]:
        row = self._db.execute("SELECT sha256 FROM documents WHERE source = ?", (source,)).fetchone()
        return row["sha256"] if row else None

    def sha_for_id(self, doc_id: str) -> Optional[str]:
        row = self._db.execute("SELECT sha256 FROM documents WHERE id = ?", (doc_id,)).fetchone()
        return row["sha256"] if row else None

    def counts(self) -> dict[str, int]:
        docs = self._db.execute("SELECT count(*) FROM documents").fetchone()[0]
        blocks = self._db.execute("SELECT count(*) FROM blocks").fetchone()[0]
        return {"documents": docs, "blocks": blocks}

    def documents(self) -> list[dict]:
        rows = self._db.execute("SELECT * FROM documents ORDER BY id").fetchall()
        out = []
        for r in rows:
            d = dict(r)
            d["languages"] = json.loads(d["languages"] or "[]")
            d["warnings"] = json.loads(d["warnings"] or "[]")
            out.append(d)
        return out

    def document(self, doc_id: str) -> Optional[Document]:
        row = self._db.execute("SELECT * FROM documents WHERE id = ?", (doc_id,)).fetchone()
        if row is None:
            return None
        d = dict(row)
        d["languages"] = json.loads(d["languages"] or "[]")
        d["warnings"] = json.loads(d["warnings"] or "[]")
        d.pop("ingested_at", None)
        blocks = [self._block(r) for r in self._db.execute("SELECT * FROM blocks WHERE doc_id = ? ORDER BY ord", (doc_id,))]
        return Document(**d, blocks=blocks)

    def iter_blocks(self, kinds: Optional[tuple[str, ...]] = None) -> Iterator[tuple[str, Block]]:
        sql = "SELECT * FROM blocks"
        params: tuple = ()
        if kinds:
            sql += f" WHERE kind IN ({','.join('?' * len(kinds))})"
            params = kinds
        for r in self._db.execute(sql + " ORDER BY doc_id, ord", params):
            yield r["doc_id"], self._block(r)

    def citations(self, doc_id: str) -> dict[str, str]:
        """Block id -> citation for one document (corpus.citation's rule, stored with the document)."""
        return {r[0]: r[1] for r in self._db.execute("SELECT id, citation FROM blocks WHERE doc_id = ?", (doc_id,))}

    def element_ids(self, doc_id: str) -> dict[str, str]:
        """Block id -> permanent element id (`para_2__subpara_a`) for one document."""
        return {r[0]: r[1] for r in self._db.execute("SELECT id, eid FROM blocks WHERE doc_id = ?", (doc_id,))}

    def block_by_eid(self, doc_id: str, eid: str) -> Optional[str]:
        """The block id a permanent link names, or None."""
        row = self._db.execute("SELECT id FROM blocks WHERE doc_id = ? AND eid = ?", (doc_id, eid)).fetchone()
        return row[0] if row else None

    def mandate_blocks(self) -> list[sqlite3.Row]:
        """Every block holding mandates, with its citation and its document's metadata, in document order."""
        return self._db.execute(
            "SELECT b.id, b.doc_id, b.ord, b.kind, b.label, b.parent, b.language, b.text, b.annotations, b.citation, "
            "d.symbol, d.title, d.session AS doc_session, d.body, d.doc_type, d.language AS doc_language "
            "FROM blocks b JOIN documents d ON d.id = b.doc_id "
            "WHERE json_type(b.annotations, '$.mandates') = 'array' AND json_array_length(b.annotations, '$.mandates') > 0 "
            "ORDER BY d.id, b.ord").fetchall()

    def citing_blocks(self) -> list[sqlite3.Row]:
        """Every block that cites a decision or resolution (id, document, text, annotations)."""
        return self._db.execute(
            "SELECT id, doc_id, ord, text, annotations FROM blocks WHERE annotations LIKE '%\"citations\"%' ORDER BY doc_id, ord"
        ).fetchall()

    def entity_names(self) -> dict[str, str]:
        """Entity id -> name over the whole store (the first name seen)."""
        names: dict[str, str] = {}
        for (ann,) in self._db.execute("SELECT annotations FROM blocks WHERE annotations LIKE '%\"entities\"%'"):
            for e in json.loads(ann).get("entities", []):
                if e.get("id") and e.get("name"):
                    names.setdefault(e["id"], e["name"])
        return names

    def labels_of(self, block_ids: list[str]) -> dict[str, tuple[Optional[str], Optional[str], str]]:
        """Block id -> (label, parent, kind), for walking up a paragraph's numbering."""
        out: dict[str, tuple[Optional[str], Optional[str], str]] = {}
        for i in range(0, len(block_ids), 500):
            chunk = block_ids[i : i + 500]
            for r in self._db.execute(f"SELECT id, label, parent, kind FROM blocks WHERE id IN ({','.join('?' * len(chunk))})", chunk):
                out[r["id"]] = (r["label"], r["parent"], r["kind"])
        return out

    @staticmethod
    def _block(r: sqlite3.Row) -> Block:
        d = dict(r)
        ann = json.loads(d.pop("annotations") or "{}")
        d.pop("doc_id")
        d.pop("citation", None)
        d.pop("eid", None)
        return Block(**d, **ann)

    # -- writing -----------------------------------------------------------

    def put_document(self, doc: Document, replace: bool = False) -> str:
        """Store a document in one transaction. Returns 'added', 'replaced', 'unchanged' or 'conflict'.

        'conflict': another source already holds this id with other content; nothing was written
        (`conflict_source` names it). With `replace`, the newcomer replaces it.
        """
        with self.transaction() as db:
            old = db.execute("SELECT id, sha256, source FROM documents WHERE source = ? OR id = ?", (doc.source, doc.id)).fetchall()
            if any(r["sha256"] == doc.sha256 and r["id"] == doc.id for r in old):
                return "unchanged"
            rival = next((r for r in old if r["id"] == doc.id and r["source"] != doc.source), None)
            if rival is not None and not replace:
                self.conflict_source = rival["source"]
                return "conflict"
            for r in old:
                db.execute("DELETE FROM blocks WHERE doc_id = ?", (r["id"],))
                db.execute("DELETE FROM documents WHERE id = ?", (r["id"],))
            db.execute(
                "INSERT INTO documents(id, source, sha256, format, symbol, title, date, language, languages, body, session,"
                " agenda_item, doc_type, pages, warnings) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (doc.id, doc.source, doc.sha256, doc.format, doc.symbol, doc.title, doc.date, doc.language,
                 json.dumps(doc.languages), doc.body, doc.session, doc.agenda_item, doc.doc_type, doc.pages,
                 json.dumps(doc.warnings, ensure_ascii=False)),
            )
            cites, eids = cite_blocks(doc), element_ids(doc)
            db.executemany(
                "INSERT INTO blocks(id, doc_id, ord, kind, zone, label, label_sep, level, parent, page, language, text, verb,"
                " translation_of, annotations, citation, eid) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                [
                    (b.id, doc.id, b.ord, b.kind, b.zone, b.label, b.label_sep, b.level, b.parent, b.page, b.language, b.text, b.verb,
                     b.translation_of, _annotations_json(b), cites.get(b.id), eids.get(b.id))
                    for b in doc.blocks
                ],
            )
            return "replaced" if old else "added"

    def paragraph_counts(self) -> dict[str, tuple[int, int]]:
        """doc id -> (paragraphs, mandates)."""
        paras = dict(self._db.execute("SELECT doc_id, count(*) FROM blocks GROUP BY doc_id").fetchall())
        mandates = dict(self._db.execute(
            "SELECT doc_id, sum(json_array_length(annotations, '$.mandates')) FROM blocks "
            "WHERE json_type(annotations, '$.mandates') = 'array' GROUP BY doc_id").fetchall())
        return {d: (int(n), int(mandates.get(d) or 0)) for d, n in paras.items()}

    def paragraph_with_date(self, block_id: str) -> Optional[sqlite3.Row]:
        """A paragraph's text, language and document with the document's date (text, language, doc_id, date)."""
        return self._db.execute(
            "SELECT b.text, b.language, b.doc_id, d.date FROM blocks b JOIN documents d ON d.id = b.doc_id WHERE b.id = ?",
            (block_id,)).fetchone()

    def translation_family(self, block_id: str) -> set[str]:
        """The paragraph, the paragraph it translates and its other translations: one text in several languages."""
        return {r[0] for r in self._db.execute(
            "SELECT id FROM blocks WHERE translation_of = ? OR id = (SELECT translation_of FROM blocks WHERE id = ?)",
            (block_id, block_id))}

    def printed_paragraphs_by_source(self) -> Iterator[tuple[str, str, str, Optional[str], Optional[str], str]]:
        """(block id, source path, kind, label, label separator, text) of every block, by source then order."""
        yield from self._db.execute(
            "SELECT b.id, d.source, b.kind, b.label, b.label_sep, b.text FROM blocks b JOIN documents d ON d.id = b.doc_id "
            "ORDER BY d.source, b.ord")

    def document_of(self, block_id: str) -> Optional[str]:
        """The document a paragraph belongs to, or None."""
        row = self._db.execute("SELECT doc_id FROM blocks WHERE id = ?", (block_id,)).fetchone()
        return row[0] if row else None

    def change_key(self) -> tuple:
        """Changes whenever a document is added, replaced or removed (for caches over the whole store)."""
        return tuple(self._db.execute("SELECT count(*), max(ingested_at), total(length(sha256)) FROM documents").fetchone())

    def document_versions(self) -> list[tuple[str, str, str]]:
        """(id, sha256, ingested_at) of every document."""
        return [tuple(r) for r in self._db.execute("SELECT id, sha256, ingested_at FROM documents")]

    def facets(self) -> dict[str, list[str]]:
        """The values the search filters offer: languages, bodies, sessions, document types."""
        def distinct(sql: str) -> list[str]:
            return sorted({r[0] for r in self._db.execute(sql)})

        return {"languages": distinct("SELECT DISTINCT language FROM blocks WHERE language IS NOT NULL"),
                "bodies": distinct("SELECT DISTINCT body FROM documents WHERE body IS NOT NULL"),
                "sessions": distinct("SELECT DISTINCT session FROM documents WHERE session IS NOT NULL"),
                "doc_types": distinct("SELECT DISTINCT doc_type FROM documents WHERE doc_type IS NOT NULL")}

    # -- watch lists -------------------------------------------------------

    def add_watch(self, kind: str, target: str, label: str, state: dict) -> tuple[int, bool]:
        """Keep watching `target`; (id, created). Adding it again changes nothing."""
        with self.transaction() as db:
            row = db.execute("SELECT id FROM watches WHERE kind = ? AND target = ?", (kind, target)).fetchone()
            if row:
                return int(row[0]), False
            cur = db.execute("INSERT INTO watches(kind, target, label, state, seen_at) VALUES (?,?,?,?,strftime('%Y-%m-%dT%H:%M:%SZ','now'))",
                             (kind, target, label, json.dumps(state, ensure_ascii=False)))
            return int(cur.lastrowid), True

    def watches(self) -> list[dict]:
        out = []
        for r in self._db.execute("SELECT * FROM watches ORDER BY id"):
            d = dict(r)
            d["state"] = json.loads(d["state"] or "{}")
            out.append(d)
        return out

    def remove_watch(self, watch_id: int) -> bool:
        with self.transaction() as db:
            return db.execute("DELETE FROM watches WHERE id = ?", (watch_id,)).rowcount > 0

    def mark_watch_seen(self, watch_id: int, state: dict) -> None:
        with self.transaction() as db:
            db.execute("UPDATE watches SET state = ?, seen_at = strftime('%Y-%m-%dT%H:%M:%SZ','now') WHERE id = ?",
                       (json.dumps(state, ensure_ascii=False), watch_id))

    def documents_citing(self, decision_id: str) -> list[str]:
        """Documents with a paragraph that cites the decision or resolution (its normalized id)."""
        return [r[0] for r in self._db.execute(
            "SELECT DISTINCT b.doc_id FROM blocks b, json_each(b.annotations, '$.citations') c "
            "WHERE json_extract(c.value, '$.id') = ? ORDER BY b.doc_id", (decision_id,))]

    def paragraphs_naming(self, entity_id: str) -> list[str]:
        """Paragraphs that name an entity (an extracted actor, initiative, country or target id)."""
        return [r[0] for r in self._db.execute(
            "SELECT DISTINCT b.id FROM blocks b, json_each(b.annotations, '$.entities') e "
            "WHERE json_extract(e.value, '$.id') = ? ORDER BY b.id", (entity_id,))]

    def integrity_ok(self) -> bool:
        return self._db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def _statements(script: str) -> list[str]:
    """The statements of a schema script (executescript would commit on its own, outside the transaction)."""
    out, buf = [], ""
    for line in script.splitlines(keepends=True):
        buf += line
        if sqlite3.complete_statement(buf):
            out.append(buf.strip())
            buf = ""
    if buf.strip():
        out.append(buf.strip())
    return out


def _is_full(exc: sqlite3.Error) -> bool:
    msg = str(exc).lower()
    return "disk is full" in msg or "database or disk is full" in msg or "no space" in msg


def _annotations_json(b: Block) -> str:
    """The block's entities, citations and mandates as one JSON object (only those it has): serialized by pydantic
    in one call, a third of the time of dumping each to Python and encoding that (the parent's part of an ingest)."""
    fields = {k for k in ("entities", "citations", "mandates") if getattr(b, k)}
    return b.model_dump_json(include=fields) if fields else "{}"
