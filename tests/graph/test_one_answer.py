"""One answer per question: the Python API, the CLI and the HTTP API asked the same questions answer the same.

Mandates by decision, addressee, session and verb (every spelling of a session or decision),
a neighbourhood, an explained path, a search, and the citation of every paragraph.
"""

from __future__ import annotations

import json
from urllib.parse import quote

import pytest

from tests.conftest import json_lines, run_cli


@pytest.fixture
def asked(seed_home):
    """(store, kg, client): the Python API's objects and an HTTP client on the same home."""
    from fastapi.testclient import TestClient

    from unkg.corpus.store import Store
    from unkg.graph.build import build_graph
    from unkg.settings import Settings
    from unkg.web.app import create_app

    settings = Settings.from_env().model_copy(update={"rate_limit": 0.0})
    store = Store(settings.db_path)
    kg, _ = build_graph(store)
    with TestClient(create_app(settings)) as client:
        yield store, kg, client
    store.close()


def _key(m: dict) -> tuple:
    return (m["id"], m["citation"], m["decision"], m["session"], tuple(m["addressees"]), m["verb"], m["action"], m["deadline"])


MANDATE_QUESTIONS = [
    {"decision": "22/COP.15"}, {"decision": "decision:22/COP.15", "session": "COP 15"}, {"session": "COP.15"},
    {"session": "cop15"}, {"session": "15"}, {"addressee": "secretariat"}, {"addressee": "Global Mechanism"},
    {"verb": "requests"}, {"verb": "invite"}, {"language": "zh"}, {"decision": "第22/COP.15号决定", "verb": "请"},
]


@pytest.mark.parametrize("question", MANDATE_QUESTIONS, ids=lambda q: ",".join(f"{k}={v}" for k, v in q.items()))
def test_mandates_same_in_python_cli_and_http(asked, question):
    from unkg.graph.mandates import MandateFilter, find_mandates

    store, _, client = asked
    py = [_key(m) for m in find_mandates(store, MandateFilter.of(**question))]
    args = [a for k, v in question.items() for a in (f"--{k}", v)]
    cli = run_cli("graph", "mandates", *args, "--json")
    assert cli.returncode in (0, 1), cli.stderr
    http = client.get("/api/mandates", params=question)
    assert http.status_code == 200, http.text
    assert py, f"the seeds have mandates for {question}"
    assert [_key(m) for m in json.loads(cli.stdout)] == py
    assert [_key(m) for m in http.json()["mandates"]] == py


def test_resolution_symbol_and_number_are_one_decision(asked):
    from unkg.corpus.identifiers import normalize_decision, session_matches

    assert normalize_decision("A/RES/80/251") == normalize_decision("80/251") == normalize_decision("resolution 80/251")
    assert normalize_decision("decision 79/571") == "decision:79/571"  # a General Assembly decision is a decision
    assert session_matches("session:GA.80", "80") and session_matches("session:GA.80", "GA 80")
    assert not session_matches("session:COP.15", "COP 16") and not session_matches("session:COP.15", "16")


def test_neighbourhood_and_path_same_in_python_cli_and_http(asked):
    from unkg.graph.query import explain_path, neighbours

    _, kg, client = asked
    py = neighbours(kg, "Changwon Initiative", depth=1, limit=200)
    cli = run_cli("graph", "neighbours", "Changwon Initiative", "--json")
    assert cli.returncode == 0, cli.stderr
    http = client.get("/api/graph/neighbourhood", params={"node": "Changwon Initiative", "depth": 1, "limit": 200}).json()
    ids = {n["id"] for n in py["nodes"]}
    assert len(ids) > 3
    assert {n["id"] for n in json.loads(cli.stdout)["nodes"]} == ids == {n["id"] for n in http["nodes"]}
    assert {r["key"] for r in py["relationships"]} == {e["id"] for e in http["edges"]}

    path = explain_path(kg, "22/COP.15", "Changwon Initiative")
    steps = [path["source"]["id"]] + [s["to"]["id"] for s in path["steps"]]
    cli = run_cli("graph", "path", "22/COP.15", "Changwon Initiative", "--json")
    assert cli.returncode == 0, cli.stderr
    got = json.loads(cli.stdout)
    assert [got["source"]["id"]] + [s["to"]["id"] for s in got["steps"]] == steps
    http = client.get("/api/graph/path", params={"source": "22/COP.15", "target": "Changwon Initiative"}).json()
    assert http["found"] and [n["id"] for n in http["nodes"]] == steps
    # each step cites its paragraph the way the paragraph page does
    for s in path["steps"]:
        if s["paragraph"] and s["paragraph"].get("citation"):
            page = client.get("/api/paragraphs/" + quote(s["paragraph"]["id"], safe="/")).json()
            assert page["paragraph"]["citation"] == s["paragraph"]["citation"]


def test_every_paragraph_cited_once_the_same_everywhere(asked):
    """The store's citation, the graph's Paragraph name and the web page's agree, and an unnumbered
    paragraph never takes a citation a printed number already has."""
    from unkg.graph.schema import paragraph_node_id

    store, kg, client = asked
    for d in store.documents():
        cites = store.citations(d["id"])
        doc = client.get("/api/documents/" + quote(d["id"], safe="/")).json()
        by_label: dict[str, str] = {}
        for p in doc["paragraphs"]:
            assert p["citation"] == cites[p["id"]]
            assert kg.g.nodes[paragraph_node_id(p["id"])]["name"] == cites[p["id"]]
            if p["label"] and p["kind"] not in ("heading", "title"):
                by_label.setdefault(p["citation"], p["id"])
        for p in doc["paragraphs"]:
            if not p["label"] and p["kind"] not in ("heading", "title") and not p["parent"]:
                assert p["citation"] not in by_label, (p["id"], p["citation"])
                assert "unnumbered para." in p["citation"]


def test_search_same_in_python_cli_and_http(asked):
    from unkg.search.engine import Filters, Searcher

    store, _, client = asked
    run = run_cli("index")
    assert run.returncode == 0, run.stderr
    searcher = Searcher(store)
    for q in ("Changwon Initiative", "昌原倡议", "secretariat report migration"):
        py = [(h.paragraph_id, h.citation) for h in searcher.search(q, filters=Filters(), top_k=10)]
        cli = json_lines(run_cli("search", q, "--json").stdout)[0]["hits"]
        http = client.get("/api/search", params={"q": q, "k": 10}).json()["hits"]
        assert py
        assert [(h["paragraph_id"], h["citation"]) for h in cli] == py
        assert [(h["paragraph_id"], h["citation"]) for h in http] == py
