"""Paragraph permalinks: an Akoma Ntoso-style element id per paragraph, one stable link used by the web page,
the API and the RDF export, surviving a re-ingest."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from tests.conftest import run_cli


@pytest.fixture
def client(seed_home):
    from fastapi.testclient import TestClient

    from unkg.settings import Settings
    from unkg.web.app import create_app

    settings = Settings.from_env().model_copy(update={"rate_limit": 0.0})
    with TestClient(create_app(settings)) as c:
        yield c


def test_element_ids_are_structural_and_unique(seed_store):
    for d in seed_store.documents():
        eids = seed_store.element_ids(d["id"])
        assert len(set(eids.values())) == len(eids), d["id"]
    report = seed_store.element_ids("ICCD/COP(16)/18@zh")
    cites = seed_store.citations("ICCD/COP(16)/18@zh")
    by_cite = {cites[k]: v for k, v in report.items()}
    assert by_cite["ICCD/COP(16)/18, para. 2 (a)"] == "para_2__subpara_a"
    assert by_cite["ICCD/COP(16)/18, para. 3 (d)"] == "para_3__subpara_d"
    assert by_cite["ICCD/COP(16)/18, para. 8, item 2"] == "para_8__item_2"
    kubuqi = {seed_store.citations("sha:30b18991564393fe")[k]: v for k, v in seed_store.element_ids("sha:30b18991564393fe").items()}
    assert kubuqi["Kubuqi Action Plan of Global Desertification Control (2015-2025), sect. I"] == "sec_I"


def test_permalink_opens_the_paragraph_in_page_and_json(client, seed_store):
    pid = seed_store.block_by_eid("ICCD/COP(16)/18@zh", "para_2__subpara_a")
    para = client.get("/api/paragraphs/" + quote(pid, safe="")).json()["paragraph"]
    assert para["eid"] == "para_2__subpara_a"
    assert para["permalink"] == "/eli/" + quote("ICCD/COP(16)/18@zh", safe="") + "/para_2__subpara_a"
    page = client.get(para["permalink"], headers={"Accept": "text/html"})
    assert page.status_code == 200 and para["citation"] in page.text and 'class="permalink"' in page.text
    twin = client.get(para["permalink"], params={"format": "json"}).json()
    assert twin["paragraph"]["id"] == pid
    doc = client.get("/api/documents/" + quote("ICCD/COP(16)/18@zh", safe="")).json()
    assert all(p["permalink"] and p["eid"] for p in doc["paragraphs"])
    assert client.get("/eli/" + quote("ICCD/COP(16)/18@zh", safe="") + "/para_999").status_code == 404


def test_permalink_in_rdf_and_stable_across_reingest(seed_home, tmp_path):
    from rdflib import Graph, Literal, Namespace

    out = tmp_path / "g.ttl"
    assert run_cli("graph", "export", "--format", "ttl", "-o", str(out)).returncode == 0
    g = Graph().parse(str(out), format="turtle")
    unkg = Namespace("https://w3id.org/unkg/ontology#")
    link = "/eli/" + quote("ICCD/COP(16)/18@zh", safe="") + "/para_2__subpara_a"
    subjects = set(g.subjects(unkg.permalink, Literal(link)))
    assert len(subjects) == 1
    assert (subjects.pop(), unkg.eId, Literal("para_2__subpara_a")) in g

    from unkg.corpus.store import Store
    from unkg.settings import Settings

    store = Store(Settings.from_env().db_path)
    before = store.element_ids("ICCD/COP(16)/18@zh")
    store.close()
    from tests.conftest import SAMPLES

    res = run_cli("ingest", str(SAMPLES), "--json")  # the same files again: unchanged
    assert res.returncode == 0, res.stderr
    store = Store(Settings.from_env().db_path)
    assert store.element_ids("ICCD/COP(16)/18@zh") == before
    store.close()
