"""One fused score per paragraph, the order the hits are shown in.

    score = dense * shape + LEXICAL * coverage + WHOLE * whole_query + QUOTED * quoted

- ``dense``: cosine similarity of the query and the paragraph (the one signal
  comparable across languages);
- ``coverage``: the share of the query's words (weighted by their rarity, idf)
  that the paragraph holds. A paragraph in another language than the query's
  counts only language-neutral words (numbers, codes, names written with a
  capital: "15.3.1", "UNCCD", "Changwon"), since an English word found inside a
  French paragraph is chance. Chinese words are looked up as character strings
  in the text, so jieba's cuts do not matter;
- ``whole_query``: the paragraph holds the query's words as one exact sequence
  (a name: "Changwon Initiative", "昌原倡议");
- ``quoted``: the paragraph holds every quoted phrase (those come first);
- ``shape``: below 1 for headings, titles and blocks of a few words, whose
  embeddings sit close to any short query in any language.

Score-based rather than rank-based fusion: rank fusion hands a position to a
hit whatever its evidence, so a short heading in another language took places
from the paragraphs that answer the query. The score shown is the score sorted on.
"""

from __future__ import annotations

import bisect
import itertools
import math
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable, Iterable, Optional

import numpy as np

from .text import STOPWORDS, _HAN_RUN, ParsedQuery, han_bigrams, stem

LEXICAL = 0.5  # a paragraph holding every query word gains half a cosine
WHOLE = 0.2  # ... and more when it holds them in the query's order (names)
QUOTED = 1.0  # holding every quoted phrase outweighs any other evidence
SHORT_SHAPE = 0.6  # the evidence for a heading counts this much (a block of a few words: up to 1.0 at SHORT_TOKENS)
SHORT_TOKENS = 12  # "a few words": fewer tokens than this
WORDS_FOUND = 0.5  # the share of the query's words a same-language paragraph must hold for the short shape to apply
COVERAGE_POWER = 1.5  # a paragraph holding one query word of four gains far less than a quarter of a full match
STEM_CREDIT = 0.7  # an inflected form of a query word counts this much of the word
MAX_STEMMED_TERMS = 12  # longer queries (pasted text) are matched by their exact words only
NAME_OTHER_LANGUAGE = 0.8  # a name found in another language than the query's counts this much
SECTION = 0.15  # a paragraph whose section heading holds the query's words gains this much of the heading's coverage

_CAPITALISED = re.compile(r"(?<![\w])[A-Z\u0400-\u042f][\w.\-/]*")
_DIGIT = re.compile(r"\d")


@dataclass
class Candidate:
    """What the ranking reads of one indexed paragraph."""

    rowid: int
    block_id: str
    doc_id: str
    lang: Optional[str]
    kind: str
    han: str  # the runs of Han characters of the printed text (NFKC), one a line: where Chinese words are looked up
    body: str  # the indexed (folded) words in order, space-separated
    words: Optional[frozenset[str]]  # the indexed words as a set; None: not made yet (see `tokens`)
    n_tokens: int
    parent: Optional[str] = None
    translation_of: Optional[str] = None
    text_hash: str = ""
    symbol: Optional[str] = None
    label: Optional[str] = None
    dense: Optional[float] = None
    coverage: float = 0.0
    whole: bool = False
    quoted: bool = False
    section_bonus: float = 0.0
    score: float = 0.0

    @property
    def tokens(self) -> frozenset[str]:
        """The indexed words as a set, made on first use."""
        if self.words is None:
            self.words = frozenset(self.body.split())
        return self.words




@dataclass
class QueryTerms:
    """The query's content words with their weights, prepared once per query."""

    terms: list[str]
    weights: dict[str, float]
    neutral: frozenset[str]  # words that count in a paragraph of any language
    sequence: list[str] = field(default_factory=list)  # the unquoted words in order (for the whole-query match)
    names: list = field(default_factory=list)  # (query tokens spelling a vocabulary name, the Name, its matcher)
    stems: dict = field(default_factory=dict)  # stem -> the query words it stands for
    stem_re: Optional[re.Pattern] = None  # finds any of the stems at the start of a paragraph's word

    def __post_init__(self) -> None:
        # read for every candidate: worked out once per query
        self.total = sum(self.weights.values())
        self.han_terms = frozenset(t for t in self.terms if _HAN_RUN.fullmatch(t))
        # a paragraph in another language than the query's counts only these (and names), in the query's order
        self.neutral_terms = [t for t in self.terms if t in self.neutral]

    @property
    def empty(self) -> bool:
        return not self.terms


