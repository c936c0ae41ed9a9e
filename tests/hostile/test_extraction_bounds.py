"""Extraction of a long document is bounded: analyses are held a window at a time, identical
paragraphs are analysed once, and past a document budget text is kept but not annotated.

Before, a 10 MB one-line file (2,050 pieces after the paragraph bound) held every spaCy analysis
at once and produced 500,000 mentions: the parse worker peaked at 1.6 GB and died under its cap.
"""

from __future__ import annotations

import pytest

import unkg.extract as extract
from unkg.extract import annotate
from unkg.model import Block, Document

EN = ["1. Requests the secretariat to report to the Conference of the Parties at its seventeenth session.",
      "2. Invites the Global Mechanism to support country Parties in achieving target 15.3 by 2030.",
      "Recalling decision 22/COP.15 and resolution 62/193,"]
ZH = ["1. 请秘书处向缔约方会议第十七届会议提交报告。",
      "2. 邀请全球机制支持缔约方国家在2030年前实现具体目标15.3。",
      "回顾第22/COP.15号决定和第62/193号决议，"]


def _doc(n: int) -> Document:
    """Alternating English and Chinese paragraphs, each text repeated many times."""
    blocks = []
    for i in range(n):
        lang, texts = ("en", EN) if i % 2 == 0 else ("zh", ZH)
        text = texts[(i // 2) % 3]
        blocks.append(Block(id=f"d#{i + 1}", ord=i, kind="operative" if text[0].isdigit() else "preambular",
                            text=text, language=lang, level=1))
    return Document(id="d", source="d.txt", sha256="0", format="text", language="en", languages=["en", "zh"], blocks=blocks)


def _annotations(doc: Document) -> list:
    return [([e.model_dump() for e in b.entities], [c.model_dump() for c in b.citations], [m.model_dump() for m in b.mandates])
            for b in doc.blocks]


def test_windows_and_repeats_do_not_change_the_result(monkeypatch):
    monkeypatch.setattr(extract, "_WINDOW", 10_000)
    whole = _annotations(annotate(_doc(60)))
    assert any(ents for ents, _, _ in whole[0::2]) and any(ents for ents, _, _ in whole[1::2])  # both languages found
    assert any(ms for _, _, ms in whole)
    monkeypatch.setattr(extract, "_WINDOW", 4)
    assert _annotations(annotate(_doc(60))) == whole


def test_identical_paragraphs_are_analysed_once(monkeypatch):
    from unkg.extract import pipeline

    seen: list[str] = []
    real = pipeline.get_nlp

    class Counting:
        def __init__(self, nlp):
            self.nlp = nlp

        def pipe(self, texts, **kw):
            texts = list(texts)
            seen.extend(texts)
            return self.nlp.pipe(texts, **kw)

    monkeypatch.setattr(pipeline, "get_nlp", lambda lang: Counting(real(lang)))
    annotate(_doc(60))
    assert sorted(seen) == sorted(EN + ZH)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_extraction_stops_at_the_document_budget(monkeypatch, lang):
    doc = _doc(40)
    for b in doc.blocks:
        b.language = lang
        b.text = (EN if lang == "en" else ZH)[b.ord % 3]
    full = _annotations(annotate(doc.model_copy(deep=True)))
    budget = sum(len(b.text) for b in doc.blocks[:25])
    monkeypatch.setattr(extract, "MAX_EXTRACT_CHARS", budget)
    cut = annotate(doc)
    got = _annotations(cut)
    assert got[:25] == full[:25]  # the first part is annotated exactly as before
    assert all(not ents and not cites and not ms for ents, cites, ms in got[25:])
    assert any(ents for ents, _, _ in got[:25])
    assert [b.text for b in cut.blocks] == [b.text for b in doc.blocks]  # nothing dropped
    assert any("extraction stopped after" in w and "15 paragraph(s)" in w for w in cut.warnings), cut.warnings
