"""The hand-labelled dev gold (extract/gold/dev.jsonl): mandates, addressees, sessions, targets.

Precision and recall are measured by `python -m unkg.extract.score`; here the held-out split
(documents not used to write the rules) must keep precision and recall of mandates at 0.9."""

from __future__ import annotations

import io

import pytest

from tests.conftest import shared_or_skip

from unkg.extract import score

from ..conftest import shared_or_skip


def test_gold_is_wellformed() -> None:
    rows = score.load_gold(sorted(score.GOLD_DIR.glob("*.jsonl")))
    docs = [r for r in rows if r["kind"] == "document"]
    langs = {d["lang"] for d in docs}
    assert {"en", "zh", "fr", "es", "ru", "ar"} <= langs
    assert {"report", "resolution", "manual", "declaration", "call", "brief", "action-plan"} <= {d["genre"] for d in docs}
    assert len(docs) >= 30
    assert sum(1 for r in rows if r["kind"] in ("mandate", "initiative", "target")) >= 400
    samples = {d["doc"] for d in docs if d["doc"].startswith("repo:samples/")}
    assert len(samples) * 2 < len(docs), "the samples must not be most of the gold"
    assert sum(1 for d in docs if d["split"] == "heldout") * 3 >= len(docs)
    for r in rows:
        if r["kind"] == "mandate":
            assert r["modality"] in ("request", "recommendation", "obligation", "permission", "commitment", "reported_request", "decision")


@pytest.mark.parametrize("split", ["heldout", "tune"])
def test_gold_precision_recall(split: str) -> None:
    shared = shared_or_skip("corpus-dev").parent
    res = score.run(shared, split, out=io.StringIO())
    assert res["mandate"]["precision"] >= 0.9 and res["mandate"]["recall"] >= 0.9, res["mandate"]
    assert res["facts"]["precision"] >= 0.9 and res["facts"]["recall"] >= 0.9, res["facts"]


def test_gold_locators_point_at_their_paragraph() -> None:
    """Every labelled fact finds its paragraph (not a heading), and the words opening a clause are in it."""
    import json

    shared = shared_or_skip("corpus-dev").parent
    rows = score.load_gold(sorted(score.GOLD_DIR.glob("*.jsonl")))
    bad = []
    for d in (r for r in rows if r["kind"] == "document"):
        key = d["doc"] + json.dumps(d.get("lines"))
        doc = score.parse_doc(d, shared)
        for r in rows:
            if r["kind"] == "document" or r["doc"] + json.dumps(r.get("lines")) != key:
                continue
            blocks = score._blocks_with(doc, r["para"])
            if not blocks or blocks[0].kind == "heading" or (r.get("at") and score._find_at(blocks[0].text, r["at"]) is None):
                bad.append((d["doc"], r["para"][:50], r.get("at")))
    assert not bad, bad
