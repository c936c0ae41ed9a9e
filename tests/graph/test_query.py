"""Queries: mandates, neighbourhood, explained paths, precedents; on the Python API and the CLI."""

from __future__ import annotations

import json

import pytest

from unkg.graph.build import build_graph
from unkg.graph.mandates import MandateFilter, find_mandates
from unkg.graph.query import neighbours, precedents, resolve
from unkg.errors import GraphError

from tests.conftest import run_cli
from tests.graph.test_build import _synthetic


@pytest.fixture
def seed_graph(seed_store, tmp_path):
    kg, _ = build_graph(seed_store, cache=tmp_path / "g.pickle")
    return kg


@pytest.fixture
def mixed_graph(seed_store, tmp_path):
    """The seeds plus one synthetic English decision text (annotations given, no extraction)."""
    seed_store.put_document(_synthetic())
    kg, _ = build_graph(seed_store, cache=tmp_path / "g.pickle")
    return kg


def mandates(store, **filters):
    return find_mandates(store, MandateFilter.of(**filters))


def test_mandates_filtered_by_addressee_decision_session_verb_language(seed_store):
    gm = mandates(seed_store, addressee="Global Mechanism")
    assert {m["citation"] for m in gm} >= {"ICCD/COP(16)/18, para. 2 (a)", "ICCD/COP(16)/18, para. 2 (b)", "ICCD/COP(16)/18, para. 2 (c)"}
    assert all(m["decision"] == "decision:22/COP.15" for m in gm)
    assert all("actor:global-mechanism" in m["addressees"] for m in gm)
    sec = mandates(seed_store, addressee="secretariat", decision="22/COP.15")
    assert sec and all("actor:unccd-secretariat" in m["addressees"] for m in sec)
    assert {m["label"] for m in sec} >= {"(a)", "(b)", "(c)", "(d)"}
    assert mandates(seed_store, decision="decision:22/COP.15", session="COP 15") == mandates(seed_store, decision="22/COP.15")
    assert mandates(seed_store, session="COP.14") == []
    assert all(m["verb_en"] == "request" for m in mandates(seed_store, verb="requests"))
    assert mandates(seed_store, verb="请")
    assert mandates(seed_store, language="zh") and mandates(seed_store, language="ar") == []
    assert mandates(seed_store, addressee="nobody-at-all") == []


def test_session_and_decision_spellings_are_one_filter(seed_store):
    every = mandates(seed_store, decision="22/COP.15")
    assert every
    for spelling in ("COP 15", "COP.15", "cop15", "session:COP.15", "15"):
        assert mandates(seed_store, decision="22/COP.15", session=spelling) == every, spelling
    for spelling in ("decision 22/COP.15", "decision:22/COP.15", "第22/COP.15号决定"):
        assert mandates(seed_store, decision=spelling) == every, spelling


def test_english_mandate_and_precedents(seed_store, mixed_graph):
    assert len(mandates(seed_store, language="en")) > 1  # the Kubuqi plan has English mandates too
    en = mandates(seed_store, language="en", decision="22/COP.15")
    assert len(en) == 1 and en[0]["deadline"] == "COP 17" and en[0]["verb"] == "Requests"
    assert set(en[0]["addressees"]) == {"actor:unccd-secretariat", "actor:global-mechanism"}
    prec = precedents(mixed_graph, "22/COP.15")
    assert [p["decision"]["id"] for p in prec] == ["decision:3/COP.13"]
    assert prec[0]["relation"] == "FOLLOWS_UP" and prec[0]["paragraph"]["id"] == "S#1"
    assert precedents(mixed_graph, "3/COP.13") == []
    with pytest.raises(GraphError):
        precedents(mixed_graph, "Changwon Initiative")  # not a decision


