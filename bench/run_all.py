"""Run every benchmark in bench/ and print one table of the key figures (and write it as Markdown).

Usage: python bench/run_all.py [--quick] [--md-out bench/results/latest.md] [--only NAME ...]

Each benchmark runs in its own process, prints its own report as it goes and writes
its figures as JSON (`--json-out`, or `--out` for bench_search.py); this script reads
them back and prints one table: ingest, extraction, embedding, graph build and Bolt
sync, search latency, store size, and the peak memory (ru_maxrss of the largest
process in each benchmark's process tree, from wait4). Ratios are against a baseline
measured in the same benchmark process, so they hold on a busy machine where absolute
rates do not.

--quick picks each benchmark's short mode (about 3 minutes in all on 2 cores).
The table is written as Markdown to --md-out (default bench/results/latest.md) with
the date, the machine and the command line, ready for the README; the raw figures go
next to it as JSON. Benchmarks are on demand; CI does not run them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shlex
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable, Optional

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent


# name, title, script, arguments (full run), arguments (--quick), the option that names the JSON file
PLAN = [
    ("ingest", "ingest (PDF engines vs bare pdfplumber)", "bench_ingest.py", [], ["--quick"], "--json-out"),
    ("extract", "extraction", "bench_extract.py", [], ["--rounds", "1"], "--json-out"),
    ("parallel", "parallel ingest (1 vs 2 workers), store size", "bench_parallel.py", [], ["--quick"], "--json-out"),
    ("search", "search latency, indexing, memory", "bench_search.py", [],
     ["--quick", "--sizes", "10000", "--ann-size", "200000"], "--out"),
    ("graph", "graph build and Bolt sync", "bench_graph.py", [], ["--sizes", "10000", "--baseline-seconds", "10"], "--json-out"),
]


def machine() -> dict[str, Any]:
    mem_kb = 0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem_kb = int(line.split()[1])
    except OSError:
        pass
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True).stdout.strip()
    except OSError:
        commit = ""
    return {"cores": os.cpu_count(), "ram_gb": round(mem_kb / 2**20, 1), "cpu": cpu, "python": platform.python_version(),
            "os": f"{platform.system()} {platform.release()}", "commit": commit, "load_avg_1m": round(os.getloadavg()[0], 2)}


def run_one(script: str, args: list[str]) -> tuple[int, float, float]:
    """Run a benchmark; (exit code, seconds, peak RSS MB of the largest process in its tree)."""
    t0 = time.perf_counter()
    p = subprocess.Popen([sys.executable, str(BENCH / script), *args], cwd=str(REPO))
    try:
        _, status, usage = os.wait4(p.pid, 0)
    except KeyboardInterrupt:
        p.terminate()
        raise
    p.returncode = os.waitstatus_to_exitcode(status)
    return p.returncode, time.perf_counter() - t0, usage.ru_maxrss / 1024


def _g(d: Any, *path: Any, default: Any = None) -> Any:
    for k in path:
        if isinstance(d, dict) and k in d:
            d = d[k]
        elif isinstance(d, list) and isinstance(k, int) and -len(d) <= k < len(d):
            d = d[k]
        else:
            return default
    return d


def _n(x: Any, fmt: str = ",.0f") -> str:
    return "–" if x is None else format(x, fmt)


def rows_for(res: dict[str, Any]) -> list[tuple[str, str, str, str, str]]:
    """(figure, value, comparison, target, benchmark) rows from the benchmarks' JSON."""
    rows: list[tuple[str, str, str, str, str]] = []
    ing = res.get("ingest")
    if ing:
        base = _g(ing, "bare_extract_text", "pages_per_s")
        for engine in ("pdfium", "pdfplumber"):
            e = _g(ing, "engines", engine)
            if not e:
                continue
            rows.append((f"ingest, full structure + extraction, PDF ({engine} engine)",
                         f"{_n(e['pages_per_s'], ',.1f')} pages/s, {_n(e['paragraphs_per_s'])} paragraphs/s",
                         f"×{e['x_bare_extract_text']:.1f} pdfplumber's bare extract_text ({_n(base, ',.1f')} pages/s, same {ing['pdfs']} PDFs, {ing['pages']} pages)",
                         "≥ 50 pages/s" if engine == "pdfium" else "", "ingest"))
    par = res.get("parallel")
    if par:
        w1, w2 = par["workers_1"], par["workers_2"]
        rows.append(("`unkg ingest` end to end, text + PDF (1 / 2 workers)",
                     f"{_n(w1['paragraphs_per_s'])} / {_n(w2['paragraphs_per_s'])} paragraphs/s",
                     f"2 workers ×{par['ratio_2_to_1']:.2f} 1 worker ({par['documents']} documents); "
                     + (f"the second {par['documents']} of {par['documents_doubled']} alone ×{par['ratio_2_to_1_marginal']:.2f}"
                        if par.get("ratio_2_to_1_marginal") else ""), "≥ 1.8×", "parallel"))
    ext = res.get("extract")
    if ext:
        rows.append(("segmentation, language, extraction (`extract.annotate`)",
                     f"{_n(ext['extract_paragraphs_per_s'])} paragraphs/s ({_n(ext['extract_cpu_paragraphs_per_s'])}/s per core, CPU time)",
                     f"{ext['paragraphs']:,} paragraphs, {len(ext['languages'])} languages; parse without extraction {_n(ext['parse_paragraphs_per_s'])}/s",
                     "≥ 2,000 paragraphs/s", "extract"))
    se = res.get("search")
    if se:
        idx = se.get("indexing") or {}
        if idx.get("indexing_paragraphs_per_s"):
            rows.append(("search indexing, real UN paragraph lengths (words + embeddings + store writes)",
                         f"{_n(idx['indexing_paragraphs_per_s'], ',.1f')} paragraphs/s ({idx.get('cpu_ms_per_paragraph')} ms CPU each)",
                         f"×{idx.get('ratio_to_previous_indexing')} the previous indexing ({_n(idx.get('previous_indexing_paragraphs_per_s'), ',.1f')}/s), "
                         f"×{idx.get('ratio_to_encoder_raw')} the encoder alone ({_n(idx.get('encoder_raw_texts_per_s'), ',.1f')}/s); "
                         f"{idx['paragraphs']:,} dev paragraphs, mean {idx.get('paragraph_chars_mean')} characters, encoders' start included",
                         "≥ 300 paragraphs/s", "search"))
        for h in se.get("hybrid", []):
            n = h["paragraphs"]
            target = "≤ 10 ms at 100k" if n <= 100_000 else "≤ 50 ms at 1M"
            rows.append((f"hybrid search at {n:,} paragraphs (p50 / p95)", f"{h['hybrid_ms_p50']} / {h['hybrid_ms_p95']} ms",
                         f"lexical {h['lexical_ms_p50']} / {h['lexical_ms_p95']} ms, dense ({h['mode']}) {h['dense_ms_p50']} / {h['dense_ms_p95']} ms; "
                         f"query encoding {h['query_encode_ms_p50']} ms", target, "search"))
        comp = se.get("hybrid_composite")
        if comp:
            n = comp["paragraphs"]
            rows.append((f"hybrid search at {n:,} paragraphs, composed per query (p50 / p95)", f"{comp['hybrid_ms_p50']} / {comp['hybrid_ms_p95']} ms",
                         f"BM25 matrix replicated from {comp['replicated_from']:,} paragraphs ({comp['bm25_matrix_mb']} MB), {comp['vectors']:,} vectors; "
                         f"p50 encode {comp.get('encode_ms_p50')}, dense {comp.get('dense_ms_p50')}, lexical {comp.get('lexical_ms_p50')}, "
                         f"hits {comp.get('hits_ms_p50')} ms", "≤ 10 ms at 100k, ≤ 50 ms at 1M", "search"))
        ann = se.get("ann")
        if ann:
            rows.append((f"dense top-10 at {ann['vectors']:,} vectors ({ann['mode']}, p50 / p95)", f"{ann['ann_ms_p50']} / {ann['ann_ms_p95']} ms",
                         f"recall@1 of the planted vector {ann.get('ann_recall_at_1_planted')}, recall@10 {ann['ann_recall_at_10']}; exact float16 numpy {ann['exact_f16_numpy_ms_p50']} ms", "≤ 50 ms at 1M", "search"))
    for g in res.get("graph") or []:
        rows.append((f"graph build from the store, {g['paragraphs']:,} paragraphs", f"{_n(g['build_items_per_s'])} nodes+relationships/s",
                     f"{g['nodes']:,} nodes + {g['relationships']:,} relationships in {g['build_s']} s", "", "graph"))
        rows.append((f"graph sync over Bolt ({g['dialect']}, batched UNWIND)", f"{_n(g['sync_items_per_s'])} nodes+relationships/s",
                     f"×{g['speedup']} one statement per item ({_n(g['baseline_items_per_s'])}/s); server counts equal: {g['server_counts_equal']}",
                     "≥ 20× one-statement baseline", "graph"))
    if par:
        rows.append(("store size (SQLite, PDFs only)", f"{par['store_mb_per_1000_pdf_pages']:.1f} MB per 1,000 pages",
                     f"{par.get('pdf_pages', '?')} PDF pages ingested", "", "parallel"))
    if se and se.get("hybrid"):
        h = se["hybrid"][-1]
        rows.append((f"search store + index at {h['paragraphs']:,} paragraphs", f"{h['store_mb']} MB on disk, vectors {h['vectors_ram_mb']} MB in RAM",
                     f"RSS growth when the vectors load: {h['rss_growth_on_load_mb']} MB", "", "search"))
    return rows


