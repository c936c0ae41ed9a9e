"""What the graph must show from the five seeds alone (issue 5).

Changwon Initiative, Kubuqi International Desert Forum / Action Plan and LDN TSP 2.0
are nodes linked to the actors the text names, and a path query from a COP
decision reaches each of them, every step citing a paragraph of the seeds.
"""

from __future__ import annotations

import pytest

from unkg.graph import schema as S
from unkg.graph.build import build_graph
from unkg.graph.query import explain_path, neighbours, resolve

INITIATIVES = {
    "initiative:changwon-initiative": ("Changwon Initiative", {("LAUNCHED_BY", "actor:korea-forest-service")}),
    "initiative:kubuqi-international-desert-forum": ("Kubuqi International Desert Forum", {
        ("ORGANIZED_BY", "actor:china-ministry-of-science-and-technology"),
        ("ORGANIZED_BY", "actor:china-state-forestry-administration"),
        ("ORGANIZED_BY", "actor:inner-mongolia-government"),
        ("ORGANIZED_BY", "actor:unep"),
        ("ORGANIZED_BY", "actor:unccd-secretariat"),
    }),
    "initiative:kubuqi-action-plan": ("Kubuqi Action Plan", {("ADOPTED_BY", "initiative:kubuqi-international-desert-forum")}),
    "initiative:ldn-tsp-2": ("LDN TSP 2.0", {
        ("FUNDED_BY", "actor:gef"),
        ("LAUNCHED_BY", "actor:unccd-secretariat"),
        ("LAUNCHED_BY", "actor:global-mechanism"),
    }),
}


@pytest.fixture
def seed_graph(seed_store, tmp_path):
    kg, _ = build_graph(seed_store, cache=tmp_path / "g.pickle")
    return kg


def _facts(kg, node):
    g = kg.g
    out = {(d["type"], v) for _, v, d in g.out_edges(node, data=True)}
    out |= {(d["type"] + "<-", u) for u, _, d in g.in_edges(node, data=True)}
    return out


@pytest.mark.parametrize("node", sorted(INITIATIVES))
def test_initiative_nodes_are_linked_to_the_actors_the_text_names(seed_graph, node):
    name, expected = INITIATIVES[node]
    g = seed_graph.g
    assert node in g and g.nodes[node]["label"] == "Initiative"
    assert resolve(seed_graph, name) == node
    facts = _facts(seed_graph, node)
    assert expected <= facts, expected - facts
    for rel, other in expected:  # each link cites the paragraph that states it
        data = next(d for d in g.get_edge_data(node, other).values() if d["type"] == rel)
        para = g.nodes[S.paragraph_node_id(data["paragraph"])]
        assert para["label"] == "Paragraph" and para["text"]


def test_iucn_is_a_partner_of_ldn_tsp_2(seed_graph):
    assert ("PARTNER_OF<-", "actor:iucn") in _facts(seed_graph, "initiative:ldn-tsp-2")
    nb = neighbours(seed_graph, "LDN TSP 2.0", include_paragraphs=False)
    ids = {n["id"] for n in nb["nodes"]}
    assert {"actor:gef", "actor:iucn", "actor:global-mechanism", "actor:unccd-secretariat"} <= ids


@pytest.mark.parametrize("target", ["Changwon Initiative", "Kubuqi International Desert Forum", "Kubuqi Action Plan", "LDN TSP 2.0"])
def test_path_from_a_cop_decision_cites_a_paragraph_at_every_step(seed_graph, seed_store, target):
    res = explain_path(seed_graph, "decision 22/COP.15", target)
    assert res["source"]["id"] == "decision:22/COP.15"
    assert res["target"]["id"] == resolve(seed_graph, target)
    steps = res["steps"]
    assert 1 <= len(steps) <= 6
    assert steps[0]["from"]["id"] == "decision:22/COP.15" and steps[-1]["to"]["id"] == res["target"]["id"]
    g = seed_graph.g
    blocks = {b.id: b for _, b in seed_store.iter_blocks()}
    for a, b in zip(steps, steps[1:]):
        assert a["to"]["id"] == b["from"]["id"]
    for s in steps:
        u, v = (s["from"]["id"], s["to"]["id"]) if s["direction"] == "forward" else (s["to"]["id"], s["from"]["id"])
        assert s["key"] in (g.get_edge_data(u, v) or {}), s
        p = s["paragraph"]
        assert p and p["id"] in blocks, s  # a real paragraph of the seeds
        assert p["citation"] and p["text"]
        assert blocks[p["id"]].text.startswith(p["text"].rstrip("…")[:50])
    # the last step rests on the paragraph that names the initiative
    last = blocks[steps[-1]["paragraph"]["id"]].text
    node = g.nodes[res["target"]["id"]]
    assert any(alias in last for alias in [node["name"], *node.get("aliases", [])] if len(alias) > 2) or "该论坛" in last or "the Forum" in last


def test_the_decision_is_adopted_at_cop_15_and_answered_by_the_cop_16_report(seed_graph):
    g = seed_graph.g
    assert ("ADOPTED_AT", "session:COP.15") in _facts(seed_graph, "decision:22/COP.15")
    assert ("RESPONDS_TO<-", "document:ICCD/COP(16)/18@zh") in _facts(seed_graph, "decision:22/COP.15")
    # the report answers the request "to submit a report on progress" of decision 22/COP.15
    answered = [v for _, v, d in g.out_edges("document:ICCD/COP(16)/18@zh", data=True)
                if d["type"] == "RESPONDS_TO" and g.nodes[v]["label"] == "Mandate"]
    assert answered and all(g.nodes[m]["decision"] == "decision:22/COP.15" for m in answered)
    assert ("FOR_SESSION", "session:COP.16") in _facts(seed_graph, "document:ICCD/COP(16)/18@zh")
