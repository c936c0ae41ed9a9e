"""A compact adjacency of the graph tables for path search, memory-mapped from a file beside the store.

Why: the explained path (`graph.query.explain_path`) reads up to `PATH_BUDGET` relationships; from the
tables that is one indexed SQLite read per expanded node (seconds at a million paragraphs). This index
holds what the search weighs and nothing else, as arrays: every node as a number (its position among
the ids sorted), its label, and for each node the relationships at it either way (CSR: offsets, the
node at the other end, the relationship type), so a node's relationships are one slice of a
memory-mapped file and only the pages a question touches are read.

The file (`<store>.paths`): a magic line, the length of a JSON header, the header (the graph tables'
generation it was built at, the labels and relationship types whose positions are the codes, each
array's dtype, offset and length), then the arrays:

* ``ids_off`` int64 [N+1], ``ids`` uint8: the node ids, sorted, UTF-8; node i is ``ids[ids_off[i]:ids_off[i+1]]``
* ``label`` uint8 [N]
* ``off`` int64 [N+1]: node i's relationships are entries ``off[i]:off[i+1]`` (a node's degree as networkx counts it)
* ``nbr`` int32, ``etype`` uint8 [2 E]: each relationship at both its ends (a self-loop twice at its node),
  a node's entries sorted by the node at the other end, then type

It is built again whole when the tables' generation (`GraphTables.generation`, moved by every document's
part written or removed) is not the one it was built at: in one read of the tables (a few seconds per
million relationships), written to a temporary file and renamed over the old one.
"""

from __future__ import annotations

import json
import os
import struct
import tempfile
from pathlib import Path
from typing import Optional

import numpy as np

MAGIC = b"UNKG-PATHS-1\n"
_ALIGN = 64


class PathIndex:
    """The compact adjacency (arrays, memory-mapped where it was read from a file)."""

    def __init__(self, generation: int, labels: list[str], types: list[str], arrays: dict[str, np.ndarray]) -> None:
        self.generation = generation
        self.labels = labels
        self.types = types
        self.ids_off = arrays["ids_off"]
        self.ids = arrays["ids"]
        self.label = arrays["label"]
        self.off = arrays["off"]
        self.nbr = arrays["nbr"]
        self.etype = arrays["etype"]
        self.n = len(self.label)

    # -- node ids ------------------------------------------------------------------------
    def id_of(self, i: int) -> str:
        return bytes(self.ids[self.ids_off[i]:self.ids_off[i + 1]]).decode("utf-8")

    def index_of(self, node_id: str) -> Optional[int]:
        """The node's number (a binary search of the sorted ids, compared as UTF-8 bytes as they were sorted)."""
        key = node_id.encode("utf-8")
        lo, hi = 0, self.n
        while lo < hi:
            mid = (lo + hi) // 2
            if bytes(self.ids[self.ids_off[mid]:self.ids_off[mid + 1]]) < key:
                lo = mid + 1
            else:
                hi = mid
        if lo < self.n and bytes(self.ids[self.ids_off[lo]:self.ids_off[lo + 1]]) == key:
            return lo
        return None

    def degree(self, i: int) -> int:
        return int(self.off[i + 1] - self.off[i])

    # -- reading and writing ----------------------------------------------------------------
    @classmethod
    def read(cls, path: Path) -> Optional["PathIndex"]:
        """The index in `path`, memory-mapped, or None when there is none (or it is not one)."""
        try:
            with open(path, "rb") as fh:
                if fh.read(len(MAGIC)) != MAGIC:
                    return None
                (n,) = struct.unpack("<Q", fh.read(8))
                header = json.loads(fh.read(n))
        except (OSError, ValueError, struct.error):
            return None
        arrays = {}
        for name, (dtype, offset, length) in header["arrays"].items():
            if length == 0:
                arrays[name] = np.zeros(0, dtype=dtype)
            else:
                arrays[name] = np.memmap(path, dtype=dtype, mode="r", offset=offset, shape=(length,))
        return cls(header["generation"], header["labels"], header["types"], arrays)

    def write(self, path: Path) -> None:
        """Write to a temporary file beside `path`, then rename it over `path` (readers see the old or the new)."""
        arrays = {"ids_off": self.ids_off, "ids": self.ids, "label": self.label, "off": self.off, "nbr": self.nbr,
                  "etype": self.etype}

        def header(start: int) -> tuple[bytes, dict]:
            pos, spec = start, {}
            for name, a in arrays.items():
                pos = -(-pos // _ALIGN) * _ALIGN
                spec[name] = (a.dtype.str, pos, int(a.size))
                pos += a.nbytes
            return json.dumps({"generation": self.generation, "labels": self.labels, "types": self.types,
                               "arrays": spec}).encode(), spec

        # the header's length moves the arrays' offsets: settle it (offsets only grow, in a step or two)
        size = 256
        while True:
            body, spec = header(len(MAGIC) + 8 + size)
            if len(body) <= size:
                body += b" " * (size - len(body))
                break
            size = len(body) + 64
        from unkg.leftovers import remove_stale

        remove_stale(path.parent, [f".{path.name}.*.tmp"])  # a write that was killed (SIGKILL, power) left its temp
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=str(path.parent))
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(MAGIC + struct.pack("<Q", len(body)) + body)
                for name, a in arrays.items():
                    fh.seek(spec[name][1])
                    fh.write(np.ascontiguousarray(a).tobytes())
            os.replace(tmp, path)
        except BaseException:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            raise


