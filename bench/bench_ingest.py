#!/usr/bin/env python3
"""Ingest benchmark: pages/s and paragraphs/s end to end, per PDF engine.

    python bench/bench_ingest.py [--quick] [--rounds N] [PDF_OR_DIR ...]

For each engine (pdfium, pdfplumber) every PDF goes through
`ingest.worker.parse_and_annotate` in this process (backend + page furniture +
paragraph assembly + classification + metadata + language + extraction). The
baseline is pdfplumber's bare `page.extract_text()` on the same PDFs in the same
process; the ratio column is engine pages/s divided by that baseline's pages/s.
Two more figures attribute the time: "parse only" leaves out extraction
(ingest.pipeline.parse_file), "backend" is the PDF engine alone (lines with layout cues).

Default PDFs: ../shared/corpus-dev/rendered-pdf/*.pdf and
../shared/corpus-dev/real-files/*.pdf. This is a benchmark, not a test.
"""

from __future__ import annotations

import argparse
import glob
import io
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from devdata import dev_dir  # noqa: E402

ENGINES = ("pdfium", "pdfplumber")


def default_pdfs() -> list[str]:
    pdfs = sorted(glob.glob(str(dev_dir("rendered-pdf") / "*.pdf")))
    pdfs += sorted(glob.glob(str(dev_dir("real-files") / "*.pdf")))
    return pdfs


def collect(args: list[str]) -> list[str]:
    out: list[str] = []
    for a in args:
        p = Path(a)
        out += sorted(str(x) for x in p.rglob("*.pdf")) if p.is_dir() else [str(p)]
    return out


def bare_extract_text(pdfs: list[str]) -> tuple[int, float]:
    """pdfplumber's page.extract_text() on every page: (pages, seconds)."""
    import pdfplumber

    pages = 0
    t0 = time.perf_counter()
    for f in pdfs:
        with pdfplumber.open(io.BytesIO(Path(f).read_bytes())) as pdf:
            for page in pdf.pages:
                page.extract_text()
                pages += 1
    return pages, time.perf_counter() - t0


def run_engine(engine: str, pdfs: list[str], annotate: bool) -> tuple[int, int, float]:
    """(pages, paragraphs, seconds) for one pass over the PDFs with one engine."""
    from unkg.extract.task import ParseAndAnnotate
    from unkg.ingest.options import ReadOptions
    from unkg.ingest.pipeline import ParseOnly

    options = ReadOptions(pdf_engine=engine)
    parse = ParseAndAnnotate(options) if annotate else ParseOnly(options)
    pages = paras = 0
    t0 = time.perf_counter()
    for f in pdfs:
        doc = parse(f)
        pages += doc.pages or 0
        paras += len(doc.blocks)
    return pages, paras, time.perf_counter() - t0


def run_backend(engine: str, pdfs: list[str]) -> tuple[int, float]:
    """(pages, seconds) for the PDF backend alone: lines with layout cues, no structure."""
    from unkg.ingest.pdf_backend import read_pdf_with

    pages = 0
    t0 = time.perf_counter()
    for f in pdfs:
        pages += read_pdf_with(engine, Path(f), Path(f).read_bytes()).pages or 0
    return pages, time.perf_counter() - t0


def six_language_rows(rounds: int) -> list[tuple[str, int, float]]:
    """(language, pages, pages/s) for the PDFs the six-language tests write: en vs zh vs ar and the rest."""
    import tempfile

    from tests.ingest.pdfgen import LANGS, make_pdf, missing_fonts, paragraphs

    if missing_fonts():
        print(f"six-language row skipped: fonts missing ({', '.join(missing_fonts())})", file=sys.stderr)
        return []
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for lang in LANGS:
            path = Path(tmp) / f"{lang}.pdf"
            make_pdf(path, lang, paragraphs(lang))
            pages, _, secs = best_of(rounds, run_engine, "pdfium", [str(path)], False)
            rows.append((lang, pages, pages / secs))
    return rows


