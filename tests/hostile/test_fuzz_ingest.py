"""Property tests for the text, structure and metadata parsers: no uncaught exception on any input,
normalizers idempotent. Bounded (a few hundred examples each) so CI stays fast."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings, strategies as st

from unkg.extract import annotate
from unkg.ingest.encoding import decode_text
from unkg.ingest.markdown_backend import clean_inline
from unkg.ingest.metadata import normalize_symbol
from unkg.ingest.patterns import join_lines
from unkg.ingest.pipeline import build_document
from unkg.ingest.raw import RawDoc
from unkg.ingest.text_backend import lines_from_text
from unkg.errors import IngestError

# text that looks like UN documents: labels, chapeaux, CJK, Arabic, page furniture, footnote marks
PIECES = st.sampled_from([
    "The General Assembly,", "缔约方会议，", "1.", "(a)", "(iv)", "一、", "I.", "A.", "Recalling", "Requests", "请", "يطلب",
    "decision 22/COP.15", "第22/COP.15号决定", "\n", "\n\n", "\f", "  ", "¹", "*", "—", "...", "2/5", "25-15432", "|", "#", "---",
    "Annex", "Contents", "目录", "plenary meeting", "\t", "(", ")", "«", "»", "\u00ad", "-",
])
UN_TEXT = st.lists(st.one_of(PIECES, st.text(max_size=30)), max_size=60).map("".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(UN_TEXT)
def test_structure_never_crashes(text):
    raw = RawDoc(lines=lines_from_text(text))
    doc = annotate(build_document(Path("fuzz.txt"), text.encode("utf-8", "surrogatepass"), raw, "text"))
    ids = [b.id for b in doc.blocks]
    assert len(ids) == len(set(ids))
    known = set(ids)
    assert all(b.parent is None or b.parent in known for b in doc.blocks)
    assert all(b.text.strip() for b in doc.blocks)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=2000))
def test_decoder_raises_only_typed_errors(data):
    try:
        text, enc = decode_text("fuzz.txt", data)
    except IngestError as exc:
        assert exc.reason and exc.code
    else:
        assert isinstance(text, str) and enc


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_normalizers_are_idempotent(text):
    assert normalize_symbol(normalize_symbol(text)) == normalize_symbol(text)
    assert clean_inline(clean_inline(text)) == clean_inline(text) or "\\" in text or "*" in text or "_" in text or "[" in text or "<" in text


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80), st.text(max_size=80))
def test_join_lines_keeps_every_character(a, b):
    def squash(t: str) -> str:
        return "".join(t.split()).replace("\u00ad", "")

    assert squash(join_lines(a, b)) == squash(a + b)
