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
  ("« Programme de définition des cibles »", "«Программа ...»").

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
