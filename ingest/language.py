"""Language of a text among the six UN languages.

Script decides where it can (Han -> zh, Arabic -> ar, Cyrillic -> ru); lingua,
restricted to English, French and Spanish, decides among Latin-script texts.

Lingua reads a text of 120 characters or more with its trigram model alone, and a
shorter one with its models of every n-gram order, which take 0.3 s to load against
0.02 s for the trigrams (each parse worker paid that before its first file). Within a
document, a short Latin text is read with the document instead: by the function words
it uses ("the", "les", "los"), and without them in the language of the document's longer
Latin text. Alone, a heading such as "Introduction" or "Preparation and implementation
of national action programmes" is ambiguous (lingua took the second for French); in its
document it is not. The larger models are still read for a short text alone (a search
query) and in a document whose longer Latin text has no clear majority language (a
bilingual brief).
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from typing import Optional, Sequence

from .patterns import cjk_ratio

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
_ARABIC = re.compile(r"[\u0600-\u06ff\u0750-\u077f]")
_CYR = re.compile(r"[\u0400-\u04ff]")
_LATIN = re.compile(r"[A-Za-zÀ-ÿ]")

# lingua reads all n-gram orders below this many characters, the trigrams alone from it
TRIGRAMS_FROM = 120
# a document's longer Latin text speaks for its short texts when one language has this share of it...
_MAJORITY = 0.9
# ... and there is this much of it (characters)
_MAJORITY_MIN_CHARS = 200

# Function words that belong to one of the three languages only (words shared by two, such as "de", "la", "en",
# "que", "un", are left out). A short text is English, French or Spanish by the ones it uses; one without any
# ("Introduction", "Subprogramme 4", a URL) is in its document's language.
_FUNCTION_WORDS = {
    "en": ("the of and to in for by with from its is are be that this these which at as an or on their has have was were "
           "can should may must will not also more when where without there it such through"),
    "fr": ("le les des du et pour dans sur avec une au aux est sont ses ces leur leurs qui par ou où pas été "
           "peut peuvent doit doivent être aussi plus très quand sans selon afin il elle ils elles cette cet"),
    "es": ("el los las del y para por con una al sus su es este esta estos estas como o sobre fue ha "
           "puede pueden debe deben ser está están también más muy cuando donde sin según hay"),
}
_WORD_LANG = {w: lang for lang, words in _FUNCTION_WORDS.items() for w in words.split()}
_URL = re.compile(r"\S+://\S+|www\.\S+")
# a word in lower case or with a capital first letter: "BY" in "(CC BY-NC-SA)" is not the English "by"
_WORD = re.compile(r"(?<![A-Za-zÀ-ÿ])[A-ZÀ-Þ]?[a-zß-ÿ]+(?![A-Za-zÀ-ÿ])")

_LINGUA_CODES = {"ENGLISH": "en", "FRENCH": "fr", "SPANISH": "es"}
_LATIN_LANGS = ("en", "fr", "es")
# fewer letters than this (in a text's first 200 characters) and not mostly Chinese: too little to read a language in
MIN_LETTERS = 12


def too_short_to_tell(text: str) -> bool:
    """A paragraph whose language is not read: it takes its document's (ingest) and is not scored (the scorer)."""
    return sum(1 for c in text[:200] if c.isalpha()) < MIN_LETTERS and cjk_ratio(text) <= 0.5


def _builder():
    from lingua import Language, LanguageDetectorBuilder

    return LanguageDetectorBuilder.from_languages(Language.ENGLISH, Language.FRENCH, Language.SPANISH)


@lru_cache(maxsize=1)
def _trigram_detector():
    """Lingua's trigram model alone: what it reads a text of 120 characters or more with in either mode."""
    return _builder().with_low_accuracy_mode().build()


@lru_cache(maxsize=1)
def _thorough_detector():
    """Lingua's models of every n-gram order, for a short text with nothing to lean on (0.3 s to load)."""
    return _builder().build()


class _ShortLatin:
    """A Latin text under 120 characters, decided once its document's other texts are."""

    def __init__(self, sample: str) -> None:
        self.sample = sample


