"""Kill `unkg ingest` with SIGKILL at random points, re-run each time: nothing duplicated, nothing lost."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from tests.conftest import DATA, REPO, SAMPLES

KILLS = 20


def make_corpus(folder, n: int = 200) -> None:
    """200 documents: real resolutions and seeds, each copy given its own symbol so each is its own document."""
    sources = sorted((DATA / "un-resolutions").glob("*.txt")) + sorted(SAMPLES.glob("*.txt"))
    folder.mkdir()
    for i in range(n):
        src = sources[i % len(sources)]
        text = src.read_text(encoding="utf-8")
        (folder / f"doc{i:03d}.txt").write_text(f"A/RES/999/{i}\n\n" + text, encoding="utf-8")


def snapshot(db_path) -> tuple[dict[str, str], dict[str, int], bool]:
    db = sqlite3.connect(db_path)
    try:
        docs = dict(db.execute("SELECT source, sha256 FROM documents"))
        per_doc = dict(db.execute("SELECT d.source, count(b.id) FROM documents d LEFT JOIN blocks b ON b.doc_id = d.id GROUP BY d.id"))
        ok = db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        dup = db.execute("SELECT count(*) FROM (SELECT doc_id, ord FROM blocks GROUP BY doc_id, ord HAVING count(*) > 1)").fetchone()[0]
        assert dup == 0
        return docs, per_doc, ok
    finally:
        db.close()


def ingest(folder, home, wait: bool = True):
    env = dict(os.environ, UNKG_HOME=str(home), UNKG_WORKERS="2")
    proc = subprocess.Popen([sys.executable, "-m", "unkg.cli", "ingest", str(folder), "--json"], env=env, cwd=str(REPO),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    if wait:
        assert proc.wait(600) == 0
    return proc


@pytest.mark.slow
def test_sigkill_during_ingest_loses_and_duplicates_nothing(tmp_path):
    corpus = tmp_path / "corpus"
    make_corpus(corpus)
    clean_home = tmp_path / "clean"
    t0 = time.perf_counter()
    ingest(corpus, clean_home)
    clean_s = time.perf_counter() - t0
    clean_docs, clean_blocks, ok = snapshot(clean_home / "unkg.sqlite")
    assert ok and len(clean_docs) == 200

    home = tmp_path / "crashy"
    rng = random.Random(20261122)
    kills = stored = 0
    for _ in range(KILLS):
        proc = ingest(corpus, home, wait=False)
        # a kill point within what is left of the work (a re-run skips what is stored), so that a faster ingest is
        # still interrupted: in its start, its parsing or its writes
        left = max(len(clean_docs) - stored, 20) / len(clean_docs)
        time.sleep(rng.uniform(0.2, 0.9) * clean_s * left)
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)  # the CLI and its parse workers
            kills += 1
        proc.wait(30)
        if (home / "unkg.sqlite").exists():
            docs, per_doc, ok = snapshot(home / "unkg.sqlite")
            assert ok
            stored = len(docs)
            # whatever is stored is complete: every stored document has all its paragraphs
            for source, n in per_doc.items():
                assert n == clean_blocks[source], source
    assert kills >= KILLS // 2, "the ingest finished too fast to be interrupted"
    ingest(corpus, home)
    docs, per_doc, ok = snapshot(home / "unkg.sqlite")
    assert ok
    assert docs == clean_docs
    assert per_doc == clean_blocks
