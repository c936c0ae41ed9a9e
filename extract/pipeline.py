"""spaCy pipelines per UN language, built once and cached.

`get_nlp(lang)` returns `spacy.blank(lang)` (Chinese with a jieba segmenter that loads the
UN user dictionary into its own `jieba.Tokenizer`, so the process-wide jieba used
elsewhere is left alone) followed by four rule components registered as spaCy factories:

- `unkg_gazetteer`: two `PhraseMatcher`s (case-sensitive for names, case-insensitive for
  lower-case aliases) over the vocabulary of `extract.vocab`; longest match wins.
  Spans in `doc.spans["unkg_gazetteer"]`, `label_` = type, `id_` = node id (or a relative
  id such as `@secretariat`, resolved per document later).
- `unkg_citations`: decisions, resolutions, document symbols and SDG goals, targets and
  indicators (`extract.citations`), in `doc.spans["unkg_citations"]`.
- `unkg_quantities`: numbers with a unit (`extract.quantities`), in `doc.spans["unkg_quantities"]`.
- `unkg_dates`: dates in six languages, in `doc.spans["unkg_dates"]`.
- `unkg_orgs` (English): organisations outside the vocabulary, by the shape of their
  names (`extract.orgs`), in `doc.spans["unkg_orgs"]`.

Span extension `._.unkg` carries the extra values (normalized id, value, unit ...).
"""

from __future__ import annotations

import logging
from functools import lru_cache
from typing import Callable

import spacy
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans, get_words_and_spaces, registry

from . import citations as _cit
from . import initiatives as _initiatives
from . import orgs as _orgs
from . import quantities as _qty
from .vocab import LANGS, load

if not Span.has_extension("unkg"):
    Span.set_extension("unkg", default=None)

SPANS_GAZ, SPANS_CIT, SPANS_QTY, SPANS_DATE, SPANS_ORG = "unkg_gazetteer", "unkg_citations", "unkg_quantities", "unkg_dates", "unkg_orgs"


class JiebaTokenizer:
    """Chinese word segmentation with a private jieba instance and the UN user dictionary."""

    def __init__(self, vocab, words: list[str], hmm: bool = False):
        import jieba

        jieba.setLogLevel(logging.WARNING)
        self.vocab = vocab
        self.hmm = hmm
        self.jb = jieba.Tokenizer()
        self.jb.initialize()
        for w in words:
            self.jb.add_word(w, freq=2_000_000)

    def __call__(self, text: str) -> Doc:
        words = [w for w in self.jb.cut(text, HMM=self.hmm) if w]
        words, spaces = get_words_and_spaces(words, text)
        doc = Doc(self.vocab, words=words, spaces=spaces)
        doc.user_data["unkg_text"] = text
        return doc


class TextKeepingTokenizer:
    """Wraps a spaCy tokenizer and keeps the input string on the doc (`doc.text` is slow)."""

    def __init__(self, inner):
        self.inner = inner

    def __call__(self, text: str) -> Doc:
        doc = self.inner(text)
        doc.user_data["unkg_text"] = text
        return doc

    def pipe(self, texts, batch_size: int = 1000):
        for t in texts:
            yield self(t)

    def __getattr__(self, name):
        return getattr(self.inner, name)

    # spaCy serialisation hooks (the tokenizer is rebuilt from the vocabulary, nothing to save)
    def to_bytes(self, **kw):  # pragma: no cover
        return b""

    def from_bytes(self, data, **kw):  # pragma: no cover
        return self


@registry.tokenizers("unkg.jieba_tokenizer.v1")
def create_jieba_tokenizer(hmm: bool = False):
    def make(nlp):
        return JiebaTokenizer(nlp.vocab, load().zh_words, hmm=hmm)

    return make


_RU_ENDINGS = sorted("""ами ями ого его ому ему ыми ими ых их ах ях ам ям ом ем ой ей ый ий ая яя ое ее ые ие ую юю ов ев
    а я у ю ы и е о ь""".split(), key=len, reverse=True)


def ru_stem(word: str) -> str:
    """A crude Russian stem (case endings off) so that "Сторон", "Сторонам", "Стороны" match."""
    if len(word) <= 4 or not word[-1].isalpha():
        return word
    for end in _RU_ENDINGS:
        if word.endswith(end) and len(word) - len(end) >= 4:
            return word[: -len(end)]
    return word


def _stem_norms(doc: Doc) -> Doc:
    for t in doc:
        st = ru_stem(t.text)
        if st != t.text:
            t.norm_ = st
        else:
            t.norm_ = t.text
    return doc


