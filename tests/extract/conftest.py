"""Shared helpers for the extraction tests: the facts of an annotated document as a set."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from unkg.extract import annotate
from unkg.extract.facts import initiative_facts
from unkg.ingest.pipeline import parse_file

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples"
DATA = Path(__file__).resolve().parent / "data"


def action_key(action: str) -> str:
    return re.sub(r"\s+", "", action)[:8].lower()


def doc_facts(doc) -> set[tuple]:
    """Citations, actors, countries, initiatives, targets, quantities, mandates and
    initiative facts of a document, each as a hashable tuple (document level, no duplicates)."""
    out: set[tuple] = set()
    for b in doc.blocks:
        for c in b.citations:
            out.add(("cite", c.id))
        for e in b.entities:
            if e.type in ("actor", "country", "initiative", "target"):
                out.add(("ent", e.type, e.id))
            elif e.type == "quantity":
                out.add(("qty", float(e.value), e.unit))
        for m in b.mandates:
            out.add(("mandate", m.decision, m.verb_en, tuple(sorted(m.addressees)), action_key(m.action)))
    for f in initiative_facts(doc):
        out.add(("fact", f.subject, f.predicate, f.object))
    return out


def score(pred: set, gold: set) -> tuple[float, float]:
    tp = len(pred & gold)
    p = tp / len(pred) if pred else 1.0
    r = tp / len(gold) if gold else 1.0
    return p, r


@pytest.fixture(scope="session")
def seed_docs():
    docs = {}
    for path in sorted(SAMPLES.glob("*.txt")):
        doc = parse_file(path)
        annotate(doc)
        docs[path.name[:3]] = doc
    return docs
