"""Temporary files left by interrupted writes, and their removal.

Why: caches and uploads are written to a temporary file and renamed into place,
so a reader never sees half a file. A process killed between the two (SIGKILL,
the OOM killer, a power cut) leaves the temporary file behind, and nothing would
ever remove it: a killed graph-cache save left a 90 MB `.graph-*.tmp` for good.
Each writer's command removes its own kind of leftover when it starts.
"""

from __future__ import annotations

import os
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterable, Iterator

#: a temporary file untouched this long belongs to no live writer (an upload or a cache is written in seconds)
STALE_AFTER_S = 15 * 60


def remove_stale(folder: Path, patterns: Iterable[str], older_than_s: float = STALE_AFTER_S) -> list[Path]:
    """Delete files in `folder` matching any glob pattern and unmodified for `older_than_s`; return them."""
    removed: list[Path] = []
    if not folder.is_dir():
        return removed
    cutoff = time.time() - older_than_s
    for pattern in patterns:
        for p in folder.glob(pattern):
            try:
                if p.is_file() and p.stat().st_mtime <= cutoff:
                    p.unlink()
                    removed.append(p)
            except OSError:  # gone already, or not ours to remove: leave it
                continue
    return removed


@contextmanager
def exclusive(lock_path: Path, blocking: bool = True) -> Iterator[bool]:
    """Hold an advisory lock on `lock_path` across processes; yields False if `blocking` is off and it is taken.

    Where the platform has no `fcntl`, yields True without locking (callers then fall back to ages).
    """
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX
        yield True
        return
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | (0 if blocking else fcntl.LOCK_NB))
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