def query_terms(pq: ParsedQuery, doc_freq, n_docs: int) -> QueryTerms:
    """Content words of the query (quoted ones included), idf-weighted; `doc_freq(term)` -> paragraphs holding it."""
    words = pq.words + [w for p in pq.phrases for w in p]
    terms: list[str] = []
    for w in words:
        if w in STOPWORDS or w in terms or not w.strip():
            continue
        if not any(c.isalnum() for c in w):
            continue
        terms.append(w)
    n = max(n_docs, 1)
    weights = {}
    for t in terms:
        df = doc_freq(t)
        weights[t] = math.log(1.0 + (n - df + 0.5) / (df + 0.5))
    caps = {_fold(m.group()) for m in _CAPITALISED.finditer(unicodedata.normalize("NFKC", pq.text))}
    neutral = frozenset(t for t in terms if _DIGIT.search(t) or t in caps)
    seq = [w for w in pq.words if any(c.isalnum() for c in w)]
    from .names import names_in

    stems: dict[str, list[str]] = {}
    if len(terms) <= MAX_STEMMED_TERMS:  # a pasted paragraph is matched by its exact words
        for t in terms:
            st = stem(t)
            if st != t and not _HAN_RUN.fullmatch(t):
                stems.setdefault(st, []).append(t)
    # one pass over a paragraph's words: any stem at the start of a word, an Arabic article or clitic allowed before it
    stem_re = re.compile(r"(?:^| )(?:وال|بال|فال|كال|لل|ال)?(" + "|".join(map(re.escape, sorted(stems, key=len, reverse=True))) + ")") if stems else None
    names = [(span, name, name_matcher(name)) for span, name in names_in(pq.words)]
    return QueryTerms(terms, weights, neutral, seq, names, stems, stem_re)


def _fold(word: str) -> str:
    word = unicodedata.normalize("NFKD", word.lower())
    return "".join(c for c in word if not unicodedata.combining(c))


def holds(c: Candidate, term: str) -> bool:
    """Whether the paragraph holds the word: Chinese as a character string of the text, others as an indexed token."""
    if _HAN_RUN.fullmatch(term):
        return term in c.han
    return term in c.tokens


def holds_sequence(c: Candidate, seq: list[str]) -> bool:
    """The words in this order, adjacent (Chinese: the characters, wherever the segmenter cut)."""
    if not seq:
        return False
    if all(_HAN_RUN.fullmatch(t) for t in seq):
        return "".join(seq) in c.han
    return (" " + " ".join(seq) + " ") in (" " + c.body + " ")


@lru_cache(maxsize=4096)
def name_matcher(name) -> tuple[Optional[re.Pattern], tuple[str, ...]]:
    """One pattern for the name's forms in a paragraph's indexed words, and its Chinese forms (looked up in the text)."""
    latin = [" ".join(f) for f in name.forms if not all(_HAN_RUN.fullmatch(t) for t in f)]
    han = tuple(dict.fromkeys(["".join(f) for f in name.forms if all(_HAN_RUN.fullmatch(t) for t in f)] + list(name.han_forms)))
    rx = re.compile(r"(?:^| )(?:" + "|".join(map(re.escape, sorted(latin, key=len, reverse=True))) + r")(?= |$)") if latin else None
    return rx, han


def holds_name(c: Candidate, matcher: tuple[Optional[re.Pattern], tuple[str, ...]]) -> bool:
    """Whether the paragraph holds any form of the name, in any language."""
    rx, han = matcher
    if rx is not None and rx.search(c.body):
        return True
    return any(h in c.han for h in han)


