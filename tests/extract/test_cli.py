"""`unkg extract --json` and the extraction fields of `unkg parse --json` on a seed."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from unkg.cli import app

from .conftest import SAMPLES

SEED_001 = str(SAMPLES / "001_309b4cd226994121.txt")


@pytest.fixture(autouse=True)
def one_worker(monkeypatch):
    monkeypatch.setenv("UNKG_WORKERS", "1")  # one file: one parse worker is enough


def test_extract_json():
    res = CliRunner().invoke(app, ["extract", SEED_001, "--json", "--entities"])
    assert res.exit_code == 0, res.output
    row = json.loads(res.stdout.splitlines()[0])
    assert row["symbol"] == "ICCD/COP(16)/18" and row["vocabulary"]
    assert "decision:22/COP.15" in row["citations"]
    assert sum(1 for m in row["mandates"] if m.get("chapeau")) == 7
    assert {"subject": "actor:ifad", "predicate": "PARTNER_OF", "object": "initiative:3s-initiative"}.items() <= next(
        f for f in row["facts"] if f["subject"] == "actor:ifad").items()
    assert any(e["id"] == "country:BEN" for e in row["entities"])


def test_parse_json_carries_mandates_entities_citations(seed_docs):
    """The paragraph shape of `unkg parse --json` (unkg.cli.paragraph_json) on the annotated seed."""
    from unkg.cli import paragraph_json

    paras = [json.loads(json.dumps(paragraph_json(b), ensure_ascii=False)) for b in seed_docs["001"].blocks]
    para = next(p for p in paras if p["text"].startswith("第 22/COP.15 号决定请全球机制"))
    assert para["citations"][0]["id"] == "decision:22/COP.15" and para["citations"][0]["type"] == "decision"
    assert para["entities"][0]["type"] == "actor" and para["entities"][0]["id"] == "actor:global-mechanism"
    sub = next(p for p in paras if p["parent"] == para["id"])
    m = sub["mandates"][0]
    assert (m["verb"], m["verb_en"], m["force"], m["addressees"], m["decision"]) == ("请", "request", "requests", ["actor:global-mechanism"], "decision:22/COP.15")
    assert m["action"].startswith("继续支持为可持续性")
