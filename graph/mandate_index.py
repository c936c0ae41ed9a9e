"""Keeps the store's mandate indexes (`unkg.corpus.mandate_tables`) up to date, one changed document at a time.

What a row holds is decided here, by the same rules `graph.mandates` and `graph.lifecycle` apply
(decision normalization, the mandate's session, the response and supersede cues), so an indexed
read finds exactly the mandates and citations a scan of every block would.
"""

from __future__ import annotations

import hashlib
import sqlite3

from unkg.corpus.identifiers import mandate_session, normalize_decision
from unkg.corpus.mandate_tables import MandateTables
from unkg.model import Document

from . import lifecycle as L
from .build import store_fingerprints

#: changes when what a row holds changes (the cues, the session rule): every document is indexed again
INDEX_RULE = hashlib.sha1("|".join([L.RESPONSE_CUES.pattern, L.SUPERSEDE_CUES.pattern, "mandate-index-1"]).encode()).hexdigest()[:12]


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
            mandates.append((b.id, i, dec, (dec or "").lower(), ses, (lang or "").lower(), m.verb, m.verb_en, m.force))
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
    """Bring the mandate indexes up to date with the store (only changed documents are read)."""
    try:
        t = MandateTables(store)
        current = {d: f"{fp}|{INDEX_RULE}" for d, fp in store_fingerprints(store).items()}
        built = t.built()
        stale = [d for d in built if d not in current]
        todo = sorted(d for d, fp in current.items() if built.get(d) != fp)
        if not stale and not todo:
            return t
        with store.transaction():
            for d in stale:
                t.remove_document(d)
        for k in range(0, len(todo), 50):  # a few documents per transaction: fewer commits, still all or nothing each
            with store.transaction():
                for d in todo[k : k + 50]:
                    doc = store.document(d)
                    if doc is None:
                        continue
                    t.put_document(d, current[d], *document_rows(doc, t.block_rowids(d)))
    except sqlite3.OperationalError as exc:
        if "readonly" not in str(exc).lower():
            raise
        raise IndexUnavailable(str(exc)) from None
    return t


class IndexUnavailable(Exception):
    """The indexes are out of date and the store cannot be written (read-only): read by scanning instead."""
