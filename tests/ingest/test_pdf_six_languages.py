"""PDFs written in the six UN languages read back as written, with both engines.

The PDFs are made here (tests/ingest/pdfgen.py: fpdf2, Debian fonts, HarfBuzz
shaping for Arabic): 60 paragraphs with numbers, symbols and Latin words inside
lines, a blank line between paragraphs; then numbered paragraphs with
sub-paragraphs, a footnote and running heads; then two columns.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from unkg.ingest.bidi_text import repair_brackets, visual_to_logical
from unkg.ingest.language import detect_language
from unkg.ingest.pdf_backend import read_pdf_with
from unkg.ingest.options import ReadOptions
from unkg.ingest.pipeline import parse_file

from .pdfgen import LANGS, Layout, make_pdf, paragraphs, require_fonts, score

try:
    import uharfbuzz  # noqa: F401  (shapes the Arabic test PDFs; dev extra)
except ImportError:
    if os.environ.get("UNKG_REQUIRE_SHARED") == "1":
        raise
    pytest.skip("uharfbuzz (dev extra) shapes the Arabic test PDFs", allow_module_level=True)
require_fonts()

ENGINES = ["pdfium", "pdfplumber"]


def _body(doc) -> list[dict]:
    return [{"text": b.text, "label": b.label} for b in doc.blocks if b.kind != "footnote"]


@pytest.fixture(scope="module")
def plain(tmp_path_factory):
    folder = tmp_path_factory.mktemp("plain")
    out = {}
    for lang in LANGS:
        path = folder / f"{lang}.pdf"
        out[lang] = (path, make_pdf(path, lang, paragraphs(lang)))
    return out


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("lang", LANGS)
def test_sixty_paragraphs_read_back(lang, engine, plain):
    options = ReadOptions(pdf_engine=engine)
    path, written = plain[lang]
    doc = parse_file(path, options=options)
    s = score(written, _body(doc))
    assert abs(s.found - s.written) <= 3, s
    assert s.similarity >= 0.98, s
    assert doc.language == lang


def test_engines_give_the_same_arabic_text(plain):
    path, _ = plain["ar"]
    data = path.read_bytes()
    a = [ln.text for ln in read_pdf_with("pdfium", path, data).lines]
    b = [ln.text for ln in read_pdf_with("pdfplumber", path, data).lines]
    assert a == b
    text = " ".join(a)
    assert "الأشخاص" in text and "األشخاص" not in text  # lam-alef in logical order
    assert "(UNEP)" in text and "A/80/" in text


@pytest.mark.parametrize("lang", LANGS)
def test_numbered_paragraphs_subparagraphs_footnote_running_head(lang, tmp_path):
    path = tmp_path / f"{lang}.pdf"
    written = make_pdf(path, lang, paragraphs(lang), Layout(numbered=True, running_head=True, footnote=True))
    doc = parse_file(path)
    s = score(written, _body(doc))
    assert abs(s.found - s.written) <= 3, s
    assert s.similarity >= 0.98, s
    assert s.labels_kept >= 0.95, s
    assert any(b.kind == "footnote" for b in doc.blocks)
    assert not any("ICCD/COP(16)/23" == b.text for b in doc.blocks)  # the running head is furniture
    subs = [b for b in doc.blocks if b.level == 2]
    assert len(subs) == 3 and all(b.parent for b in subs)


@pytest.fixture(scope="module")
def two_columns(tmp_path_factory):
    folder = tmp_path_factory.mktemp("two")
    out = {}
    for lang in LANGS:
        path = folder / f"{lang}.pdf"
        out[lang] = (path, make_pdf(path, lang, paragraphs(lang, n=40), Layout(two_columns=True, running_head=True)))
    return out


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("lang", LANGS)
def test_two_columns(lang, engine, two_columns):
    # ragged columns, the right one read first in Arabic; pdfminer joins the halves of each row, pdfium keeps the stream order
    options = ReadOptions(pdf_engine=engine)
    path, written = two_columns[lang]
    s = score(written, _body(parse_file(path, options=options)))
    assert abs(s.found - s.written) <= 3, s
    assert s.similarity >= 0.98, s


def test_one_column_page_has_no_gutter(plain):
    from unkg.ingest.pdf_columns import find_gutter

    import pdfplumber

    for lang in ("en", "zh", "ar"):
        with pdfplumber.open(str(plain[lang][0])) as pdf:
            page = pdf.pages[0]
            assert find_gutter([(c["x0"], c["x1"], c["top"], c["bottom"]) for c in page.chars], float(page.width)) is None


def test_cli_parse_json_on_a_chinese_pdf(plain):
    path, written = plain["zh"]
    out = subprocess.run([sys.executable, "-m", "unkg.cli", "parse", str(path), "--json"], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    doc = json.loads(next(line for line in out.stdout.splitlines() if line.startswith("{")))
    s = score(written, doc["paragraphs"])
    assert abs(s.found - s.written) <= 3 and s.similarity >= 0.98, s


# ---------------------------------------------------------------- the bidi step on its own


def test_presentation_forms_become_letters_in_logical_order():
    # "الأشخاص" drawn with presentation forms, left to right: sad, alef (final), khah, sheen, lam-alef-hamza, alef
    visual = ["\ufeb9", "\ufe8e", "\ufea8", "\ufeb7", "\ufef7", "\ufe8d"]
    assert visual_to_logical(visual, True) == "الأشخاص"


def test_numbers_and_latin_keep_their_order_inside_arabic():
    logical = "يبين التقرير A/80/12 أن 45.5 في المائة"
    from bidi import get_display

    visual = get_display(logical, base_dir="R")
    assert visual_to_logical(list(visual), True) == logical


def test_hebrew_line():
    logical = "הדוח A/80/12 מראה 45 אחוז"
    from bidi import get_display

    assert visual_to_logical(list(get_display(logical, base_dir="R")), True) == logical


def test_brackets_that_do_not_pair_are_turned_round():
    assert repair_brackets("من )UNEP( الأشخاص") == "من (UNEP) الأشخاص"
    assert repair_brackets("من )UNEP) الأشخاص") == "من (UNEP) الأشخاص"
    assert repair_brackets("see (a) and (b)") == "see (a) and (b)"


# ---------------------------------------------------------------- language of mixed paragraphs


@pytest.mark.parametrize("text,lang", [
    ("تشير إلى قرارها المعنون \"Transforming our world: the 2030 Agenda for Sustainable Development\" المؤرخ 25 أيلول/سبتمبر 2015", "ar"),
    ("请UNESCO、UNEP、UNDP、FAO和IFAD与UNCCD秘书处合作", "zh"),
    ("просит UNEP и UN-Habitat представить доклад о Sustainable Development Goals", "ru"),
    ("Welcomes the report of UNCCD on the Riyadh Action Agenda", "en"),
    ("Accueille avec satisfaction le rapport du Secrétaire général sur la désertification", "fr"),
])
def test_language_of_a_mixed_paragraph(text, lang):
    assert detect_language(text) == lang


# ---------------------------------------------------------------- UN symbols inside Arabic lines

UN_SYMBOLS = ["22/COP.15", "A/RES/80/12", "ICCD/COP(16)/23", "E/CN.4/2024/L.5", "3/CMP.1", "UNEP/EA.6/Res.3", "S/RES/2250 (2015)", "1/CMA.3"]
AR_FRAMES = ["يشير إلى المقرر {s} المعتمد في الدورة السابقة، ويطلب إلى الأمانة أن تقدم تقريرا عن تنفيذه.",
             "وقد نظرت اللجنة في الوثيقة {s} وأحاطت علما بما ورد فيها من توصيات بشأن تدهور الأراضي.",
             "ترد المعلومات ذات الصلة في {s}، وتشمل 45.5 في المائة من البلدان المبلغة وعددها 20 175 000 نسمة."]


@pytest.mark.parametrize("engine", ENGINES)
def test_un_symbols_inside_arabic_lines_survive(engine, tmp_path):
    options = ReadOptions(pdf_engine=engine)
    paras = [AR_FRAMES[i % 3].format(s=sym) + " " + AR_FRAMES[(i + 1) % 3].format(s=UN_SYMBOLS[(i + 3) % len(UN_SYMBOLS)]) for i, sym in enumerate(UN_SYMBOLS)]
    path = tmp_path / "symbols.pdf"
    written = make_pdf(path, "ar", paras)
    doc = parse_file(path, options=options)
    s = score(written, _body(doc))
    assert s.found == s.written and s.similarity >= 0.99, s
    text = " ".join(b.text for b in doc.blocks)
    for sym in UN_SYMBOLS:
        assert text.count(sym) == 2, (sym, text[:600])  # each symbol is written twice
    assert "COP.15/22" not in text and "20 175 000" in text


@pytest.mark.parametrize("sym", UN_SYMBOLS + ["25/9/2015", "Transforming our world"])
def test_symbol_runs_read_left_to_right_in_the_bidi_step(sym):
    from bidi import get_display

    logical = f"يشير إلى المقرر {sym} المعتمد والمبلغ 20 175 000 دولار."
    assert visual_to_logical(list(get_display(logical, base_dir="R")), True) == logical


# ---------------------------------------------------------------- hanging labels, the rendered-pdf layout


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("lang", ["en", "zh", "ar"])
def test_hanging_target_labels_without_full_stops(lang, engine, tmp_path):
    """Targets labelled "1.1" ... "1.a" (hanging, on the right in Arabic), no closing full stop, across pages."""
    from .pdfgen import NOTE, make_labelled_pdf, norm

    options = ReadOptions(pdf_engine=engine)
    texts = [t.rstrip(".。") for t in paragraphs(lang, n=30)]
    labels = [f"{1 + i // 8}.{'12345abc'[i % 8]}" for i in range(len(texts))]
    path = tmp_path / f"{lang}.pdf"
    make_labelled_pdf(path, lang, "A/RES/70/1", list(zip(labels, texts)), NOTE[lang])
    blocks = [b for b in parse_file(path, options=options).blocks if b.kind != "footnote"]
    by_text = {norm(b.text): b for b in blocks}
    found = [by_text.get(norm(t)) for t in texts]
    assert sum(b is not None for b in found) >= 28, [b.text[:40] for b in blocks]
    assert sum(b is not None and b.label == lab for b, lab in zip(found, labels)) >= 28
