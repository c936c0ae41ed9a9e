#!/usr/bin/env python3
"""Extraction benchmark: paragraphs/s of `extract.annotate`, alone and as a share of ingest.

    python bench/bench_extract.py [--rounds N] [FILE_OR_DIR ...]

Files (default: the seed samples, ../shared/corpus-dev/un-resolutions, ga-res-80-noisy and
prais4-manual, i.e. text and Markdown in English, Chinese, French, Spanish and Russian)
are parsed once with `ingest.pipeline.parse_file` (timed: "parse"), then annotated
`--rounds` times (timed: "extract"; pipelines are loaded before the clock starts and the
load time is reported on its own).  The share is extract / (parse + extract) per
paragraph.  Per-language rates are reported too, and the CPU rate on the aligned PRAIS4
sentences in English, French, Spanish, Russian and Chinese.  This is a benchmark, not a test; the
target in DESIGN.md is >= 2,000 paragraphs/s.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from devdata import dev_dir  # noqa: E402

EXTS = {".txt", ".md"}


def default_files() -> list[Path]:
    files = sorted((ROOT / "samples").glob("*.txt"))
    for sub in ("un-resolutions", "ga-res-80-noisy", "prais4-manual"):
        files += sorted(p for p in dev_dir(sub).rglob("*") if p.suffix in EXTS)
    return files


def collect(args: list[str]) -> list[Path]:
    out: list[Path] = []
    for a in args:
        p = Path(a)
        out += sorted(x for x in p.rglob("*") if x.suffix in EXTS) if p.is_dir() else [p]
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("paths", nargs="*")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--json-out", help="also write the figures as JSON to this file (bench/run_all.py reads it)")
    args = ap.parse_args(argv)
    files = collect(args.paths) if args.paths else default_files()

    from unkg.extract import annotate
    from unkg.extract.pipeline import get_nlp
    from unkg.ingest.pipeline import parse_file

    t0 = time.perf_counter()
    c0 = time.process_time()
    docs = []
    for f in files:
        try:
            docs.append(parse_file(f))
        except Exception as exc:  # a benchmark goes on
            print(f"skip {f}: {exc}", file=sys.stderr)
    t_parse = time.perf_counter() - t0
    t_parse_cpu = time.process_time() - c0
    paras = sum(len(d.blocks) for d in docs)
    langs = sorted({b.language or d.language or "en" for d in docs for b in d.blocks})

    t0 = time.perf_counter()
    for lang in langs:
        get_nlp(lang)
    annotate(docs[0].model_copy(deep=True))
    t_load = time.perf_counter() - t0

    per_lang_time: dict[str, float] = defaultdict(float)
    per_lang_paras: dict[str, int] = defaultdict(int)
    best = float("inf")
    best_cpu = float("inf")
    for _ in range(args.rounds):
        c0 = time.process_time()
        t0 = time.perf_counter()
        for d in docs:
            ts = time.perf_counter()
            annotate(d)
            lang = d.language or "en"
            per_lang_time[lang] += time.perf_counter() - ts
            per_lang_paras[lang] += len(d.blocks)
        best = min(best, time.perf_counter() - t0)
        best_cpu = min(best_cpu, time.process_time() - c0)

    n_mandates = sum(len(b.mandates) for d in docs for b in d.blocks)
    n_entities = sum(len(b.entities) for d in docs for b in d.blocks)
    n_cites = sum(len(b.citations) for d in docs for b in d.blocks)
    rate = paras / best
    share = best / (t_parse + best)
    print(f"files={len(docs)} paragraphs={paras} languages={','.join(langs)}")
    print(f"pipeline load (once per process): {t_load:.2f} s")
    print(f"parse (ingest without extraction): {t_parse:.2f} s  {paras / t_parse:,.0f} paragraphs/s")
    print(f"extract (best of {args.rounds}): {best:.2f} s wall  {rate:,.0f} paragraphs/s  (target >= 2,000)")
    print(f"extract CPU time: {best_cpu:.2f} s  {paras / best_cpu:,.0f} paragraphs/s per core (robust when the machine is busy; load {os.getloadavg()[0]:.1f})")
    print(f"extraction share of ingest time (parse + extract): {share:.1%} wall, {best_cpu / (t_parse_cpu + best_cpu):.1%} CPU")
    print(f"found: {n_mandates} mandates, {n_entities} entities, {n_cites} citations")
    figures = {
        "files": len(docs), "paragraphs": paras, "languages": langs, "rounds": args.rounds, "pipeline_load_s": round(t_load, 2),
        "parse_paragraphs_per_s": round(paras / t_parse, 1), "extract_s": round(best, 3), "extract_paragraphs_per_s": round(rate, 1),
        "extract_cpu_paragraphs_per_s": round(paras / best_cpu, 1), "extract_share_wall": round(share, 3),
        "mandates": n_mandates, "entities": n_entities, "citations": n_cites,
        "per_language_paragraphs_per_s": {lang: round(per_lang_paras[lang] / per_lang_time[lang], 1) for lang in sorted(per_lang_paras)},
    }
    for lang in sorted(per_lang_paras):
        print(f"  {lang}: {per_lang_paras[lang] // args.rounds:>6} paragraphs  {per_lang_paras[lang] / per_lang_time[lang]:>8,.0f} paragraphs/s")
    pairs = dev_dir("prais4-pairs")
    if pairs.exists() and not args.paths:
        from unkg.model import Block, Document

        print("aligned PRAIS4 sentences (one document per language, CPU time):")
        for name in ("en-fr.en", "en-fr.fr", "en-es.es", "en-ru.ru", "en-zh.zh"):
            lang = name.rsplit(".", 1)[1]
            lines = (pairs / name).read_text(encoding="utf-8").splitlines()
            doc = Document(id=name, source=name, sha256="0", format="text", language=lang, symbol="ICCD/PRAIS4",
                           blocks=[Block(id=f"{name}#{i}", ord=i, kind="text", text=t, language=lang) for i, t in enumerate(lines)])
            get_nlp(lang)
            c0 = time.process_time()
            annotate(doc)
            dt = time.process_time() - c0
            print(f"  {lang}: {len(lines):>6} sentences  {len(lines) / dt:>8,.0f} sentences/s")
            figures.setdefault("prais4_sentences_per_s_cpu", {})[lang] = round(len(lines) / dt, 1)
    if args.json_out:
        Path(args.json_out).write_text(json.dumps(figures, indent=1, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
