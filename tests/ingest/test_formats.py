"""Each format backend on files built by the test: DOCX, HTML, Markdown with front matter, text encodings."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest

from unkg.extract import annotate
from unkg.ingest.pipeline import parse_file

RESOLUTION_EN = [
    "A/RES/80/13",
    "Resolution adopted by the General Assembly on 1 December 2025",
    "80/13. Combating desertification and land degradation",
    "The General Assembly,",
    "Recalling its resolution 62/193 of 19 December 2007,",
    "1. Requests the Secretary-General to report at its eighty-first session;",
    "2. Encourages Member States:",
    "(a) To set voluntary land degradation neutrality targets;",
    "(b) To integrate them in national plans.",
]


def check_resolution(doc) -> None:
    assert doc.symbol == "A/RES/80/13"
    assert doc.date == "2025-12-01"
    assert doc.session == "80"
    assert doc.body == "General Assembly"
    assert doc.title == "Combating desertification and land degradation"
    ops = [b for b in doc.blocks if b.kind == "operative"]
    assert [(b.label, b.level) for b in ops][:4] == [("1.", 1), ("2.", 1), ("(a)", 2), ("(b)", 2)]
    assert ops[0].text.startswith("Requests the Secretary-General") and ops[0].verb == "Requests"
    pre = [b for b in doc.blocks if b.kind == "preambular"]
    assert [b.text for b in pre] == ["The General Assembly,", "Recalling its resolution 62/193 of 19 December 2007,"]


def test_docx_paragraphs_headings_tables_footnotes(tmp_path):
    d = docx.Document()
    for line in RESOLUTION_EN:
        d.add_paragraph(line)
    d.add_heading("Annex", level=1)
    table = d.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Region", "Hectares"
    table.cell(1, 0).text, table.cell(1, 1).text = "Africa", "100 000"
    path = tmp_path / "res.docx"
    d.save(path)
    doc = annotate(parse_file(path))
    check_resolution(doc)
    assert doc.format == "docx"
    assert any(b.kind == "heading" and b.text == "Annex" for b in doc.blocks)
    assert [b.text for b in doc.blocks if b.kind == "table"] == ["Region\tHectares", "Africa\t100 000"]


def test_html_blocks_and_scripts(tmp_path):
    body = "".join(f"<p>{line}</p>" for line in RESOLUTION_EN)
    html = f"<html lang='en'><head><title>t</title><script>var x = '<p>evil</p>';</script></head><body><nav>Home | About</nav>{body}<h2>Annex</h2></body></html>"
    path = tmp_path / "res.html"
    path.write_text(html, encoding="utf-8")
    doc = annotate(parse_file(path))
    check_resolution(doc)
    assert not any("evil" in b.text or "Home | About" in b.text for b in doc.blocks)


def test_markdown_front_matter_wins(tmp_path):
    md = "---\nsymbol: A/RES/80/13\ndate: \"2025-12-01\"\nlanguage: EN\n---\n\n" + "\n\n".join(RESOLUTION_EN[1:]) + "\n\n[^1]: A footnote.\n"
    path = tmp_path / "res.md"
    path.write_text(md, encoding="utf-8")
    doc = annotate(parse_file(path))
    check_resolution(doc)
    assert [b.text for b in doc.blocks if b.kind == "footnote"] == ["A footnote."]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "cp1252"])
def test_text_encodings_english(tmp_path, encoding):
    text = "\n\n".join(RESOLUTION_EN + ["3. Welcomes the café’s contribution to the Changwon Initiative."]) + "\n"
    path = tmp_path / "res.txt"
    path.write_bytes(text.encode(encoding))
    doc = annotate(parse_file(path))
    check_resolution(doc)
    assert any("café’s" in b.text for b in doc.blocks)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16", "gb18030"])
def test_text_encodings_chinese(tmp_path, encoding):
    text = "缔约方会议，\n\n回顾第22/COP.15号决定，\n\n1. 请秘书处和全球机制向缔约方会议第十七届会议报告执行情况；\n\n2. 邀请缔约方加强城乡联系，促进土地退化零增长。\n"
    path = tmp_path / "dec.txt"
    path.write_bytes(text.encode(encoding))
    doc = annotate(parse_file(path))
    assert doc.language == "zh"
    ops = [b for b in doc.blocks if b.kind == "operative"]
    assert [b.verb for b in ops] == ["请", "邀请"]
    assert ops[0].text == "请秘书处和全球机制向缔约方会议第十七届会议报告执行情况；"


def test_wrapped_lines_and_hyphens(tmp_path):
    text = ("The General Assembly,\n\nRecognizing the need for long-\nterm support to arid, semi-arid and dry\nsub-humid areas and the "
            "Secretary-\nGeneral’s report,\n\n1. Decides to con\u00adtinue.\n")
    path = tmp_path / "wrap.txt"
    path.write_text(text, encoding="utf-8")
    doc = annotate(parse_file(path))
    pre = [b.text for b in doc.blocks if b.kind == "preambular"]
    assert pre[1] == "Recognizing the need for long-term support to arid, semi-arid and dry sub-humid areas and the Secretary-General’s report,"
    assert [b.text for b in doc.blocks if b.kind == "operative"] == ["Decides to continue."]
