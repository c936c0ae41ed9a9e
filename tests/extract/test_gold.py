"""The hand-labelled dev gold (extract/gold/dev.jsonl): mandates, addressees, sessions, targets.

Precision and recall are measured by `python -m unkg.extract.score`; here the held-out split
(documents not used to write the rules) must keep precision and recall of mandates at 0.9."""

from __future__ import annotations

import io

import pytest

from tests.conftest import shared_or_skip

from unkg.extract import score

from ..conftest import SHARED


def test_gold_is_wellformed() -> None:
    rows = score.load_gold(sorted(score.GOLD_DIR.glob("*.jsonl")))
    docs = [r for r in rows if r["kind"] == "document"]
    langs = {d["lang"] for d in docs}
    assert {"en", "zh", "fr", "es", "ru", "ar"} <= langs
    assert {"report", "resolution", "manual", "declaration", "call"} <= {d["genre"] for d in docs}
    for r in rows:
        if r["kind"] == "mandate":
            assert r["modality"] in ("request", "recommendation", "obligation", "permission", "commitment", "reported_request", "decision")


@pytest.mark.parametrize("split", ["heldout", "tune"])
def test_gold_precision_recall(split: str) -> None:
    shared_or_skip("corpus-dev")  # the gold points into the dev corpus
    res = score.run(SHARED, split, out=io.StringIO())
    assert res["mandate"]["precision"] >= 0.9 and res["mandate"]["recall"] >= 0.9, res["mandate"]
    assert res["facts"]["precision"] >= 0.9 and res["facts"]["recall"] >= 0.9, res["facts"]
