"""The search index's tables in the store, and every statement that reads or writes them.

The search package decides what to index (segmented words, Han runs, languages,
vectors); this module is where those rows live, so that SQL stays in corpus/.

- ``search_docs``: which document version (sha256) is indexed.
- ``search_blocks``: one row per indexed paragraph; its rowid is the FTS rowid and
  the key of the vector index; ``text_hash`` keys the embedding; ``lang`` is the
  language of its prose with links and URLs left out.
- ``search_fts``: FTS5 (BM25) over the segmented text (``body``: precise words,
  ``extra``: shorter sub-words and single Han characters, for recall).
- ``search_rank``: what the ranking reads of each paragraph, one row per search rowid
  written with its FTS row, so that ~300 candidates a query are read by integer key.
- ``search_embeddings``: one vector per (model, text hash), float16.

Every change bumps ``generation`` so cached matrices and ANN files are rebuilt only when needed.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Iterator, Optional, Sequence

from unkg.model import printed_text

from .store import Store

SEARCH_SCHEMA = """
CREATE TABLE IF NOT EXISTS search_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS search_docs (doc_id TEXT PRIMARY KEY, sha256 TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS search_blocks (
    rowid INTEGER PRIMARY KEY,
    block_id TEXT NOT NULL UNIQUE,
    doc_id TEXT NOT NULL,
    text_hash TEXT NOT NULL,
    lang TEXT
);
CREATE INDEX IF NOT EXISTS search_blocks_doc ON search_blocks(doc_id);
CREATE INDEX IF NOT EXISTS search_blocks_hash ON search_blocks(text_hash);
CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5(body, extra, tokenize = 'unicode61 remove_diacritics 2');
-- paragraphs per word (the ranking weighs a query's words by their rarity)
CREATE VIRTUAL TABLE IF NOT EXISTS search_vocab USING fts5vocab(search_fts, 'row');
-- translations are looked up by `translation_of` for every hit; the corpus schema has no index on it
CREATE INDEX IF NOT EXISTS search_blocks_translation_of ON blocks(translation_of);
-- a hit's decision is read from its document's headings: without this the look-up walks every paragraph of the document
CREATE INDEX IF NOT EXISTS search_blocks_heads ON blocks(doc_id, ord) WHERE kind IN ('title', 'heading');
-- what the ranking reads of each indexed paragraph, in one row per search rowid (written with the FTS row):
-- reading it from blocks, documents and the FTS content costs three lookups per candidate (~20 ms a query at 200k)
CREATE TABLE IF NOT EXISTS search_rank (
    rowid INTEGER PRIMARY KEY,
    block_id TEXT NOT NULL,
    doc_id TEXT NOT NULL,
    lang TEXT,
    text_hash TEXT NOT NULL,
    kind TEXT NOT NULL,
    label TEXT,
    parent TEXT,
    translation_of TEXT,
    symbol TEXT,
    body TEXT NOT NULL,
    n_tokens INTEGER NOT NULL,
    han TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS search_embeddings (
    model TEXT NOT NULL,
    text_hash TEXT NOT NULL,
    dim INTEGER NOT NULL,
    vec BLOB NOT NULL,
    PRIMARY KEY (model, text_hash)
) WITHOUT ROWID;
"""


@dataclass
class IndexedParagraph:
    """One paragraph as the search index stores it (its FTS row and its ranking row)."""

    block_id: str
    text_hash: str
    lang: Optional[str]
    body: str
    extra: str
    kind: str
    label: Optional[str]
    parent: Optional[str]
    translation_of: Optional[str]
    han: str


class SearchTables:
    """Typed reads and writes of the search tables of one store."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._db: sqlite3.Connection = store._db
        store.create_schema(SEARCH_SCHEMA)  # all or none of the tables; a full disk is StoreFull
        # SQL reads a paragraph as printed through the model's own function
        self._db.create_function("unkg_printed", 3, printed_text, deterministic=True)

    # -- bookkeeping ----------------------------------------------------------

    def meta(self, key: str) -> Optional[str]:
        row = self._db.execute("SELECT value FROM search_meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def restart(self, indexed_text: str) -> None:
        """Forget which documents are indexed (they are indexed again) under a new indexed-text version."""
        with self._store.transaction() as db:
            db.execute("DELETE FROM search_docs")
            db.execute("INSERT INTO search_meta(key, value) VALUES ('indexed_text', ?) "
                       "ON CONFLICT(key) DO UPDATE SET value = excluded.value", (indexed_text,))
            _bump(db)

    def new_generation(self) -> None:
        """Mark the index changed (caches keyed by its generation are rebuilt)."""
        with self._store.transaction() as db:
            _bump(db)

    def generation(self) -> int:
        value = self.meta("generation")
        return int(value) if value else 0

    def document_versions(self) -> dict[str, str]:
        """Stored documents: id -> sha256."""
        return {r[0]: r[1] for r in self._db.execute("SELECT id, sha256 FROM documents")}

    def indexed_versions(self) -> dict[str, str]:
        """Indexed documents: id -> the sha256 that was indexed."""
        return {r[0]: r[1] for r in self._db.execute("SELECT doc_id, sha256 FROM search_docs")}

    def missing_embeddings(self, model: str) -> int:
        return self._db.execute(
            "SELECT count(DISTINCT sb.text_hash) FROM search_blocks sb LEFT JOIN search_embeddings e "
            "ON e.model = ? AND e.text_hash = sb.text_hash WHERE e.text_hash IS NULL",
            (model,),
        ).fetchone()[0]

    def vector_count(self, model: str) -> int:
        """Texts with a vector of `model`."""
        return self._db.execute("SELECT count(*) FROM search_embeddings WHERE model = ?", (model,)).fetchone()[0]

    def stored_paragraph_counts(self) -> dict[str, int]:
        """Stored document id -> its paragraphs (what indexing them will read)."""
        return {r[0]: r[1] for r in self._db.execute("SELECT doc_id, count(*) FROM blocks GROUP BY doc_id")}

    def paragraph_count(self) -> int:
        return self._db.execute("SELECT count(*) FROM search_blocks").fetchone()[0]

    def rank_row_count(self) -> int:
        return self._db.execute("SELECT count(*) FROM search_rank").fetchone()[0]

    def stats(self) -> dict:
        return {
            "documents": self._db.execute("SELECT count(*) FROM search_docs").fetchone()[0],
            "paragraphs": self.paragraph_count(),
            "embeddings": {m: n for m, n in self._db.execute("SELECT model, count(*) FROM search_embeddings GROUP BY model")},
            "generation": self.generation(),
        }

    # -- lexical --------------------------------------------------------------

    def drop_documents(self, doc_ids: Sequence[str]) -> None:
        """Remove documents from the index, in one transaction."""
        with self._store.transaction() as db:
            for doc_id in doc_ids:
                db.execute("DELETE FROM search_fts WHERE rowid IN (SELECT rowid FROM search_blocks WHERE doc_id = ?)", (doc_id,))
                db.execute("DELETE FROM search_rank WHERE rowid IN (SELECT rowid FROM search_blocks WHERE doc_id = ?)", (doc_id,))
                db.execute("DELETE FROM search_blocks WHERE doc_id = ?", (doc_id,))
                db.execute("DELETE FROM search_docs WHERE doc_id = ?", (doc_id,))
            _bump(db)

    def index_document(self, doc_id: str, prepare: Callable[[sqlite3.Row], Optional[IndexedParagraph]]) -> Optional[int]:
        """Index one document in one transaction: `prepare` turns each stored paragraph (id, text, printed,
        language, kind, label, parent, translation_of) into its index rows (None: not indexed). Returns the
        paragraphs indexed, None when the document is gone."""
        with self._store.transaction() as db:
            doc = db.execute("SELECT sha256, symbol FROM documents WHERE id = ?", (doc_id,)).fetchone()
            if doc is None:  # removed meanwhile
                return None
            blocks = db.execute("SELECT id, text, unkg_printed(label, label_sep, coalesce(text, '')) AS printed, language, "
                                "kind, label, parent, translation_of FROM blocks WHERE doc_id = ? AND zone != 'garbled' ORDER BY ord",
                                (doc_id,)).fetchall()  # garbled text (broken font maps) is kept out of search
            n = 0
            for b in blocks:
                p = prepare(b)
                if p is None:
                    continue
                rowid = db.execute(
                    "INSERT INTO search_blocks(block_id, doc_id, text_hash, lang) VALUES (?, ?, ?, ?) "
                    "ON CONFLICT(block_id) DO UPDATE SET doc_id = excluded.doc_id, text_hash = excluded.text_hash, "
                    "lang = excluded.lang RETURNING rowid",
                    (p.block_id, doc_id, p.text_hash, p.lang),
                ).fetchone()[0]
                db.execute("DELETE FROM search_fts WHERE rowid = ?", (rowid,))
                db.execute("INSERT INTO search_fts(rowid, body, extra) VALUES (?, ?, ?)", (rowid, p.body, p.extra))
                db.execute("INSERT OR REPLACE INTO search_rank(rowid, block_id, doc_id, lang, text_hash, kind, label, parent, "
                           "translation_of, symbol, body, n_tokens, han) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                           (rowid, p.block_id, doc_id, p.lang, p.text_hash, p.kind, p.label, p.parent, p.translation_of,
                            doc["symbol"], p.body, len(p.body.split()), p.han))
                n += 1
            db.execute(
                "INSERT INTO search_docs(doc_id, sha256) VALUES (?, ?) ON CONFLICT(doc_id) DO UPDATE SET sha256 = excluded.sha256",
                (doc_id, doc["sha256"]),
            )
            _bump(db)
            return n

    def fill_rank_rows(self, han_of: Callable[[str], str]) -> None:
        """Ranking rows for paragraphs indexed before the table existed (read from the tables the ranking read
        before); `han_of(printed text)` gives the runs of Han characters."""
        if self.rank_row_count() >= self.paragraph_count():
            return
        with self._store.transaction() as db:
            rows = db.execute(
                "SELECT sb.rowid, sb.block_id, sb.doc_id, coalesce(sb.lang, b.language), sb.text_hash, b.kind, b.label, b.parent, "
                "b.translation_of, d.symbol, f.body, unkg_printed(b.label, b.label_sep, coalesce(b.text, '')) FROM search_blocks sb "
                "JOIN blocks b ON b.id = sb.block_id JOIN documents d ON d.id = b.doc_id JOIN search_fts f ON f.rowid = sb.rowid "
                "WHERE sb.rowid NOT IN (SELECT rowid FROM search_rank)").fetchall()
            db.executemany("INSERT INTO search_rank(rowid, block_id, doc_id, lang, text_hash, kind, label, parent, translation_of, "
                           "symbol, body, n_tokens, han) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                           [(*r[:5], r[5] or "", *r[6:10], r[10] or "", len((r[10] or "").split()), han_of(r[11])) for r in rows])

    def fts_rows(self) -> Iterator[tuple[int, str, str]]:
        """(rowid, body, extra) of every indexed paragraph, by rowid (what the BM25 matrix is built from)."""
        yield from self._db.execute("SELECT rowid, body, extra FROM search_fts ORDER BY rowid")

    # -- dense ----------------------------------------------------------------

    def texts_without_vector(self, model: str) -> list[tuple[str, str]]:
        """(text hash, one paragraph id holding that text) for every indexed text without a vector of `model`."""
        return [tuple(r) for r in self._db.execute(
            "SELECT sb.text_hash, min(sb.block_id) FROM search_blocks sb LEFT JOIN search_embeddings e "
            "ON e.model = ? AND e.text_hash = sb.text_hash WHERE e.text_hash IS NULL GROUP BY sb.text_hash",
            (model,),
        )]

    def hashes_with_vector(self, model: str, hashes: Sequence[str]) -> set[str]:
        """Which of these text hashes already have a vector of `model`."""
        out: set[str] = set()
        for chunk in _chunks(list(hashes)):
            out.update(r[0] for r in self._db.execute(
                f"SELECT text_hash FROM search_embeddings WHERE model = ? AND text_hash IN ({_marks(chunk)})", [model, *chunk]))
        return out

    def printed(self, block_id: str) -> Optional[str]:
        """A paragraph as printed (label included)."""
        r = self._db.execute("SELECT unkg_printed(label, label_sep, coalesce(text, '')) FROM blocks WHERE id = ?",
                             (block_id,)).fetchone()
        return r[0] if r else None

    def put_vectors(self, model: str, items: Iterable[tuple[str, int, bytes]]) -> None:
        """Store (text hash, dimension, float16 bytes) vectors of `model`, in one transaction."""
        with self._store.transaction() as db:
            db.executemany("INSERT OR REPLACE INTO search_embeddings(model, text_hash, dim, vec) VALUES (?, ?, ?, ?)",
                           [(model, h, dim, vec) for h, dim, vec in items])

    def text_vectors(self, model: str) -> list[tuple[str, Optional[str], bytes]]:
        """(text hash, language of one paragraph holding it, float16 bytes) of every indexed text with a vector of
        `model`, one row per distinct text."""
        return self._db.execute(
            "SELECT e.text_hash, min(sb.lang), e.vec FROM search_embeddings e JOIN search_blocks sb "
            "ON sb.text_hash = e.text_hash WHERE e.model = ? GROUP BY e.text_hash ORDER BY e.text_hash",
            (model,),
        ).fetchall()

    def vectors(self, model: str) -> list[tuple[int, bytes]]:
        """(search rowid, float16 bytes) of every indexed paragraph with a vector of `model`, by rowid."""
        return self._db.execute(
            "SELECT sb.rowid, e.vec FROM search_blocks sb JOIN search_embeddings e "
            "ON e.model = ? AND e.text_hash = sb.text_hash ORDER BY sb.rowid",
            (model,),
        ).fetchall()


def _bump(db: sqlite3.Connection) -> None:
    db.execute(
        "INSERT INTO search_meta(key, value) VALUES ('generation', '1') "
        "ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + 1"
    )


# -- reads for the ranking and the hits ------------------------------------------------------------

#: the columns of a hit: its paragraph and its document (`rowid` is the search rowid)
HIT_COLUMNS = (
    "b.id AS id, b.doc_id AS doc_id, b.ord AS ord, b.kind AS kind, b.label AS label, b.label_sep AS label_sep, "
    "b.language AS language, b.text AS text, b.parent AS parent, b.translation_of AS translation_of, "
    "b.annotations AS annotations, b.citation AS citation, d.symbol AS symbol, d.title AS title, d.date AS date, d.body AS body, "
    "d.session AS session, d.doc_type AS doc_type"
)

#: the per-rowid values the ranking may ask for (constant SQL expressions, never user text)
_ROW_VALUES = {"lang": "coalesce(sb.lang, b.language)", "text": "unkg_printed(b.label, b.label_sep, b.text)"}


def paragraph_filter(language=None, doc_type=None, body=None, session=None, kind=None, actor=None, verb=None,
                     symbol=None) -> tuple[str, list]:
    """A WHERE clause over blocks b and documents d for the search filters, with its parameters (values are
    never inlined); a list means any of these values."""
    parts: list[str] = []
    params: list = []

    def any_of(expr: str, value) -> None:
        vals = [value] if isinstance(value, str) else list(value)
        vals = [v for v in vals if v not in (None, "")]
        if vals:
            parts.append(f"lower({expr}) IN ({','.join('?' * len(vals))})")
            params.extend(v.lower() for v in vals)

    if language:
        any_of("b.language", language)
    if doc_type:
        any_of("d.doc_type", doc_type)
    if body:
        vals = [body] if isinstance(body, str) else list(body)
        parts.append("(" + " OR ".join("lower(d.body) LIKE ?" for _ in vals) + ")")
        params.extend(f"%{v.lower()}%" for v in vals)
    if session:
        any_of("d.session", session)
    if kind:
        any_of("b.kind", kind)
    if symbol:
        parts.append("d.symbol = ?")
        params.append(symbol)
    if verb:
        v = verb.lower()
        parts.append(
            "(lower(b.verb) = ? OR EXISTS (SELECT 1 FROM json_each(b.annotations, '$.mandates') m "
            "WHERE lower(json_extract(m.value, '$.verb')) = ? OR lower(json_extract(m.value, '$.verb_en')) = ?))"
        )
        params.extend([v, v, v])
    if actor:
        a = f"%{actor.lower()}%"
        parts.append(
            "(EXISTS (SELECT 1 FROM json_each(b.annotations, '$.entities') e "
            "WHERE json_extract(e.value, '$.type') = 'actor' AND (lower(json_extract(e.value, '$.id')) LIKE ? "
            "OR lower(json_extract(e.value, '$.name')) LIKE ? OR lower(json_extract(e.value, '$.text')) LIKE ?)) "
            "OR EXISTS (SELECT 1 FROM json_each(b.annotations, '$.mandates') m, json_each(m.value, '$.addressees') ad "
            "WHERE lower(ad.value) LIKE ?))"
        )
        params.extend([a, a, a, a])
    return (" AND ".join(parts) if parts else "1"), params


def _chunks(items: Sequence, size: int = 500) -> Iterator[Sequence]:
    """SQLite's parameter limit: look many keys up 500 at a time."""
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _marks(chunk: Sequence) -> str:
    return ",".join("?" * len(chunk))


class SearchReads:
    """The reads a search makes per query (filters, lexical matches, candidates, hits, translations)."""

    def __init__(self, store: Store) -> None:
        self._db: sqlite3.Connection = store._db

    def allowed_rowids(self, filters: dict) -> list[int]:
        """The search rowids the filters (`paragraph_filter` fields) let through, ascending."""
        clause, params = paragraph_filter(**filters)
        return [r[0] for r in self._db.execute(
            "SELECT sb.rowid FROM search_blocks sb JOIN blocks b ON b.id = sb.block_id JOIN documents d ON d.id = b.doc_id "
            f"WHERE {clause} ORDER BY sb.rowid", params)]

    def fts_top(self, match: str, limit: int) -> list[tuple[int, float]]:
        """(rowid, BM25 score, higher is better) of the best `limit` FTS5 matches; no join before the sort, so
        only the winners are looked up. sqlite3.OperationalError for a query FTS5 cannot parse."""
        return [(r[0], -float(r[1])) for r in self._db.execute(
            "SELECT rowid, bm25(search_fts, 1.0, 0.3) AS s FROM search_fts WHERE search_fts MATCH ? ORDER BY s LIMIT ?",
            (match, limit))]

    def fts_filtered(self, match: str, filters: dict, limit: int) -> list[tuple[int, float, Optional[str]]]:
        """(rowid, BM25 score, content language) of the best `limit` FTS5 matches the filters let through."""
        clause, params = paragraph_filter(**filters)
        sql = (
            "SELECT f.rowid, bm25(search_fts, 1.0, 0.3) AS s, coalesce(sb.lang, b.language) FROM search_fts f "
            "JOIN search_blocks sb ON sb.rowid = f.rowid JOIN blocks b ON b.id = sb.block_id "
            "JOIN documents d ON d.id = b.doc_id "
            f"WHERE search_fts MATCH ? AND {clause} ORDER BY s LIMIT ?"
        )
        return [(r[0], -float(r[1]), r[2]) for r in self._db.execute(sql, [match, *params, limit])]

    def vocab_doc_freq(self, term: str) -> int:
        """Paragraphs holding an indexed word (either column)."""
        row = self._db.execute("SELECT doc FROM search_vocab WHERE term = ?", (term,)).fetchone()
        return int(row[0]) if row else 0

    def rank_rows(self, rowids: Sequence[int]) -> list[tuple]:
        """The ranking rows (rowid, block_id, doc_id, lang, kind, label, han, body, parent, translation_of,
        text_hash, symbol, n_tokens) of these search rowids."""
        out: list[tuple] = []
        for chunk in _chunks(rowids):
            out += self._db.execute(
                "SELECT rowid, block_id, doc_id, lang, kind, label, han, body, parent, translation_of, text_hash, symbol, n_tokens "
                f"FROM search_rank WHERE rowid IN ({_marks(chunk)})", chunk).fetchall()
        return out

    def rank_rows_unstored(self, rowids: Sequence[int]) -> list[tuple]:
        """For an index written before `search_rank` existed: (rowid, block_id, doc_id, lang, kind, label,
        label_sep, text, body, parent, translation_of, text_hash, symbol) from blocks, documents and the FTS content."""
        out: list[tuple] = []
        for chunk in _chunks(rowids):
            out += self._db.execute(
                "SELECT sb.rowid, sb.block_id, sb.doc_id, coalesce(sb.lang, b.language), b.kind, "
                "b.label, b.label_sep, b.text, f.body, b.parent, b.translation_of, sb.text_hash, d.symbol "
                "FROM search_blocks sb JOIN blocks b ON b.id = sb.block_id JOIN documents d ON d.id = b.doc_id "
                f"JOIN search_fts f ON f.rowid = sb.rowid WHERE sb.rowid IN ({_marks(chunk)})", chunk).fetchall()
        return out

    def first_paragraphs_under(self, parents: Sequence[str], n: int) -> dict[str, list[int]]:
        """The search rowids of the first `n` paragraphs (not headings) under each heading, in document order."""
        out: dict[str, list[int]] = {}
        for chunk in _chunks(parents):
            for parent, rowid in self._db.execute(
                "SELECT b.parent, sb.rowid FROM blocks b JOIN search_blocks sb ON sb.block_id = b.id "
                f"WHERE b.parent IN ({_marks(chunk)}) AND b.kind NOT IN ('heading', 'title') ORDER BY b.parent, b.ord",
                chunk,
            ):
                lst = out.setdefault(parent, [])
                if len(lst) < n:
                    lst.append(rowid)
        return out

    def block(self, block_id: str) -> Optional[sqlite3.Row]:
        """(kind, label, label_sep, text) of one paragraph."""
        return self._db.execute("SELECT kind, label, label_sep, text FROM blocks WHERE id = ?", (block_id,)).fetchone()

    def row_values(self, rowids: Sequence[int], column: str) -> dict[int, Any]:
        """One value ("lang": the content language, "text": the printed text) for many search rowids."""
        expr = _ROW_VALUES[column]
        out: dict[int, Any] = {}
        for chunk in _chunks(rowids):
            for r, v in self._db.execute(
                f"SELECT sb.rowid, {expr} FROM search_blocks sb JOIN blocks b ON b.id = sb.block_id "
                f"WHERE sb.rowid IN ({_marks(chunk)})", chunk):
                out[r] = v
        return out

    def hit_rows(self, rowids: Sequence[int]) -> dict[int, sqlite3.Row]:
        """The hit columns (HIT_COLUMNS, and `rowid`) of these search rowids."""
        out: dict[int, sqlite3.Row] = {}
        for chunk in _chunks(list(rowids)):
            for row in self._db.execute(
                f"SELECT sb.rowid AS rowid, {HIT_COLUMNS} FROM search_blocks sb JOIN blocks b ON b.id = sb.block_id "
                f"JOIN documents d ON d.id = b.doc_id WHERE sb.rowid IN ({_marks(chunk)})", chunk):
                out[row["rowid"]] = row
        return out

    def _paragraphs(self, where: str, params: Sequence) -> list[sqlite3.Row]:
        return self._db.execute(
            f"SELECT b.rowid AS rowid, {HIT_COLUMNS} FROM blocks b JOIN documents d ON d.id = b.doc_id WHERE {where}",
            params).fetchall()

    def translation_links(self, block_id: str, translation_of: Optional[str]) -> list[sqlite3.Row]:
        """Paragraphs linked to this one by `translation_of` (its source, the paragraphs translating it, and the
        other translations of its source), the paragraph itself included; hit columns."""
        rows = self._paragraphs("b.translation_of = ? OR b.id = ?", (block_id, translation_of or ""))
        if translation_of:
            rows += self._paragraphs("b.translation_of = ? AND b.id != ?", (translation_of, block_id))
        return rows

    def other_versions(self, symbol: str, doc_id: str, language: Optional[str]) -> list[str]:
        """The ids of the documents with the same symbol in another (or no) language."""
        return [r[0] for r in self._db.execute(
            "SELECT id FROM documents WHERE symbol = ? AND id != ? AND (language IS NULL OR language != ?)",
            (symbol, doc_id, language or ""))]

    def label_rank(self, doc_id: str, label: str, ord_: int) -> int:
        """How many paragraphs of the document before position `ord_` carry this label."""
        return self._db.execute("SELECT count(*) FROM blocks WHERE doc_id = ? AND label = ? AND ord < ?",
                                (doc_id, label, ord_)).fetchone()[0]

    def paragraph_by_label(self, doc_id: str, label: str, nth: int) -> Optional[sqlite3.Row]:
        """The document's `nth` paragraph (from 0) carrying this label; hit columns."""
        rows = self._paragraphs("b.doc_id = ? AND b.label = ? ORDER BY b.ord LIMIT 1 OFFSET ?", (doc_id, label, nth))
        return rows[0] if rows else None

    def headings(self, doc_id: str) -> list[tuple[int, str]]:
        """(ord, text) of the document's titles and headings, in order."""
        return [(r[0], r[1]) for r in self._db.execute(
            "SELECT ord, text FROM blocks WHERE doc_id = ? AND kind IN ('title', 'heading') ORDER BY ord", (doc_id,))]
