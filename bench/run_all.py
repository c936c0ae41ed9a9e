"""Run every benchmark in bench/ one after another and print their reports, then a summary.

Usage: python bench/run_all.py [--quick]

--quick picks each benchmark's short mode (a few minutes in all on 2 cores).
Benchmarks are on demand; CI does not run them.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent

PLAN = [
    ("ingest (PDF engines vs bare pdfplumber)", ["bench_ingest.py"], ["--quick"]),
    ("extraction", ["bench_extract.py"], ["--rounds", "1"]),
    ("parallel ingest (1 vs 2 workers), store size", ["bench_parallel.py"], ["--quick"]),
    ("search latency, indexing, memory", ["bench_search.py"], ["--quick", "--sizes", "10000", "--ann-size", "200000"]),
    ("graph build and Bolt sync", ["bench_graph.py"], ["--sizes", "10000", "--baseline-seconds", "10"]),
]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true")
    a = ap.parse_args()
    summary = []
    for title, script, quick_args in PLAN:
        args = [sys.executable, str(BENCH / script[0]), *(quick_args if a.quick else [])]
        print(f"\n=== {title}: {' '.join(Path(x).name if i == 1 else x for i, x in enumerate(args[1:], 1))}", flush=True)
        t0 = time.perf_counter()
        rc = subprocess.call(args, cwd=str(BENCH.parent))
        summary.append((title, rc, time.perf_counter() - t0))
    print("\n=== summary")
    print(f"{'benchmark':<48} {'exit':>4} {'seconds':>8}")
    for title, rc, secs in summary:
        print(f"{title:<48} {rc:>4} {secs:>8.1f}")
    return 0 if all(rc == 0 for _, rc, _ in summary) else 1


if __name__ == "__main__":
    raise SystemExit(main())
