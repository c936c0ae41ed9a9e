"""Garbled paragraphs (a broken font map) are detected, kept, reported and never read for mandates."""

from __future__ import annotations

import pytest

from unkg.extract import annotate, garbled
from unkg.model import Block, Document


@pytest.mark.parametrize("text", ["('3 ()S% (+%'1 %$'#( )'( +*%'$ '3(", "%'( )(*+ '3 ()S% (+%'1 ,.'# )'(", "\"#$%&'()*+ '3(( ()S%"])
def test_symbol_soup_is_garbled(text):
    assert garbled(text)


@pytest.mark.parametrize("text", [
    "Requests the Executive Director (UNEP/EA.5/RES.1) to report, e.g. at www.unep.org;",
    "请秘书处（ICCD/COP(16)/18）在2026年6月底前编写报告。",
    "Prie le secrétariat (ICCD/COP(16)/18) d'établir un rapport ;",
    "|---|---|---|", "12.5 13.4 (2.1) 7.0 (3.5)",
    "(a) Promote multi-level participatory governance: Adopt a whole-of-government approach;",
])
def test_real_text_is_not_garbled(text):
    assert not garbled(text)


@pytest.mark.parametrize("lang,good", [("en", "Requests the secretariat to prepare a report;"), ("zh", "请秘书处编写一份报告；")])
def test_garbled_paragraph_is_kept_out_of_mandates_and_reported(lang, good):
    soup = "('3 ()S% (+%'1 %$'#( )'( Requests +*%'$ '3("
    blocks = [Block(id="t#1", ord=0, kind="preambular", text="The Conference of the Parties," if lang == "en" else "缔约方会议，", language=lang),
              Block(id="t#2", ord=1, kind="operative", label="1.", level=1, text=soup, language=lang),
              Block(id="t#3", ord=2, kind="operative", label="2.", level=1, text=good, language=lang)]
    doc = annotate(Document(id="t", source="t", sha256="0", format="text", language=lang, symbol="ICCD/COP(16)/20", blocks=blocks))
    assert doc.blocks[1].text == soup and not doc.blocks[1].mandates and not doc.blocks[1].entities
    assert doc.blocks[2].mandates and doc.blocks[2].mandates[0].addressees == ["actor:unccd-secretariat"]
    assert sum("garbled" in w for w in doc.warnings) == 1 and "t#2" in next(w for w in doc.warnings if "garbled" in w)


def test_chinese_with_numbered_clauses_is_not_garbled():
    from unkg.extract import garbled

    # Chinese has no spaces: a paragraph's space-separated "words" are clauses with their punctuation
    text = ("参与各方欢迎秘书处和人居署为就城乡联系与土地编写一份技术指南而建立的合作伙伴关系。该读本确定了"
            "土地资源的主要功能性特征：(1) 治理工作呈散沙式；(2) 城市消费需求；(3) 基础设施开发；(4) 城市和城郊的扩张；")
    assert not garbled(text)
    assert garbled("('3 ()S% (+%'1 %&(+ ()'' (%$ )'(% ,(%'")


# A font without a usable ToUnicode map: each glyph comes out as its code in the font's own encoding,
# i.e. the same character always becomes the same ASCII symbol or digit ("('3 ()S% (+%'1").
_GLYPH_CODES = "!\"#$%&'()*+,-./0123456789:;<=>?@S"


def _broken_font_map(text: str) -> str:
    return "".join(c if c.isspace() else _GLYPH_CODES[ord(c) % len(_GLYPH_CODES)] for c in text)


@pytest.mark.parametrize("sample,lang", [("003_fba4fe6ec1bb1a00.txt", "en"), ("001_309b4cd226994121.txt", "zh")])
def test_real_document_with_paragraphs_through_a_broken_font_map(tmp_path, sample, lang):
    from tests.conftest import SAMPLES
    from unkg.ingest.pipeline import parse_file

    clean = annotate(parse_file(SAMPLES / sample))
    assert not any(b.zone == "garbled" for b in clean.blocks), [b.text[:40] for b in clean.blocks if b.zone == "garbled"]
    paras = [b.text for b in clean.blocks if b.kind in ("text", "operative", "preambular") and len(b.text) > 60]
    assert len(paras) >= 6
    broken = {i for i in range(2, len(paras), 3)}  # every third paragraph, as when one font of the file has no map
    text = "\n\n".join(_broken_font_map(p) if i in broken else p for i, p in enumerate(paras))
    f = tmp_path / f"mixed_{lang}.txt"
    f.write_text(text, encoding="utf-8")
    doc = annotate(parse_file(f))
    marked = [b for b in doc.blocks if b.zone == "garbled"]
    assert len(marked) == len(broken)
    assert all(not b.entities and not b.mandates and not b.citations for b in marked)
    assert {b.text for b in marked} == {_broken_font_map(paras[i]) for i in broken}  # kept, as printed
    report = [w for w in doc.warnings if w.startswith("garbled text:")]
    assert len(report) == 1 and f"{len(broken)} paragraph(s)" in report[0] and marked[0].id in report[0]
    assert any(b.entities for b in doc.blocks if b.zone != "garbled")  # the readable paragraphs are still read
