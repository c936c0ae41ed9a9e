"""Search benchmark (on demand, not CI): latency, indexing throughput, memory.

    python bench/bench_search.py --quick      # 10k and 100k full hybrid, ANN at 1M synthetic (reduced query count)
    python bench/bench_search.py              # the same with more queries

Figures:
- indexing throughput (paragraphs/s: FTS + embeddings + store writes, `SearchIndex.sync`) on real
  documents (bench_scale's base corpus parsed as ingest does: UN paragraph lengths), against the
  previous indexing (words first, then whole texts embedded in-process on two BLAS threads) and the
  encoder's raw speed on the same texts, in the same process (`--index-only` for this figure alone);
- hybrid query latency p50/p95 at 10k and 100k paragraphs: a real store, FTS5 over
  real UN sentences, query encoding with the real encoder; the paragraph vectors
  are synthetic (random unit vectors) so that the store can be built without
  embedding 100k texts first;
- dense ANN latency p50/p95 at 1M synthetic vectors (usearch HNSW, float16), and
  exact numpy at the same size for comparison (`--cache DIR` keeps the HNSW file);
- hybrid at 1M, end to end per query with graph context: the real query encoder,
  HNSW over the 1M vectors, BM25 over the largest store's words replicated to 1M,
  fusion, and ten hits built from that store (see bench_hybrid_composite);
- memory per 100k paragraphs: vectors in RAM (exact: float32), ANN index, store bytes.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import random
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

from typing import Optional

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from unkg.corpus.store import Store  # noqa: E402
from unkg.search.encoders import get_encoder  # noqa: E402
from unkg.search.engine import RRF_K, Filters, Searcher  # noqa: E402
from unkg.search.index_store import SearchIndex  # noqa: E402
from unkg.search.lexical_matrix import LexicalMatrix, terms_of_match  # noqa: E402
from unkg.search.text import fts_or, normalise, parse_query  # noqa: E402
from unkg.search.text import text_hash  # noqa: E402
from unkg.search.vectors import VectorIndex  # noqa: E402
from unkg.model import Block, Document, printed_text  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from devdata import dev_dir  # noqa: E402


def sentences() -> list[str]:
    out = []
    for f in ("unpc-dev-en-zh/UNv1.0.devset.en-og", "unpc-dev-en-zh/UNv1.0.devset.zh-og",
              "prais4-pairs/en-fr.fr", "prais4-pairs/en-es.es", "prais4-pairs/en-ru.ru"):
        folder, name = f.split("/")
        p = dev_dir(folder) / name
        if p.exists():
            out += [ln.strip().replace(" ", "") if f.endswith("zh-og") else ln.strip() for ln in p.read_text(encoding="utf-8").splitlines() if len(ln.strip()) > 20]
    return out


def pct(xs: list[float], q: float) -> float:
    return float(np.percentile(np.array(xs) * 1000, q))


def rss_mb() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS"):
                return int(line.split()[1]) / 1024
    return 0.0


def cpu_s() -> float:
    """CPU seconds of this process and of its children that ended (the encoder processes)."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def dev_documents(min_paragraphs: int) -> list:
    """Real documents (bench_scale's base corpus: the seeds, the UN resolutions, the PRAIS4 manual), parsed and
    annotated as ingest does, whole documents until `min_paragraphs`: paragraphs of the lengths UN documents have."""
    from bench_scale import parse_base

    docs, _ = parse_base(1)
    out, n = [], 0
    for d in docs:
        if n >= min_paragraphs:
            break
        out.append(d)
        n += len(d.blocks)
    return out


def index_previous(store: Store, encoder) -> int:
    """The indexing before this round, replayed: the words of every document first, then the texts embedded in
    this process (the encoder as it was configured: two BLAS threads, whole texts), vectors written per 2,048."""
    idx = SearchIndex(store)
    idx.sync(None)
    rows = idx.tables.texts_without_vector(encoder.name)
    for i in range(0, len(rows), 2048):
        chunk = rows[i : i + 2048]
        vecs = encoder.encode([normalise(idx.tables.printed(b) or "") for _, b in chunk]).astype(np.float16)
        idx.tables.put_vectors(encoder.name, [(h, vecs.shape[1], vecs[j].tobytes()) for j, (h, _) in enumerate(chunk)])
    return len(rows)


