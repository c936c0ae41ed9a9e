"""The same decision (22/COP.15, operative part) in English, Chinese and French gives the
same normalized mandates, addressees, deadlines and citations.

The three texts in `data/` follow the UN wording of decision 22/COP.15 as quoted in
ICCD/COP(16)/18 (Chinese) and the usual English and French forms of UNCCD decisions.
"""

from __future__ import annotations

import pytest

from unkg.extract import annotate
from unkg.ingest.pipeline import parse_file

from .conftest import DATA

LANGS = ("en", "zh", "fr")


def normalized(lang: str):
    doc = parse_file(DATA / f"parity_22_COP15.{lang}.txt")
    assert doc.language == lang
    annotate(doc)
    mandates = [
        (m.decision, m.verb_en, m.force, tuple(m.addressees), m.deadline, m.condition, m.issuer, bool(m.chapeau))
        for b in doc.blocks for m in b.mandates
    ]
    cites = sorted({c.id for b in doc.blocks for c in b.citations})
    return mandates, cites


@pytest.fixture(scope="module")
def parallel():
    return {lang: normalized(lang) for lang in LANGS}


def test_same_mandates_in_three_languages(parallel):
    en, _ = parallel["en"]
    assert len(en) == 7  # (a)-(c) to the Global Mechanism, (a)-(b) to the secretariat, paragraphs 3 and 4
    assert en[0] == ("decision:22/COP.15", "request", "requests", ("actor:global-mechanism",), None, None, "actor:unccd-cop", True)
    assert en[-1] == ("decision:22/COP.15", "request", "requests", ("actor:unccd-secretariat",), "COP.16", None, "actor:unccd-cop", False)
    assert ("decision:22/COP.15", "invite", "invites", ("actor:parties", "actor:global-mechanism"), None, None, "actor:unccd-cop", False) in en
    for lang in ("zh", "fr"):
        assert parallel[lang][0] == en, lang


def test_same_citations_in_three_languages(parallel):
    en = parallel["en"][1]
    assert en == ["decision:22/COP.15", "decision:28/COP.14", "sdg:target:15.3"]
    for lang in ("zh", "fr"):
        assert parallel[lang][1] == en, lang
