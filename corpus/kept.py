"""Values read from a store and kept in this process while the store says nothing they rest on changed.

Why: some reads are the same for every question until a document changes (the distinct sessions, verbs and
addressees of the mandates, the distinct name keys of the graph), yet each is a scan of hundreds of
thousands of rows at a million paragraphs. The caller passes a stamp the store moves whenever what the
values rest on may have changed (a generation, the `checked_at` of an index); a value is read again when
the stamp moves. Kept values are shared: callers never change them in place.
"""

from __future__ import annotations

from typing import Any, Callable, Optional

#: (store file, stamp, what) -> the value read
_KEPT: dict[tuple, Any] = {}
#: at most this many values at once (a few per store: a process asks few stores)
_MOST = 64


def kept(store, stamp: Optional[object], what: str, read: Callable[[], Any]) -> Any:
    """`read()`, kept while `stamp` stays (None: read every time, nothing to tell a change by)."""
    if stamp is None:
        return read()
    key = (str(store.path), stamp, what)
    got = _KEPT.get(key)
    if got is None:
        if len(_KEPT) >= _MOST:
            _KEPT.clear()
        got = _KEPT[key] = read()
    return got
