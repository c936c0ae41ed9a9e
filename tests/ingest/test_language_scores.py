"""The language scorer on the labelled PRAIS4 sentences kept in tests/data: reading a short text in its document
must not cost accuracy where documents are in one language, and costs little where they quote another."""

from __future__ import annotations

from pathlib import Path

from unkg.ingest.score_language import score

PAIRS = Path(__file__).resolve().parents[1] / "data" / "prais4-pairs"


def test_in_context_reading_against_reading_alone():
    s = score(PAIRS)
    assert s["all"]["all"]["sentences"] >= 5000
    mono, quoted, bilingual = s["monolingual"], s["quoted"], s["bilingual"]
    # one language per document: a short sentence read in context is at least as often right
    assert mono["all"]["in_context"] >= mono["all"]["alone"] >= 0.98
    assert mono["40 letters to 119 characters"]["in_context"] >= mono["40 letters to 119 characters"]["alone"]
    # a tenth of the sentences quoted from another language: short quotes without function words take the document's
    # language, a small loss
    assert quoted["all"]["in_context"] >= quoted["all"]["alone"] - 0.01
    assert quoted["under 40 letters"]["in_context"] >= 0.9
    # no majority language: read exactly as alone
    assert bilingual["all"]["in_context"] == bilingual["all"]["alone"]
    # from 120 characters the two readings are the same model
    for kind in (mono, quoted, bilingual):
        assert kind["120 characters or more"]["in_context"] == kind["120 characters or more"]["alone"]
