"""BM25 for OR queries as a sparse term x paragraph matrix, built from the FTS5 index.

SQLite FTS5 answers an OR query of twenty words by scoring and sorting every
paragraph that holds any of them: 10-30 ms at 100k paragraphs on this machine,
growing with the corpus. Here each term's postings already carry their BM25
weight, so a query adds up the rows of its terms into one score array (its cost
is the length of those postings) and takes the top k with a partial sort.

The matrix is a cache of the FTS5 table, read from the words the indexer wrote
there (space-separated: "15.3.1" and "22/cop.15" stay one word, where FTS5 would
need a phrase), the `body` column weighing 1.0 and `extra` 0.3 as
`bm25(search_fts, 1.0, 0.3)` does (k1 1.2, b 0.75). It is saved next to the store
per index generation and rebuilt when the index changes. Filters restrict the
scores to the rowids they let through; quoted phrases still go to FTS5.
"""

from __future__ import annotations

import os
import re
from array import array
from collections import Counter
from pathlib import Path
from typing import Callable, Iterable, Optional, Union

import numpy as np

K1, B = 1.2, 0.75
EXTRA_WEIGHT = 0.3

_LITERAL = re.compile(r'(extra : )?"((?:[^"]|"")*)"')


def tokens(text: str) -> list[str]:
    """The words of an FTS column as the indexer joined them (already case- and accent-folded)."""
    return (text or "").split()


def terms_of_match(match: str) -> Optional[list[tuple[str, ...]]]:
    """The terms of an OR query made by `fts_or`, each a tuple of words that must all be present
    (a body word alone; an `extra` literal: its run of single Han characters); None for phrases and AND."""
    if not match or " AND " in match or "body : " in match:
        return None
    out: list[tuple[str, ...]] = []
    for m in _LITERAL.finditer(match):
        literal = m.group(2).replace('""', '"')
        group = tuple(tokens(literal)) if m.group(1) else (literal,)
        if group and all(group):
            out.append(group)
    return out


def _replay(rows: Iterable[tuple[int, str, str]]) -> Callable[[], Iterable[tuple[int, str, str]]]:
    """Rows that can be read twice (a list as is; a one-shot iterator is kept)."""
    kept = rows if isinstance(rows, (list, tuple)) else list(rows)
    return lambda: kept


