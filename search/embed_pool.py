"""Embedding on every core while the lexical index is written.

The default encoder is numpy on one BLAS thread (search.encoders.USEEncoder): one process uses one core.
Indexing many texts therefore hands them to encoder processes (one per core, `spawn`ed, each loading the
bundled weights once) while the calling process segments paragraphs and writes the FTS rows; vectors come
back as float16 and are written by the caller, so SQL stays in the one process that owns the store.

A few texts (fewer than `start_at`) are embedded in the calling process: starting a process and loading
the weights costs ~3 s. Encoders without a `spec` to rebuild them elsewhere (sentence-transformers, which
has its own threads) always run in the calling process.
"""

from __future__ import annotations

import os
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from multiprocessing import get_context
from typing import Optional

import numpy as np

from .encoders import Encoder

CHUNK = 256  # texts per task: big enough to amortise a round trip, small enough to keep every process fed
LOCAL_BATCH = 2048  # texts per encode call in the calling process
IN_FLIGHT = 4  # tasks queued per process before the caller waits (bounds the texts held in memory)

_worker_encoder: Optional[Encoder] = None


def _init(spec: str) -> None:
    global _worker_encoder
    import signal

    from .encoders import make_encoder

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the caller's: it stops sending and shuts the pool down

    _worker_encoder = make_encoder(spec)
    _worker_encoder.encode(["."])  # load the weights now (the encoder loads them on its first text)


def _encode(texts: list[str]) -> bytes:
    assert _worker_encoder is not None
    return _worker_encoder.encode(texts).astype(np.float16).tobytes()


class EmbedPool:
    """Embed (text hash, text) items, each once; `done()` hands back (hashes, float16 vectors) as they finish."""

    def __init__(self, encoder: Encoder, workers: Optional[int] = None, start_at: int = 1500) -> None:
        self.encoder = encoder
        self.workers = workers if workers is not None else (os.cpu_count() or 1)
        self.spec: Optional[str] = getattr(encoder, "spec", None)
        self.start_at = start_at
        self.queued = 0  # texts handed in
        self.finished = 0  # texts with a vector handed back
        self._waiting: list[tuple[str, str]] = []  # not yet sent (a chunk fills, or the pool is not started)
        self._futures: deque[tuple[list[str], Future]] = deque()
        self._pool: Optional[ProcessPoolExecutor] = None

    @property
    def _can_start(self) -> bool:
        return bool(self.spec) and self.workers > 1

    @property
    def parallel(self) -> bool:
        return self._pool is not None

    def start(self) -> None:
        """Start the encoder processes now (they load the weights while the caller does other work)."""
        if self._pool is None and self._can_start:
            self._pool = ProcessPoolExecutor(self.workers, mp_context=get_context("spawn"), initializer=_init,
                                             initargs=(self.spec,))
            for _ in range(self.workers):  # the executor spawns its processes on the first tasks: load them all now
                self._pool.submit(_encode, [])

    def add(self, items: list[tuple[str, str]]) -> None:
        self._waiting.extend(items)
        self.queued += len(items)
        if self._pool is None and self._can_start and self.queued >= self.start_at:
            self.start()
        if self._pool is not None:
            while len(self._waiting) >= CHUNK:
                self._send(self._waiting[:CHUNK])
                del self._waiting[:CHUNK]

    def _send(self, items: list[tuple[str, str]]) -> None:
        assert self._pool is not None
        self._futures.append(([h for h, _ in items], self._pool.submit(_encode, [t for _, t in items])))

    def done(self, wait: bool = False) -> list[tuple[list[str], np.ndarray]]:
        """Finished (hashes, vectors) in the order sent. Without `wait`, only what is ready (waiting only when more
        tasks are queued than the processes can take); with `wait`, everything, the last texts included."""
        out: list[tuple[list[str], np.ndarray]] = []
        if self._pool is None and self._waiting and (wait or (len(self._waiting) >= LOCAL_BATCH and not self._can_start)):
            batch, self._waiting = self._waiting[:LOCAL_BATCH], self._waiting[LOCAL_BATCH:]
            vecs = self.encoder.encode([t for _, t in batch]).astype(np.float16)
            self.finished += len(batch)
            return [([h for h, _ in batch], vecs)]  # a batch at a time: the caller writes it and reports progress
        if wait and self._waiting:
            for i in range(0, len(self._waiting), CHUNK):
                self._send(self._waiting[i : i + CHUNK])
            self._waiting = []
        while self._futures:
            hashes, fut = self._futures[0]
            if not (wait or fut.done() or len(self._futures) > IN_FLIGHT * self.workers):
                break
            self._futures.popleft()
            vecs = np.frombuffer(fut.result(), dtype=np.float16).reshape(len(hashes), -1)
            self.finished += len(hashes)
            out.append((hashes, vecs))
            if wait:
                return out  # one chunk at a time: the caller writes it and reports progress
        return out

    @property
    def pending(self) -> bool:
        return bool(self._waiting or self._futures)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def __enter__(self) -> "EmbedPool":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
