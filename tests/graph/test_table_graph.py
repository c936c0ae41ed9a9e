"""The graph kept in the store's tables: the same graph as the networkx build, updated per document,
and the same answers (neighbourhoods, explained paths, precedents, look-ups by name in any language)."""

from __future__ import annotations

import itertools

import pytest

from unkg.errors import GraphError
from unkg.graph.build import KnowledgeGraph, build_graph
from unkg.graph.query import explain_path, find_nodes, most_linked, neighbours, precedents, resolve
from unkg.graph.table_graph import StoreGraph, build_tables

from tests.conftest import SAMPLES


def _nx_state(kg: KnowledgeGraph) -> tuple[dict, dict, dict]:
    g = kg.g
    return ({n: dict(a) for n, a in g.nodes(data=True)}, {(u, v, k): dict(a) for u, v, k, a in g.edges(keys=True, data=True)},
            {n: g.degree(n) for n in g.nodes})


def _table_state(sg: StoreGraph) -> tuple[dict, dict, dict]:
    g = sg.g
    nodes = {n: dict(a) for n, a in g.nodes(data=True)}
    edges = {(u, v, k): dict(t=t, **p) for u, v, k, t, p in sg.tables.all_edges()}
    edges = {e: {("type" if k == "t" else k): v for k, v in a.items()} for e, a in edges.items()}
    return nodes, edges, {n: g.degree(n) for n in nodes}


def _fresh(store, tmp_path) -> KnowledgeGraph:
    kg, _ = build_graph(store, kg=KnowledgeGraph(), cache=tmp_path / "scratch.pickle", save=False)
    return kg


def test_tables_hold_the_networkx_graph(seed_store, tmp_path):
    sg = StoreGraph(seed_store)
    kg = _fresh(seed_store, tmp_path)
    assert _table_state(sg) == _nx_state(kg)
    assert sg.counts() == kg.counts()
    assert sg.built == kg.built
    whole = sg.to_knowledge_graph()
    assert _nx_state(whole) == _nx_state(kg)
    assert whole.doc_items(["ICCD/COP(16)/18@zh"]) == kg.doc_items(["ICCD/COP(16)/18@zh"]) == sg.doc_items(["ICCD/COP(16)/18@zh"])
    # the relationships of a node come in the order networkx gives them (answers that take "the first" agree)
    for n in itertools.islice((n for n in kg.g.nodes if not n.startswith("para:")), 80):
        assert sg.g.out_edges(n, keys=True, data=True) == list(kg.g.out_edges(n, keys=True, data=True)), n
        assert sg.g.in_edges(n, keys=True, data=True) == list(kg.g.in_edges(n, keys=True, data=True)), n


def test_one_changed_document_rewrites_only_its_part(seed_store, tmp_path):
    from tests.graph.conftest import ingest_here

    kg, _ = build_graph(seed_store, cache=tmp_path / "g.pickle")
    sg = StoreGraph(seed_store)
    before = dict(seed_store._db.execute("SELECT id, seq FROM graph_nodes").fetchall())
    src = tmp_path / "changwon.txt"
    text = (SAMPLES / "002_ccf872ac2b766316.txt").read_text(encoding="utf-8")
    src.write_text(text + "\nThe Changwon Initiative was funded by the Korea Forest Service.\n", encoding="utf-8")
    new_id = ingest_here([src], seed_store)[0]
    sg, rep = build_tables(seed_store)
    assert rep.added == 1 and rep.updated == 0 and rep.unchanged == 5
    kg, _ = build_graph(seed_store, kg=kg, cache=tmp_path / "g.pickle")
    assert _table_state(sg) == _nx_state(kg) == _nx_state(_fresh(seed_store, tmp_path))
    after = dict(seed_store._db.execute("SELECT id, seq FROM graph_nodes").fetchall())
    new_nodes = sg.doc_items([new_id])[0]
    # every node of the other documents kept its row; only nodes of the new document were written
    assert {n for n in after if before.get(n) != after[n]} <= new_nodes
    # a revised paragraph: the document is rewritten, nothing else
    seed_store._db.execute("UPDATE documents SET sha256 = ? WHERE id = ?", ("e" * 64, new_id))
    sg, rep = build_tables(seed_store)
    assert rep.updated == 1 and rep.unchanged == 5 and rep.added == 0
    kg, _ = build_graph(seed_store, kg=kg, cache=tmp_path / "g.pickle")
    assert _table_state(sg) == _nx_state(kg)
    # removed documents: their paragraphs go, shared nodes stay while another document names them
    for doc_id in [new_id, "ICCD/COP(16)/18@zh"]:
        seed_store._db.execute("DELETE FROM blocks WHERE doc_id = ?", (doc_id,))
        seed_store._db.execute("DELETE FROM documents WHERE id = ?", (doc_id,))
    sg, rep = build_tables(seed_store)
    assert rep.removed == 2 and rep.unchanged == 4
    kg, _ = build_graph(seed_store, kg=kg, cache=tmp_path / "g.pickle")
    # as the networkx graph does, a shared node keeps the names other documents gave it: the same graph,
    # and the same nodes and relationships as a build from nothing
    assert _table_state(sg) == _nx_state(kg)
    fresh = _nx_state(_fresh(seed_store, tmp_path))
    assert set(_table_state(sg)[0]) == set(fresh[0]) and _table_state(sg)[1:] == fresh[1:]
    assert "decision:22/COP.15" not in sg.g and "initiative:changwon-initiative" in sg.g


