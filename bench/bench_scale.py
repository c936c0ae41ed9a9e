#!/usr/bin/env python3
"""Scale curves: store ingest, search and graph build at 10k, 100k (and 1M) paragraphs.

    python bench/bench_scale.py                       # 10k and 100k (a few minutes on 2 cores)
    python bench/bench_scale.py --max 1000000         # adds the 1M row (long: run it in the background)
    python bench/bench_scale.py --sizes 10000 --md-out bench/results/scale-x.md

The corpus is real documents repeated under new ids: the five seeds, the 24 labelled
UN resolutions and the English PRAIS4 manual (../shared), parsed, structured and
annotated once, then copied with new document ids, sources, hashes, block ids and
symbols until the store holds the wanted number of paragraphs. Each size runs in a
fresh process with a fresh store; the peak RSS of each stage is the process's high-water
mark reset at the start of the stage (/proc/self/clear_refs), so it includes what the
process already holds (the base documents, the interpreter: the "process at start" column).

Stages per size:

* ingest: `Store.put_document` for every copy (one transaction per document), timed
  around the calls only; the parse + structure + language + extraction cost is measured
  once per paragraph on the base files (repeated until 10k paragraphs are parsed) and
  extrapolated linearly to each size (one process; the worker pool divides it by the
  cores at best), which the table says;
* search: the lexical index (`SearchIndex.sync_lexical`: FTS5 and search rows), then
  lexical search latency through `Searcher.search(mode="lexical")` (FTS5 BM25, hit rows,
  citation, translations) with real phrases as queries, and store look-ups
  (`Store.document`, one paragraph by id); dense/ANN latency at 1M is bench_search.py's;
* graph: `graph.build.build_graph` from the store into an empty graph (initiative facts
  included), then writing its cache (the pickle `unkg graph build` keeps).

The last table gives each stage's rate as a ratio to the 10k row: 1.0 means linear
growth, below 1.0 a stage slows down as the store grows.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import pickle
import platform
import random
import shlex
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Iterator

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from devdata import dev_dir, seeds_dir  # noqa: E402

SIZES = (10_000, 100_000, 1_000_000)


# -- memory -------------------------------------------------------------------


def _status(key: str) -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1]) / 1024
    return 0.0


def reset_peak() -> None:
    """Reset the process's RSS high-water mark (Linux >= 4.0), so the next peak is this stage's."""
    gc.collect()
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
    except OSError:
        pass


def peak_mb() -> float:
    return _status("VmHWM")


def rss_mb() -> float:
    return _status("VmRSS")


def pct(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    if not xs:
        return 0.0
    k = (len(xs) - 1) * q / 100
    lo, hi = int(k), min(int(k) + 1, len(xs) - 1)
    return (xs[lo] + (xs[hi] - xs[lo]) * (k - lo)) * 1000


# -- the corpus -----------------------------------------------------------------


def base_files() -> list[Path]:
    files = sorted(seeds_dir().glob("*.txt"))
    files += sorted(dev_dir("un-resolutions").glob("*.txt"))
    files += sorted(dev_dir("prais4-manual").glob("*.md"))
    return files


def parse_base(min_paragraphs: int) -> tuple[list, dict[str, Any]]:
    """Parse + annotate the base files (timed), again and again until `min_paragraphs` were parsed."""
    from unkg.extract.task import ParseAndAnnotate

    parse_and_annotate = ParseAndAnnotate()
    files = base_files()
    t0 = time.perf_counter()
    parse_and_annotate.warm_up()
    warm = time.perf_counter() - t0
    docs, paras, passes, secs = [], 0, 0, 0.0
    cpu0 = time.process_time()
    while paras < min_paragraphs or passes == 0:
        for f in files:
            t0 = time.perf_counter()
            d = parse_and_annotate(str(f))
            secs += time.perf_counter() - t0
            paras += len(d.blocks)
            if passes == 0:
                docs.append(d)
        passes += 1
    cpu = time.process_time() - cpu0
    return docs, {"files": len(files), "passes": passes, "paragraphs": paras, "seconds": round(secs, 2),
                  "paragraphs_per_s": round(paras / secs, 1), "cpu_paragraphs_per_s": round(paras / cpu, 1),
                  "base_paragraphs": sum(len(d.blocks) for d in docs), "warm_up_s": round(warm, 2)}


def copies(docs: list, wanted: int) -> Iterator:
    """Renamed copies of `docs` (ids, source, hash, block ids, parents, translations, symbol) until `wanted` paragraphs."""
    made = 0
    i = 0
    while made < wanted:
        for d in docs:
            if made >= wanted:
                return
            c = d.model_copy(deep=True)
            suffix = f"~{i}"
            c.id = d.id + suffix
            c.source = f"{d.source}{suffix}"
            c.sha256 = f"{d.sha256[:56]}{i:08d}"
            c.symbol = f"{d.symbol}/C{i}" if d.symbol else None
            ren = {b.id: b.id.replace(d.id, c.id, 1) if b.id.startswith(d.id) else b.id + suffix for b in d.blocks}
            for b in c.blocks:
                b.id = ren[b.id]
                b.parent = ren.get(b.parent) if b.parent else None
                b.translation_of = ren.get(b.translation_of) if b.translation_of else None
            if made + len(c.blocks) > wanted:  # the last copy is cut so the size is exact
                c.blocks = c.blocks[: wanted - made]
                keep = {b.id for b in c.blocks}
                for b in c.blocks:
                    b.parent = b.parent if b.parent in keep else None
                    b.translation_of = b.translation_of if b.translation_of in keep else None
            made += len(c.blocks)
            yield c
        i += 1


def queries_from(docs: list, n: int, seed: int = 0) -> list[str]:
    """Real phrases: 3 to 6 consecutive words of random paragraphs (Chinese: 4 to 8 characters)."""
    rng = random.Random(seed)
    paras = [b.text for d in docs for b in d.blocks if len(b.text) > 40]
    out = []
    while len(out) < n and paras:
        t = rng.choice(paras)
        words = t.split()
        if len(words) >= 6:
            k = rng.randint(3, 6)
            s = rng.randint(0, len(words) - k)
            out.append(" ".join(words[s : s + k]))
        else:
            s = rng.randint(0, max(0, len(t) - 8))
            out.append(t[s : s + rng.randint(4, 8)])
    return out


# -- one size, in its own process -------------------------------------------------


def run_size(size: int, base_pickle: Path, n_queries: int, stages: list[str]) -> dict[str, Any]:
    from unkg.corpus.store import Store

    with open(base_pickle, "rb") as fh:
        docs = pickle.load(fh)
    out: dict[str, Any] = {"size": size, "rss_at_start_mb": round(rss_mb(), 1)}
    with tempfile.TemporaryDirectory(prefix="unkg-scale-") as tmp:
        home = Path(tmp)
        store = Store(home / "unkg.sqlite")

        # (a) ingest into the store
        reset_peak()
        put_s = 0.0
        n_docs = n_paras = 0
        t_all = time.perf_counter()
        for c in copies(docs, size):
            t0 = time.perf_counter()
            store.put_document(c)
            put_s += time.perf_counter() - t0
            n_docs += 1
            n_paras += len(c.blocks)
        wall = time.perf_counter() - t_all
        store._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        out["ingest"] = {"documents": n_docs, "paragraphs": n_paras, "seconds": round(put_s, 2),
                         "paragraphs_per_s": round(n_paras / put_s, 1), "wall_with_copying_s": round(wall, 2),
                         "peak_rss_mb": round(peak_mb(), 1),
                         "store_mb": round(sum(f.stat().st_size for f in home.glob("unkg.sqlite*")) / 2**20, 1)}
        print(f"  {size:>9,}  ingest  {put_s:8.2f} s  {n_paras / put_s:10,.0f} paragraphs/s  peak {peak_mb():,.0f} MB", flush=True)

        if "search" in stages:
            from unkg.search.engine import Searcher

            reset_peak()
            s = Searcher(store, encoder="use-multilingual", auto_index=False)
            t0 = time.perf_counter()
            rep = s.index.sync_lexical()
            lex_s = time.perf_counter() - t0
            qs = queries_from(docs, n_queries)
            for q in qs[:5]:  # warm-up: the first queries page the index in
                s.search(q, top_k=10, mode="lexical")
            lat = []
            hits = 0
            for q in qs:
                t0 = time.perf_counter()
                hits += len(s.search(q, top_k=10, mode="lexical"))
                lat.append(time.perf_counter() - t0)
            rng = random.Random(1)
            ids = [r[0] for r in store._db.execute("SELECT id FROM documents")]
            doc_lat = []
            for d in rng.sample(ids, min(len(ids), n_queries)):
                t0 = time.perf_counter()
                store.document(d)
                doc_lat.append(time.perf_counter() - t0)
            n_blocks = store._db.execute("SELECT max(rowid) FROM blocks").fetchone()[0]
            blk_lat = []
            for _ in range(n_queries):
                rid = rng.randint(1, n_blocks)
                t0 = time.perf_counter()
                row = store._db.execute("SELECT id FROM blocks WHERE rowid = ?", (rid,)).fetchone()
                store._db.execute("SELECT * FROM blocks WHERE id = ?", (row[0],)).fetchone()
                blk_lat.append(time.perf_counter() - t0)
            out["search"] = {
                "lexical_index_s": round(lex_s, 2), "lexical_index_paragraphs_per_s": round(rep.paragraphs_indexed / lex_s, 1),
                "queries": len(qs), "hits_per_query": round(hits / max(1, len(qs)), 1),
                "lexical_ms_p50": round(pct(lat, 50), 2), "lexical_ms_p95": round(pct(lat, 95), 2),
                "document_ms_p50": round(pct(doc_lat, 50), 2), "document_ms_p95": round(pct(doc_lat, 95), 2),
                "paragraph_ms_p50": round(pct(blk_lat, 50), 3), "paragraph_ms_p95": round(pct(blk_lat, 95), 3),
                "peak_rss_mb": round(peak_mb(), 1),
                "store_mb": round(sum(f.stat().st_size for f in home.glob("unkg.sqlite*")) / 2**20, 1),
            }
            r = out["search"]
            print(f"  {size:>9,}  search  index {lex_s:8.2f} s  lexical p50/p95 {r['lexical_ms_p50']}/{r['lexical_ms_p95']} ms  "
                  f"document {r['document_ms_p50']}/{r['document_ms_p95']} ms  peak {peak_mb():,.0f} MB", flush=True)
            del s
            gc.collect()

        if "graph" in stages:
            from unkg.graph.build import KnowledgeGraph, build_graph

            reset_peak()
            cache = home / "graph.pickle"
            kg, rep = build_graph(store, kg=KnowledgeGraph(), cache=cache, save=False)
            build_peak = peak_mb()
            t0 = time.perf_counter()
            kg.save(cache)
            save_s = time.perf_counter() - t0
            items = kg.g.number_of_nodes() + kg.g.number_of_edges()
            out["graph"] = {"nodes": kg.g.number_of_nodes(), "relationships": kg.g.number_of_edges(), "documents": len(kg.built),
                            "seconds": round(rep.seconds, 2), "items_per_s": round(items / rep.seconds, 1),
                            "paragraphs_per_s": round(n_paras / rep.seconds, 1), "peak_rss_mb": round(build_peak, 1),
                            "cache_write_s": round(save_s, 2), "cache_mb": round(cache.stat().st_size / 2**20, 1),
                            "peak_rss_with_cache_write_mb": round(peak_mb(), 1)}
            print(f"  {size:>9,}  graph   {rep.seconds:8.2f} s  {items / rep.seconds:10,.0f} items/s  "
                  f"({kg.g.number_of_nodes():,} nodes, {kg.g.number_of_edges():,} relationships)  peak {build_peak:,.0f} MB", flush=True)
            del kg
            # what every `unkg graph ...` command and the web server do first (graph.build.load_graph):
            # read the cache, check it against the store, nothing to rebuild
            reset_peak()
            t0 = time.perf_counter()
            kg, rep2 = build_graph(store, cache=cache, save=True)
            out["graph"].update({"load_s": round(time.perf_counter() - t0, 2), "load_peak_rss_mb": round(peak_mb(), 1),
                                 "load_rebuilt": rep2.added + rep2.updated})
            print(f"  {size:>9,}  graph load from cache {out['graph']['load_s']:8.2f} s  peak {peak_mb():,.0f} MB", flush=True)
            del kg
        store.close()
    return out


# -- report ---------------------------------------------------------------------------


def table(parse: dict[str, Any], rows: list[dict[str, Any]]) -> list[str]:
    per_para = parse["seconds"] / parse["paragraphs"]
    base = rows[0] if rows else None
    lines = ["| paragraphs | stage | seconds | rate | peak RSS MB | rate ratio to the first row | notes |",
             "|---:|---|---:|---:|---:|---:|---|"]

    def ratio(stage: str, key: str, r: dict[str, Any]) -> str:
        b = base.get(stage, {}).get(key) if base else None
        v = r.get(stage, {}).get(key)
        return f"{v / b:.2f}" if b and v else "–"

    for r in rows:
        n = r["size"]
        ing = r["ingest"]
        est = per_para * n
        lines.append(f"| {n:,} | parse + structure + extract (extrapolated) | {est:,.0f} | {parse['paragraphs_per_s']:,.0f} paragraphs/s | – | 1.00 (linear by construction) | "
                     f"size / the rate measured once on {parse['paragraphs']:,} paragraphs in one process |")
        lines.append(f"| {n:,} | store: put_document | {ing['seconds']:,.2f} | {ing['paragraphs_per_s']:,.0f} paragraphs/s | {ing['peak_rss_mb']:,.0f} | "
                     f"{ratio('ingest', 'paragraphs_per_s', r)} | {ing['documents']:,} documents; store {ing['store_mb']:,.0f} MB |")
        if "search" in r:
            se = r["search"]
            lines.append(f"| {n:,} | search: lexical index (FTS5) | {se['lexical_index_s']:,.2f} | {se['lexical_index_paragraphs_per_s']:,.0f} paragraphs/s | "
                         f"{se['peak_rss_mb']:,.0f} | {ratio('search', 'lexical_index_paragraphs_per_s', r)} | store with index {se['store_mb']:,.0f} MB |")
            lines.append(f"| {n:,} | search: lexical query p50 / p95 | – | {se['lexical_ms_p50']} / {se['lexical_ms_p95']} ms | – | "
                         f"p95 ×{se['lexical_ms_p95'] / base['search']['lexical_ms_p95']:.2f} of the first row | {se['queries']} queries, top 10 with citation and translations |"
                         if base and "search" in base else "")
            lines.append(f"| {n:,} | store: document / paragraph by id p50 / p95 | – | {se['document_ms_p50']} / {se['document_ms_p95']} ms; "
                         f"{se['paragraph_ms_p50']} / {se['paragraph_ms_p95']} ms | – | – | `Store.document` builds the whole model |")
        if "graph" in r:
            g = r["graph"]
            lines.append(f"| {n:,} | graph: build_graph | {g['seconds']:,.2f} | {g['items_per_s']:,.0f} items/s ({g['paragraphs_per_s']:,.0f} paragraphs/s) | "
                         f"{g['peak_rss_mb']:,.0f} | {ratio('graph', 'items_per_s', r)} | {g['nodes']:,} nodes + {g['relationships']:,} relationships |")
            lines.append(f"| {n:,} | graph: cache write (pickle) | {g['cache_write_s']:,.2f} | {g['cache_mb']:,.0f} MB | {g['peak_rss_with_cache_write_mb']:,.0f} | – | |")
            if "load_s" in g:
                lines.append(f"| {n:,} | graph: load_graph (cache read + store check) | {g['load_s']:,.2f} | – | {g['load_peak_rss_mb']:,.0f} | – | "
                             f"what each `unkg graph` command does first; documents rebuilt: {g['load_rebuilt']} |")
    return [x for x in lines if x]


def machine_line() -> str:
    mem_kb = 0
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            mem_kb = int(line.split()[1])
    commit = os.environ.get("UNKG_BENCH_COMMIT") or subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip() or "unknown (not a git checkout)"
    return (f"{os.cpu_count()} cores, {mem_kb / 2**20:.1f} GB RAM, {platform.system()} {platform.release()}, Python {platform.python_version()}, "
            f"commit {commit}, load average at start {os.getloadavg()[0]:.2f}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", help="paragraph counts (default: 10k, 100k, and the sizes up to --max)")
    ap.add_argument("--max", type=int, default=100_000, help="largest default size (1000000 adds the 1M row)")
    ap.add_argument("--queries", type=int, default=100, help="queries and look-ups per size")
    ap.add_argument("--stages", default="ingest,search,graph", help="comma-separated: ingest is always run; search, graph")
    ap.add_argument("--md-out", default=str(ROOT / "bench" / "results" / "scale-latest.md"), help="Markdown report ('' for none)")
    ap.add_argument("--json-out", help="also write the figures as JSON")
    ap.add_argument("--label", default="", help="a line under the title of the Markdown report (e.g. 'before the fix')")
    ap.add_argument("--_one", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--_base", help=argparse.SUPPRESS)
    ap.add_argument("--_out", help=argparse.SUPPRESS)
    a = ap.parse_args()
    stages = [s.strip() for s in a.stages.split(",") if s.strip()]
    if a._one:
        res = run_size(a._one, Path(a._base), a.queries, stages)
        Path(a._out).write_text(json.dumps(res))
        return 0

    sizes = a.sizes or [s for s in SIZES if s <= a.max]
    started = dt.datetime.now().astimezone()
    cmd = "python " + shlex.join(["bench/bench_scale.py", *sys.argv[1:]])
    print(f"{started:%Y-%m-%d %H:%M %Z}; {machine_line()}", flush=True)
    print(f"command: {cmd}", flush=True)
    docs, parse = parse_base(min(10_000, max(sizes)))
    print(f"base: {len(docs)} documents, {parse['base_paragraphs']:,} paragraphs; parse + structure + extract of "
          f"{parse['paragraphs']:,} paragraphs ({parse['passes']} passes): {parse['seconds']} s = {parse['paragraphs_per_s']:,.0f} paragraphs/s", flush=True)
    rows = []
    with tempfile.TemporaryDirectory(prefix="unkg-scale-base-") as tmp:
        base = Path(tmp) / "base.pickle"
        with open(base, "wb") as fh:
            pickle.dump(docs, fh, protocol=pickle.HIGHEST_PROTOCOL)
        del docs
        for size in sizes:
            out = Path(tmp) / f"{size}.json"
            t0 = time.perf_counter()
            p = subprocess.run([sys.executable, __file__, "--_one", str(size), "--_base", str(base), "--_out", str(out),
                                "--queries", str(a.queries), "--stages", ",".join(stages)], cwd=str(ROOT))
            if p.returncode != 0:
                print(f"size {size}: exit {p.returncode}", file=sys.stderr)
                return 1
            r = json.loads(out.read_text())
            r["process_s"] = round(time.perf_counter() - t0, 1)
            rows.append(r)
    md = [f"# Scale curves{': ' + a.label if a.label else ''}", "",
          f"Date: {started:%Y-%m-%d %H:%M %Z}; machine: {machine_line()}", f"Command: `{cmd}`", "",
          f"Base corpus: {parse['files']} files (seeds, UN resolutions, PRAIS4 manual in English), {parse['base_paragraphs']:,} paragraphs, "
          f"copied under new ids. Parse + structure + language + extraction measured on {parse['paragraphs']:,} paragraphs in one process "
          f"({parse['paragraphs_per_s']:,.0f} paragraphs/s wall, {parse['cpu_paragraphs_per_s']:,.0f}/s CPU) and extrapolated linearly. "
          f"Peak RSS is the stage's high-water mark in a fresh process per size (process at start: "
          + ", ".join(f"{r['rss_at_start_mb']:,.0f} MB" for r in rows) + ").", "", *table(parse, rows), ""]
    text = "\n".join(md)
    print("\n" + text)
    if a.md_out:
        Path(a.md_out).parent.mkdir(parents=True, exist_ok=True)
        Path(a.md_out).write_text(text)
        print(f"written: {a.md_out}")
    if a.json_out:
        Path(a.json_out).write_text(json.dumps({"date": started.isoformat(), "command": cmd, "parse": parse, "rows": rows}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
