"""Garbled paragraphs (broken font maps) are stored as printed but never indexed for search."""

from __future__ import annotations

import pytest

from tests.conftest import SAMPLES
from tests.extract.test_garbled import _broken_font_map
from unkg.corpus.store import Store
from unkg.extract import annotate
from unkg.ingest.pipeline import parse_file
from unkg.search.engine import Filters, Searcher


@pytest.mark.parametrize("sample", ["003_fba4fe6ec1bb1a00.txt", "001_309b4cd226994121.txt"])
def test_garbled_paragraphs_are_not_indexed(tmp_path, sample):
    clean = annotate(parse_file(SAMPLES / sample))
    paras = [b.text for b in clean.blocks if b.kind in ("text", "operative", "preambular") and len(b.text) > 60][:9]
    f = tmp_path / "mixed.txt"
    f.write_text("\n\n".join(_broken_font_map(p) if i % 3 == 2 else p for i, p in enumerate(paras)), encoding="utf-8")
    doc = annotate(parse_file(f))
    garbled = {b.id for b in doc.blocks if b.zone == "garbled"}
    assert len(garbled) == 3
    store = Store(tmp_path / "unkg.sqlite")
    store.put_document(doc)
    s = Searcher(store)
    s.ensure_index()
    hits = {h.paragraph_id for q in [_broken_font_map(paras[2]), paras[0][:80]]
            for h in s.search(q, filters=Filters(), top_k=50, mode="dense")}
    assert hits, "the readable paragraphs are indexed"
    assert not hits & garbled
    s.close()
    store.close()
