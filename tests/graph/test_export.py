"""Exports: every format is re-parsed and its counts equal the networkx graph."""

from __future__ import annotations

import csv
import json

import networkx as nx
import pytest
import rdflib
from rdflib import RDF, RDFS, URIRef
from rdflib.namespace import OWL, PROV

from unkg.graph import schema as S
from unkg.graph.build import build_graph
from unkg.graph.export import ONT, ONTOLOGY, REL_PROPERTY, export, rdf_counts, read_csv_counts

from tests.conftest import json_lines, run_cli


@pytest.fixture
def seed_graph(seed_store, tmp_path):
    kg, _ = build_graph(seed_store, cache=tmp_path / "g.pickle")
    return kg


@pytest.mark.parametrize("fmt,rdf_format", [("ttl", "turtle"), ("jsonld", "json-ld")])
def test_rdf_exports_reparse_with_equal_counts(seed_graph, tmp_path, fmt, rdf_format):
    path = tmp_path / f"graph.{fmt}"
    export(seed_graph, fmt, path)
    g = rdflib.Graph()
    g.parse(str(path), format=rdf_format)
    counts = rdf_counts(g)
    local = seed_graph.counts()
    assert counts["nodes"] == local["nodes"] and counts["labels"] == local["labels"]
    assert counts["relationships"] == local["relationships"]
    # SDG targets keep their UN SDG KOS IRIs; provenance through PROV
    target = URIRef("http://metadata.un.org/sdg/15.3")
    assert (target, RDF.type, URIRef(ONT + "Target")) in g
    assert (target, RDF.type, URIRef("http://metadata.un.org/sdg/ontology#Target")) in g
    derived = list(g.subject_objects(PROV.wasDerivedFrom))
    assert len(derived) == local["relationships"]
    changwon = next(g.subjects(URIRef(ONT + "id"), rdflib.Literal("initiative:changwon-initiative")))
    assert (changwon, URIRef(ONT + "launchedBy"), next(g.subjects(URIRef(ONT + "id"), rdflib.Literal("actor:korea-forest-service")))) in g


def test_ontology_declares_every_label_and_type():
    onto = rdflib.Graph().parse(str(ONTOLOGY), format="turtle")
    for label in S.LABELS:
        assert (URIRef(ONT + label), RDF.type, OWL.Class) in onto, label
    for rel, prop in REL_PROPERTY.items():
        assert (URIRef(ONT + prop), RDF.type, OWL.ObjectProperty) in onto, rel
        assert (URIRef(ONT + prop), RDFS.label, rdflib.Literal(rel)) in onto


def test_graphml_reparses_with_label_and_name(seed_graph, tmp_path):
    path = tmp_path / "graph.graphml"
    export(seed_graph, "graphml", path)
    h = nx.read_graphml(str(path), force_multigraph=True)
    assert h.number_of_nodes() == seed_graph.g.number_of_nodes()
    assert h.number_of_edges() == seed_graph.g.number_of_edges()
    for n, a in h.nodes(data=True):
        assert a["label"] == seed_graph.g.nodes[n]["label"] and a["name"]
    labels = {}
    for _, a in h.nodes(data=True):
        labels[a["label"]] = labels.get(a["label"], 0) + 1
    assert labels == seed_graph.counts()["labels"]
    assert {d["label"] for _, _, d in h.edges(data=True)} == set(seed_graph.counts()["types"])


def test_csv_is_neo4j_bulk_import_format(seed_graph, tmp_path):
    folder = tmp_path / "csv"
    export(seed_graph, "csv", folder)
    counts = read_csv_counts(folder)
    local = seed_graph.counts()
    assert counts["nodes"] == local["nodes"] and counts["labels"] == local["labels"]
    assert counts["relationships"] == local["relationships"] and counts["types"] == local["types"]
    with open(folder / "nodes_Paragraph.csv", newline="", encoding="utf-8") as fh:
        head = next(csv.reader(fh))
    assert head[0] == "id:ID" and head[-1] == ":LABEL" and "ord:long" in head and "text:string" in head
    with open(folder / "nodes_Actor.csv", newline="", encoding="utf-8") as fh:
        head = next(csv.reader(fh))
    assert "aliases:string[]" in head
    with open(folder / "relationships_LAUNCHED_BY.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    assert rows[0][:3] == [":START_ID", ":END_ID", ":TYPE"] and "paragraph:string" in rows[0]
    assert any(r[0] == "initiative:changwon-initiative" and r[1] == "actor:korea-forest-service" for r in rows[1:])
    script = (folder / "import.sh").read_text()
    assert "neo4j-admin database import full" in script and "--nodes=nodes_Actor.csv" in script


def test_export_cli_writes_every_format(seed_home, tmp_path):
    res = run_cli("graph", "build", "--json")
    assert res.returncode == 0, res.stderr
    built = json_lines(res.stdout)[0]
    for fmt in ("ttl", "jsonld", "graphml", "csv"):
        out = tmp_path / f"out-{fmt}"
        res = run_cli("graph", "export", "--format", fmt, "-o", str(out), "--json")
        assert res.returncode == 0, res.stderr
        info = json.loads(res.stdout)
        assert info["nodes"] == built["nodes"] and info["relationships"] == built["relationships"]
        assert out.exists()
    res = run_cli("graph", "export", "--format", "xml", "-o", str(tmp_path / "x"))
    assert res.returncode == 2 and "unknown export format" in res.stderr
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    res = run_cli("graph", "export", "--format", "csv", "-o", str(blocker / "csv"))
    assert res.returncode == 2 and "cannot write" in res.stderr
