"""Reads of the local search index that the Bolt search backend needs (search_blocks, search_fts, search_embeddings).

Why here: the store owns its SQL. search/bolt_backend.py pushes paragraphs to a
server and maps the server's hits back to local rows; these are the only questions it
asks the store, as typed methods. The tables are created by the search index
(search/index_store.py); a store without them answers nothing.
"""

from __future__ import annotations

from typing import Iterator, Optional, Sequence

from .store import Store

#: ids per `IN (...)` list (SQLite allows 999 parameters in older builds)
_CHUNK = 500


class SearchReads:
    def __init__(self, store: Store) -> None:
        self._db = store._db

    def embedding_dim(self, model: str) -> Optional[int]:
        """Dimensions of `model`'s stored vectors (None: none stored yet)."""
        row = self._db.execute("SELECT dim FROM search_embeddings WHERE model = ? LIMIT 1", (model,)).fetchone()
        return int(row[0]) if row else None

    def indexed_paragraphs(self, model: str) -> Iterator[tuple[str, str, str, Optional[str]]]:
        """(block id, document id, text hash, language) of every indexed paragraph with a vector of `model`."""
        yield from self._db.execute(
            "SELECT sb.block_id, sb.doc_id, sb.text_hash, coalesce(sb.lang, b.language) FROM search_blocks sb "
            "JOIN blocks b ON b.id = sb.block_id JOIN search_embeddings e ON e.model = ? AND e.text_hash = sb.text_hash",
            (model,),
        )

    def push_rows(self, model: str, block_ids: Sequence[str]) -> Iterator[tuple]:
        """(block id, document id, text hash, language, text, FTS body, FTS extra, float16 vector bytes) of these paragraphs.

        The words are the local FTS5 row's (whatever text the local index reads), so a server
        given them holds the same words as the local index.
        """
        for i in range(0, len(block_ids), _CHUNK):
            chunk = list(block_ids[i : i + _CHUNK])
            yield from self._db.execute(
                "SELECT sb.block_id, sb.doc_id, sb.text_hash, coalesce(sb.lang, b.language), b.text, f.body, f.extra, e.vec "
                "FROM search_blocks sb JOIN blocks b ON b.id = sb.block_id JOIN search_fts f ON f.rowid = sb.rowid "
                "JOIN search_embeddings e ON e.model = ? AND e.text_hash = sb.text_hash "
                f"WHERE sb.block_id IN ({','.join('?' * len(chunk))})",
                [model, *chunk],
            )

    def rowids(self, block_ids: Sequence[str]) -> dict[str, tuple[int, Optional[str]]]:
        """block id -> (local search rowid, language of the prose); ids the index does not hold are left out."""
        out: dict[str, tuple[int, Optional[str]]] = {}
        for i in range(0, len(block_ids), _CHUNK):
            chunk = list(block_ids[i : i + _CHUNK])
            for rowid, b, lang in self._db.execute(
                "SELECT sb.rowid, sb.block_id, coalesce(sb.lang, b.language) FROM search_blocks sb JOIN blocks b ON b.id = sb.block_id "
                f"WHERE sb.block_id IN ({','.join('?' * len(chunk))})", chunk
            ):
                out[b] = (rowid, lang)
        return out
