"""PDFs built on the fly (fpdf2): running header, page numbers, footnotes, wrapped lines,
paragraphs across page breaks, in English and Chinese; Arabic order; encrypted and damaged files.

Both engines (pypdfium2, the default, and pdfplumber) are held to the same structure.
No CJK font is installed on these machines (`fc-list :lang=zh` is empty), so the Chinese
PDF embeds a small TrueType font the test builds with fontTools (a dependency of fpdf2):
box glyphs for the characters used, with a real Unicode cmap. A second Chinese PDF is
written by hand with the non-embedded Adobe font STSong-Light and Identity-H codes, as
many Chinese UN PDFs are.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fpdf import FPDF

from unkg.ingest.options import ReadOptions
from unkg.ingest.pdf_backend import read_pdf_with
from unkg.settings import Settings
from unkg.ingest.pipeline import parse_file
from unkg.errors import EncryptedFile, IngestError

from .pdfgen import require_fonts

ENGINES = ["pdfium", "pdfplumber"]
DEJAVU = Path("/usr/share/fonts/truetype/dejavu")


def _need_dejavu() -> None:
    require_fonts(("en",), also=(str(DEJAVU / "DejaVuSans.ttf"), str(DEJAVU / "DejaVuSans-Bold.ttf")))

SYMBOL = "A/RES/80/99"
TITLE = "80/99. Combating desertification, land degradation and drought"
PREAMBLE = [
    "The General Assembly,",
    "Recalling its resolution 62/193 of 19 December 2007 and all previous resolutions on the implementation of the "
    "United Nations Convention to Combat Desertification in Those Countries Experiencing Serious Drought and/or "
    "Desertification, Particularly in Africa,",
    "Noting with concern the adverse impacts of desertification, land degradation and drought on the livelihoods of "
    "people in affected developing countries,",
]
OPERATIVE = [
    "Takes note of the report of the Secretary-General on the implementation of the Convention and of the decisions "
    "adopted by the Conference of the Parties at its sixteenth session, held in Riyadh;",
    "Requests the secretariat of the Convention to continue to support affected country Parties in setting voluntary "
    "land degradation neutrality targets and in integrating them into national development plans, and invites all "
    "Parties to report on progress in a timely manner;",
    "Encourages Member States and other donors to contribute to the Land Degradation Neutrality Fund, and calls upon "
    "the international community to mobilize adequate and predictable financial resources for the implementation of "
    "the Convention at all levels, including through South-South and triangular cooperation;",
    "Decides to include in the provisional agenda of its eighty-first session, under the item entitled "
    "\u201cSustainable development\u201d, the sub-item entitled \u201cImplementation of the United Nations Convention "
    "to Combat Desertification\u201d, and requests the Secretary-General to submit a report on the implementation "
    "of the present resolution.",
]
FOOTNOTE = "1 See also the report of the Conference of the Parties on its sixteenth session (ICCD/COP(16)/23)."


class UNPage(FPDF):
    """A UN-style page: running header with the symbol, page number at the foot."""

    head = SYMBOL

    def header(self) -> None:
        if self.page_no() > 1:
            self.set_font(self.body_font, size=9)
            self.cell(0, 5, self.head, new_x="LMARGIN", new_y="NEXT")
            self.ln(6)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(self.body_font, size=8)
        self.cell(0, 5, str(self.page_no()), align="C")


def english_pdf(path: Path) -> None:
    pdf = UNPage(format="A4")
    _need_dejavu()
    pdf.add_font("dv", fname=str(DEJAVU / "DejaVuSans.ttf"))
    pdf.add_font("dv", style="B", fname=str(DEJAVU / "DejaVuSans-Bold.ttf"))
    pdf.body_font = "dv"
    pdf.set_auto_page_break(True, margin=25)
    pdf.add_page()
    pdf.set_font("dv", size=10)
    for line in (SYMBOL, "Resolution adopted by the General Assembly on 1 December 2025"):
        pdf.multi_cell(0, 5, line, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
    pdf.set_font("dv", "B", 11)
    pdf.multi_cell(0, 5, TITLE, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    pdf.set_font("dv", size=10)
    for para in PREAMBLE:
        pdf.set_x(pdf.l_margin + 10)
        pdf.multi_cell(0, 5, para + ("\u00b9" if para.startswith("Recalling") else ""), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
    # footnote at the foot of page 1, in small type, below the page-break trigger (25 mm)
    pdf.set_auto_page_break(False)
    pdf.set_xy(pdf.l_margin, pdf.h - 24)
    pdf.set_font("dv", size=7.5)
    pdf.multi_cell(0, 3.5, FOOTNOTE, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("dv", size=10)
    pdf.set_auto_page_break(True, margin=25)
    # paragraph 2 starts on the last line of page 1 and runs on, over the page number and header, on page 2
    pdf.set_xy(pdf.l_margin, pdf.h - 25 - 21)
    for i, para in enumerate(OPERATIVE, start=1):
        pdf.multi_cell(0, 5, f"{i}.   {para}", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
    pdf.output(str(path))


@pytest.fixture(scope="module")
def english(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("pdf") / "res.pdf"
    english_pdf(path)
    return path


def test_default_engine_is_pdfium():
    assert ReadOptions().pdf_engine == "pdfium"
    assert ReadOptions.from_settings(Settings.from_env({})).pdf_engine == "pdfium"
    assert ReadOptions.from_settings(Settings.from_env({"UNKG_PDF_ENGINE": "PDFPlumber"})).pdf_engine == "pdfplumber"
    with pytest.raises(ValueError, match="UNKG_PDF_ENGINE"):
        read_pdf_with("nonsense", Path("x.pdf"), b"%PDF-1.4")


@pytest.mark.parametrize("engine", ENGINES)
def test_english_paragraphs_header_footer_footnote(engine, english):
    options = ReadOptions(pdf_engine=engine)
    doc = parse_file(english, options=options)
    assert doc.pages == 2 and doc.warnings == []
    assert doc.symbol == SYMBOL
    ops = [b for b in doc.blocks if b.kind == "operative"]
    assert [b.label for b in ops] == ["1.", "2.", "3.", "4."]
    # wrapped lines are joined, and paragraph 2 runs on across the page break, header and page number
    assert [b.text for b in ops] == OPERATIVE
    assert ops[1].page == 1 and ops[2].page == 2
    pre = [b.text for b in doc.blocks if b.kind == "preambular"]
    assert pre == [PREAMBLE[0], PREAMBLE[1] + "1", PREAMBLE[2]] or pre == PREAMBLE[:1] + [PREAMBLE[1] + "\u00b9", PREAMBLE[2]]
    # the footnote is out of the flow and kept as a footnote
    notes = [b for b in doc.blocks if b.kind == "footnote"]
    assert [b.text for b in notes] == [FOOTNOTE] and notes[0].page == 1
    others = [b.text for b in doc.blocks if b.kind != "footnote"]
    assert not [t for t in others if "ICCD/COP(16)/23" in t]
    # the running header (page 2) and the page numbers are gone
    assert not [b for b in doc.blocks if b.page == 2 and SYMBOL in b.text]
    assert not [t for t in others if re.fullmatch(r"\d+", t)]
    assert doc.title == "Combating desertification, land degradation and drought"


def test_engines_agree_on_the_structure(english):
    shapes = {}
    for engine in ENGINES:
        options = ReadOptions(pdf_engine=engine)
        doc = parse_file(english, options=options)
        shapes[engine] = [(b.kind, b.label, b.level, b.page, b.text.replace("\u00b9", "1")) for b in doc.blocks]
    assert shapes["pdfium"] == shapes["pdfplumber"]


def test_two_column_page_reads_column_by_column(tmp_path):
    """pdfium keeps the stream's column order; lines of the two columns are not interleaved."""
    pdf = FPDF(format="A4")
    _need_dejavu()
    pdf.add_font("dv", fname=str(DEJAVU / "DejaVuSans.ttf"))
    pdf.set_font("dv", size=10)
    pdf.add_page()
    pdf.multi_cell(0, 5, "The General Assembly,", new_x="LMARGIN", new_y="NEXT")
    top = pdf.get_y() + 4
    for col, paras in enumerate((OPERATIVE[:2], OPERATIVE[2:])):
        pdf.set_xy(10 + col * 100, top)
        for i, para in enumerate(paras, start=1 + 2 * col):
            pdf.set_x(10 + col * 100)
            pdf.multi_cell(90, 5, f"{i}. {para}", new_x="LEFT", new_y="NEXT")
            pdf.ln(3)
    path = tmp_path / "columns.pdf"
    pdf.output(str(path))
    doc = parse_file(path)
    assert [(b.label, b.text) for b in doc.blocks if b.kind == "operative"] == [(f"{i}.", t) for i, t in enumerate(OPERATIVE, start=1)]


