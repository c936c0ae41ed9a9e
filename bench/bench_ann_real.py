#!/usr/bin/env python3
"""Dense search at 1M on real text vectors: HNSW recall@10 against exact search, latency, memory, build time.

    python bench/bench_ann_real.py --work /tmp/ann-real                  # 1M, the default HNSW parameters
    python bench/bench_ann_real.py --work /tmp/ann-real --size 200000 --hnsw 16:128,24:128 --ef 64,128,256

The vectors are the default encoder's vectors of real paragraphs, not random ones:

1. real paragraphs: the dev corpus (../shared/corpus-dev, else the copies in tests/data) is ingested and indexed
   with `unkg ingest` / `unkg index` into `--work`/home (once: the store is the cache of the vectors, each distinct
   text embedded once on both cores), plus the sentences of the aligned sets (UNPC en/zh, PRAIS4 pairs) that are
   not paragraphs of the store, embedded once with the same encoder processes and kept in `--work`;
2. held out: 500 of these (seeded) are queries, never in the index, with the 171 judged queries of the search
   evaluation (tests/data/search-eval/queries.jsonl) encoded as the search encodes a query;
3. variants up to `--size`: each is a convex mix of a real vector and one of its 10 nearest real neighbours of the
   same language, weight uniform in [0, 1], plus Gaussian noise (sigma `--noise` per dimension), renormalised.
   A mix of two near neighbours stays in the region of the real distribution the two share (a topic, a kind of
   paragraph, one language); a mix of random pairs would fill the space between unrelated topics, where no real
   paragraph lies, and random vectors have no neighbourhood at all. The report compares the cosine of a vector to
   its nearest other vector for real paragraphs and for variants (the local density HNSW navigates);
4. exact top-10 of every query over the whole set (float32 products of the float16 vectors the index holds), then
   for each HNSW shape (M, ef_construction) and ef_search: recall@10 of a top-10 search, recall@10 of the first
   ten of the top-100 the hybrid search takes, and p50/p95 latency, one query at a time;
5. hybrid at the largest size: bench_search's composite per query (the real query encoder, this HNSW, BM25 over the
   dev store's words replicated to the size, fusion, ten hits with citations from the dev store).

Everything is kept in `--work` (store, vectors, variants, exact top-10, HNSW graphs): a rerun re-encodes nothing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from devdata import SHARED, TEST_DATA, dev_dir, where  # noqa: E402

from unkg.corpus.search_index import SearchTables  # noqa: E402
from unkg.corpus.store import Store  # noqa: E402
from unkg.search.embed_pool import EmbedPool  # noqa: E402
from unkg.search.encoders import get_encoder  # noqa: E402
from unkg.search.text import normalise, text_hash  # noqa: E402
from unkg.search.vectors import HnswParams, VectorIndex  # noqa: E402

ALIGNED = (("unpc-dev-en-zh", "UNv1.0.devset.en-og", "en"), ("unpc-dev-en-zh", "UNv1.0.devset.zh-og", "zh"),
           ("prais4-pairs", "en-fr.fr", "fr"), ("prais4-pairs", "en-es.es", "es"), ("prais4-pairs", "en-ru.ru", "ru"),
           ("prais4-pairs", "en-zh.zh", "zh"), ("prais4-pairs", "en-fr.en", "en"))


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def load() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def unkg(home: Path, *args: str) -> None:
    env = dict(os.environ, UNKG_HOME=str(home))
    subprocess.run([sys.executable, "-m", "unkg.cli", *args], env=env, check=True, stdout=subprocess.DEVNULL)


def real_store(work: Path) -> Store:
    """The dev corpus ingested and indexed in work/home (once)."""
    home = work / "home"
    done = home / "indexed.json"
    if not done.exists():
        corpus = SHARED / "corpus-dev"
        paths = [str(corpus)] if corpus.is_dir() else [str(p) for p in (TEST_DATA / "search-eval" / "corpus", ROOT / "samples")]
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-m", "unkg.cli", "ingest", *paths], env=dict(os.environ, UNKG_HOME=str(home)),
                       stdout=subprocess.DEVNULL)  # a file that fails does not stop the others
        t1 = time.perf_counter()
        unkg(home, "index", "--no-progress")
        done.write_text(json.dumps({"ingest_s": round(t1 - t0, 1), "index_s": round(time.perf_counter() - t1, 1),
                                    "source": where()}))
    return Store(home / "unkg.sqlite")


def aligned_sentences() -> list[tuple[str, str]]:
    """(text, language) of the aligned sets' lines, as the search would embed them."""
    out = []
    for folder, name, lang in ALIGNED:
        p = dev_dir(folder) / name
        if p.exists():
            for ln in p.read_text(encoding="utf-8").splitlines():
                t = ln.strip().replace(" ", "") if lang == "zh" and folder.startswith("unpc") else ln.strip()
                if len(t) > 20:
                    out.append((normalise(t), lang))
    return out