def bench_encoder_and_indexing(n: int, rounds: int = 1) -> dict:
    """Indexing real paragraphs (FTS + embeddings + store writes, `SearchIndex.sync` as `unkg index` runs it) against
    the previous indexing and against the encoder's raw speed, in this process on the same paragraphs."""
    from unkg.search.encoders import USEEncoder

    docs = dev_documents(n)
    enc = get_encoder("use-multilingual")
    old_enc = USEEncoder(threads=min(4, os.cpu_count() or 1), max_tokens=None)  # the configuration before
    with tempfile.TemporaryDirectory() as home:
        home = Path(home)
        store = Store(home / "base.sqlite")
        for d in docs:
            store.put_document(d)
        printed = [printed_text(b.label, b.label_sep, b.text) for d in docs for b in d.blocks if (b.text or "").strip()]
        texts = sorted({normalise(t) for t in printed})
        lengths = np.array([len(t) for t in printed])
        store.close()
        enc.encode(["warm up"]), old_enc.encode(["warm up"])
        raw, runs = {}, {"indexing": [], "previous": []}
        cpu = {"indexing": [], "previous": []}
        for r in range(rounds):
            for name, e in (("encoder", enc), ("previous encoder", old_enc)):
                t0 = time.perf_counter()
                e.encode(texts)
                raw.setdefault(name, []).append(len(texts) / (time.perf_counter() - t0))
            for name in (("indexing", "previous") if r % 2 == 0 else ("previous", "indexing")):
                db = home / f"{name}-{r}.sqlite"
                shutil.copy(home / "base.sqlite", db)
                st = Store(db)
                c0, t0 = cpu_s(), time.perf_counter()
                if name == "indexing":
                    rep = SearchIndex(st).sync(enc)
                    paragraphs = rep.paragraphs_indexed
                else:
                    index_previous(st, old_enc)
                runs[name].append(time.perf_counter() - t0)
                cpu[name].append(cpu_s() - c0)
                st.close()
    best = {k: min(v) for k, v in runs.items()}
    out = {
        "paragraphs": paragraphs, "distinct_texts": len(texts), "documents": len(docs),
        "paragraph_chars_mean": round(float(lengths.mean()), 1),
        "paragraph_chars_p50_p90_p99": [int(x) for x in np.percentile(lengths, [50, 90, 99])],
        "encoder": enc.name, "encoder_raw_texts_per_s": round(max(raw["encoder"]), 1),
        "previous_encoder_raw_texts_per_s": round(max(raw["previous encoder"]), 1),
        "indexing_paragraphs_per_s": round(paragraphs / best["indexing"], 1),
        "previous_indexing_paragraphs_per_s": round(paragraphs / best["previous"], 1),
        "ratio_to_previous_indexing": round(best["previous"] / best["indexing"], 2),
        "ratio_to_encoder_raw": round(paragraphs / best["indexing"] / max(raw["encoder"]), 2),
        "cpu_ms_per_paragraph": round(min(cpu["indexing"]) / paragraphs * 1000, 2),
        "previous_cpu_ms_per_paragraph": round(min(cpu["previous"]) / paragraphs * 1000, 2),
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }
    return out


