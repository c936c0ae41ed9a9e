"""Right-to-left lines of a PDF back in reading (logical) order.

A PDF draws Arabic and Hebrew glyphs left to right in visual order, and what a
text engine reads out of it is either that visual order (pdfminer) or its own
partial reordering (pdfium, which gets runs of digits and Latin wrong). Both
engines therefore hand this module the glyphs of a line sorted by position,
left to right, and the Unicode bidirectional algorithm (python-bidi) turns them
into logical order: reordering is its own inverse for the two embedding levels
of ordinary text (a right-to-left line with left-to-right runs of numbers and
Latin words), so the algorithm applied to the visual string gives the logical one,
brackets mirrored back.

A glyph may stand for several letters (a ligature whose Unicode map gives
"لا"): such a cluster is already in logical order and is put in reversed, so the
reordering turns it the right way round. Presentation forms (U+FB50-FDFF,
U+FE70-FEFF, what many Arabic fonts map their glyphs to) become plain letters
with NFKC after the reordering, so a lam-alef ligature yields lam then alef.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Iterable

# Hebrew, Arabic, Syriac, Thaana, NKo, Samaritan, Mandaic, Arabic Extended, presentation forms
RTL_RE = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]")
_LTR_LETTER_RE = re.compile(r"[A-Za-z\u00c0-\u024f\u0370-\u03ff\u0400-\u04ff\u3040-\u30ff\u3400-\u9fff]")
_PRESENTATION_RE = re.compile("[\ufb1d-\ufdff\ufe70-\ufefc]+")


def has_rtl(text: str) -> bool:
    return RTL_RE.search(text) is not None


def neutral(text: str) -> bool:
    """No letters of either direction ("2030", "(b)" aside): such a line takes its page's direction."""
    return not RTL_RE.search(text) and not _LTR_LETTER_RE.search(text)


def rtl_share(text: str) -> float:
    """Right-to-left letters among the strong letters of `text` (0 when it has none)."""
    rtl = len(RTL_RE.findall(text))
    if not rtl:
        return 0.0
    return rtl / (rtl + len(_LTR_LETTER_RE.findall(text)))


def visual_to_logical(clusters: Iterable[str], base_rtl: bool) -> str:
    """Glyph texts in visual order, left to right -> the line in logical order.

    `base_rtl`: the paragraph direction (right to left for an Arabic page, even
    on a line that quotes a long English title).
    """
    from bidi import get_display

    visual = "".join(c[::-1] if len(c) > 1 and has_rtl(c) else c for c in clusters)
    # runs of Latin letters and digits joined by / . - ( ) ("A/RES/80/12", "ICCD/COP(16)/23") are read left
    # to right as they stand: each goes through the algorithm as one strong left-to-right character
    runs: list[str] = []

    def hold(m: re.Match) -> str:
        if not _LATIN_OR_SLASH_RE.search(m.group()):
            return m.group()  # figures alone keep the algorithm's number rules ("000 175 20" is 20 175 000)
        run, tail = m.group(), ""
        while run.endswith(")") and run.count(")") > run.count("("):
            run, tail = run[:-1], ")" + tail  # a bracket closing outside the run ("(UNEP)" drawn as "UNEP)")
        runs.append(run)
        return chr(_HOLD + len(runs) - 1) + tail

    if has_rtl(visual) and len(runs) < 4096:
        # brackets round left-to-right text drawn turned round by the writer (")2015(") are put back first
        visual = _LTR_RUN_RE.sub(hold, _TURNED_PAIR_RE.sub(r"(\1)", visual))
    logical = get_display(visual, base_dir="R" if base_rtl else "L")
    if runs:
        logical = re.sub(f"[{chr(_HOLD)}-{chr(_HOLD + len(runs) - 1)}]", lambda m: _decision_symbol(runs[ord(m.group()) - _HOLD], base_rtl), logical)
    logical = repair_brackets(logical)
    if _PRESENTATION_RE.search(logical):
        logical = _PRESENTATION_RE.sub(lambda m: unicodedata.normalize("NFKC", m.group()), logical)
    return " ".join(logical.split())


_HOLD = 0xF0000  # Supplementary Private Use Area A: strong left to right, never in PDF text we keep
# a run with a Latin letter or a slash: starts with a letter or digit, ends with one or a closing bracket
_LTR_RUN_RE = re.compile(r"[0-9A-Za-z](?:[0-9A-Za-z/.()-]*[0-9A-Za-z)])?")
_TURNED_PAIR_RE = re.compile(r"\)([0-9A-Za-z][0-9A-Za-z/.,-]*)\(")
_LATIN_OR_SLASH_RE = re.compile(r"[A-Za-z/]")
_TARGET_RE = re.compile(r"^([a-z])\.(\d{1,3})$")
_DECISION_RE = re.compile(r"^((?:COP|CMP|CMA|CP|MOP|CRIC|CST|COP-MOP)\.\d{1,3})/(\d{1,3})$")


def _decision_symbol(run: str, base_rtl: bool) -> str:
    """A run as it reads; a decision symbol of a governing body set right to left comes back number first.

    On a right-to-left line the bidi algorithm shows "22/COP.15" as "COP.15/22" (the
    number, after an Arabic word, is an Arabic number; the slash takes the line's
    direction), and "COP.15/22" the same way: the display is ambiguous. Decisions
    of conventions' governing bodies are written number first (22/COP.15, 3/CMP.1,
    1/CMA.3), so that reading is chosen.
    """
    if base_rtl:
        m = _DECISION_RE.match(run)
        if m:
            return f"{m.group(2)}/{m.group(1)}"
        m = _TARGET_RE.match(run)
        if m:  # "1.a" (an SDG target) shows as "a.1" the same way
            return f"{m.group(2)}.{m.group(1)}"
    return run


_PAIRS = ("()", "[]", "{}")


def _well_formed(seq: list[str], pair: str) -> bool:
    depth = 0
    for c in seq:
        depth += 1 if c == pair[0] else -1
        if depth < 0:
            return False
    return depth == 0


def repair_brackets(text: str) -> str:
    """Brackets turned the wrong way round by a mirrored glyph are turned back.

    A mirrored bracket glyph in a right-to-left run is mapped to Unicode either by its
    shape or by the letter typed, depending on the PDF writer (and pdfium mirrors some
    itself), so after reordering "(UNEP)" may read ")UNEP(" or ")UNEP)". A line whose
    brackets do not pair up is given the pairing that does: swapped, or opening and
    closing in turn.
    """
    for pair in _PAIRS:
        if pair[0] not in text and pair[1] not in text:
            continue
        idx = [i for i, c in enumerate(text) if c in pair]
        seq = [text[i] for i in idx]
        if _well_formed(seq, pair):
            continue
        swapped = [pair[1] if c == pair[0] else pair[0] for c in seq]
        if _well_formed(swapped, pair):
            fixed = swapped
        elif len(seq) % 2 == 0:
            fixed = [pair[k % 2] for k in range(len(seq))]
        else:
            continue
        chars = list(text)
        for i, c in zip(idx, fixed):
            chars[i] = c
        text = "".join(chars)
    return text
