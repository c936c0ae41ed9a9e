"""`graph precedents` follows the citation links of a resolution's own text, oldest first, with the citing
wording; "decision 79/571" of the General Assembly is a decision, not a resolution."""

from __future__ import annotations

import json
from pathlib import Path

from unkg.corpus.store import Store
from unkg.graph import schema as S
from unkg.graph.build import build_graph
from unkg.graph.query import citing_wording, precedents

from tests.conftest import run_cli
from tests.graph.conftest import ingest_here

CORPUS = Path(__file__).resolve().parents[1] / "data" / "search-eval" / "corpus"


def test_decision_numbers_of_the_general_assembly_are_decisions():
    assert S.normalize_decision("decision 79/571") == "decision:79/571"
    assert S.normalize_decision("第 79/571 号决定") == "decision:79/571"
    assert S.normalize_decision("resolution 79/571") == "resolution:79/571"
    assert S.normalize_decision("A/RES/75/218") == "resolution:75/218"
    assert S.sort_key_decision("decision:79/571") < S.sort_key_decision("resolution:80/1")


def test_citing_wording_in_english_and_chinese():
    assert citing_wording("Recalling its resolution 74/220 of 19 December 2019") == "Recalling"
    assert citing_wording("Reaffirming also its resolution 69/313") == "Reaffirming also"
    assert citing_wording("3. Recalls its resolution 70/206") == "Recalls"
    assert citing_wording("忆及其2019年12月19日第74/220号决议") == "忆及"
    assert citing_wording("又忆及第 22/COP.15 号决定") == "又忆及"


def test_precedents_follow_the_resolution_text_oldest_first(tmp_path, monkeypatch):
    monkeypatch.setenv("UNKG_HOME", str(tmp_path))
    from unkg.settings import get_settings

    get_settings.cache_clear()
    store = Store(tmp_path / "unkg.sqlite")
    ingest_here([CORPUS / "A_RES_75_218.txt", CORPUS / "A_RES_71_229.txt"], store)
    kg, _ = build_graph(store, cache=tmp_path / "g.pickle")
    rows = precedents(kg, "75/218")
    ids = [r["decision"]["id"] for r in rows]
    # what the text recalls and reaffirms, each with the paragraph and its wording
    assert {"resolution:74/220", "resolution:70/1", "resolution:69/313", "decision:3/COP.14"} <= set(ids)
    by_id = {r["decision"]["id"]: r for r in rows}
    assert by_id["resolution:74/220"]["wording"] == "Recalling"
    assert by_id["resolution:69/313"]["wording"] == "Reaffirming"
    assert by_id["resolution:74/220"]["paragraph"]["document"] == "A/RES/75/218@en"
    ga = [i for i in ids if i.startswith("resolution:")]
    assert ga == sorted(ga, key=S.sort_key_decision)  # oldest first
    assert "resolution:75/218" not in ids  # its own symbol line is no precedent
    store.close()
    res = run_cli("graph", "precedents", "A/RES/71/229", "--json")
    assert res.returncode == 0, res.stderr
    assert "resolution:70/206" in {r["decision"]["id"] for r in json.loads(res.stdout)}
    res = run_cli("graph", "precedents", "74/220")  # in the graph (cited) but its text is not stored
    assert res.returncode == 1 and res.stdout.strip() == ""