def real_vectors(work: Path, store: Store, encoder) -> tuple[np.ndarray, np.ndarray, dict]:
    """(float16 vectors, languages) of every distinct real text: the store's, then the aligned sentences it lacks."""
    rows = SearchTables(store).text_vectors(encoder.name)
    hashes = [r[0] for r in rows]
    langs = [r[1] or "" for r in rows]
    vecs = np.frombuffer(b"".join(r[2] for r in rows), dtype=np.float16).reshape(len(rows), -1)
    cache = work / f"aligned-{encoder.name}.npz"
    info = {"store_texts": len(rows)}
    if cache.exists():
        z = np.load(cache)
        extra, extra_langs = z["vecs"], list(z["langs"])
        info["aligned_encode_s"] = None
    else:
        seen = set(hashes)
        todo: dict[str, tuple[str, str]] = {}
        for t, lang in aligned_sentences():
            h = text_hash(t)
            if h not in seen and h not in todo:
                todo[h] = (t, lang)
        t0 = time.perf_counter()
        got: dict[str, np.ndarray] = {}
        with EmbedPool(encoder, start_at=1) as pool:
            pool.add([(h, t) for h, (t, _) in todo.items()])
            while pool.pending:
                for hs, v in pool.done(wait=True):
                    got.update(zip(hs, v))
        info["aligned_encode_s"] = round(time.perf_counter() - t0, 1)
        keys = list(todo)
        extra = np.stack([got[h] for h in keys]).astype(np.float16) if keys else np.zeros((0, vecs.shape[1]), np.float16)
        extra_langs = [todo[h][1] for h in keys]
        np.savez(cache, vecs=extra, langs=np.array(extra_langs))
    info["aligned_texts"] = len(extra)
    return np.concatenate([vecs, extra]), np.array(langs + [str(x) for x in extra_langs]), info


def neighbours_same_language(vecs: np.ndarray, langs: np.ndarray, k: int) -> np.ndarray:
    """For each row, its k nearest other rows of the same language (exact; a row alone in its language: itself)."""
    out = np.tile(np.arange(len(vecs))[:, None], (1, k))
    for lang in np.unique(langs):
        idx = np.flatnonzero(langs == lang)
        m = vecs[idx].astype(np.float32)
        kk = min(k, len(idx) - 1)
        if kk <= 0:
            continue
        for i in range(0, len(idx), 2000):
            s = m[i : i + 2000] @ m.T
            s[np.arange(len(s)), np.arange(i, i + len(s))] = -2  # not itself
            part = np.argpartition(-s, kk - 1, axis=1)[:, :kk]
            out[idx[i : i + len(s)], :kk] = idx[part]
            if kk < k:
                out[idx[i : i + len(s)], kk:] = idx[part[:, :1]]
    return out


def variants(real: np.ndarray, langs: np.ndarray, n: int, noise: float, seed: int = 7, k: int = 10) -> np.ndarray:
    """n vectors: a convex mix of a real vector and one of its k nearest same-language neighbours, plus noise."""
    rng = np.random.default_rng(seed)
    nb = neighbours_same_language(real, langs, k)
    out = np.empty((n, real.shape[1]), dtype=np.float16)
    r32 = real.astype(np.float32)
    for i in range(0, n, 100_000):
        m = min(100_000, n - i)
        a = rng.integers(0, len(real), m)
        b = nb[a, rng.integers(0, k, m)]
        lam = rng.random(m, dtype=np.float32)[:, None]
        v = lam * r32[a] + (1 - lam) * r32[b] + rng.standard_normal((m, real.shape[1]), dtype=np.float32) * noise
        v /= np.linalg.norm(v, axis=1, keepdims=True)
        out[i : i + m] = v
    return out


