"""Lexical indexing benchmarks, each A/B in one process.

    python bench/bench_lexical_index.py [--paragraphs 20000]     # FTS rows: the language ingest stored vs detecting again
    python bench/bench_lexical_index.py --matrix 1000000         # BM25 matrix build at 1M paragraphs: peak RSS and time

The corpus is the real base documents of bench_scale (seeds, UN resolutions, PRAIS4), copied under new ids.

`--matrix N`: the FTS rows of the base documents (indexed once) are read again and again under new rowids until N
paragraphs, streamed (never held), into `LexicalMatrix.build` and into the build it replaced (per-paragraph arrays,
concatenated, one global argsort; kept below as the baseline), each build in a fresh process whose peak RSS
(VmHWM) is reported with what it held before the build (the interpreter, numpy, the base rows).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_scale import copies, parse_base, peak_mb, rss_mb  # noqa: E402

from unkg.corpus.store import Store  # noqa: E402
from unkg.search import index_store, text  # noqa: E402
from unkg.search.index_store import SearchIndex  # noqa: E402
from unkg.search.lexical_matrix import B, EXTRA_WEIGHT, K1, LexicalMatrix, tokens  # noqa: E402


def index_once(store: Store) -> float:
    db = store._db
    with store.transaction():
        for t in ("search_docs", "search_blocks", "search_fts"):
            db.execute(f"DELETE FROM {t}")
    t0 = time.perf_counter()
    SearchIndex(store).sync_lexical()
    return time.perf_counter() - t0


def language_ab(paragraphs: int) -> None:
    docs, _ = parse_base(1)
    with tempfile.TemporaryDirectory() as home:
        store = Store(Path(home) / "unkg.sqlite")
        for d in copies(docs, paragraphs):
            store.put_document(d)
        SearchIndex(store)
        detect_again = lambda t, stored=None: text.content_language(t)  # noqa: E731 - the behaviour before
        stored_first = text.content_language
        res = {}
        for name, fn in (("detect again", detect_again), ("stored language", stored_first),
                         ("detect again ", detect_again), ("stored language ", stored_first)):
            index_store.content_language = fn
            res.setdefault(name.strip(), []).append(index_once(store))
        index_store.content_language = stored_first
        langs = dict(store._db.execute("SELECT lang, count(*) FROM search_blocks GROUP BY lang").fetchall())
        store.close()
    base, new = min(res["detect again"]), min(res["stored language"])
    print(f"{paragraphs:,} paragraphs: detect again {paragraphs / base:,.0f} paragraphs/s, "
          f"stored language {paragraphs / new:,.0f} paragraphs/s, ratio {base / new:.2f}x; languages {langs}")


# -- the BM25 matrix build ------------------------------------------------------------------------------------


def build_previous(rows) -> LexicalMatrix:
    """The build before 2026-12-05 (baseline only): per-paragraph arrays, concatenated, one global argsort."""
    vocab: dict[str, int] = {}
    term_ids, tfs, lengths, rowids = [], [], [], []
    for rowid, body, extra in rows:
        bt, et = tokens(body), tokens(extra)
        tf: dict[str, float] = dict(Counter(bt))
        for t, k in Counter(et).items():
            tf[t] = tf.get(t, 0.0) + EXTRA_WEIGHT * k
        term_ids.append(np.fromiter((vocab.setdefault(t, len(vocab)) for t in tf), dtype=np.int32, count=len(tf)))
        tfs.append(np.fromiter(tf.values(), dtype=np.float32, count=len(tf)))
        lengths.append(len(bt) + len(et))
        rowids.append(rowid)
    n = len(rowids)
    counts = np.fromiter((len(x) for x in term_ids), dtype=np.int64, count=n)
    t_all, tf_all = np.concatenate(term_ids), np.concatenate(tfs)
    del term_ids, tfs
    col_all = np.repeat(np.arange(n, dtype=np.int32), counts)
    dl = np.asarray(lengths, dtype=np.float32)
    df = np.bincount(t_all, minlength=len(vocab)).astype(np.float64)
    idf = np.log((n - df + 0.5) / (df + 0.5) + 1.0).astype(np.float32)
    norm = (K1 * (1.0 - B + B * dl / (float(dl.mean()) or 1.0))).astype(np.float32)
    w = idf[t_all] * tf_all * (K1 + 1.0) / (tf_all + norm[col_all])
    order = np.argsort(t_all, kind="stable")
    indptr = np.zeros(len(vocab) + 1, dtype=np.int64)
    np.cumsum(np.bincount(t_all, minlength=len(vocab)), out=indptr[1:])
    return LexicalMatrix(vocab, indptr, col_all[order], w[order].astype(np.float32), np.asarray(rowids, dtype=np.int64))


def matrix_build(n: int, skip_previous: bool) -> dict:
    """Each build in a fresh process (peak RSS is the process's own high-water mark), from the base rows saved here."""
    docs, _ = parse_base(1)
    with tempfile.TemporaryDirectory() as home:
        store = Store(Path(home) / "unkg.sqlite")
        for d in docs:
            store.put_document(d)
        SearchIndex(store).sync(None)
        base = [list(r) for r in store._db.execute("SELECT rowid, body, extra FROM search_fts ORDER BY rowid")]
        store.close()
        rows_file = Path(home) / "rows.json"
        rows_file.write_text(json.dumps(base))
        out: dict = {"paragraphs": n, "base_paragraphs": len(base)}
        for name in ("build", "previous_build"):
            if name == "previous_build" and skip_previous:
                continue
            res = subprocess.run([sys.executable, __file__, "--matrix-child", str(rows_file), str(n), name],
                                 capture_output=True, text=True, check=True)
            out.update(json.loads(res.stdout.strip().splitlines()[-1]))
    if not skip_previous:
        out["peak_ratio_previous_to_new"] = round(out["previous_build_peak_rss_mb"] / out["build_peak_rss_mb"], 2)
    out["load_average"] = [round(x, 2) for x in os.getloadavg()]
    return out


def matrix_child(rows_file: str, n: int, name: str) -> None:
    base = json.loads(Path(rows_file).read_text())

    def rows():  # n paragraphs: the base rows again and again under new rowids, streamed (never held)
        for i in range(n):
            r = base[i % len(base)]
            yield (i + 1, r[1], r[2])

    before = rss_mb()
    t0 = time.perf_counter()
    m = LexicalMatrix.build(rows) if name == "build" else build_previous(rows())
    secs = time.perf_counter() - t0
    print(json.dumps({f"{name}_s": round(secs, 1), f"{name}_peak_rss_mb": round(peak_mb(), 1),
                      f"{name}_rss_before_mb": round(before, 1), "postings": int(len(m.cols)),
                      f"{name}_matrix_mb": round((m.cols.nbytes + m.weights.nbytes + m.indptr.nbytes + m.rowids.nbytes) / 2**20, 1)}))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--paragraphs", type=int, default=20000)
    ap.add_argument("--matrix", type=int, default=0, help="the BM25 matrix build at this many paragraphs instead")
    ap.add_argument("--no-previous", action="store_true", help="with --matrix: only the current build")
    ap.add_argument("--out", default=None, help="with --matrix: also write the JSON here")
    ap.add_argument("--matrix-child", nargs=3, metavar=("ROWS", "N", "BUILD"), help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.matrix_child:
        matrix_child(a.matrix_child[0], int(a.matrix_child[1]), a.matrix_child[2])
        return 0
    if not a.matrix:
        language_ab(a.paragraphs)
        return 0
    res = matrix_build(a.matrix, a.no_previous)
    try:
        res["commit"] = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                                       cwd=Path(__file__).parent).stdout.strip()
    except OSError:
        pass
    res["date"] = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    print(json.dumps(res))
    if a.out:
        Path(a.out).write_text(json.dumps(res, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
