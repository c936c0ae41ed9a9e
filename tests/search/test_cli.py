"""`unkg search` (single and batch, --json), `unkg index`, `unkg precedents` on the sample store."""

from __future__ import annotations

import json
import shutil

import pytest
from typer.testing import CliRunner

from unkg.cli import app


@pytest.fixture(scope="module")
def home(sample_store, searcher, tmp_path_factory, monkeypatch_module):
    # a copy of the indexed sample store: the CLI opens the store under UNKG_HOME
    h = tmp_path_factory.mktemp("cli-home")
    sample_store._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    shutil.copy(sample_store.path, h / "unkg.sqlite")
    monkeypatch_module.setenv("UNKG_HOME", str(h))
    from unkg.settings import get_settings

    get_settings.cache_clear()
    yield h
    get_settings.cache_clear()


@pytest.fixture(scope="module")
def monkeypatch_module():
    mp = pytest.MonkeyPatch()
    yield mp
    mp.undo()


def test_batch_search_json_one_object_per_query_in_order(home, tmp_path):
    qs = tmp_path / "q.txt"
    qs.write_text("Kubuqi International Desert Forum\n昌原倡议\nNEAR( \"\n", encoding="utf-8")
    r = CliRunner().invoke(app, ["search", "--queries", str(qs), "--top-k", "3", "--json"])
    assert r.exit_code == 0, r.output
    rows = [json.loads(line) for line in r.stdout.splitlines() if line.startswith("{")]
    assert [row["query"] for row in rows] == ["Kubuqi International Desert Forum", "昌原倡议", 'NEAR( "']
    assert len(rows[0]["hits"]) == 3 and "Kubuqi" in rows[0]["hits"][0]["text"]
    for key in ("paragraph_id", "symbol", "citation", "language", "text", "score", "translations"):
        assert key in rows[0]["hits"][0]


def test_single_search_with_filters(home):
    r = CliRunner().invoke(app, ["search", "land degradation neutrality", "--lang", "zh", "--kind", "text", "-k", "2", "--json"])
    assert r.exit_code == 0, r.output
    row = json.loads(r.stdout.strip().splitlines()[-1])
    assert row["hits"] and all(h["language"] == "zh" for h in row["hits"])


def test_search_needs_a_query(home):
    r = CliRunner().invoke(app, ["search"])
    assert r.exit_code == 2


def test_index_and_precedents(home):
    r = CliRunner().invoke(app, ["index", "--json"])
    assert r.exit_code == 0, r.output
    rep = json.loads(r.stdout.strip().splitlines()[-1])
    assert rep["report"]["documents_indexed"] == 0 and rep["index"]["paragraphs"] > 100
    r = CliRunner().invoke(app, ["precedents", "--text", "The Kubuqi International Desert Forum and Its Background", "--json"])
    assert r.exit_code == 0, r.output
    found = json.loads(r.stdout.strip().splitlines()[-1])
    assert found and found[0]["identical"]
    r = CliRunner().invoke(app, ["precedents", "no-such-paragraph"])
    assert r.exit_code == 1
