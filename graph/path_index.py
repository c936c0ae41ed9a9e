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

When the tables' generation (`GraphTables.generation`, moved by every document's part written or removed)
is not the one it was built at, it is patched with the tables' change log after the position it was built
at (`patch`: the nodes and relationships added and removed since, a read of those rows only, then array
operations: about a second at a million paragraphs where a whole build takes ten), or built again whole
when the log cannot tell (another epoch, pruned past it, or more changes than a build reads). Either way
it is written to a temporary file and renamed over the old one. A patched index holds the same arrays as
one built whole from the same tables (tested), so the same paths are found.
"""

from __future__ import annotations

import json
import os
import struct
import tempfile
from collections import Counter
from pathlib import Path
from typing import Iterable, Optional

import numpy as np

MAGIC = b"UNKG-PATHS-2\n"
_ALIGN = 64


class PathIndex:
    """The compact adjacency (arrays, memory-mapped where it was read from a file)."""

    def __init__(self, generation: int, labels: list[str], types: list[str], arrays: dict[str, np.ndarray],
                 log: tuple[str, int] = ("", 0)) -> None:
        self.generation = generation
        #: (epoch, position) of the tables' change log this index holds everything up to
        self.log = log
        #: the file it was read from (None: built in memory)
        self.path: Optional[Path] = None
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
        lo = self.insertion_point(key)
        if lo < self.n and bytes(self.ids[self.ids_off[lo]:self.ids_off[lo + 1]]) == key:
            return lo
        return None

    def insertion_point(self, key: bytes) -> int:
        """How many of the ids sort before `key` (UTF-8 bytes)."""
        lo, hi = 0, self.n
        while lo < hi:
            mid = (lo + hi) // 2
            if bytes(self.ids[self.ids_off[mid]:self.ids_off[mid + 1]]) < key:
                lo = mid + 1
            else:
                hi = mid
        return lo

    def patchable(self, changes: int) -> bool:
        """Whether patching this many changes in beats building again (a quarter of the relationships or fewer)."""
        return changes <= max(1000, int(self.off[-1]) // 8)

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
        got = cls(header["generation"], header["labels"], header["types"], arrays, tuple(header.get("log", ("", 0))))
        got.path = path
        return got

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
            return json.dumps({"generation": self.generation, "log": list(self.log), "labels": self.labels,
                               "types": self.types, "arrays": spec}).encode(), spec

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
        epoch, _, last = tables.change_log()
        got = from_lists(tables.generation(), tables.node_labels_by_id(), tables.edge_ends_and_types())
    got.log = (epoch, last)
    return got


def from_lists(generation: int, nodes: Iterable[tuple[str, str]], edges: Iterable[tuple[str, str, str]]) -> PathIndex:
    """The index of these nodes ((id, label), sorted by id as UTF-8 bytes) and relationships ((from, to, type))."""
    ids: list[str] = []
    label_codes: dict[str, int] = {}
    labels = []
    for n, lab in nodes:
        ids.append(n)
        labels.append(label_codes.setdefault(lab, len(label_codes)))
    pos = {n: i for i, n in enumerate(ids)}
    type_codes: dict[str, int] = {}
    src, dst, typ = [], [], []
    for u, v, t in edges:
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


def patch(index: PathIndex, tables) -> Optional[PathIndex]:
    """`index` with the tables' changes since it was built applied, or None when the log cannot tell them all (another
    epoch, pruned past the index's position) or they are more than a quarter of the relationships (a build is then
    about as quick). Nodes keep their order (sorted ids), so numbers move but never swap."""
    with tables.store.transaction(immediate=False):  # one snapshot: the generation and the changes up to it
        epoch, floor, last = tables.change_log()
        since = index.log[1]
        if index.log[0] != epoch or since < floor:
            return None
        if not index.patchable(tables.count_changes_after(since)):
            return None
        generation = tables.generation()
        changes = list(tables.changes_after(since, last))
    return _apply(index, changes, generation, (epoch, last))


def _apply(ix: PathIndex, changes: list, generation: int, log: tuple[str, int]) -> PathIndex:
    # the net effect of the changes in order: nodes present at the end (with their label) or not, relationships counted
    final: dict[str, Optional[str]] = {}
    delta: Counter = Counter()
    for op, a, b, t in changes:
        if op == 2:
            final[a] = t
        elif op == -2:
            final[a] = None
        else:
            delta[(a, b, t)] += op
    labels, types = list(ix.labels), list(ix.types)

    def code(names: list[str], name: str) -> int:
        if name not in names:
            names.append(name)
            if len(names) > 255:
                raise ValueError("more than 255 labels or relationship types: the path index codes them in one byte")
        return names.index(name)

    n = ix.n
    label = np.asarray(ix.label).copy()
    removed, added = [], []
    for node_id, lab in final.items():
        i = ix.index_of(node_id)
        if i is None:
            if lab is not None:
                added.append((node_id.encode("utf-8"), code(labels, lab)))
        elif lab is None:
            removed.append(i)
        elif labels[label[i]] != lab:
            label[i] = code(labels, lab)  # taken out and put back under another label
    removed_pos = np.array(sorted(removed), dtype=np.int64)
    added.sort()
    add_ids = [a for a, _ in added]
    # where each new id goes among the old ones (ids compared as UTF-8 bytes, as they were sorted)
    ins = np.array([ix.insertion_point(a) for a in add_ids], dtype=np.int64)
    keep_node = np.ones(n, dtype=bool)
    keep_node[removed_pos] = False
    old = np.arange(n, dtype=np.int64)
    new_of_old = old - np.searchsorted(removed_pos, old, side="left") + np.searchsorted(ins, old, side="right")
    new_of_added = ins - np.searchsorted(removed_pos, ins, side="left") + np.arange(len(ins), dtype=np.int64)
    m = n - len(removed_pos) + len(ins)

    # entries of the relationships taken away: one entry at each end per relationship (two at a self-loop's node)
    off, nbr, etype = np.asarray(ix.off), np.asarray(ix.nbr), np.asarray(ix.etype)
    keep = np.ones(len(nbr), dtype=bool)
    new_entries: list[tuple[int, int, int]] = []

    added_number = dict(zip(add_ids, new_of_added.tolist()))

    def number(node_id: str) -> int:
        got = added_number.get(node_id.encode("utf-8"))
        if got is not None:
            return got
        i = ix.index_of(node_id)
        if i is None or not keep_node[i]:
            raise ValueError(f"the change log adds a relationship at a node the index does not hold: {node_id}")
        return int(new_of_old[i])

    for (u, v, t), c in delta.items():
        if c < 0:
            iu, iv = ix.index_of(u), ix.index_of(v)
            tc = ix.types.index(t) if t in ix.types else -1
            if iu is None or iv is None or tc < 0:
                raise ValueError(f"the change log removes a relationship the index does not hold: {u} -{t}-> {v}")
            for end, other in ((iu, iv), (iv, iu)):
                a, b = int(off[end]), int(off[end + 1])
                lo = a + int(np.searchsorted(nbr[a:b], other, side="left"))
                hi = a + int(np.searchsorted(nbr[a:b], other, side="right"))
                hits = [j for j in range(lo, hi) if etype[j] == tc and keep[j]]
                if len(hits) < -c:
                    raise ValueError(f"the change log removes a relationship the index does not hold: {u} -{t}-> {v}")
                keep[hits[:-c]] = False
        elif c > 0:
            tc = code(types, t)
            nu, nv = number(u), number(v)
            new_entries += [(nu, nv, tc), (nv, nu, tc)] * c
    node = np.repeat(np.arange(n, dtype=np.int64), np.diff(off))
    keep &= keep_node[node] & keep_node[nbr]
    node = new_of_old[node[keep]]
    other = new_of_old[nbr[keep].astype(np.int64)]
    et = etype[keep]
    if new_entries:
        add = np.array(sorted(new_entries), dtype=np.int64)
        key_old = (node * m + other) * 256 + et
        key_add = (add[:, 0] * m + add[:, 1]) * 256 + add[:, 2]
        at = np.searchsorted(key_old, key_add, side="right")
        node = np.insert(node, at, add[:, 0])
        other = np.insert(other, at, add[:, 1])
        et = np.insert(et, at, add[:, 2].astype(np.uint8))
    new_off = np.zeros(m + 1, dtype=np.int64)
    np.cumsum(np.bincount(node, minlength=m), out=new_off[1:])
    # the ids and labels: the kept ones in their order, the new ones put in at their places
    lengths = np.diff(np.asarray(ix.ids_off))
    blob = np.asarray(ix.ids)[np.repeat(keep_node, lengths)]
    kept_len = lengths[keep_node]
    at_node = ins - np.searchsorted(removed_pos, ins, side="left")  # positions among the kept nodes
    kept_off = np.zeros(len(kept_len) + 1, dtype=np.int64)
    np.cumsum(kept_len, out=kept_off[1:])
    if add_ids:
        blob = np.insert(blob, np.repeat(kept_off[at_node], [len(a) for a in add_ids]),
                         np.frombuffer(b"".join(add_ids), dtype=np.uint8))
        kept_len = np.insert(kept_len, at_node, [len(a) for a in add_ids])
    ids_off = np.zeros(m + 1, dtype=np.int64)
    np.cumsum(kept_len, out=ids_off[1:])
    new_label = np.insert(label[keep_node], at_node, np.array([c for _, c in added], dtype=np.uint8))
    return PathIndex(generation, labels, types, {"ids_off": ids_off, "ids": blob, "label": new_label.astype(np.uint8),
                                                 "off": new_off, "nbr": other.astype(np.int32), "etype": et.astype(np.uint8)},
                     log)


def prune_log(tables) -> None:
    """Forget the changes the index beside the store holds (all of them when there is none: the next one is built whole)."""
    epoch, floor, last = tables.change_log()
    got = PathIndex.read(index_path(tables.store))
    upto = got.log[1] if got is not None and got.log[0] == epoch else last
    if got is not None and not got.patchable(tables.count_changes_after(upto)):
        upto = last  # more changes than a patch is worth: the next index is built whole
    if upto > floor:
        tables.prune_changes(upto)


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
    base = got if got is not None else have
    got = (patch(base, tables) if base is not None else None) or build(tables)
    try:
        got.write(path)
    except OSError:
        return got  # a folder that cannot be written: this process keeps it in memory
    return PathIndex.read(path) or got
