"""One file in, one Document out: backend -> structure -> metadata -> language."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from dataclasses import dataclass
from typing import Optional

from unkg.errors import FileTooLarge, IngestError
from unkg.model import Block, Document

from .backends import backend_for, sniff_format
from .bounds import MAX_PARAGRAPH_CHARS, split_long, split_warning
from .language import detect_languages, document_languages, too_short_to_tell
from .options import ReadOptions
from .metadata import doc_type, find_agenda_item, find_body, find_date, find_session, find_symbol
from .patterns import CHAPEAU_RE
from .raw import RawDoc, RawLine
from .structure import Para, assemble, classify, drop_page_furniture

_META_LANG = {"en": "en", "english": "en", "fr": "fr", "french": "fr", "es": "es", "spanish": "es", "ru": "ru",
              "russian": "ru", "zh": "zh", "chinese": "zh", "ar": "ar", "arabic": "ar"}


def read_bytes(path: Path, max_file_mb: float = ReadOptions.max_file_mb) -> bytes:
    """Read a file, refusing ones too large to parse safely."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise IngestError(str(path), f"cannot read the file ({exc.strerror})", "unreadable") from None
    limit = max_file_mb * 1024 * 1024
    if size > limit:
        raise FileTooLarge(str(path), f"file is {size / 1048576:.0f} MB, above the {max_file_mb:.0f} MB limit (UNKG_MAX_FILE_MB)")
    if size == 0:
        raise IngestError(str(path), "the file is empty", "empty")
    return path.read_bytes()


def doc_id_for(symbol: Optional[str], language: Optional[str], sha256: str) -> str:
    """Stable id: the symbol and language where printed, else the content hash."""
    if symbol:
        return f"{symbol}@{language or 'xx'}"
    return f"sha:{sha256[:16]}"


def _link_translations(blocks: list[Block], languages: list[str]) -> None:
    """In a bilingual file that alternates languages block by block, link each block to its translation."""
    if len(languages) < 2:
        return
    primary = languages[0]
    content = [b for b in blocks if b.kind not in ("footnote", "table") and b.language]
    pairs = 0
    for a, b in zip(content, content[1:]):
        if a.language == primary and b.language and b.language != primary and b.translation_of is None and a.translation_of is None:
            b.translation_of = a.id
            pairs += 1
    if pairs < len(content) // 4:  # not an alternating file: undo
        for b in blocks:
            b.translation_of = None


def _bound_paragraphs(paras: list[Para]) -> tuple[list[Para], str, dict[str, int]]:
    """Cut paragraphs longer than the bound into pieces (see bounds.py); the warning says how many.

    The third value maps each piece's text to the number of the paragraph it was cut from, so
    the language is detected once per original paragraph, as it was before the cut.
    """
    if all(p.length <= MAX_PARAGRAPH_CHARS for p in paras):
        return paras, "", {}
    out: list[Para] = []
    origin: dict[str, int] = {}
    long_blocks = pieces = 0
    for p in paras:
        if p.length <= MAX_PARAGRAPH_CHARS or len(p.text) <= MAX_PARAGRAPH_CHARS:
            out.append(p)
            continue
        parts = split_long(p.text)
        long_blocks += 1
        pieces += len(parts)
        origin.update(dict.fromkeys(parts, long_blocks))
        for i, part in enumerate(parts):
            # the pieces keep the paragraph's page and role; only the first keeps its place after a gap
            role = p.role if i == 0 or p.role != "heading" else "body"
            out.append(Para([part], p.page, role=role, heading_level=p.heading_level, whole=p.whole,
                            after_gap=p.after_gap and i == 0, text=part))
    return out, split_warning(long_blocks, pieces), origin


def _script(lang: Optional[str]) -> str:
    return {"zh": "han", "ja": "han", "ar": "arabic", "ru": "cyrillic"}.get(lang or "", "latin")


