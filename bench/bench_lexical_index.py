"""Lexical indexing (FTS5 rows, content language) A/B in one process: the language ingest stored vs detecting again.

    python bench/bench_lexical_index.py [--paragraphs 20000]

The corpus is the real base documents of bench_scale (seeds, UN resolutions, PRAIS4), copied under new ids.
Both runs index the same store from scratch; the ratio is what the stored language saves.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_scale import copies, parse_base  # noqa: E402

from unkg.corpus.store import Store  # noqa: E402
from unkg.search import index_store, text  # noqa: E402
from unkg.search.index_store import SearchIndex  # noqa: E402


def index_once(store: Store) -> float:
    db = store._db
    with store.transaction():
        for t in ("search_docs", "search_blocks", "search_fts"):
            db.execute(f"DELETE FROM {t}")
    t0 = time.perf_counter()
    SearchIndex(store).sync_lexical()
    return time.perf_counter() - t0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--paragraphs", type=int, default=20000)
    a = ap.parse_args()
    docs, _ = parse_base(1)
    with tempfile.TemporaryDirectory() as home:
        store = Store(Path(home) / "unkg.sqlite")
        for d in copies(docs, a.paragraphs):
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
    print(f"{a.paragraphs:,} paragraphs: detect again {a.paragraphs / base:,.0f} paragraphs/s, "
          f"stored language {a.paragraphs / new:,.0f} paragraphs/s, ratio {base / new:.2f}x; languages {langs}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
