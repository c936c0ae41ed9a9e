#!/usr/bin/env python3
"""Labelled paragraphs in Chinese and Arabic PDFs: coverage and label accuracy, per language and engine.

    python bench/pdf_labelled_languages.py [--goals N] [--langs en,zh,ar]

The rendered-pdf dev set (../shared/corpus-dev/rendered-pdf) is English only. Here
texts whose structure gives the labels are laid out the same way (symbol as
running head, page numbers at the foot, a footnote on page 1, hanging labels,
wrapped lines) and read back by both engines:

- "sdg": the SDG targets of the first N goals (../shared/reference/sdg-translations),
  each goal a heading, each target a paragraph labelled with its number ("1.1",
  "1.a"), in every language asked for;
- "zh-report": the Chinese report samples/001 (ICCD/COP(16)/18), whose paragraph
  numbers ("1.") and sub-paragraph letters ("(a)") are printed in the text.

Coverage: gold paragraphs found (text compared as eval/score_paragraphs.py does:
NFKC, label cut, spaces folded, a long paragraph may match on its first 80
characters); label accuracy: found paragraphs with the gold label. Kinds and
verbs are not scored: these are not resolutions. Needs fpdf2, uharfbuzz and the
fonts of tests/ingest/pdfgen.py. This is a measurement, not a test.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from devdata import SHARED  # noqa: E402  (the SDG translations live only in ../shared/reference)

_LABEL_RE = re.compile(r"^\s*(\(?[0-9]{1,3}[.)]|\([a-z]{1,4}\)|\([ivxlc]+\)|[a-z][.)])\s*", re.I)
_SDG_DIR = {"zh": "zh-Hans"}


def _norm(text: str, label: str | None = None) -> str:
    s = unicodedata.normalize("NFKC", text or "").replace("\u0640", "")
    if label and s.strip().startswith(label):
        s = s.strip()[len(label):]
    s = _LABEL_RE.sub("", s, count=1)
    return re.sub(r"\s+", " ", s).strip().lower()


def _norm_label(label: str | None) -> str:
    return re.sub(r"\s+", "", label or "").lower().rstrip(".-")


def sdg_items(lang: str, goals: int) -> list[tuple[str | None, str, bool]]:
    """(label, text, is_gold) in order: goal headings (not gold), then each target with its number."""
    import yaml

    folder = SHARED / "reference" / "sdg-translations" / _SDG_DIR.get(lang, lang)
    if not folder.is_dir():
        raise SystemExit(f"{folder} is absent: this benchmark needs the SDG translations of the dev data "
                         "(../shared/reference, or UNKG_SHARED)")
    titles = yaml.safe_load((folder / "global_goals.yml").read_text(encoding="utf-8"))
    targets = yaml.safe_load((folder / "global_targets.yml").read_text(encoding="utf-8"))
    out: list[tuple[str | None, str, bool]] = []
    for g in range(1, goals + 1):
        out.append((None, " ".join(str(titles[f"{g}-title"]).split()), False))
        for key, text in targets.items():
            m = re.match(rf"^{g}-([0-9a-z]+)-title$", key)
            if m:
                out.append((f"{g}.{m.group(1)}", " ".join(str(text).split()), True))
    return out


def zh_report_items() -> list[tuple[str | None, str, bool]]:
    """The Chinese report's body from paragraph 1 on: numbered and lettered paragraphs are gold."""
    text = (ROOT / "samples" / "001_309b4cd226994121.txt").read_text(encoding="utf-8")
    paras = [" ".join(p.split()) for p in re.split(r"\n\s*\n", text) if p.strip()]
    start = next(i for i, p in enumerate(paras) if p.startswith("1. "))
    out: list[tuple[str | None, str, bool]] = []
    for p in paras[start - 1:]:
        m = re.match(r"^(\d{1,3}\.|\([a-z]\))\s*(.+)$", p)
        if m:
            out.append((m.group(1), m.group(2), True))
        elif "\t" not in p and not p.startswith("GE."):
            out.append((None, p, False))
    return out


def score(items: list[tuple[str | None, str, bool]], blocks) -> tuple[int, int, int, int]:
    """(gold, found, labelled gold, labels right)."""
    found = {}
    for b in blocks:
        found.setdefault(_norm(b.text, b.label), b)
    keys = list(found)
    gold = hit = lab_n = lab_ok = 0
    for label, text, is_gold in items:
        if not is_gold:
            continue
        gold += 1
        k = _norm(text)
        b = found.get(k)
        if b is None and len(k) > 40:
            head = k[:80]
            b = next((found[x] for x in keys if head in x or (len(x) > 40 and x[:80] in k)), None)
        if b is None:
            continue
        hit += 1
        if label:
            lab_n += 1
            lab_ok += _norm_label(b.label) == _norm_label(label)
    return gold, hit, lab_n, lab_ok


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--goals", type=int, default=6, help="SDG goals to lay out (default 6)")
    ap.add_argument("--langs", default="en,zh,ar")
    a = ap.parse_args()
    from tests.ingest.pdfgen import NOTE, make_labelled_pdf, missing_fonts
    from unkg.ingest.options import ReadOptions
    from unkg.ingest.pipeline import parse_file

    langs = a.langs.split(",")
    if missing_fonts(langs):
        print(f"fonts missing: {', '.join(missing_fonts(langs))}", file=sys.stderr)
        return 2
    docs = [(lang, "sdg", f"A/RES/70/1 ({lang})", sdg_items(lang, a.goals)) for lang in langs]
    if "zh" in langs and (ROOT / "samples" / "001_309b4cd226994121.txt").exists():
        docs.append(("zh", "zh-report", "ICCD/COP(16)/18", zh_report_items()))
    print(f"{'document':<14}{'lang':<6}{'engine':<12}{'pages':>6}{'gold':>6}{'coverage':>10}{'labels':>8}{'label_acc':>11}")
    with tempfile.TemporaryDirectory() as tmp:
        for lang, name, symbol, items in docs:
            path = Path(tmp) / f"{name}-{lang}.pdf"
            make_labelled_pdf(path, lang, symbol, [(label, text) for label, text, _ in items], NOTE[lang])
            for engine in ("pdfium", "pdfplumber"):
                doc = parse_file(path, options=ReadOptions(pdf_engine=engine))
                blocks = [b for b in doc.blocks if b.kind != "footnote"]
                gold, hit, lab_n, lab_ok = score(items, blocks)
                print(f"{name:<14}{lang:<6}{engine:<12}{doc.pages or 0:>6}{gold:>6}{hit / max(1, gold):>10.4f}{lab_n:>8}{lab_ok / max(1, lab_n):>11.4f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