def test_neighbourhood_and_resolution(seed_graph):
    assert resolve(seed_graph, "昌原倡议") == "initiative:changwon-initiative"
    assert resolve(seed_graph, "KIDF") == "initiative:kubuqi-international-desert-forum"
    assert resolve(seed_graph, "第22/COP.15号决定") == "decision:22/COP.15"
    nb = neighbours(seed_graph, "Korea Forest Service", include_paragraphs=False)
    assert "initiative:changwon-initiative" in {n["id"] for n in nb["nodes"]}
    rel = next(r for r in nb["relationships"] if r["type"] == "LAUNCHED_BY")
    assert rel["paragraph"] == "sha:799f4ecc30d49fe5#11"
    two = neighbours(seed_graph, "Korea Forest Service", depth=2, types=["LAUNCHED_BY", "SUPPORTS"])
    assert "actor:unccd-secretariat" in {n["id"] for n in two["nodes"]}
    with pytest.raises(GraphError):
        resolve(seed_graph, "no such thing anywhere")


def test_path_cli_json(seed_home):
    res = run_cli("graph", "path", "22/COP.15", "Changwon Initiative", "--json")
    assert res.returncode == 0, res.stderr
    path = json.loads(res.stdout)
    assert path["target"]["id"] == "initiative:changwon-initiative"
    assert all(s["paragraph"]["citation"] for s in path["steps"])
    res = run_cli("graph", "mandates", "--addressee", "Global Mechanism", "--json")
    assert res.returncode == 0 and len(json.loads(res.stdout)) >= 3
    res = run_cli("graph", "mandates", "--session", "COP 99", "--json")
    assert res.returncode == 1 and json.loads(res.stdout) == []
    res = run_cli("graph", "neighbours", "LDN TSP 2.0", "--no-paragraphs", "--json")
    assert res.returncode == 0 and "actor:gef" in {n["id"] for n in json.loads(res.stdout)["nodes"]}
    res = run_cli("graph", "path", "22/COP.15", "no such thing anywhere")
    assert res.returncode == 1 and "nothing in the graph matches" in res.stderr


def test_sync_and_cypher_cli(seed_home, bolt):
    env = {"NEO4J_URI": bolt.uri, "NEO4J_DATABASE": bolt.database or ""}
    first = run_cli("graph", "sync", "--json", env=env)
    assert first.returncode == 0, first.stderr
    a = json.loads(first.stdout)
    second = json.loads(run_cli("graph", "sync", "--json", env=env).stdout)
    assert a["documents_synced"] == 5 and second["documents_synced"] == 0
    assert a["server"] == second["server"]
    built = json.loads(run_cli("graph", "build", "--json").stdout)
    assert a["server"]["nodes"] == built["nodes"] and a["server"]["relationships"] == built["relationships"]
    res = run_cli("graph", "cypher", "MATCH (i:Initiative)-[:FUNDED_BY]->(a:Actor) RETURN i.id AS i, a.id AS a", "--json", env=env)
    assert res.returncode == 0, res.stderr
    assert {"i": "initiative:ldn-tsp-2", "a": "actor:gef"} in json.loads(res.stdout)
    res = run_cli("graph", "cypher", "MATCH (n) DETACH DELETE n", "--json", env=env)
    assert res.returncode == 2 and "only read queries" in res.stderr
    res = run_cli("graph", "sync", "--uri", "bolt://127.0.0.1:9", "--json")
    assert res.returncode == 2 and "cannot reach the graph server" in res.stderr
    res = run_cli("graph", "sync", "--password", "x")
    assert res.returncode != 0  # the password comes from NEO4J_PASSWORD only


def test_cli_without_a_database_name_reads_what_it_synced(seed_home, falkor_private):
    env = {"NEO4J_URI": falkor_private.uri, "NEO4J_DATABASE": ""}
    res = run_cli("graph", "sync", "--json", env=env)
    assert res.returncode == 0, res.stderr
    initiatives = json.loads(res.stdout)["server"]["labels"]["Initiative"]
    res = run_cli("graph", "cypher", "MATCH (i:Initiative) RETURN count(i) AS n", "--json", env=env)
    assert res.returncode == 0, res.stderr
    assert json.loads(res.stdout) == [{"n": initiatives}]
