"""The literal pre-checks in front of costly regexes never change an answer (extract/prefilter.py).

Real text: the UN resolutions of tests/data and the aligned PRAIS4 sentences in English, French, Spanish, Russian and
Chinese; every prefiltered pattern of the extraction gives the same matches as the plain regex on every paragraph, and
skips the regex on part of them (or it would not be worth its place).
"""

from __future__ import annotations

import re

import pytest

from unkg.extract import mandates, modality
from unkg.extract.prefilter import Prefiltered, prefiltered, required_literals

from tests.conftest import DATA


def _texts() -> list[tuple[str, str]]:
    out = []
    for p in sorted((DATA / "un-resolutions").glob("*.txt"))[:8]:
        out += [("en", t) for t in p.read_text(encoding="utf-8").split("\n\n") if t.strip()]
    for p in sorted((DATA / "prais4-pairs").iterdir()):
        out += [(p.suffix[1:], t) for t in p.read_text(encoding="utf-8").splitlines() if t.strip()]
    return out


TEXTS = _texts()


def _patterns() -> list[tuple[str, str, Prefiltered]]:
    out = [("CONDITION_RE", "*", mandates.CONDITION_RE)]
    out += [(f"PASSIVE_RE[{lang}]", lang, rx) for lang, rx in mandates.PASSIVE_RE.items()]
    for name, table in (("_MODAL_RE", modality._MODAL_RE), ("_OPEN_RE", modality._OPEN_RE)):
        out += [(f"{name}[{lang}][{i}]", lang, rx) for lang, lst in table.items() for i, (rx, _m) in enumerate(lst)]
    out += [(f"_WE_RE[{lang}]", lang, rx) for lang, rx in modality._WE_RE.items()]
    return out


@pytest.mark.parametrize("name,lang,rx", _patterns(), ids=[p[0] for p in _patterns()])
def test_same_matches_as_the_plain_regex(name, lang, rx):
    assert isinstance(rx, Prefiltered)
    plain = re.compile(rx.pattern, rx.flags)
    texts = [t for lg, t in TEXTS if lang in ("*", lg)] or [t for _, t in TEXTS]
    for t in texts:
        assert [m.span() for m in rx.finditer(t)] == [m.span() for m in plain.finditer(t)], t
        assert rx.sub(" ", t) == plain.sub(" ", t)
        assert bool(rx.search(t)) == bool(plain.search(t))


def test_the_checks_skip_most_paragraphs():
    en = [t for lg, t in TEXTS if lg == "en"]
    should = modality._MODAL_RE["en"][0][0]
    assert should.literals == ("should",)
    skipped = sum(not should.possible(t) for t in en)
    assert skipped > len(en) / 2
    assert sum(not mandates.CONDITION_RE.possible(t) for t in en) > 0.9 * len(en)


def test_required_literals_of_alternations_and_repeats():
    assert required_literals(r"(?:are|is)\s+(?:also\s+)?(encouraged|invited)") == frozenset({"encouraged", "invited"})
    assert required_literals(r"\bWe(?:\s+also)?\s+(?:will|shall)\b") == frozenset({"will", "shall"})
    assert required_literals(r"(?:foo)?\d+") is None  # an optional group requires nothing


def test_characters_ignorecase_folds_otherwise_are_never_skipped():
    # re.IGNORECASE matches the long s of old prints to "s" and the dotted capital I to "i"; str.lower does not
    rx = prefiltered(r"\b(?:should|shall)\b", re.I)
    for text in ("Parties ſhall report", "Parties SHALL report", "İnvites and shall"):
        assert bool(rx.search(text)) == bool(re.search(r"\b(?:should|shall)\b", text, re.I))
    assert rx.search("Parties ſhall report")


def test_the_verb_prefix_tree_matches_the_longest_form_first():
    for lang, forms in mandates.VERBS.items():
        flags = re.I if lang != "zh" else 0
        plain = re.compile(mandates._WB[lang][0] + "(" + mandates._alt(forms) + ")" + mandates._WB[lang][1], flags)
        tree = mandates.VERB_RE[lang]
        texts = [t for lg, t in TEXTS if lg == lang]
        for t in texts:
            assert [(m.span(), m.group(1)) for m in tree.finditer(t)] == [(m.span(), m.group(1)) for m in plain.finditer(t)]
