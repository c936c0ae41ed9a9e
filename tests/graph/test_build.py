"""The networkx graph: schema, provenance, stable ids, incremental rebuilds."""

from __future__ import annotations

import pytest

from unkg.graph import schema as S
from unkg.graph.build import KnowledgeGraph, build_graph, document_contribution
from unkg.errors import GraphError
from unkg.model import Block, Citation, Document, Entity, Mandate

from tests.conftest import SAMPLES


def _snapshot(kg: KnowledgeGraph) -> tuple[set, set]:
    return set(kg.g.nodes), {(u, v, k) for u, v, k in kg.g.edges(keys=True)}


def _scratch(store, tmp_path) -> KnowledgeGraph:
    kg, _ = build_graph(store, cache=tmp_path / "scratch.pickle", save=False, kg=KnowledgeGraph())
    return kg


def test_seed_graph_follows_the_schema(seed_store, tmp_path):
    kg, rep = build_graph(seed_store, cache=tmp_path / "g.pickle")
    g = kg.g
    assert rep.added == 5 and rep.facts is True
    counts = kg.counts()
    for label in ("Document", "Paragraph", "Decision", "Session", "Mandate", "Actor", "Country", "Initiative", "Target", "Quantity"):
        assert counts["labels"].get(label, 0) > 0, label
    assert counts["labels"]["Paragraph"] == seed_store.counts()["blocks"]
    for n, a in g.nodes(data=True):
        assert a["label"] in S.LABELS
        assert S.label_for_id(n) == a["label"], n
        assert a.get("name"), n
        assert all(v is not None for v in a.values())
    for u, v, k, a in g.edges(keys=True, data=True):
        srcs, dsts, _ = S.REL_TYPES[a["type"]]
        assert g.nodes[u]["label"] in srcs and g.nodes[v]["label"] in dsts, (a["type"], u, v)
        # every edge keeps its provenance: the paragraph it came from, which is in the graph
        assert a.get("paragraph"), k
        assert S.paragraph_node_id(a["paragraph"]) in g, k
        assert k.startswith(a["type"] + "|")


def test_ids_are_stable_across_rebuilds(seed_store, tmp_path):
    a = _scratch(seed_store, tmp_path)
    b = _scratch(seed_store, tmp_path)
    assert _snapshot(a) == _snapshot(b)
    assert "decision:22/COP.15" in a.g and "session:COP.15" in a.g
    assert a.g.has_edge("decision:22/COP.15", "session:COP.15")


def test_second_build_touches_nothing(seed_store, tmp_path):
    cache = tmp_path / "g.pickle"
    kg1, rep1 = build_graph(seed_store, cache=cache)
    kg2, rep2 = build_graph(seed_store, cache=cache)
    assert rep2.unchanged == 5 and rep2.added == rep2.updated == rep2.removed == 0 and rep2.items == 0
    assert _snapshot(kg1) == _snapshot(kg2)


def test_incremental_update_and_removal_equal_a_fresh_build(seed_store, tmp_path):
    from tests.graph.conftest import ingest_here

    cache = tmp_path / "g.pickle"
    kg, _ = build_graph(seed_store, cache=cache)
    # change one document: the Changwon story gains a sentence
    src = tmp_path / "changwon.txt"
    text = (SAMPLES / "002_ccf872ac2b766316.txt").read_text(encoding="utf-8")
    src.write_text(text + "\nThe Changwon Initiative was funded by the Korea Forest Service.\n", encoding="utf-8")
    new_id = ingest_here([src], seed_store)[0]
    kg, r = build_graph(seed_store, cache=cache)
    assert r.added == 1 and r.updated == 0 and r.unchanged == 5
    assert _snapshot(kg) == _snapshot(_scratch(seed_store, tmp_path))
    # remove two documents: their paragraphs go, shared nodes stay while others name them
    for doc_id in [new_id, "ICCD/COP(16)/18@zh"]:
        seed_store._db.execute("DELETE FROM blocks WHERE doc_id = ?", (doc_id,))
        seed_store._db.execute("DELETE FROM documents WHERE id = ?", (doc_id,))
    kg, r = build_graph(seed_store, cache=cache)
    assert r.removed == 2 and r.unchanged == 4
    assert _snapshot(kg) == _snapshot(_scratch(seed_store, tmp_path))
    assert "decision:22/COP.15" not in kg.g  # only the COP 16 report cited it
    assert "initiative:changwon-initiative" in kg.g  # still named by the seed article
    # the cache on disk is the same graph
    assert _snapshot(KnowledgeGraph.load(cache)) == _snapshot(kg)


