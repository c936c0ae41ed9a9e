"""Mandates listed from the store's mandate indexes (statuses kept per mandate) answer as a scan of every
paragraph does, after each added, changed and removed document, in English and Chinese.

The statuses of a decision's mandates rest on other documents (the report responding to it, the
decision replacing it): adding, changing or removing those must change the kept statuses too.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tests.graph.conftest import ingest_here

DATA = Path(__file__).resolve().parent / "data"

FILTERS = [{}, {"status": "implemented"}, {"status": "reported on"}, {"status": "superseded"}, {"status": "elapsed"},
           {"status": "open"}, {"addressee": "secretariat", "status": "open"}, {"decision": "9/COP.16"},
           {"language": "zh", "status": "implemented"}, {"decision": "第9/COP.16号决定", "status": "elapsed"},
           # the distinct sessions, verbs, addressees and decisions are kept per process while no document changes
           {"session": "COP.16", "verb": "request"}, {"session": "COP.17"}, {"verb": "请"}, {"addressee": "Global Mechanism"}]


def _scan(store, flt, as_of):
    """find_mandates without indexes: every mandate paragraph read, every status computed from the citing paragraphs."""
    from unkg.graph.lifecycle import Lifecycle
    from unkg.graph.mandates import _scanned

    life = Lifecycle(store, as_of=as_of, tables=None)
    out = []
    for rec in _scanned(store, flt):
        rec.update(life.status(rec).as_dict())
        if not flt.status or rec["status"] == flt.status:
            out.append(rec)
    return out


def _same_as_scan(store, as_of=None) -> dict[str, str]:
    from unkg.graph.mandates import MandateFilter, find_mandates

    for f in FILTERS:
        flt = MandateFilter.of(**f)
        assert find_mandates(store, flt, as_of=as_of) == _scan(store, flt, as_of or dt.date.today()), f
    return {(m["document_id"], m["citation"]): m["status"] for m in find_mandates(store, as_of=as_of)}


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_kept_statuses_follow_the_documents_they_rest_on(tmp_path, lang):
    from unkg.corpus.store import Store

    store = Store(tmp_path / "unkg.sqlite")
    decisions = sorted(p for p in DATA.glob(f"lifecycle-{lang}-decision-*.txt"))
    report = DATA / f"lifecycle-{lang}-report-cop17.txt"
    if lang == "en":
        replacing = DATA / "lifecycle-en-decision-2-cop17.txt"
        decisions = [p for p in decisions if p != replacing]
    ingest_here(decisions, store)
    before = _same_as_scan(store)
    done = next(k for k in before if k[1] == "decision 9/COP.16, para. 1")
    assert before[done] == "open"  # nothing responds to decision 9/COP.16 yet

    # a report responding to the decision, in another document: the decision's mandates change status
    report_id = ingest_here([report], store)[0]
    after = _same_as_scan(store)
    assert after[done] == "implemented"

    # the report changed: the work is under way, no longer completed
    changed = tmp_path / report.name
    text = report.read_text(encoding="utf-8")
    changed.write_text(text.replace("has completed", "is preparing").replace("已完成", "正在编写"), encoding="utf-8")
    from unkg.extract.task import ParseAndAnnotate

    doc = ParseAndAnnotate()(str(changed))
    assert doc.id == report_id and store.put_document(doc, replace=True) == "replaced"
    assert _same_as_scan(store)[done] == "reported on"

    # the day asked decides "elapsed" (a deadline in 2020): the kept statuses do not depend on it
    past = _same_as_scan(store, as_of=dt.date(2019, 1, 1))
    assert "elapsed" not in past.values() and "elapsed" in _same_as_scan(store).values()

    # the report goes: back to open
    with store.transaction() as db:
        db.execute("DELETE FROM blocks WHERE doc_id = ?", (report_id,))
        db.execute("DELETE FROM documents WHERE id = ?", (report_id,))
    assert _same_as_scan(store)[done] == "open"

    if lang == "en":  # a later decision replaces decision 4/COP.16: superseded, and back when it goes
        gone = "decision 4/COP.16, para. 1"
        assert next(s for (d, c), s in _same_as_scan(store).items() if c == gone) != "superseded"
        new_id = ingest_here([replacing], store)[0]
        assert next(s for (d, c), s in _same_as_scan(store).items() if c == gone) == "superseded"
        with store.transaction() as db:
            db.execute("DELETE FROM blocks WHERE doc_id = ?", (new_id,))
            db.execute("DELETE FROM documents WHERE id = ?", (new_id,))
        assert next(s for (d, c), s in _same_as_scan(store).items() if c == gone) != "superseded"
    store.close()


def test_an_unchanged_store_is_checked_by_its_generation_alone(tmp_path, monkeypatch):
    """Every change of a document moves the store's generation (put_document, an UPDATE or DELETE of the row);
    while it stays, a question reads no document's fingerprint; once it moves, the changed document is read."""
    from unkg.corpus.store import Store
    from unkg.graph import mandate_index
    from unkg.graph.mandates import MandateFilter, find_mandates

    store = Store(tmp_path / "unkg.sqlite")
    g0 = store.generation()
    ingest_here([DATA / "lifecycle-en-decision-9-cop16.txt", DATA / "lifecycle-zh-decision-9-cop16.txt"], store)
    assert store.generation() > g0
    first = find_mandates(store, MandateFilter.of(decision="9/COP.16"))
    assert first
    read = []
    real = mandate_index.store_fingerprints
    monkeypatch.setattr(mandate_index, "store_fingerprints", lambda s: read.append(1) or real(s))
    assert find_mandates(store, MandateFilter.of(decision="9/COP.16")) == first
    assert find_mandates(store, MandateFilter.of(decision="第9/COP.16号决定")) and not read
    for sql in ("UPDATE documents SET sha256 = 'f' || substr(sha256, 2) WHERE language = 'zh'",
                "DELETE FROM documents WHERE language = 'zh'"):
        g = store.generation()
        if sql.startswith("DELETE"):
            store._db.execute("DELETE FROM blocks WHERE doc_id IN (SELECT id FROM documents WHERE language = 'zh')")
        store._db.execute(sql)
        assert store.generation() > g
        n = len(read)
        got = find_mandates(store, MandateFilter.of(decision="9/COP.16"))
        assert len(read) == n + 1
        assert got == _scan(store, MandateFilter.of(decision="9/COP.16"), dt.date.today())
    assert {m["language"] for m in got} == {"en"}
