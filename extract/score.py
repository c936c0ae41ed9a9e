"""Score extraction against the hand-labelled dev gold (`extract/gold/*.jsonl`).

    python -m unkg.extract.score [--root ../shared] [--split tune|heldout|all] [--verbose]

Each gold line is one fact read in a document by a person: a mandate (modality, addressees,
deadline, session), an initiative (name) or a target (value, unit, year), located by `para`
(a substring of its paragraph) and, for mandates, `at` (the words that open the clause).
A `none` line marks a paragraph read and found without mandates.  Gold is exhaustive per
labelled paragraph: a system fact of a kind in a paragraph labelled for that kind that
matches no gold fact is a false positive, so recall cannot be bought by tagging everything.

Documents are paths relative to the shared root (`shared:`) or to the repository (`repo:`);
`.po` files are read as their translated strings, `lines: [a, b]` keeps a line range.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Optional

REPO = Path(__file__).resolve().parents[1]
GOLD_DIR = Path(__file__).resolve().parent / "gold"
KINDS = ("mandate", "addressee", "deadline", "session", "initiative", "target")
# verb classes that state rather than ask: not mandates in the gold's sense
STATEMENT = {"statement"}


def load_gold(paths: Iterable[Path]) -> list[dict]:
    rows = []
    for p in paths:
        for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1):
            if line.strip() and not line.lstrip().startswith("//"):
                try:
                    rows.append(json.loads(line))
                except json.JSONDecodeError as e:
                    raise SystemExit(f"{p}:{n}: not JSON ({e})")
    return rows


def _po_text(path: Path) -> str:
    """The translated strings of a gettext file, one paragraph each (msgid when untranslated)."""
    out, cur, key = [], {"msgid": "", "msgstr": ""}, None
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if line.startswith("msgid "):
            if cur["msgid"] or cur["msgstr"]:
                out.append(cur["msgstr"] or cur["msgid"])
            cur, key = {"msgid": "", "msgstr": ""}, "msgid"
            cur[key] = json.loads(line[6:])
        elif line.startswith("msgstr "):
            key = "msgstr"
            cur[key] = json.loads(line[7:])
        elif line.startswith('"') and key:
            cur[key] += json.loads(line)
        elif not line.strip():
            key = None
    if cur["msgid"] or cur["msgstr"]:
        out.append(cur["msgstr"] or cur["msgid"])
    return "\n\n".join(t.replace("\n", " ") for t in out if t.strip())


def resolve(doc: str, root: Path) -> Path:
    if doc.startswith("repo:"):
        return REPO / doc[5:]
    return root / (doc[7:] if doc.startswith("shared:") else doc)


def parse_doc(spec: dict, root: Path):
    """The annotated Document of a gold document spec."""
    from unkg.extract import annotate
    from unkg.ingest.pipeline import parse_file

    path = resolve(spec["doc"], root)
    if not path.exists():
        raise FileNotFoundError(f"{spec['doc']}: not found under {root}")
    text = None
    if path.suffix in (".po", ".pot"):
        text = _po_text(path)
    elif spec.get("lines"):
        a, b = spec["lines"]
        text = "\n\n".join(path.read_text(encoding="utf-8").splitlines()[a - 1:b])
    if text is None:
        return annotate(parse_file(path))
    with tempfile.TemporaryDirectory() as tmp:
        p = Path(tmp) / (path.stem.replace(".", "_") + ".txt")
        p.write_text(text, encoding="utf-8")
        return annotate(parse_file(p))


def _norm(s: str) -> str:
    return re.sub(r"[\s\W_]+", "", s.lower())


def _addr_match(gold: list[str], system: list[str]) -> bool:
    """Same addressees: equal ids, or the gold slug inside the system's (a generic group named longer)."""
    if len(gold) != len(system):
        return False
    left = list(system)
    for g in gold:
        hit = next((s for s in left if s == g or g.split(":", 1)[-1] in s), None)
        if hit is None:
            return False
        left.remove(hit)
    return True