def coverage(c: Candidate, q: QueryTerms, same_language: bool) -> float:
    """The idf-weighted share of the query's words the paragraph holds; an inflected form (same stem)
    counts STEM_CREDIT of a word; the words of a name count in any language where the paragraph holds
    the name in one of its forms."""
    total = q.total
    if total <= 0:
        return 0.0
    got = 0.0
    named: set[str] = set()
    for span, name, matcher in q.names:
        if holds_name(c, matcher):
            named.update(span)
            if list(span) == q.sequence:
                c.whole = True
    inflected: Optional[set[str]] = None  # read from the paragraph's words only when a query word is not there as such
    han_terms, weights = q.han_terms, q.weights
    words: Optional[frozenset[str]] = None
    # another language: only language-neutral words and names count (most candidates there hold neither)
    for t in q.terms if same_language or named else q.neutral_terms:
        if t in named:
            # the name in another language than the query's: evidence, a little weaker than the query's own wording
            got += weights[t] * (1.0 if same_language else NAME_OTHER_LANGUAGE)
            continue
        if not same_language and t not in q.neutral:
            continue
        if t in han_terms:
            held = t in c.han
        else:
            if words is None:
                words = c.tokens
            held = t in words
        if held:  # holds(c, t)
            got += weights[t]
            continue
        if inflected is None:
            inflected = set()
            if q.stem_re is not None:
                for st in q.stem_re.findall(c.body):
                    inflected.update(q.stems.get(st, ()))
        if t in inflected:
            got += STEM_CREDIT * weights[t]
    return got / total


def evidence(c: Candidate, q: QueryTerms, qlang: Optional[str]) -> None:
    """The lexical parts of one candidate: coverage and the whole-query match."""
    same = qlang is None or c.lang is None or c.lang == qlang
    c.coverage = coverage(c, q, same) if not q.empty else 0.0
    if not c.whole and len(q.sequence) > 1 and c.coverage > 0 and (same or all(t in q.neutral for t in q.sequence)):
        c.whole = holds_sequence(c, q.sequence)


def score(c: Candidate, dense_floor: float, words_found: bool) -> float:
    """The fused score of one candidate (stored on it). `words_found`: some paragraph in the query's language
    holds query words; then a block of a few words is a weak answer (its embedding is close to any short
    query, and holding one query word is most of it), and its evidence counts with the short shape. Without
    such evidence (a query in one language over paragraphs in another) the embedding is all there is."""
    d = c.dense if c.dense is not None else dense_floor
    shape = short_shape(c) if words_found else 1.0
    c.score = (d + LEXICAL * c.coverage ** COVERAGE_POWER + WHOLE * c.whole) * shape + QUOTED * c.quoted + c.section_bonus
    return c.score


def short_shape(c: Candidate) -> float:
    """1.0 for a paragraph of SHORT_TOKENS words or more, down to SHORT_SHAPE for a heading or a word or two."""
    return shape_of(c.kind, c.n_tokens)


def shape_of(kind: str, n_tokens: int) -> float:
    if kind in ("heading", "title"):
        return SHORT_SHAPE
    return min(1.0, SHORT_SHAPE + (1.0 - SHORT_SHAPE) * n_tokens / SHORT_TOKENS)


def words_found(cands: Iterable[Candidate], qlang: Optional[str]) -> bool:
    """Whether the query's own words answer it somewhere: a paragraph in the query's language holds at least
    WORDS_FOUND of them (a stray paragraph in the query's language inside a French document, holding two
    words of an English sentence, is not that)."""
    return any(c.coverage >= WORDS_FOUND and (qlang is None or c.lang in (None, qlang)) for c in cands)


def group_key(c: Candidate) -> str:
    """Paragraphs that are one text: the same printed text, or translations of each other."""
    return c.translation_of or c.block_id


def order(cands: Iterable[Candidate]) -> list[Candidate]:
    return sorted(cands, key=lambda c: (-c.score, c.rowid))


# -- bounds: which candidates can reach the first page ---------------------------------------------------

BOUND_MARGIN = 1e-9  # the bounds are sums in another order than the exact scores': this much above them


