"""The task an ingest worker runs: parse one file, then store the document from the worker itself.

Why: the documents used to travel back to the parent, which decoded and stored them one after another while each
worker waited for its next file. That was the batch's serial part: 2.8 ms of a document's 47 ms (0.52 s of
idle worker per 200 files with one worker), and with two workers a parent competing with both for the two cores.
Now a worker writes its document in its own transaction (SQLite lets one writer at a time; a write takes about
2 ms) and sends back a few fields.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from unkg.corpus.store import Store
from unkg.errors import StoreError

from .options import ParseTask


@dataclass(frozen=True)
class Stored:
    """What became of one stored file: the store's answer and the fields its report shows."""

    outcome: str  # added | replaced | unchanged | conflict
    doc_id: str
    symbol: Optional[str]
    language: Optional[str]
    paragraphs: int
    warnings: tuple[str, ...] = ()
    conflict_source: Optional[str] = None  # with 'conflict': the file the stored document came from


# the store each worker process opened, by process id: a forked child never uses its parent's connection
_open_stores: dict[tuple[int, str], Store] = {}


def _store(db_path: str) -> Store:
    key = (os.getpid(), db_path)
    store = _open_stores.get(key)
    if store is None:
        store = _open_stores[key] = Store(Path(db_path))
    return store


@dataclass(frozen=True)
class ParseAndStore:
    """Parse a file with `parse` and store the document under its resolved path (`replace`: see `put_document`)."""

    parse: ParseTask
    db_path: str
    replace: bool = False

    def warm_up(self) -> None:
        self.parse.warm_up()

    def __call__(self, path: str) -> Stored:
        doc = self.parse(path)
        doc.source = str(Path(path).resolve())
        try:
            store = _store(self.db_path)
            outcome = store.put_document(doc, replace=self.replace)
        except sqlite3.Error as exc:  # not the file's fault: the batch stops (StoreFull is raised as it is)
            raise StoreError(f"cannot store {path} in {self.db_path}: {exc}") from None
        return Stored(outcome, doc.id, doc.symbol, doc.language, len(doc.blocks), tuple(doc.warnings),
                      store.conflict_source if outcome == "conflict" else None)

    def close(self) -> None:
        """Close this process's connection (the worker's last step)."""
        store = _open_stores.pop((os.getpid(), self.db_path), None)
        if store is not None:
            store.close()
