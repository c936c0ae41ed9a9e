"""Hostile or odd text: extraction finishes, spans point into the text, nothing crashes."""

from __future__ import annotations

import random

import pytest

from unkg.extract import annotate
from unkg.model import Block, Document

WORDS = ["University", "of", "the", "and", "Center", "decision", "22/COP.15", "resolution", "62/193", "Requests", "secretariat",
         "Parties", "by", "2030", "more", "than", "100", "countries", "USD", "40-50", "billion", "第", "号决定", "请", "秘书处",
         "，", "。", "/", "A/RES/1/2", "target", "15.3", "Global", "Mechanism", ":", "(a)", "Korea", "Forest", "Service"]


@pytest.mark.parametrize("lang", ["en", "zh", "ar"])
def test_long_random_paragraphs(lang):
    rnd = random.Random(7)
    texts = [" ".join(rnd.choice(WORDS) for _ in range(3000)), "/".join(str(rnd.randint(0, 99)) for _ in range(3000)), "A" * 20000, "", "   "]
    doc = Document(id="r", source="r", sha256="0", format="text", language=lang,
                   blocks=[Block(id=f"r#{i}", ord=i, kind=k, text=t, language=lang, parent="r#0" if i else None, level=1 + (i > 0))
                           for i, (t, k) in enumerate((t, k) for t in texts for k in ("operative", "text"))])
    annotate(doc)
    for b in doc.blocks:
        for e in b.entities:
            assert 0 <= e.start < e.end <= len(b.text) and b.text[e.start:e.end] == e.text
        for c in b.citations:
            assert b.text[c.start:c.end] == c.text
    if lang == "en":
        assert any(b.mandates for b in doc.blocks)
