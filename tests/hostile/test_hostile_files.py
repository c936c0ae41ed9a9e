"""Hostile files in one batch: each ends as a typed error or a correct partial result, in time,
with the worker's memory capped, no local file content in any output, and the rest ingested.

The test writes its section of docs/hostile-inputs.md: the table of every input tried and its outcome.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from pathlib import Path

import pytest

from tests.conftest import json_lines, run_cli
from tests.hostile.generators import SECRET, generators
from tests.hostile.report import write_section

TIME_LIMIT_S = 120  # per file; the 10 MB one-line text takes ~5 s on a quiet machine, minutes on a loaded one
MEMORY_MB = 1536


@pytest.mark.slow
def test_hostile_batch(unkg_home, tmp_path):
    secret_file = tmp_path / "secret.txt"
    secret_file.write_text(SECRET, encoding="utf-8")
    folder = tmp_path / "inbox"
    folder.mkdir()
    expected: dict[str, set[str]] = {}
    for name, make in generators(secret_file).items():
        expected[name] = make(folder / name)
    good = folder / "good-decision.txt"
    good.write_text("ICCD/COP(16)/77\n\nThe Conference of the Parties,\n\n1. Requests the secretariat to report at its seventeenth session.\n", encoding="utf-8")
    started = time.monotonic()
    r = run_cli("ingest", str(folder), "--json", env={
        "UNKG_PARSE_TIMEOUT": str(TIME_LIMIT_S), "UNKG_WORKER_MEMORY_MB": str(MEMORY_MB), "UNKG_WORKERS": "2"}, timeout=900)
    elapsed = time.monotonic() - started
    reports = {os.path.basename(x["path"]): x for x in json_lines(r.stdout)}
    rows = []
    for name, ok_codes in expected.items():
        rep = reports[name]
        outcome = rep["status"] if rep["status"] in ("ok", "partial") else rep["code"]
        rows.append((name, (folder / name).stat().st_size, rep["status"], rep["code"], rep["reason"], outcome in ok_codes))
    _write_table(rows, elapsed)
    for name, size, status, code, reason, fine in rows:
        assert fine, f"{name}: {status}/{code}: {reason} (expected one of {sorted(expected[name])})"
        if status == "failed":
            assert reason, name
    assert reports["good-decision.txt"]["status"] == "ok"
    assert SECRET not in r.stdout and SECRET not in r.stderr
    assert "Traceback" not in r.stderr
    db = sqlite3.connect(unkg_home / "unkg.sqlite")
    try:
        texts = " ".join(t for (t,) in db.execute("SELECT text FROM blocks"))
        assert SECRET not in texts
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert db.execute("SELECT count(*) FROM documents WHERE symbol = 'ICCD/COP(16)/77'").fetchone()[0] == 1
    finally:
        db.close()
    # every file was decided within the per-file limit (the batch runs two workers)
    assert elapsed < TIME_LIMIT_S * len(expected) / 2 + 60


def _write_table(rows, elapsed: float) -> None:
    lines = [
        "## Hostile files",
        "",
        "Written by `tests/hostile/test_hostile_files.py`.",
        f"One `unkg ingest` batch, 2 workers, {MEMORY_MB} MB address-space cap and {TIME_LIMIT_S} s per file; "
        f"whole batch {elapsed:.1f} s.",
        "",
        "| input | bytes | status | code | reason | as expected |",
        "|---|---:|---|---|---|---|",
    ]
    for name, size, status, code, reason, fine in rows:
        lines.append(f"| {name} | {size} | {status} | {code} | {reason.replace('|', '/')} | {'yes' if fine else 'NO'} |")
    write_section("files", lines)
