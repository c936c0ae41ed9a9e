"""Deadlines written in words, as values downstream code can compare.

"by the end of June 2026", "2026年6月底前", "d'ici à fin juin 2026", "a más tardar a finales de
junio de 2026", "до конца июня 2026 года", "بحلول نهاية حزيران/يونيه 2026" -> `2026-06-30`
(an ISO date, the last day of the period; "by the end of 2026" -> `2026-12-31`).

"no later than its eighty-second session", "au plus tard à sa quatre-vingt-deuxième session",
"en su octogésimo segundo período de sesiones", "не позднее восемьдесят второй сессии",
"在第十七届会议上" -> `session.82` / `session.17` (the caller names the body: `GA.82`);
"before COP 17", "第十七届缔约方会议", "avant la COP 17" -> `COP.17`;
"at its next session", "下一届会议", "à sa prochaine session", "en su próximo período de sesiones",
"на своей следующей сессии", "في دورتها المقبلة" -> `session.next` (the caller adds one to the
document's or the mandate's session).

Values are ISO dates `YYYY-MM-DD` / `YYYY-MM` / `YYYY` or session ids `BODY.N`, so that two
deadlines of the same kind compare as strings.
"""

from __future__ import annotations

import calendar
import re
from typing import Optional

from .ordinals import ORDINALS as _ORD, zh_number
from .quantities import _MONTHS

_MONTHS_ALL = dict(_MONTHS)
_MONTHS_ALL.update({"июнь": 6, "январь": 1, "февраль": 2, "март": 3, "апрель": 4, "май": 5, "июль": 7, "август": 8,
                    "сентябрь": 9, "октябрь": 10, "ноябрь": 11, "декабрь": 12,
                    "كانون الثاني": 1, "شباط": 2, "آذار": 3, "نيسان": 4, "أيار": 5, "حزيران": 6, "تموز": 7, "آب": 8,
                    "أيلول": 9, "تشرين الأول": 10, "تشرين الثاني": 11, "كانون الأول": 12})
_MON = "|".join(sorted((re.escape(k) for k in _MONTHS_ALL), key=len, reverse=True))
_AR_MON = r"(?:[\u0600-\u06ff]+(?:\s[\u0600-\u06ff]+)?/)?"  # "حزيران/يونيه": the Levantine name before the slash

# "the end of <month> <year>" and "the end of <year>"
END_RES = [
    re.compile(r"(?:by|before|until|no later than|not later than)\s+the\s+end\s+of\s+(?:(?P<mon>" + _MON + r")\s+(?:of\s+)?)?(?P<y>(?:19|20)\d\d)\b", re.I),
    re.compile(r"(?:d['’]ici\s+(?:à\s+)?(?:la\s+)?|avant\s+(?:la\s+)?|au\s+plus\s+tard\s+(?:à\s+la\s+)?)fin\s+(?:(?:de\s+)?(?P<mon>" + _MON + r")\s+)?(?:de\s+|d['’]\s*)?(?P<y>(?:19|20)\d\d)", re.I),
    re.compile(r"(?:a\s+más\s+tardar\s+(?:a|al)\s+|antes\s+de\s+|para\s+)(?:finales|fines|el\s+final)\s+de\s+(?:(?P<mon>" + _MON + r")\s+de\s+)?(?P<y>(?:19|20)\d\d)", re.I),
    re.compile(r"(?:до|к|не\s+позднее)\s+конц[аеу]\s+(?:(?P<mon>" + _MON + r")\s+)?(?P<y>(?:19|20)\d\d)", re.I),
    re.compile(r"(?:بحلول|قبل|في موعد لا يتجاوز)\s+نهاية\s+(?:شهر\s+)?(?:" + _AR_MON + r"(?P<mon>" + _MON + r")\s+)?(?:عام\s+)?(?P<y>(?:19|20)\d\d)"),
    re.compile(r"(?P<y>(?:19|20)\d\d)\s*年\s*(?:(?P<m>1[0-2]|[1-9])\s*月\s*)?(?:底|末)\s*(?:前|以前|之前)"),
]

_NEXT_RES = [
    re.compile(r"\b(?:at|to|by|for|until|before)\s+(?:its|the|their)\s+(?:next|forthcoming)\s+(?:regular\s+|ordinary\s+)?session\b", re.I),
    re.compile(r"(?:下一?届会议|下届会议)"),
    re.compile(r"(?:à|lors\s+de|avant)\s+(?:sa|la|leur)\s+prochaine\s+session", re.I),
    re.compile(r"(?:en|durante|antes\s+de)\s+(?:su|el)\s+próximo\s+(?:período\s+de\s+sesiones|periodo\s+de\s+sesiones|reunión)", re.I),
    re.compile(r"(?:на|до|к)\s+(?:своей\s+|ее\s+|его\s+)?следующей\s+сессии", re.I),
    re.compile(r"(?:في|قبل)\s+دورت(?:ه|ها|هم)\s+(?:المقبلة|القادمة|التالية)"),
]

# "COP 17" after a cue word; "第十七届缔约方会议"
_COP_RES = [
    re.compile(r"(?:before|by|at|until|avant(?:\s+la)?|d['’]ici\s+(?:à\s+)?la|antes\s+de\s+la|para\s+la|до|к|قبل)\s+(?P<body>COP|CRIC|CST|КС)\s?-?(?P<num>\d{1,2})\b", re.I),
    re.compile(r"第(?P<z>[一二三四五六七八九十]+|\d+)届(?P<zbody>缔约方会议|缔约方大会)"),
]
_ZH_BODY = {"缔约方会议": "COP", "缔约方大会": "COP"}

