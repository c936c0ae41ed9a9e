#!/usr/bin/env python3
"""Graph questions from the store's tables against the whole pickled graph, cold and warm (on demand, not in CI).

    python bench/bench_graph_store.py                          # 100k paragraphs
    python bench/bench_graph_store.py --sizes 100000 1000000   # adds 1M (long: run it in the background)
    python bench/bench_graph_store.py --out bench/results/graph-store-100k

The corpus is real documents repeated under new ids (bench_scale.copies): the seeds, the UN
resolutions and the PRAIS4 manual of the dev corpus (tests/data copies without it) and the
lifecycle test documents (decisions and the reports responding to them, English and Chinese).
For each size one store is written, then both graph forms are built from it: the networkx
graph pickled under the home (`graph.build.build_graph`, what every graph command loaded
until now) and the graph tables plus mandate indexes in the store (`graph.table_graph`,
`graph.mandate_index`).

Each question kind (`graph mandates`, `neighbours`, `path`) is then asked in a new process per
graph form, as a CLI call is: the first answer's time counts from the process start (interpreter,
imports, opening the store, loading the graph where the form needs it), then the same process
asks the kind's question list again and again (warm: p50 / p95). Peak RSS is the process's
high-water mark (VmHWM: it starts no children). Both forms must give the same answers (a digest
of every answer is compared); the baseline uses the same question code on the whole networkx
graph and, for mandates, the scan of every paragraph that `find_mandates` made before the
indexes (statuses computed for every match, then the limit).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import pickle
import random
import re
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
from typing import Any, Iterator

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

WARM_ROUNDS = 3
#: seconds after which no new round of warm questions starts (each round is asked whole)
WARM_BUDGET_S = 120.0


def _status(key: str) -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1]) / 1024
    return 0.0


def _pct(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    k = (len(xs) - 1) * q / 100
    lo, hi = int(k), min(int(k) + 1, len(xs) - 1)
    return (xs[lo] + (xs[hi] - xs[lo]) * (k - lo)) * 1000


def _digest(obj: Any) -> str:
    return hashlib.sha1(json.dumps(obj, sort_keys=True, ensure_ascii=False, default=str).encode()).hexdigest()[:16]


# -- the measuring process ---------------------------------------------------------------------


def _baseline_mandates(store, flt, limit: int):
    """find_mandates as it was before the indexes: every mandate paragraph read, every status computed, then the limit."""
    from unkg.graph.lifecycle import Lifecycle
    from unkg.graph.mandates import _scanned

    life = Lifecycle(store, tables=None)
    out = []
    for rec in _scanned(store, flt):
        rec.update(life.status(rec).as_dict())
        if not flt.status or rec["status"] == flt.status:
            out.append(rec)
    return out[:limit]


def measure(home: Path, form: str, kind: str, questions: list) -> dict[str, Any]:
    t0 = time.perf_counter()
    from unkg.corpus.store import Store
    from unkg.graph.mandates import MandateFilter, find_mandates
    from unkg.graph.query import explain_path, neighbours

    store = Store(home / "unkg.sqlite")
    kg = None

    def graph():
        nonlocal kg
        if kg is None:
            if form == "pickle":
                from unkg.graph.build import build_graph

                kg, _ = build_graph(store, cache=home / "graph.pickle")
            else:
                from unkg.graph.table_graph import open_graph

                kg = open_graph(store)
                if form == "rows":  # the tables read node by node, without the compact adjacency (paths before it)
                    kg.compact_paths = False
                if form == "python-paths":  # the compact adjacency searched in Python (before graph/_pathsearch.c)
                    from unkg.graph import query

                    query._pathsearch = None
        return kg

    def ask(q):
        if kind == "mandates":
            flt = MandateFilter.of(**q)
            if form == "pickle":
                return _baseline_mandates(store, flt, 500)
            return find_mandates(store, flt, limit=500)
        if kind == "neighbours":
            return neighbours(graph(), q, depth=1)
        try:
            return explain_path(graph(), q[0], q[1])
        except Exception as exc:  # no path: the answer is the message
            return str(exc)

    over_budget = set()

    def asked(qi, q):
        a = ask(q)
        if isinstance(a, str) and "within the search budget" in a:
            over_budget.add(qi)
        return a

    digests = [_digest(asked(0, questions[0]))]
    first = time.perf_counter() - t0
    rss_first = _status("VmRSS")
    times = []
    slowest: dict[int, float] = {}
    t_warm = time.perf_counter()
    for _ in range(WARM_ROUNDS):
        if time.perf_counter() - t_warm > WARM_BUDGET_S and len(times) >= len(questions):
            break  # the slow baseline at large sizes: one round is enough to tell
        for qi, q in enumerate(questions):
            t = time.perf_counter()
            a = asked(qi, q)
            times.append(time.perf_counter() - t)
            slowest[qi] = max(slowest.get(qi, 0.0), times[-1])
            if len(digests) <= len(questions):
                digests.append(_digest(a))
    store.close()
    return {"form": form, "kind": kind, "first_answer_s": round(first, 3), "warm_p50_ms": round(_pct(times, 50), 2),
            "warm_p95_ms": round(_pct(times, 95), 2), "warm_max_ms": round(max(times) * 1000, 1), "warm_n": len(times),
            "rss_after_first_mb": round(rss_first, 1),
            "slowest_questions": [[questions[i], round(v * 1000, 1)] for i, v in sorted(slowest.items(), key=lambda x: -x[1])[:3]], "peak_rss_mb": round(_status("VmHWM"), 1), "digest": _digest(digests[1:]),
            "over_budget": len(over_budget), "questions": len(questions)}


# -- the parent ------------------------------------------------------------------------------------


def base_docs(work: Path) -> list:
    cache = work / "base-docs.pickle"
    if cache.exists():
        with open(cache, "rb") as fh:
            return pickle.load(fh)
    from bench_scale import base_files
    from unkg.extract.task import ParseAndAnnotate

    parse_and_annotate = ParseAndAnnotate()
    files = base_files() + sorted((ROOT / "tests" / "graph" / "data").glob("*.txt"))
    docs = [parse_and_annotate(str(f)) for f in files]
    work.mkdir(parents=True, exist_ok=True)
    with open(cache, "wb") as fh:
        pickle.dump(docs, fh)
    return docs


_SESSION_NUMBER = re.compile(r"(?<=\.)(\d+)(?!\d)")


def renumbered(docs: list, wanted: int, same_decisions: bool) -> Iterator:
    """bench_scale.copies, each copy's decisions moved to sessions of its own ("22/COP.15" of copy 3 -> "22/COP.3015").

    Why: copies citing the very same decisions would make each decision a hub cited by every copy
    (a report responding to it thousands of times), which no real corpus has; actors, initiatives
    and targets stay shared, as in a real corpus."""
    from bench_scale import copies

    for c in copies(docs, wanted):
        i = int(c.id.rsplit("~", 1)[1])
        if i and not same_decisions:
            shift = lambda x: _SESSION_NUMBER.sub(lambda m: str(int(m.group(1)) + 1000 * i), x) if x else x  # noqa: E731
            for b in c.blocks:
                for ci in b.citations:
                    if ci.type in ("decision", "resolution"):
                        ci.id = shift(ci.id)
                for m in b.mandates:
                    m.decision = shift(m.decision)
        yield c


def prepare(home: Path, docs: list, size: int, same_decisions: bool = False, pickle_too: bool = True) -> dict[str, Any]:
    """The store with `size` paragraphs, the pickled graph and the graph tables (each build timed)."""
    from unkg.corpus.store import Store
    from unkg.graph.build import build_graph
    from unkg.graph.mandate_index import refresh
    from unkg.graph.table_graph import build_tables

    home.mkdir(parents=True, exist_ok=True)
    store = Store(home / "unkg.sqlite")
    t0 = time.perf_counter()
    paragraphs = 0
    for d in renumbered(docs, size, same_decisions):
        store.put_document(d)
        paragraphs += len(d.blocks)
    t_store = time.perf_counter() - t0
    db_before = (home / "unkg.sqlite").stat().st_size
    nodes = rels = None
    t_pickle = None
    if pickle_too:
        t0 = time.perf_counter()
        kg, rep = build_graph(store, cache=home / "graph.pickle")
        t_pickle = round(time.perf_counter() - t0, 1)
        nodes, rels = kg.g.number_of_nodes(), kg.g.number_of_edges()
        del kg
    t0 = time.perf_counter()
    sg, trep = build_tables(store)
    t_tables = time.perf_counter() - t0
    t0 = time.perf_counter()
    refresh(store)
    t_index = time.perf_counter() - t0
    t0 = time.perf_counter()
    sg.path_index()
    t_paths = time.perf_counter() - t0
    if pickle_too:
        assert sg.counts()["nodes"] == nodes and sg.counts()["relationships"] == rels
    nodes, rels = sg.counts()["nodes"], sg.counts()["relationships"]
    store._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    return {"paragraphs": paragraphs, "documents": trep.added, "nodes": nodes, "relationships": rels,
            "store_s": round(t_store, 1), "pickle_build_s": t_pickle, "tables_build_s": round(t_tables, 1),
            "mandate_index_s": round(t_index, 1), "path_index_s": round(t_paths, 1),
            "pickle_mb": round((home / "graph.pickle").stat().st_size / 2**20, 1) if pickle_too else None,
            "store_mb_without_graph": round(db_before / 2**20, 1),
            "store_mb": round((home / "unkg.sqlite").stat().st_size / 2**20, 1)}


def upgrade(home: Path) -> float:
    """A reused store brought up to date with this code (tables and indexes of a newer layout, statuses), timed:
    the questions are then measured on what this code keeps, not on a one-off rebuild."""
    from unkg.corpus.store import Store
    from unkg.graph.mandate_index import refresh
    from unkg.graph.table_graph import build_tables

    store = Store(home / "unkg.sqlite")
    t0 = time.perf_counter()
    sg, _ = build_tables(store, counts=False)
    refresh(store)
    took = round(time.perf_counter() - t0, 1)
    t0 = time.perf_counter()
    sg.path_index()
    paths = round(time.perf_counter() - t0, 1)
    store._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    return took, paths


def patch_step(home: Path, docs: list) -> dict[str, Any]:
    """One document added to the store (a new copy of a real one, English and Chinese paragraphs as the base has),
    its part written into the tables, then the path index brought up to date by a patch from the change log,
    against a whole build of the same tables (both timed in this process)."""
    from bench_scale import copies
    from unkg.corpus.store import Store
    from unkg.graph import path_index
    from unkg.graph.table_graph import StoreGraph, build_tables

    store = Store(home / "unkg.sqlite")
    sg = StoreGraph(store)
    sg.path_index()  # up to date before the change
    stamp = int(time.time())
    doc = max(docs, key=lambda d: len(d.blocks))
    c = next(copies([doc], len(doc.blocks)))
    c.id, c.source = f"{doc.id}~patch{stamp}", f"{doc.source}~patch{stamp}"
    c.sha256 = f"{doc.sha256[:48]}{stamp:016d}"
    for b in c.blocks:
        b.id = b.id.replace(f"{doc.id}~0", c.id, 1)
        b.parent = b.parent.replace(f"{doc.id}~0", c.id, 1) if b.parent else None
        b.translation_of = b.translation_of.replace(f"{doc.id}~0", c.id, 1) if b.translation_of else None
    store.put_document(c)
    t0 = time.perf_counter()
    sg, rep = build_tables(store, counts=False)
    t_tables = time.perf_counter() - t0
    changes = sg.tables.count_changes_after(path_index.PathIndex.read(path_index.index_path(store)).log[1])
    t0 = time.perf_counter()
    ix = sg.path_index()
    t_patch = time.perf_counter() - t0
    t0 = time.perf_counter()
    whole = path_index.build(sg.tables)
    t_whole = time.perf_counter() - t0
    same = all(np.array_equal(np.asarray(getattr(ix, k)), np.asarray(getattr(whole, k))) for k in ("ids_off", "ids", "off", "nbr"))
    store.close()
    return {"document_paragraphs": len(c.blocks), "tables_write_s": round(t_tables, 2), "changes": changes,
            "patch_s": round(t_patch, 2), "whole_build_s": round(t_whole, 2), "same_arrays": same,
            "ratio": round(t_whole / max(t_patch, 1e-9), 1)}


def questions(home: Path, n: int = 20, seed: int = 0) -> dict[str, list]:
    """Real questions over the store: nodes of every entity label, pairs of them, mandate filters in two languages."""
    from unkg.corpus.store import Store
    from unkg.graph.table_graph import StoreGraph

    rng = random.Random(seed)
    store = Store(home / "unkg.sqlite")
    sg = StoreGraph(store)
    by_label = {}
    for label in ("Decision", "Actor", "Initiative", "Document", "Mandate", "Session", "Country", "Target"):
        ids = [r[0] for r in store._db.execute("SELECT id FROM graph_nodes WHERE label = ? ORDER BY seq LIMIT 2000", (label,))]
        if ids:
            by_label[label] = ids
    nodes = [rng.choice(by_label[lab]) for lab in sorted(by_label) for _ in range(max(1, n // len(by_label)))]
    ents = [x for lab in ("Decision", "Initiative", "Actor", "Country", "Target") if lab in by_label for x in by_label[lab]]
    pairs = [tuple(rng.sample(ents, 2)) for _ in range(n)]
    # the seeds' own questions first (the README's examples), then sampled ones
    nb = ["Changwon Initiative"] + nodes
    pt = [("22/COP.15", "Changwon Initiative")] + pairs
    mand = [{"decision": "22/COP.15"}, {"addressee": "secretariat", "session": "COP.16"}, {"session": "COP.17", "verb": "request"},
            {"language": "zh", "decision": "9/COP.16"}, {"addressee": "Global Mechanism"}, {"decision": "第22/COP.15号决定", "verb": "请"},
            {"status": "implemented"}, {"decision": "2/COP.17"}, {"addressee": "secretariat"}, {"verb": "invite", "language": "fr"}]
    store.close()
    del sg
    return {"mandates": mand, "neighbours": nb, "path": [list(p) for p in pt]}


def run_measure(home: Path, form: str, kind: str, qs: list) -> dict[str, Any]:
    t0 = time.perf_counter()
    r = subprocess.run([sys.executable, __file__, "--measure", str(home), form, kind, json.dumps(qs, ensure_ascii=False)],
                       capture_output=True, text=True, cwd=str(ROOT))
    wall = time.perf_counter() - t0
    if r.returncode != 0:
        raise SystemExit(f"measuring {form} {kind} failed:\n{r.stderr[-3000:]}")
    out = json.loads(r.stdout.strip().splitlines()[-1])
    out["process_wall_s"] = round(wall, 2)
    return out


def machine() -> dict[str, Any]:
    import platform

    mem_kb = 0
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            mem_kb = int(line.split()[1])
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip() or "unknown"
    dirty = bool(subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT, capture_output=True, text=True).stdout.strip())
    return {"date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"), "commit": commit + (" (uncommitted changes)" if dirty else ""),
            "cores": os.cpu_count(), "ram_gb": round(mem_kb / 2**20, 1), "system": f"{platform.system()} {platform.release()}",
            "python": platform.python_version(), "load_average_at_start": round(os.getloadavg()[0], 2)}


def markdown(info: dict[str, Any], sizes: list[dict[str, Any]]) -> str:
    lines = [f"# Graph questions from the store's tables vs the whole pickled graph",
             "",
             f"Date: {info['date']}; commit {info['commit']}; machine: {info['cores']} cores, {info['ram_gb']} GB RAM, {info['system']}, "
             f"Python {info['python']}; load average at start {info['load_average_at_start']} (the machine is shared).",
             f"Command: `{info['command']}`",
             "",
             "Each row is a new process (as a CLI call): first answer counted from the process start (imports, store, graph load "
             "where the form needs one); warm = the same process asking the kind's questions "
             f"{WARM_ROUNDS} times over (no new round after {WARM_BUDGET_S:.0f} s; `n` says how many were asked); peak RSS = the process's high-water mark. Same answers: digests of every answer compared.",
             ""]
    for s in sizes:
        p = s["prepare"]
        lines += [f"## {p['paragraphs']:,} paragraphs ({p['documents']:,} documents, {p['nodes']:,} nodes, {p['relationships']:,} relationships)",
                  "",
                  f"Builds: networkx + pickle {p['pickle_build_s'] or 'not built'} s ({p['pickle_mb'] or '-'} MB pickle); graph tables {p['tables_build_s']} s; "
                  f"mandate indexes {p['mandate_index_s']} s; path index {p.get('path_index_s', '-')} s; store {p['store_mb_without_graph']} MB before, {p['store_mb']} MB with the tables."
                  + (f" Reused store brought up to date with this commit in {p['upgrade_s']} s." if p.get("upgrade_s") is not None else ""),
                  "",
                  "| question | form | first answer s | process wall s | warm p50 ms | warm p95 ms | n | peak RSS MB | same answers |",
                  "|---|---|---:|---:|---:|---:|---:|---:|---|"]
        for kind in ("mandates", "neighbours", "path"):
            rows = [r for r in s["runs"] if r["kind"] == kind]
            same = len({r["digest"] for r in rows}) == 1
            for r in rows:
                name = {"pickle": "whole pickled graph (before)", "rows": "store tables, no path index",
                        "python-paths": "store tables, path search in Python"}.get(r["form"], "store tables")
                lines.append(f"| {kind} | {name} | {r['first_answer_s']} | "
                             f"{r['process_wall_s']} | {r['warm_p50_ms']} | {r['warm_p95_ms']} | {r['warm_n']} | {r['peak_rss_mb']} | {'yes' if same else 'NO'} |")
        pt = s.get("patch")
        if pt:
            lines += ["", f"One document added ({pt['document_paragraphs']} paragraphs; its part written into the tables in "
                      f"{pt['tables_write_s']} s, {pt['changes']:,} changes logged): path index patched in {pt['patch_s']} s, "
                      f"built whole in {pt['whole_build_s']} s (×{pt['ratio']}); the same arrays: {'yes' if pt['same_arrays'] else 'NO'}."]
        over = [r for r in s["runs"] if r["kind"] == "path" and r.get("over_budget")]
        for r in over:
            lines += ["", f"Path questions answered \"not within the search budget\" ({r['form']}): {r['over_budget']} of {r['questions']}."]
        lines += ["", "| question | baseline | first answer: baseline / tables | warm p50: baseline / tables | warm p95: baseline / tables | "
                  "peak RSS: baseline / tables |", "|---|---|---:|---:|---:|---:|"]
        for kind in ("mandates", "neighbours", "path"):
            t = next((r for r in s["runs"] if r["kind"] == kind and r["form"] == "tables"), None)
            for base in ("pickle", "rows", "python-paths"):
                b = next((r for r in s["runs"] if r["kind"] == kind and r["form"] == base), None)
                if b is None or t is None:
                    continue
                base_name = {"pickle": "whole pickled graph", "rows": "tables, no path index",
                             "python-paths": "path search in Python"}[base]
                lines.append(f"| {kind} | {base_name} | "
                             f"{b['first_answer_s'] / max(t['first_answer_s'], 1e-9):.1f}× | "
                             f"{b['warm_p50_ms'] / max(t['warm_p50_ms'], 1e-9):.1f}× | "
                             f"{b['warm_p95_ms'] / max(t['warm_p95_ms'], 1e-9):.1f}× | {b['peak_rss_mb'] / max(t['peak_rss_mb'], 1e-9):.1f}× |")
        lines.append("")
    return "\n".join(lines) + "\n"


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "--measure":
        home, form, kind, qs = Path(sys.argv[2]), sys.argv[3], sys.argv[4], json.loads(sys.argv[5])
        if kind == "path":
            qs = [tuple(q) for q in qs]
        print(json.dumps(measure(home, form, kind, qs)))
        return 0
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[100_000])
    ap.add_argument("--work", default="/tmp/unkg-bench-graph-store", help="where the stores are written (kept for --reuse)")
    ap.add_argument("--reuse", action="store_true", help="measure the stores an earlier run left in --work")
    ap.add_argument("--out", help="write PREFIX.json and PREFIX.md")
    ap.add_argument("--kinds", nargs="+", default=["mandates", "neighbours", "path"], choices=["mandates", "neighbours", "path"])
    ap.add_argument("--forms", nargs="+", default=["pickle", "tables"], choices=["pickle", "tables", "rows", "python-paths"],
                    help="graph forms to measure; without pickle the networkx graph is not built (at 1M it needs about 5.5 GB); "
                         "rows: the tables without the compact adjacency (path questions as they were read before it); "
                         "python-paths: the compact adjacency searched in Python, not by the compiled search")
    ap.add_argument("--same-decisions", action="store_true",
                    help="copies cite the very same decisions (every decision a hub of all copies), as bench_scale's copies")
    ap.add_argument("--patch", action="store_true",
                    help="then add one document and time the path index's patch against a whole build (changes the store)")
    ap.add_argument("--markdown", help="write the Markdown of an earlier run's JSON (PREFIX.json -> PREFIX.md) and stop")
    args = ap.parse_args()
    if args.markdown:
        data = json.loads(Path(args.markdown + ".json").read_text())
        Path(args.markdown + ".md").write_text(markdown(data, data["sizes"]))
        return 0
    info = machine()
    info["command"] = "python " + " ".join([Path(sys.argv[0]).as_posix().split(str(ROOT) + "/")[-1], *sys.argv[1:]])
    work = Path(args.work)
    docs = base_docs(work)
    sizes = []
    for size in args.sizes:
        home = work / f"home-{size}{'-same' if args.same_decisions else ''}"
        prep_file = home / "prepare.json"
        if args.reuse and prep_file.exists():
            prep = json.loads(prep_file.read_text())
            prep["upgrade_s"], prep["path_index_s"] = upgrade(home)
        else:
            if home.exists():
                import shutil

                shutil.rmtree(home)
            prep = prepare(home, docs, size, args.same_decisions, pickle_too="pickle" in args.forms)
            prep_file.write_text(json.dumps(prep))
        print(f"{size}: {json.dumps(prep)}", flush=True)
        qs = questions(home)
        runs = []
        for kind in args.kinds:
            for form in args.forms:
                r = run_measure(home, form, kind, qs[kind])
                runs.append(r)
                print(f"  {kind:10} {form:7} first {r['first_answer_s']:7.3f} s  wall {r['process_wall_s']:6.2f} s  "
                      f"p50 {r['warm_p50_ms']:8.2f} ms  p95 {r['warm_p95_ms']:8.2f} ms  peak {r['peak_rss_mb']:7.1f} MB  {r['digest']}", flush=True)
        patch = patch_step(home, docs) if args.patch else None
        if patch:
            print(f"  patch: {json.dumps(patch)}", flush=True)
        sizes.append({"size": size, "prepare": prep, "questions": qs, "runs": runs, "patch": patch})
    md = markdown(info, sizes)
    print(md)
    if args.out:
        Path(args.out + ".json").write_text(json.dumps({**info, "sizes": sizes}, indent=1, ensure_ascii=False))
        Path(args.out + ".md").write_text(md)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
