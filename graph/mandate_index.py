"""Keeps the store's mandate indexes (`unkg.corpus.mandate_tables`) up to date, one changed document at a time.

What a row holds is decided here, by the same rules `graph.mandates` and `graph.lifecycle` apply
(decision normalization, the mandate's session, the response and supersede cues), so an indexed
read finds exactly the mandates and citations a scan of every block would.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3

from unkg.corpus.identifiers import mandate_session, normalize_decision
from unkg.corpus.mandate_tables import MandateTables, mandate_blocks_by_id
from unkg.model import Document

from . import lifecycle as L
from .build import store_fingerprints

#: changes when what a row holds changes (the cues, the session rule, the status rules): every document is indexed again
INDEX_RULE = hashlib.sha1("|".join([L.RESPONSE_CUES.pattern, L.SUPERSEDE_CUES.pattern, L.DONE_CUES.pattern, L.REPORT_WORDS.pattern,
                                    str((L.MIN_SHARE, L.MIN_SHARED, L.MAX_EVIDENCE)), "mandate-index-2"]).encode()).hexdigest()[:12]
#: statuses computed and written per transaction
SETTLE_BATCH = 500


def mandate_decision(raw: str | None) -> str | None:
    """A mandate's decision as find_mandates reports it: normalized where it can be, else as extracted."""
    dec = normalize_decision(raw) if raw else None
    return dec or raw or None


def document_rows(doc: Document, rowids: dict[str, int]) -> tuple[list, list, list, list]:
    """One document's rows: mandates, addressees, entity names, decision citations with a cue."""
    mandates, addressees, names, cues = [], [], [], []
    first: dict[tuple[str, str], tuple[int, int]] = {}
    for b in doc.blocks:
        lang = b.language or doc.language
        for i, m in enumerate(b.mandates):
            dec = mandate_decision(m.decision)
            ses = mandate_session(dec, doc.body, doc.session)
            mandates.append((b.id, i, dec, (dec or "").lower(), ses, (lang or "").lower(), m.verb, m.verb_en, m.force,
                             L.deadline_end(m.deadline)))
            addressees.extend((b.id, i, a) for a in m.addressees if a)
        brow = rowids.get(b.id, 0)
        for pos, e in enumerate(b.entities):
            if e.id and e.name and (brow, pos) < first.get((e.id, e.name), (brow + 1, 0)):
                first[(e.id, e.name)] = (brow, pos)  # the first place a document names it is enough
        if b.citations:
            response = bool(L.RESPONSE_CUES.search(b.text or ""))
            supersede = bool(L.SUPERSEDE_CUES.search(b.text or ""))
            if response or supersede:
                for pos, c in enumerate(b.citations):
                    if c.id and str(c.id).startswith(("decision:", "resolution:")):
                        cues.append((str(c.id), b.id, b.ord, pos, int(response), int(supersede)))
    names = [(e, n, brow, pos) for (e, n), (brow, pos) in first.items()]
    return mandates, addressees, names, cues


def refresh(store) -> MandateTables:
    """Bring the mandate indexes up to date with the store (only changed documents are read), then compute the
    statuses that changed: the mandates of changed documents and of every decision they cite with a cue.

    Each document's fingerprint is compared only when the store's generation (`Store.generation`, moved by every
    change of a document) differs from the one the indexes were last found up to date with: a question on an
    unchanged store reads one value, not every document's fingerprint."""
    try:
        t = MandateTables(store)
        # the documents' generation first: a change made while this runs moves it past what is recorded below
        checked = f"{store.generation()}|{INDEX_RULE}"
        if t.checked_at() == checked:  # no document changed since the indexes were last found up to date
            settle(store, t)
            return t
        current = {d: f"{fp}|{INDEX_RULE}" for d, fp in store_fingerprints(store).items()}
        built = t.built()
        stale = [d for d in built if d not in current]
        todo = sorted(d for d, fp in current.items() if built.get(d) != fp)
        if stale:
            with store.transaction():
                for d in stale:
                    cited = t.cue_decisions(d)
                    t.remove_document(d)
                    t.forget_statuses(cited)
        for k in range(0, len(todo), 50):  # a few documents per transaction: fewer commits, still all or nothing each
            with store.transaction():
                for d in todo[k : k + 50]:
                    doc = store.document(d)
                    if doc is None:
                        continue
                    cited = t.cue_decisions(d)
                    rows = document_rows(doc, t.block_rowids(d))
                    t.put_document(d, current[d], *rows)
                    t.forget_statuses({*cited, *(c[0] for c in rows[3])})
        settle(store, t)
        t.set_checked_at(checked)
    except sqlite3.OperationalError as exc:
        if "readonly" not in str(exc).lower():
            raise
        raise IndexUnavailable(str(exc)) from None
    return t


def settle(store, t: MandateTables) -> int:
    """Compute and keep the status evidence of every mandate whose status is to be computed (`Lifecycle.found`,
    the same rules a question without the indexes applies), a batch per transaction; how many were computed.

    Only what does not depend on the day asked is kept; "elapsed" and "open" are told from the deadline
    when the question is asked."""
    if not t.unsettled(1):
        return 0
    life = L.Lifecycle(store, tables=t)
    done = 0
    while True:
        with store.transaction():  # read, computed and written under the write lock: no change of the store in between
            rows = t.unsettled(SETTLE_BATCH)
            if not rows:
                return done
            blocks = mandate_blocks_by_id(store, sorted({r[0] for r in rows}))
            out = []
            for block_id, i, doc_id, dec in rows:
                b = blocks.get(block_id)
                ms = json.loads(b["annotations"] or "{}").get("mandates", []) if b is not None else []
                m = ms[i] if i < len(ms) else {}
                st = life.found({"decision": dec, "document_id": doc_id, "paragraph_id": block_id,
                                 "addressees": [a for a in m.get("addressees", []) if a], "action": m.get("action") or "",
                                 "deadline": m.get("deadline")})
                out.append((block_id, i, st.status, st.rule, json.dumps([e.as_dict() for e in st.evidence], ensure_ascii=False))
                           if st else (block_id, i, "", None, None))
            t.settle(out)
        done += len(out)


class IndexUnavailable(Exception):
    """The indexes are out of date and the store cannot be written (read-only): read by scanning instead."""
