"""`unkg ingest` end to end: statuses, idempotency, replacement, bad input, exit codes, --json."""

from __future__ import annotations

import io
import os
import shutil
import sqlite3

import pytest
from fpdf import FPDF

from tests.conftest import DATA, SAMPLES, json_lines, run_cli


def make_pdf(path, lines: list[str], user_password: str | None = None, owner_password: str | None = None) -> None:
    pdf = FPDF()
    pdf.set_font("Helvetica", size=11)
    if user_password is not None or owner_password is not None:
        pdf.set_encryption(owner_password=owner_password or "owner", user_password=user_password or "")
    pdf.add_page()
    for line in lines:
        pdf.multi_cell(0, 6, line)
        pdf.ln(3)
    pdf.output(str(path))


def db_counts(home) -> tuple[int, int]:
    db = sqlite3.connect(home / "unkg.sqlite")
    try:
        return db.execute("SELECT count(*) FROM documents").fetchone()[0], db.execute("SELECT count(*) FROM blocks").fetchone()[0]
    finally:
        db.close()


def test_ingest_samples_twice_is_idempotent(unkg_home):
    first = run_cli("ingest", str(SAMPLES), "--json")
    assert first.returncode == 0, first.stderr
    reports = json_lines(first.stdout)
    assert sorted(r["status"] for r in reports) == ["ok"] * 5
    counts = db_counts(unkg_home)
    assert counts[0] == 5 and counts[1] > 200
    second = run_cli("ingest", str(SAMPLES), "--json")
    assert second.returncode == 0
    assert all(r["status"] == "skipped" and r["code"] == "unchanged" for r in json_lines(second.stdout))
    assert db_counts(unkg_home) == counts
    db = sqlite3.connect(unkg_home / "unkg.sqlite")
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("SELECT symbol FROM documents WHERE id = 'ICCD/COP(16)/18@zh'").fetchone()[0] == "ICCD/COP(16)/18"
    db.close()


def test_changed_file_replaces_its_older_version(unkg_home, tmp_path):
    path = tmp_path / "dec.txt"
    path.write_text("ICCD/COP(16)/99\n\nThe Conference of the Parties,\n\n1. Requests the secretariat to report.\n", encoding="utf-8")
    assert run_cli("ingest", str(path)).returncode == 0
    path.write_text("ICCD/COP(16)/99\n\nThe Conference of the Parties,\n\n1. Requests the secretariat to report.\n\n2. Invites Parties to act.\n", encoding="utf-8")
    r = run_cli("ingest", str(path), "--json")
    rep = json_lines(r.stdout)[0]
    assert rep["status"] == "ok" and rep["code"] == "replaced"
    db = sqlite3.connect(unkg_home / "unkg.sqlite")
    assert db.execute("SELECT count(*) FROM documents").fetchone()[0] == 1
    texts = [t for (t,) in db.execute("SELECT text FROM blocks WHERE kind = 'operative' ORDER BY ord")]
    assert texts == ["Requests the secretariat to report.", "Invites Parties to act."]
    db.close()