def build_document(path: Path, data: bytes, raw: RawDoc, fmt: str, source: Optional[str] = None) -> Document:
    """Turn a backend's RawDoc into a Document with structure, metadata and languages."""
    sha = hashlib.sha256(data).hexdigest()
    lines, gaps, _furniture = drop_page_furniture(raw.lines)
    paras, split_note, origin = _bound_paragraphs(assemble(lines, gaps, trust_blank_lines=fmt == "text"))
    plain = [p.text[:500] for p in paras]  # metadata lives in the first words of a line
    # a symbol sits on a short line; a long one (a whole file without breaks) is not scanned
    symbol = find_symbol([ln.text.strip() if len(ln.text) < 1000 else "" for ln in raw.lines[:60]], raw.meta)
    blocks = classify(paras, "tmp")
    # a block split from a longer piece takes the language of the piece's first block; a block too short to tell
    # (`too_short_to_tell`: under 12 letters, not mostly Chinese) takes the document's
    first_of: dict[object, int] = {}
    for i, b in enumerate(blocks):
        if not too_short_to_tell(b.text):
            first_of.setdefault(origin.get(b.text, ("block", i)), i)
    detected = dict(zip(first_of.values(), detect_languages([blocks[i].text for i in first_of.values()])))
    sized = []
    for i, b in enumerate(blocks):
        k = origin.get(b.text, ("block", i))
        b.language = detected.get(first_of[k]) if k in first_of else None
        sized.append((b.language, len(b.text) * (3 if b.language == "zh" else 1)))
    languages = document_languages(sized)
    meta_lang = _META_LANG.get(str(raw.meta.get("language", "")).lower().split("-")[0])
    language = meta_lang if meta_lang and (not languages or meta_lang in languages) else (languages[0] if languages else meta_lang)
    if language and language not in languages:
        languages.insert(0, language)
    for b in blocks:
        if b.language is None:
            b.language = language
        elif b.language != language and language and _script(b.language) == _script(language) and sum(1 for c in b.text if c.isalpha()) < 40 \
                and not (b.translation_of or len(languages) > 1 and b.language in languages[1:2] and b.kind not in ("heading", "title")):
            # a short heading or line ("Implementation", "Documentation") is too short to tell French from English:
            # it takes the document's language
            b.language = language
    doc_id = doc_id_for(symbol, language, sha)
    for b in blocks:
        b.id = doc_id + b.id[3:]
        if b.parent:
            b.parent = doc_id + b.parent[3:]
    _link_translations(blocks, languages)
    t = next((b for b in blocks if b.kind == "title"), None)
    title = t.text if t else (raw.meta.get("title") or _guess_title(blocks))
    if isinstance(title, str):
        title = re.sub(r"^\d{1,4}/\S+\.?\s+", "", title.strip()) or title.strip()
    has_chapeau = any(CHAPEAU_RE.match(p) for p in plain)
    # session and body are read from the masthead of UN documents only, not from running prose
    front = [b.text for b in blocks if b.zone == "front"][:40] if (symbol or has_chapeau) else []
    return Document(
        id=doc_id,
        source=source or str(path),
        sha256=sha,
        format=fmt,
        symbol=symbol,
        title=title if isinstance(title, str) else None,
        date=find_date(plain, raw.meta),
        language=language,
        languages=languages,
        body=find_body(front, symbol),
        session=find_session(front, symbol),
        agenda_item=find_agenda_item(front),
        doc_type=doc_type(symbol, has_chapeau),
        pages=raw.pages,
        warnings=list(raw.warnings) + ([split_note] if split_note else []),
        blocks=blocks,
    )


_SUBTITLE = re.compile(r"^(Note by the secretariat|Report of the|秘书处的说明|执行主任的报告|Note du secrétariat|Nota de la secretaría|Записка секретариата|مذكرة من الأمانة)", re.I)


def _guess_title(blocks: list[Block]) -> Optional[str]:
    """Reports: the line above 'Note by the secretariat'; others: the first short line."""
    for i, b in enumerate(blocks[:60]):
        if _SUBTITLE.match(b.text) and i > 0:
            return blocks[i - 1].text
    for b in blocks[:10]:
        if b.kind in ("heading", "text") and 10 <= len(b.text) <= 200 and b.text[-1:] not in ".。,":
            return b.text
    return None


def parse_file(path: Path, source: Optional[str] = None, options: ReadOptions = ReadOptions()) -> Document:
    """Parse one file into a Document (no extraction). Raises IngestError subclasses."""
    data = read_bytes(path, options.max_file_mb)
    fmt = sniff_format(path, data)
    raw = backend_for(fmt)(path, data, options)
    if not any(ln.text.strip() for ln in raw.lines):
        raise IngestError(str(path), "no text found (a scanned image without OCR, or an empty document)", "no_text")
    return build_document(path, data, raw, fmt, source=source)


@dataclass(frozen=True)
class ParseOnly:
    """The parse task of the ingest layer: a file into a Document, without extraction."""

    options: ReadOptions = ReadOptions()

    def warm_up(self) -> None:
        text = ("1. Requests the secretariat to report to the Conference of the Parties at its next session on the "
                "implementation of the present decision, including on the resources that it has required.")
        build_document(Path("warm-up.txt"), text.encode(), RawDoc(lines=[RawLine(text, break_before=True)]), "text")

    def __call__(self, path: str) -> Document:
        return parse_file(Path(path), source=path, options=self.options)
