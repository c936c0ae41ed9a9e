"""The path index is patched from the tables' change log, and the patched index is the one a whole build gives.

Documents are added (English and Chinese), changed and removed one at a time; after each change the index
beside the store is brought up to date by a patch (the build is not called), and its nodes, labels and
relationships (decoded: codes may be numbered in another order) equal those of an index built whole from
the same tables; the paths found are those of networkx. The log is pruned up to what the index holds."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tests.graph.conftest import ingest_here
from unkg.graph import path_index
from unkg.graph.table_graph import StoreGraph, build_tables

DATA = Path(__file__).parent / "data"
SAMPLES = Path(__file__).resolve().parents[2] / "samples"


def _decoded(ix: path_index.PathIndex) -> tuple:
    ids = [ix.id_of(i) for i in range(ix.n)]
    labels = np.array(ix.labels, dtype=object)[np.asarray(ix.label)].tolist()
    types = np.array(ix.types, dtype=object)[np.asarray(ix.etype)].tolist()
    node = np.repeat(np.arange(ix.n), np.diff(np.asarray(ix.off)))
    entries = list(zip(node.tolist(), np.asarray(ix.nbr).tolist(), types))
    return ids, labels, np.asarray(ix.off).tolist(), entries


def _whole(store) -> path_index.PathIndex:
    return path_index.build(StoreGraph(store).tables)


def test_each_change_is_patched_in_and_equals_a_whole_build(seed_store, tmp_path, monkeypatch):
    sg = StoreGraph(seed_store)
    first = sg.path_index()
    assert first.log[0] and path_index.index_path(seed_store).exists()
    builds = []
    real_build = path_index.build
    monkeypatch.setattr(path_index, "build", lambda t: builds.append(1) or real_build(t))

    changed = tmp_path / "changwon.txt"
    text = (SAMPLES / "002_ccf872ac2b766316.txt").read_text(encoding="utf-8")
    steps = [("add an English decision", [DATA / "lifecycle-en-decision-9-cop16.txt"]),
             ("add a Chinese decision", [DATA / "lifecycle-zh-decision-9-cop16.txt"]),
             ("add a Chinese and an English report", [DATA / "lifecycle-zh-report-cop17.txt", DATA / "lifecycle-en-report-cop17.txt"])]
    ids: list[str] = []
    for what, files in steps:
        ids += ingest_here(files, seed_store)
        _check(seed_store, what, builds, real_build)
    changed.write_text(text + "\nThe Changwon Initiative was funded by the Korea Forest Service.\n", encoding="utf-8")
    ingest_here([changed], seed_store)
    _check(seed_store, "a document changed (a new actor, new relationships)", builds, real_build)
    with seed_store.transaction() as db:
        db.execute("DELETE FROM documents WHERE id = ?", (ids[1],))
    _check(seed_store, "the Chinese decision removed", builds, real_build)
    assert not builds, "every change was patched in, none built whole"


def _check(store, what: str, builds: list, real_build) -> None:
    sg, rep = build_tables(store)
    assert rep.added or rep.updated or rep.removed, what
    before = path_index.PathIndex.read(path_index.index_path(store))
    epoch, floor, last = sg.tables.change_log()
    assert floor == before.log[1] < last, f"{what}: the log keeps exactly what the index lacks"
    ix = sg.path_index()
    assert ix.generation == sg.tables.generation() and ix.log == (epoch, last), what
    assert _decoded(ix) == _decoded(real_build(sg.tables)), what
    assert path_index.PathIndex.read(path_index.index_path(store)).log == ix.log, what  # written beside the store


def test_a_log_that_cannot_tell_means_a_whole_build(seed_store, monkeypatch):
    """Pruned past the index (or another epoch): the index is built whole, and still right."""
    sg = StoreGraph(seed_store)
    ix = sg.path_index()
    ingest_here([DATA / "lifecycle-en-decision-4-cop16.txt"], seed_store)
    sg, _ = build_tables(seed_store)
    epoch, floor, last = sg.tables.change_log()
    sg.tables.prune_changes(last)  # as when too many changes piled up
    assert path_index.patch(ix, sg.tables) is None
    got = StoreGraph(seed_store).path_index()
    assert got.log == (epoch, last) and _decoded(got) == _decoded(_whole(seed_store))
    stale = path_index.PathIndex(ix.generation, ix.labels, ix.types,
                                 {k: getattr(ix, k) for k in ("ids_off", "ids", "label", "off", "nbr", "etype")},
                                 ("another-epoch", ix.log[1]))
    assert path_index.patch(stale, sg.tables) is None


def test_a_log_that_does_not_fit_the_index_is_an_error_not_a_wrong_index(seed_store):
    sg = StoreGraph(seed_store)
    ix = sg.path_index()
    with pytest.raises(ValueError, match="does not hold"):
        path_index._apply(ix, [(-1, "actor:nobody", "initiative:nothing", "MENTIONS")], ix.generation + 1, ix.log)


@pytest.mark.parametrize("seed", range(6))
def test_random_changes_patch_to_what_a_whole_build_gives(seed):
    """Changes a document part can make, at random: relationships between nodes that stay taken away (one of
    several between the same two, self-loops), nodes added (ids sorting anywhere, Chinese ones too), removed
    with their relationships, put back under another label, new labels and relationship types."""
    import random

    rnd = random.Random(seed)
    labels = ["Paragraph", "Actor", "Initiative", "Decision"]
    types = ["MENTIONS", "PART_OF", "CITES"]
    nodes = {f"n{i:04d}": rnd.choice(labels) for i in range(300)}
    edges = [(rnd.choice(list(nodes)), rnd.choice(list(nodes)), rnd.choice(types)) for _ in range(900)]
    edges += [(u, u, "CITES") for u in rnd.sample(list(nodes), 5)] + edges[:40]  # self-loops, repeated relationships
    base = path_index.from_lists(1, sorted(nodes.items()), edges)
    base.log = ("epoch", 0)
    log = []
    for _ in range(60):
        kind = rnd.random()
        if kind < 0.35 and edges:
            e = edges.pop(rnd.randrange(len(edges)))
            log.append((-1, *e))
        elif kind < 0.6:
            new = rnd.choice(["a", "n0150x", "z", "倡议", "n"]) + str(rnd.randrange(10**6))
            nodes[new] = rnd.choice(labels + ["Target"])
            log.append((2, new, None, nodes[new]))
            for _ in range(rnd.randrange(4)):
                e = (new, rnd.choice(list(nodes)), rnd.choice(types + ["FUNDS"]))
                edges.append(e)
                log.append((1, *e))
        elif kind < 0.8:
            gone = rnd.choice(list(nodes))
            for e in [e for e in edges if gone in e[:2]]:
                edges.remove(e)
                log.append((-1, *e))
            log.append((-2, gone, None, nodes.pop(gone)))
            if rnd.random() < 0.5:  # back under another label, with a relationship
                nodes[gone] = "Country"
                log.append((2, gone, None, "Country"))
                e = (gone, rnd.choice(list(nodes)), "MENTIONS")
                edges.append(e)
                log.append((1, *e))
        else:
            e = (rnd.choice(list(nodes)), rnd.choice(list(nodes)), rnd.choice(types))
            edges.append(e)
            log.append((1, *e))
    patched = path_index._apply(base, log, 2, ("epoch", len(log)))
    whole = path_index.from_lists(2, sorted(nodes.items(), key=lambda kv: kv[0].encode()), edges)
    assert _decoded(patched) == _decoded(whole)
    assert patched.generation == 2 and patched.log == ("epoch", len(log))