def upper_bounds(q: QueryTerms, qlang: Optional[str], langs: list, hans: list[str],
                 may_hold: Callable[[str], np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """For each of n candidates, an upper bound of its coverage and of its whole-query match (0 or 1), read
    from which words it may hold; the ranking computes the exact evidence only where these bounds could
    reach the first page.

    `langs` and `hans`: each candidate's language and Han runs; `may_hold(word)`: a boolean array, True
    where the candidate may hold the (non-Chinese) word as an indexed token (any superset will do: the BM25
    matrix's postings, which hold the `extra` words too). Chinese words are looked up in the Han runs as
    `coverage` does. Each credit `coverage` can give a word is allowed where its condition may hold: the word
    itself, an inflected form (any word of the query with a stem), a name the word belongs to."""
    n = len(langs)
    looked: dict[str, np.ndarray] = {}
    with_han = [i for i, h in enumerate(hans) if h]  # most candidates of a corpus hold no Chinese
    # their Han runs in one string: a word is looked for once, each candidate holding it found by one search
    joined = "\x00".join(hans[i] for i in with_han)
    starts = list(itertools.accumulate((len(hans[i]) + 1 for i in with_han[:-1]), initial=0))

    def in_han(t: str) -> np.ndarray:
        a = np.zeros(n, dtype=bool)
        pos = joined.find(t) if t else -1
        while pos >= 0:
            k = bisect.bisect_right(starts, pos) - 1
            a[with_han[k]] = True
            pos = joined.find(t, starts[k + 1]) if k + 1 < len(starts) else -1
        return a

    def holds_any(t: str) -> np.ndarray:
        a = looked.get(t)
        if a is None:
            a = looked[t] = in_han(t) if _HAN_RUN.fullmatch(t) else may_hold(t)
        return a

    same = np.fromiter((qlang is None or lang is None or lang == qlang for lang in langs), dtype=bool, count=n)
    # a name may be held where every word of one of its forms may be, or one of its Chinese forms is (holds_name)
    name_may: list[np.ndarray] = []
    for _span, name, (_rx, han_forms) in q.names:
        m = np.zeros(n, dtype=bool)
        for form in name.forms:
            if all(_HAN_RUN.fullmatch(t) for t in form):
                continue  # joined, among the Chinese forms
            a = np.ones(n, dtype=bool)
            for t in form:
                a &= holds_any(t)
            m |= a
        for h in han_forms:
            m |= in_han(h)
        name_may.append(m)
    named_of: dict[str, np.ndarray] = {}
    for (span, _name, _m), m in zip(q.names, name_may):
        for t in span:
            named_of[t] = named_of[t] | m if t in named_of else m
    stemmed = {t for ts in q.stems.values() for t in ts} if q.stem_re is not None else set()
    got = np.zeros(n, dtype=np.float64)
    for t in q.terms:
        w = q.weights[t]
        held = holds_any(t)
        inflected = STEM_CREDIT * w if t in stemmed else 0.0
        own = np.where(held, w, inflected)  # the paragraph in the query's language; a neutral word in any
        nm = named_of.get(t)
        other = own if t in q.neutral else np.zeros(n)
        if nm is not None:
            own = np.where(nm, w, own)
            other = np.maximum(other, np.where(nm, w * NAME_OTHER_LANGUAGE, 0.0))
        got += np.where(same, own, other)
    cov = got / q.total if q.total > 0 and not q.empty else np.zeros(n)
    whole = np.zeros(n, dtype=bool)
    for (span, _name, _m), m in zip(q.names, name_may):
        if list(span) == q.sequence:
            whole |= m
    if len(q.sequence) > 1:
        a = np.ones(n, dtype=bool)
        for t in q.sequence:  # a pasted paragraph's words: after a few, no candidate but a copy may hold them all
            a &= holds_any(t)
            if not a.any():
                break
        whole |= a
    return cov, whole


def score_bounds(dense: np.ndarray, cov: np.ndarray, whole: np.ndarray, shape: np.ndarray, quoted: np.ndarray) -> np.ndarray:
    """Upper bounds of `score` (without the section bonus, which the ranking gives exactly) from bounds of its
    parts; `shape` is exact (it depends only on the paragraph and on `words_found`)."""
    return (dense + LEXICAL * np.maximum(cov, 0.0) ** COVERAGE_POWER + WHOLE * whole) * shape + QUOTED * quoted + BOUND_MARGIN
