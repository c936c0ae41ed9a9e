"""Hybrid multilingual search over the store: BM25 (FTS5) + dense vectors, fused by reciprocal rank.

Public API: `Searcher`, `Filters`, `Hit`, `find_precedents`, the `Encoder` interface and `make_encoder`.
"""

from __future__ import annotations

__all__ = ["Searcher", "Filters", "Hit", "Encoder", "make_encoder", "get_encoder", "find_precedents", "Precedent"]


def __getattr__(name: str):  # lazy: importing `search` must not load numpy models or the store
    if name in ("Searcher", "Filters", "Hit"):
        from . import engine

        return getattr(engine, name)
    if name in ("Encoder", "make_encoder", "get_encoder"):
        from . import encoders

        return getattr(encoders, name)
    if name in ("find_precedents", "Precedent"):
        from . import precedents

        return getattr(precedents, name)
    raise AttributeError(name)