# ordinal session numbers above twenty in French, Spanish, Russian and Arabic
_FR_UNITS = {"unième": 1, "deuxième": 2, "troisième": 3, "quatrième": 4, "cinquième": 5, "sixième": 6, "septième": 7, "huitième": 8, "neuvième": 9}
_FR_TENS = {"vingt": 20, "trente": 30, "quarante": 40, "cinquante": 50, "soixante": 60, "soixante-dix": 70, "quatre-vingt": 80, "quatre-vingt-dix": 90}
_ES_UNITS = {"primer": 1, "primero": 1, "segundo": 2, "tercer": 3, "tercero": 3, "cuarto": 4, "quinto": 5, "sexto": 6, "séptimo": 7, "octavo": 8, "noveno": 9}
_ES_TENS = {"vigésimo": 20, "trigésimo": 30, "cuadragésimo": 40, "quincuagésimo": 50, "sexagésimo": 60, "septuagésimo": 70, "octogésimo": 80, "nonagésimo": 90}
_RU_UNITS = {"первой": 1, "второй": 2, "третьей": 3, "четвертой": 4, "четвёртой": 4, "пятой": 5, "шестой": 6, "седьмой": 7, "восьмой": 8, "девятой": 9}
_RU_TENS = {"двадцать": 20, "тридцать": 30, "сорок": 40, "пятьдесят": 50, "шестьдесят": 60, "семьдесят": 70, "восемьдесят": 80, "девяносто": 90}
_AR_UNITS = {"الحادية": 1, "الثانية": 2, "الثالثة": 3, "الرابعة": 4, "الخامسة": 5, "السادسة": 6, "السابعة": 7, "الثامنة": 8, "التاسعة": 9}
_AR_TENS = {"العشرين": 20, "الثلاثين": 30, "الأربعين": 40, "الخمسين": 50, "الستين": 60, "السبعين": 70, "الثمانين": 80, "التسعين": 90}


def _alt(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_COMPOUND_RES = [
    (re.compile(r"(?:à|lors\s+de|avant|au\s+plus\s+tard\s+à)\s+(?:sa|la|leur)\s+(?P<t>" + _alt(_FR_TENS) + r")-(?:et-)?(?P<u>" + _alt(_FR_UNITS) + r")\s+session", re.I), _FR_TENS, _FR_UNITS),
    (re.compile(r"(?:en|durante|antes\s+de|a\s+más\s+tardar\s+en)\s+su\s+(?P<t>" + _alt(_ES_TENS) + r")\s+(?P<u>" + _alt(_ES_UNITS) + r")\s+(?:período|periodo)\s+de\s+sesiones", re.I), _ES_TENS, _ES_UNITS),
    (re.compile(r"(?:на|до|к|не\s+позднее)\s+(?:своей\s+)?(?P<t>" + _alt(_RU_TENS) + r")\s+(?P<u>" + _alt(_RU_UNITS) + r")\s+сесси", re.I), _RU_TENS, _RU_UNITS),
    (re.compile(r"دورت(?:ه|ها)\s+(?P<u>" + _alt(_AR_UNITS) + r")\s+و(?P<t>" + _alt(_AR_TENS) + r")"), _AR_TENS, _AR_UNITS),
]
_LATEST_EN = re.compile(r"(?:no|not)\s+later\s+than\s+(?:its|the|their)\s+(?P<ord>[a-z-]+)\s+(?:regular\s+)?session", re.I)
_ZH_AT_SESSION = re.compile(r"(?:在|于|到)(?:其)?第(?P<z>[一二三四五六七八九十]+|\d+)届会议(?:上|期间|之前|前)")


def last_day(year: int, month: Optional[int]) -> str:
    """The ISO date of the last day of a month, or of the year when no month is given."""
    month = month or 12
    return f"{year:04d}-{month:02d}-{calendar.monthrange(year, month)[1]:02d}"


def words_deadline(text: str, lang: str) -> tuple[Optional[str], Optional[str]]:
    """A deadline written in words (see the module docstring) and the words, or (None, None)."""
    for rx in END_RES:
        m = rx.search(text)
        if m:
            gd = m.groupdict()
            mon = int(gd["m"]) if gd.get("m") else (_MONTHS_ALL.get(gd["mon"].lower()) if gd.get("mon") else None)
            return last_day(int(gd["y"]), mon), m.group(0).strip()
    for rx in _NEXT_RES:
        m = rx.search(text)
        if m:
            return "session.next", m.group(0).strip()
    for rx in _COP_RES:
        m = rx.search(text)
        if m:
            gd = m.groupdict()
            if gd.get("zbody"):
                n = zh_number(gd["z"])
                if n:
                    return f"{_ZH_BODY[gd['zbody']]}.{n}", m.group(0)
                continue
            body = "COP" if gd["body"].upper() in ("COP", "КС") else gd["body"].upper()
            return f"{body}.{int(gd['num'])}", m.group(0).strip()
    m = _LATEST_EN.search(text)
    if m and _ORD.get(m.group("ord").lower()):
        return f"session.{_ORD[m.group('ord').lower()]}", m.group(0)
    for rx, tens, units in _COMPOUND_RES:
        m = rx.search(text)
        if m:
            return f"session.{tens[m.group('t').lower()] + units[m.group('u').lower()]}", m.group(0)
    m = _ZH_AT_SESSION.search(text)
    if m:
        n = zh_number(m.group("z"))
        if n:
            return f"session.{n}", m.group(0)
    return None, None


def next_session(session: Optional[str]) -> Optional[str]:
    """`GA.80` -> `GA.81`: the session after a session id."""
    m = re.fullmatch(r"(.+)\.(\d+)", session or "")
    return f"{m.group(1)}.{int(m.group(2)) + 1}" if m else None
