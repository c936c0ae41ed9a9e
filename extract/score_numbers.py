"""Score how well printed paragraph numbers of reports, manuals and annexes survive parsing.

    python -m unkg.extract.score_numbers [--root ../shared] [--split tune|heldout|all] [-v]

Why: resolutions have a labelled scorer (`../shared/eval/score_paragraphs.py`); reports and
annexes had none, and a lost number makes a paragraph uncitable.  The documents are listed in
`extract/gold/numbers.jsonl` (path, kind, language, split).  The reference is read from the
source itself, independently of `ingest/`: in text, Markdown and gettext sources the printed
number is part of the text, so every paragraph that opens with a number ("12.", "2.1.3",
"2.1.2.报告", "3)", "(a)", "(iv)") is a reference item.  For each item the parsed document must
hold a block that opens with the same words and carries the same label (retention).  A numeric
label on a block that opens with no printed number is an invented number (it would collide with
a printed one); numbers precision counts those.
"""

from __future__ import annotations

import argparse
import re
import sys
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from .score import GOLD_DIR, _po_text, load_gold, parse_doc, resolve

# A printed number at the start of a paragraph (Markdown heading marks allowed before it).
_REF_NUM = re.compile(
    r"""^\s*(?:\#{1,6}\s*)?(?:
        (?P<sect>\d{1,3}(?:\.\d{1,3}){1,3})(?:\.|(?=\s+[^\sa-z]))   # 2.1.3.  2.1.3 Intro  2.1.2.报告
      | (?P<num>\d{1,3})[.)](?=\s|[\u3400-\u9fff])                  # 12.  3)  1.请
      | \((?P<sub>[a-z]{1,3}|[ivxl]{1,6})\)(?=\s|[\u3400-\u9fff])       # (a)  (iv)
      | (?P<alpha>[a-z])\)(?=\s|[\u3400-\u9fff])                      # a)
      | (?P<head>[IVXL]{1,6}|[A-Z])\.(?=\s|[A-Z][a-z])                          # IV.  B.  (section headings)
    )""",
    re.X,
)
_MD = re.compile(r"[*_`]+|\[\^[^\]]+\]")
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")


def _norm(s: str) -> str:
    s = unicodedata.normalize("NFKC", s)
    s = _LINK.sub(r"\1", _MD.sub("", s))
    return re.sub(r"[\s\W_]+", "", s.lower())


def _norm_label(label: Optional[str]) -> str:
    return re.sub(r"[\s().]", "", label or "")


@dataclass
class Item:
    label: str  # normalised printed label (case kept: "iv" is a sub-paragraph, "IV" a section)
    kind: str  # "number" (12, 2.1.3), "sub" ((a), (iv), a)) or "heading" (IV., B.)
    key: str  # normalised opening words of the paragraph
    line: str


def reference(text: str) -> list[Item]:
    """Paragraph-opening printed numbers of a source text, in order."""
    items = []
    for para in re.split(r"\n\s*\n|\n(?=\s*(?:#|\d{1,3}[.)]\s|\(\w{1,4}\)\s|[a-z]\)\s))", text):
        line = para.strip()
        m = _REF_NUM.match(line)
        if not m:
            continue
        label = m.group("sect") or m.group("num") or m.group("sub") or m.group("alpha") or m.group("head")
        rest = _norm(line[m.end():])[:60]
        if len(rest) < 2:
            continue  # a bare number (page number, table cell)
        kind = "number" if (m.group("sect") or m.group("num")) else "heading" if m.group("head") else "sub"
        items.append(Item(_norm_label(label), kind, rest, line[:90]))
    return items


def source_text(path: Path) -> str:
    if path.suffix in (".po", ".pot"):
        return _po_text(path)
    return path.read_text(encoding="utf-8")


@dataclass
class Tally:
    ref: int = 0
    kept: int = 0
    invented: int = 0
    labelled: int = 0

    def retention(self) -> float:
        return self.kept / self.ref if self.ref else 1.0

    def precision(self) -> float:
        return (self.labelled - self.invented) / self.labelled if self.labelled else 1.0


def score_doc(spec: dict, root: Path, verbose: bool = False, out=sys.stdout) -> dict[str, Tally]:
    """Tallies per item kind ("number", "sub") for one document."""
    path = resolve(spec["doc"], root)
    items = reference(source_text(path))
    doc = parse_doc(spec, root)
    blocks = [(b, _norm(b.text)) for b in doc.blocks]
    t: dict[str, Tally] = defaultdict(Tally)
    used: set[int] = set()
    pos = 0
    for it in items:
        t[it.kind].ref += 1
        hit = None
        for j in list(range(pos, len(blocks))) + list(range(0, pos)):  # in order, wrapping once
            if j not in used and blocks[j][1].startswith(it.key):
                hit = j
                break
        if hit is not None and _norm_label(blocks[hit][0].label) == it.label:
            t[it.kind].kept += 1
            used.add(hit)
            pos = hit + 1
        else:
            if hit is not None:
                pos = hit + 1
            if verbose:
                got = f"label {blocks[hit][0].label!r}" if hit is not None else "no block opens with its words"
                print(f"  LOST {spec['doc']}: {it.label} ({got}) | {it.line}", file=out)
    printed = {(it.label, it.key) for it in items}
    for j, (b, key) in enumerate(blocks):
        lab = _norm_label(b.label)
        if not lab or not re.fullmatch(r"\d{1,3}(?:\d{1,3}){0,3}|[a-z]{1,3}|[ivxl]{1,6}|[IVXL]{1,6}|[A-Z]", lab) or b.kind == "table":
            continue
        kind = "number" if lab[0].isdigit() else "heading" if lab[0].isupper() else "sub"
        t[kind].labelled += 1
        if not any(lab == pl and key.startswith(pk) for pl, pk in printed):
            t[kind].invented += 1
            if verbose:
                print(f"  INVENTED {spec['doc']}: {b.label!r} | {b.text[:80]}", file=out)
    return t


def run(root: Path, split: str = "all", verbose: bool = False, out=sys.stdout) -> dict:
    """Score every listed document of the split; prints a table, returns the figures."""
    rows = [r for r in load_gold([GOLD_DIR / "numbers.jsonl"]) if split == "all" or r.get("split") == split]
    per_kind: dict[tuple[str, str], Tally] = defaultdict(Tally)
    for spec in rows:
        for k, t in score_doc(spec, root, verbose, out).items():
            for group in (spec["kind"], "all"):
                agg = per_kind[(group, k)]
                agg.ref += t.ref
                agg.kept += t.kept
                agg.invented += t.invented
                agg.labelled += t.labelled
    res = {}
    print(f"split={split} documents={len(rows)}", file=out)
    for (group, k), t in sorted(per_kind.items()):
        res[f"{group}/{k}"] = {"retention": t.retention(), "precision": t.precision(), "n": t.ref}
        print(f"{group:10s} {k:7s} retention {t.retention():.3f} ({t.kept}/{t.ref})  precision {t.precision():.3f} "
              f"({t.invented} invented of {t.labelled})", file=out)
    return res


def main(argv: Optional[list[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--root", type=Path, default=Path(__file__).resolve().parents[1].parent / "shared")
    ap.add_argument("--split", default="all", choices=("tune", "heldout", "all"))
    ap.add_argument("-v", "--verbose", action="store_true")
    a = ap.parse_args(argv)
    if not a.root.exists():
        print(f"{a.root}: shared data not found (pass --root)", file=sys.stderr)
        return 2
    run(a.root, a.split, a.verbose)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