@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    misses: list = field(default_factory=list)
    extras: list = field(default_factory=list)

    def p(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    def r(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


def _blocks_with(doc, para: str):
    key = _norm(para)
    return [b for b in doc.blocks if key and key in _norm(b.printed())]


_MARKS = "\u064B-\u0652\u0670"  # Arabic short vowels and shadda: typed and printed texts order them differently


def _find_at(text: str, at: str) -> Optional[int]:
    """Where the clause opening `at` is in the block text (case-insensitive, Arabic marks ignored)."""
    bare = re.sub(f"[{_MARKS}]", "", at)
    rx = "".join(re.escape(c) + f"[{_MARKS}]*" for c in bare)
    m = re.search(rx, text, re.I)
    return m.start() if m else None


def _modality(m) -> str:
    return getattr(m, "modality", None) or "statement"


def score_doc(doc, rows: list[dict], t: dict[str, Tally], ddoc: str) -> None:
    """Add one document's counts to the tallies."""
    # mandates
    mrows = [r for r in rows if r["kind"] in ("mandate", "none")]
    labelled: dict[str, object] = {}
    gold_by_block: dict[str, list[dict]] = defaultdict(list)
    for r in mrows:
        bs = _blocks_with(doc, r["para"])
        if not bs:
            if r["kind"] == "mandate":
                for k in ("mandate", "addressee") + (("deadline",) if r.get("deadline") else ()) + (("session",) if r.get("session") else ()):
                    t[k].fn += 1
                    t[k].misses.append((ddoc, r.get("id"), "paragraph not found", r["para"][:60]))
            continue
        b = bs[0]
        labelled[b.id] = b
        if r["kind"] == "mandate":
            gold_by_block[b.id].append(r)
    for bid, b in labelled.items():
        sys_ms = [m for m in b.mandates if _modality(m) not in STATEMENT]
        golds = gold_by_block.get(bid, [])
        text = b.text
        used: set[int] = set()
        pairs = []
        for g in golds:
            at = _norm(g.get("at", ""))
            # position of the clause opening in the block text (by normalized prefix search)
            pos = None
            if g.get("at"):
                pos = _find_at(text, g["at"])
            best, bestd = None, None
            for j, m in enumerate(sys_ms):
                if j in used or _modality(m) != g["modality"]:
                    continue
                d = abs((m.start or 0) - pos) if pos is not None else 0
                same_sentence = pos is not None and (m.start or 0) > pos and not re.search(r"[.;。；!?！？]\s", text[pos:(m.start or 0)])
                if pos is not None and d > max(40, len(g["at"]) + 10) and not (m.start == 0 and m.chapeau) and not same_sentence:
                    continue
                if bestd is None or d < bestd:
                    best, bestd = j, d
            del at
            if best is None:
                pairs.append((g, None))
            else:
                used.add(best)
                pairs.append((g, sys_ms[best]))
        for g, m in pairs:
            where = (ddoc, g.get("id"), g["para"][:50])
            if m is None:
                t["mandate"].fn += 1
                t["mandate"].misses.append(where + (g["modality"], "no mandate"))
                t["addressee"].fn += 1
                for k in ("deadline", "session"):
                    if g.get(k):
                        t[k].fn += 1
                        t[k].misses.append(where + (g[k],))
                continue
            t["mandate"].tp += 1
            if _addr_match(g.get("addressees", []), list(m.addressees)):
                t["addressee"].tp += 1
            else:
                t["addressee"].fn += 1
                t["addressee"].fp += 1
                t["addressee"].misses.append(where + (g.get("addressees"), list(m.addressees)))
            for k in ("deadline", "session"):
                gv, sv = g.get(k), getattr(m, k, None)
                if gv and sv == gv:
                    t[k].tp += 1
                else:
                    if gv:
                        t[k].fn += 1
                        t[k].misses.append(where + (gv, sv))
                    if sv:
                        t[k].fp += 1
                        t[k].extras.append(where + (sv,))
        for j, m in enumerate(sys_ms):
            if j in used:
                continue
            t["mandate"].fp += 1
            t["mandate"].extras.append((ddoc, bid, _modality(m), m.verb, list(m.addressees), text[(m.start or 0):(m.start or 0) + 50]))
            t["addressee"].fp += 1
            for k in ("deadline", "session"):
                if getattr(m, k, None):
                    t[k].fp += 1
    # initiatives and targets
    for kind in ("initiative", "target"):
        krows = [r for r in rows if r["kind"] == kind or (r["kind"] == f"no-{kind}")]
        blocks: dict[str, object] = {}
        golds: dict[str, list[dict]] = defaultdict(list)
        for r in krows:
            bs = _blocks_with(doc, r["para"])
            if not bs:
                if r["kind"] == kind:
                    t[kind].fn += 1
                    t[kind].misses.append((ddoc, r.get("id"), "paragraph not found", r["para"][:60]))
                continue
            blocks[bs[0].id] = bs[0]
            if r["kind"] == kind:
                golds[bs[0].id].append(r)
        for bid, b in blocks.items():
            ents = _system_items(b, kind)
            used: set[int] = set()
            for g in golds.get(bid, []):
                j = next((j for j, e in enumerate(ents) if j not in used and _item_match(kind, g, e)), None)
                if j is None:
                    t[kind].fn += 1
                    t[kind].misses.append((ddoc, g.get("id"), g.get("name") or (g.get("value"), g.get("unit"), g.get("year"))))
                else:
                    used.add(j)
                    t[kind].tp += 1
            for j, e in enumerate(ents):
                if j not in used:
                    t[kind].fp += 1
                    t[kind].extras.append((ddoc, bid, e))


def _system_items(b, kind: str) -> list:
    if kind == "initiative":
        seen, out = set(), []
        for e in b.entities:
            if e.type == "initiative" and (e.id, e.start) not in seen:
                seen.add((e.id, e.start))
                out.append(("initiative", e.id, e.text))
        return out
    out = []
    named: set[str] = set()
    for e in b.entities:
        if e.type == "quantity":
            out.append(("quantity", e.value, e.unit, e.text))
        elif e.type == "target" and e.id and not e.id.startswith("sdg:") and e.id not in named:
            named.add(e.id)  # a named target is one fact per paragraph, however often it is mentioned
            out.append(("named", e.id, e.text))
        elif e.type == "date" and e.id and re.fullmatch(r"date:\d{4}", e.id) and _TARGET_YEAR_CUE.search(b.text[max(0, e.start - 14):e.end + 2]):
            out.append(("quantity", float(e.id[5:]), "year", e.text))
    return out


# a year that is a target ("by 2030", "d'ici à 2030", "para 2030", "к 2030 году", "2030年前")
_TARGET_YEAR_CUE = re.compile(r"(?:\bby|d[’']ici (?:à |a )?|\bpara|\bhasta|\bк|\bdo|حلول|before|no later than|au plus tard en)\s+(?:the end of\s+|عام\s+)?\d{4}"
                              r"|\d{4}\s*年(?:底)?前|到\s*\d{4}\s*年", re.I)


def _item_match(kind: str, g: dict, e: tuple) -> bool:
    if kind == "initiative":
        gn, sn = _norm(g["name"]), _norm(e[2])
        return bool(gn) and (gn in sn or sn in gn) and min(len(gn), len(sn)) >= 0.6 * max(len(gn), len(sn))
    if g.get("named"):
        return e[0] == "named" and e[1] == g["named"]
    if e[0] != "quantity":
        return False
    gv = g.get("value")
    return gv is not None and e[1] is not None and abs(float(e[1]) - float(gv)) <= 1e-6 * max(1.0, abs(float(gv))) and (not g.get("unit") or g["unit"] == e[2])


def run(root: Path, split: str = "all", gold_files: Optional[list[Path]] = None, verbose: bool = False, out=sys.stdout) -> dict:
    rows = load_gold(gold_files or sorted(GOLD_DIR.glob("*.jsonl")))
    docs = [r for r in rows if r.get("kind") == "document"]
    facts = [r for r in rows if r.get("kind") != "document"]
    if split != "all":
        keep = {d["doc"] + json.dumps(d.get("lines")) for d in docs if d.get("split", "tune") == split}
        docs = [d for d in docs if d["doc"] + json.dumps(d.get("lines")) in keep]
    t = {k: Tally() for k in KINDS}
    per_lang: dict[str, dict[str, Tally]] = defaultdict(lambda: {k: Tally() for k in KINDS})
    per_genre: dict[str, dict[str, Tally]] = defaultdict(lambda: {k: Tally() for k in KINDS})
    for d in docs:
        key = d["doc"] + json.dumps(d.get("lines"))
        drows = [r for r in facts if r["doc"] + json.dumps(r.get("lines")) == key]
        doc = parse_doc(d, root)
        one = {k: Tally() for k in KINDS}
        score_doc(doc, drows, one, d["doc"])
        for k in KINDS:
            for tt in (t[k], per_lang[d.get("lang", "?")][k], per_genre[d.get("genre", "?")][k]):
                tt.tp += one[k].tp
                tt.fp += one[k].fp
                tt.fn += one[k].fn
            t[k].misses += one[k].misses
            t[k].extras += one[k].extras
    n_facts = sum(1 for r in facts if r["kind"] in ("mandate", "initiative", "target") and any(r["doc"] + json.dumps(r.get("lines")) == d["doc"] + json.dumps(d.get("lines")) for d in docs))
    out.write(f"gold: {len(docs)} documents, {n_facts} facts, split={split}\n")
    out.write(f"{'kind':<11}{'P':>7}{'R':>7}{'tp':>6}{'fp':>6}{'fn':>6}\n")
    result = {}
    for k in KINDS:
        tt = t[k]
        result[k] = {"precision": round(tt.p(), 3), "recall": round(tt.r(), 3), "tp": tt.tp, "fp": tt.fp, "fn": tt.fn}
        out.write(f"{k:<11}{tt.p():>7.3f}{tt.r():>7.3f}{tt.tp:>6}{tt.fp:>6}{tt.fn:>6}\n")
    alltp = sum(t[k].tp for k in ("mandate", "initiative", "target"))
    allfp = sum(t[k].fp for k in ("mandate", "initiative", "target"))
    allfn = sum(t[k].fn for k in ("mandate", "initiative", "target"))
    p = alltp / (alltp + allfp) if alltp + allfp else 1.0
    r = alltp / (alltp + allfn) if alltp + allfn else 1.0
    result["facts"] = {"precision": round(p, 3), "recall": round(r, 3)}
    out.write(f"{'facts':<11}{p:>7.3f}{r:>7.3f}\n")
    out.write("per language (mandate, initiative, target recall):\n")
    for lang, lt in sorted(per_lang.items()):
        out.write(f"  {lang}: " + "  ".join(f"{k} P{lt[k].p():.2f} R{lt[k].r():.2f}" for k in ("mandate", "addressee", "initiative", "target")) + "\n")
    out.write("per kind of document (facts = mandates, initiatives, targets):\n")
    result["genres"] = {}
    for genre, gt in sorted(per_genre.items()):
        tp = sum(gt[k].tp for k in ("mandate", "initiative", "target"))
        fp = sum(gt[k].fp for k in ("mandate", "initiative", "target"))
        fn = sum(gt[k].fn for k in ("mandate", "initiative", "target"))
        gp, gr = (tp / (tp + fp) if tp + fp else 1.0), (tp / (tp + fn) if tp + fn else 1.0)
        result["genres"][genre] = {"precision": round(gp, 3), "recall": round(gr, 3), "n": tp + fn}
        out.write(f"  {genre:<12} facts P{gp:.3f} R{gr:.3f} (n={tp + fn})  " + "  ".join(f"{k} P{gt[k].p():.2f} R{gt[k].r():.2f}" for k in ("mandate", "addressee", "initiative", "target")) + "\n")
    if verbose:
        for k in KINDS:
            for x in t[k].misses:
                out.write(f"MISS {k}: {x}\n")
            for x in t[k].extras:
                out.write(f"EXTRA {k}: {x}\n")
    return result


def main(argv: Optional[list[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--root", type=Path, default=REPO.parent / "shared", help="the shared data root (holds corpus-dev/)")
    ap.add_argument("--split", choices=("tune", "heldout", "all"), default="all")
    ap.add_argument("--gold", type=Path, nargs="*", help="gold JSONL files (default: extract/gold/*.jsonl)")
    ap.add_argument("--verbose", "-v", action="store_true", help="list every miss and extra")
    a = ap.parse_args(argv)
    if not a.root.exists():
        print(f"{a.root}: shared data root not found (pass --root)", file=sys.stderr)
        return 2
    run(a.root, a.split, a.gold, a.verbose)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