# ---------------------------------------------------------------- Chinese

ZH_CHAPEAU = "缔约方会议，"
ZH_PRE = "回顾关于防治荒漠化、土地退化和干旱的第3/COP.8号决定以及其后各项相关决定，"
ZH_OPS = [
    "请秘书处在现有资源范围内继续支持受影响国家缔约方制定自愿土地退化零增长目标，并将其纳入国家发展计划和相关政策框架；",
    "邀请所有缔约方和其他利益攸关方向土地退化零增长基金捐款，并及时报告在执行本决定方面取得的进展，包括通过南南合作和三角合作以及与联合国系统各实体的合作。",
    "决定在第十七届会议上审查本决定的执行情况。",
]
ZH_NOTE = "1 见第3/COP.8号决定。"
ZH_SYMBOL = "ICCD/COP(16)/18"


def _cjk_font(path: Path, chars: str) -> None:
    """A TrueType font with a box glyph for each character and a Unicode cmap."""
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.ttGlyphPen import TTGlyphPen

    chars = "".join(sorted(set(chars) | {" "}))
    names = [".notdef"] + [f"uni{ord(c):04X}" for c in chars]
    fb = FontBuilder(1000, isTTF=True)
    fb.setupGlyphOrder(names)
    fb.setupCharacterMap({ord(c): f"uni{ord(c):04X}" for c in chars})
    glyphs, metrics = {}, {}
    for name in names:
        ch = chr(int(name[3:], 16)) if name != ".notdef" else "x"
        adv = 1000 if ord(ch) > 0x2E80 else 550
        pen = TTGlyphPen(None)
        if ch != " ":
            pen.moveTo((60, 0))
            pen.lineTo((60, 700))
            pen.lineTo((adv - 60, 700))
            pen.lineTo((adv - 60, 0))
            pen.closePath()
        glyphs[name] = pen.glyph()
        metrics[name] = (adv, 60)
    fb.setupGlyf(glyphs)
    fb.setupHorizontalMetrics(metrics)
    fb.setupHorizontalHeader(ascent=880, descent=-120)
    fb.setupNameTable({"familyName": "UnkgTestCJK", "styleName": "Regular"})
    fb.setupOS2(sTypoAscender=880, sTypoDescender=-120, usWinAscent=880, usWinDescent=120)
    fb.setupPost()
    fb.save(str(path))


