"""Graph build and sync rates at 10k and 100k paragraphs (on demand, not in CI).

    python bench/bench_graph.py [--sizes 10000 100000] [--baseline-seconds 30] [--json]
    python bench/bench_graph.py --server neo4j --sizes 10000 100000 --out bench/results/graph-neo4j

The five seed documents are parsed and annotated once, then repeated with new
ids (document, block, parent and translation ids all renamed) until the store
holds the wanted number of paragraphs. For each size it measures

* build: `graph.build.build_graph` from the store (initiative facts included),
  nodes + relationships per second;
* sync: `graph.neo4j_sync.sync_graph` to a Bolt server (`--server falkordb`: a
  FalkorDB started here, the default; `--server neo4j`: a Neo4j Community 5 started
  here from neo4j-server/, 2 GB heap, 1 GB page cache (--heap, --pagecache); `--server env`: the one
  NEO4J_URI names), batched UNWIND ... MERGE, nodes + relationships per second;
* re-sync after one changed document: what is sent (documents, nodes,
  relationships) and how long it takes;
* baseline: the same graph sent one statement per node / relationship
  (`sync_one_by_one`) in the same process, run for at most --baseline-seconds;
* the counts on the server after sync equal the networkx counts.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from bench_scale import copies  # noqa: E402  (renamed copies of real documents, as the scale curves use)


LOAD_AT_START = round(os.getloadavg()[0], 2)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[10000, 100000])
    ap.add_argument("--baseline-seconds", type=float, default=30.0)
    ap.add_argument("--batch-size", type=int, default=None, help="rows per statement; default: the server's (10,000 on Neo4j)")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--json-out", help="also write the rows as JSON to this file (bench/run_all.py reads it)")
    ap.add_argument("--server", choices=["falkordb", "neo4j", "env"], default=None,
                    help="the Bolt server: started here (falkordb, neo4j) or NEO4J_URI (env); default env if NEO4J_URI is set, else falkordb")
    ap.add_argument("--out", help="write PREFIX.json and PREFIX.md (figures with date and commit)")
    ap.add_argument("--workers", type=int, default=None, help="sessions written on side by side; default: the server's (2 on Neo4j)")
    ap.add_argument("--heap", default="2g", help="Neo4j started here: JVM heap (fixed size, half of it young: graph/neo4j_server.py)")
    ap.add_argument("--pagecache", default="1g", help="Neo4j started here: page cache (the store of 100,000 paragraphs is ~250 MB)")
    ap.add_argument("--warmup", type=int, default=2000, help="paragraphs synced (and deleted) before measuring; 0: none")
    ap.add_argument("--repeat", type=int, default=3,
                    help="batched syncs of each size (deleted in between): the first is the cold figure, the median of the "
                         "others the warm one (the server's JIT compiles its write path over the first syncs)")
    args = ap.parse_args()
    kind = args.server or ("env" if os.environ.get("NEO4J_URI") else "falkordb")

    from unkg.corpus.store import Store
    from unkg.graph.build import KnowledgeGraph, build_graph
    from unkg.graph.falkor import FalkorServer
    from unkg.graph.neo4j_sync import Client, Connection, reset_target, sync_graph, sync_one_by_one
    from unkg.extract.task import ParseAndAnnotate

    parse_and_annotate = ParseAndAnnotate()
    seeds = [parse_and_annotate(str(p)) for p in sorted((REPO / "samples").glob("*.txt"))]
    server = None
    startup_s = None
    if kind == "env":
        conn = Connection.from_options()
    elif kind == "neo4j":
        from unkg.graph.neo4j_server import Neo4jServer

        server = Neo4jServer(heap=args.heap, pagecache=args.pagecache).start()
        startup_s = round(server.started_in, 1)
        os.environ["NEO4J_PASSWORD"] = server.password
        conn = Connection(server.uri, user=server.user, database=server.database)
    else:
        server = FalkorServer().start()
        conn = Connection(server.uri, database="bench")
    results = []
    warm = None
    try:
        if args.warmup:
            # one small sync first: the server plans each statement once (its query cache) and
            # its JIT warms up, as on a server in use; then everything is deleted again
            with tempfile.TemporaryDirectory(prefix="unkg-bench-") as tmp:
                store = Store(Path(tmp) / "unkg.sqlite")
                for d in copies(seeds, args.warmup):
                    store.put_document(d)
                wkg, _ = build_graph(store, kg=KnowledgeGraph(), cache=Path(tmp) / "g.pickle", save=False)
                with Client(conn) as client:
                    reset_target(store, conn, client)
                    wrep = sync_graph(wkg, store, conn, batch_size=args.batch_size, client=client, workers=args.workers)
                    sync_one_by_one(wkg, client, 4.0)
                    reset_target(store, conn, client)
                store.close()
                items = wkg.g.number_of_nodes() + wkg.g.number_of_edges()
                warm = {"paragraphs": args.warmup, "items": items, "cold_sync_s": round(wrep.seconds, 2),
                        "cold_items_per_s": round(items / wrep.seconds)}
                if not args.json:
                    print(f"warm-up on a cold server: {args.warmup} paragraphs, {items:,} items in {wrep.seconds:.1f} s "
                          f"= {warm['cold_items_per_s']:,}/s", flush=True)
        for size in args.sizes:
            with tempfile.TemporaryDirectory(prefix="unkg-bench-") as tmp:
                store = Store(Path(tmp) / "unkg.sqlite")
                t0 = time.perf_counter()
                paragraphs = 0
                last = None
                for d in copies(seeds, size):
                    store.put_document(d)
                    paragraphs += len(d.blocks)
                    last = d if len(d.blocks) > 5 else last
                t_store = time.perf_counter() - t0
                kg, rep = build_graph(store, kg=KnowledgeGraph(), cache=Path(tmp) / "g.pickle", save=False)
                items = kg.g.number_of_nodes() + kg.g.number_of_edges()
                client = Client(conn)
                reset_target(store, conn, client)
                srep = sync_graph(kg, store, conn, batch_size=args.batch_size, client=client, workers=args.workers)
                load = round(os.getloadavg()[0], 2)
                warm_s = []
                for _ in range(max(0, args.repeat - 1)):  # the same sync again into the emptied database
                    reset_target(store, conn, client)
                    warm_s.append(sync_graph(kg, store, conn, batch_size=args.batch_size, client=client, workers=args.workers).seconds)
                    if not args.json:
                        print(f"    again: {warm_s[-1]:.2f} s = {items / warm_s[-1]:,.0f}/s (load {os.getloadavg()[0]:.2f})", flush=True)
                warm_t = sorted(warm_s)[len(warm_s) // 2] if warm_s else srep.seconds
                counts_equal = srep.counts["nodes"] == kg.g.number_of_nodes() and srep.counts["relationships"] == kg.g.number_of_edges()
                if not args.json:
                    print(f"  {paragraphs} paragraphs: sync {srep.seconds:.1f} s = {items / srep.seconds:,.0f}/s, "
                          f"{srep.statements} statements, counts equal: {counts_equal}", flush=True)
                again = sync_graph(kg, store, conn, client=client)
                # one document changes (a paragraph revised: a new content hash): only it is sent again
                changed = last.model_copy(deep=True)
                changed.blocks[0].text += " (revised)"
                changed.sha256 = "f" * 64
                store.put_document(changed)
                kg, _ = build_graph(store, kg=kg, cache=Path(tmp) / "g.pickle", save=False)
                one_nodes, one_edges = kg.doc_items([changed.id])
                one = sync_graph(kg, store, conn, client=client)
                one_ok = (one.documents == 1 and one.removed <= 1 and one.nodes == len(one_nodes)
                          and one.counts["nodes"] == kg.g.number_of_nodes() and one.counts["relationships"] == kg.g.number_of_edges())
                reset_target(store, conn, client)
                client.ensure_schema()
                b_items, b_secs = sync_one_by_one(kg, client, args.baseline_seconds)
                reset_target(store, conn, client)
                client.close()
                store.close()
            row = {
                "paragraphs": paragraphs, "documents": len(kg.built), "nodes": kg.g.number_of_nodes(),
                "relationships": kg.g.number_of_edges(), "store_s": round(t_store, 2),
                "build_s": round(rep.seconds, 2), "build_items_per_s": round(items / rep.seconds),
                "sync_s": round(srep.seconds, 2), "sync_items_per_s": round(items / srep.seconds),
                "warm_sync_s": round(warm_t, 2), "warm_sync_items_per_s": round(items / warm_t), "repeats_s": [round(x, 2) for x in warm_s],
                "load_avg_1m": load, "sync_statements": srep.statements, "sync_retries": srep.retries, "second_sync_s": round(again.seconds, 2),
                "baseline_items": b_items, "baseline_s": round(b_secs, 2),
                "baseline_items_per_s": round(b_items / b_secs), "speedup": round((items / srep.seconds) / (b_items / b_secs), 1), "warm_speedup": round((items / warm_t) / (b_items / b_secs), 1),
                "server_counts_equal": counts_equal, "dialect": srep.dialect, "agent": srep.agent,
                "one_changed_doc": {"documents_sent": one.documents, "documents_removed": one.removed, "nodes_sent": one.nodes,
                                    "relationships_sent": one.relationships, "doc_nodes": len(one_nodes), "doc_relationships": len(one_edges),
                                    "statements": one.statements, "seconds": round(one.seconds, 2), "only_that_document": one_ok},
            }
            results.append(row)
            if not args.json:
                print(f"{paragraphs:>7} paragraphs: {row['nodes']} nodes + {row['relationships']} relationships | "
                      f"build {row['build_s']} s = {row['build_items_per_s']:,}/s | sync ({row['dialect']}) {row['sync_s']} s = "
                      f"{row['sync_items_per_s']:,}/s (warm {row['warm_sync_items_per_s']:,}/s) | one-by-one {row['baseline_items_per_s']:,}/s | x{row['speedup']} | "
                      f"counts equal: {counts_equal} | one changed document: {one.documents} sent, {one.nodes} nodes + "
                      f"{one.relationships} relationships in {one.seconds:.2f} s", flush=True)
    finally:
        if server is not None:
            server.cleanup()
    if args.json:
        print(json.dumps(results, indent=1))
    if args.json_out:
        Path(args.json_out).write_text(json.dumps(results, indent=1))
    if args.out:
        write_report(Path(args.out), kind, results, startup_s, args, warm)
    return 0


def _commit() -> str:
    import subprocess

    r = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=REPO)
    return r.stdout.strip() or "unknown"


def _packing() -> str:
    """Rust (neo4j-rust-ext) or pure Python: the driver's packing was most of the client's time."""
    try:
        from neo4j._codec.packstream.v1 import _rust_pack
    except ImportError:
        return "Python"
    return "Rust" if _rust_pack else "Python"


def write_report(prefix: Path, kind: str, results: list[dict], startup_s, args, warm=None) -> None:
    """PREFIX.json and PREFIX.md: the figures, with the date, the commit and the machine's load."""
    import datetime

    meta = {"date": datetime.date.today().isoformat(), "commit": _commit(), "server": kind, "cores": os.cpu_count(),
            "load_avg_1m_at_end": round(os.getloadavg()[0], 2), "batch_size": args.batch_size,
            "baseline_seconds": args.baseline_seconds, "server_startup_s": startup_s, "warmup": warm,
            "neo4j_heap": args.heap if kind == "neo4j" else None, "neo4j_pagecache": args.pagecache if kind == "neo4j" else None,
            "bolt_packing": _packing(), "workers": args.workers, "load_avg_1m_at_start": LOAD_AT_START}
    prefix.parent.mkdir(parents=True, exist_ok=True)
    prefix.with_suffix(".json").write_text(json.dumps({"meta": meta, "sizes": results}, indent=1) + "\n")
    lines = [f"# Graph sync on {results[0]['agent'] if results else kind}", "",
             f"{meta['date']}, commit {meta['commit']}, {meta['cores']} cores (load average {meta['load_avg_1m_at_end']} at the end), "
             f"`python bench/bench_graph.py --server {kind} --sizes {' '.join(str(r['paragraphs']) for r in results)}`"
             + (f"; server started in {startup_s} s" if startup_s else "")
             + (f"; heap {args.heap}, page cache {args.pagecache}" if kind == "neo4j" else "")
             + f"; rows per statement: {args.batch_size or 'the server default'}; sessions side by side: {args.workers or 'the server default'}"
             + f"; Bolt messages packed in {meta['bolt_packing']}; load average {meta['load_avg_1m_at_start']} at the start, "
             + f"{', '.join(str(r['load_avg_1m']) for r in results)} right after each batched sync (the machine is shared)."
             + (f" Before measuring, a warm-up sync of {warm['paragraphs']:,} paragraphs on the cold server ({warm['items']:,} items, "
                f"{warm['cold_items_per_s']:,}/s: every statement planned for the first time), then deleted." if warm else "")
             + (f" Each size is synced {args.repeat} times into the emptied database: the first (cold) and the median of "
                f"the others (warm, the server having run its write path)." if args.repeat > 1 else ""), "",
             "| paragraphs | nodes | relationships | sync s | items/s | warm sync s | warm items/s | statements | one-by-one items/s | "
             "speed-up (cold / warm) | counts equal | second sync s | one changed doc: sent (docs / nodes / rels) | its s |",
             "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|:--:|---:|---|---:|"]
    for r in results:
        o = r["one_changed_doc"]
        lines.append(f"| {r['paragraphs']:,} | {r['nodes']:,} | {r['relationships']:,} | {r['sync_s']} | {r['sync_items_per_s']:,} | "
                     f"{r['warm_sync_s']} | {r['warm_sync_items_per_s']:,} | "
                     f"{r['sync_statements']:,} | {r['baseline_items_per_s']:,} | x{r['speedup']} / x{r['warm_speedup']} | {r['server_counts_equal']} | "
                     f"{r['second_sync_s']} | {o['documents_sent']} / {o['nodes_sent']} / {o['relationships_sent']} "
                     f"(the document has {o['doc_nodes']} / {o['doc_relationships']}; only it: {o['only_that_document']}) | {o['seconds']} |")
    prefix.with_suffix(".md").write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    sys.exit(main())
