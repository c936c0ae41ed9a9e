"""The search index of the store: what each paragraph is indexed by, kept in the tables of
`corpus.search_index` (FTS5 words, the ranking row, one vector per distinct text).

- words: the printed paragraph segmented (``body``: precise words; ``extra``: jieba's shorter
  sub-words, single Han characters and character pairs, for recall);
- ``lang``: the language of its prose with links and URLs left out (a Chinese sentence quoting
  an English URL is Chinese), used to decide which words count as evidence;
- the runs of Han characters, where the ranking looks Chinese words up whatever the segmenter cut;
- vectors: one per (model, text hash), float16: a text is embedded once, however many paragraphs
  repeat it and however often it is re-ingested.

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

from unkg.corpus.search_index import IndexedParagraph, SearchTables
from unkg.corpus.store import Store

from .embed_pool import EmbedPool
from .encoders import Encoder
from .text import _HAN_RUN, content_language, normalise, segment, subwords, text_hash

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
    """The search index of one store: what to index (words, Han runs, languages, vectors); its tables are
    corpus.search_index's."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.tables = SearchTables(store)
        self._upgrade()

    def _upgrade(self) -> None:
        """An index made by an older version (other indexed text) is redone: documents re-indexed, texts re-embedded as needed."""
        if self.tables.meta("indexed_text") != INDEXED_TEXT:
            self.tables.restart(INDEXED_TEXT)

    # -- bookkeeping ----------------------------------------------------------

    def generation(self) -> int:
        return self.tables.generation()

    def pending_documents(self) -> tuple[list[str], list[str]]:
        """(documents to index, documents to drop)."""
        current = self.tables.document_versions()
        indexed = self.tables.indexed_versions()
        to_drop = [d for d, sha in indexed.items() if current.get(d) != sha]
        to_add = [d for d, sha in current.items() if indexed.get(d) != sha]
        return sorted(to_add), sorted(to_drop)

    def missing_embeddings(self, model: str) -> int:
        return self.tables.missing_embeddings(model)

    def is_current(self, model: Optional[str]) -> bool:
        add, drop = self.pending_documents()
        if add or drop or not self.rank_rows_complete():
            return False
        return model is None or self.missing_embeddings(model) == 0

    # -- lexical and dense, together ------------------------------------------

    def sync_lexical(self, on_progress: Optional[Callable[[int, int], None]] = None) -> IndexReport:
        return self.sync(on_progress=(lambda stage, d, n: on_progress(d, n)) if on_progress else None)

    def rank_rows_complete(self) -> bool:
        return self.tables.rank_row_count() >= self.paragraph_count()

    def sync(self, encoder: Optional[Encoder] = None, on_progress: Optional[Callable[[str, int, int], None]] = None,
             workers: Optional[int] = None, parallel_from: int = 1500, start_early: bool = True) -> IndexReport:
        """Index the documents added or changed since the last run, drop the removed ones, and embed every text
        without a vector of `encoder`. The texts of each indexed document go to the encoder processes as soon as
        its words are written (search.embed_pool), so segmentation, FTS writes and embedding run at the same time;
        a text is embedded once however many paragraphs hold it. `on_progress(stage, done, total)`: "lexical"
        counts paragraphs, "embeddings" texts (its total grows while documents are read). `workers` encoder processes
        (default: one per core) start once `parallel_from` texts are waiting; fewer are embedded here. With
        `start_early`, they start before the first document's words when at least `parallel_from` paragraphs are to be
        indexed and the store holds fewer vectors than that (a first index, a large addition): loading the weights
        then overlaps the words instead of delaying the first vectors."""
        rep = IndexReport()
        t0 = time.perf_counter()
        to_add, to_drop = self.pending_documents()
        if to_drop:
            self.tables.drop_documents(to_drop)
            rep.documents_dropped = len(to_drop)
        sizes = self.tables.stored_paragraph_counts() if (on_progress or encoder is not None) and to_add else {}
        total = sum(sizes.get(d, 0) for d in to_add)
        read = 0
        with EmbedPool(encoder, workers, parallel_from) if encoder is not None else _NoPool() as pool:
            if encoder is not None and start_early and total >= parallel_from and self.tables.vector_count(encoder.name) < total:
                pool.start()
            queued: set[str] = set()
            for doc_id in to_add:
                texts: dict[str, str] = {}

                def prepare(b: sqlite3.Row) -> Optional[IndexedParagraph]:
                    p = _indexed(b)
                    if p is not None and encoder is not None and p.text_hash not in queued:
                        texts.setdefault(p.text_hash, b["printed"])
                    return p

                n = self.tables.index_document(doc_id, prepare)
                read += sizes.get(doc_id, 0)
                if n is not None:  # None: removed meanwhile
                    rep.paragraphs_indexed += n
                    rep.documents_indexed += 1
                if texts and encoder is not None:
                    have = self.tables.hashes_with_vector(encoder.name, list(texts))
                    new = [(h, normalise(t)) for h, t in texts.items() if h not in have]
                    queued.update(h for h, _ in new)
                    pool.add(new)
                    self._drain(pool, encoder.name, on_progress)
                if on_progress:
                    on_progress("lexical", read, total)
            self.tables.fill_rank_rows(han_runs)
            rep.lexical_s = time.perf_counter() - t0
            if encoder is not None:
                t1 = time.perf_counter()
                self._queue_unembedded(pool, encoder.name, queued)  # texts indexed by an earlier run, never embedded
                self._drain(pool, encoder.name, on_progress, wait=True)
                rep.texts_embedded = pool.finished
                rep.embed_s = time.perf_counter() - t1  # the embedding left once the words are written
        return rep

    def _queue_unembedded(self, pool: "EmbedPool", model: str, queued: set[str]) -> None:
        for h, block_id in self.tables.texts_without_vector(model):
            if h not in queued:
                printed = self.tables.printed(block_id)
                pool.add([(h, normalise(printed) if printed is not None else "")])
                queued.add(h)

    def _drain(self, pool: "EmbedPool", model: str, on_progress: Optional[Callable[[str, int, int], None]],
               wait: bool = False) -> None:
        """Write the vectors the pool has finished (with `wait`: all of them, a chunk at a time)."""
        while True:
            finished = pool.done(wait=wait)
            for hashes, vecs in finished:
                self.tables.put_vectors(model, [(h, vecs.shape[1], vecs[j].tobytes()) for j, h in enumerate(hashes)])
            if finished and on_progress:
                on_progress("embeddings", pool.finished, pool.queued)
            if not (wait and pool.pending):
                return

    def paragraph_count(self) -> int:
        return self.tables.paragraph_count()

    def load_vectors(self, model: str) -> tuple[np.ndarray, np.ndarray]:
        """(rowids int64 ascending, vectors float16 (n, dim)) of every indexed paragraph with a vector."""
        rows = self.tables.vectors(model)
        if not rows:
            return np.zeros(0, dtype=np.int64), np.zeros((0, 0), dtype=np.float16)
        ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
        vecs = np.frombuffer(b"".join(r[1] for r in rows), dtype=np.float16).reshape(len(rows), -1)
        return ids, vecs

    def stats(self) -> dict:
        return self.tables.stats()


class _NoPool:
    """No encoder: nothing to embed."""

    def __enter__(self) -> "_NoPool":
        return self

    def __exit__(self, *exc) -> None:
        return None


def _indexed(b: sqlite3.Row) -> Optional[IndexedParagraph]:
    """What the index holds of one stored paragraph (None: nothing to index)."""
    if not (b["text"] or "").strip():
        return None
    text = b["printed"][:MAX_FTS_CHARS]
    lang = content_language(text, b["language"]) or b["language"]
    body = segment(text)
    return IndexedParagraph(block_id=b["id"], text_hash=text_hash(text), lang=lang, body=body, extra=" ".join(subwords(text)),
                            kind=b["kind"] or "", label=b["label"], parent=b["parent"], translation_of=b["translation_of"],
                            han=han_runs(b["printed"]))


def han_runs(printed: str) -> str:
    """The paragraph's runs of Han characters (NFKC), one a line: a Chinese word or name is in the printed text
    exactly when it is in one of these, which is all the ranking looks up in the text itself."""
    return "\n".join(_HAN_RUN.findall(unicodedata.normalize("NFKC", printed or "")))
