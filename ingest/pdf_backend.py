"""PDF: lines with positions and font sizes, read by pypdfium2 (default) or pdfplumber.

Layout cues decide what plain text cannot: a vertical gap or a first-line
indent starts a paragraph; small type at the foot of a page is a footnote.
Both engines hand the same per-line records (text, x0, top, bottom, size) to
`_page_lines`, so the structure rules are shared and the engines can be
compared line for line.

Engines, chosen by `ReadOptions.pdf_engine` (the setting `UNKG_PDF_ENGINE`,
read once at the entry point; a benchmark passes each engine in turn):
- ``pdfium`` (default): pypdfium2's text page, 10-40x faster than pdfminer
  here (bench/bench_ingest.py); reading order for Arabic; glyphs pdfminer
  shows as ``(cid:NN)`` (list bullets) come out as text; a font with no
  Unicode map gives U+FFFD and a warning, never raw glyph ids.
- ``pdfplumber``: pdfminer's layout analysis via ``extract_text_lines``;
  sideways margin text is filtered out, Arabic lines are put back in reading
  order, a leading ``(cid:127)`` is read as a bullet.
"""

from __future__ import annotations

import ctypes
import io
import re
import statistics
from pathlib import Path
from typing import Callable, Optional

from unkg.errors import EncryptedFile, IngestError

from .bidi_text import has_rtl, neutral, rtl_share, visual_to_logical
from .pdf_columns import column_of, find_gutter, order_by_columns, prose_on_both_sides
from .options import ReadOptions
from .raw import RawDoc, RawLine

ENGINES = ("pdfium", "pdfplumber")
_CID_RE = re.compile(r"\(cid:\d+\)")
_LINE_END_RE = re.compile("\r\n|\r|\n|\ufffe|$")
_CID_BULLET_RE = re.compile(r"^\(cid:127\)")  # pdfminer's reading of a list bullet drawn as code 127
_CTRL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


# --------------------------------------------------------------------------- pdfplumber


def _open_plumber(path: Path, data: bytes):
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.psparser import PSException

    try:
        pdf = pdfplumber.open(io.BytesIO(data))
        _ = pdf.pages  # forces the page tree to load
        return pdf
    except Exception as exc:  # pdfplumber wraps pdfminer's errors in PdfminerException: look at the cause
        inner = exc.args[0] if exc.args and isinstance(exc.args[0], Exception) else (exc.__cause__ or exc.__context__ or exc)
        if isinstance(inner, PDFPasswordIncorrect) or isinstance(exc, PDFPasswordIncorrect):
            raise EncryptedFile(str(path), "the PDF is encrypted with a password; supply an unencrypted copy") from None
        if isinstance(inner, PDFEncryptionError) or isinstance(exc, PDFEncryptionError):
            raise EncryptedFile(str(path), f"the PDF uses unsupported encryption ({inner})") from None
        if isinstance(inner, PSException):
            raise IngestError(str(path), f"damaged PDF ({type(inner).__name__}: {inner})", "invalid") from None
        name = type(inner).__name__
        exc = inner
        if "Password" in name or "Encrypt" in name:
            raise EncryptedFile(str(path)) from None
        raise IngestError(str(path), f"damaged or truncated PDF ({name}: {exc})", "invalid") from None


def _plumber_logical_line(line: dict, page_rtl: bool) -> str:
    """A pdfminer line with right-to-left text: its chars, left to right, in reading order.

    pdfminer's chars are glyphs in visual order (a ligature is one char with
    several letters); a space goes where the gap between two glyphs is wider than
    pdfplumber's word tolerance, as in its own line text.
    """
    chars = sorted(line["chars"], key=lambda c: c["x0"])
    clusters: list[str] = []
    prev = None
    marks: list[str] = []  # zero-width marks (tanween) go with the glyph to their right, the gap is measured past them
    tol = _gap_tolerance(chars)
    thin_space = False
    for c in chars:
        t = c["text"]
        if c["x1"] - c["x0"] <= 0.1:
            if not t.isspace():
                marks.append(t)
            else:
                thin_space = True  # a space written with no width: a word gap unless the glyphs round it touch
            continue
        gap = c["x0"] - prev["x1"] if prev is not None else 0.0
        if prev is not None and (gap > tol or thin_space and gap >= 0.12 * c["size"]) and not t.isspace() and not prev["text"].isspace():
            clusters.append(" ")
        thin_space = False
        clusters.extend(marks)
        marks = []
        clusters.append(t)
        prev = c
    clusters.extend(marks)
    # a glyph with no Unicode map (a ligature the writer left out of ToUnicode): pdfminer repeats "(cid:N)" for it
    clusters = [c for k, c in enumerate(clusters) if not (c.startswith("(cid:") and k and clusters[k - 1] == c)]
    clusters = ["\ufffd" if c.startswith("(cid:") else c for c in clusters]
    text = line["text"]
    return visual_to_logical(clusters, rtl_share(text) >= 0.5 or page_rtl)


_X_TOLERANCE = 3.0  # pdfplumber's default x_tolerance: a wider gap between glyphs is a space


