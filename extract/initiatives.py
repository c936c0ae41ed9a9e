"""Named initiatives outside the vocabulary, by the shape of their names.

Why: reports and resolutions name programmes, plans, strategies, frameworks, funds, facilities,
forums, guidelines, campaigns and decades the curated vocabulary cannot list in advance.  Precision
first: a name is kept only when its shape is unambiguous.

- English: a run of capitalised words (digits and year ranges allowed, "and/for/of/on/the/in/to"
  inside) ending in a head word ("Participatory Slum Upgrading Programme", "2018–2030 Strategic
  Framework", "Land Degradation Neutrality Fund"), with "on/of/for/to ..." complements
  ("Voluntary Guidelines on the Responsible Governance of Tenure of Land, Fisheries and Forests in
  the Context of National Food Security") and a capitalised subtitle after ":" ("Global Action
  Plan: Accelerating for Transforming Informal Settlements and Slums by 2030").
- Chinese: a name in 《》 or “” ending in a head (倡议 方案 计划 战略 论坛 指南 读本 基金 研究院 框架
  纲领 伙伴关系 举措 十年 行动计划).
- French, Spanish, Russian, Arabic: a name in «», “” or "" beginning or ending with a head
  ("« Programme de définition des cibles »", "«Программа ...»"); in French, Spanish and Russian also a
  name from its head word to the Latin acronym in brackets ("Iniciativa Financiera de Biodiversidad (BIOFIN)").

Ids are `initiative:<slug of the name>`; the gazetteer wins where both match (the caller masks).
"""

from __future__ import annotations

import re

from .citations import Found
from .vocab import slug

_HEAD_EN = r"(?:Initiative|Programme|Program|Plan|Strategy|Framework|Fund|Facility|Forum|Guidelines|Campaign|Decade|Compact|Platform|Agenda)"
# United Nations programmes are organisations (UNEP, UNDP ...); "the 2030 Agenda" is not a named initiative
_ORGANISATION_RE = re.compile(r"^United\s+Nations\s+(?:[A-Z][\w’'\-]*\s+){1,4}Programme$|^\d{4}\s+Agenda\b")
_W = r"(?:[A-Z][\w’'\-]*|\d{4}(?:[–-]\d{4})?|\d{1,2}(?:st|nd|rd|th)?)"
_IN = r"(?:and|for|of|on|the|in|to|&)"
_NAME_EN = re.compile(
    r"(?<![\w’'])" + _W + r"(?:\s+(?:(?:and|&)\s+)?" + _W + r"){0,8}?\s+" + _HEAD_EN + r"\b"
    r"(?:\s+(?:on|for|to|against|of(?!\s+the\b))\s+(?:the\s+)?" + _W + r"(?:(?:,\s*|\s+)(?:(?:and|of|in|the|on|for|to|against)\s+){0,2}" + _W + r"){0,14})?"
    r"(?::\s+" + _W + r"(?:\s+(?:(?:and|for|of|on|the|in|to|by)\s+){0,2}" + _W + r"){0,12})?"
)
_STOP_FIRST = {"The", "A", "An", "In", "At", "By", "For", "Of", "And", "This", "That", "These", "Its", "Their", "All", "Such", "Each",
               "Every", "With", "From", "Under", "Including", "Recalling", "Welcoming", "Noting", "Taking", "Requests", "Invites", "Encourages",
               "Decides", "Urges", "Calls", "Also", "Further", "Notes", "Recognizing", "Reaffirming", "Acknowledging", "Appreciating", "Underlining"}
_NOT_A_NAME = {"Strategic Plan", "Programme", "Plan", "Framework", "Fund", "Forum"}

_HEAD_ZH = r"(?:倡议|方案|计划|战略|论坛|指南|读本|基金|研究院|框架|纲领|伙伴关系|举措|十年|行动计划|规划|平台)"
_NAME_ZH = re.compile(r"[《“]([^《》“”\n]{2,40}?" + _HEAD_ZH + r")[》”]")
_HEADS_OTHER = {
    "fr": r"(?:Programme|Plan|Stratégie|Initiative|Fonds|Forum|Guide|Partenariat|Cadre|Décennie|Campagne)",
    "es": r"(?:Programa|Plan|Estrategia|Iniciativa|Fondo|Foro|Guía|Asociación|Marco|Decenio|Campaña)",
    "ru": r"(?:Программа|План|Стратегия|Инициатива|Фонд|Форум|Руководство|Партнерство|Рамочная программа|Десятилетие|Кампания)",
    "ar": r"(?:برنامج|خطة|استراتيجية|مبادرة|صندوق|منتدى|دليل|شراكة|إطار|عقد|حملة)",
}
_NAME_OTHER = {lang: re.compile(r"[«“\"]\s*(" + h + r"[^«»“”\"\n]{3,120}?)\s*[»”\"]") for lang, h in _HEADS_OTHER.items()}