def test_questions_answer_the_same_from_the_tables(seed_store, tmp_path):
    kg = _fresh(seed_store, tmp_path)
    sg = StoreGraph(seed_store)
    entities = sorted(n for n, a in kg.g.nodes(data=True) if a["label"] not in ("Paragraph", "Quantity"))
    assert len(entities) > 50
    for n in entities:
        assert neighbours(sg, n, depth=2) == neighbours(kg, n, depth=2), n
        assert neighbours(sg, n, include_paragraphs=False) == neighbours(kg, n, include_paragraphs=False), n
    for a, b in itertools.islice(itertools.combinations(entities[::7], 2), 120):
        try:
            want = explain_path(kg, a, b, max_len=50)
        except GraphError as exc:
            with pytest.raises(GraphError, match="no path"):
                explain_path(sg, a, b, max_len=50)
            assert "no path" in str(exc)
            continue
        assert explain_path(sg, a, b, max_len=50) == want, (a, b)
    for d in (n for n in entities if n.startswith("decision:")):
        assert precedents(sg, d) == precedents(kg, d), d


@pytest.mark.parametrize("name", ["Changwon Initiative", "昌原倡议", "22/COP.15", "第22/COP.15号决定", "secretariat", "Global Mechanism",
                                  "changwon", "korea forest"])
def test_names_resolve_to_the_same_node(seed_store, tmp_path, name):
    kg = _fresh(seed_store, tmp_path)
    sg = StoreGraph(seed_store)
    assert resolve(sg, name) == resolve(kg, name)
    with pytest.raises(GraphError, match="nothing in the graph matches"):
        resolve(sg, "no such thing anywhere")


@pytest.mark.parametrize("text,label", [("changwon", None), ("昌原", None), ("倡议", "Initiative"), ("secretariat", None),
                                        ("cop.15", "Decision"), ("iccd", "Document"), ("cop(16)/18@zh", "Paragraph"),
                                        ("kubuqi", "Initiative")])
def test_node_search_is_the_same_on_both_forms(seed_store, tmp_path, text, label):
    """The explorer's name search and starting points: the same nodes in the same order from the tables (name
    index, indexed degrees) as from the networkx graph (a scan), in English and Chinese."""
    kg = _fresh(seed_store, tmp_path)
    sg = StoreGraph(seed_store)
    want = find_nodes(kg, text, label, limit=15)
    assert want, (text, label)
    assert find_nodes(sg, text, label, limit=15) == want
    labels = {kg.g.nodes[n]["label"] for n in want}
    assert labels == {label} if label else not labels & {"Paragraph", "Quantity"}
    starts = ("Initiative", "Decision", "Actor")
    got = most_linked(sg, starts, 30)
    assert [kg.g.degree(n) for n in got] == [kg.g.degree(n) for n in most_linked(kg, starts, 30)]
    assert got[0] == max((n for n, a in kg.g.nodes(data=True) if a["label"] in starts), key=kg.g.degree)


