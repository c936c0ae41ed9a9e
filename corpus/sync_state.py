"""What a Bolt server was last confirmed to hold, kept in the store: the graph sync's and the search push's state.

Why here: the store owns its SQL. graph/neo4j_sync.py and search/bolt_backend.py keep
their bookkeeping in these two tables (one row per server target and document, or per
target and paragraph) and read and write it only through these classes. The tables are
created through `Store.create_schema`, so a full disk ends with both or neither.
"""

from __future__ import annotations

from typing import Iterable, Optional

from .store import Store

SCHEMA = """
CREATE TABLE IF NOT EXISTS graph_sync (
    target TEXT NOT NULL,
    doc_id TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    synced_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),
    PRIMARY KEY (target, doc_id)
);
CREATE TABLE IF NOT EXISTS search_sync (
    target TEXT NOT NULL,
    block_id TEXT NOT NULL,
    key TEXT NOT NULL,
    PRIMARY KEY (target, block_id)
) WITHOUT ROWID;
"""


def _ensure(store: Store) -> None:
    store.create_schema(SCHEMA)


class GraphSyncState:
    """Per target (server and database): document id -> fingerprint of the graph the server confirmed.

    A blank fingerprint keeps the row (the document is on the server in part, or not at
    all) but matches no build, so the document is taken out and sent again.
    """

    def __init__(self, store: Store) -> None:
        _ensure(store)
        self._store = store

    def fingerprints(self, target: str) -> dict[str, str]:
        rows = self._store._db.execute("SELECT doc_id, fingerprint FROM graph_sync WHERE target = ?", (target,))
        return {r[0]: r[1] for r in rows}

    def mark(self, target: str, done: dict[str, str], removed: Iterable[str] = ()) -> None:
        """Documents the server confirmed (with their fingerprints) and documents it no longer holds, in one transaction."""
        with self._store.transaction() as db:
            db.executemany("INSERT OR REPLACE INTO graph_sync(target, doc_id, fingerprint) VALUES (?,?,?)",
                           [(target, d, fp) for d, fp in done.items()])
            db.executemany("DELETE FROM graph_sync WHERE target = ? AND doc_id = ?", [(target, d) for d in removed])

    def unmark(self, target: str, docs: Optional[Iterable[str]] = None) -> None:
        """Blank the fingerprints of `docs` (None: every document of the target), keeping their rows."""
        docs = None if docs is None else sorted(docs)
        if docs == []:
            return
        with self._store.transaction() as db:
            if docs is None:
                db.execute("UPDATE graph_sync SET fingerprint = '' WHERE target = ?", (target,))
            else:
                db.executemany("UPDATE graph_sync SET fingerprint = '' WHERE target = ? AND doc_id = ?",
                               [(target, d) for d in docs])

    def forget(self, target: str) -> None:
        with self._store.transaction() as db:
            db.execute("DELETE FROM graph_sync WHERE target = ?", (target,))


class SearchSyncState:
    """Per target: paragraph (block) id -> key of what was pushed (model, text, language, document)."""

    def __init__(self, store: Store) -> None:
        _ensure(store)
        self._store = store

    def keys(self, target: str) -> dict[str, str]:
        rows = self._store._db.execute("SELECT block_id, key FROM search_sync WHERE target = ?", (target,))
        return {r[0]: r[1] for r in rows}

    def save(self, target: str, done: dict[str, str], removed: Iterable[str] = (), replace: bool = False) -> None:
        """Record pushed paragraphs and drop removed ones in one transaction; `replace` first forgets the target."""
        with self._store.transaction() as db:
            if replace:
                db.execute("DELETE FROM search_sync WHERE target = ?", (target,))
            db.executemany("INSERT OR REPLACE INTO search_sync(target, block_id, key) VALUES (?,?,?)",
                           [(target, b, k) for b, k in done.items()])
            db.executemany("DELETE FROM search_sync WHERE target = ? AND block_id = ?", [(target, b) for b in removed])