def exact_top(vecs: np.ndarray, q: np.ndarray, k: int = 10) -> np.ndarray:
    """Ids (row numbers) of the exact top-k of each query over all rows."""
    best_s = np.full((len(q), 0), -np.inf, dtype=np.float32)
    best_i = np.zeros((len(q), 0), dtype=np.int64)
    for i in range(0, len(vecs), 100_000):
        s = q @ vecs[i : i + 100_000].astype(np.float32).T
        part = np.argpartition(-s, k - 1, axis=1)[:, :k]
        best_s = np.concatenate([best_s, np.take_along_axis(s, part, 1)], axis=1)
        best_i = np.concatenate([best_i, part + i], axis=1)
        keep = np.argsort(-best_s, axis=1, kind="stable")[:, :k]
        best_s, best_i = np.take_along_axis(best_s, keep, 1), np.take_along_axis(best_i, keep, 1)
    return best_i


def nearest_other(vecs: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """Cosine of each of `rows` to its nearest other vector of the set."""
    q = vecs[rows].astype(np.float32)
    best = np.full(len(rows), -np.inf, dtype=np.float32)
    for i in range(0, len(vecs), 100_000):
        s = q @ vecs[i : i + 100_000].astype(np.float32).T
        own = (rows >= i) & (rows < i + 100_000)
        s[np.flatnonzero(own), rows[own] - i] = -np.inf
        best = np.maximum(best, s.max(axis=1))
    return best


def quantiles(x: np.ndarray) -> list[float]:
    return [round(float(v), 3) for v in np.percentile(x, [5, 25, 50, 75, 95])]


def measure(vi: VectorIndex, q: np.ndarray, truth: np.ndarray, ef: int, groups: dict[str, np.ndarray]) -> dict:
    vi._ann.expansion_search = ef
    lat10, lat100, got10, got100 = [], [], [], []
    for row in q:
        t0 = time.perf_counter()
        (ids, _), = vi.search(row, 10)
        lat10.append(time.perf_counter() - t0)
        got10.append(ids)
        t0 = time.perf_counter()
        (ids, _), = vi.search(row, 100)
        lat100.append(time.perf_counter() - t0)
        got100.append(ids[:10])
    out: dict = {"ef_search": ef}
    for name, sel in groups.items():
        out[f"recall_at_10_{name}"] = round(float(np.mean([len(set(got10[i].tolist()) & set(truth[i].tolist())) / 10 for i in sel])), 4)
        out[f"recall_at_10_of_top100_{name}"] = round(float(np.mean([len(set(got100[i].tolist()) & set(truth[i].tolist())) / 10 for i in sel])), 4)
    for name, xs in (("k10", lat10), ("k100", lat100)):
        out[f"ms_p50_{name}"] = round(float(np.percentile(xs, 50) * 1000), 3)
        out[f"ms_p95_{name}"] = round(float(np.percentile(xs, 95) * 1000), 3)
    out["load_average"] = load()
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--work", required=True, help="folder kept between runs (store, vectors, variants, HNSW graphs)")
    ap.add_argument("--size", type=int, default=1_000_000, help="vectors in the index (real ones, then variants)")
    ap.add_argument("--held-out", type=int, default=500, help="real paragraphs kept out of the index as queries")
    ap.add_argument("--noise", type=float, default=0.01, help="Gaussian noise per dimension of a variant before renormalising")
    ap.add_argument("--hnsw", default="24:128", help="HNSW shapes to build, M:ef_construction, comma-separated")
    ap.add_argument("--ef", default="64,128,256,512", help="ef_search values measured on each graph")
    ap.add_argument("--no-hybrid", action="store_true", help="skip the hybrid composite")
    ap.add_argument("--hybrid-ef", type=int, default=None, help="ef_search of the hybrid composite (default: HnswParams')")
    ap.add_argument("--out", default=None, help="write the JSON report here")
    a = ap.parse_args()
    work = Path(a.work)
    work.mkdir(parents=True, exist_ok=True)
    report: dict = {"date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
                    "commit": subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip(),
                    "machine": f"{os.cpu_count()} cores, {platform.machine()}, Python {platform.python_version()}",
                    "load_average_start": load(), "source": where(), "size": a.size, "noise": a.noise}
    enc = get_encoder("use-multilingual")
    store = real_store(work)
    report["store"] = json.loads((work / "home" / "indexed.json").read_text())
    real, langs, info = real_vectors(work, store, enc)
    report.update(info)
    rng = np.random.default_rng(11)
    perm = rng.permutation(len(real))
    held, members = np.sort(perm[: a.held_out]), np.sort(perm[a.held_out :])
    report["real_texts"] = len(real)
    report["real_in_index"] = len(members)
    report["languages"] = {str(k): int(v) for k, v in zip(*np.unique(langs[members], return_counts=True))}
    # the index: real members first, then variants of members only (no held-out paragraph leaks in through a mix)
    n_var = max(0, a.size - len(members))
    vfile = work / f"vectors-{a.size}-n{a.noise}-s{len(members)}.npy"
    if vfile.exists():
        allv = np.load(vfile, mmap_mode="r")
    else:
        t0 = time.perf_counter()
        allv = np.concatenate([real[members], variants(real[members], langs[members], n_var, a.noise)])
        np.save(vfile, allv)
        report["variants_s"] = round(time.perf_counter() - t0, 1)
        allv = np.load(vfile, mmap_mode="r")
    report["variants"] = n_var
    # queries: held-out real paragraphs and the judged queries, encoded as the search encodes them
    judged = [json.loads(ln)["query"] for ln in (ROOT / "tests/data/search-eval/queries.jsonl").read_text(encoding="utf-8").splitlines() if ln.strip()]
    qj = enc.encode([normalise(t) for t in judged])
    q = np.concatenate([real[held].astype(np.float32), qj]).astype(np.float32)
    groups = {"all": np.arange(len(q)), "held_out": np.arange(len(held)), "judged": np.arange(len(held), len(q))}
    tfile = work / f"truth-{vfile.stem}-q{len(q)}.npy"
    if tfile.exists():
        truth = np.load(tfile)
    else:
        t0 = time.perf_counter()
        truth = exact_top(allv, q)
        report["exact_s_per_query"] = round((time.perf_counter() - t0) / len(q), 3)
        np.save(tfile, truth)
    # is the set's local density the real one? cosine to the nearest other vector, real members against variants
    sample = np.sort(rng.choice(len(members), min(300, len(members)), replace=False))
    report["nearest_other_cosine_p5_25_50_75_95"] = {"real": quantiles(nearest_other(allv, sample))}
    if n_var:
        vs = len(members) + np.sort(rng.choice(n_var, 300, replace=False))
        report["nearest_other_cosine_p5_25_50_75_95"]["variants"] = quantiles(nearest_other(allv, vs))
    report["query_top1_cosine_p5_25_50_75_95"] = {
        name: quantiles(np.einsum("ij,ij->i", q[sel], allv[truth[sel, 0]].astype(np.float32))) for name, sel in groups.items() if name != "all"}
    print(json.dumps(report), flush=True)
    ids = np.arange(len(allv), dtype=np.int64)
    report["hnsw"] = []
    vi = None
    for shape in a.hnsw.split(","):
        m, efc = (int(x) for x in shape.split(":"))
        params = HnswParams(connectivity=m, expansion_add=efc)
        path = work / f"{vfile.stem}-{params.tag}.usearch"
        rss0 = peak_rss_mb()
        vi = VectorIndex(ids, allv, exact_limit=0, ann_path=path, hnsw=params)
        r = {"M": m, "ef_construction": efc, "build_s": round(vi.build_s, 1) if vi.build_s is not None else None,
             "build_load_average": load(), "index_mb": round(vi.memory_bytes() / 2**20, 1),
             "file_mb": round(path.stat().st_size / 2**20, 1), "peak_rss_mb_after": round(peak_rss_mb(), 1),
             "peak_rss_mb_before": round(rss0, 1), "runs": []}
        for ef in (int(x) for x in a.ef.split(",")):
            r["runs"].append(measure(vi, q, truth, ef, groups))
            print(json.dumps(r["runs"][-1]), flush=True)
        report["hnsw"].append(r)
        print(json.dumps({k: v for k, v in r.items() if k != "runs"}), flush=True)
    if not a.no_hybrid and vi is not None:
        from bench_search import _hit_rows, bench_hybrid_composite

        from unkg.search.engine import Searcher
        from unkg.search.lexical_matrix import LexicalMatrix

        vi._ann.expansion_search = a.hybrid_ef or vi.hnsw.expansion_search
        s = Searcher(store, encoder=enc, auto_index=False)
        keep = {"matrix": LexicalMatrix.build(s.index.tables.fts_rows), "rows": _hit_rows(s, judged), "vi": vi}
        r = bench_hybrid_composite(a.size, judged, keep)
        r["ef_search"] = int(vi._ann.expansion_search)
        r["load_average"] = load()
        report["hybrid_composite"] = r
        print(json.dumps(r), flush=True)
    report["peak_rss_mb"] = round(peak_rss_mb(), 1)
    report["load_average_end"] = load()
    print(json.dumps(report, indent=1))
    if a.out:
        Path(a.out).write_text(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
