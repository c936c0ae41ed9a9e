"""Turn bytes of a text-like file into str: BOMs, UTF-16 without BOM, legacy code pages."""

from __future__ import annotations

import codecs

from unkg.errors import IngestError

_BOMS = [
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
]


def _looks_binary(text: str) -> bool:
    if not text:
        return False
    sample = text[:20000]
    bad = sum(1 for c in sample if (ord(c) < 32 and c not in "\t\n\r\f\v") or 0xFFFD == ord(c) or 0xE000 <= ord(c) <= 0xF8FF)
    return bad / len(sample) > 0.02


def decode_text(path: str, data: bytes) -> tuple[str, str]:
    """Return (text, encoding). Raise IngestError for bytes that are not text."""
    if not data.strip():
        raise IngestError(path, "the file is empty", "empty")
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(enc), enc
            except UnicodeDecodeError as exc:
                raise IngestError(path, f"invalid {enc} text at byte {exc.start}", "invalid_encoding") from None
    # UTF-16 without BOM: every other byte is zero in mostly-ASCII text
    if len(data) >= 4 and data.count(b"\x00") > len(data) // 4:
        even_zeros = data[0::2].count(0)
        odd_zeros = data[1::2].count(0)
        enc = "utf-16-le" if odd_zeros > even_zeros else "utf-16-be"
        try:
            text = data.decode(enc)
            if not _looks_binary(text):
                return text, enc
        except UnicodeDecodeError:
            pass
        raise IngestError(path, "binary content (NUL bytes); not a text document", "binary")
    sample = data[:65536]
    controls = sum(1 for b in sample if b < 9 or 13 < b < 32 and b != 27)
    if controls > len(sample) * 0.01:
        raise IngestError(path, "binary content (control bytes); not a text document", "binary")
    try:
        text = data.decode("utf-8")
        enc = "utf-8"
    except UnicodeDecodeError as exc:
        from charset_normalizer import from_bytes

        non_ascii = sum(1 for b in data[:200000] if b > 127)
        if non_ascii < len(data[:200000]) * 0.1:
            # mostly ASCII with a few accented letters or curly quotes: Windows-1252, the usual legacy
            try:
                return data.decode("cp1252"), "cp1252"
            except UnicodeDecodeError:
                pass

        best = from_bytes(data[:200000]).best()
        if best is None or best.encoding is None:
            raise IngestError(path, f"not valid UTF-8 (byte {exc.start}) and no known encoding fits", "invalid_encoding") from None
        enc = best.encoding
        text = data.decode(enc, errors="replace")
        if enc.startswith("utf_8") or text.count("\ufffd") > len(text) // 100:
            raise IngestError(path, f"invalid UTF-8 at byte {exc.start}; re-save the file as UTF-8", "invalid_encoding")
    if _looks_binary(text):
        raise IngestError(path, "binary content (control characters); not a text document", "binary")
    return text, enc


def encoding_warnings(encoding: str) -> list[str]:
    """A warning when the file was not Unicode: the text is a best guess, so the result is partial."""
    if encoding.replace("_", "-").lower().startswith(("utf-8", "utf-16", "utf-32", "ascii")):
        return []
    return [f"not valid UTF-8; decoded as {encoding} (check accented or non-Latin characters)"]
