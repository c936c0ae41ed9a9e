#!/usr/bin/env python3
"""English PDF ingest speed, this tree against an earlier revision, in one process.

    python bench/bench_pdf_against.py [--rev REV] [--rounds N] [--engine pdfium]

The `ingest/` folder of REV (default: main) is copied out with `git archive`
and imported beside the current one under another package name, so both read
the same PDFs (../shared/corpus-dev/rendered-pdf and real-files) in this
process, alternating, best of N rounds each: the ratio new/old is not fooled by
a busy machine as two separate runs would be. Measures `parse_file` (PDF engine,
page furniture, columns, paragraphs and structure), pages per second.
"""

from __future__ import annotations

import argparse
import importlib
import io
import os
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.bench_ingest import default_pdfs  # noqa: E402


def load_old(rev: str, into: Path):
    """The ingest package of `rev`, imported as `ingest_<rev>`."""
    data = subprocess.run(["git", "-C", str(ROOT), "archive", rev, "ingest"], capture_output=True, check=True).stdout
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        tar.extractall(into, filter="data")
    name = "ingest_" + "".join(c if c.isalnum() else "_" for c in rev)
    (into / "ingest").rename(into / name)
    sys.path.insert(0, str(into))
    return importlib.import_module(f"{name}.pipeline")


def timed(parse_file, pdfs: list[str]) -> tuple[int, float]:
    pages = 0
    t0 = time.perf_counter()
    for f in pdfs:
        pages += parse_file(Path(f)).pages or 0
    return pages, time.perf_counter() - t0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rev", default="main")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--engine", default="pdfium")
    a = ap.parse_args()
    os.environ["UNKG_PDF_ENGINE"] = a.engine
    pdfs = default_pdfs()
    if not pdfs:
        print("no PDFs found (../shared/corpus-dev)", file=sys.stderr)
        return 2
    from unkg.ingest.pipeline import parse_file as new

    with tempfile.TemporaryDirectory() as tmp:
        old = load_old(a.rev, Path(tmp)).parse_file
        timed(old, pdfs), timed(new, pdfs)  # warm-up
        best = {"old": float("inf"), "new": float("inf")}
        pages = 0
        for _ in range(a.rounds):
            for name, fn in (("old", old), ("new", new)):
                pages, secs = timed(fn, pdfs)
                best[name] = min(best[name], secs)
    rate = {k: pages / v for k, v in best.items()}
    print(f"{len(pdfs)} English PDFs, {pages} pages, {a.engine}, best of {a.rounds} alternating rounds, one process")
    print(f"{a.rev}: {rate['old']:.1f} pages/s   this tree: {rate['new']:.1f} pages/s   ratio new/old: {rate['new'] / rate['old']:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
