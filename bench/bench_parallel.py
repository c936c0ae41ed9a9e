"""Parallel ingest: end-to-end `unkg ingest` with 1 and 2 worker processes, and store size per 1,000 pages.

Usage: python bench/bench_parallel.py [--docs N] [--repeats R] [--quick] [--json]

The corpus is real documents repeated with new symbols (each copy is its own
document): the labelled General Assembly resolutions as text and their PDF
renderings. Every run happens in this process's session, each into a fresh store;
the figures that matter are ratios.

Each worker count ingests N and then 2N documents. The end-to-end ratio at N
includes what a batch pays once whatever its size (the CLI's start, each worker
loading its parsers and language models); the marginal ratio, (T(2N) - T(N)) with
one worker over the same with two, is how the batch scales once they are loaded.

Every command runs with the project's modules compiled once beforehand, as an
installed package has them (`compile_once`).

The machines are noisy (a shared host: the same run can take 13 s or 18 s an hour
apart), so each figure is the median of R repeats, each repeat running 1 and 2
workers back to back (in alternating order), and each repeat also times the
machine's own ceiling: one against two processes of a pure-Python loop, which no
parallel program beats.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import platform
import statistics
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
from devdata import dev_dir  # noqa: E402


def make_corpus(folder: Path, n_docs: int) -> int:
    """Copies of real resolutions (text and PDF) under new symbols; returns the PDF page count."""
    import pypdfium2

    texts = sorted(dev_dir("un-resolutions").glob("*.txt"))
    pdfs = sorted(dev_dir("rendered-pdf").glob("*.pdf"))
    folder.mkdir(parents=True)
    pages = 0
    for i in range(n_docs):
        if i % 2 == 0:
            src = texts[(i // 2) % len(texts)]
            (folder / f"res{i:05d}.txt").write_text(f"A/RES/990/{i}\n\n" + src.read_text(encoding="utf-8"), encoding="utf-8")
        else:
            src = pdfs[(i // 2) % len(pdfs)]
            shutil.copy(src, folder / f"res{i:05d}-{src.name}")
            pages += len(pypdfium2.PdfDocument(str(src)))
    return pages


def _spin(n: int = 15_000_000) -> None:
    x = 0
    for i in range(n):
        x += i * i


def machine_ceiling() -> float:
    """Two processes of a pure-Python loop against one: what the machine gives two workers right now."""
    times = {}
    for procs in (1, 2):
        ps = [mp.get_context("fork").Process(target=_spin) for _ in range(procs)]
        t0 = time.perf_counter()
        for p in ps:
            p.start()
        for p in ps:
            p.join()
        times[procs] = time.perf_counter() - t0
    return 2 * times[1] / times[2]


def _ratio(a: float, b: float) -> float | None:
    """a / b when both are positive times (on a loaded machine a marginal time can come out negative: no figure)."""
    return a / b if a > 0 and b > 0 else None


def _pdf_pages(folder: Path) -> int:
    import pypdfium2

    return sum(len(pypdfium2.PdfDocument(str(f))) for f in folder.glob("*.pdf"))


def _bytecode_env() -> dict:
    """The environment of every timed command: the project's compiled modules kept, as an installed package has them
    (pip compiles at install; an editable checkout writes them on first import). Where PYTHONDONTWRITEBYTECODE is set
    (some sandboxes and CI images) every command would otherwise compile the project's modules again: 0.05-0.08 s of
    each batch's start that no installed copy pays."""
    return {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def compile_once() -> None:
    """Compile the project's packages (into their `__pycache__`, which git ignores) before the first timed run."""
    packages = [str(REPO / p) for p in ("unkg", "corpus", "ingest", "extract", "graph", "search") if (REPO / p).is_dir()]
    subprocess.run([sys.executable, "-m", "compileall", "-q", *packages], env=_bytecode_env(), cwd=str(REPO),
                   check=True, stdout=subprocess.DEVNULL)


def run_ingest(corpus: Path, home: Path, workers: int) -> tuple[float, dict]:
    """Time one `unkg ingest --json`; also when its first and last report lines came (the batch's start and exit,
    measured rather than inferred)."""
    env = dict(_bytecode_env(), UNKG_HOME=str(home), UNKG_WORKERS=str(workers))
    t0 = time.perf_counter()
    with tempfile.TemporaryFile("w+") as err:  # a file, not a pipe: a full stderr pipe would stall the command
        p = subprocess.Popen([sys.executable, "-m", "unkg.cli", "ingest", str(corpus), "--json"], env=env,
                             cwd=str(REPO), stdout=subprocess.PIPE, stderr=err, text=True)
        lines = []
        assert p.stdout is not None
        for _ in p.stdout:
            lines.append(time.perf_counter() - t0)
        p.wait()
        elapsed = time.perf_counter() - t0
        if p.returncode != 0:
            err.seek(0)
            raise SystemExit(err.read()[-2000:])
    db = sqlite3.connect(home / "unkg.sqlite")
    counts = {"documents": db.execute("SELECT count(*) FROM documents").fetchone()[0],
              "paragraphs": db.execute("SELECT count(*) FROM blocks").fetchone()[0]}
    db.close()
    db_bytes = sum(f.stat().st_size for f in home.glob("unkg.sqlite*"))
    counts["store_bytes"] = db_bytes
    counts["first_report_s"] = lines[0] if lines else None
    counts["after_last_report_s"] = elapsed - lines[-1] if lines else None
    return elapsed, counts


def _stamp() -> dict:
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True).stdout.strip()
    return {"date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "commit": commit,
            "machine": f"{os.cpu_count()} cores, {platform.machine()}, Python {platform.python_version()}"}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=200)
    ap.add_argument("--repeats", type=int, default=3, help="repeats of every run; figures are medians")
    ap.add_argument("--quick", action="store_true", help="60 documents, one repeat")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--json-out", help="also write the figures as JSON to this file (bench/run_all.py reads it)")
    a = ap.parse_args()
    n = 60 if a.quick else a.docs
    repeats = 1 if a.quick else max(1, a.repeats)
    med = statistics.median
    with tempfile.TemporaryDirectory() as tmp:
        double = Path(tmp) / "corpus2"
        make_corpus(double, 2 * n)
        corpus = Path(tmp) / "corpus"  # the first n documents of the 2n
        corpus.mkdir()
        for f in sorted(double.iterdir())[:n]:
            shutil.copy(f, corpus / f.name)
        pdf_pages = _pdf_pages(corpus)
        compile_once()
        runs: list[dict] = []
        for r in range(repeats):
            rep: dict = {"ceiling": machine_ceiling()}
            for label, folder in (("n", corpus), ("2n", double)):
                for workers in ((1, 2) if r % 2 == 0 else (2, 1)):
                    elapsed, counts = run_ingest(folder, Path(tmp) / f"home-{label}-{workers}-{r}", workers)
                    rep[f"{label}_{workers}"] = {"seconds": elapsed, **counts}
                    shutil.rmtree(Path(tmp) / f"home-{label}-{workers}-{r}")
            runs.append(rep)
            print(f"repeat {r + 1}: {n} documents 1 / 2 workers {rep['n_1']['seconds']:.2f} / {rep['n_2']['seconds']:.2f} s, "
                  f"{2 * n}: {rep['2n_1']['seconds']:.2f} / {rep['2n_2']['seconds']:.2f} s; machine ceiling ×{rep['ceiling']:.2f}",
                  file=sys.stderr, flush=True)
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        # store size per 1,000 pages: PDFs only, in a store of their own
        pdf_only = Path(tmp) / "pdf-only"
        pdf_only.mkdir()
        for f in corpus.glob("*.pdf"):
            shutil.copy(f, pdf_only / f.name)
        _, pdf_counts = run_ingest(pdf_only, Path(tmp) / "home-pdf", 2)

    def seconds(key: str) -> float:
        return med(rep[key]["seconds"] for rep in runs)

    def ratios(f) -> list:
        return [x for x in (f(rep) for rep in runs) if x is not None]

    def marginal(rep: dict, w: int) -> float:
        return rep[f"2n_{w}"]["seconds"] - rep[f"n_{w}"]["seconds"]

    at_n = ratios(lambda rep: rep["n_1"]["seconds"] / rep["n_2"]["seconds"])
    at_2n = ratios(lambda rep: rep["2n_1"]["seconds"] / rep["2n_2"]["seconds"])
    at_marginal = ratios(lambda rep: _ratio(marginal(rep, 1), marginal(rep, 2)))
    ceilings = [rep["ceiling"] for rep in runs]
    counts_1, counts_2 = runs[0]["n_1"], runs[0]["n_2"]
    results = {w: {"seconds": seconds(f"n_{w}"), "documents": c["documents"], "paragraphs": c["paragraphs"],
                   "docs_per_s": c["documents"] / seconds(f"n_{w}"), "paragraphs_per_s": c["paragraphs"] / seconds(f"n_{w}")}
               for w, c in ((1, counts_1), (2, counts_2))}
    out = {
        **_stamp(),
        "documents": n,
        "repeats": repeats,
        "bytecode": "the project's modules compiled once before the runs, as installed (PYTHONDONTWRITEBYTECODE dropped)",
        "workers_1": results[1],
        "workers_2": results[2],
        # medians of the ratio within each repeat (1 and 2 workers run back to back)
        "ratio_2_to_1": med(at_n),
        "ratios_2_to_1": at_n,
        "documents_doubled": 2 * n,
        "doubled_1": {"seconds": seconds("2n_1")},
        "doubled_2": {"seconds": seconds("2n_2")},
        "ratio_2_to_1_doubled": med(at_2n),
        "ratios_2_to_1_doubled": at_2n,
        # the second n documents alone: the batch's fixed costs cancel out
        "marginal_seconds_1": med(marginal(rep, 1) for rep in runs),
        "marginal_seconds_2": med(marginal(rep, 2) for rep in runs),
        "ratio_2_to_1_marginal": med(at_marginal) if at_marginal else None,
        "ratios_2_to_1_marginal": at_marginal,
        # what a batch pays once (CLI start, workers loading): T(n) less the marginal time of n documents
        "fixed_seconds_1": med(2 * rep["n_1"]["seconds"] - rep["2n_1"]["seconds"] for rep in runs),
        "fixed_seconds_2": med(2 * rep["n_2"]["seconds"] - rep["2n_2"]["seconds"] for rep in runs),
        # measured from the report lines' arrival (the first file includes its own parse)
        **{f"{k}_{w}": med(rep[f"n_{w}"][k] for rep in runs) for k in ("first_report_s", "after_last_report_s") for w in (1, 2)},
        "machine_ceiling": med(ceilings),
        "machine_ceilings": ceilings,
        "runs": runs,
        "load_average": os.getloadavg(),
        "peak_rss_mb_child": peak_mb,
        "store_mb_per_1000_pdf_pages": pdf_counts["store_bytes"] / 1e6 / max(pdf_pages, 1) * 1000,
        "pdf_pages": pdf_pages,
    }
    if a.json_out:
        Path(a.json_out).write_text(json.dumps(out, indent=1))
    if a.json:
        print(json.dumps(out))
        return 0
    print(f"parallel ingest, {n} documents (half text, half PDF), end to end through `unkg ingest`; "
          f"medians of {repeats} repeats ({out['date']}, commit {out['commit']}, {out['machine']})")
    print(f"{'workers':>8} {'seconds':>9} {'docs/s':>8} {'paras/s':>9} {'paragraphs':>11}")
    for w in (1, 2):
        r = results[w]
        print(f"{w:>8} {r['seconds']:>9.2f} {r['docs_per_s']:>8.1f} {r['paragraphs_per_s']:>9.0f} {r['paragraphs']:>11}")
    fmt = lambda xs: ", ".join(f"{x:.2f}" for x in xs)  # noqa: E731
    print(f"ratio 2 workers / 1 worker: ×{out['ratio_2_to_1']:.2f} at {n} documents ({fmt(at_n)}), "
          f"×{out['ratio_2_to_1_doubled']:.2f} at {2 * n} ({fmt(at_2n)})")
    print(f"the second {n} documents alone (marginal): 1 worker {out['marginal_seconds_1']:.2f} s, "
          f"2 workers {out['marginal_seconds_2']:.2f} s: "
          + (f"×{out['ratio_2_to_1_marginal']:.2f} ({fmt(at_marginal)})" if at_marginal else "no ratio (the machine was too noisy)"))
    print(f"the machine's own ceiling (a pure-Python loop, 2 processes / 1): ×{out['machine_ceiling']:.2f} ({fmt(ceilings)})")
    print(f"paid once per batch (CLI start, workers loading): {out['fixed_seconds_1']:.2f} s with 1 worker, "
          f"{out['fixed_seconds_2']:.2f} s with 2")
    print(f"first file reported after launch: {out['first_report_s_1']:.2f} s with 1 worker, {out['first_report_s_2']:.2f} s "
          f"with 2; exit after the last report: {out['after_last_report_s_1']:.2f} / {out['after_last_report_s_2']:.2f} s")
    print("load average at the end: " + " ".join(f"{x:.2f}" for x in out["load_average"]))
    print(f"peak RSS of one child process: {peak_mb:.0f} MB")
    print(f"store size: {out['store_mb_per_1000_pdf_pages']:.1f} MB per 1,000 PDF pages")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
