"""What the parser fuzz (test_fuzz_worker.py) found, one regression test each, in process.

Each input failed before as `parser_error: unexpected <Exception> in <file>:<line>`, an untyped
crash inside the worker, instead of a clear error naming the problem (or a partial result).
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from tests.hostile import generators as gen
from unkg.errors import IngestError
from unkg.ingest.pipeline import parse_file

_BODY = b"".join(b"<w:p><w:r><w:t>" + t.encode() + b"</w:t></w:r></w:p>"
                 for t in ["The Conference of the Parties,", "1. Requests the secretariat to report.", "缔约方会议，", "1. 请秘书处提交报告。"])


def _docx(path: Path, document_xml: bytes, extra: dict[str, bytes] | None = None) -> Path:
    parts = gen._docx_parts(document_xml)
    parts.update(extra or {})
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    path.write_bytes(buf.getvalue())
    return path


@pytest.mark.parametrize("root", [b"w:documenX", b"w:body", b"x"])
def test_word_part_that_is_not_a_word_body_is_invalid(tmp_path, root):
    # found by mutation: one byte of the root tag changed -> AttributeError in python-docx's document.py
    xml = b"<" + root + b" " + gen._W + b"><w:body>" + _BODY + b"</w:body></" + root + b">"
    path = _docx(tmp_path / "renamed-root.docx", xml)
    with pytest.raises(IngestError) as info:
        parse_file(path)
    assert info.value.code == "invalid"
    assert "not a readable Word body" in info.value.reason and str(path) in str(info.value)


def test_damaged_footnotes_keep_the_body(tmp_path):
    notes = b"<w:footnotes " + gen._W + b"><w:footnote w:id=\"1\"><w:p><w:r><w:t>note</w:t></w:r></w:p></w:footnote"  # cut
    path = _docx(tmp_path / "broken-notes.docx", b"<w:document " + gen._W + b"><w:body>" + _BODY + b"</w:body></w:document>",
                 {"word/footnotes.xml": notes})
    doc = parse_file(path)
    texts = [b.text for b in doc.blocks]
    assert "请秘书处提交报告。" in texts and "Requests the secretariat to report." in texts
    assert any("footnotes part is damaged" in w for w in doc.warnings)
