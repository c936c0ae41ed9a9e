"""One file must not break the store: a one-line file of tens of MB is cut into bounded paragraphs.

Before the bound, a 52 MB single-line text file was stored as one paragraph and every later
`unkg index` / `unkg search` died with MemoryError in the encoder.
"""

from __future__ import annotations

import sqlite3

import pytest

from tests.conftest import json_lines, run_cli
from unkg.ingest.bounds import MAX_PARAGRAPH_CHARS, split_long
from unkg.search.encoders import MAX_ENCODE_CHARS, bounded


@pytest.mark.parametrize("sentence", [
    "The Conference of the Parties requests the secretariat to report on drought. ",
    "缔约方会议请秘书处就干旱问题提交报告。",
    "يطلب مؤتمر الأطراف إلى الأمانة أن تقدم تقريرا عن الجفاف؛ ",
])
def test_split_long_cuts_at_sentence_ends(sentence):
    text = sentence * 2000
    pieces = split_long(text, 1000)
    assert len(pieces) > 1
    assert all(len(p) <= 1000 for p in pieces)
    # no words lost or broken: every piece ends where a sentence ends, and the pieces put together give the text back
    assert all(p.rstrip().endswith(sentence.strip()[-1]) for p in pieces)
    assert "".join(pieces).replace(" ", "") == text.replace(" ", "")


def test_split_long_unbroken_and_spaces():
    assert split_long("a" * 2500, 1000) == ["a" * 1000] * 2 + ["a" * 500]
    words = ("word " * 700).strip()
    pieces = split_long(words, 1000)
    assert all(len(p) <= 1000 and not p.startswith(" ") for p in pieces)
    assert " ".join(pieces).split() == words.split()
    assert split_long("short", 1000) == ["short"]


def test_encoder_cap_is_a_last_guard():
    texts = bounded(["x" * (MAX_ENCODE_CHARS * 3), "", "fine"])
    assert [len(t) for t in texts] == [MAX_ENCODE_CHARS, 1, 4]


@pytest.mark.slow
def test_huge_one_line_file_is_ingested_indexed_and_searched(unkg_home, tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    sentence = "The Conference of the Parties requests the secretariat to monitor sand and dust storms. "
    big = inbox / "one-line.txt"
    big.write_text(sentence * (24 * 1024 * 1024 // len(sentence)), encoding="utf-8")  # 24 MB, no line break
    normal = inbox / "decision.txt"
    normal.write_text("ICCD/COP(16)/77\n\nThe Conference of the Parties,\n\n"
                      "1. Requests the secretariat to report on land degradation neutrality at its seventeenth session.\n\n"
                      "2. 请秘书处向第十七届会议报告土地退化零增长的进展情况。\n", encoding="utf-8")
    # what is tested is the paragraph cut, not the per-file time limit: a loaded machine gets the time it needs
    r = run_cli("ingest", str(inbox), "--json", env={"UNKG_PARSE_TIMEOUT": "540"}, timeout=600)
    assert r.returncode == 0, r.stderr[-2000:]
    reports = {rep["path"].rsplit("/", 1)[-1]: rep for rep in json_lines(r.stdout)}
    assert reports["decision.txt"]["status"] == "ok"
    rep = reports["one-line.txt"]
    assert rep["status"] == "partial" and "split into" in rep["reason"], rep
    assert rep["paragraphs"] >= big.stat().st_size // MAX_PARAGRAPH_CHARS
    db = sqlite3.connect(unkg_home / "unkg.sqlite")
    try:
        longest = db.execute("SELECT max(length(text)) FROM blocks").fetchone()[0]
        stored = db.execute("SELECT sum(length(text)) FROM blocks b JOIN documents d ON d.id = b.doc_id "
                            "WHERE d.source LIKE '%one-line.txt'").fetchone()[0]
    finally:
        db.close()
    assert longest <= MAX_PARAGRAPH_CHARS
    assert stored >= big.stat().st_size * 0.99  # cut, not dropped
    r = run_cli("index", timeout=600)
    assert r.returncode == 0 and "Traceback" not in r.stderr, r.stderr[-2000:]
    for query in ("land degradation neutrality", "土地退化"):
        r = run_cli("search", query, "--json", timeout=300)
        assert r.returncode == 0 and "Traceback" not in r.stderr, r.stderr[-2000:]
        assert "ICCD/COP(16)/77" in r.stdout, (query, r.stdout[:1000])
