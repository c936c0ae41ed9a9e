"""Nearest-neighbour search over paragraph vectors: exact numpy up to a limit, usearch HNSW beyond.

Vectors are L2-normalised, so inner product is cosine similarity. The index
picks its mode from the number of vectors (``UNKG_EXACT_LIMIT``, default 50,000):
exact search there costs one matrix product; above it an HNSW graph (usearch,
float16 storage, ef_search 512) answers in one to two milliseconds at 1M. The ANN graph is saved next to
the store and reused while the search tables are unchanged.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

import numpy as np

_CONTROLLER = None


def _blas_limit():
    """threadpoolctl's limit() of a controller built once (building one scans the loaded libraries)."""
    global _CONTROLLER
    if _CONTROLLER is None:
        try:
            from threadpoolctl import ThreadpoolController

            _CONTROLLER = ThreadpoolController()
        except Exception:  # pragma: no cover - threadpoolctl missing
            _CONTROLLER = False
    return _CONTROLLER.limit if _CONTROLLER else None


@dataclass(frozen=True)
class HnswParams:
    """The HNSW graph's shape: `connectivity` (M, links per node), `expansion_add` (ef_construction) and
    `expansion_search` (ef_search; the search reads max(ef_search, k) candidates). Chosen on real text vectors at
    1M (bench/bench_ann_real.py, docs/search.md "Dense search at 1M")."""

    connectivity: int = 24
    expansion_add: int = 128
    # at 1M real text vectors recall@10 against exact was 0.926 at 128 (judged short queries 0.840), 0.987 at 512
    # (0.964) for 1.6 ms a query (bench/results/ann-real-1m-2026-12-05.md)
    expansion_search: int = 512

    @property
    def tag(self) -> str:
        """What the saved graph depends on (ef_search is not saved: it applies to any graph)."""
        return f"m{self.connectivity}-ef{self.expansion_add}"


HNSW = HnswParams()