@pytest.fixture(scope="module")
def chinese(tmp_path_factory) -> Path:
    return chinese_pdf(tmp_path_factory.mktemp("zh"))


def chinese_pdf(folder: Path) -> Path:
    font = folder / "cjk.ttf"
    allchars = ZH_CHAPEAU + ZH_PRE + "".join(ZH_OPS) + ZH_NOTE + ZH_SYMBOL + "0123456789."
    _cjk_font(font, allchars)
    pdf = UNPage(format="A4")
    pdf.head = ZH_SYMBOL
    pdf.add_font("cjk", fname=str(font))
    pdf.body_font = "cjk"
    pdf.set_auto_page_break(True, margin=25)
    pdf.add_page()
    pdf.set_font("cjk", size=11)
    pdf.multi_cell(0, 6, ZH_SYMBOL, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.multi_cell(0, 6, ZH_CHAPEAU, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_x(pdf.l_margin + 11)
    pdf.multi_cell(0, 6, ZH_PRE, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    # footnote at the foot of page 1
    pdf.set_auto_page_break(False)
    y = pdf.get_y()
    pdf.set_xy(pdf.l_margin, pdf.h - 24)
    pdf.set_font("cjk", size=8)
    pdf.multi_cell(0, 4, ZH_NOTE, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("cjk", size=11)
    pdf.set_auto_page_break(True, margin=25)
    pdf.set_y(y)
    # numbered paragraphs with a hanging label; paragraph 2 runs across the page break
    for i, para in enumerate(ZH_OPS, start=1):
        if i == 2:
            pdf.set_y(pdf.h - 25 - 8)
        pdf.cell(10, 6, f"{i}.")
        pdf.multi_cell(0, 6, para, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(4)
    path = folder / "zh.pdf"
    pdf.output(str(path))
    return path


@pytest.mark.parametrize("engine", ENGINES)
def test_chinese_lines_joined_without_spaces_footnote_out(engine, chinese):
    options = ReadOptions(pdf_engine=engine)
    doc = parse_file(chinese, options=options)
    assert doc.language == "zh"
    assert doc.symbol == ZH_SYMBOL
    blocks = [b for b in doc.blocks if b.kind != "footnote"]
    assert [b.kind for b in blocks if b.text == ZH_CHAPEAU] == ["preambular"]
    assert ZH_PRE in [b.text for b in blocks]  # wrapped, joined with no space between characters
    ops = [b for b in doc.blocks if b.kind == "operative"]
    assert [(b.label, b.text) for b in ops] == [("1.", ZH_OPS[0]), ("2.", ZH_OPS[1]), ("3.", ZH_OPS[2])]
    assert [b.page for b in ops] == [1, 1, 2]
    assert [b.text for b in doc.blocks if b.kind == "footnote"] == [ZH_NOTE]
    assert not [b for b in blocks if "见第" in b.text or b.text.isdigit()]
    assert not [b for b in doc.blocks if b.page == 2 and ZH_SYMBOL in b.text]


def _stsong_pdf(lines: list[tuple[int, int, int, str]]) -> bytes:
    """A one-page PDF with the non-embedded Adobe font STSong-Light, text as Identity-H CIDs."""
    from pdfminer.cmapdb import CMapDB

    ucs2 = CMapDB.get_cmap("UniGB-UCS2-H")
    ops = ["BT"]
    for x, y, size, text in lines:
        cids = b"".join(c.to_bytes(2, "big") for c in ucs2.decode(text.encode("utf-16-be")))
        ops.append(f"/F1 {size} Tf 1 0 0 1 {x} {y} Tm <{cids.hex()}> Tj")
    ops.append("ET")
    stream = "\n".join(ops).encode()
    objs = [
        b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /Identity-H /DescendantFonts [2 0 R] >>",
        b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light /CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 2 >> /FontDescriptor 3 0 R /DW 1000 >>",
        b"<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [0 -200 1000 900] /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 93 >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Page /Parent 6 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 1 0 R >> >> /Contents 4 0 R >>",
        b"<< /Type /Pages /Kids [5 0 R] /Count 1 >>",
        b"<< /Type /Catalog /Pages 6 0 R >>",
    ]
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, obj in enumerate(objs, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 7 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return bytes(out)


def test_chinese_with_a_non_embedded_cid_font(tmp_path):
    data = _stsong_pdf([(72, 760, 12, ZH_CHAPEAU), (72, 736, 12, "1. 请秘书处在现有资源范围内继续支持受影响国家"), (90, 720, 12, "缔约方；")])
    path = tmp_path / "stsong.pdf"
    path.write_bytes(data)
    doc = parse_file(path)  # pdfium, the default
    assert [b.text for b in doc.blocks] == [ZH_CHAPEAU, "请秘书处在现有资源范围内继续支持受影响国家缔约方；"]
    assert doc.blocks[1].kind == "operative" and doc.blocks[1].label == "1."
    assert not any("(cid:" in b.text for b in doc.blocks)


def test_font_without_unicode_map_warns_instead_of_leaking_glyph_ids(chinese, tmp_path):
    data = re.sub(rb"/ToUnicode \d+ 0 R", b"", chinese.read_bytes())
    raw = read_pdf_with("pdfium", tmp_path / "x.pdf", data)
    assert not any(re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", ln.text) for ln in raw.lines)
    assert any("Unicode" in w for w in raw.warnings)


# ---------------------------------------------------------------- Arabic


@pytest.mark.parametrize("engine", ENGINES)
def test_arabic_comes_out_in_reading_order(engine, tmp_path):
    """PDF writers lay Arabic glyphs out left to right in visual order; both engines give reading order back."""
    options = ReadOptions(pdf_engine=engine)
    ar = "إن الجمعية العامة، تطلب إلى الأمين العام تقريرا عن تنفيذ القرار 80/13 (2025)."  # one line
    pdf = FPDF()
    _need_dejavu()
    pdf.add_font("dv", fname=str(DEJAVU / "DejaVuSans.ttf"))
    pdf.set_font("dv", size=12)
    pdf.add_page()
    visual = re.sub(r"[0-9/]+", lambda m: m.group()[::-1], ar[::-1]).translate(str.maketrans("()", ")("))
    pdf.multi_cell(0, 8, visual, new_x="LMARGIN", new_y="NEXT", align="R")
    path = tmp_path / "ar.pdf"
    pdf.output(str(path))
    raw = read_pdf_with(engine, path, path.read_bytes())
    assert [ln.text for ln in raw.lines] == [ar]
    doc = parse_file(path, options=options)
    assert doc.language == "ar" and doc.blocks[0].text == ar


# ---------------------------------------------------------------- bad files


def _plain_pdf(**enc) -> bytes:
    pdf = FPDF()
    if enc:
        pdf.set_encryption(**enc)
    pdf.set_font("Helvetica", size=11)
    pdf.add_page()
    pdf.multi_cell(0, 6, "The General Assembly,", new_x="LMARGIN", new_y="NEXT")
    pdf.multi_cell(0, 6, "1. Requests the Secretary-General to report.", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


@pytest.mark.parametrize("engine", ENGINES)
def test_encrypted_pdf_raises_encrypted_file(engine, tmp_path):
    options = ReadOptions(pdf_engine=engine)
    path = tmp_path / "secret.pdf"
    path.write_bytes(_plain_pdf(owner_password="owner", user_password="user-secret"))
    with pytest.raises(EncryptedFile) as err:
        parse_file(path, options=options)
    assert err.value.code == "encrypted" and "password" in err.value.reason
    # encrypted only against editing (no password to open): read as usual
    path.write_bytes(_plain_pdf(owner_password="owner"))
    assert [b.label for b in parse_file(path, options=options).blocks if b.kind == "operative"] == ["1."]


@pytest.mark.parametrize("engine", ENGINES)
def test_truncated_pdf_is_an_ingest_error(engine, tmp_path):
    options = ReadOptions(pdf_engine=engine)
    data = _plain_pdf()
    path = tmp_path / "cut.pdf"
    path.write_bytes(data[: len(data) // 3])
    with pytest.raises(IngestError) as err:
        parse_file(path, options=options)
    assert err.value.code == "invalid" and "PDF" in err.value.reason and not isinstance(err.value, EncryptedFile)


def test_a_broken_page_is_a_warning_not_a_failure(tmp_path):
    pdf = FPDF()
    pdf.set_compression(False)
    pdf.set_font("Helvetica", size=11)
    texts = ["The first page of the report describes the mandate.", "The second page lists the activities.", "The third page closes with recommendations."]
    for text in texts:
        pdf.add_page()
        pdf.multi_cell(0, 6, text, new_x="LMARGIN", new_y="NEXT")
    data = bytes(pdf.output())
    kids = re.search(rb"/Kids \[(\d+) 0 R\s+(\d+) 0 R\s+(\d+) 0 R\]", data)
    assert kids
    broken = data.replace(kids.group(0), kids.group(0).replace(kids.group(2) + b" 0 R", b"999 0 R"))
    path = tmp_path / "broken.pdf"
    path.write_bytes(broken)
    doc = parse_file(path)
    assert doc.pages == 3
    assert [(b.page, b.text) for b in doc.blocks] == [(1, texts[0]), (3, texts[2])]
    assert doc.warnings == ["page 2: could not be read (PdfiumError: Failed to load page.)"]
