"""Ingest workers store what they parse: the parent gets a summary back, a store error stops the batch, a worker
never outlives its parent, and a store opened while another process writes waits for the lock."""

from __future__ import annotations

import multiprocessing as mp
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from unkg.corpus.store import Store
from unkg.errors import StoreError
from unkg.ingest.batch import ingest_paths
from unkg.ingest.pipeline import ParseOnly
from unkg.ingest.store_task import ParseAndStore, Stored
from unkg.ingest.worker import WorkerPool
from unkg.settings import Settings

from .misbehaving_tasks import StoreFailsOn

REPO = Path(__file__).resolve().parents[2]
RESOLUTIONS = REPO / "tests" / "data" / "un-resolutions"


def _corpus(folder: Path) -> list[str]:
    """Two real resolutions, and a Chinese decision."""
    folder.mkdir()
    paths = []
    for src in sorted(RESOLUTIONS.glob("*.txt"))[:2]:
        (folder / src.name).write_text(src.read_text(encoding="utf-8"), encoding="utf-8")
        paths.append(str(folder / src.name))
    (folder / "zh.txt").write_text("ICCD/COP(16)/77\n\n第16/77号决定\n\n1. 请秘书处向第十七届会议报告本决定的执行情况。\n",
                                   encoding="utf-8")
    return paths + [str(folder / "zh.txt")]


@pytest.mark.parametrize("start_method", ["fork", "spawn"])
def test_a_worker_stores_the_document_and_sends_back_a_summary(tmp_path, start_method):
    files = _corpus(tmp_path / "in")
    db = tmp_path / "unkg.sqlite"
    Store(db).close()
    # forked from this test process, which may hold torch: its address space would count against the worker's cap
    memory_mb = 1 << 16 if start_method == "fork" else 3072
    with WorkerPool(ParseAndStore(ParseOnly(), str(db)), workers=2, start_method=start_method, memory_mb=memory_mb) as pool:
        got = list(pool.map(files))
    assert all(isinstance(r.value, Stored) and r.value.outcome == "added" for r in got), [(r.code, r.reason) for r in got]
    results = {r.path: r.value for r in got}
    store = Store(db)
    try:
        for path, stored in results.items():
            doc = store.document(stored.doc_id)
            assert doc is not None and doc.source == str(Path(path).resolve())
            assert len(doc.blocks) == stored.paragraphs > 0
            assert doc.language == stored.language
        assert results[files[-1]].language == "zh"
    finally:
        store.close()


def test_conflicts_found_in_the_workers_are_reported_with_the_callers_labels(tmp_path):
    files = _corpus(tmp_path / "in")
    home = tmp_path / "home"
    settings = Settings(home=home, workers=2)
    store = Store(settings.db_path)
    try:
        first = ingest_paths(files, store, settings)
        assert [r.status for r in first] == ["ok"] * 3, first
        # the same symbol and language from another file with other content
        rival = tmp_path / "rival.txt"
        rival.write_text(Path(files[-1]).read_text(encoding="utf-8") + "\n2. 又请秘书处提供资源。\n", encoding="utf-8")
        (report,) = ingest_paths([str(rival)], store, settings, source_label=lambda p: Path(p).name)
        assert (report.status, report.code) == ("failed", "conflict")
        assert "already stored from zh.txt" in report.reason and str(tmp_path) not in report.reason
        (replaced,) = ingest_paths([str(rival)], store, settings, replace=True)
        assert (replaced.status, replaced.code) == ("ok", "replaced")
        assert store.counts()["documents"] == 3
    finally:
        store.close()


@pytest.mark.parametrize("start_method", ["fork", "spawn"])
def test_a_store_error_in_a_worker_stops_the_batch_with_its_message(tmp_path, start_method):
    files = _corpus(tmp_path / "in")
    with WorkerPool(StoreFailsOn("zh.txt"), workers=1, start_method=start_method) as pool:
        with pytest.raises(StoreError, match="zh.txt: the disk is full"):
            list(pool.map(files))


ORPHAN = """
import sys, time
sys.path.insert(0, {repo!r})
from tests.ingest.misbehaving_tasks import SlowOn
from unkg.ingest.worker import WorkerPool
pool = WorkerPool(SlowOn("slow.txt", 120.0), workers=2, start_method={method!r})
results = pool.map([{slow!r}, {slow!r}])
print(" ".join(str(s.proc.pid) for s in pool.slots), flush=True)
next(results)  # both workers are busy for two minutes, not reading their pipes
"""


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(")")[-1].split()[0] != "Z"
    except FileNotFoundError:
        return False


@pytest.mark.skipif(sys.platform != "linux", reason="the kernel's parent-death signal is Linux's")
@pytest.mark.parametrize("start_method", ["fork", "spawn"])
def test_workers_die_with_their_parent(tmp_path, start_method):
    slow = tmp_path / "slow.txt"
    slow.write_text("1. Requests the secretariat to report.\n", encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-c", ORPHAN.format(repo=str(REPO), method=start_method, slow=str(slow))],
                            stdout=subprocess.PIPE, text=True, cwd=str(REPO))
    pids: list[int] = []
    try:
        pids = [int(p) for p in proc.stdout.readline().split()]
        assert len(pids) == 2 and all(_alive(p) for p in pids)
        time.sleep(2.0 if start_method == "spawn" else 0.5)  # loaded and on the slow file
        os.kill(proc.pid, signal.SIGKILL)  # the parent alone, not its group
        proc.wait(10)
        deadline = time.monotonic() + 10
        while any(_alive(p) for p in pids) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not any(_alive(p) for p in pids)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(10)
        for pid in pids:  # nothing left running, even when the assertion failed
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)


def _keep_writing(db: str, docs: list, stop) -> None:
    store = Store(Path(db))
    i = 0
    while not stop.is_set():
        doc = docs[i % len(docs)]
        doc.sha256 = f"{i:064x}"  # new content: the stored version is replaced, in one write transaction
        assert store.put_document(doc) in ("added", "replaced")
        i += 1
    store.close()


def test_a_store_opened_while_another_process_writes_waits_for_the_lock(tmp_path):
    db = tmp_path / "unkg.sqlite"
    Store(db).close()
    docs = [ParseOnly()(p) for p in _corpus(tmp_path / "in")]
    ctx = mp.get_context("spawn")
    stop = ctx.Event()
    writer = ctx.Process(target=_keep_writing, args=(str(db), docs, stop))
    writer.start()
    try:
        time.sleep(2.0)  # the writer has loaded and is writing
        for _ in range(100):  # each open checks the schema in a transaction while documents are being written
            Store(db).close()
    finally:
        stop.set()
        writer.join(30)
    assert writer.exitcode == 0
    store = Store(db)
    try:
        assert store.counts()["documents"] > 1
    finally:
        store.close()