class VectorIndex:
    def __init__(self, ids: np.ndarray, vecs: np.ndarray, exact_limit: Optional[int] = None,
                 ann_path: Optional[Path] = None, threads: int = 0, hnsw: HnswParams = HNSW) -> None:
        self.ids = np.asarray(ids, dtype=np.int64)
        self.n = len(self.ids)
        self.dim = vecs.shape[1] if self.n else 0
        self._vecs16 = vecs  # float16 (or float32), possibly memory-mapped
        if exact_limit is None:  # the settings' default (a Searcher passes its options' limit)
            from .options import SearchOptions

            exact_limit = SearchOptions().exact_limit
        self.exact_limit = exact_limit
        self.mode = "exact" if self.n <= self.exact_limit else "ann"
        self.threads = threads
        self.hnsw = hnsw
        self.build_s: Optional[float] = None  # seconds the HNSW graph took to build (None: loaded from its file)
        self._mat: Optional[np.ndarray] = None
        self._ann = None
        self._ann_path = ann_path
        if self.mode == "exact" and self.n:
            self._mat = np.ascontiguousarray(vecs, dtype=np.float32)
        elif self.n:
            self._ann = self._build_or_load_ann()

    # -- ANN ------------------------------------------------------------------

    def _build_or_load_ann(self):
        import time

        from usearch.index import Index

        p = self.hnsw
        if self._ann_path is not None and Path(self._ann_path).exists():
            try:
                idx = Index.restore(str(self._ann_path), view=True)
                if idx is not None and len(idx) == self.n and idx.connectivity == p.connectivity:
                    idx.expansion_search = p.expansion_search
                    return idx
            except Exception:
                pass
        t0 = time.perf_counter()
        idx = Index(ndim=self.dim, metric="ip", dtype="f16", connectivity=p.connectivity, expansion_add=p.expansion_add,
                    expansion_search=p.expansion_search)
        step = 100_000
        for i in range(0, self.n, step):
            idx.add(self.ids[i : i + step], np.asarray(self._vecs16[i : i + step], dtype=np.float32), threads=self.threads)
        self.build_s = time.perf_counter() - t0
        if self._ann_path is not None:
            Path(self._ann_path).parent.mkdir(parents=True, exist_ok=True)
            tmp = str(self._ann_path) + ".tmp"
            try:
                idx.save(tmp)
                os.replace(tmp, self._ann_path)
            except BaseException:  # a full disk or an interrupt: no half-written index stays behind
                Path(tmp).unlink(missing_ok=True)
                raise
        return idx

    # -- search ---------------------------------------------------------------

    def search(self, queries: np.ndarray, k: int, allowed: Optional[np.ndarray] = None) -> list[tuple[np.ndarray, np.ndarray]]:
        """For each query row: (ids, scores) of the k nearest vectors, best first; `allowed` restricts to those ids."""
        q = np.asarray(queries, dtype=np.float32)
        if q.ndim == 1:
            q = q[None, :]
        if self.n == 0 or k <= 0:
            return [(np.zeros(0, np.int64), np.zeros(0, np.float32)) for _ in range(len(q))]
        if allowed is not None:
            allowed = np.asarray(allowed, dtype=np.int64)
            pos = np.searchsorted(self.ids, allowed)
            valid = pos < self.n
            pos, allowed_v = pos[valid], allowed[valid]
            pos = pos[self.ids[pos] == allowed_v]
            if self.mode == "ann" and len(pos) > self.exact_limit:
                return self._ann_filtered(q, k, set(allowed.tolist()))
            mat = self._mat[pos] if self._mat is not None else np.asarray(self._vecs16[pos], dtype=np.float32)
            return self._exact(q, k, mat, self.ids[pos])
        if self.mode == "exact":
            return self._exact(q, k, self._mat, self.ids)
        return self._ann_search(q, k)

    @staticmethod
    def _exact(q: np.ndarray, k: int, mat: np.ndarray, ids: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
        # a few queries: one BLAS thread. A matrix-vector product is memory-bound, and on a busy
        # machine spinning BLAS threads made a 10k x 512 product take 50 ms instead of 1 ms.
        if len(q) < 64 and _blas_limit() is not None:
            with _blas_limit()(limits=1, user_api="blas"):
                return VectorIndex._exact_run(q, k, mat, ids)
        return VectorIndex._exact_run(q, k, mat, ids)

    @staticmethod
    def _exact_run(q: np.ndarray, k: int, mat: np.ndarray, ids: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
        out = []
        n = len(ids)
        if n == 0:
            return [(np.zeros(0, np.int64), np.zeros(0, np.float32)) for _ in range(len(q))]
        k = min(k, n)
        step = max(1, int(20_000_000 // max(n, 1)))  # bound the score block to ~80 MB
        for i in range(0, len(q), step):
            s = q[i : i + step] @ mat.T
            if k < n:
                part = np.argpartition(-s, k - 1, axis=1)[:, :k]
            else:
                part = np.tile(np.arange(n), (len(s), 1))
            for row, cand in zip(s, part):
                order = cand[np.argsort(-row[cand], kind="stable")]
                out.append((ids[order], row[order]))
        return out

    def _ann_search(self, q: np.ndarray, k: int) -> list[tuple[np.ndarray, np.ndarray]]:
        res = self._ann.search(q, k, threads=self.threads)
        keys = np.atleast_2d(res.keys)
        dist = np.atleast_2d(res.distances)
        out = []
        for i in range(len(q)):
            cnt = int(np.atleast_1d(res.counts)[i]) if hasattr(res, "counts") else k
            out.append((keys[i, :cnt].astype(np.int64), (1.0 - dist[i, :cnt]).astype(np.float32)))
        return out

    def _ann_filtered(self, q: np.ndarray, k: int, allowed: set[int]) -> list[tuple[np.ndarray, np.ndarray]]:
        fetch = min(self.n, max(k * 20, 200))
        out = []
        for ids, scores in self._ann_search(q, fetch):
            keep = np.fromiter((i in allowed for i in ids.tolist()), dtype=bool, count=len(ids))
            out.append((ids[keep][:k], scores[keep][:k]))
        return out

    def memory_bytes(self) -> int:
        if self._mat is not None:
            return int(self._mat.nbytes)
        if self._ann is not None:
            try:
                return int(self._ann.memory_usage)
            except Exception:
                return 0
        return 0


def similarities(index: "VectorIndex", query: np.ndarray, rowids: list[int]) -> dict[int, float]:
    """Cosine similarity of one query vector to the given paragraphs (those with a vector): the ranking
    scores candidates that only the lexical index found on the same scale as the dense ones."""
    if not rowids or not getattr(index, "n", 0):
        return {}
    want = np.asarray(rowids, dtype=np.int64)
    pos = np.searchsorted(index.ids, want)
    pos = np.minimum(pos, index.n - 1)
    ok = index.ids[pos] == want
    if not ok.any():
        return {}
    vecs = np.asarray(index._vecs16[pos[ok]], dtype=np.float32)
    sims = vecs @ np.asarray(query, dtype=np.float32).reshape(-1)
    return {int(r): float(s) for r, s in zip(want[ok].tolist(), sims.tolist())}
