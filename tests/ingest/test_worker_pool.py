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
        assert any("秘书处" in b.text or "secretariat" in b.text for b in r.document.blocks), path


def test_a_worker_that_never_loads_is_replaced_and_its_file_reported(tmp_path):
    files = _files(tmp_path)[:1]
    task = SlowWarmUp(ReadOptions.from_settings(Settings()), seconds=30.0)
    with WorkerPool(task, workers=1, timeout_s=2.0, load_timeout_s=1.0) as pool:
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
