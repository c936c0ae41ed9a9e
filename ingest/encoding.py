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


# the most frequent Han characters of UN texts: real Chinese is full of them, bytes read as UTF-16 are not
_COMMON_HAN = set("的和在是国会议秘书处缔约方请决定报告进展土地退化发展合作行动计划年第届工作委员可持续一了为与对")


def _plausible_utf16(text: str) -> bool:
    """Is this text in a UN language? (Binary read as UTF-16 is a third Han ideographs, in no order.)"""
    if not text:
        return False
    sample = text[:20000]
    han = good = common = 0
    for c in sample:
        o = ord(c)
        if 0x4E00 <= o <= 0x9FFF:
            han += 1
            common += c in _COMMON_HAN
        elif (32 <= o < 127 or c in "\t\n\r\f" or 0xA0 <= o <= 0x24F or 0x400 <= o <= 0x4FF or 0x600 <= o <= 0x6FF
              or 0x2000 <= o <= 0x206F or 0x3000 <= o <= 0x303F or 0xFF00 <= o <= 0xFFEF):
            good += 1
    if (han + good) < 0.95 * len(sample):
        return False
    return han < 0.3 * len(sample) or common >= 0.08 * han


def _utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    """UTF-16 text without a BOM (Chinese, Russian, Arabic: few zero bytes), little- or big-endian."""
    if len(data) < 4 or len(data) % 2:
        return None
    sample = data[:65536]
    if sum(1 for b in sample if b < 9 or 13 < b < 32) <= len(sample) * 0.01:
        try:
            data.decode("utf-8")
            return None  # valid UTF-8 without control bytes is read as UTF-8
        except UnicodeDecodeError:
            pass
    for enc in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if _plausible_utf16(text):
            return text, enc
    return None


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
    utf16 = _utf16_without_bom(data)
    if utf16 is not None:
        return utf16
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