def _gap_tolerance(chars: list[dict]) -> float:
    """The gap between glyphs that is a space: pdfplumber's 3 pt, less in small type.

    Arabic glyphs of one word touch (their boxes are their advances), and a space
    in 10-pt Amiri is narrower than 3 pt, so a fixed 3 pt ran the words together.
    """
    sizes = sorted(c["size"] for c in chars if not c["text"].isspace())
    return min(_X_TOLERANCE, 0.18 * sizes[len(sizes) // 2]) if sizes else _X_TOLERANCE


def _split_at_gutter(line: dict, gutter: tuple[float, float]) -> list[dict]:
    """A pdfminer line with glyphs on both sides of the column gutter and none across it: two lines."""
    chars = line["chars"]
    if not chars or line["x0"] >= gutter[0] - 1.0 or line["x1"] <= gutter[1] + 1.0:
        return [line]
    mid = (gutter[0] + gutter[1]) / 2
    if any(c["x0"] < mid < c["x1"] and not c["text"].isspace() for c in chars):
        return [line]  # a line across the gutter (a title): one line
    sides = [[c for c in chars if (c["x0"] + c["x1"]) / 2 < mid], [c for c in chars if (c["x0"] + c["x1"]) / 2 >= mid]]
    return [_plumber_line(side) for side in sides if any(not c["text"].isspace() for c in side)]


def _plumber_line(chars: list[dict]) -> dict:
    """A line record like pdfplumber's extract_text_lines gives, from some of its chars."""
    chars = sorted(chars, key=lambda c: c["x0"])
    while chars and chars[0]["text"].isspace():
        chars = chars[1:]
    while chars and chars[-1]["text"].isspace():
        chars = chars[:-1]
    parts: list[str] = []
    prev = None
    for c in chars:
        if prev is not None and c["x0"] - prev["x1"] > _X_TOLERANCE and not c["text"].isspace() and not prev["text"].isspace():
            parts.append(" ")
        parts.append(c["text"])
        if c["x1"] - c["x0"] > 0.1:  # zero-width marks do not close a gap
            prev = c
    return {"text": " ".join("".join(parts).split()), "chars": chars, "x0": chars[0]["x0"], "x1": max(c["x1"] for c in chars),
            "top": min(c["top"] for c in chars), "bottom": max(c["bottom"] for c in chars)}


def _sideways(char: dict) -> bool:
    """A char drawn rotated (its text matrix turns it by about 90 degrees)."""
    m = char.get("matrix") or (1, 0, 0, 1)
    return abs(m[1]) > 0.5 or abs(m[2]) > 0.5


def _read_plumber(path: Path, data: bytes, max_pages: int) -> RawDoc:
    pdf = _open_plumber(path, data)
    warnings: list[str] = []
    pages: list[tuple[int, float, list[dict]]] = []
    try:
        total = len(pdf.pages)
        if total > max_pages:
            warnings.append(f"only the first {max_pages} of {total} pages were read (UNKG_MAX_PAGES)")
        for pno, page in enumerate(pdf.pages[:max_pages], start=1):
            try:
                # sideways text (running heads printed up the margin of landscape pages) is furniture:
                # left out here, or pdfminer mixes its letters into the lines next to it
                side = [c for c in page.chars if _sideways(c)]
                if side:
                    page = page.filter(lambda o: o.get("object_type") != "char" or not _sideways(o))
                plines = page.extract_text_lines(return_chars=True, strip=True)
                # two columns: pdfminer joins the halves of a row into one line; cut such lines at the gutter
                gutter = find_gutter(((c["x0"], c["x1"], c["top"], c["bottom"]) for c in page.chars if not c["text"].isspace()), float(page.width)) if len(plines) >= 8 else None
                if gutter is not None and not prose_on_both_sides(((c["x0"], c["x1"], c["text"]) for c in page.chars), gutter):
                    gutter = None  # the gaps between the columns of a table of figures
                if gutter is not None:
                    plines = [piece for ln in plines for piece in _split_at_gutter(ln, gutter)]
                all_text = "".join(ln["text"] for ln in plines)
                page_rtl = rtl_share(all_text) >= 0.5 if has_rtl(all_text) else None
                want_base = page_rtl is not None or _HAN_RE.search(all_text) is not None
                recs = [
                    {
                        "text": _plumber_logical_line(ln, page_rtl) if page_rtl is not None and has_rtl(ln["text"]) else _CID_BULLET_RE.sub("•", ln["text"]),
                        "x0": float(ln["x0"]),
                        "x1": float(ln["x1"]),
                        "base": float(page.height) - statistics.median(c["matrix"][5] for c in ln["chars"]) if want_base and ln["chars"] else None,
                        "rtl": page_rtl is not None and (has_rtl(ln["text"]) and (bool(page_rtl) or rtl_share(ln["text"]) >= 0.5) or bool(page_rtl) and neutral(ln["text"])),
                        "top": float(ln["top"]),
                        "bottom": float(ln["bottom"]),
                        "size": statistics.median([c["size"] for c in ln["chars"]]) if ln["chars"] else 0.0,
                        "rotated": sum(1 for c in ln["chars"] if _sideways(c)) * 2 > len(ln["chars"]),
                        "lead_size": float(ln["chars"][0]["size"]) if ln["chars"] else 0.0,
                    }
                    for ln in plines
                ]
            except Exception as exc:  # one broken page must not lose the document
                warnings.append(f"page {pno}: could not be read ({type(exc).__name__}: {exc})")
                continue
            if gutter is not None:
                recs = order_by_columns(recs, gutter, bool(page_rtl))
            if side:  # kept as one sideways record, so running heads up the margin are told from lost text
                side.sort(key=lambda c: (round(c["x0"]), -c["bottom"]))
                recs.append({"text": " ".join("".join(c["text"] for c in side).split()), "x0": min(c["x0"] for c in side), "x1": max(c["x1"] for c in side),
                             "top": min(c["top"] for c in side), "bottom": max(c["bottom"] for c in side), "size": float(side[0]["size"]),
                             "rotated": True, "lead_size": 0.0, "base": None, "rtl": False})
            pages.append((pno, float(page.height), recs))
            page.flush_cache()
    finally:
        pdf.close()
    lines = _doc_lines(pages, warnings)
    if any(_CID_RE.search(ln.text) for ln in lines):
        warnings.append("some characters came out as (cid:NN): the font has no Unicode map for pdfminer; try UNKG_PDF_ENGINE=pdfium")
    elif any("\ufffd" in ln.text for ln in lines):
        warnings.append("some characters could not be mapped to Unicode (a font without a Unicode map); they are shown as \ufffd")
    _check_pages(lines, min(total, max_pages), warnings)
    return RawDoc(lines=lines, pages=total, warnings=warnings)


# --------------------------------------------------------------------------- pdfium

# FPDF_GetLastError codes
_PDFIUM_ERRORS = {1: "unknown error", 2: "file not found or not readable", 3: "not a PDF or damaged", 4: "password required", 5: "unsupported security scheme", 6: "page not found or damaged"}


def _open_pdfium(path: Path, data: bytes):
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    if b"%PDF" not in data[:1024]:
        raise IngestError(str(path), "not a PDF (no %PDF header)", "invalid")
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        code = pdfium_c.FPDF_GetLastError()
        if code in (4, 5) or "password" in str(exc).lower() or "security" in str(exc).lower():
            reason = "the PDF is encrypted with a password; supply an unencrypted copy" if code != 5 else "the PDF uses an unsupported security scheme"
            raise EncryptedFile(str(path), reason) from None
        raise IngestError(str(path), f"damaged or truncated PDF ({_PDFIUM_ERRORS.get(code, str(exc))})", "invalid") from None


def _pdfium_page_records(textpage, pdfium_c, height: float, width: float = 0.0) -> list[dict]:
    """One record per line of pdfium's text page: text, x0, top, bottom, font size.

    pdfium inserts generated "\\r\\n" between lines and spaces between words; the
    text is read per char index so positions line up with the chars.
    """
    n = pdfium_c.FPDFText_CountChars(textpage)
    if n <= 0:
        return []
    buf = (ctypes.c_ushort * (n + 1))()
    got = pdfium_c.FPDFText_GetText(textpage, 0, n, buf)
    if got - 1 == n:
        text = bytes(memoryview(buf)[:n].cast("B")).decode("utf-16-le", errors="replace")
    else:  # excluded or inserted chars: fall back to char-by-char (rare)
        get = pdfium_c.FPDFText_GetUnicode
        text = "".join(chr(c) if c < 0xD800 or c > 0xDFFF else "\ufffd" for c in (get(textpage, i) for i in range(n)))
    if len(text) != n:
        text = (text + " " * n)[:n]
    if _CTRL_RE.search(text):
        text = re.sub("\x02(?=\r|\n|$)", "-", text)  # pdfium marks a hyphen that ends a line as U+0002
        text = _CTRL_RE.sub("\ufffd", text)  # glyph ids leaking out of a font with no Unicode map
    left, right, bottom, top = (ctypes.c_double() for _ in range(4))
    recs: list[dict] = []
    page_rtl = rtl_share(text) >= 0.5 if has_rtl(text) else None  # None: no right-to-left text on the page
    # Han and Arabic glyph boxes vary in height from line to line: such pages measure line spacing baseline to baseline
    want_base = page_rtl is not None or _HAN_RE.search(text) is not None
    ox, oy = ctypes.c_double(), ctypes.c_double()
    start = 0
    font_size = pdfium_c.FPDFText_GetFontSize
    count_rects = pdfium_c.FPDFText_CountRects
    get_rect = pdfium_c.FPDFText_GetRect
    char_angle = getattr(pdfium_c, "FPDFText_GetCharAngle", None)
    boxes: list[tuple[float, float, float, float]] = []  # text rectangles: where glyphs are, for the column gutter
    for m in _LINE_END_RE.finditer(text):
        end = m.start()
        seg = text[start:end]
        s0 = start
        start = m.end()
        last = m.end() == m.start()
        stripped = seg.strip()
        if not stripped:
            if last:
                break
            continue
        lead = len(seg) - len(seg.lstrip())
        i0 = s0 + lead
        cnt = len(stripped)
        x0 = y_top = float("inf")
        y_bot = x1 = float("-inf")
        for r in range(count_rects(textpage, i0, cnt)):
            get_rect(textpage, r, ctypes.byref(left), ctypes.byref(top), ctypes.byref(right), ctypes.byref(bottom))
            boxes.append((left.value, right.value, height - top.value, height - bottom.value))
            x0 = min(x0, left.value)
            x1 = max(x1, right.value)
            y_top = min(y_top, height - top.value)
            y_bot = max(y_bot, height - bottom.value)
        if x0 != float("inf"):
            # font size: median over a few non-space chars spread across the line
            step = max(1, cnt // 6)
            sizes = [font_size(textpage, i0 + k) for k in range(0, cnt, step) if not stripped[k].isspace()]
            line = " ".join(stripped.split()) if "  " in stripped else stripped
            rtl = page_rtl is not None and has_rtl(stripped)
            if rtl:
                line = _pdfium_logical_line(textpage, pdfium_c, i0, stripped, page_rtl)
                rtl = bool(page_rtl) or rtl_share(stripped) >= 0.5
            elif page_rtl and neutral(stripped):
                rtl = True  # "2030" ending a paragraph on a right-to-left page is set from the right margin
            if m.group() == "\ufffe":  # pdfium joins a line ending in a hyphen to the next: keep both lines and the hyphen
                line += "-"
            rotated = abs(char_angle(textpage, i0)) > 0.05 if char_angle else False
            base = None
            if want_base and pdfium_c.FPDFText_GetCharOrigin(textpage, i0, ctypes.byref(ox), ctypes.byref(oy)):
                base = height - oy.value
            recs.append({"base": base, "text": line, "x0": x0, "x1": x1, "top": y_top, "bottom": y_bot, "size": statistics.median(sizes) if sizes else 0.0, "rotated": rotated, "lead_size": sizes[0] if sizes else 0.0, "rtl": rtl})
        if last:
            break
    gutter = find_gutter(boxes, width) if width and len(recs) >= 8 else None
    if gutter is not None and not prose_on_both_sides(((r["x0"], r["x1"], r["text"]) for r in recs), gutter):
        gutter = None  # the gaps between the columns of a table of figures
    # pdfium may split one visual line (a superscript, a tab stop) into two records: merge same-baseline pieces
    merged: list[dict] = []
    for r in recs:
        prev = merged[-1] if merged else None
        if prev and not r["rotated"] and not prev["rotated"] and abs(r["bottom"] - prev["bottom"]) < 2.0 and r["x0"] > prev["x0"] and r["top"] >= prev["top"] - 2.0 \
                and (gutter is None or column_of(prev["x0"], prev["x1"], gutter) == column_of(r["x0"], r["x1"], gutter)):
            prev["text"] = prev["text"] + " " + r["text"]
            prev["x1"] = max(prev["x1"], r["x1"])
            continue
        merged.append(dict(r))
    # pdfium keeps the content stream's order. Page decorations are often drawn first (running head,
    # footnotes, page number): put a one-column page in reading order by position, a two-column page
    # column by column (found from where the glyphs are, not from the writer's order).
    if gutter is not None:
        return order_by_columns(merged, gutter, bool(page_rtl))
    if _out_of_order(merged):
        merged.sort(key=lambda r: (round(r["top"]), r["x0"]))
    return merged


def _pdfium_logical_line(textpage, pdfium_c, i0: int, text: str, page_rtl: bool) -> str:
    """A line with right-to-left text, rebuilt from where pdfium placed each char.

    pdfium reorders Arabic itself but misplaces runs of digits and Latin letters
    inside it ("/80/12A"); its char origins still give the visual order, which
    `visual_to_logical` turns into reading order. Chars sharing one origin come
    from one glyph (a ligature) and stay together, in pdfium's order.
    """
    x, y = ctypes.c_double(), ctypes.c_double()
    origin = pdfium_c.FPDFText_GetCharOrigin
    placed: list[tuple[float, int, str]] = []
    for k, ch in enumerate(text):
        if ch == " " and 0 < k < len(text) - 1 and _tight_generated_space(textpage, pdfium_c, i0 + k):
            continue
        if not origin(textpage, i0 + k, ctypes.byref(x), ctypes.byref(y)):
            continue
        placed.append((x.value, k, ch))
    placed.sort()
    clusters: list[str] = []
    last_x = None
    for ox, _, ch in placed:
        if last_x is not None and abs(ox - last_x) < 0.01 and not ch.isspace() and clusters and not clusters[-1].isspace():
            clusters[-1] += ch
        else:
            clusters.append(ch)
        last_x = ox
    share = rtl_share(text)
    return visual_to_logical(clusters, share >= 0.5 or page_rtl)


def _tight_generated_space(textpage, pdfium_c, i: int) -> bool:
    """A space between two glyphs that (nearly) touch, made up by pdfium or written with no width
    (shaped Arabic: "الأدو ية" for "الأدوية"), not a word gap."""
    l, r, b, t = (ctypes.c_double() for _ in range(4))
    if not pdfium_c.FPDFText_IsGenerated(textpage, i):
        if not pdfium_c.FPDFText_GetCharBox(textpage, i, ctypes.byref(l), ctypes.byref(r), ctypes.byref(b), ctypes.byref(t)) or r.value - l.value > 0.1:
            return False
    boxes = []
    for j in (i - 1, i + 1):
        l, r, b, t = (ctypes.c_double() for _ in range(4))
        if not pdfium_c.FPDFText_GetCharBox(textpage, j, ctypes.byref(l), ctypes.byref(r), ctypes.byref(b), ctypes.byref(t)):
            return False
        boxes.append((l.value, r.value))
    (l1, r1), (l2, r2) = boxes
    gap = max(l1, l2) - min(r1, r2)
    size = pdfium_c.FPDFText_GetFontSize(textpage, i - 1) or 10.0
    return gap < 0.12 * size


def _out_of_order(recs: list[dict]) -> bool:
    return any(b["top"] < a["top"] - 1.0 and b["bottom"] < a["top"] for a, b in zip(recs, recs[1:]))



def _read_pdfium(path: Path, data: bytes, max_pages: int) -> RawDoc:
    import pypdfium2.raw as pdfium_c

    pdf = _open_pdfium(path, data)
    warnings: list[str] = []
    pages: list[tuple[int, float, list[dict]]] = []
    try:
        total = len(pdf)
        if total > max_pages:
            warnings.append(f"only the first {max_pages} of {total} pages were read (UNKG_MAX_PAGES)")
        for pno in range(1, min(total, max_pages) + 1):
            page = textpage = None
            try:
                page = pdf[pno - 1]
                height = float(page.get_height())
                textpage = page.get_textpage()
                recs = _pdfium_page_records(textpage, pdfium_c, height, float(page.get_width()))
            except Exception as exc:  # one broken page must not lose the document
                warnings.append(f"page {pno}: could not be read ({type(exc).__name__}: {exc})")
                continue
            finally:
                if textpage is not None:
                    textpage.close()
                if page is not None:
                    page.close()
            pages.append((pno, height, recs))
    finally:
        pdf.close()
    lines = _doc_lines(pages, warnings)
    if any("\ufffd" in ln.text for ln in lines):
        warnings.append("some characters could not be mapped to Unicode (a font without a Unicode map); they are shown as \ufffd")
    _check_pages(lines, min(total, max_pages), warnings)
    return RawDoc(lines=lines, pages=total, warnings=warnings)


# --------------------------------------------------------------------------- shared


def _check_pages(lines: list[RawLine], read: int, warnings: list[str]) -> None:
    """Pages without any text in a document that has text: scanned or damaged pages, worth a warning."""
    with_text = {ln.page for ln in lines}
    if not with_text:
        return
    empty = [p for p in range(1, read + 1) if p not in with_text and not any(w.startswith(f"page {p}:") for w in warnings)]
    if empty:
        shown = ", ".join(map(str, empty[:20])) + (" ..." if len(empty) > 20 else "")
        warnings.append(f"no text on page(s) {shown} (blank, scanned without OCR, or damaged)")


_HAN_RE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
_CLOSERS = "。，、；：？！）」』》〉】〕”’.,;:!?)]»%"  # a line opening with these runs on (CJK lines break before them)
_CELL_RE = re.compile(r"^(?:\d{1,3}|[–—-]|\d+[.,]\d+%?|\(\d[\d ,.]*\)|\d+%)$")
_HANGING_RE = re.compile(r"^\s*(?:\(?[0-9]{1,3}(?:\.[0-9]{1,3})*[.)]|[0-9]{1,3}\.[0-9a-z]{1,2}|\([a-z]{1,4}\)|[a-z][.)]|[•·▪●◦‣⁃–-]|[一二三四五六七八九十]{1,3}、|（[一二三四五六七八九十\d]{1,3}）)\s")
_NOISE_RE = re.compile(r"^\s*(?:\d{1,4}\s*/\s*\d{1,4}|\d{1,4}|\d{2}-\d{5}.*|\*\d{6,}\*|GE\.\d{2}-\d{5}.*)\s*$")


def _numeric_cells(text: str) -> int:
    """How many number or dash cells end the line ("Air operations 20 175 000 – 93 746 600")."""
    n = 0
    for tok in reversed(text.split()):
        if not _CELL_RE.match(tok.rstrip(",;")):
            break
        n += 1
    return n


def _norm_key(text: str) -> str:
    return re.sub(r"\d+", "#", " ".join(text.split())).lower()


_JOB_RE = re.compile(r"^\s*(?:\d{2}-\d{5}.*|\*\d{6,}\*|GE\.\d{2}-\d{5}.*)\s*$")  # UN job numbers and their bar code digits


def _doc_spacing(pages: list[tuple[int, float, list[dict]]]) -> dict[int, tuple[float, float]]:
    """Per type size (rounded): the usual gap and baseline pitch between consecutive lines over the whole document."""
    gaps: dict[int, list[float]] = {}
    pitches: dict[int, list[float]] = {}
    for _, _, recs in pages:
        body = [r for r in recs if not r.get("rotated") and not r.get("furniture")]
        for a, b in zip(body, body[1:]):
            if abs(a["size"] - b["size"]) >= 0.5 or a.get("col", 0) != b.get("col", 0):
                continue
            key = round(b["size"])
            g = b["top"] - a["bottom"]
            if g > -1.0:
                gaps.setdefault(key, []).append(g)
            if a.get("base") is not None and b.get("base") is not None and b["base"] - a["base"] > 1.0:
                pitches.setdefault(key, []).append(b["base"] - a["base"])
    out: dict[int, tuple[float, float]] = {}
    for key in set(gaps) | set(pitches):
        g = sorted(gaps.get(key, []))
        p = sorted(pitches.get(key, []))
        out[key] = (g[len(g) // 4] if len(g) >= 20 else 0.0, p[len(p) // 4] if len(p) >= 20 else 0.0)
    return out


def _set_in_text(rec: dict, others: list[dict]) -> bool:
    """A line at most about half its height away (above or below) from another text line."""
    h = rec["bottom"] - rec["top"]
    for o in others:
        if o.get("rotated") or o is rec:
            continue
        dist = max(rec["top"] - o["bottom"], o["top"] - rec["bottom"])
        if -h * 0.5 < dist < h * 0.6 and o["x1"] > rec["x0"] and o["x0"] < rec["x1"] + 200:
            return True
    return False


def _doc_lines(pages: list[tuple[int, float, list[dict]]], warnings: Optional[list[str]] = None) -> list[RawLine]:
    """Mark running heads and feet, then turn each page's records into RawLines.

    Furniture is recognised by repetition, not by position alone: a line in the
    top tenth or at the foot of the page is a running head or foot when the same
    text (digits aside) sits in the same place on at least two pages and on a
    third of them; a bare number there must change from page to page (a page
    number, not "2030" ending two paragraphs). UN job numbers are known by their
    form. Sideways margin text is always left out of the flow, and counted in a
    warning when it does not repeat, so no text goes silently.
    """
    def place(rec: dict, height: float) -> Optional[str]:
        if rec.get("rotated"):
            return "side"
        if rec["top"] < height * 0.1:
            return "top"
        return "foot" if rec["bottom"] > height * 0.92 else None

    seen: dict[tuple[str, str], list[str]] = {}  # (place, text with digits as #) -> the text on each page
    for _, height, recs in pages:
        here: set[tuple[str, str]] = set()
        for r in recs:
            where = place(r, height)
            key = (where, _norm_key(r["text"])) if where else None
            if key and key not in here:
                here.add(key)
                seen.setdefault(key, []).append(" ".join(r["text"].split()))
    need = max(2, int(0.3 * len(pages) + 0.999))

    def repeated(key: tuple[str, str]) -> bool:
        texts = seen.get(key, [])
        if len(texts) < need:
            return False
        if not any(c.isalpha() for c in key[1]):  # a bare number: a page number changes from page to page
            return len(set(texts)) >= 0.8 * len(texts)
        return True

    lost: list[str] = []
    for _, height, recs in pages:
        marks = []
        for r in recs:
            where = place(r, height)
            if where is None or len(r["text"]) >= 150 and where != "side":
                marks.append(False)
                continue
            marks.append(repeated((where, _norm_key(r["text"]))) or (where != "side" and bool(_JOB_RE.match(r["text"]))))
        for r, mark in zip(recs, marks):
            where = place(r, height)
            if mark and where != "side" and _set_in_text(r, [o for o, m in zip(recs, marks) if not m]):
                mark = False  # a line set close under or over other text is part of a paragraph ("before 2026." twice)
            if mark:
                r["furniture"] = True
            elif where == "side":
                lost.append(r["text"])  # left out all the same (pdfminer would mix its letters into the lines next to it)
    if lost and warnings is not None:
        shown = "; ".join(t[:60] for t in lost[:3])
        warnings.append(f"{len(lost)} line(s) of sideways margin text left out of the paragraphs: {shown}")
    lines: list[RawLine] = []
    flow: dict = {"spacing": _doc_spacing(pages)}  # and the last body line so far, for the page break
    for pno, height, recs in pages:
        lines.extend(_page_lines(recs, pno, height, flow))
    return lines


def _page_lines(plines: list[dict], pno: int, height: float, flow: Optional[dict] = None) -> list[RawLine]:
    """Layout cues -> RawLines.

    - a vertical gap larger than the page's usual line gap, or a first-line
      indent, starts a paragraph (`break_before`);
    - sideways (rotated) text is margin furniture, and so are running heads and
      page numbers found by `_doc_lines`: role "header";
    - small type in the lower part of the page is a footnote, and so is what
      follows a small footnote mark at the left margin ("a", "1", "*") there;
    - rows ending in six or more number/dash cells are table rows, with the
      short label lines wrapped above them: role "table", one block per row.
    """
    if not plines:
        return []
    body = [ln for ln in plines if not ln.get("rotated") and not ln.get("furniture")]
    out: list[RawLine] = [RawLine(ln["text"], page=pno, break_before=True, whole=True, role="header", size=round(ln["size"], 2)) for ln in plines if ln.get("rotated") or ln.get("furniture")]
    if not body:
        return out
    sizes = [ln["size"] for ln in body]
    body_size = statistics.median(sizes) if sizes else 0
    gaps = [body[i]["top"] - body[i - 1]["bottom"] for i in range(1, len(body))]
    # the usual gap between wrapped lines: a low quantile, since a page of short paragraphs has more
    # paragraph gaps than line gaps (ignore overlaps and pieces on the same line)
    line_gaps = sorted(g for g in gaps if g > -1.0)
    normal_gap = (line_gaps[len(line_gaps) // 4] if len(line_gaps) >= 8 else line_gaps[0]) if line_gaps else 0
    # baseline-to-baseline pitch where the backend measured baselines (pages with Han or Arabic text)
    pitches = sorted(body[i]["base"] - body[i - 1]["base"] for i in range(1, len(body))
                     if body[i].get("base") is not None and body[i - 1].get("base") is not None and body[i]["base"] - body[i - 1]["base"] > 1.0)
    normal_pitch = (pitches[len(pitches) // 4] if len(pitches) >= 8 else pitches[0]) if pitches else 0
    # a page of one-line paragraphs has more paragraph gaps than line gaps: the document's own spacing
    # for this type size (measured over all pages) caps the page's
    doc_gap, doc_pitch = (flow or {}).get("spacing", {}).get(round(body_size), (0.0, 0.0))
    if doc_gap and line_gaps:
        normal_gap = min(normal_gap, doc_gap)
    if doc_pitch and normal_pitch:
        normal_pitch = min(normal_pitch, doc_pitch)
    # margins per column (a one-column page has one): left for indents, right for right-to-left indents
    # (right-to-left lines are aligned on the right margin and indented from it) and for lines that stop short
    edges = _column_edges(body)
    n = len(body)
    roles = ["body"] * n
    # tables: numeric rows, then the short label/header lines stacked right above them
    rows = [_numeric_cells(ln["text"]) >= 6 for ln in body]
    if sum(rows) >= 3:
        for i in range(n - 1, -1, -1):
            if rows[i]:
                roles[i] = "table"
            elif i + 1 < n and roles[i + 1] == "table":
                t = body[i]["text"].rstrip()
                if len(t) < 80 and t[-1:] not in ".;:" and body[i]["size"] <= body[i + 1]["size"] + 0.5 and not _NOISE_RE.match(t):
                    roles[i] = "table"
    # footnotes: small type low on the page; a small mark at the margin opens one and the rest of the foot follows
    in_note = False
    for i, ln in enumerate(body):
        if roles[i] == "table" or ln["top"] <= height * 0.25:
            continue
        margin = edges[ln.get("col", 0)][0]
        small = bool(body_size) and ln["size"] < body_size * 0.85
        mark = small and len(ln["text"].strip()) <= 3 and ln["x0"] <= margin + 20 and i + 1 < n and body[i + 1]["size"] > ln["size"] + 1
        # or the mark shares the line with the note's text: "a Inclusive of ..." with a small "a"
        first = ln["text"].split()[0] if ln["text"].split() else ""
        mark = mark or (not small and bool(body_size) and 0 < ln.get("lead_size", ln["size"]) < body_size * 0.75 and len(first) <= 2 and ln["x0"] <= margin + 20 and len(ln["text"]) > 20)
        if (small and ln["top"] > height * 0.6) or mark:  # a small mark opens a note anywhere below the masthead
            in_note = True
        if in_note and not _NOISE_RE.match(ln["text"]):
            roles[i] = "footnote"
    prev_note_mark = False
    flow = flow if flow is not None else {}
    for i, ln in enumerate(body):
        text = ln["text"]
        size = ln["size"]
        margin, rmargin, _ = edges[ln.get("col", 0)]
        # a new column: the text flows on from the foot of the previous one, as over a page break
        new_col = i > 0 and ln.get("col", 0) != body[i - 1].get("col", 0) and ln.get("col", 0) and body[i - 1].get("col", 0)
        # the first line of a page or column starts a paragraph unless it plainly runs on (lower case, not indented)
        brk = (i == 0 or bool(new_col)) and not ((pno > 1 or new_col) and (text[:1].islower() or text[:1] in _CLOSERS) and (ln["x0"] <= margin + 2 or ln.get("rtl")))
        opens = False
        if (i == 0 or new_col) and roles[i] == "body" and flow.get("last") is not None:
            opens = _stopped_short(*flow["last"], ln)
        if i > 0 and not new_col:
            gap = ln["top"] - body[i - 1]["bottom"]
            pitch = ln["base"] - body[i - 1]["base"] if normal_pitch and ln.get("base") is not None and body[i - 1].get("base") is not None else None
            if pitch is not None and abs(ln["size"] - body[i - 1]["size"]) < 0.5:
                if pitch > max(normal_pitch * 1.3, normal_pitch + 2.5) or pitch < -1.0:
                    brk = True  # a blank line's worth of space, measured in this script's own line pitch
                elif ln.get("rtl") and body[i - 1].get("rtl"):
                    if ln["x1"] < rmargin - 8 and body[i - 1]["x1"] >= rmargin - 2 and not _HANGING_RE.match(body[i - 1]["text"]):
                        brk = True  # first-line indent from the right
                elif ln["x0"] > margin + 8 and body[i - 1]["x0"] <= margin + 2 and not _HANGING_RE.match(body[i - 1]["text"]):
                    brk = True
            elif gap > max(normal_gap * 1.6, normal_gap + 2.5):
                brk = True
            elif ln.get("rtl") and body[i - 1].get("rtl"):
                if ln["x1"] < rmargin - 8 and body[i - 1]["x1"] >= rmargin - 2 and not _HANGING_RE.match(body[i - 1]["text"]):
                    brk = True  # first-line indent from the right
            elif ln["x0"] > margin + 8 and body[i - 1]["x0"] <= margin + 2 and not _HANGING_RE.match(body[i - 1]["text"]):
                brk = True  # first-line indent (not the text after a hanging label: "27.  Notes ..." / "   towards ...")
        role = roles[i]
        if prev_note_mark and role == "footnote" and out and out[-1].role == "footnote":
            out[-1].text = out[-1].text + " " + text  # "a" + "Inclusive of ..." -> "a Inclusive of ..."
            prev_note_mark = False
            continue
        prev_note_mark = role == "footnote" and len(text.strip()) <= 3 and bool(body_size) and size < body_size * 0.85
        if prev_note_mark:
            brk = True
        if role == "table" and out and out[-1].role == "table" and not brk and not rows[i - 1] and text[:1].islower():
            out[-1].text = out[-1].text + " " + text  # a row label wrapped over two lines
            continue
        out.append(RawLine(text, page=pno, break_before=brk or role == "table", whole=role == "table", role=role, size=round(size, 2),
                           flow_break=bool(new_col), opens=opens))
        if role == "body":
            flow["last"] = (ln, edges[ln.get("col", 0)])
    return out


def _column_edges(body: list[dict]) -> dict[int, tuple[float, float, float]]:
    """Per column ("col" of the records, 0 on a one-column page): left margin, right margin of
    right-to-left lines, right edge of all lines (low/high deciles, so indents and short lines do not count)."""
    out: dict[int, tuple[float, float, float]] = {}
    groups: dict[int, list[dict]] = {}
    for ln in body:
        groups.setdefault(ln.get("col", 0), []).append(ln)
    for col, group in groups.items():
        if len(group) < 5 and len(groups) > 1:
            group = body  # a few lines across the gutter (a title): the page's figures
        lefts = sorted(ln["x0"] for ln in group)
        rtl_rights = sorted((ln["x1"] for ln in group if ln.get("rtl")), reverse=True)
        rights = sorted((ln["x1"] for ln in group), reverse=True)
        out[col] = (lefts[len(lefts) // 10], rtl_rights[len(rtl_rights) // 10] if rtl_rights else 0.0, rights[len(rights) // 10])
    return out


def _stopped_short(prev: dict, edges: tuple[float, float, float], line: dict) -> bool:
    """Did the last line before a page or column break end its paragraph?

    It did when it stopped short of its margin by more than the next line's
    first word needs: a line breaker would have put that word on it. (A
    paragraph without a closing full stop, as SDG targets are, is otherwise
    joined to the next one across the break.)
    """
    text, ptext = line["text"].strip(), prev["text"].strip()
    if not text or not ptext or text[:1] in _CLOSERS or text[:1].islower():
        return False
    left, _, right = edges
    # right-aligned (right-to-left) lines have their free room on the left, against the column's left edge
    free = prev["x0"] - left if prev.get("rtl") else right - prev["x1"]
    per_char = (prev["x1"] - prev["x0"]) / max(1, len(ptext))
    if _HAN_RE.match(text):
        need = max(line["size"], per_char)  # a line of Chinese may break before any Han character
    else:
        need = per_char * (len(text.split()[0]) + 1)
    return free > need * 1.2 + 2.0


_READERS: dict[str, Callable[[Path, bytes, int], RawDoc]] = {"pdfium": _read_pdfium, "pdfplumber": _read_plumber}


def read_pdf_with(engine: str, path: Path, data: bytes, max_pages: int = ReadOptions.max_pages) -> RawDoc:
    """Read a PDF with a named engine ("pdfium" or "pdfplumber")."""
    try:
        reader = _READERS[engine]
    except KeyError:
        raise ValueError(f"unknown PDF engine {engine!r}; choose one of {', '.join(ENGINES)} (UNKG_PDF_ENGINE)") from None
    return reader(path, data, max_pages)


def read_pdf(path: Path, data: bytes, options: ReadOptions = ReadOptions()) -> RawDoc:
    """The format map's PDF backend: the engine and page limit of the options (UNKG_PDF_ENGINE, UNKG_MAX_PAGES)."""
    return read_pdf_with(options.pdf_engine, path, data, options.max_pages)