def bench_index_store(path: Path, rounds: int = 1) -> dict:
    """`SearchIndex.sync` as `unkg index` runs it on a copy of an ingested, never indexed store (`--index-store`: e.g.
    `unkg ingest ../shared/corpus-dev`, 10k real paragraphs), against the same indexing with the tokenizer and start of
    before (the bundled pure-Python tokenizer in the encoder processes, the processes started once 1,500 texts wait),
    alternating, in this process. Rates with the start included (paragraphs / wall) and steady (texts embedded per
    second from the first tenth of the texts to the end, as paragraphs/s through paragraphs per text), the time to the
    first vectors, CPU of the process tree."""
    from unkg.model import printed_text as printed_of

    enc = get_encoder("use-multilingual")
    blocker = tempfile.TemporaryDirectory()
    # the encoder processes are spawned with this process's sys.path: a module first on it that fails to import
    # makes them use the bundled tokenizer (this process keeps the compiled one it has loaded)
    (Path(blocker.name) / "sentencepiece.py").write_text("raise ImportError('the tokenizer of before')\n")
    src = Store(path)
    lengths = np.array([len(printed_of(r[0], r[1], r[2] or "")) for r in src._db.execute("SELECT label, label_sep, text FROM blocks")])
    src.close()
    runs: dict[str, list[dict]] = {"now": [], "before": []}
    with tempfile.TemporaryDirectory() as home:
        for r in range(rounds):
            for mode in (("now", "before") if r % 2 == 0 else ("before", "now")):
                db = Path(home) / f"{mode}-{r}.sqlite"
                shutil.copy(path, db)
                st = Store(db)
                events: list[tuple[float, str, int, int]] = []
                cb = lambda stage, done, total: events.append((time.perf_counter(), stage, done, total))
                if mode == "before":
                    sys.path.insert(0, blocker.name)
                load0 = os.getloadavg()[0]
                c0, t0 = cpu_s(), time.perf_counter()
                try:
                    rep = SearchIndex(st).sync(enc, on_progress=cb, start_early=mode == "now")
                finally:
                    if mode == "before":
                        sys.path.remove(blocker.name)
                wall, cpu = time.perf_counter() - t0, cpu_s() - c0
                st.close()
                emb = [(t, d) for t, stage, d, _ in events if stage == "embeddings"]
                texts = rep.texts_embedded
                a = next(e for e in emb if e[1] >= texts / 10)
                steady = (emb[-1][1] - a[1]) / (emb[-1][0] - a[0]) if emb[-1][0] > a[0] else float("nan")
                per_text = rep.paragraphs_indexed / max(texts, 1)
                runs[mode].append({"paragraphs": rep.paragraphs_indexed, "texts": texts, "wall_s": round(wall, 2),
                                   "paragraphs_per_s": round(rep.paragraphs_indexed / wall, 1),
                                   "steady_texts_per_s": round(steady, 1), "steady_paragraphs_per_s": round(steady * per_text, 1),
                                   "first_vectors_s": round(emb[0][0] - t0, 2), "words_s": round(rep.lexical_s, 2),
                                   "cpu_ms_per_paragraph": round(cpu / rep.paragraphs_indexed * 1000, 2),
                                   "load_average": [round(load0, 2), round(os.getloadavg()[0], 2)]})
                print(json.dumps({"mode": mode, "round": r, **runs[mode][-1]}), flush=True)
    blocker.cleanup()
    best = {m: min(v, key=lambda x: x["wall_s"]) for m, v in runs.items()}
    return {"store": str(path), "paragraph_chars_mean": round(float(lengths.mean()), 1),
            "paragraph_chars_p50_p90_p99": [int(x) for x in np.percentile(lengths, [50, 90, 99])],
            "encoder": enc.name, "runs": runs, "best": best,
            "ratio_wall_before_to_now": round(best["before"]["wall_s"] / best["now"]["wall_s"], 2),
            "ratio_steady_now_to_before": round(best["now"]["steady_texts_per_s"] / best["before"]["steady_texts_per_s"], 2)}


