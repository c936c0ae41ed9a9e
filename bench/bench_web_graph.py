#!/usr/bin/env python3
"""The web page's graph requests on a large store (on demand, not in CI).

    python bench/bench_web_graph.py --home /tmp/unkg-bench-graph-store/home-1000000

Asks what the graph explorer asks (`unkg.web.data.WebData`: starting points, node search in English and Chinese,
a neighbourhood, a path), each twice in one process: the first read (pages not yet cached) and again. The store
is one `bench/bench_graph_store.py` wrote (its `--work` folder keeps it). Prints milliseconds and the process's
peak RSS; no encoder is loaded (initiative names are not re-merged).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--home", required=True, help="a folder holding unkg.sqlite with its graph tables")
    ap.add_argument("--node", default="initiative:changwon-initiative")
    ap.add_argument("--to", default="actor:korea-forest-service")
    a = ap.parse_args()
    home = Path(a.home)
    if not (home / "unkg.sqlite").exists():
        raise SystemExit(f"no store at {home / 'unkg.sqlite'}: write one with bench/bench_graph_store.py --work")
    os.environ["UNKG_HOME"] = str(home)
    from unkg.corpus.store import Store
    from unkg.settings import Settings
    from unkg.web.data import WebData

    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    print(f"{dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC; commit {commit}; load average {os.getloadavg()[0]:.2f}")
    data = WebData(Settings.from_env(), store=Store(home / "unkg.sqlite"))
    data._name_encoder = lambda: None  # type: ignore[method-assign]
    t = time.perf_counter()
    data.graph()
    print(f"graph tables checked fresh: {1000 * (time.perf_counter() - t):.1f} ms")
    asks = [("starting points", lambda: data.graph_starts(50)),
            ("find 'changwon'", lambda: data.graph_nodes("changwon", None, 20)),
            ("find '倡议' (Initiative)", lambda: data.graph_nodes("倡议", "Initiative", 20)),
            ("neighbourhood", lambda: data.graph_neighbourhood(a.node)),
            ("path", lambda: data.graph_path(a.to, a.node, 12))]
    for name, ask in asks:
        times = []
        for _ in range(2):
            t = time.perf_counter()
            ask()
            times.append(1000 * (time.perf_counter() - t))
        print(f"{name:26s} first {times[0]:8.1f} ms   again {times[1]:8.1f} ms")
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB; load average {os.getloadavg()[0]:.2f}")
    data.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
