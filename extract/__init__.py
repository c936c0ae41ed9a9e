"""Extraction: verbs, mandates, actors, targets, initiatives and citations per paragraph."""

from __future__ import annotations

from unkg.model import Document

from .verbs import leading_verb


def annotate(doc: Document) -> Document:
    """Fill each block's annotations in place and return the document."""
    for b in doc.blocks:
        v = leading_verb(b.text, b.kind, b.level, b.language)
        b.verb = v.printed if v else None
    return doc