def build_store(home: Path, n: int, sents: list[str], dim: int, model: str, rng: np.random.Generator) -> Store:
    """n paragraphs of real sentences (with a serial so texts differ), synthetic unit vectors stored for them."""
    store = Store(home / "unkg.sqlite")
    per_doc = 1000
    langs = ["en", "zh", "fr", "es", "ru"]
    for k in range(0, n, per_doc):
        blocks = []
        for i in range(min(per_doc, n - k)):
            t = f"{sents[(k + i) % len(sents)]} ({k + i})"
            blocks.append(Block(id=f"D{k}#{i}", ord=i, kind=random.choice(["text", "operative", "preambular"]), label=f"{i + 1}.", text=t, language=langs[(k + i) % 5]))
        store.put_document(Document(id=f"D{k}", source=f"D{k}", sha256=hashlib.sha256(str(k).encode()).hexdigest(), format="text",
                                    symbol=f"ICCD/COP({k // per_doc % 17})/{k // per_doc}", language="en", blocks=blocks))
    # synthetic vectors, written where the indexer would write them
    rows = [(printed_text(r[0], r[1], r[2]),) for r in store._db.execute("SELECT label, label_sep, text FROM blocks")]
    # clustered like real paragraph embeddings (see synthetic_vectors): HNSW, used above UNKG_EXACT_LIMIT, is
    # measured on the kind of neighbourhoods it meets in a real store
    vecs = synthetic_vectors(len(rows), dim, clustered=True)
    with store.transaction() as db:
        for i in range(0, len(rows), 10000):
            chunk = rows[i : i + 10000]
            v = vecs[i : i + len(chunk)]
            db.executemany("INSERT OR REPLACE INTO search_embeddings(model, text_hash, dim, vec) VALUES (?, ?, ?, ?)",
                           [(model, text_hash(r[0]), dim, v[j].tobytes()) for j, r in enumerate(chunk)])
    return store


