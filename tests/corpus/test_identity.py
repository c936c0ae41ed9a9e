"""Document identity: one file never silently replaces another.

Before: two files printing the same symbol and language replaced each other on every run
("ok … replaced", the winner alternating), and a 128-byte file whose first line was a known
symbol replaced a 103-paragraph document.
"""

from __future__ import annotations

import sqlite3

import pytest

from tests.conftest import json_lines, run_cli

DECISION = ("ICCD/COP(16)/77\n\nThe Conference of the Parties,\n\n"
            + "".join(f"{i}. Requests the secretariat to report on item {i} of land degradation neutrality.\n\n" for i in range(1, 40))
            + "40. 请秘书处向第十七届会议报告进展情况。\n")
IMPOSTOR = "ICCD/COP(16)/77\n\nNothing to see here.\n"


def _stored(home):
    db = sqlite3.connect(home / "unkg.sqlite")
    try:
        return [tuple(r) for r in db.execute("SELECT d.id, d.source, count(b.id) FROM documents d "
                                             "LEFT JOIN blocks b ON b.doc_id = d.id GROUP BY d.id ORDER BY d.id")]
    finally:
        db.close()


@pytest.mark.slow
def test_same_symbol_from_two_files_is_a_conflict_not_a_replacement(unkg_home, tmp_path):
    a, b = tmp_path / "a-decision.txt", tmp_path / "b-impostor.txt"
    a.write_text(DECISION, encoding="utf-8")
    b.write_text(IMPOSTOR, encoding="utf-8")
    r = run_cli("ingest", str(a), "--json")
    assert r.returncode == 0, r.stderr
    before = _stored(unkg_home)
    assert len(before) == 1 and before[0][2] >= 40
    for _ in range(2):  # the same answer every run: no alternating winner
        r = run_cli("ingest", str(a), str(b), "--json")
        assert r.returncode == 1
        reps = {x["path"].rsplit("/", 1)[-1]: x for x in json_lines(r.stdout)}
        assert reps["a-decision.txt"]["status"] == "skipped"
        assert reps["b-impostor.txt"]["status"] == "failed" and reps["b-impostor.txt"]["code"] == "conflict"
        assert "ICCD/COP(16)/77@en" in reps["b-impostor.txt"]["reason"] and str(a.resolve()) in reps["b-impostor.txt"]["reason"]
        assert _stored(unkg_home) == before
    # the same path with new content still updates its document
    a.write_text(DECISION.replace("item 1 ", "item one "), encoding="utf-8")
    r = run_cli("ingest", str(a), "--json")
    assert json_lines(r.stdout)[0]["code"] == "replaced"
    # replacing from another file only when asked
    r = run_cli("ingest", str(b), "--replace", "--json")
    assert r.returncode == 0 and json_lines(r.stdout)[0]["code"] == "replaced"
    after = _stored(unkg_home)
    assert len(after) == 1 and after[0][1] == str(b.resolve())
