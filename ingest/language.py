"""Language of a text among the six UN languages.

Script decides where it can (Han -> zh, Arabic -> ar, Cyrillic -> ru); lingua,
restricted to English, French and Spanish, decides among Latin-script texts.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from typing import Optional

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
_ARABIC = re.compile(r"[\u0600-\u06ff\u0750-\u077f]")
_CYR = re.compile(r"[\u0400-\u04ff]")
_LATIN = re.compile(r"[A-Za-zÀ-ÿ]")


@lru_cache(maxsize=1)
def _latin_detector():
    from lingua import Language, LanguageDetectorBuilder

    return LanguageDetectorBuilder.from_languages(Language.ENGLISH, Language.FRENCH, Language.SPANISH).build()


_LINGUA_CODES = {"ENGLISH": "en", "FRENCH": "fr", "SPANISH": "es"}


def detect_language(text: str) -> Optional[str]:
    """Return an ISO 639-1 code of a UN language, or None for text with no letters."""
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
    lang = _latin_detector().detect_language_of(sample[:300])
    return _LINGUA_CODES.get(lang.name, "en") if lang is not None else "en"


def document_languages(block_langs: list[tuple[Optional[str], int]]) -> list[str]:
    """Languages of a document, largest share first; a language needs 10% of the text to count."""
    weights: Counter[str] = Counter()
    for lang, size in block_langs:
        if lang:
            weights[lang] += size
    total = sum(weights.values()) or 1
    return [lang for lang, w in weights.most_common() if w / total >= 0.1]