class LexicalMatrix:
    def __init__(self, vocab: dict[str, int], indptr: np.ndarray, cols: np.ndarray, weights: np.ndarray,
                 rowids: np.ndarray) -> None:
        self.vocab = vocab
        self.indptr = indptr
        self.cols = cols
        self.weights = weights
        self.rowids = rowids  # column -> search rowid, ascending

    @property
    def n(self) -> int:
        return len(self.rowids)

    @classmethod
    def build(cls, rows: Union[Callable[[], Iterable[tuple[int, str, str]]], Iterable[tuple[int, str, str]]],
              batch: int = 2_000_000) -> "LexicalMatrix":
        """Weigh each (term, paragraph) pair by BM25, from (rowid, body, extra) of every indexed paragraph in rowid
        order (corpus.search_index.SearchTables.fts_rows; a callable is called once per pass).

        Two passes, so that memory is the matrix itself (4-byte columns and weights) and the vocabulary: the first
        reads the words (vocabulary, document frequencies, lengths), the second reads them again and writes each
        batch of paragraphs' weights straight to their place in the term-sorted arrays (a counting sort). Building
        from per-paragraph arrays and one global sort held ~4 copies of the postings (1.8 GB at 1M paragraphs)."""
        read = rows if callable(rows) else _replay(rows)
        vocab: dict[str, int] = {}
        df = np.zeros(1024, dtype=np.int64)
        lengths = array("i")
        rowids = array("q")
        ids = array("i")

        def count(ids: array) -> None:
            nonlocal df
            if len(vocab) > len(df):
                df = np.concatenate([df, np.zeros(max(len(vocab) - len(df), len(df)), dtype=np.int64)])
            if ids:
                got = np.bincount(np.frombuffer(ids, dtype=np.int32))
                df[: len(got)] += got

        for rowid, body, extra in read():
            bt, et = tokens(body), tokens(extra)
            seen = dict.fromkeys(bt)
            seen.update(dict.fromkeys(et))
            ids.extend([vocab.setdefault(t, len(vocab)) for t in seen])
            lengths.append(len(bt) + len(et))
            rowids.append(rowid)
            if len(ids) >= batch:
                count(ids)
                ids = array("i")
        count(ids)
        del ids
        n = len(rowids)
        if n == 0:
            return cls({}, np.zeros(1, np.int64), np.zeros(0, np.int32), np.zeros(0, np.float32), np.zeros(0, np.int64))
        df = df[: len(vocab)]
        dl = np.frombuffer(lengths, dtype=np.int32).astype(np.float32)
        avgdl = float(dl.mean()) or 1.0
        idf = np.log((n - df + 0.5) / (df + 0.5) + 1.0).astype(np.float32)
        norm = (K1 * (1.0 - B + B * dl / avgdl)).astype(np.float32)
        del dl
        indptr = np.zeros(len(vocab) + 1, dtype=np.int64)
        np.cumsum(df, out=indptr[1:])
        cols = np.empty(int(indptr[-1]), dtype=np.int32)
        weights = np.empty(int(indptr[-1]), dtype=np.float32)
        cursor = indptr[:-1].copy()  # where each term's next posting goes

        def place(t_ids: array, tf: array, col: array) -> None:
            if not t_ids:
                return
            t = np.frombuffer(t_ids, dtype=np.int32)
            f = np.frombuffer(tf, dtype=np.float32)
            c = np.frombuffer(col, dtype=np.int32)
            w = idf[t] * f * (K1 + 1.0) / (f + norm[c])
            order = np.argsort(t, kind="stable")  # paragraphs stay in column order within a term
            ts = t[order]
            first = np.flatnonzero(np.r_[True, ts[1:] != ts[:-1]])
            run = np.diff(np.r_[first, len(ts)])
            pos = cursor[ts] + (np.arange(len(ts)) - np.repeat(first, run))
            cols[pos] = c[order]
            weights[pos] = w[order]
            cursor[ts[first]] += run

        t_ids, tf, col = array("i"), array("f"), array("i")
        i = 0
        for rowid, body, extra in read():
            if i >= n or rowid != rowids[i]:
                raise ValueError("the FTS index changed while its BM25 matrix was built")
            bt, et = tokens(body), tokens(extra)
            c: dict[str, float] = dict(Counter(bt))
            for term, k in Counter(et).items():
                c[term] = c.get(term, 0.0) + EXTRA_WEIGHT * k
            t_ids.extend([vocab[term] for term in c])
            tf.extend(c.values())
            col.extend([i] * len(c))
            i += 1
            if len(t_ids) >= batch:
                place(t_ids, tf, col)
                t_ids, tf, col = array("i"), array("f"), array("i")
        if i != n:
            raise ValueError("the FTS index changed while its BM25 matrix was built")
        place(t_ids, tf, col)
        return cls(vocab, indptr, cols, weights, np.frombuffer(rowids, dtype=np.int64).copy())

    def search(self, terms: Iterable[tuple[str, ...]], k: int, allowed: Optional[np.ndarray] = None) -> list[tuple[int, float]]:
        """(rowid, score) of the k best paragraphs holding any of the terms (a term: all of its words), best first."""
        scores = np.zeros(self.n, dtype=np.float32)
        hit = False
        for group in terms:
            ids = [self.vocab.get(w) for w in group]
            if not ids or any(t is None for t in ids):
                continue
            if len(ids) == 1:
                a, b = self.indptr[ids[0]], self.indptr[ids[0] + 1]
                scores[self.cols[a:b]] += self.weights[a:b]
            else:  # every word present (FTS5 also wants them adjacent; co-occurrence is close enough to rank)
                # counted per paragraph rather than intersected: no sort of long postings (a Chinese query of many
                # character pairs took tens of milliseconds at 200k paragraphs with intersect1d)
                held = np.zeros(self.n, dtype=np.int16)
                for t in ids:
                    held[self.cols[self.indptr[t] : self.indptr[t + 1]]] += 1
                for t in ids:
                    a, b = self.indptr[t], self.indptr[t + 1]
                    c, w = self.cols[a:b], self.weights[a:b]
                    sel = held[c] == len(ids)
                    scores[c[sel]] += w[sel]
            hit = True
        if not hit:
            return []
        if allowed is not None:
            keep = np.zeros(self.n, dtype=bool)
            allowed = np.asarray(allowed, dtype=np.int64)
            pos = np.searchsorted(self.rowids, allowed)
            valid = pos < self.n
            pos, allowed = pos[valid], allowed[valid]
            keep[pos[self.rowids[pos] == allowed]] = True
            scores[~keep] = 0.0
        nz = int(np.count_nonzero(scores))
        k = min(k, nz)
        if k <= 0:
            return []
        top = np.argpartition(-scores, k - 1)[:k] if k < self.n else np.arange(self.n)
        top = top[np.argsort(-scores[top], kind="stable")]
        return [(int(self.rowids[i]), float(scores[i])) for i in top if scores[i] > 0]

    def columns(self, rowids: Iterable[int]) -> np.ndarray:
        """The matrix column of each search rowid, -1 where the matrix has none."""
        want = np.fromiter(rowids, dtype=np.int64)
        if not self.n:
            return np.full(len(want), -1, dtype=np.int64)
        pos = np.minimum(np.searchsorted(self.rowids, want), self.n - 1)
        return np.where(self.rowids[pos] == want, pos, -1)

    def holding(self, word: str, cols: np.ndarray) -> np.ndarray:
        """For each column (from `columns`), whether its paragraph holds the word in either column (True where
        the column is -1: unknown). A binary search of the word's postings, which are in column order."""
        t = self.vocab.get(word)
        if t is None:
            return cols < 0
        post = self.cols[self.indptr[t] : self.indptr[t + 1]]
        i = np.minimum(np.searchsorted(post, cols), len(post) - 1)
        return (post[i] == cols) | (cols < 0)

    # -- persistence -------------------------------------------------------------------

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        terms = np.array(list(self.vocab), dtype=object)
        tmp = path.with_suffix(".tmp.npz")
        try:
            np.savez(tmp, terms=np.array("\x00".join(terms.tolist())), indptr=self.indptr, cols=self.cols,
                     weights=self.weights, rowids=self.rowids)
            os.replace(tmp, path)
        except BaseException:  # a full disk or an interrupt: no half-written matrix stays behind
            tmp.unlink(missing_ok=True)
            raise

    @classmethod
    def load(cls, path: Path) -> "LexicalMatrix":
        with np.load(path, allow_pickle=False) as z:
            joined = str(z["terms"])
            terms = joined.split("\x00") if joined else []
            return cls({t: i for i, t in enumerate(terms)}, z["indptr"], z["cols"], z["weights"], z["rowids"])