def _synthetic() -> Document:
    """An English decision text with every annotation the graph reads (no extraction involved)."""
    text1 = "Recalling decisions 3/COP.13 and 22/COP.15,"
    text2 = "Requests the secretariat and the Global Mechanism to report on the Changwon Initiative to COP 17;"
    ents = [Entity(type="actor", text="secretariat", start=13, end=24, id="actor:unccd-secretariat", name="UNCCD secretariat"),
            Entity(type="actor", text="Global Mechanism", start=33, end=49, id="actor:global-mechanism", name="Global Mechanism"),
            Entity(type="initiative", text="Changwon Initiative", start=67, end=86, id="initiative:changwon-initiative", name="Changwon Initiative"),
            Entity(type="quantity", text="two", start=0, end=3, id="quantity:x", name="two", value=2.0)]
    return Document(
        id="ICCD/COP(16)/L.9@en", source="synthetic", sha256="0" * 64, format="txt", symbol="ICCD/COP(16)/L.9",
        title="Synthetic decision", language="en", languages=["en"], body="UNCCD Conference of the Parties", session="16",
        doc_type="decision",
        blocks=[
            Block(id="S#1", ord=0, kind="preambular", text=text1, language="en",
                  citations=[Citation(type="decision", id="decision:3/COP.13", text="3/COP.13", start=20, end=28),
                             Citation(type="decision", id="decision:22/COP.15", text="22/COP.15", start=33, end=42),
                             Citation(type="sdg_target", id="sdg:target:15.3", text="target 15.3", start=0, end=1)]),
            Block(id="S#2", ord=1, kind="operative", label="1.", text=text2, language="en", verb="Requests", entities=ents,
                  mandates=[Mandate(verb="Requests", verb_en="request", force="requests",
                                    addressees=["actor:unccd-secretariat", "actor:global-mechanism"],
                                    action="to report on the Changwon Initiative", deadline="COP 17", decision="decision:22/COP.15")]),
            Block(id="S#3", ord=2, kind="operative", label="(a)", parent="S#2", level=2, text="(a) in French", language="fr",
                  translation_of="S#2"),
        ],
    )


def test_contribution_of_a_synthetic_decision():
    c = document_contribution(_synthetic(), facts=[
        {"subject": "initiative:changwon-initiative", "predicate": "LAUNCHED_BY", "object": "actor:korea-forest-service", "block_id": "S#2"},
        {"subject": "initiative:changwon-initiative", "predicate": "LAUNCHED_IN", "object": "date:2011", "block_id": "S#2"},
        {"subject": "initiative:changwon-initiative", "predicate": "INVENTED_BY", "object": "actor:x", "block_id": "S#2"},
    ])
    types = {(e.type, e.src, e.dst) for e in c.edges.values()}
    assert ("FOLLOWS_UP", "decision:22/COP.15", "decision:3/COP.13") in types
    assert ("ADOPTED_AT", "decision:3/COP.13", "session:COP.13") in types
    assert ("CONTAINS_MANDATE", "decision:22/COP.15", "mandate:S#2/0") in types
    assert ("ADDRESSED_TO", "mandate:S#2/0", "actor:global-mechanism") in types
    assert ("LAUNCHED_BY", "initiative:changwon-initiative", "actor:korea-forest-service") in types
    assert ("TRANSLATION_OF", "para:S#3", "para:S#2") in types and ("PART_OF", "para:S#3", "para:S#2") in types
    assert ("FOR_SESSION", "document:ICCD/COP(16)/L.9@en", "session:COP.16") in types
    assert ("CITES", "para:S#1", "sdg:target:15.3") in types
    assert c.nodes["initiative:changwon-initiative"].props["launched_in"] == "2011"
    assert c.nodes["quantity:S#2@0"].props["value"] == 2.0
    assert c.nodes["sdg:target:15.3"].props["kos"] == "http://metadata.un.org/sdg/15.3"
    assert any("INVENTED_BY" in s for s in c.skipped)  # not on the allow-list: left out, and said so


def test_schema_rejects_labels_and_types_off_the_allow_list():
    with pytest.raises(GraphError):
        S.check_label("Actor) DETACH DELETE (n")
    with pytest.raises(GraphError):
        S.check_rel_type("KNOWS]->() DELETE r //")
    assert S.normalize_decision("第22/COP.15号决定") == "decision:22/COP.15"
    assert S.normalize_decision("decision 22/COP.15") == "decision:22/COP.15"
    assert S.normalize_decision("62/193") == "resolution:62/193"
    assert S.sdg_kos_iri("sdg:goal:15") == "http://metadata.un.org/sdg/15"
    assert S.decision_session("decision:1/CRIC.21") == "session:CRIC.21"


@pytest.mark.parametrize("sample", ["003_fba4fe6ec1bb1a00.txt", "001_309b4cd226994121.txt"])
def test_garbled_paragraphs_stay_out_of_the_graph(tmp_path, sample):
    from tests.extract.test_garbled import _broken_font_map
    from unkg.extract import annotate
    from unkg.ingest.pipeline import parse_file

    clean = annotate(parse_file(SAMPLES / sample))
    paras = [b.text for b in clean.blocks if b.kind in ("text", "operative", "preambular") and len(b.text) > 60][:9]
    f = tmp_path / "mixed.txt"
    f.write_text("\n\n".join(_broken_font_map(p) if i % 3 == 2 else p for i, p in enumerate(paras)), encoding="utf-8")
    doc = annotate(parse_file(f))
    garbled = {S.paragraph_node_id(b.id) for b in doc.blocks if b.zone == "garbled"}
    assert len(garbled) == 3
    contrib = document_contribution(doc)
    nodes = set(contrib.nodes)
    assert not nodes & garbled
    assert {S.paragraph_node_id(b.id) for b in doc.blocks if b.zone != "garbled"} <= nodes