def test_chinese_and_english_paths_from_the_tables(seed_store):
    sg = StoreGraph(seed_store)
    en = explain_path(sg, "22/COP.15", "Changwon Initiative")
    zh = explain_path(sg, "第22/COP.15号决定", "昌原倡议")
    assert en["steps"] and [s["to"]["id"] for s in en["steps"]] == [s["to"]["id"] for s in zh["steps"]]
    assert en["target"]["id"] == "initiative:changwon-initiative"
    assert all(s["paragraph"] for s in en["steps"])


@pytest.mark.parametrize("source,target", [("22/COP.15", "Changwon Initiative"), ("第22/COP.15号决定", "昌原倡议")])
def test_path_search_stops_at_its_budget_the_same_on_all_forms(seed_store, tmp_path, source, target, monkeypatch):
    from unkg.graph import query
    from unkg.graph.query import PATH_BUDGET, PathBudgetExceeded

    kg = _fresh(seed_store, tmp_path)
    sg = StoreGraph(seed_store)  # the compact adjacency
    tg = StoreGraph(seed_store, compact_paths=False)  # a read of the tables per node
    want = explain_path(kg, source, target)
    assert explain_path(sg, source, target) == explain_path(tg, source, target) == want == explain_path(kg, source, target, budget=None)
    # the relationships the answer needed: the degrees of the nodes the search expanded (counted on networkx)
    read = []
    undirected = query._undirected

    def counted(g, n):
        got = undirected(g, n)
        read.append(sum(len(v) for v in got.values()))
        return got

    monkeypatch.setattr(query, "_undirected", counted)
    assert explain_path(kg, source, target, budget=None) == want
    monkeypatch.setattr(query, "_undirected", undirected)
    need = sum(read)
    assert 0 < need <= PATH_BUDGET
    for g in (kg, sg, tg):
        assert explain_path(g, source, target, budget=need) == want  # exactly enough
    for g in (kg, sg, tg):  # one relationship short: the same clear refusal from every form, in bounded work
        with pytest.raises(PathBudgetExceeded, match="within the search budget") as exc:
            explain_path(g, source, target, budget=need - 1)
        assert exc.value.budget == need - 1 and need - 1 < exc.value.read <= need - 1 + max(read)


def _paths(g, pairs):
    out = []
    for a, b in pairs:
        try:
            out.append(explain_path(g, a, b, max_len=50))
        except GraphError as exc:
            out.append(str(exc))
    return out


def test_the_compact_adjacency_answers_as_networkx_after_a_change(seed_store, tmp_path):
    """Paths from the memory-mapped adjacency beside the store are those of the networkx graph, between English and
    Chinese entities, and again after one document changed (the index is built again from the changed tables)."""
    from tests.graph.conftest import ingest_here
    from unkg.graph import path_index

    sg = StoreGraph(seed_store)
    kg = _fresh(seed_store, tmp_path)
    ents = sorted(n for n, a in kg.g.nodes(data=True) if a["label"] not in ("Paragraph", "Quantity"))
    zh = sorted(n for n in ents if any("\u4e00" <= ch <= "\u9fff" for ch in str(kg.g.nodes[n].get("name", ""))))
    assert zh, "the seeds name entities in Chinese"
    pairs = list(itertools.islice(itertools.combinations(ents[::5], 2), 80)) + [(a, b) for a in zh[:6] for b in ents[1::23]]
    pairs += [("第22/COP.15号决定", "昌原倡议"), ("22/COP.15", "Changwon Initiative")]
    ix = sg.path_index()
    file = path_index.index_path(seed_store)
    assert file.exists() and ix.generation == sg.tables.generation()
    assert ix.n == kg.g.number_of_nodes() and int(ix.off[-1]) == 2 * kg.g.number_of_edges()
    assert all(ix.degree(ix.index_of(n)) == kg.g.degree(n) for n in ents)
    assert _paths(sg, pairs) == _paths(kg, pairs)

    src = tmp_path / "changwon.txt"
    text = (SAMPLES / "002_ccf872ac2b766316.txt").read_text(encoding="utf-8")
    src.write_text(text + "\nThe Changwon Initiative was funded by the Korea Forest Service.\n", encoding="utf-8")
    ingest_here([src], seed_store)
    sg, rep = build_tables(seed_store)
    assert rep.added == 1
    kg = _fresh(seed_store, tmp_path)
    assert sg.tables.generation() > ix.generation
    ix2 = sg.path_index()
    assert ix2.generation == sg.tables.generation() and ix2.n == kg.g.number_of_nodes()
    assert path_index.PathIndex.read(file).generation == ix2.generation  # written again beside the store
    pairs.append(("Korea Forest Service", "昌原倡议"))
    assert _paths(sg, pairs) == _paths(kg, pairs)
    assert _paths(StoreGraph(seed_store), pairs) == _paths(kg, pairs)  # a new process: the file as written


