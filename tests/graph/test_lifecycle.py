"""Mandate status from the corpus: open, reported on, implemented, superseded, elapsed, each with its rule and evidence.

English and Chinese decisions and reports written for the test (tests/graph/data/lifecycle-*) go through
the real ingest and extraction; the Chinese samples give the case the issue names: the mandates of
decision 22/COP.15 that ICCD/COP(16)/18 reports on are "reported on", with the report's paragraphs as evidence.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from tests.conftest import run_cli

DATA = Path(__file__).resolve().parent / "data"


def _by_para(rows: list[dict]) -> dict[str, dict]:
    return {m["citation"]: m for m in rows}


@pytest.fixture
def lifecycle_home(tmp_path, monkeypatch):
    home = tmp_path / "home"
    monkeypatch.setenv("UNKG_HOME", str(home))
    res = run_cli("ingest", *[str(p) for p in sorted(DATA.glob("lifecycle-en-*.txt"))], "--json")
    assert res.returncode == 0, res.stderr
    return home


def test_each_status_with_its_rule_and_evidence_english(lifecycle_home):
    res = run_cli("graph", "mandates", "--json")
    assert res.returncode == 0, res.stderr
    rows = _by_para(json.loads(res.stdout))
    done = rows["decision 9/COP.16, para. 1"]
    assert done["status"] == "implemented" and "completed" in done["status_rule"]
    assert [e["citation"] for e in done["evidence"]] == ["ICCD/COP(17)/5, para. 2"]
    late = rows["decision 9/COP.16, para. 2"]
    assert late["status"] == "elapsed" and late["evidence"] == [] and "2020-06-30" in late["status_rule"]
    assert rows["decision 9/COP.16, para. 3"]["status"] == "open"  # deadline 2099, no report on it
    gone = rows["decision 4/COP.16, para. 1"]
    assert gone["status"] == "superseded" and gone["evidence"][0]["citation"] == "decision 2/COP.17, para. 1"
    # the report's other paragraph (workshops on land tenure) is evidence for nothing
    assert not any(e["citation"] == "ICCD/COP(17)/5, para. 3" for m in rows.values() for e in m["evidence"])
    # the filter, through the CLI
    elapsed = json.loads(run_cli("graph", "mandates", "--status", "elapsed", "--json").stdout)
    assert [m["citation"] for m in elapsed] == ["decision 9/COP.16, para. 2"]
    bad = run_cli("graph", "mandates", "--status", "forgotten")
    assert bad.returncode == 2 and "unknown status" in bad.stderr


def test_each_status_chinese(tmp_path, monkeypatch):
    monkeypatch.setenv("UNKG_HOME", str(tmp_path / "home"))
    res = run_cli("ingest", *[str(p) for p in sorted(DATA.glob("lifecycle-zh-*.txt"))], "--json")
    assert res.returncode == 0, res.stderr
    rows = _by_para(json.loads(run_cli("graph", "mandates", "--json").stdout))
    assert rows["decision 9/COP.16, para. 1"]["status"] == "implemented"
    assert [e["citation"] for e in rows["decision 9/COP.16, para. 1"]["evidence"]] == ["ICCD/COP(17)/5, para. 2"]
    assert rows["decision 9/COP.16, para. 2"]["status"] == "elapsed"


def test_samples_report_on_decision_22_cop15(seed_store):
    from unkg.graph.mandates import MandateFilter, find_mandates

    rows = find_mandates(seed_store, MandateFilter.of(decision="22/COP.15"))
    assert len(rows) >= 7
    assert all(m["status"] == "reported on" and m["evidence"] for m in rows), [(m["citation"], m["status"]) for m in rows]
    for m in rows:
        for e in m["evidence"]:
            assert e["symbol"] == "ICCD/COP(16)/18" and e["paragraph_id"] != m["paragraph_id"]
    def in_section(citation: str, section: str, first: int, last: int) -> bool:
        if "unnumbered" in citation:
            return f"sect. {section}," in citation
        return first <= int(citation.split("para. ")[1].split()[0].rstrip(",")) <= last

    gm = [m for m in rows if m["addressees"] == ["actor:global-mechanism"]]
    sec = [m for m in rows if m["paragraph"] and m["paragraph"].startswith("3 ")]
    assert gm and sec
    # the Global Mechanism's work is told in section A (paragraphs 5-12), the secretariat's in section B (13-26)
    assert all(in_section(e["citation"], "A", 5, 12) for m in gm for e in m["evidence"])
    assert all(in_section(e["citation"], "B", 13, 26) for m in sec for e in m["evidence"])


def test_deadline_elapses_only_after_its_day(seed_store):
    from unkg.graph.lifecycle import Lifecycle

    life_before = Lifecycle(seed_store, as_of=dt.date(2020, 6, 30))
    life_after = Lifecycle(seed_store, as_of=dt.date(2020, 7, 1))
    m = {"decision": None, "deadline": "2020-06-30", "action": "x", "addressees": []}
    assert life_before.status(m).status == "open" and life_after.status(m).status == "elapsed"
    assert life_after.status({**m, "deadline": "2020"}).status == "open"  # a year runs to its last day
    assert life_after.status({**m, "deadline": "COP.16"}).status == "open"  # a session is not a date


def test_status_in_api_csv_and_page(asked_web):
    client = asked_web
    api = client.get("/api/mandates", params={"decision": "22/COP.15"}).json()
    assert api["count"] and all(m["status"] == "reported on" and m["evidence"] for m in api["mandates"])
    only = client.get("/api/mandates", params={"status": "reported on"}).json()
    assert only["count"] >= api["count"]
    assert client.get("/api/mandates", params={"status": "nonsense"}).status_code == 400
    csv_text = client.get("/api/mandates.csv", params={"decision": "22/COP.15"}).content.decode("utf-8-sig")
    header = csv_text.splitlines()[0].split(",")
    assert "status" in header and "evidence" in header and "reported on" in csv_text and "ICCD/COP(16)/18, para. " in csv_text
    html = client.get("/mandates", params={"status": "reported on"}).text
    assert 'id="f-status"' in html and 'data-status="reported on"' in html and 'class="evidence"' in html


@pytest.fixture
def asked_web(seed_home):
    from fastapi.testclient import TestClient

    from unkg.settings import Settings
    from unkg.web.app import create_app

    settings = Settings.from_env().model_copy(update={"rate_limit": 0.0})
    with TestClient(create_app(settings)) as client:
        yield client


def test_status_in_the_rdf_export(seed_home, tmp_path):
    from rdflib import Graph, Literal, Namespace, URIRef

    out = tmp_path / "g.ttl"
    res = run_cli("graph", "export", "--format", "ttl", "-o", str(out))
    assert res.returncode == 0, res.stderr
    g = Graph().parse(str(out), format="turtle")
    unkg = Namespace("https://w3id.org/unkg/ontology#")
    rows = json.loads(run_cli("graph", "mandates", "--json").stdout)
    assert rows
    from unkg.graph.export import node_iri

    for m in rows:
        s = URIRef(node_iri(m["id"]))
        assert (s, unkg.status, Literal(m["status"])) in g, m["id"]
        evidence = set(g.objects(s, unkg.statusEvidence))
        assert evidence == {URIRef(node_iri(f"para:{e['paragraph_id']}")) for e in m["evidence"]}
        for e in evidence:  # each evidence paragraph is a node of the export
            assert (e, None, None) in g


def test_watch_lists_what_is_new_in_cli_and_web(lifecycle_home, tmp_path):
    from fastapi.testclient import TestClient

    from unkg.settings import Settings
    from unkg.web.app import create_app

    assert run_cli("watch").returncode == 1  # nothing watched
    added = json.loads(run_cli("watch", "add", "decision 9/COP.16", "--json").stdout)
    assert added["kind"] == "decision" and added["target"] == "decision:9/COP.16" and added["created"]
    again = json.loads(run_cli("watch", "add", "decision:9/COP.16", "--json").stdout)
    assert again["id"] == added["id"] and not again["created"]
    gm = json.loads(run_cli("watch", "add", "Global Mechanism", "--json").stdout)
    assert gm["kind"] == "entity" and gm["target"] == "actor:global-mechanism"
    first = json.loads(run_cli("watch", "--json").stdout)
    assert all(w["new"] == [] for w in first)  # what was there when added counts as seen
    report = tmp_path / "rep18.txt"
    report.write_text(
        "ICCD/COP(18)/7\n\nConference of the Parties\nEighteenth session\n\nFinancing early warning\n\n"
        "Note by the Global Mechanism\n\nI. Background\n\n"
        "1. Pursuant to decision 9/COP.16, this note reports on the work of the Global Mechanism.\n\n"
        "II. Work of the Global Mechanism\n\n"
        "2. The Global Mechanism designed a funding window for early warning systems in small island developing States, "
        "with three pilot countries.\n", encoding="utf-8")
    assert run_cli("ingest", str(report)).returncode == 0
    settings = Settings.from_env().model_copy(update={"rate_limit": 0.0})
    with TestClient(create_app(settings)) as client:
        web = client.get("/api/watch").json()
        page = client.get("/watch").text
    peek = json.loads(run_cli("watch", "--peek", "--json").stdout)
    assert [w["new"] for w in web["watches"]] == [w["new"] for w in peek]  # one answer, and the page marked nothing
    dec = next(w for w in peek if w["id"] == added["id"])
    whats = {(c["what"], c["text"]) for c in dec["new"]}
    assert ("cites it", "ICCD/COP(18)/7") in whats
    assert ("status", "decision 9/COP.16, para. 3: open -> reported on") in whats
    assert ("evidence", "decision 9/COP.16, para. 3 <- ICCD/COP(18)/7, para. 2") in whats
    names = next(w for w in peek if w["id"] == gm["id"])
    assert "ICCD/COP(18)/7, para. 2" in {c["text"] for c in names["new"]}
    assert "ICCD/COP(18)/7" in page and "open -&gt; reported on" in page
    seen = json.loads(run_cli("watch", "--json").stdout)  # marks seen
    assert seen == peek
    assert all(w["new"] == [] for w in json.loads(run_cli("watch", "--json").stdout))
    assert run_cli("watch", "rm", str(gm["id"])).returncode == 0
    assert run_cli("watch", "rm", str(gm["id"])).returncode == 1