def bench_hybrid(n: int, sents: list[str], queries: list[str], nq: int, keep: Optional[dict] = None,
                 work: Optional[Path] = None) -> dict:
    """Hybrid latency at n paragraphs. `work`: build the store in work/hybrid-<n> and reuse it when a previous run
    finished it there; its HNSW graph and BM25 matrix are saved beside it (search-cache) when first built and reused
    too (the HNSW graph of 200k vectors takes 15 min to hours on this shared machine)."""
    enc = get_encoder("use-multilingual")
    rng = np.random.default_rng(0)
    if work is not None:
        folder = work / f"hybrid-{n}"
        folder.mkdir(parents=True, exist_ok=True)
        tmp = contextlib.nullcontext(str(folder))
    else:
        tmp = tempfile.TemporaryDirectory()
    with tmp as home:
        home = Path(home)
        done = home / "built.json"  # written once the store and its lexical index are complete
        reused = done.exists() and json.loads(done.read_text()).get("sentences") == len(sents)
        if work is not None and not reused:
            for f in list(home.iterdir()):
                shutil.rmtree(f) if f.is_dir() else f.unlink()
        build_s = lex_s = None
        if reused:
            store = Store(home / "unkg.sqlite")
            s = Searcher(store, encoder=enc)
            rep = None
        else:
            s0 = Store(home / "unkg.sqlite")
            Searcher(s0, encoder=enc, auto_index=False)  # creates the search tables
            s0.close()
            t0 = time.perf_counter()
            store = build_store(home, n, sents, enc.dim, enc.name, rng)
            build_s = time.perf_counter() - t0
            s = Searcher(store, encoder=enc)
            t0 = time.perf_counter()
            rep = s.index.sync_lexical()
            lex_s = time.perf_counter() - t0
            if work is not None:  # the store and its lexical index are complete (an interrupted HNSW build is redone on load)
                done.write_text(json.dumps({"paragraphs": n, "sentences": len(sents), "store_build_s": round(build_s, 1),
                                            "lexical_index_paragraphs_per_s": round(rep.paragraphs_indexed / lex_s, 1)}))
        assert s.index.missing_embeddings(enc.name) == 0
        rss0 = rss_mb()
        t0 = time.perf_counter()
        vi = s.vector_index()
        load_s = time.perf_counter() - t0
        s._checked_at = time.monotonic() + 1e9  # measured queries: no index check
        lat = {"hybrid": [], "dense": [], "lexical": [], "hybrid_rrf_previous": [], "hybrid_exhaustive": []}
        cpu = {"hybrid": [], "hybrid_rrf_previous": [], "hybrid_exhaustive": []}  # process CPU time: the machine is shared
        for mode in ("dense", "lexical"):
            for q in queries[:nq]:
                t0 = time.perf_counter()
                s.search(q, top_k=10, mode=mode)
                lat[mode].append(time.perf_counter() - t0)
        # the fused ranking, the same reading every candidate's evidence (Searcher.prune_ranking off: the ranking before
        # its bounds) and the rank fusion it replaced, in the same process, for the ratios (same candidates and hits):
        # query by query, each first on every third query, so that none gets the caches (rows, phrases, translations,
        # decision headings, the page cache) the others warmed more often
        previous = lambda pq, ql, dense, qv, filters, k, depth, wt: s._fuse_one(pq, ql, dense, filters, k, depth, "hybrid", wt)
        modes = ("hybrid", "hybrid_rrf_previous", "hybrid_exhaustive")
        for i, q in enumerate(queries[:nq]):
            for mode in modes[i % 3:] + modes[: i % 3]:
                if mode == "hybrid_rrf_previous":
                    s._rank_hybrid = previous
                s.prune_ranking = mode != "hybrid_exhaustive"
                c0, t0 = time.process_time(), time.perf_counter()
                s.search(q, top_k=10, mode="hybrid")
                lat[mode].append(time.perf_counter() - t0)
                cpu[mode].append(time.process_time() - c0)
                s.__dict__.pop("_rank_hybrid", None)
                s.__dict__.pop("prune_ranking", None)
        enc_lat = []
        for q in queries[:nq]:
            t0 = time.perf_counter()
            enc.encode([q])
            enc_lat.append(time.perf_counter() - t0)
        recall = dense_recall(vi, depth=100) if vi.mode == "ann" else None
        lm = s.lexical_matrix()
        db_bytes = sum(f.stat().st_size for f in home.iterdir() if f.is_file())
        if keep is not None:  # what the 1M composite needs from the largest store: its words and its hit rows
            keep.update(matrix=lm or LexicalMatrix.build(s.index.tables.fts_rows), rows=_hit_rows(s, queries[:nq]))
        out = {
            "paragraphs": n, "mode": vi.mode,
            "store_build_s": round(build_s, 1) if build_s is not None else None,
            "lexical_index_paragraphs_per_s": round(rep.paragraphs_indexed / lex_s, 1) if rep is not None else None,
            "store_reused": reused, "vector_load_s": round(load_s, 2),
            "query_encode_ms_p50": round(pct(enc_lat, 50), 2),
            "vectors_ram_mb": round(vi.memory_bytes() / 2**20, 1), "rss_growth_on_load_mb": round(rss_mb() - rss0, 1),
            "bm25_matrix_mb": round((lm.cols.nbytes + lm.weights.nbytes) / 2**20, 1) if lm else 0,
            "store_mb": round(db_bytes / 2**20, 1),
        }
        if recall is not None:
            out["dense_ann_recall_at_10"] = recall
        for mode, xs in lat.items():
            out[f"{mode}_ms_p50"] = round(pct(xs, 50), 2)
            out[f"{mode}_ms_p95"] = round(pct(xs, 95), 2)
        for mode, xs in cpu.items():
            out[f"{mode}_cpu_ms_p50"] = round(pct(xs, 50), 2)
            out[f"{mode}_cpu_ms_p95"] = round(pct(xs, 95), 2)
        out["load_average"] = [round(x, 1) for x in os.getloadavg()]
        if keep is not None and work is not None:  # the composite reads hits from this store, which stays where it is
            keep["rows"][0] = s
        elif keep is not None:  # the composite reads hits from this store: keep it until the caller is done
            tmp = tempfile.TemporaryDirectory()
            kept = Path(tmp.name)
            store.close()
            for f in home.iterdir():
                if f.is_file():
                    os.replace(f, kept / f.name)
            keep["rows"][0] = Searcher(Store(kept / "unkg.sqlite"), encoder=enc, auto_index=False)
            keep["tmp"] = tmp
        else:
            store.close()
    return out