def markdown(header: list[str], rows: list[tuple[str, ...]], runs: list[tuple[str, str, int, float, float]]) -> str:
    out = [*header, "", "| figure | value | comparison (same run) | target | peak RSS of the benchmark |", "|---|---|---|---|---|"]
    peak = {name: mb for name, _, _, _, mb in runs}
    for fig, val, cmp_, target, name in rows:
        out.append(f"| {fig} | {val} | {cmp_} | {target} | {peak.get(name, 0):,.0f} MB ({name}) |")
    out += ["", "| benchmark | exit | seconds | peak RSS MB |", "|---|---:|---:|---:|"]
    for name, title, rc, secs, mb in runs:
        out.append(f"| {title} (`{name}`) | {rc} | {secs:.1f} | {mb:,.0f} |")
    return "\n".join(out) + "\n"


def plain(rows: list[tuple[str, ...]], runs: list[tuple[str, str, int, float, float]]) -> str:
    widths = [max(len(r[i]) for r in rows) if rows else 10 for i in range(4)]
    widths = [min(w, m) for w, m in zip(widths, (58, 48, 200, 28))]
    peak = {name: mb for name, _, _, _, mb in runs}
    lines = [f"{'figure':<{widths[0]}}  {'value':<{widths[1]}}  {'target':<{widths[3]}}  {'peak RSS':>9}  comparison (same run)"]
    for fig, val, cmp_, target, name in rows:
        lines.append(f"{fig:<{widths[0]}}  {val:<{widths[1]}}  {target:<{widths[3]}}  {peak.get(name, 0):>6,.0f} MB  {cmp_}")
    lines.append("")
    lines.append(f"{'benchmark':<48} {'exit':>4} {'seconds':>8} {'peak RSS MB':>12}")
    for name, title, rc, secs, mb in runs:
        lines.append(f"{title:<48} {rc:>4} {secs:>8.1f} {mb:>12,.0f}")
    return "\n".join(lines)