# French, Spanish, Russian: a name opened by a head word and followed by its Latin acronym in brackets, as UN texts
# introduce a programme ("la Iniciativa Financiera de Biodiversidad (BIOFIN)", "l’initiative de financement de la
# biodiversité (BIOFIN)", "Инициативы по финансированию биоразнообразия (BIOFIN)", "(IPBES, por sus siglas en inglés)")
_ACRONYM_AFTER = re.compile(r"[ \u00a0]?\(([A-Z][A-Z0-9]{2,9})(?:,[^()]{0,40})?\)")
_ACRONYM_WORD = re.compile(r"[^\s,;:.!?()«»“”\"]+")
_ACRONYM_STOP = re.compile(r"[,;:.!?()«»“”\"\n]")
# United Nations programmes and funds are organisations (UNEP, UNDP, UNICEF ...), as in English
# (and "Convención Marco de las Naciones Unidas ..." is a convention): a name holding the Organization's name is left out
_UN_ORGANISATION_RE = re.compile(r"Naciones\s+Unidas|Nations\s+Unies|Объединенных\s+Наций")
# "dans le cadre du ...", "en el marco de ...": within the framework of, not a framework's name
_FRAMEWORK_IDIOM = re.compile(r"^(?:cadre|marco)\s+d(?:u|e|es|el)\b")


_PLURAL_HEADS = ("fonds", "directives", "directrices")  # heads written with a final s in the singular


def _acronym_names(text: str, lang: str) -> list[Found]:
    """Names followed by their acronym in brackets, from the last head word before it (see above)."""
    from .aliases import head_class

    out: list[Found] = []
    for m in _ACRONYM_AFTER.finditer(text):
        end = m.start()
        stop = max((x.end() for x in _ACRONYM_STOP.finditer(text, max(0, end - 160), end)), default=max(0, end - 160))
        words = list(_ACRONYM_WORD.finditer(text, stop, end))[-10:]
        for i in range(len(words) - 2, -1, -1):  # the last head word with at least one word after it
            w = words[i]
            elided = re.match(r"[ldLD]['’]", w.group()) if lang == "fr" else None
            word = w.group()[2:] if elided else w.group()
            if head_class(word, lang) is None:
                continue
            start = w.start() + (2 if elided else 0)  # "l’initiative de ...": the article is not part of the name
            name = text[start:end]
            if lang in ("fr", "es") and re.search(r"(?:s|es)$", word) and not any(word.lower() == h for h in _PLURAL_HEADS):
                break  # "programmes d’action nationaux (PAN)", "Estrategias ...": a plural is not one named initiative
            if _UN_ORGANISATION_RE.search(name) or _FRAMEWORK_IDIOM.match(name):
                break
            out.append(Found(start, end, "initiative", "initiative:" + slug(name), name))
            break
    return out


def find_initiatives(text: str, lang: str = "en") -> list[Found]:
    """Initiative names in a paragraph (see the module docstring)."""
    out: list[Found] = []
    if lang == "zh":
        for m in _NAME_ZH.finditer(text):
            s, e = m.span(1)
            out.append(Found(s, e, "initiative", "initiative:" + slug(m.group(1)), m.group(1)))
        return out
    if lang in _NAME_OTHER:
        for m in _NAME_OTHER[lang].finditer(text):
            s, e = m.span(1)
            out.append(Found(s, e, "initiative", "initiative:" + slug(m.group(1)), m.group(1)))
        if lang in ("fr", "es", "ru") and "(" in text:
            out += [f for f in _acronym_names(text, lang) if not any(o.start < f.end and f.start < o.end for o in out)]
            out.sort(key=lambda f: f.start)
        return out
    if not re.search(_HEAD_EN, text):
        return out
    for m in _NAME_EN.finditer(text):
        s, e = m.span()
        words = text[s:e].split()
        while words and words[0] in _STOP_FIRST:
            s = text.index(words[1], s + len(words[0])) if len(words) > 1 else e
            words = words[1:]
        name = text[s:e].rstrip(" ,:")
        # a subtitle that runs into a lower-case clause is cut at its last capitalised word
        if len(name.split()) < 2 or name in _NOT_A_NAME or _ORGANISATION_RE.search(name):
            continue
        out.append(Found(s, s + len(name), "initiative", "initiative:" + slug(name), name))
    return out
