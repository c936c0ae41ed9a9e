"""One canonical initiative across the languages of a document (translations pair the names)."""

from __future__ import annotations

import re
import shutil

import pytest

from tests.conftest import SAMPLES
from unkg.extract import annotate
from unkg.extract import pipeline as _pipeline
from unkg.extract import vocab as _vocab
from unkg.extract.aliases import head_class
from unkg.ingest.pipeline import parse_file

BRIEF = SAMPLES / "002_ccf872ac2b766316.txt"  # an English brief with its Chinese translation paragraph by paragraph


def _clear_caches() -> None:
    _vocab.load.cache_clear()
    _pipeline.get_nlp.cache_clear()


@pytest.fixture
def vocabulary_without(tmp_path, monkeypatch):
    """The curated vocabulary with some initiatives left out: the prior does not know them."""

    def make(*ids: str) -> None:
        data = tmp_path / "data"
        shutil.copytree(_vocab.DATA, data)
        text = (data / "unccd_vocabulary.yaml").read_text(encoding="utf-8")
        for node in ids:
            text, n = re.subn(rf"\n  - id: {re.escape(node)}\n(?:    .*\n|      .*\n)+", "\n", text)
            assert n == 1, node
        (data / "unccd_vocabulary.yaml").write_text(text, encoding="utf-8")
        monkeypatch.setattr(_vocab, "DATA", data)
        _clear_caches()

    yield make
    monkeypatch.undo()
    _clear_caches()


def _initiatives(doc, lang: str) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for b in doc.blocks:
        if b.language == lang:
            for e in b.entities:
                if e.type == "initiative":
                    out.setdefault(e.id, set()).add(e.text)
    return out


def test_translated_brief_gives_one_node_per_initiative_with_the_vocabulary():
    doc = annotate(parse_file(BRIEF))
    en, zh = _initiatives(doc, "en"), _initiatives(doc, "zh")
    assert en["initiative:changwon-initiative"] == {"Changwon Initiative"}
    assert zh["initiative:changwon-initiative"] == {"昌原倡议"}


def test_initiative_outside_the_vocabulary_is_merged_across_english_and_chinese(vocabulary_without):
    vocabulary_without("initiative:changwon-initiative")
    doc = annotate(parse_file(BRIEF))
    en, zh = _initiatives(doc, "en"), _initiatives(doc, "zh")
    assert "initiative:changwon-initiative" in en  # found by the shape of the English name
    assert zh.get("initiative:changwon-initiative") == {"昌原倡议"}  # the Chinese name, printed without 《》, paired by translation
    zh_blocks = [b for b in doc.blocks if b.language == "zh" and "昌原倡议" in b.text]
    assert len(zh_blocks) == 4
    assert all(any(e.id == "initiative:changwon-initiative" for e in b.entities) for b in zh_blocks)
    # no second node for the same initiative under a Chinese id
    assert not [i for i in zh if i.startswith("initiative:") and "昌原" in i]


@pytest.mark.parametrize("name,lang,cls", [
    ("Changwon Initiative", "en", "initiative"), ("昌原倡议", "zh", "initiative"), ("Initiative de Changwon", "fr", "initiative"),
    ("Iniciativa de Changwon", "es", "initiative"), ("Чханвонская инициатива", "ru", "initiative"), ("مبادرة تشانغوون", "ar", "initiative"),
    ("Integrated Training Programme", "en", "programme"), ("综合培训方案", "zh", "programme"), ("Programa de formación", "es", "programme"),
    ("Land Degradation Neutrality Fund", "en", "fund"), ("土地退化零增长基金", "zh", "fund"), ("Фонд нейтрального баланса", "ru", "fund"),
])
def test_head_classes_pair_names_across_six_languages(name, lang, cls):
    assert head_class(name, lang) == cls
