"""Two-column PDF pages: find the gutter from glyph positions, then read column by column.

Neither engine knows about columns: pdfminer joins the two halves of a row
into one line, pdfium follows the content stream (whatever order the writer
used). The gutter is what every two-column page has: a vertical band in the
middle of the page that almost no glyph crosses, with text on both sides of
it over much of the page. Measured from glyph boxes (pdfplumber's chars,
pdfium's text rectangles), so both engines find the same columns.

Reading order: the page is cut into bands by lines that span the gutter
(a title, a centred running head, a page number); inside a band the left
column comes first, or the right one on a right-to-left page.
"""

from __future__ import annotations

from typing import Iterable, Optional

Box = tuple[float, float, float, float]  # x0, x1, top, bottom


def find_gutter(boxes: Iterable[Box], width: float) -> Optional[tuple[float, float]]:
    """The (left, right) edges of a column gutter, or None for a one-column page.

    Each glyph box adds its height to every 1-pt bin of the page width it
    covers, so a bin's total divided by the line height is how many lines
    cross that x. A gutter is the widest run of bins in the middle half of the
    page crossed by at most 8% as many lines as the busiest bin, at least 6 pt
    wide, with columns on both sides as busy as a third of the busiest bin.
    """
    if width <= 0:
        return None
    nbins = int(width) + 1
    cover = [0.0] * nbins
    heights: list[float] = []
    n = 0
    for x0, x1, top, bottom in boxes:
        h = bottom - top
        if h <= 0 or x1 <= x0:
            continue
        n += 1
        heights.append(h)
        for b in range(max(0, int(x0)), min(nbins, int(x1) + 1)):
            cover[b] += h
    if n < 8:
        return None
    peak = max(cover)
    if peak <= 0:
        return None
    lo, hi = int(width * 0.25), int(width * 0.75)
    free = peak * 0.08
    best: Optional[tuple[int, int]] = None
    b = lo
    while b < hi:
        if cover[b] <= free:
            e = b
            while e + 1 < hi and cover[e + 1] <= free:
                e += 1
            if best is None or e - b > best[1] - best[0]:
                best = (b, e)
            b = e + 1
        else:
            b += 1
    if best is None or best[1] - best[0] + 1 < 6:
        return None
    g0, g1 = best
    span = 40  # the text just beside the gutter: both columns must be busy there
    left = cover[max(0, g0 - span):g0]
    right = cover[g1 + 1:g1 + 1 + span]
    if not left or not right:
        return None
    if max(left) < peak / 3 or max(right) < peak / 3:
        return None
    return float(g0), float(g1 + 1)


def prose_on_both_sides(sides: Iterable[tuple[float, float, str]], gutter: tuple[float, float]) -> bool:
    """(x0, x1, text) of glyphs or lines: is what lies on each side of the gutter words, not table figures?

    A table of figures has wide empty bands between its columns too; its cells are
    digits and dashes, a column of text is letters.
    """
    counts = {1: [0, 0], 2: [0, 0]}
    for x0, x1, text in sides:
        col = column_of(x0, x1, gutter)
        if col:
            counts[col][0] += sum(1 for c in text if c.isalpha())
            counts[col][1] += sum(1 for c in text if not c.isspace())
    return all(total and letters / total >= 0.6 for letters, total in counts.values())


def column_of(x0: float, x1: float, gutter: tuple[float, float]) -> int:
    """1: left column, 2: right column, 0: across the gutter or inside it (a title, a centred page number).

    A ragged line may reach a little into the gutter: the side of its middle decides.
    """
    g0, g1 = gutter
    if (x0 < g0 - 1.0 and x1 > g1 + 1.0) or (x0 >= g0 - 1.0 and x1 <= g1 + 1.0):
        return 0
    return 1 if (x0 + x1) / 2 < (g0 + g1) / 2 else 2


def order_by_columns(recs: list[dict], gutter: tuple[float, float], rtl: bool) -> list[dict]:
    """Records (dicts with x0, x1, top) in reading order, each given "col" (0, 1, 2).

    Lines that span the gutter cut the page into bands; in each band the
    first column (left, or right on a right-to-left page) is read before
    the other, each top to bottom.
    """
    for r in recs:
        r["col"] = column_of(r["x0"], r["x1"], gutter)
    spans = sorted(r["top"] for r in recs if r["col"] == 0)
    first, second = (2, 1) if rtl else (1, 2)

    def key(r: dict) -> tuple:
        above = sum(1 for t in spans if t < r["top"] - 0.5)
        if r["col"] == 0:
            return (above, 2, 0, r["top"], r["x0"])
        return (above, 1, 0 if r["col"] == first else 1, r["top"], r["x0"])

    return sorted(recs, key=key)
