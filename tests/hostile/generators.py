"""Hostile files, made on the fly: each function writes one file and returns what a correct outcome is.

An outcome is either a set of acceptable error codes, or "ok"/"partial" for files
that are valid but extreme (a correct partial result is fine).
"""

from __future__ import annotations

import io
import os
import zipfile
import zlib
from pathlib import Path
from typing import Callable

from fpdf import FPDF
from fpdf.enums import EncryptionMethod

SECRET = "unkg-local-secret-7f3a"  # written into a local file an XXE tries to read


def _pdf(lines: list[str], **enc) -> FPDF:
    pdf = FPDF()
    pdf.set_font("Helvetica", size=11)
    if enc:
        pdf.set_encryption(**enc)
    pdf.add_page()
    for line in lines:
        pdf.multi_cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
    return pdf


def encrypted_rc4_user(path: Path) -> set[str]:
    _pdf(["The General Assembly,"], owner_password="o", user_password="u", encryption_method=EncryptionMethod.RC4).output(str(path))
    return {"encrypted"}


def encrypted_aes256_user(path: Path) -> set[str]:
    _pdf(["The General Assembly,"], owner_password="o", user_password="u", encryption_method=EncryptionMethod.AES_256).output(str(path))
    return {"encrypted"}


def encrypted_aes256_owner_only(path: Path) -> set[str]:
    # no user password: any reader may open it, so the correct result is the text
    _pdf(["The General Assembly,", "1. Decides to act."], owner_password="o", encryption_method=EncryptionMethod.AES_256).output(str(path))
    return {"ok", "partial", "encrypted"}


def encrypted_rc4_owner_only(path: Path) -> set[str]:
    _pdf(["The General Assembly,", "1. Decides to act."], owner_password="o", encryption_method=EncryptionMethod.RC4).output(str(path))
    return {"ok", "partial", "encrypted"}