def hostile_files(folder) -> dict[str, str]:
    """Bad files of each kind; returns name -> the error code expected."""
    good = folder / "good.pdf"
    make_pdf(good, ["The General Assembly,", "1. Requests the Secretary-General to report."])
    data = good.read_bytes()
    make_pdf(folder / "encrypted.pdf", ["secret"], user_password="user-secret")
    (folder / "truncated.pdf").write_bytes(data[: len(data) // 3])
    (folder / "empty.txt").write_bytes(b"")
    (folder / "random.pdf").write_bytes(os.urandom(4096))
    (folder / "random.docx").write_bytes(os.urandom(4096))
    (folder / "random.txt").write_bytes(bytes(range(256)) * 16)
    (folder / "notes.xyz").write_text("hello", encoding="utf-8")
    return {
        "encrypted.pdf": "encrypted",
        "truncated.pdf": "invalid",
        "empty.txt": "empty",
        "random.pdf": "invalid",
        "random.docx": "invalid",
        "random.txt": "binary",
        "notes.xyz": "unsupported",
    }


def test_bad_files_fail_clearly_and_lose_nothing(unkg_home, tmp_path):
    assert run_cli("ingest", str(SAMPLES)).returncode == 0
    before = db_counts(unkg_home)
    bad = tmp_path / "bad"
    bad.mkdir()
    expected = hostile_files(bad)
    shutil.copy(next(SAMPLES.glob("003_*.txt")), bad / "kubuqi-copy-of-sample.txt")
    paths = [str(bad / name) for name in sorted(expected)] + [str(bad / "kubuqi-copy-of-sample.txt"), str(bad / "good.pdf")]
    r = run_cli("ingest", *paths, "--json")
    assert r.returncode == 1  # some files failed
    reports = {os.path.basename(x["path"]): x for x in json_lines(r.stdout)}
    for name, code in expected.items():
        rep = reports[name]
        assert rep["status"] == "failed", rep
        assert rep["code"] == code, rep
        assert rep["reason"], rep
    assert reports["good.pdf"]["status"] == "ok"
    # the copy has the same content as a stored sample: stored once more under its own path is fine,
    # but nothing already stored was lost
    after = db_counts(unkg_home)
    assert after[0] >= before[0] + 1 and after[1] > before[1]
    human = run_cli("ingest", str(bad / "encrypted.pdf"))
    assert "encrypted.pdf" in human.stdout + human.stderr and "encrypted" in (human.stdout + human.stderr).lower()


def test_oversized_file_is_refused_before_parsing(unkg_home, tmp_path):
    big = tmp_path / "big.txt"
    big.write_text("The General Assembly,\n\n" + "1. Decides to act.\n\n" * 20000, encoding="utf-8")
    r = run_cli("ingest", str(big), "--json", env={"UNKG_MAX_FILE_MB": "0.05"})
    assert r.returncode == 1
    rep = json_lines(r.stdout)[0]
    assert rep["code"] == "too_large" and "UNKG_MAX_FILE_MB" in rep["reason"]


def test_timeout_kills_the_worker_and_the_batch_goes_on(unkg_home, tmp_path):
    slow = tmp_path / "slow.txt"
    # a large file (real resolutions, repeated) with a small time limit: the worker is killed,
    # the small file after it still ingests
    real = "\n\n".join(p.read_text(encoding="utf-8") for p in sorted((DATA / "un-resolutions").glob("*.txt")))
    slow.write_text(real * 12, encoding="utf-8")
    small = tmp_path / "small.txt"
    small.write_text("The General Assembly,\n\n1. Decides to act.\n", encoding="utf-8")
    r = run_cli("ingest", str(slow), str(small), "--json", env={"UNKG_PARSE_TIMEOUT": "2", "UNKG_WORKERS": "1"})
    reports = {os.path.basename(x["path"]): x for x in json_lines(r.stdout)}
    assert reports["slow.txt"]["code"] == "timeout"
    assert reports["small.txt"]["status"] == "ok"
    assert r.returncode == 1


def test_missing_path_fails_and_unknown_types_in_folders_are_skipped(unkg_home, tmp_path):
    (tmp_path / "image.png").write_bytes(b"\x89PNG\r\n")
    (tmp_path / "doc.txt").write_text("The General Assembly,\n\n1. Decides to act.\n", encoding="utf-8")
    r = run_cli("ingest", str(tmp_path), str(tmp_path / "nope.pdf"), "--json")
    reports = {os.path.basename(x["path"]): x for x in json_lines(r.stdout)}
    assert reports["image.png"]["status"] == "skipped"
    assert reports["doc.txt"]["status"] == "ok"
    assert reports["nope.pdf"]["status"] == "failed"
    assert r.returncode == 1


def test_parse_json_shape():
    r = run_cli("parse", str(next(SAMPLES.glob("001_*.txt"))), "--json")
    assert r.returncode == 0, r.stderr
    (doc,) = json_lines(r.stdout)
    assert doc["symbol"] == "ICCD/COP(16)/18" and doc["language"] == "zh" and doc["date"] == "2024-07-29"
    assert doc["source"].endswith(".txt")
    p = next(p for p in doc["paragraphs"] if p["text"].startswith("同一项决定请秘书处"))
    assert set(p) >= {"id", "kind", "label", "level", "page", "language", "text", "verb"}
    assert p["label"] == "3." and not p["text"].startswith("3.")
