"""Decisions, resolutions, document symbols and SDG ids in the six UN languages.

Normalized ids:

- COP-style decisions in every language form -> `decision:22/COP.15`
  ("decision 22/COP.15", "第22/COP.15号决定", "第 22/COP.15 号决定", "décision 22/COP.15",
  "decisión 22/COP.15", "решение 22/COP.15", "المقرر 22/م أ-15"); also CRIC, CST, CMP, CMA.
- GA decisions -> `decision:62/546`; UN-Habitat Executive Board decisions ("decision 2023/B",
  "第 2023/B 号决定") -> `decision:HSP/EB/2023/B`.
- GA resolutions ("resolution 62/193", "第62/193号决议", "A/RES/62/193") -> `resolution:62/193`;
  UN-Habitat Assembly resolutions ("resolution 2/5" of the Assembly, "第 2/5 号决议" next to
  "人居大会") -> `resolution:HSP/HA.2/Res.5`; symbols with /RES/ or /Res. keep their symbol
  (`resolution:E/RES/2022/17`, `resolution:UNEP/EA.5/Res.4`).
- other document symbols -> `document:ICCD/COP(16)/18`.
- SDG targets "target 15.3", "具体目标15.3", "cible 15.3", "meta 15.3", "задача 15.3",
  "الغاية 15-3" -> `sdg:target:15.3`; indicators -> `sdg:indicator:15.3.1`; goals
  ("Sustainable Development Goal 11", "SDG 11", "可持续发展目标 11") -> `sdg:goal:11`.
  Target and indicator ids are checked against the SDG reference list.

`find(text, lang)` returns `Found` items with character spans.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional

from .vocab import load


@dataclass
class Found:
    start: int
    end: int
    kind: str
    id: str
    text: str
    value: Optional[float] = None
    unit: Optional[str] = None
    qualifier: Optional[str] = None
    value_max: Optional[float] = None
    extra: dict = field(default_factory=dict)


_BODY = {"COP": "COP", "СОР": "COP", "CОР": "COP", "СOP": "COP", "СОP": "COP", "CОP": "COP", "COР": "COP", "СOР": "COP", "COР": "COP", "CRIC": "CRIC", "CST": "CST", "CMP": "CMP", "CMA": "CMA", "КС": "COP", "ك أ": "COP", "م أ": "COP", "مأ": "COP", "م.أ": "COP", "م. أ": "COP"}
_DEC_CORE = r"(?P<num>\d{1,3})\s*/\s*(?P<body>[CС][OО][PР]|CRIC|CST|CMP|CMA|КС|م\.?\s?أ)\s*[.\-]?\s*(?P<sess>\d{1,2})(?!\d)"
_DEC_CUE = {
    "en": r"(?:[Dd]ecisions?\s+)",
    "fr": r"(?:[Dd]écisions?\s+)",
    "es": r"(?:[Dd]ecisi(?:ón|ones)\s+)",
    "ru": r"(?:[Рр]ешени(?:е|я|и|ем|ях|ю|ями)\s+)",
    "ar": r"(?:(?:وال|ال|و|ب|بال)?مقرر(?:اتها|اته|ات|ها|ه|ي)?\s+)",
    "zh": r"",
}
DECISION_RE = {
    lang: re.compile(
        (r"(?:第\s*)?" + _DEC_CORE + r"(?:\s*号?\s*(?:和|、)?\s*决定)?") if lang == "zh" else (cue + "?" + _DEC_CORE)
    )
    for lang, cue in _DEC_CUE.items()
}
# other decisions need a cue word: "decision 62/546", "decision 2023/B", "第 2023/B 号决定"
OTHER_DECISION_RE = re.compile(
    r"(?:[Dd][ée]cisi(?:on|ón)s?|[Рр]ешени[еяи]|مقرر)\s+(?P<a>\d{2,4})/(?P<b>[A-Z]|\d{1,3})(?![\d/])"
    r"|第\s*(?P<za>\d{2,4})\s*/\s*(?P<zb>[A-Z]|\d{1,3})\s*号\s*决定"
)
_RES_CUE = r"(?:[Rr]esolutions?|[Rr]ésolutions?|[Rr]esoluci(?:ón|ones)|[Рр]езолюци(?:я|и|ей|ю|ях|ями)|(?:وال|ال|و|ب)?قرار(?:اتها|اته|ات|ها|ه|ي)?)"
_LIST_SEP = r"(?:\s+(?:of|du|de|del|от)\s+\d{1,2}(?:er)?\s+(?:de\s+)?[^\s,;]+\s+(?:de\s+)?\d{4}(?:\s*года)?)?\s*(?:,\s*(?:and\s+|et\s+|y\s+|и\s+|و)?|\s+(?:and|et|y|и)\s+)"
RESOLUTION_RE = re.compile(_RES_CUE + r"\s+(?P<list>\d{1,3}/\d{1,3}(?![\d/])(?:" + _LIST_SEP + r"\d{1,3}/\d{1,3}(?![\d/]))*)")
ZH_RESOLUTION_RE = re.compile(r"第\s*(?P<s>\d{1,3})\s*/\s*(?P<n>\d{1,3})\s*号?\s*(?:和|、)?\s*决议")
RES_SYMBOL_RE = re.compile(r"\b(?:A/RES/(?P<s>\d{1,3})/(?P<n>\d{1,4})|(?P<sym>(?:E|S|UNEP/EA\.\d+|HSP/HA\.\d+|A)/RES?[./][\w./]+?|UNEP/EA\.\d+/Res\.\d+|HSP/HA\.\d+/Res\.\d+))(?=[\s,;:)\]。，；、号]|$|\.(?:\s|$))")
SYMBOL_RE = re.compile(r"(?<![\w/])(?P<sym>(?:ICCD|HSP|UNEP|FCCC|UNW|A|E|S|DP|TD|UNCCD)/[A-Za-z0-9().\-]+(?:/[A-Za-z0-9().\-]+)*)")
_TGT_CUE = r"(?:(?:SDG\s+)?[Tt]argets?|[Cc]ibles?|[Mm]etas?|[Зз]адач(?:а|и|у|е|ей)|(?:ال)?غاية|具体目标)"
TARGET_RE = re.compile(_TGT_CUE + r"\s*(?:(?:de|des|of the|of)\s+(?:l[ae]s?\s+)?(?:Sustainable Development Goals?|ODD|ODS|objectifs de développement durable)\s+)?(?P<g>1[0-7]|[1-9])\s*[.\-]\s*(?P<t>\d{1,2}|[a-d])(?![\d.])")
_IND_CUE = r"(?:[Ii]ndicators?|[Ii]ndicateurs?|[Ii]ndicador(?:es)?|[Пп]оказател(?:ь|я|ю|ем|и|ей)|(?:ال)?مؤشر(?:ات)?|指标)"
INDICATOR_RE = re.compile(_IND_CUE + r"\s*(?:(?:ЦУР|ODD|ODS|SDG|des ODD|de los ODS)\s*)?(?P<g>1[0-7]|[1-9])\s*[.\-]\s*(?P<t>\d{1,2}|[a-d])\s*[.\-]\s*(?P<i>\d{1,2})(?!\d)")
GOAL_RE = re.compile(
    r"(?:Sustainable Development Goals?|SDGs?|[Oo]bjectifs? de développement durable(?:\s+n[°o])?|ODD|[Oo]bjetivos? de Desarrollo Sostenible|ODS|ЦУР|可持续发展目标)\s*(?P<g>1[0-7]|[1-9])(?![\d.．]|\s*[.．]\s*\d)"
    r"|[Цц]ел(?:ь|и)\s+(?P<g2>1[0-7]|[1-9])\s+в области устойчивого развития"
    r"|الهدف\s+(?P<g3>1[0-7]|[1-9])\s+من أهداف التنمية المستدامة"
)
HA_CONTEXT_RE = re.compile(r"人居大会|UN-Habitat Assembly|Habitat Assembly|Assemblée d.ONU-Habitat|Asamblea de ONU-H[áa]bitat|Ассамбле\w+ ООН-Хабитат|جمعية موئل")
GA_CONTEXT_RE = re.compile(r"(?<!人居)大会第|General Assembly|Assemblée générale|Asamblea General|Генеральн\w+ Ассамбле|الجمعية العامة")


_GATE_SLASH = re.compile(r"\d\s*/\s*\S|[A-Z]/")
_GATE_DEC = re.compile(r"\d\s*/\s*(?:[CС][OО][PР]|CRIC|CST|CMP|CMA|КС|م)")
_GATE_SDG = re.compile(r"(?:[Tt]arget|[Cc]ible|[Mm]eta|[Зз]адач|غاية|具体目标|[Ii]ndica|[Пп]оказател|مؤشر|指标|Goal|SDG|[Oo]bjecti|ODD|ODS|ЦУР|[Цц]ел[ьи]|الهدف|可持续发展目标)[^\d]{0,80}\d")


def _res_id(s: str, n: str, text: str, pos: int) -> str:
    ctx = text[max(0, pos - 80):pos]
    if int(s) < 10 and HA_CONTEXT_RE.search(text) and not GA_CONTEXT_RE.search(ctx):
        return f"resolution:HSP/HA.{int(s)}/Res.{int(n)}"
    return f"resolution:{int(s)}/{int(n)}"


def find(text: str, lang: str = "en") -> list[Found]:
    out: list[Found] = []
    taken = bytearray(len(text) + 1)

    def add(s: int, e: int, kind: str, cid: str) -> None:
        if any(taken[s:e]):
            return
        taken[s:e] = b"\x01" * (e - s)
        out.append(Found(s, e, kind, cid, text[s:e]))

    if "/" in text and _GATE_SLASH.search(text):
        for lg in (lang, "en") if lang != "en" else ("en",):
            rx = DECISION_RE.get(lg, DECISION_RE["en"])
            for m in (rx.finditer(text) if _GATE_DEC.search(text) else ()):
                body = _BODY.get(re.sub(r"\s+", " ", m.group("body")), m.group("body"))
                add(m.start(), m.end(), "decision", f"decision:{int(m.group('num'))}/{body}.{int(m.group('sess'))}")
        for m in OTHER_DECISION_RE.finditer(text):
            a, b = (m.group("a"), m.group("b")) if m.group("a") else (m.group("za"), m.group("zb"))
            if len(a) == 4 and b.isalpha():
                add(m.start(), m.end(), "decision", f"decision:HSP/EB/{a}/{b}")
            elif len(a) <= 3 and b.isdigit():
                add(m.start(), m.end(), "decision", f"decision:{int(a)}/{int(b)}")
        for m in RES_SYMBOL_RE.finditer(text):
            if m.group("s"):
                add(m.start(), m.end(), "resolution", f"resolution:{int(m.group('s'))}/{int(m.group('n'))}")
            else:
                add(m.start(), m.end(), "resolution", f"resolution:{m.group('sym')}")
        for m in RESOLUTION_RE.finditer(text):
            base = m.start("list")
            first = True
            for item in re.finditer(r"\d{1,3}/\d{1,3}(?![\d/])", m.group("list")):
                s, n = item.group().split("/")
                st = m.start() if first else base + item.start()
                add(st, base + item.end(), "resolution", _res_id(s, n, text, base + item.start()))
                first = False
        for m in ZH_RESOLUTION_RE.finditer(text):
            add(m.start(), m.end(), "resolution", _res_id(m.group("s"), m.group("n"), text, m.start()))
        for m in SYMBOL_RE.finditer(text):
            sym = m.group("sym").rstrip(".")
            while sym.endswith(")") and sym.count("(") < sym.count(")"):
                sym = sym[:-1]
            if sym.count("/") < 1 or not re.search(r"\d", sym):
                continue
            add(m.start(), m.start() + len(sym), "document", f"document:{sym}")
    v = load()
    if _GATE_SDG.search(text):
        for m in INDICATOR_RE.finditer(text):
            iid = f"{m.group('g')}.{m.group('t')}.{m.group('i')}"
            if iid in v.sdg_indicators:
                add(m.start(), m.end(), "sdg_indicator", f"sdg:indicator:{iid}")
        for m in TARGET_RE.finditer(text):
            tid = f"{m.group('g')}.{m.group('t')}"
            if tid in v.sdg_targets:
                add(m.start(), m.end(), "sdg_target", f"sdg:target:{tid}")
        for m in GOAL_RE.finditer(text):
            g = m.group("g") or m.group("g2") or m.group("g3")
            add(m.start(), m.end(), "sdg_goal", f"sdg:goal:{int(g)}")
    out.sort(key=lambda f: f.start)
    return out