def test_a_killed_path_index_write_leaves_no_temp_for_good(seed_store):
    """A rebuild of the path index killed mid-write leaves a temp beside the store; the next write removes it once
    it is old enough that no live write can own it (the rule of the other temps: unkg.leftovers)."""
    import os
    import time

    from unkg.graph import path_index as P

    path = P.index_path(seed_store)
    dead, live = path.parent / f".{path.name}.dead.tmp", path.parent / f".{path.name}.live.tmp"
    dead.write_bytes(b"\0" * 4096)
    live.write_bytes(b"\0" * 4096)
    hour_ago = time.time() - 3600
    os.utime(dead, (hour_ago, hour_ago))
    P.build(StoreGraph(seed_store).tables).write(path)
    assert not dead.exists() and live.exists()
    assert P.PathIndex.read(path) is not None
    live.unlink()


def test_a_relationship_read_by_its_key_is_the_networkx_one(seed_store, tmp_path):
    """`g.edges[u, v, k]` (the web page names each relationship of a neighbourhood this way) reads the one row of
    that key: the same attributes as networkx, in English and Chinese documents, and a KeyError for a key not there."""
    kg = _fresh(seed_store, tmp_path)
    sg = StoreGraph(seed_store)
    seen_langs = set()
    for u, v, k, a in itertools.islice(kg.g.edges(keys=True, data=True), 0, None, 7):
        assert sg.g.edges[u, v, k] == dict(a), (u, v, k)
        assert sg.g.get_edge_data(u, v, k) == dict(a)
        seen_langs.add(kg.g.nodes[u].get("language"))
    assert {"en", "zh"} <= seen_langs
    u, v, k = next(iter(kg.g.edges(keys=True)))
    assert sg.g.get_edge_data(u, v, k + "-no-such-key", default="none") == "none"
    with pytest.raises(KeyError):
        sg.g.edges[v, u, k] if not kg.g.has_edge(v, u, k) else sg.g.edges[u, v, k + "x"]


def test_a_name_part_finds_a_node_added_after_the_last_question(seed_store, tmp_path):
    """The name keys a part is matched against are kept per process while the tables do not change; a new
    document's names are found by the next question (English and Chinese parts)."""
    from tests.graph.conftest import ingest_here

    sg = StoreGraph(seed_store)
    assert find_nodes(sg, "昌原") and not find_nodes(sg, "committee on science")
    src = tmp_path / "changwon.txt"
    text = (SAMPLES / "002_ccf872ac2b766316.txt").read_text(encoding="utf-8")
    src.write_text(text + "\nThe Committee on Science and Technology reviewed the Changwon Initiative.\n", encoding="utf-8")
    ingest_here([src], seed_store)
    sg, _ = build_tables(seed_store)
    kg = _fresh(seed_store, tmp_path)
    for part in ("committee on science", "昌原", "倡议"):
        got = find_nodes(sg, part)
        assert got and got == find_nodes(kg, part), part
    assert "actor:unccd-cst" in find_nodes(sg, "committee on science")