def truncated_pdf(path: Path) -> set[str]:
    data = bytes(_pdf(["The General Assembly,"] * 30).output())
    path.write_bytes(data[: len(data) // 2])
    return {"invalid", "no_text", "ok", "partial"}


def zero_byte(path: Path) -> set[str]:
    path.write_bytes(b"")
    return {"empty"}


def random_bytes_pdf(path: Path) -> set[str]:
    path.write_bytes(os.urandom(65536))
    return {"invalid"}


def random_bytes_txt(path: Path) -> set[str]:
    path.write_bytes(os.urandom(65536))
    return {"binary", "invalid_encoding"}


def _raw_pdf(objects: list[bytes], root: int, xref_prev_self: bool = False) -> bytes:
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % i + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for off in offsets:
        out.write(b"%010d 00000 n \n" % off)
    trailer = b"<< /Size %d /Root %d 0 R" % (len(objects) + 1, root)
    if xref_prev_self:
        trailer += b" /Prev %d" % xref
    out.write(b"trailer\n" + trailer + b" >>\nstartxref\n%d\n%%%%EOF\n" % xref)
    return out.getvalue()


def circular_xref(path: Path) -> set[str]:
    # the xref's /Prev points at itself and the page tree contains itself
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>",
    ]
    path.write_bytes(_raw_pdf(objs, 1, xref_prev_self=True))
    return {"invalid", "no_text", "resource_limit", "timeout"}


def decompression_bomb(path: Path) -> set[str]:
    # a 1 GB content stream of spaces compressed to about 1 MB
    comp = zlib.compressobj(9)
    chunk = b" " * (1 << 20)
    parts = [comp.compress(chunk) for _ in range(1024)]
    parts.append(comp.flush())
    stream = b"".join(parts)
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    path.write_bytes(_raw_pdf(objs, 1))
    return {"no_text", "resource_limit", "timeout", "invalid"}


def many_pages(path: Path, pages: int = 5000) -> set[str]:
    pdf = FPDF()
    pdf.set_font("Helvetica", size=11)
    for i in range(pages):
        pdf.add_page()
        pdf.text(20, 20, f"{i + 1}. Decides to continue the work on page {i + 1}.")
    pdf.output(str(path))
    return {"ok", "partial"}


def dense_page(path: Path, glyphs: int = 30000) -> set[str]:
    pdf = FPDF()
    pdf.set_font("Helvetica", size=2)
    pdf.add_page()
    words = ("desertification land degradation drought " * (glyphs // 40 + 1))[:glyphs]
    pdf.multi_cell(0, 1, words, new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))
    return {"ok", "partial"}


def _docx_parts(document_xml: bytes) -> dict[str, bytes]:
    return {
        "[Content_Types].xml": b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        b'<Default Extension="xml" ContentType="application/xml"/>'
        b'<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        "_rels/.rels": b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
        "word/document.xml": document_xml,
    }


def _write_zip(path: Path, parts: dict[str, bytes]) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)


_W = b'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def docx_zip_bomb(path: Path) -> set[str]:
    body = b"<w:document " + _W + b"><w:body><w:p><w:r><w:t>" + b" " * (300 * 1024 * 1024) + b"</w:t></w:r></w:p></w:body></w:document>"
    _write_zip(path, _docx_parts(body))
    return {"zip_bomb"}


def docx_many_entries(path: Path) -> set[str]:
    parts = _docx_parts(b"<w:document " + _W + b"><w:body><w:p><w:r><w:t>Hi</w:t></w:r></w:p></w:body></w:document>")
    for i in range(10000):
        parts[f"word/media/x{i}.xml"] = b"<x/>"
    _write_zip(path, parts)
    return {"zip_bomb"}


def docx_billion_laughs(path: Path) -> set[str]:
    ents = b'<!ENTITY lol "lol">' + b"".join(b'<!ENTITY lol%d "%s">' % (i, b"&lol%d;" % (i - 1) * 10 if i > 1 else b"&lol;" * 10) for i in range(1, 10))
    body = b'<?xml version="1.0"?><!DOCTYPE w:document [' + ents + b"]><w:document " + _W + b"><w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>"
    _write_zip(path, _docx_parts(body))
    return {"unsafe_xml"}


def docx_external_entity(path: Path, secret_file: Path) -> set[str]:
    body = (b'<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file://' + str(secret_file).encode() + b'">]>'
            b"<w:document " + _W + b"><w:body><w:p><w:r><w:t>&xxe;</w:t></w:r></w:p></w:body></w:document>")
    _write_zip(path, _docx_parts(body))
    return {"unsafe_xml"}


def docx_truncated(path: Path) -> set[str]:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in _docx_parts(b"<w:document " + _W + b"><w:body>" + b"<w:p><w:r><w:t>Recalling</w:t></w:r></w:p>" * 2000 + b"</w:body></w:document>").items():
            zf.writestr(name, data)
    data = buf.getvalue()
    path.write_bytes(data[: len(data) // 2])
    return {"invalid"}


def docx_not_a_zip(path: Path) -> set[str]:
    path.write_text("This is plain text pretending to be a Word document.", encoding="utf-8")
    return {"invalid"}


def html_deep_nesting(path: Path, depth: int = 100000) -> set[str]:
    path.write_text("<html><body>" + "<div>" * depth + "Recalling the Convention," + "</div>" * depth + "</body></html>", encoding="utf-8")
    return {"ok", "partial"}


def text_single_line_10mb(path: Path) -> set[str]:
    path.write_text("Recalling the Convention and its Parties " * (10 * 1024 * 1024 // 42), encoding="utf-8")
    return {"ok", "partial"}


def text_invalid_utf8(path: Path) -> set[str]:
    path.write_bytes("The General Assembly,\n\n1. Decides to act on land degradation.\n".encode("utf-8") + b"\xff\xfe\xc3\x28 broken \xa0\xa1\n")
    return {"partial", "invalid_encoding"}


def generators(secret_file: Path) -> dict[str, Callable[[Path], set[str]]]:
    """File name -> generator."""
    return {
        "encrypted-rc4-user-password.pdf": encrypted_rc4_user,
        "encrypted-aes256-user-password.pdf": encrypted_aes256_user,
        "encrypted-aes256-owner-only.pdf": encrypted_aes256_owner_only,
        "encrypted-rc4-owner-only.pdf": encrypted_rc4_owner_only,
        "truncated.pdf": truncated_pdf,
        "zero-byte.pdf": zero_byte,
        "random-bytes.pdf": random_bytes_pdf,
        "random-bytes.txt": random_bytes_txt,
        "circular-xref.pdf": circular_xref,
        "decompression-bomb.pdf": decompression_bomb,
        "5000-pages.pdf": many_pages,
        "30000-glyphs.pdf": dense_page,
        "zip-bomb.docx": docx_zip_bomb,
        "10000-entries.docx": docx_many_entries,
        "billion-laughs.docx": docx_billion_laughs,
        "external-entity.docx": lambda p: docx_external_entity(p, secret_file),
        "truncated-zip.docx": docx_truncated,
        "not-a-zip.docx": docx_not_a_zip,
        "nested-100000.html": html_deep_nesting,
        "single-line-10mb.txt": text_single_line_10mb,
        "invalid-utf8.txt": text_invalid_utf8,
    }
