"""Text handling shared by indexing and querying.

- `normalise`: NFKC, collapsed whitespace (what is embedded and hashed).
- `segment`: the FTS5 form of a text: lower-cased words, Chinese runs cut into
  words by jieba, so that a two-character Chinese word is a token of its own.
- `parse_query` / `fts_match`: user text becomes a list of words and quoted
  phrases; every token is emitted as an FTS5 string literal, so no user input is
  ever read as FTS5 syntax (NEAR, OR, *, parentheses, column filters...).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterator

_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
# a word: letters/digits with inner dots, dashes, slashes and apostrophes kept (15.3.1, SO1-1, 22/COP.15)
_WORD = re.compile(r"[^\W_](?:[\w./'’-]*[^\W_])?", re.UNICODE)
_DIGIT = re.compile(r"\d")
_ACRONYM = re.compile(r"(?<![\w])[A-Z][A-Z0-9]+(?![\w])")
# only straight double quotes mark a phrase: curly quotes belong to pasted text
_QUOTED = re.compile(r'"([^"]*)"')

# very frequent function words: left out of OR queries (they cost time, add nothing to BM25)
STOPWORDS = frozenset(
    """a an and are as at be by for from has have in into is it its of on or that the their this to was were will with
    le la les de des du et en un une au aux pour par sur dans que qui est sont
    el los las del y en un una por para con que se al
    и в во на с по к о от для не что
    的 了 和 与 及 在 是 对 为 将 等""".split()
)


def normalise(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).split())


def text_hash(text: str) -> str:
    return hashlib.sha1(normalise(text).encode("utf-8")).hexdigest()


@lru_cache(maxsize=1)
def _jieba():
    """A private jieba with the UN user dictionary: the extract vocabulary's Chinese names of actors,
    initiatives and places (every alias) are words of their own, so "在昌原倡议的" is cut 在 / 昌原倡议 / 的."""
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    jb = jieba.Tokenizer()
    jb.initialize()
    for w in user_words():
        jb.add_word(w, freq=2_000_000)
    return jb


@lru_cache(maxsize=1)
def user_words() -> tuple[str, ...]:
    """The Chinese words of the extract vocabulary (names and UN terms), as the extractor segments them."""
    try:
        from unkg.extract.vocab import load
    except ImportError:  # pragma: no cover - the extract package is part of the install
        return ()
    return tuple(load().zh_words)


def han_bigrams(run: str) -> list[str]:
    """Overlapping character pairs of a Han run ("昌原倡议" -> 昌原 原倡 倡议): found whatever jieba cut."""
    return [run[i : i + 2] for i in range(len(run) - 1)]


def _cut(run: str) -> list[str]:
    return [w for w in _jieba().cut(run, HMM=True) if w.strip()]


def _fold(word: str) -> str:
    """Case- and accent-folding as FTS5's unicode61 tokenizer with remove_diacritics does, so both sides agree."""
    word = unicodedata.normalize("NFKD", word.lower())
    return "".join(c for c in word if not unicodedata.combining(c))


def tokens(text: str) -> list[str]:
    """Words of a text in reading order; Chinese runs segmented with jieba."""
    text = unicodedata.normalize("NFKC", text)
    out: list[str] = []
    pos = 0
    for m in _HAN_RUN.finditer(text):
        out.extend(_latin_tokens(text[pos : m.start()]))
        out.extend(_cut(m.group()))
        pos = m.end()
    out.extend(_latin_tokens(text[pos:]))
    return out


_NUMBER_RANGE = re.compile(r"\d+(?:-\d+)+")


def _latin_tokens(chunk: str) -> Iterator[str]:
    for m in _WORD.finditer(chunk):
        w = m.group()
        if _NUMBER_RANGE.fullmatch(w):
            # "1981-2010" is the same range as "1981–2010" (en dash, a separator): two numbers either way
            yield from w.split("-")
        else:
            yield _fold(w)


_AR_CLITICS = ("وال", "بال", "فال", "كال", "لل", "ال")


def stem(word: str) -> str:
    """A crude language-neutral stem for inflected words (засухи / засухой, datos / dato, الجفاف / بالجفاف):
    an Arabic article or clitic off, then the first five letters of a word of six or more. Used only to
    credit a near match when scoring candidates, never to find them."""
    for c in _AR_CLITICS:
        if word.startswith(c) and len(word) - len(c) >= 3:
            word = word[len(c):]
            break
    if len(word) >= 6 and word.isalpha():
        return word[:5]
    return word


def subwords(text: str) -> list[str]:
    """Extra Chinese tokens (jieba's search mode: the shorter words inside long ones), for recall."""
    extra: list[str] = []
    for m in _HAN_RUN.finditer(unicodedata.normalize("NFKC", text)):
        precise = set(_cut(m.group()))
        for w in _jieba().cut_for_search(m.group(), HMM=True):
            if w.strip() and w not in precise:
                extra.append(w)
        # single characters too, so any one-character query still matches, then the character pairs:
        # a name or phrase is found as its run of pairs wherever the word splitter put the boundaries
        extra.extend(c for c in m.group())
        extra.extend(han_bigrams(m.group()))
    return extra


def segment(text: str) -> str:
    """The FTS5 body column: tokens joined by spaces. FTS5's tokenizer splits them again on the same boundaries."""
    return " ".join(tokens(text))


_NUMBER = re.compile(r"\d+")


def numbers(text: str) -> Counter:
    """The digit runs of a text, as a multiset: '15.3.1' and '第15.3.1' give the same."""
    return Counter(m.lstrip("0") or "0" for m in _NUMBER.findall(unicodedata.normalize("NFKC", text)))


