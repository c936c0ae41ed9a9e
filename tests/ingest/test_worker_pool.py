"""The parse workers' pool: files go out while the workers load; a file's time limit counts from its worker's start."""

from __future__ import annotations

import sys

import pytest

from unkg.ingest.options import ReadOptions
from unkg.ingest.worker import WorkerPool, _start_method
from unkg.settings import Settings

from .slow_warm_up import SlowWarmUp


def _files(tmp_path) -> list[str]:
    files = []
    for name, text in (("en.txt", "ICCD/COP(16)/77\n\n1. Requests the secretariat to report at its seventeenth session.\n"),
                       ("zh.txt", "ICCD/COP(16)/77\n\n1. 请秘书处向第十七届会议报告。\n")):
        (tmp_path / name).write_text(text, encoding="utf-8")
        files.append(str(tmp_path / name))
    return files


@pytest.mark.parametrize("start_method", ["fork", "spawn"])
def test_a_worker_slower_to_load_than_the_time_limit_still_parses_its_files(tmp_path, start_method):
    files = _files(tmp_path)
    # loading takes 3 s, a file may take 2: the files are sent at once, and their clock starts when the worker is ready
    task = SlowWarmUp(ReadOptions.from_settings(Settings()), seconds=3.0)
    with WorkerPool(task, workers=1, timeout_s=2.0, start_method=start_method) as pool:
        results = {r.path: r for r in pool.map(files)}
    assert set(results) == set(files)
    for path, r in results.items():
        assert r.ok, (path, r.code, r.reason)
        assert any("秘书处" in b.text or "secretariat" in b.text for b in r.value.blocks), path


def test_a_worker_that_never_loads_is_replaced_and_its_file_reported(tmp_path):
    files = _files(tmp_path)[:1]
    task = SlowWarmUp(ReadOptions.from_settings(Settings()), seconds=30.0)
    # spawned: a forked worker's parent loads the task first (the warm-up is trusted code on a fixed text)
    with WorkerPool(task, workers=1, timeout_s=2.0, load_timeout_s=1.0, start_method="spawn") as pool:
        results = list(pool.map(files))
    assert [(r.path, r.code) for r in results] == [(files[0], "timeout")]
    assert "did not load within 1 s" in (results[0].reason or "")


def test_workers_are_forked_only_from_a_single_threaded_small_process_without_torch():
    import threading

    alone = sys.platform == "linux" and sys.modules.get("torch") is None and threading.active_count() == 1
    assert _start_method(memory_mb=1 << 20) == ("fork" if alone else "spawn")
    assert _start_method(memory_mb=1) == "spawn"  # the parent's address space would count against the child's cap
    stop = threading.Event()
    t = threading.Thread(target=stop.wait)
    t.start()
    try:
        assert _start_method(memory_mb=1 << 20) == "spawn"
    finally:
        stop.set()
        t.join()


FORKED = """
import json, os, sys
sys.path.insert(0, {repo!r})
from unkg.extract.task import ParseAndAnnotate
from unkg.ingest.worker import WorkerPool
pool = WorkerPool(ParseAndAnnotate(), workers=2, start_method="fork")
with pool:
    results = list(pool.map({files!r}))
print(json.dumps({{"ok": sorted(r.path for r in results if r.ok), "spacy_here": "spacy" in sys.modules,
                  "torch_held_back": "torch" in sys.modules and sys.modules["torch"] is None,
                  "cli_stub": getattr(sys.modules.get("spacy.cli"), "__file__", "stub") == "stub" if "spacy.cli" in sys.modules else False,
                  "threads": len(os.listdir("/proc/self/task")), "blas_env": os.environ.get("OPENBLAS_NUM_THREADS")}}))
"""


@pytest.mark.skipif(sys.platform != "linux", reason="workers are forked on Linux only")
def test_forked_workers_start_loaded_and_the_parent_keeps_its_imports(tmp_path):
    """The parent loads the task once before forking (two workers loading side by side are slower than one); what
    a worker keeps out (torch, spaCy's command line) is let back into the parent, which stays single-threaded."""
    import json
    import os
    import subprocess
    from pathlib import Path

    files = _files(tmp_path)
    repo = str(Path(__file__).resolve().parents[2])
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    out = subprocess.run([sys.executable, "-c", FORKED.format(repo=repo, files=files)], capture_output=True, text=True,
                         timeout=300, cwd=repo, env=env)
    assert out.returncode == 0, out.stderr[-2000:]
    got = json.loads(out.stdout.strip().splitlines()[-1])
    assert got == {"ok": sorted(files), "spacy_here": True, "torch_held_back": False, "cli_stub": False, "threads": 1,
                   "blas_env": None}, got