def _by_script(text: str) -> Optional[str | _ShortLatin]:
    """The language where the script decides it or the text is long enough for the trigram model; else _ShortLatin."""
    sample = text[:2000]
    han = len(_HAN.findall(sample))
    ar = len(_ARABIC.findall(sample))
    cyr = len(_CYR.findall(sample))
    lat = len(_LATIN.findall(sample))
    # one Han character carries about as much as a two- or three-letter word
    scores = {"zh": han * 3, "ar": ar, "ru": cyr, "latin": lat}
    best = max(scores, key=lambda k: scores[k])
    if scores[best] == 0:
        return None
    if best != "latin":
        return best
    # a paragraph in Arabic, Chinese or Russian that quotes an English title or acronyms is still in that
    # language: its own script needs only a third of the letters (Latin quotations inside other scripts
    # are common in UN text, the reverse is rare)
    other = max(("zh", "ar", "ru"), key=lambda k: scores[k])
    if scores[other] >= 0.3 * (scores[other] + lat):
        return other
    if lat < 3:
        return None
    # 300 characters decide English, French or Spanish as well as 2,000 do, at a third of the cost
    head = sample[:300]
    if len(head) < TRIGRAMS_FROM:
        return _ShortLatin(head)
    return _lingua(_trigram_detector(), head)


def _lingua(detector, text: str) -> str:
    """English, French or Spanish as the detector reads them (English when it cannot tell)."""
    lang = detector.detect_language_of(text)
    return _LINGUA_CODES.get(lang.name, "en") if lang is not None else "en"


def _latin_majority(langs: Sequence[Optional[str | _ShortLatin]], texts: Sequence[str]) -> Optional[str]:
    """The language of at least 90% of the document's longer Latin text, if there is one."""
    weights: Counter[str] = Counter()
    for lang, text in zip(langs, texts):
        if isinstance(lang, str) and lang in _LATIN_LANGS:
            weights[lang] += len(text)
    total = sum(weights.values())
    if total < _MAJORITY_MIN_CHARS:
        return None
    lang, weight = weights.most_common(1)[0]
    return lang if weight >= _MAJORITY * total else None


def _by_function_words(sample: str) -> Optional[str]:
    """English, French or Spanish when the text's function words say so clearly (twice as many as any other's)."""
    votes: Counter[str] = Counter(_WORD_LANG[w] for w in (w.lower() for w in _WORD.findall(_URL.sub(" ", sample))) if w in _WORD_LANG)
    ranked = votes.most_common(2)
    if not ranked or len(ranked) == 2 and ranked[0][1] < 2 * ranked[1][1]:
        return None
    return ranked[0][0]


def _short_latin(sample: str, majority: Optional[str]) -> str:
    if majority is not None:
        return _by_function_words(sample) or majority
    return _lingua(_thorough_detector(), sample)


def detect_languages(texts: Sequence[str]) -> list[Optional[str]]:
    """ISO 639-1 codes of UN languages for the texts of one document (None for a text with no letters); a short
    Latin text is read with the document's other texts as context."""
    langs = [_by_script(t) for t in texts]
    if any(isinstance(lang, _ShortLatin) for lang in langs):
        majority = _latin_majority(langs, texts)
        langs = [_short_latin(lang.sample, majority) if isinstance(lang, _ShortLatin) else lang for lang in langs]
    return langs  # type: ignore[return-value]


def detect_language(text: str) -> Optional[str]:
    """Return an ISO 639-1 code of a UN language, or None for text with no letters (a text alone: a short one is
    read with lingua's models of every n-gram order)."""
    return detect_languages([text])[0]


def document_languages(block_langs: list[tuple[Optional[str], int]]) -> list[str]:
    """Languages of a document, largest share first; a language needs 10% of the text to count."""
    weights: Counter[str] = Counter()
    for lang, size in block_langs:
        if lang:
            weights[lang] += size
    total = sum(weights.values()) or 1
    return [lang for lang, w in weights.most_common() if w / total >= 0.1]