def number_agreement(a: Counter, b: Counter) -> float:
    """Weighted Jaccard of two number multisets (1.0: the same numbers, as often)."""
    if not a or not b:
        return 0.0
    inter = sum((a & b).values())
    return inter / sum((a | b).values())


def is_neutral(tok: str) -> bool:
    """A language-neutral token: numbers, codes, symbols (15.3.1, SO1-1, 2030, UNCCD) read the same in every language."""
    if _DIGIT.search(tok):
        return True
    return False


@dataclass
class ParsedQuery:
    text: str
    words: list[str] = field(default_factory=list)  # folded tokens outside quotes
    phrases: list[list[str]] = field(default_factory=list)  # folded tokens of each quoted phrase
    raw_phrases: list[str] = field(default_factory=list)
    acronyms: list[str] = field(default_factory=list)  # folded tokens written in capitals (UNCCD, LDN, SDG)

    @property
    def empty(self) -> bool:
        return not self.words and not any(self.phrases)


def parse_query(text: str) -> ParsedQuery:
    q = ParsedQuery(text=text)
    text = unicodedata.normalize("NFKC", text or "")
    rest = []
    pos = 0
    for m in _QUOTED.finditer(text):
        rest.append(text[pos : m.start()])
        inner = next(g for g in m.groups() if g is not None)
        toks = tokens(inner)
        if toks:
            q.phrases.append(toks)
            q.raw_phrases.append(normalise(inner))
        pos = m.end()
    rest.append(text[pos:])
    # an unbalanced quote is just a character
    # link targets are not words anyone searches for: "[title](https://...)" keeps its title
    q.words = tokens(_LINK_TARGET.sub(" ", " ".join(rest)).replace('"', " "))
    q.acronyms = [_fold(m.group()) for m in _ACRONYM.finditer(text)]
    return q


def _lit(term: str) -> str:
    """An FTS5 string literal: always double-quoted, inner quotes doubled."""
    return '"' + term.replace('"', '""') + '"'


def fts_or(terms: list[str], drop_stopwords: bool = True, stopwords_alone: bool = True) -> str | None:
    """Any of the terms (BM25 ranks documents holding more, rarer ones first).

    Function words are left out; a query of function words only is searched as is
    when `stopwords_alone` (lexical search), else gives no lexical evidence at all.
    """
    content = [t for t in terms if t not in STOPWORDS]
    seen: list[str] = []
    for t in terms:
        if drop_stopwords and t in STOPWORDS and (content or not stopwords_alone):
            continue
        if t not in seen:
            seen.append(t)
    if not seen:
        return None
    parts = []
    for t in seen[:64]:
        parts.append(_lit(t))
        if len(t) > 1 and _HAN_RUN.fullmatch(t):
            # the same characters in sequence, wherever jieba cut the indexed text differently
            parts.append("extra : " + _lit(" ".join(han_bigrams(t))))
    return " OR ".join(parts)


def fts_phrases(phrases: list[list[str]]) -> str | None:
    """All quoted phrases, each matched as an exact token sequence; a phrase's Chinese runs as their
    character pairs in sequence (the `extra` column), so the segmenter's cuts do not matter."""
    parts = []
    for p in phrases:
        groups: list[tuple[bool, list[str]]] = []  # runs of Han tokens and of other tokens, in order
        for tok in p:
            han = bool(_HAN_RUN.fullmatch(tok))
            if groups and groups[-1][0] == han:
                groups[-1][1].append(tok)
            else:
                groups.append((han, [tok]))
        for han, toks in groups:
            if not han:
                parts.append("body : " + _lit(" ".join(toks)))
                continue
            run = "".join(toks)
            parts.append("extra : " + _lit(" ".join(han_bigrams(run)) if len(run) > 1 else run))
    if not parts:
        return None
    return " AND ".join(parts)


_LATIN_WORD = re.compile(r"[A-Za-z\u00c0-\u024f]{2,}")
_OTHER_SCRIPT = re.compile(r"[\u0400-\u04ff\u0600-\u06ff\u3400-\u9fff]")


def search_language(text: str) -> str | None:
    """The language of a query, None when it cannot be told: a single Latin-script word ("Objective",
    "Kubuqi") reads the same in English, French and Spanish, and a guess would make its words count
    in one language only."""
    if not _OTHER_SCRIPT.search(text) and len(_LATIN_WORD.findall(text)) < 2:
        return None
    # a pasted paragraph: its first sentences tell the language (detection cost grows with the length: 0.25 s
    # for a long paragraph on this machine)
    return query_language(text[:300])


def query_language(text: str) -> str | None:
    try:
        from unkg.ingest.language import detect_language
    except ImportError:  # pragma: no cover
        return None
    return detect_language(text)


_LINK_TARGET = re.compile(r"\]\(+[^)]*\)+|<?(?:https?://|www\.)[^\s>)]+>?")
_URL = re.compile(r"\[[^\]]*\]\(+[^)]*\)+|\(?<?(?:https?://|www\.)\S+")


def content_language(text: str, stored: str | None = None) -> str | None:
    """The language of a text's prose: URLs and markdown links dropped (a link's label is
    often the untranslated title of the work cited, not the language of the sentence).

    Without a link the language ingest `stored` for the paragraph stands: it was detected on
    the same text (in context: a symbol line of a Chinese document is Chinese), and detecting
    again cost a third of lexical indexing at 1M paragraphs."""
    if stored and not _URL.search(text):
        return stored
    stripped = _URL.sub(" ", text)
    return query_language(stripped) if stripped.strip() else None
