"""The compiled path search (graph/_pathsearch.c) gives the answers of the Python search it replaces.

Both read the compact adjacency (graph.path_index). They are compared on random graphs shaped like the
store's (labels, relationship types of different costs, several relationships between two nodes, self-loops,
hubs of hundreds of relationships that the search defers) for many pairs, with and without documents avoided,
without a budget and with budgets that run out part-way: the same path, or the same "no path", or the same
refusal after reading the same number of relationships. The Python search itself is compared with networkx in
test_table_graph.py, on the seed documents (English and Chinese)."""

from __future__ import annotations

import random

import numpy as np

import pytest

from unkg.graph import path_index, query
from unkg.graph.query import DEFER_DEGREE, PathBudgetExceeded, _CompactWeighed, _shortest_path

LABELS = ["Paragraph", "Document", "Actor", "Initiative", "Decision", "Session", "Country", "Mandate"]
TYPES = ["HAS_PARAGRAPH", "PART_OF", "MENTIONS", "ADDRESSED_TO", "FOR_SESSION", "TRANSLATION_OF", "CITES"]


def test_the_compiled_search_is_built():
    assert query._pathsearch is not None, (
        "graph/_pathsearch.c was not compiled: `pip install -e .` builds it where a C compiler is at hand")


def _random_index(seed: int, n: int, edges: int, hubs: int) -> path_index.PathIndex:
    rnd = random.Random(seed)
    ids = sorted(f"n{i:06d}" for i in range(n))
    labels = {i: rnd.choice(LABELS) for i in ids}
    main, apart = ids[: n * 9 // 10], ids[n * 9 // 10:]  # two parts with no path between them
    hub_ids = rnd.sample(main, hubs)
    out = []
    for k in range(edges):
        part = apart if k % 10 == 0 else main
        u = rnd.choice(hub_ids) if part is main and rnd.random() < 0.3 else rnd.choice(part)
        v = rnd.choice(part) if rnd.random() < 0.97 else u  # a few self-loops
        out.append((u, v, rnd.choice(TYPES)))
        if rnd.random() < 0.05:
            out.append((v, u, rnd.choice(TYPES)))  # another relationship between the same two, either way
    return path_index.from_lists(1, ((i, labels[i]) for i in ids), out)


def _ask(ix, a: str, b: str, avoid: bool, budget, compiled: bool):
    w = _CompactWeighed(ix, a, b, avoid, DEFER_DEGREE)
    if not compiled:
        w.compiled_search = None
    else:
        assert w.compiled_search is not None
    try:
        return ("path", _shortest_path(None, a, b, None, budget=budget, weighed=w))
    except PathBudgetExceeded as exc:
        return ("budget", exc.read, exc.budget)


@pytest.mark.parametrize("seed,n,edges,hubs", [(1, 400, 2000, 2), (2, 3000, 9000, 8), (3, 6000, 30000, 25)])
def test_compiled_and_python_search_give_the_same_answers(seed, n, edges, hubs):
    ix = _random_index(seed, n, edges, hubs)
    assert int((ix.off[1:] - ix.off[:-1]).max()) > DEFER_DEGREE, "some hubs wait before they are expanded"
    rnd = random.Random(seed)
    ids = [ix.id_of(i) for i in range(ix.n)]
    kinds = {"path": 0, "none": 0, "budget": 0}
    for _ in range(80):
        a, b = rnd.sample(ids, 2)
        for avoid in (True, False):
            for budget in (None, 50_000, rnd.randint(1, 3000)):
                want = _ask(ix, a, b, avoid, budget, compiled=False)
                assert _ask(ix, a, b, avoid, budget, compiled=True) == want, (a, b, avoid, budget)
                kinds["budget" if want[0] == "budget" else "none" if want[1] is None else "path"] += 1
    assert all(kinds.values()), kinds  # paths found, pairs with none, budgets run out: all three compared


def test_explain_path_on_the_store_uses_the_compiled_search(seed_store, monkeypatch):
    from unkg.graph.table_graph import StoreGraph

    calls = []
    real = query._pathsearch

    class Counting:
        @staticmethod
        def search(*args):
            calls.append(args[7:9])
            return real.search(*args)

    sg = StoreGraph(seed_store)
    monkeypatch.setattr(query, "_pathsearch", None)  # the Python search
    want = query.explain_path(sg, "第22/COP.15号决定", "昌原倡议")
    assert not calls
    monkeypatch.setattr(query, "_pathsearch", Counting)
    assert query.explain_path(sg, "第22/COP.15号决定", "昌原倡议") == want
    assert calls, "the store's path question went through the compiled search"
    assert [s["to"]["id"] for s in want["steps"]][-1] == "initiative:changwon-initiative"


def test_a_damaged_index_file_is_a_clear_error_naming_it(seed_store):
    """A relationship pointing outside the arrays (a file damaged on disk) is refused, never read past."""
    from unkg.errors import GraphError
    from unkg.graph.table_graph import StoreGraph

    ix = StoreGraph(seed_store).path_index()
    a = int(ix.off[ix.index_of("initiative:changwon-initiative")])
    nbr = np.array(ix.nbr)
    nbr[a] = ix.n + 5
    bad = path_index.PathIndex(ix.generation, ix.labels, ix.types,
                               {"ids_off": ix.ids_off, "ids": ix.ids, "label": ix.label, "off": ix.off, "nbr": nbr,
                                "etype": ix.etype}, ix.log)
    bad.path = path_index.index_path(seed_store)
    w = _CompactWeighed(bad, "decision:22/COP.15", "initiative:changwon-initiative", True, DEFER_DEGREE)
    with pytest.raises(GraphError, match=r"damaged.*unkg\.sqlite\.paths; remove it"):
        _shortest_path(None, "decision:22/COP.15", "initiative:changwon-initiative", None, budget=None, weighed=w)
