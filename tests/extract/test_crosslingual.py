"""The same sentence in English and in French, Spanish, Russian or Chinese (the aligned
PRAIS4 manual pairs, first 500 of ../shared/corpus-dev/prais4-pairs, in tests/data/prais4-pairs) should yield the same actor,
country, initiative, target and citation ids.  English is the reference; precision and
recall of the other language against it are printed and must stay above the floors."""

from __future__ import annotations

import pytest

from unkg.extract import annotate
from unkg.model import Block, Document

from .conftest import ROOT

PAIRS = ROOT / "tests" / "data" / "prais4-pairs"
N = 500
FLOORS = {"fr": (0.95, 0.85), "es": (0.95, 0.82), "ru": (0.95, 0.82), "zh": (0.95, 0.85)}


def _ids(texts: list[str], lang: str) -> list[set[str]]:
    doc = Document(id="p", source="p", sha256="0", format="text", symbol="ICCD/PRAIS4", language=lang,
                   blocks=[Block(id=f"p#{i}", ord=i, kind="text", text=t, language=lang) for i, t in enumerate(texts)])
    annotate(doc)
    return [{e.id for e in b.entities if e.type in ("actor", "country", "initiative", "target")} | {c.id for c in b.citations}
            for b in doc.blocks]


@pytest.mark.parametrize("lang", sorted(FLOORS))
def test_same_ids_across_languages(lang):
    en = (PAIRS / f"en-{lang}.en").read_text(encoding="utf-8").splitlines()[:N]
    xx = (PAIRS / f"en-{lang}.{lang}").read_text(encoding="utf-8").splitlines()[:N]
    tp = fp = fn = 0
    for a, b in zip(_ids(en, "en"), _ids(xx, lang)):
        tp, fp, fn = tp + len(a & b), fp + len(b - a), fn + len(a - b)
    p, r = tp / (tp + fp), tp / (tp + fn)
    print(f"\n{lang} vs en on {len(en)} sentence pairs: precision={p:.3f} recall={r:.3f} ({tp} ids agree)")
    assert tp > 100
    assert p >= FLOORS[lang][0] and r >= FLOORS[lang][1]