def best_of(rounds: int, fn, *args):
    best = None
    for _ in range(rounds):
        res = fn(*args)
        if best is None or res[-1] < best[-1]:
            best = res
    return best


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("paths", nargs="*", help="PDF files or folders (default: rendered-pdf + real-files PDFs)")
    ap.add_argument("--quick", action="store_true", help="6 PDFs, one round")
    ap.add_argument("--rounds", type=int, default=3, help="rounds per fast measurement; the best is kept (default 3)")
    ap.add_argument("--six-languages", action="store_true", help="also time PDFs written in the six languages (needs fpdf2, uharfbuzz, fonts)")
    ap.add_argument("--json-out", help="also write the figures as JSON to this file (bench/run_all.py reads it)")
    a = ap.parse_args()
    pdfs = collect(a.paths) if a.paths else default_pdfs()
    if not pdfs:
        print("no PDFs found", file=sys.stderr)
        return 2
    if a.quick:
        pdfs = pdfs[:5] + pdfs[-1:] if len(pdfs) > 6 else pdfs
    rounds = 1 if a.quick else max(1, a.rounds)

    # warm-up: imports, spaCy pipelines, gazetteers, language detector (some load on first use)
    run_engine("pdfium", pdfs, True)

    base_pages, base_s = bare_extract_text(pdfs)
    base_rate = base_pages / base_s
    rows = []
    for engine in ENGINES:
        r = rounds if engine == "pdfium" else 1  # pdfplumber is slow: one round is enough
        pages, paras, secs = best_of(r, run_engine, engine, pdfs, True)
        _, _, parse_secs = best_of(r, run_engine, engine, pdfs, False)
        _, backend_secs = best_of(r, run_backend, engine, pdfs)
        rows.append((engine, pages, paras, secs, pages / secs, paras / secs, pages / parse_secs, pages / backend_secs, (pages / secs) / base_rate))

    print(f"{len(pdfs)} PDFs, {base_pages} pages; best of {rounds} round(s) for pdfium; one process, {os.cpu_count()} CPUs")
    head = ("engine", "pages", "paras", "seconds", "pages/s", "paras/s", "parse-only p/s", "backend p/s", "x bare extract_text")
    print(f"{head[0]:<26}{head[1]:>6}{head[2]:>7}{head[3]:>9}{head[4]:>9}{head[5]:>9}{head[6]:>16}{head[7]:>13}{head[8]:>21}")
    for engine, pages, paras, secs, prate, arate, parse_rate, backend_rate, ratio in rows:
        label = f"{engine} (parse+annotate)"
        print(f"{label:<26}{pages:>6}{paras:>7}{secs:>9.2f}{prate:>9.1f}{arate:>9.0f}{parse_rate:>16.1f}{backend_rate:>13.1f}{ratio:>21.1f}")
    print(f"{'pdfplumber extract_text':<26}{base_pages:>6}{'-':>7}{base_s:>9.2f}{base_rate:>9.1f}{'-':>9}{'-':>16}{'-':>13}{1.0:>21.1f}")
    print("pages/s, paras/s: end to end (parse + structure + language + extraction); parse-only: without extraction;")
    print("backend: the PDF engine's lines and layout cues alone; x bare extract_text: end-to-end pages/s over pdfplumber's page.extract_text()")
    six = six_language_rows(rounds) if a.six_languages else []
    if six:
        print("six-language PDFs (tests/ingest/pdfgen.py: 60 paragraphs each), pdfium, parse only:")
        for lang, pages, rate in six:
            print(f"  {lang}: {pages} pages, {rate:.1f} pages/s")
    if a.json_out:
        engines = {engine: {"pages": pages, "paragraphs": paras, "seconds": round(secs, 3), "pages_per_s": round(prate, 1),
                            "paragraphs_per_s": round(arate, 1), "parse_only_pages_per_s": round(parse_rate, 1),
                            "backend_pages_per_s": round(backend_rate, 1), "x_bare_extract_text": round(ratio, 2)}
                   for engine, pages, paras, secs, prate, arate, parse_rate, backend_rate, ratio in rows}
        Path(a.json_out).write_text(json.dumps({
            "pdfs": len(pdfs), "pages": base_pages, "rounds": rounds, "engines": engines,
            "bare_extract_text": {"pages": base_pages, "seconds": round(base_s, 3), "pages_per_s": round(base_rate, 1)},
            "six_languages": {lang: {"pages": pages, "pages_per_s": round(rate, 1)} for lang, pages, rate in six},
        }, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