class Gazetteer:
    def __init__(self, nlp: Language, lang: str):
        v = load()
        self.stem = lang == "ru"  # Russian: match on case-preserving stems (declension)
        self.cased = PhraseMatcher(nlp.vocab, attr="NORM" if self.stem else "ORTH")
        self.lower = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.types: dict[str, str] = {}
        cased: dict[str, list[str]] = {}
        lower: dict[str, list[str]] = {}
        for p in v.patterns.get(lang, []):
            self.types[p.id] = p.type
            if p.cased or lang in ("zh", "ru"):
                forms = {p.alias}
                if p.alias[:1].islower():
                    forms.add(p.alias[:1].upper() + p.alias[1:])
                cased.setdefault(p.id, []).extend(forms)
            else:
                lower.setdefault(p.id, []).append(p.alias)
        for table, matcher in ((cased, self.cased), (lower, self.lower)):
            texts = [(k, a) for k, aliases in table.items() for a in aliases]
            docs = list(nlp.tokenizer.pipe([a for _, a in texts])) if hasattr(nlp.tokenizer, "pipe") else [nlp.tokenizer(a) for _, a in texts]
            grouped: dict[str, list[Doc]] = {}
            for (k, _), d in zip(texts, docs):
                grouped.setdefault(k, []).append(_stem_norms(d) if self.stem and matcher is self.cased else d)
            for k, ds in grouped.items():
                matcher.add(k, ds)

    def __call__(self, doc: Doc) -> Doc:
        strings = doc.vocab.strings
        if self.stem:
            _stem_norms(doc)
        spans = []
        for matcher in (self.cased, self.lower):
            for match_id, s, e in matcher(doc):
                key = strings[match_id]
                spans.append(Span(doc, s, e, label=self.types.get(key, "actor"), span_id=key))
        doc.spans[SPANS_GAZ] = filter_spans(spans)
        return doc


@Language.factory("unkg_gazetteer", default_config={"lang": "en"})
def make_gazetteer(nlp: Language, name: str, lang: str):
    return Gazetteer(nlp, lang)


def doc_text(doc: Doc) -> str:
    """`doc.text` rebuilds the string from the tokens on every call: build it once per doc."""
    t = doc.user_data.get("unkg_text")
    if t is None:
        t = doc.user_data["unkg_text"] = doc.text
    return t


def _char_spans(doc: Doc, items, key: str) -> Doc:
    spans = []
    for it in items:
        sp = doc.char_span(it.start, it.end, label=it.kind, alignment_mode="expand")
        if sp is None:
            continue
        sp = Span(doc, sp.start, sp.end, label=it.kind, span_id=it.id)
        spans.append(sp)
    doc.spans[key] = spans
    return doc


class RuleSpans:
    """A pipeline component running one rule over the text: its items go to `doc.user_data` and become spans."""

    def __init__(self, lang: str, find: Callable[[str, str], list], data_key: str, span_key: str):
        self.lang, self.find, self.data_key, self.span_key = lang, find, data_key, span_key

    def __call__(self, doc: Doc) -> Doc:
        items = self.find(doc_text(doc), self.lang)
        doc.user_data[self.data_key] = items
        return _char_spans(doc, items, self.span_key)


def _register_rule(factory: str, find: Callable[[str, str], list], span_key: str) -> None:
    """Register `find` as the pipeline factory `factory`: the items land in `doc.user_data[factory]`."""

    @Language.factory(factory, default_config={"lang": "en"})
    def make(nlp: Language, name: str, lang: str):
        return RuleSpans(lang, find, factory, span_key)


_register_rule("unkg_citations", _cit.find, SPANS_CIT)
_register_rule("unkg_quantities", _qty.find_quantities, SPANS_QTY)
_register_rule("unkg_dates", _qty.find_dates, SPANS_DATE)


class OrgFinder:
    def __init__(self, lang: str = "en"):
        self.lang = lang

    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        items = _orgs.find_orgs(text) if self.lang == "en" else []
        named = _initiatives.find_initiatives(text, self.lang)
        if named:
            # a programme name wins over an organisation read inside it ("... Programme of the Ministry")
            items = sorted([f for f in items if not any(n.start <= f.start and f.end <= n.end for n in named)] + named, key=lambda f: f.start)
        doc.user_data["unkg_orgs"] = items
        return _char_spans(doc, items, SPANS_ORG)


@Language.factory("unkg_orgs", default_config={"lang": "en"})
def make_orgs(nlp: Language, name: str, lang: str):
    return OrgFinder(lang)


@lru_cache(maxsize=None)
def get_nlp(lang: str | None) -> Language:
    """The cached pipeline for a UN language (anything else falls back to English)."""
    lang = lang if lang in LANGS else "en"
    if lang == "zh":
        nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"@tokenizers": "unkg.jieba_tokenizer.v1"}}})
    else:
        nlp = spacy.blank(lang)
        nlp.tokenizer = TextKeepingTokenizer(nlp.tokenizer)
    nlp.add_pipe("unkg_gazetteer", config={"lang": lang})
    nlp.add_pipe("unkg_citations", config={"lang": lang})
    nlp.add_pipe("unkg_quantities", config={"lang": lang})
    nlp.add_pipe("unkg_dates", config={"lang": lang})
    nlp.add_pipe("unkg_orgs", config={"lang": lang})
    return nlp