def _echo(line: str) -> None:
    print(line, flush=True)


def main(argv: Optional[list[str]] = None, echo: Callable[[str], None] = _echo) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="each benchmark's short mode (about 3 minutes on 2 cores)")
    ap.add_argument("--md-out", default=str(BENCH / "results" / "latest.md"), help="write the table as Markdown here ('' for none)")
    ap.add_argument("--only", nargs="+", choices=[p[0] for p in PLAN], help="run only these benchmarks")
    a = ap.parse_args(argv)
    started = dt.datetime.now().astimezone()
    script = Path(sys.argv[0]).resolve()
    script_s = str(script.relative_to(REPO)) if script.is_relative_to(REPO) else sys.argv[0]
    cmd = "python " + shlex.join([script_s, *(argv if argv is not None else sys.argv[1:])])
    m = machine()
    header = [
        f"Date: {started:%Y-%m-%d %H:%M %Z}; machine: {m['cores']} cores ({m['cpu']}), {m['ram_gb']} GB RAM, {m['os']}, Python {m['python']}; "
        f"commit {m['commit']}; load average at start {m['load_avg_1m']}",
        f"Command: `{cmd}`",
    ]
    for line in header:
        echo(line)
    results: dict[str, Any] = {}
    runs: list[tuple[str, str, int, float, float]] = []
    with tempfile.TemporaryDirectory(prefix="unkg-bench-") as tmp:
        for name, title, script, full_args, quick_args, json_opt in PLAN:
            if a.only and name not in a.only:
                continue
            out = Path(tmp) / f"{name}.json"
            args = [*(quick_args if a.quick else full_args), json_opt, str(out)]
            echo(f"\n=== {title}: {script} {' '.join(args[:-2])}")
            rc, secs, peak_mb = run_one(script, args)
            runs.append((name, title, rc, secs, peak_mb))
            try:
                results[name] = json.loads(out.read_text())
            except (OSError, ValueError):
                echo(f"({name}: no figures written, exit {rc})")
    if a.md_out:  # the figures first: a table that fails to render loses no run
        Path(a.md_out).with_suffix(".json").parent.mkdir(parents=True, exist_ok=True)
        Path(a.md_out).with_suffix(".json").write_text(json.dumps({"date": started.isoformat(), "command": cmd, "machine": m,
                                                                   "runs": [dict(zip(("name", "title", "exit", "seconds", "peak_rss_mb"), r)) for r in runs],
                                                                   "figures": results}, indent=1, ensure_ascii=False))
    rows = rows_for(results)
    echo("\n=== one table")
    for line in header:
        echo(line)
    echo(plain(rows, runs))
    if a.md_out:
        md = Path(a.md_out)
        md.parent.mkdir(parents=True, exist_ok=True)
        md.write_text(markdown(header, rows, runs))
        echo(f"\nMarkdown table: {md}  (figures: {md.with_suffix('.json')})")
    return 0 if all(rc == 0 for _, _, rc, _, _ in runs) else 1


if __name__ == "__main__":
    raise SystemExit(main())