def build(tables) -> PathIndex:
    """The index of the graph tables as they are now (one read, in one snapshot of the store)."""
    with tables.store.transaction(immediate=False):  # reads only: one consistent snapshot, generation included
        generation = tables.generation()
        ids: list[str] = []
        label_codes: dict[str, int] = {}
        labels = []
        for n, lab in tables.node_labels_by_id():
            ids.append(n)
            labels.append(label_codes.setdefault(lab, len(label_codes)))
        pos = {n: i for i, n in enumerate(ids)}
        type_codes: dict[str, int] = {}
        src, dst, typ = [], [], []
        for u, v, t in tables.edge_ends_and_types():
            src.append(pos[u])
            dst.append(pos[v])
            typ.append(type_codes.setdefault(t, len(type_codes)))
    del pos
    if len(label_codes) > 255 or len(type_codes) > 255:
        raise ValueError("more than 255 labels or relationship types: the path index codes them in one byte")
    # ids sorted as Python sorts str (code points) and as SQLite sorted them (bytes): the same order for UTF-8
    encoded = [n.encode("utf-8") for n in ids]
    ids_off = np.zeros(len(ids) + 1, dtype=np.int64)
    np.cumsum([len(b) for b in encoded], out=ids_off[1:])
    blob = np.frombuffer(b"".join(encoded), dtype=np.uint8)
    del encoded, ids
    s = np.asarray(src, dtype=np.int32)
    d = np.asarray(dst, dtype=np.int32)
    t = np.asarray(typ, dtype=np.uint8)
    del src, dst, typ
    node = np.concatenate([s, d])
    other = np.concatenate([d, s])
    et = np.concatenate([t, t])
    del s, d, t
    order = np.lexsort((et, other, node))
    node, other, et = node[order], other[order], et[order]
    del order
    n = len(labels)
    off = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(node, minlength=n), out=off[1:])
    return PathIndex(generation, sorted(label_codes, key=label_codes.get), sorted(type_codes, key=type_codes.get),
                     {"ids_off": ids_off, "ids": blob, "label": np.asarray(labels, dtype=np.uint8), "off": off,
                      "nbr": other.astype(np.int32), "etype": et})


def index_path(store) -> Path:
    return Path(str(store.path) + ".paths")


def current(tables, have: Optional[PathIndex] = None) -> PathIndex:
    """The index up to date with the tables: `have` while it is, else the file beside the store while it is, else
    built again (and written there when the folder can be written)."""
    generation = tables.generation()
    if have is not None and have.generation == generation:
        return have
    path = index_path(tables.store)
    got = PathIndex.read(path)
    if got is not None and got.generation == generation:
        return got
    got = build(tables)
    try:
        got.write(path)
    except OSError:
        return got  # a folder that cannot be written: this process keeps it in memory
    return PathIndex.read(path) or got
