"""Search tables kept in the store's SQLite file, next to `documents` and `blocks`.

- ``search_docs``: which document version (sha256) is indexed.
- ``search_blocks``: one row per indexed paragraph; its rowid is the FTS rowid and
  the key of the vector index; ``text_hash`` keys the embedding; ``lang`` is the
  language of its prose with links and URLs left out (a Chinese sentence quoting
  an English URL is Chinese), used to decide which words count as evidence.
- ``search_fts``: FTS5 (BM25) over the segmented text (``body``: precise words,
  ``extra``: jieba's shorter sub-words and single Han characters, for recall).
- ``search_rank``: what the ranking reads of each paragraph (kind, label, section and
  translation links, symbol, indexed words and their count, the runs of Han characters),
  one row per search rowid written with its FTS row, so that ~300 candidates a query are
  read by integer key rather than through blocks, documents and the FTS content.
- ``search_embeddings``: one vector per (model, text hash), float16: a text is
  embedded once, however many paragraphs repeat it and however often it is re-ingested.

Indexing is incremental: documents added or replaced since the last run are
indexed, removed ones dropped; every change bumps ``generation`` so cached
vector matrices and ANN files are rebuilt only when needed.
"""

from __future__ import annotations

import sqlite3
import time
import unicodedata
from dataclasses import dataclass
from typing import Callable, Optional

import numpy as np

from unkg.corpus.store import Store

from unkg.model import printed_text

from .encoders import Encoder
from .text import _HAN_RUN, content_language, normalise, segment, subwords, text_hash

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


# what a paragraph is indexed by: its printed form, label included ("1.1.3. Reporting process"), so that
# headings that differ only by their number stay apart and a quoted label matches
INDEXED_TEXT = "printed-v2-han-pairs"

# the most characters of one paragraph the FTS index reads: ingest cuts paragraphs at 5,000
# (ingest/bounds.py); this guards stores made before that bound, whose one-line files would
# otherwise be segmented whole
MAX_FTS_CHARS = 20000


@dataclass
class IndexReport:
    documents_indexed: int = 0
    documents_dropped: int = 0
    paragraphs_indexed: int = 0
    texts_embedded: int = 0
    lexical_s: float = 0.0
    embed_s: float = 0.0

    def as_dict(self) -> dict:
        return dict(self.__dict__)