def dense_recall(vi: VectorIndex, depth: int, nq: int = 50) -> float:
    """Recall@10 of the dense list the search takes (the first 10 of `depth` from HNSW) against exact search,
    for queries near stored paragraphs (a stored vector plus noise: a query has neighbours, as real ones do)."""
    rng = np.random.default_rng(3)
    mat = np.asarray(vi._vecs16, dtype=np.float32)
    q = mat[rng.integers(0, vi.n, nq)] + rng.standard_normal((nq, vi.dim)).astype(np.float32) * 0.03
    q /= np.linalg.norm(q, axis=1, keepdims=True)
    hits = 0
    for (got, _), row in zip(vi.search(q, depth), q):
        exact = vi.ids[np.argsort(-(mat @ row))[:10]]
        hits += len(set(exact.tolist()) & set(got[:10].tolist()))
    return round(hits / (10 * nq), 3)


def synthetic_vectors(n: int, dim: int, clustered: bool = True) -> np.ndarray:
    """n unit vectors. Clustered (default): n/50 random centres, each vector a centre plus noise (cosine ~0.74 to
    it), the way real paragraph embeddings gather by topic. Uniform random vectors are the worst case for
    HNSW (no neighbourhood to navigate): at 200k its recall@1 of a planted vector is 0.83 there against 1.00
    on clustered ones (same index settings, /tmp experiment of 2026-11-22 recorded in the README)."""
    rng = np.random.default_rng(1)
    centres = rng.standard_normal((max(1, n // 50), dim)).astype(np.float32) if clustered else None
    if centres is not None:
        centres /= np.linalg.norm(centres, axis=1, keepdims=True)
    vecs = np.empty((n, dim), dtype=np.float16)
    for i in range(0, n, 100_000):
        m = min(100_000, n - i)
        if centres is None:
            v = rng.standard_normal((m, dim)).astype(np.float32)
        else:
            v = centres[rng.integers(0, len(centres), m)] + rng.standard_normal((m, dim)).astype(np.float32) * 0.04
        v /= np.linalg.norm(v, axis=1, keepdims=True)
        vecs[i : i + m] = v
    return vecs


def _hit_rows(s: Searcher, queries: list[str]) -> list:
    """The store rows of real hits (with their searcher), for hit building in the 1M composite."""
    rowids = sorted({r for q in queries for r, *_ in s._fts(fts_or(parse_query(q).words), Filters(), 20)})
    return [s, rowids]


def replicate(m: LexicalMatrix, times: int) -> LexicalMatrix:
    """The matrix of `times` copies of a corpus (new rowids): same words, same idf, postings `times` as long."""
    n = m.n
    lens = np.diff(m.indptr)
    indptr = np.zeros_like(m.indptr)
    np.cumsum(lens * times, out=indptr[1:])
    cols = np.empty(len(m.cols) * times, dtype=np.int64 if n * times > 2**31 else np.int32)
    weights = np.empty(len(m.weights) * times, dtype=np.float32)
    for t in range(len(lens)):
        a, b = m.indptr[t], m.indptr[t + 1]
        c, w = m.cols[a:b].astype(cols.dtype), m.weights[a:b]
        o = indptr[t]
        for k in range(times):
            cols[o + k * len(c) : o + (k + 1) * len(c)] = c + k * n
            weights[o + k * len(c) : o + (k + 1) * len(c)] = w
    rowids = np.arange(n * times, dtype=np.int64)
    return LexicalMatrix(m.vocab, indptr, cols, weights, rowids)


def bench_hybrid_composite(n: int, queries: list[str], keep: dict) -> dict:
    """Hybrid at n paragraphs, end to end per query: encode the query, HNSW over n synthetic vectors, BM25
    over the largest store's words replicated to n, reciprocal-rank fusion, then ten hits built with citation,
    translations and graph context from that store's rows. No store of n paragraphs is built (the FTS5
    index of 1M paragraphs takes ~10 min here), so the figure is the sum of the real per-query work."""
    enc = get_encoder("use-multilingual")
    s, rowids = keep["rows"]
    base = keep["matrix"]
    t0 = time.perf_counter()
    big = replicate(base, max(1, round(n / base.n)))
    replicate_s = time.perf_counter() - t0
    vi = keep["vi"]
    lat, parts = [], {"encode": [], "dense": [], "lexical": [], "fuse": [], "hits": []}
    for q in queries:
        t0 = time.perf_counter()
        qv = enc.encode([normalise(q)])
        t1 = time.perf_counter()
        (ids, _), = vi.search(qv, 100)
        t2 = time.perf_counter()
        terms = terms_of_match(fts_or(parse_query(q).words)) or []
        lex = big.search(terms, 100)
        t3 = time.perf_counter()
        fused: dict[int, float] = {}
        for rank, r in enumerate(ids.tolist(), 1):
            fused[r] = fused.get(r, 0.0) + 1.0 / (RRF_K + rank)
        for rank, (r, _) in enumerate(lex, 1):
            fused[r] = fused.get(r, 0.0) + 1.0 / (RRF_K + rank)
        top = sorted(fused, key=fused.get, reverse=True)[:10]
        t4 = time.perf_counter()
        rows = s._rows([rowids[r % len(rowids)] for r in top])
        for row in rows.values():
            h = s._hit(row, 0.0)
            h.translations = s.translations(row)  # _hit built the citation and graph context
        t5 = time.perf_counter()
        lat.append(t5 - t0)
        for k, dt in zip(parts, (t1 - t0, t2 - t1, t3 - t2, t4 - t3, t5 - t4)):
            parts[k].append(dt)
    out = {"paragraphs": big.n, "replicated_from": base.n, "vectors": vi.n, "replicate_s": round(replicate_s, 1),
           "bm25_matrix_mb": round((big.cols.nbytes + big.weights.nbytes) / 2**20, 1),
           "hybrid_ms_p50": round(pct(lat, 50), 2), "hybrid_ms_p95": round(pct(lat, 95), 2)}
    for k, xs in parts.items():
        out[f"{k}_ms_p50"] = round(pct(xs, 50), 2)
    return out


def bench_ann(n: int, dim: int, nq: int, tmp: Path, keep: Optional[dict] = None, clustered: bool = True) -> dict:
    """Dense ANN at n synthetic vectors; the HNSW file is reused from `tmp` when a previous run left it there."""
    rng = np.random.default_rng(2)
    vecs = synthetic_vectors(n, dim, clustered)
    ids = np.arange(n, dtype=np.int64)
    name = f"ann-{n}{'-clustered' if clustered else '-uniform'}.usearch"
    cached = (tmp / name).exists()
    t0 = time.perf_counter()
    vi = VectorIndex(ids, vecs, ann_path=tmp / name)  # exact or HNSW as a store of n paragraphs would be
    build = time.perf_counter() - t0
    planted = rng.integers(0, n, nq)
    q = vecs[planted].astype(np.float32) + rng.standard_normal((nq, dim)).astype(np.float32) * 0.01
    q /= np.linalg.norm(q, axis=1, keepdims=True)
    lat = []
    hits = 0
    found = 0
    for i in range(nq):
        t0 = time.perf_counter()
        (got, _), = vi.search(q[i], 10)
        lat.append(time.perf_counter() - t0)
        found += len(got) > 0 and int(got[0]) == int(planted[i])
    # recall@10 against exact search on a few queries
    m = min(nq, 20)
    exact_lat = []
    for i in range(m):
        t0 = time.perf_counter()
        s = vecs @ q[i].astype(np.float16)
        top = np.argpartition(-s.astype(np.float32), 10)[:10]
        exact_lat.append(time.perf_counter() - t0)
        (got, _), = vi.search(q[i], 10)
        hits += len(set(top.tolist()) & set(got.tolist()))
    t0 = time.perf_counter()
    VectorIndex(ids, vecs, ann_path=tmp / name)
    reload = time.perf_counter() - t0
    if keep is not None:
        keep["vi"] = vi
    return {
        "vectors": n, "dim": dim, "vectors_kind": "clustered" if clustered else "uniform", "mode": vi.mode, "ann_build_s": None if cached else round(build, 1),
        "ann_reload_s": round(reload, 2), "ann_from_cache": cached,
        "ann_ms_p50": round(pct(lat, 50), 3), "ann_ms_p95": round(pct(lat, 95), 3),
        # each query is a stored vector plus noise: is that vector the first hit? (recall@10 against exact
        # search means little on random vectors, whose 2nd..10th neighbours are all nearly as far)
        "ann_recall_at_1_planted": round(found / nq, 3),
        "ann_recall_at_10": round(hits / (10 * m), 3),
        "exact_f16_numpy_ms_p50": round(pct(exact_lat, 50), 1),
        "ann_index_mb": round(vi.memory_bytes() / 2**20, 1),
        "ann_file_mb": round((tmp / name).stat().st_size / 2**20, 1) if (tmp / name).exists() else 0,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="fewer queries and paragraphs for the throughput figure")
    ap.add_argument("--sizes", default="10000,100000", help="store sizes for the hybrid latency")
    ap.add_argument("--ann-size", type=int, default=1_000_000)
    ap.add_argument("--index-paragraphs", type=int, default=0, help="real paragraphs for the indexing figure (default 2,000 quick, 4,000)")
    ap.add_argument("--index-rounds", type=int, default=1, help="indexing runs of each kind, alternating (the best is kept)")
    ap.add_argument("--index-only", action="store_true", help="only the indexing figure")
    ap.add_argument("--index-store", default=None, help="an ingested, never indexed store: `unkg index` on a copy of it, "
                    "now against the tokenizer and start of before (alternating, --index-rounds each); nothing else runs")
    ap.add_argument("--out", default=None, help="also write the JSON here")
    ap.add_argument("--uniform-vectors", action="store_true", help="uniform random vectors for the ANN (HNSW's worst case) instead of clustered ones")
    ap.add_argument("--work", default=None, help="build the hybrid stores here and reuse them on the next run (the HNSW build at 200k takes long)")
    ap.add_argument("--cache", default=None, help="keep the HNSW file of the synthetic vectors here and reuse it (its build takes long)")
    a = ap.parse_args()
    nq = 50 if a.quick else 300
    sents = sentences()
    random.seed(0)
    queries = random.sample(sents, min(len(sents), nq))
    report: dict = {"quick": a.quick, "cpus": os.cpu_count()}
    if a.index_store:
        report["index_store"] = bench_index_store(Path(a.index_store), a.index_rounds)
        print(json.dumps(report, indent=1))
        if a.out:
            Path(a.out).write_text(json.dumps(report, indent=1))
        return
    report["indexing"] = bench_encoder_and_indexing(a.index_paragraphs or (2000 if a.quick else 4000), a.index_rounds)
    print(json.dumps(report["indexing"]), flush=True)
    if a.index_only:
        if a.out:
            Path(a.out).write_text(json.dumps(report, indent=1))
        return
    report["hybrid"] = []
    sizes = [int(x) for x in a.sizes.split(",") if x]
    keep: dict = {}
    for n in sizes:
        r = bench_hybrid(n, sents, queries, nq, keep=keep if n == max(sizes) else None,
                         work=Path(a.work) if a.work else None)
        print(json.dumps(r), flush=True)
        report["hybrid"].append(r)
    cache = Path(a.cache) if a.cache else None
    with tempfile.TemporaryDirectory() as tmp:
        where = cache or Path(tmp)
        where.mkdir(parents=True, exist_ok=True)
        r = bench_ann(a.ann_size, 512, nq, where, keep=keep, clustered=not a.uniform_vectors)
        print(json.dumps(r), flush=True)
        report["ann"] = r
        if keep.get("matrix") is not None and a.ann_size > max(sizes):
            r = bench_hybrid_composite(a.ann_size, queries[:nq], keep)
            print(json.dumps(r), flush=True)
            report["hybrid_composite"] = r
        keep.clear()
    h100 = next((r for r in report["hybrid"] if r["paragraphs"] == 100_000), None)
    if h100:
        report["memory_per_100k"] = {"vectors_ram_mb_exact_f32": h100["vectors_ram_mb"], "store_mb": h100["store_mb"],
                                     "ann_index_mb": round(report["ann"]["ann_index_mb"] * 100_000 / a.ann_size, 1)}
    print(json.dumps(report, indent=1))
    if a.out:
        Path(a.out).write_text(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
