"""The leading action verb of a paragraph, as printed, and its normalized English form.

English uses the grammar of resolutions: a preambular paragraph opens with a
participle ("Recalling", "Deeply concerned"), an operative one with a verb in
the third person ("Requests", "Also decides"), a lettered sub-paragraph of an
operative chapeau often with a gerund ("(a) Strengthening ..."). Adverbs in
front ("Also", "Further", "Strongly") are skipped. Other languages use the
lexicon in `verb_lexicon`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from .verb_lexicon import ADVERBS, EN_IRREGULAR, FORCE, LEXICON

_WORD = re.compile(r"\S+")
_NOT_VERBS_S = {
    "states", "parties", "members", "countries", "governments", "efforts", "resources", "its", "this", "thus", "as",
    "has", "was", "is", "its", "various", "numerous", "towards", "progress", "access", "business", "less", "unless",
    "us", "plus", "bus", "canvas", "status", "focus", "consensus", "means", "series", "species", "news", "gas", "has",
    "nations", "women", "measures", "programmes", "activities", "policies", "partners", "youths", "persons", "needs",
}
_PARTICIPLES = {"concerned", "determined", "guided", "convinced", "aware", "mindful", "conscious", "alarmed", "encouraged",
                "cognizant", "deeply", "seized", "disturbed", "gravely", "desirous", "committed", "dismayed", "shocked",
                "pleased", "satisfied", "appreciative", "grateful", "emphasizing", "resolved", "acknowledging", "bearing"}


@dataclass(frozen=True)
class Verb:
    printed: str  # as printed, without adverbs ("requests", "Recalling", "请")
    en: str  # normalized English base form ("request")
    force: str  # force class ("requests")


def _en_base(word: str) -> str:
    w = word.lower().strip(",;:")
    if w in EN_IRREGULAR:
        return EN_IRREGULAR[w]
    if w.endswith("ing"):
        stem = w[:-3]
        for cand in (stem + "e", stem, stem[:-1] if len(stem) > 2 and stem[-1] == stem[-2] else stem):
            if cand in FORCE:
                return cand
        return stem + "e" if stem.endswith(("iz", "at", "uc", "ur", "lv", "rg", "ag")) else stem
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "y"
    if w.endswith(("sses", "shes", "ches", "xes", "zes")):
        return w[:-2]
    if w.endswith("s"):
        return w[:-1]
    if w.endswith("ed"):
        return w[:-1] if w[:-1] in FORCE else w[:-2]
    return w


def _english(text: str, kind: str, level: int) -> Optional[Verb]:
    words = _WORD.findall(text[:200])
    i = 0
    while i < len(words) - 1 and (words[i].lower() in ADVERBS["en"] or (words[i].lower().endswith("ly") and len(words[i]) > 4)):
        i += 1
    if i >= len(words):
        return None
    raw = words[i]
    w = raw.lower().strip(",;:")
    if not w.isalpha():
        return None
    first_upper = words[0][:1].isupper()
    if not first_upper:
        return None
    is_verb = False
    if kind == "preambular":
        is_verb = (w.endswith("ing") and len(w) > 5) or w in _PARTICIPLES or w in ("having",)
    elif kind == "operative" and level <= 1:
        is_verb = w in EN_IRREGULAR or (w.endswith("s") and not w.endswith(("ss", "us", "is")) and w not in _NOT_VERBS_S and not w.endswith("ies") and len(w) > 3)
    elif kind == "operative":
        is_verb = (w.endswith("ing") and len(w) > 5) or w in ("decides", "requests", "invites", "urges", "encourages")
    else:
        base = _en_base(w)
        is_verb = base in FORCE and w.endswith("s") and w not in _NOT_VERBS_S
    if not is_verb:
        return None
    printed = raw.rstrip(";:")
    en = _en_base(w)
    if en == "take" and i + 1 < len(words) and words[i + 1].lower().startswith("note"):
        en = "take note"
    if en == "call" and i + 2 < len(words) and words[i + 1].lower() in ("upon", "on"):
        en = "call upon"
    return Verb(printed=printed, en=en, force=FORCE.get(en, "other"))


# In running text (reports), only verbs that open a request count; "通过" there means "through".
_TEXT_VERBS_ZH = {"请", "决定", "邀请", "敦促", "鼓励", "吁请", "促请", "呼吁", "要求", "建议"}


def _lexical(text: str, lang: str, kind: str = "operative") -> Optional[Verb]:
    lex = LEXICON.get(lang)
    if lex and lang == "zh" and kind == "text":
        lex = {k: v for k, v in lex.items() if k in _TEXT_VERBS_ZH}
    if not lex:
        return None
    adverbs = ADVERBS.get(lang, set())
    t = text.strip()
    if lang == "zh":
        for _ in range(3):
            stripped = False
            for forms in (lex,):
                for form in sorted(forms, key=len, reverse=True):
                    if t.startswith(form):
                        return Verb(printed=form, en=forms[form], force=FORCE.get(forms[form], "other"))
            for adv in sorted(adverbs, key=len, reverse=True):
                if t.startswith(adv):
                    t = t[len(adv):]
                    stripped = True
                    break
            if not stripped:
                return None
        return None
    low = t.lower()
    words = low.split()
    start = 0
    while start < len(words) and start < 3:
        rest = " ".join(words[start:])
        for form in sorted(lex, key=len, reverse=True):
            if rest == form or rest.startswith(form + " ") or rest.startswith(form + ","):
                orig = t.split()[start : start + len(form.split())]
                return Verb(printed=" ".join(orig).rstrip(","), en=lex[form], force=FORCE.get(lex[form], "other"))
        if lang == "ar":
            w = words[start]
            for pre in ("وإذ ", "إذ ", "و"):
                if rest.startswith(pre):
                    alt = rest[len(pre):]
                    for cand in (alt, "ي" + alt[1:] if alt.startswith("ت") else alt):
                        for form in sorted(lex, key=len, reverse=True):
                            if cand.startswith(form):
                                return Verb(printed=form, en=lex[form], force=FORCE.get(lex[form], "other"))
            if w.startswith("ت"):
                cand = "ي" + rest[1:]
                for form in sorted(lex, key=len, reverse=True):
                    if cand.startswith(form):
                        return Verb(printed=words[start], en=lex[form], force=FORCE.get(lex[form], "other"))
        if words[start].strip(",") in adverbs:
            start += 1
            continue
        break
    return None


def leading_verb(text: str, kind: str, level: int, lang: Optional[str]) -> Optional[Verb]:
    """The paragraph's leading action verb, or None if it does not open with one."""
    if kind not in ("preambular", "operative", "text"):
        return None
    if lang in (None, "en"):
        v = _english(text, kind, level)
        if v or lang == "en":
            return v
    return _lexical(text, lang or "en", kind)
