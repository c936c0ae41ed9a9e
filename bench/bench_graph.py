"""Graph build and sync rates at 10k and 100k paragraphs (on demand, not in CI).

    python bench/bench_graph.py [--sizes 10000 100000] [--baseline-seconds 30] [--json]

The five seed documents are parsed and annotated once, then repeated with new
ids (document, block, parent and translation ids all renamed) until the store
holds the wanted number of paragraphs. For each size it measures

* build: `graph.build.build_graph` from the store (initiative facts included),
  nodes + relationships per second;
* sync: `graph.neo4j_sync.sync_graph` to a Bolt server (NEO4J_URI if set, else
  a FalkorDB started here), batched UNWIND ... MERGE, nodes + relationships per second;
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


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[10000, 100000])
    ap.add_argument("--baseline-seconds", type=float, default=30.0)
    ap.add_argument("--batch-size", type=int, default=2000)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--json-out", help="also write the rows as JSON to this file (bench/run_all.py reads it)")
    args = ap.parse_args()

    from unkg.corpus.store import Store
    from unkg.graph.build import KnowledgeGraph, build_graph
    from unkg.graph.falkor import FalkorServer
    from unkg.graph.neo4j_sync import Client, Connection, reset_target, sync_graph, sync_one_by_one
    from unkg.ingest.worker import parse_and_annotate

    seeds = [parse_and_annotate(str(p)) for p in sorted((REPO / "samples").glob("*.txt"))]
    server = None
    if os.environ.get("NEO4J_URI"):
        conn = Connection.from_options()
    else:
        server = FalkorServer().start()
        conn = Connection(server.uri, database="bench")
    results = []
    try:
        for size in args.sizes:
            with tempfile.TemporaryDirectory(prefix="unkg-bench-") as tmp:
                store = Store(Path(tmp) / "unkg.sqlite")
                t0 = time.perf_counter()
                paragraphs = 0
                for d in copies(seeds, size):
                    store.put_document(d)
                    paragraphs += len(d.blocks)
                t_store = time.perf_counter() - t0
                kg, rep = build_graph(store, kg=KnowledgeGraph(), cache=Path(tmp) / "g.pickle", save=False)
                items = kg.g.number_of_nodes() + kg.g.number_of_edges()
                client = Client(conn)
                reset_target(store, conn, client)
                srep = sync_graph(kg, store, conn, batch_size=args.batch_size, client=client)
                counts_equal = srep.counts["nodes"] == kg.g.number_of_nodes() and srep.counts["relationships"] == kg.g.number_of_edges()
                again = sync_graph(kg, store, conn, client=client)
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
                "sync_statements": srep.statements, "second_sync_s": round(again.seconds, 2),
                "baseline_items": b_items, "baseline_s": round(b_secs, 2),
                "baseline_items_per_s": round(b_items / b_secs), "speedup": round((items / srep.seconds) / (b_items / b_secs), 1),
                "server_counts_equal": counts_equal, "dialect": srep.dialect,
            }
            results.append(row)
            if not args.json:
                print(f"{paragraphs:>7} paragraphs: {row['nodes']} nodes + {row['relationships']} relationships | "
                      f"build {row['build_s']} s = {row['build_items_per_s']:,}/s | sync ({row['dialect']}) {row['sync_s']} s = "
                      f"{row['sync_items_per_s']:,}/s | one-by-one {row['baseline_items_per_s']:,}/s | x{row['speedup']} | "
                      f"counts equal: {counts_equal}", flush=True)
    finally:
        if server is not None:
            server.cleanup()
    if args.json:
        print(json.dumps(results, indent=1))
    if args.json_out:
        Path(args.json_out).write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
