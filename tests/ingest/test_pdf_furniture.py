"""Running heads are found by repetition across pages, never by position alone; nothing goes silently.

PDFs made here with fpdf2's core Helvetica (no font package needed), read by both engines.
"""

from __future__ import annotations

import pytest
from fpdf import FPDF

from unkg.ingest.options import ReadOptions
from unkg.ingest.pipeline import parse_file

ENGINES = ["pdfium", "pdfplumber"]

TOPICS = ["drought resilience in the Sahel", "land restoration in Central Asia", "sand and dust storms in West Asia",
          "rangeland management in Mongolia"]


def _sentence(i: int, k: int) -> str:
    return f"Paragraph {k} on page {i + 1} reports on {TOPICS[(i + k) % len(TOPICS)]} and asks Parties to act before {2026 + k}."


def _pdf(path, pages: int, head: bool, top_only: bool, sideways: str | None = None, sideways_repeats: bool = False) -> list[str]:
    """`pages` pages; returns the body texts written in order."""
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(False)
    pdf.set_font("Helvetica", size=11)
    written = []
    for i in range(pages):
        pdf.add_page()
        if head:
            pdf.set_font("Helvetica", size=8)
            pdf.text(20, 12, "ICCD/COP(16)/23")
            pdf.text(pdf.w / 2, pdf.h - 10, str(i + 1))
            pdf.set_font("Helvetica", size=11)
        if sideways and (sideways_repeats or i == 0):
            with pdf.rotation(90, 10, 200):
                pdf.text(10, 200, sideways)
        if top_only:  # the top tenth of the page (29.7 mm of 297), a different sentence on each page
            text = _sentence(i, 0)
            pdf.set_xy(20, 14)
            pdf.multi_cell(170, 5, text)
            written.append(text)
            continue
        pdf.set_xy(20, 30)
        for k in range(4):
            text = _sentence(i, k) + " " + _sentence(i, k + 7)
            pdf.multi_cell(170, 5, text)
            pdf.ln(5)
            written.append(text)
    pdf.output(str(path))
    return written


def _bodies(doc) -> list[str]:
    return [" ".join(b.text.split()) for b in doc.blocks if b.kind != "footnote"]


@pytest.mark.parametrize("engine", ENGINES)
def test_text_only_in_the_top_tenth_is_kept(engine, tmp_path):
    options = ReadOptions(pdf_engine=engine)
    path = tmp_path / "top.pdf"
    written = _pdf(path, 4, head=False, top_only=True)
    doc = parse_file(path, options=options)
    found = " ".join(_bodies(doc))
    for text in written:
        assert text in found, (text, found[:500])


@pytest.mark.parametrize("engine", ENGINES)
def test_true_running_head_and_page_numbers_dropped_nothing_else(engine, tmp_path):
    options = ReadOptions(pdf_engine=engine)
    path = tmp_path / "head.pdf"
    written = _pdf(path, 4, head=True, top_only=False)
    doc = parse_file(path, options=options)
    bodies = _bodies(doc)
    assert bodies == written
    assert not doc.warnings


@pytest.mark.parametrize("engine", ENGINES)
def test_sideways_text_left_out_is_counted_unless_it_repeats(engine, tmp_path):
    options = ReadOptions(pdf_engine=engine)
    once = tmp_path / "once.pdf"
    _pdf(once, 3, head=True, top_only=False, sideways="Advance unedited version 12 May", sideways_repeats=False)
    doc = parse_file(once, options=options)
    assert any("sideways" in w and "1 line" in w for w in doc.warnings), doc.warnings
    every = tmp_path / "every.pdf"
    written = _pdf(every, 3, head=True, top_only=False, sideways="Advance unedited version 12 May", sideways_repeats=True)
    doc = parse_file(every, options=options)
    assert not doc.warnings
    assert _bodies(doc) == written