class SearchIndex:
    """The search tables of one store."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.db: sqlite3.Connection = store.db
        store.create_schema(SEARCH_SCHEMA)  # all or none of the tables; a full disk is StoreFull
        # SQL reads a paragraph as printed through the model's own function
        self.db.create_function("unkg_printed", 3, printed_text, deterministic=True)
        self._upgrade()

    def _upgrade(self) -> None:
        """An index made by an older version (other indexed text) is redone: documents re-indexed, texts re-embedded as needed."""
        row = self.db.execute("SELECT value FROM search_meta WHERE key = 'indexed_text'").fetchone()
        if row and row[0] == INDEXED_TEXT:
            return
        with self.store.transaction() as db:
            db.execute("DELETE FROM search_docs")
            db.execute("INSERT INTO search_meta(key, value) VALUES ('indexed_text', ?) "
                       "ON CONFLICT(key) DO UPDATE SET value = excluded.value", (INDEXED_TEXT,))
            self._bump(db)

    # -- bookkeeping ----------------------------------------------------------

    def generation(self) -> int:
        row = self.db.execute("SELECT value FROM search_meta WHERE key = 'generation'").fetchone()
        return int(row[0]) if row else 0

    def _bump(self, db: sqlite3.Connection) -> None:
        db.execute(
            "INSERT INTO search_meta(key, value) VALUES ('generation', '1') "
            "ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + 1"
        )

    def pending_documents(self) -> tuple[list[str], list[str]]:
        """(documents to index, documents to drop)."""
        current = {r[0]: r[1] for r in self.db.execute("SELECT id, sha256 FROM documents")}
        indexed = {r[0]: r[1] for r in self.db.execute("SELECT doc_id, sha256 FROM search_docs")}
        to_drop = [d for d, sha in indexed.items() if current.get(d) != sha]
        to_add = [d for d, sha in current.items() if indexed.get(d) != sha]
        return sorted(to_add), sorted(to_drop)

    def missing_embeddings(self, model: str) -> int:
        return self.db.execute(
            "SELECT count(DISTINCT sb.text_hash) FROM search_blocks sb LEFT JOIN search_embeddings e "
            "ON e.model = ? AND e.text_hash = sb.text_hash WHERE e.text_hash IS NULL",
            (model,),
        ).fetchone()[0]

    def is_current(self, model: Optional[str]) -> bool:
        add, drop = self.pending_documents()
        if add or drop or not self.rank_rows_complete():
            return False
        return model is None or self.missing_embeddings(model) == 0

    # -- lexical --------------------------------------------------------------

    def sync_lexical(self, on_progress: Optional[Callable[[int, int], None]] = None) -> IndexReport:
        rep = IndexReport()
        t0 = time.perf_counter()
        to_add, to_drop = self.pending_documents()
        if to_drop:
            with self.store.transaction() as db:
                for doc_id in to_drop:
                    db.execute("DELETE FROM search_fts WHERE rowid IN (SELECT rowid FROM search_blocks WHERE doc_id = ?)", (doc_id,))
                    db.execute("DELETE FROM search_rank WHERE rowid IN (SELECT rowid FROM search_blocks WHERE doc_id = ?)", (doc_id,))
                    db.execute("DELETE FROM search_blocks WHERE doc_id = ?", (doc_id,))
                    db.execute("DELETE FROM search_docs WHERE doc_id = ?", (doc_id,))
                self._bump(db)
            rep.documents_dropped = len(to_drop)
        for i, doc_id in enumerate(to_add):
            with self.store.transaction() as db:
                row = db.execute("SELECT sha256, symbol FROM documents WHERE id = ?", (doc_id,)).fetchone()
                if row is None:  # removed meanwhile
                    continue
                blocks = db.execute("SELECT id, text, unkg_printed(label, label_sep, coalesce(text, '')) AS printed, language, "
                                    "kind, label, parent, translation_of FROM blocks WHERE doc_id = ? ORDER BY ord", (doc_id,)).fetchall()
                for b in blocks:
                    if not (b["text"] or "").strip():
                        continue
                    text = b["printed"][:MAX_FTS_CHARS]
                    thash, lang = text_hash(text), content_language(text, b["language"]) or b["language"]
                    cur = db.execute(
                        "INSERT INTO search_blocks(block_id, doc_id, text_hash, lang) VALUES (?, ?, ?, ?) "
                        "ON CONFLICT(block_id) DO UPDATE SET doc_id = excluded.doc_id, text_hash = excluded.text_hash, "
                        "lang = excluded.lang RETURNING rowid",
                        (b["id"], doc_id, thash, lang),
                    )
                    rowid = cur.fetchone()[0]
                    body = segment(text)
                    db.execute("DELETE FROM search_fts WHERE rowid = ?", (rowid,))
                    db.execute("INSERT INTO search_fts(rowid, body, extra) VALUES (?, ?, ?)", (rowid, body, " ".join(subwords(text))))
                    db.execute("INSERT OR REPLACE INTO search_rank(rowid, block_id, doc_id, lang, text_hash, kind, label, parent, "
                               "translation_of, symbol, body, n_tokens, han) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                               (rowid, b["id"], doc_id, lang, thash, b["kind"] or "", b["label"], b["parent"], b["translation_of"],
                                row["symbol"], body, len(body.split()), han_runs(b["printed"])))
                    rep.paragraphs_indexed += 1
                db.execute(
                    "INSERT INTO search_docs(doc_id, sha256) VALUES (?, ?) ON CONFLICT(doc_id) DO UPDATE SET sha256 = excluded.sha256",
                    (doc_id, row["sha256"]),
                )
                self._bump(db)
            rep.documents_indexed += 1
            if on_progress:
                on_progress(i + 1, len(to_add))
        self._fill_rank_rows()
        rep.lexical_s = time.perf_counter() - t0
        return rep

    def rank_rows_complete(self) -> bool:
        return self.db.execute("SELECT count(*) FROM search_rank").fetchone()[0] >= self.paragraph_count()

    def _fill_rank_rows(self) -> None:
        """Ranking rows for paragraphs indexed before the table existed (read from the tables the ranking read before)."""
        if self.rank_rows_complete():
            return
        with self.store.transaction() as db:
            rows = db.execute(
                "SELECT sb.rowid, sb.block_id, sb.doc_id, coalesce(sb.lang, b.language), sb.text_hash, b.kind, b.label, b.parent, "
                "b.translation_of, d.symbol, f.body, unkg_printed(b.label, b.label_sep, coalesce(b.text, '')) FROM search_blocks sb "
                "JOIN blocks b ON b.id = sb.block_id JOIN documents d ON d.id = b.doc_id JOIN search_fts f ON f.rowid = sb.rowid "
                "WHERE sb.rowid NOT IN (SELECT rowid FROM search_rank)").fetchall()
            db.executemany("INSERT INTO search_rank(rowid, block_id, doc_id, lang, text_hash, kind, label, parent, translation_of, "
                           "symbol, body, n_tokens, han) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                           [(*r[:5], r[5] or "", *r[6:10], r[10] or "", len((r[10] or "").split()), han_runs(r[11])) for r in rows])

    # -- dense ----------------------------------------------------------------

    def sync_embeddings(self, encoder: Encoder, batch: int = 2048,
                        on_progress: Optional[Callable[[int, int], None]] = None) -> tuple[int, float]:
        """Embed every distinct paragraph text that has no vector for this model yet. Returns (texts, seconds)."""
        t0 = time.perf_counter()
        rows = self.db.execute(
            "SELECT sb.text_hash, min(sb.block_id) FROM search_blocks sb LEFT JOIN search_embeddings e "
            "ON e.model = ? AND e.text_hash = sb.text_hash WHERE e.text_hash IS NULL GROUP BY sb.text_hash",
            (encoder.name,),
        ).fetchall()
        done = 0
        for i in range(0, len(rows), batch):
            chunk = rows[i : i + batch]
            texts = []
            for h, block_id in chunk:
                r = self.db.execute("SELECT unkg_printed(label, label_sep, coalesce(text, '')) FROM blocks WHERE id = ?",
                                    (block_id,)).fetchone()
                texts.append(normalise(r[0]) if r else "")
            vecs = encoder.encode(texts).astype(np.float16)
            with self.store.transaction() as db:
                db.executemany(
                    "INSERT OR REPLACE INTO search_embeddings(model, text_hash, dim, vec) VALUES (?, ?, ?, ?)",
                    [(encoder.name, h, vecs.shape[1], vecs[j].tobytes()) for j, (h, _) in enumerate(chunk)],
                )
            done += len(chunk)
            if on_progress:
                on_progress(done, len(rows))
        return done, time.perf_counter() - t0

    def sync(self, encoder: Optional[Encoder] = None,
             on_progress: Optional[Callable[[str, int, int], None]] = None) -> IndexReport:
        rep = self.sync_lexical(on_progress=(lambda d, n: on_progress("lexical", d, n)) if on_progress else None)
        if encoder is not None:
            rep.texts_embedded, rep.embed_s = self.sync_embeddings(
                encoder, on_progress=(lambda d, n: on_progress("embeddings", d, n)) if on_progress else None)
        return rep

    def paragraph_count(self) -> int:
        return self.db.execute("SELECT count(*) FROM search_blocks").fetchone()[0]

    def load_vectors(self, model: str) -> tuple[np.ndarray, np.ndarray]:
        """(rowids int64 ascending, vectors float16 (n, dim)) of every indexed paragraph with a vector."""
        rows = self.db.execute(
            "SELECT sb.rowid, e.vec FROM search_blocks sb JOIN search_embeddings e "
            "ON e.model = ? AND e.text_hash = sb.text_hash ORDER BY sb.rowid",
            (model,),
        ).fetchall()
        if not rows:
            return np.zeros(0, dtype=np.int64), np.zeros((0, 0), dtype=np.float16)
        ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
        vecs = np.frombuffer(b"".join(r[1] for r in rows), dtype=np.float16).reshape(len(rows), -1)
        return ids, vecs

    def stats(self) -> dict:
        return {
            "documents": self.db.execute("SELECT count(*) FROM search_docs").fetchone()[0],
            "paragraphs": self.db.execute("SELECT count(*) FROM search_blocks").fetchone()[0],
            "embeddings": {m: n for m, n in self.db.execute("SELECT model, count(*) FROM search_embeddings GROUP BY model")},
            "generation": self.generation(),
        }


def han_runs(printed: str) -> str:
    """The paragraph's runs of Han characters (NFKC), one a line: a Chinese word or name is in the printed text
    exactly when it is in one of these, which is all the ranking looks up in the text itself."""
    return "\n".join(_HAN_RUN.findall(unicodedata.normalize("NFKC", printed or "")))
