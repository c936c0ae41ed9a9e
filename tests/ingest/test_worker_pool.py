"""The parse workers' pool: a worker still loading when the pool stops waiting for it must not break the batch."""

from __future__ import annotations

from unkg.ingest.options import ReadOptions
from unkg.ingest.worker import WorkerPool
from unkg.settings import Settings

from .slow_warm_up import SlowWarmUp


def test_a_worker_that_loads_slower_than_the_pool_waits_still_parses_its_files(tmp_path):
    files = []
    for name, text in (("en.txt", "ICCD/COP(16)/77\n\n1. Requests the secretariat to report at its seventeenth session.\n"),
                       ("zh.txt", "ICCD/COP(16)/77\n\n1. 请秘书处向第十七届会议报告。\n")):
        (tmp_path / name).write_text(text, encoding="utf-8")
        files.append(str(tmp_path / name))
    task = SlowWarmUp(ReadOptions.from_settings(Settings()), seconds=3.0)
    # the pool waits 0.2 s for the workers to load: its first file is sent before the worker's "ready" comes
    with WorkerPool(task, workers=1, timeout_s=60, ready_wait_s=0.2) as pool:
        results = {r.path: r for r in pool.map(files)}
    assert set(results) == set(files)
    for path, r in results.items():
        assert r.ok, (path, r.code, r.reason)
        assert any("秘书处" in b.text or "secretariat" in b.text for b in r.document.blocks), path
