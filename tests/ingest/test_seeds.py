"""The five seed documents: language, symbol where printed, and real paragraphs (not lines)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pytest

from unkg.extract import annotate
from unkg.ingest.pipeline import parse_file
from tests.conftest import SAMPLES


@lru_cache(maxsize=None)
def seed(prefix: str):
    path = next(SAMPLES.glob(f"{prefix}_*.txt"))
    return annotate(parse_file(Path(path)))


def find(doc, needle: str):
    hits = [b for b in doc.blocks if needle in b.text]
    assert hits, f"no paragraph contains {needle!r}"
    return hits[0]


def test_seed_000_ldn_call_chinese():
    doc = seed("000")
    assert doc.language == "zh" and doc.languages == ["zh"]
    assert doc.title == "改变陆基议程的先锋国家"
    # a whole paragraph, from its first to its last sentence
    p = find(doc, "截至2023年2月")
    assert p.text.endswith("才能应对全球土地退化危机。")
    # the selection criteria are a numbered list 1..6
    labels = [b.label for b in doc.blocks if b.label and b.label[0].isdigit()]
    assert labels == ["1.", "2.", "3.", "4.", "5.", "6."]
    assert find(doc, "该国已完成其").label == "1."
    # footnote URLs are out of the text flow
    notes = [b for b in doc.blocks if b.kind == "footnote"]
    assert len(notes) == 5 and all("unccd" in n.text or "pbl.nl" in n.text for n in notes)
    assert not any("https://" in b.text for b in doc.blocks if b.kind != "footnote")


def test_seed_001_cop16_report_chinese():
    doc = seed("001")
    assert doc.symbol == "ICCD/COP(16)/18"
    assert doc.language == "zh"
    assert doc.date == "2024-07-29"
    assert doc.session == "16" and doc.agenda_item == "4"
    assert doc.body == "UNCCD Conference of the Parties"
    assert doc.title.startswith("在《公约》下采取的措施")
    headings = [(b.label, b.text) for b in doc.blocks if b.kind == "heading" and b.zone == "body"]
    assert ("一.", "背景") in headings and ("A.", "全球机制") in headings and ("三.", "结论") in headings
    toc = [b for b in doc.blocks if b.zone == "toc"]
    assert toc and toc[0].text == "目录"
    numbered = [b.label for b in doc.blocks if b.level == 1 and b.label and b.label[0].isdigit()]
    assert numbered == [f"{i}." for i in range(1, 30)]
    # the quoted requests of decision 22/COP.15: lettered sub-paragraphs under paragraph 2
    p2 = find(doc, "第 22/COP.15 号决定请全球机制")
    subs = [b for b in doc.blocks if b.parent == p2.id]
    assert [b.label for b in subs] == ["(a)", "(b)", "(c)"]
    assert subs[0].text.startswith("继续支持为可持续性、稳定和安全倡议调动资源")
    assert all(b.level == 2 for b in subs)


def test_seed_002_bilingual_lines_are_linked():
    doc = seed("002")
    assert doc.languages == ["en", "zh"]
    en = find(doc, "That’s where the Changwon Initiative came in.")
    zh = find(doc, "这就是昌原倡议的由来。")
    assert en.language == "en" and zh.language == "zh"
    assert zh.translation_of == en.id
    # every Chinese block is linked to the English block just before it
    zh_blocks = [b for b in doc.blocks if b.language == "zh"]
    assert len(zh_blocks) >= 15
    assert sum(1 for b in zh_blocks if b.translation_of) / len(zh_blocks) >= 0.9


def test_seed_003_kubuqi_line_mode_english():
    doc = seed("003")
    assert doc.language == "en"
    assert doc.title == "Kubuqi Action Plan of Global Desertification Control (2015-2025)"
    # wrapped lines separated by blank lines are joined into one paragraph
    p = find(doc, "At the eleventh session of the Conference of the Parties")
    assert "Government of Inner Mongolia Autonomous Region of the People’s Republic of China, the United Nations Environment Programme (UNEP) and the UNCCD Secretariat." in p.text
    p4 = find(doc, "The Forum took note of the strategic initiatives")
    assert p4.label == "4." and "“Belt and Road”" in p4.text
    assert [b.text for b in doc.blocks if b.kind == "heading"][:3] == [
        "The Kubuqi International Desert Forum and Its Background", "The Objectives", "The Priorities"]


def test_seed_004_unhabitat_markdown_in_txt():
    doc = seed("004")
    assert doc.symbol == "HSP/EB.2024/6"
    assert doc.language == "zh"
    assert doc.date == "2024-02-26"
    assert doc.body == "UN-Habitat Executive Board"
    assert doc.agenda_item == "7"
    assert doc.title.startswith("执行主任关于联合国人类住区规划署规范和业务活动的报告")
    # a paragraph interrupted by a footnote at a page break continues after it
    p1 = next(b for b in doc.blocks if b.label == "1.")
    assert p1.text.endswith("作出了贡献。")
    assert any(b.kind == "footnote" and "HSP/EB.2024/1" in b.text for b in doc.blocks)
    # no markdown markup survives
    assert not any(b.text.startswith("#") or "\\*" in b.text for b in doc.blocks)
    p8 = next(b for b in doc.blocks if b.label == "8.")
    assert "城市复兴，使居民区和社区变得更加平等和充满活力" in p8.text


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_no_chinese_text_has_inserted_spaces(prefix):
    doc = seed(prefix)
    import re

    for b in doc.blocks:
        assert not re.search(r"[\u4e00-\u9fff] [\u4e00-\u9fff]", b.text.replace("《", "").replace("》", "")) or prefix == "004", b.text
