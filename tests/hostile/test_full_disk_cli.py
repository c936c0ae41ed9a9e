"""A full disk under `unkg ingest` and `unkg index`: a clean error naming the store, a non-zero exit,
no traceback, and nothing half-written (integrity check passes, earlier documents and index intact).

The disk is made full for real, inside SQLite: the CLI runs with its store capped by
`PRAGMA max_page_count` at its size on opening (plus a few pages), so the next page SQLite needs
fails with "database or disk is full", exactly as on a full file system.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys

from tests.conftest import REPO, SAMPLES, json_lines, run_cli, store_fingerprint

# `unkg ARGS` with every store it opens capped at its size plus UNKG_TEST_SLACK pages
_CAPPED = r"""
import os, sys
if __name__ == "__main__":
    import unkg.corpus.store as st
    opened = st.Store.__init__
    def capped(self, path):
        opened(self, path)
        pages = self._db.execute("PRAGMA page_count").fetchone()[0]
        self._db.execute(f"PRAGMA max_page_count = {pages + int(os.environ['UNKG_TEST_SLACK'])}")
    st.Store.__init__ = capped
    from unkg.cli import app
    sys.argv = ["unkg", *sys.argv[1:]]
    app()
"""

EN = "The Conference of the Parties,\n\n{n}. Requests the secretariat to report on land degradation neutrality in region {n} at its seventeenth session.\n\n"
ZH = "缔约方会议，\n\n{n}. 请秘书处向第十七届会议报告第{n}区域土地退化零增长的进展情况。\n\n"


def _capped(tmp_path, slack: int, *args: str) -> subprocess.CompletedProcess:
    script = tmp_path / "capped_unkg.py"
    script.write_text(_CAPPED, encoding="utf-8")
    import os

    env = dict(os.environ, UNKG_TEST_SLACK=str(slack))
    return subprocess.run([sys.executable, str(script), *args], capture_output=True, text=True, env=env, cwd=str(REPO), timeout=600)


def _new_documents(folder, count: int) -> None:
    folder.mkdir()
    for i in range(count):
        body = "".join((EN if j % 2 == 0 else ZH).format(n=j + 1) for j in range(40))
        (folder / f"decision-{i}.txt").write_text(f"ICCD/COP(16)/{i + 30}\n\n{body}", encoding="utf-8")


def _assert_clean_full(r: subprocess.CompletedProcess, db) -> None:
    assert r.returncode != 0
    assert "Traceback" not in r.stderr and "OperationalError" not in r.stderr, r.stderr[-3000:]
    err = " ".join(r.stderr.split())  # rich wraps long lines
    assert "error:" in err and str(db) in err and "is full" in err and "rolled back" in err, err


def _integrity(db) -> str:
    con = sqlite3.connect(db)
    try:
        return con.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        con.close()


def _rows(db, sql: str) -> list:
    con = sqlite3.connect(db)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


_SAMPLES_SQL = ("SELECT d.id, d.sha256, b.id, b.text, b.annotations FROM documents d JOIN blocks b ON b.doc_id = d.id "
                "WHERE coalesce(d.symbol, '') NOT LIKE 'ICCD/COP(16)/3%' ORDER BY b.id")


def test_ingest_on_a_full_disk(unkg_home, tmp_path):
    r = run_cli("ingest", str(SAMPLES), "--json")
    assert r.returncode == 0, r.stderr[-2000:]
    db = unkg_home / "unkg.sqlite"
    before = store_fingerprint(db)
    samples = _rows(db, _SAMPLES_SQL)
    inbox = tmp_path / "inbox"
    _new_documents(inbox, 6)

    r = _capped(tmp_path, 0, "ingest", str(inbox), "--json")
    _assert_clean_full(r, db)
    assert _integrity(db) == "ok"
    assert store_fingerprint(db) == before  # nothing of the new files, nothing of the old lost

    # room for some of the files: each stored one is whole (as a clean run stores it), the rest absent
    r = _capped(tmp_path, 40, "ingest", str(inbox), "--json")
    _assert_clean_full(r, db)
    assert _integrity(db) == "ok"
    part = dict(_rows(db, "SELECT d.symbol, count(b.id) FROM documents d JOIN blocks b ON b.doc_id = d.id "
                          "WHERE d.symbol LIKE 'ICCD/COP(16)/3%' GROUP BY d.id"))
    assert 0 < len(part) < 6, part
    r = run_cli("ingest", str(inbox), "--json")  # space again: the run completes
    assert r.returncode == 0, r.stderr[-2000:]
    assert all(rep["status"] in ("ok", "unchanged") or rep["code"] == "unchanged" for rep in json_lines(r.stdout))
    full = dict(_rows(db, "SELECT d.symbol, count(b.id) FROM documents d JOIN blocks b ON b.doc_id = d.id "
                          "WHERE d.symbol LIKE 'ICCD/COP(16)/3%' GROUP BY d.id"))
    assert len(full) == 6 and all(full[s] == n for s, n in part.items())
    assert _rows(db, _SAMPLES_SQL) == samples  # the documents stored before the full disk, untouched


def test_index_on_a_full_disk(unkg_home, tmp_path):
    db = unkg_home / "unkg.sqlite"
    r = run_cli("ingest", str(SAMPLES), "--json")
    assert r.returncode == 0, r.stderr[-2000:]

    # a store that has no search tables yet: all of them or none
    r = _capped(tmp_path, 0, "index")
    _assert_clean_full(r, db)
    assert _integrity(db) == "ok"
    assert _rows(db, "SELECT name FROM sqlite_master WHERE name LIKE 'search%'") == []

    r = run_cli("index", "--json", timeout=600)
    assert r.returncode == 0, r.stderr[-2000:]
    indexed = json.loads(r.stdout)["index"]
    inbox = tmp_path / "inbox"
    _new_documents(inbox, 3)
    assert run_cli("ingest", str(inbox), "--json").returncode == 0
    tables = ("search_docs", "search_blocks", "search_embeddings", "search_meta")
    before = {t: _rows(db, f"SELECT * FROM {t} ORDER BY 1, 2") for t in tables}

    r = _capped(tmp_path, 0, "index")
    _assert_clean_full(r, db)
    assert _integrity(db) == "ok"
    assert {t: _rows(db, f"SELECT * FROM {t} ORDER BY 1, 2") for t in tables} == before  # the earlier index intact
    r = run_cli("search", "secretariat", "--json")
    assert r.returncode == 0 and json.loads(r.stdout.splitlines()[0])["hits"], r.stderr[-2000:]

    r = run_cli("index", "--json", timeout=600)  # space again: the new documents are indexed
    assert r.returncode == 0, r.stderr[-2000:]
    assert json.loads(r.stdout)["index"]["documents"] == indexed["documents"] + 3
    r = run_cli("search", "土地退化零增长", "--json")
    assert r.returncode == 0 and "ICCD/COP(16)/3" in r.stdout, r.stdout[:2000]
