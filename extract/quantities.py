"""Quantities with a unit ("4.5亿公顷" -> 450000000 ha, "more than 100 countries") and dates.

Units are a closed list (`UNITS`): ha, km2, km, USD, RMB, percent, country, participant,
person, tree, city, partner, member; proportions ("1/4 of", "3 of the 5 regions") are `share`
(value a/b).  Scale words are read in six languages (million,
billion, 万, 亿, millions, milliards, millones, млн, млрд, مليون, مليار); a qualifier
("more than", "超过", "近", "plus de" ...) and a range upper bound ("40-50 billion") are kept.
Quantity ids are per mention (`quantity:<value>:<unit>` is the value; the store keeps the
block), dates are `date:YYYY[-MM[-DD]]`.
"""

from __future__ import annotations

import re
from typing import Optional

from .citations import Found

_NUM = r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:,\d+)?(?!\d)|\d+,\d{1,2}(?!\d)|\d+(?:\.\d+)?|(?:one|two|three|four|five|six|seven|eight|nine|ten)(?=\s+(?:thousand|million|billion)))"
_WORDNUM = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10}
_NUM2 = r"(?:\s*[-–]\s*(?P<num2>\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?))?"
_SCALE = {
    "thousand": 1e3, "million": 1e6, "millions": 1e6, "billion": 1e9, "billions": 1e9, "trillion": 1e12,
    "milliard": 1e9, "milliards": 1e9, "mil": 1e3, "millón": 1e6, "millones": 1e6, "mil millones": 1e9,
    "тыс.": 1e3, "тыс": 1e3, "млн": 1e6, "млрд": 1e9, "миллион": 1e6, "миллиона": 1e6, "миллионов": 1e6,
    "миллиард": 1e9, "миллиарда": 1e9, "миллиардов": 1e9, "مليون": 1e6, "مليار": 1e9,
    "万": 1e4, "亿": 1e8, "百万": 1e6, "千万": 1e7, "万亿": 1e12,
}
_SCALE_RE = r"(?:\s*(?P<scale>mil millones|thousand|millions?|billions?|trillion|milliards?|millones|millón|тыс\.?|млн|млрд|миллиард(?:а|ов)?|миллион(?:а|ов)?|مليون|مليار))?"
UNITS = {
    "ha": r"hectares?|ha\b|公顷|hectáreas?|гектар(?:а|ов)?|га\b|هكتار",
    "km2": r"s\w*are kilomet(?:er|re)s|km2|km²|平方公里|kilomètres carrés|kilómetros cuadrados|квадратных километров|кв\.\s?км",
    "km": r"kilomet(?:er|re)s?\b|km\b|公里|kilomètres|kilómetros|километр(?:а|ов)?",
    "USD": r"美元|US dollars|dollars|dólares|долл(?:\.|аров)\s*США|دولار",
    "RMB": r"元人民币|人民币|元",
    "percent": r"%|per ?cent\b|pour cent|por ciento|процент(?:а|ов)?|في المائة",
    "country": r"(?:个)?(?:国家(?!和地方|政府|一级|层面)|参与国)|countries|pays|países|стран(?:ы|ах|ам)?|بلدان|بلدا|بلد",
    "participant": r"(?:名)?参与者|participants|delegates|participantes|участник(?:а|ов)",
    "person": r"(?:万)?人(?![民口居士员工])|(?:impoverished\s+|poor\s+)?people|persons|individuals|farmers|professionals|experts|researchers|personnes|personas|человек",
    "tree": r"(?:棵)?树|trees|arbres|árboles|деревьев",
    "city": r"(?:个)?城市|cities|villes|ciudades|город(?:а|ов)?",
    "partner": r"(?:个)?合作伙伴|partners|partenaires|asociados|партнер(?:а|ов)",
    "member": r"(?:名)?成员|members|membres|miembros|член(?:а|ов)",
}
_UNIT_RE = "|".join(f"(?P<u_{k}>{v})" for k, v in UNITS.items())
_QUAL = r"(?P<qual>more than|over|about|around|approximately|nearly|almost|up to|at least|some|less than|fewer than|超过|逾|约|近|大约|至少|不到|多达|plus de|environ|près de|au moins|más de|unos|alrededor de|casi|al menos|более|около|почти|свыше|не менее|أكثر من|حوالي|نحو)?\s*"
_CURRENCY_BEFORE = r"(?P<cur>USD|US\$|\$|RMB|€|EUR)\s?"
QTY_RE = re.compile(
    r"(?<![0-9A-Za-z.,])" + _QUAL + r"(?:" + _CURRENCY_BEFORE + r")?" + _NUM + _NUM2 + _SCALE_RE
    + r"(?P<zscale>\s*(?:万亿|千万|百万|万|亿))?(?P<more>\s*(?:多|余))?"
    + r"(?:\s*(?:d['’]|de\s+)?(?:(?P<adj>local|leading|new|member|participating|additional)\s+)?(?P<unit>" + _UNIT_RE + r"))?",
    re.I,
)
# numbers that open a search window: figures, and number words before a scale word (searched only when a scale word is there)
_DIGITS_RE = re.compile(r"\d[\d,.]*")
_WORD_NUMBER_RE = re.compile(r"\b(?:one|two|three|four|five|six|seven|eight|nine|ten)\s+(?:thousand|million|billion)")
_EN_ADJ_OK = {"local", "leading", "new", "member", "participating", "more", "additional"}


def _num(s: Optional[str]) -> Optional[float]:
    if not s:
        return None
    if s.lower() in _WORDNUM:
        return float(_WORDNUM[s.lower()])
    s = re.sub(r"[ \u00a0\u202f]", "", s)
    if re.fullmatch(r"\d+,\d{1,2}", s):  # decimal comma (fr, es, ru): "4,5 millions"
        return float(s.replace(",", "."))
    return float(s.replace(",", ""))


_SHARE_RE = re.compile(r"(?<![\d/.,])(?P<a>\d{1,2})\s*/\s*(?P<b>\d{1,2})(?=\s+(?:of|de|del|des|от)\b)|(?<![\d.,])(?P<a2>\d{1,2}) of the (?P<b2>\d{1,3})\b")
# what every proportion holds (the pattern above opens with look-behinds, which the regex engine cannot skip to)
_SHARE_GATE = re.compile(r"\d(?:\s*/\s*\d| of the \d)")
_SYMBOL_BEFORE = re.compile(r"(?:resolutions?|decisions?|résolutions?|décisions?|resoluci[oó]n(?:es)?|decisi[oó]n(?:es)?|"
                            r"резолюци\w*|решени\w*|قرار|مقرر|No\.|nos?\.|第)\s*$", re.I)
ZH_COUNTRIES_RE = re.compile(r"(?<![0-9A-Za-z.])(?P<num>\d+)\s*个(?P<mid>[^，。；、：（）()\d]{2,60}?)(?:先锋|参与|伙伴)?国家(?!和地方|政府)")


def _numbers(text: str) -> list[re.Match]:
    """Figures and number words ("two million") in text order."""
    found = list(_DIGITS_RE.finditer(text))
    if "thousand" in text or "million" in text or "billion" in text:
        found = sorted(found + list(_WORD_NUMBER_RE.finditer(text)), key=lambda m: m.start())
    return found


def find_quantities(text: str, lang: str = "en") -> list[Found]:
    numbers = _numbers(text)
    if not numbers:
        return []  # every quantity, proportion and count holds a figure or a number word
    out: list[Found] = []
    # only short windows around numbers are searched (long paragraphs have few numbers)
    windows: list[tuple[int, int]] = []
    for nm in numbers:
        a, b = max(0, nm.start() - 25), min(len(text), nm.end() + 45)
        if windows and a <= windows[-1][1]:
            windows[-1] = (windows[-1][0], b)
        else:
            windows.append((a, b))
    for m in (m for a, b in windows for m in QTY_RE.finditer(text, a, b)):
        unit = None
        if m.group("unit"):
            unit = next(k for k in UNITS if m.group("u_" + k))
        cur = m.group("cur")
        if cur:
            unit = "RMB" if cur == "RMB" else "USD" if cur in ("USD", "US$", "$") else "EUR"
        if not unit:
            continue
        num = m.group("num")
        # a bare year or a list label is not a quantity
        if unit in ("country", "city", "partner", "member", "person", "participant", "tree") and re.fullmatch(r"(19|20)\d\d", num) and lang != "zh":
            continue
        scale = 1.0
        if m.group("scale"):
            scale *= _SCALE.get(m.group("scale").lower(), 1.0)
        if m.group("zscale"):
            scale *= _SCALE.get(m.group("zscale").strip(), 1.0)
        if unit == "person" and m.group("u_person") and m.group("u_person").startswith("万"):
            scale *= 1e4
        if lang in ("es", "pt") and re.fullmatch(r"\d{1,3}(?:\.\d{3})+", num):
            num = num.replace(".", "")  # "2.000 ha": a thousands point in Spanish
        value = _num(num) * scale
        vmax = _num(m.group("num2"))
        value_max = vmax * scale if vmax is not None else None
        start = m.start("qual") if m.group("qual") else (m.start("cur") if cur else m.start("num"))
        end = m.end()
        qual = m.group("qual") or (m.group("more").strip() if m.group("more") else None)
        v = int(value) if value == int(value) else value
        out.append(Found(start, end, "quantity", f"quantity:{v}:{unit}", text[start:end], value=value, unit=unit,
                         qualifier=qual, value_max=value_max))
    # proportions: "about 1/4 of the total land area", "3 of the 5 regions", "三分之一"
    for m in (_SHARE_RE.finditer(text) if _SHARE_GATE.search(text) else ()):
        if any(f.start <= m.start() < f.end for f in out):
            continue
        if _SYMBOL_BEFORE.search(text[max(0, m.start() - 30):m.start()]):
            continue  # "resolution 2/24 of 27 May 2016": a document number, not a proportion
        a, b = int(m.group("a") or m.group("a2")), int(m.group("b") or m.group("b2"))
        if 0 < a < b:
            # rounded: a graph server keeps fewer digits of a float than Python prints
            share = round(a / b, 6)
            out.append(Found(m.start(), m.end(), "quantity", f"quantity:{round(a / b, 4)}:share", m.group(), value=share, unit="share"))
        out.sort(key=lambda f: f.start)
    if lang == "zh" and "个" in text:
        # "选择15个致力于...的先锋国家": a count of countries with a short modifier in between
        for m in ZH_COUNTRIES_RE.finditer(text):
            if any(f.start <= m.start("num") < f.end for f in out):
                continue
            v = int(m.group("num"))
            out.append(Found(m.start(), m.end(), "quantity", f"quantity:{v}:country", m.group(), value=float(v), unit="country"))
        out.sort(key=lambda f: f.start)
    return out


_MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7, "august": 8,
    "september": 9, "october": 10, "november": 11, "december": 12,
    "janvier": 1, "février": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6, "juillet": 7, "août": 8,
    "septembre": 9, "octobre": 10, "novembre": 11, "décembre": 12,
    "enero": 1, "febrero": 2, "marzo": 3, "abril": 4, "mayo": 5, "junio": 6, "julio": 7, "agosto": 8,
    "septiembre": 9, "octubre": 10, "noviembre": 11, "diciembre": 12,
    "января": 1, "февраля": 2, "марта": 3, "апреля": 4, "мая": 5, "июня": 6, "июля": 7, "августа": 8,
    "сентября": 9, "октября": 10, "ноября": 11, "декабря": 12,
    "يناير": 1, "فبراير": 2, "مارس": 3, "أبريل": 4, "مايو": 5, "يونيه": 6, "يونيو": 6, "يوليه": 7, "يوليو": 7,
    "أغسطس": 8, "سبتمبر": 9, "أكتوبر": 10, "نوفمبر": 11, "ديسمبر": 12,
}
_MON = "|".join(sorted(_MONTHS, key=len, reverse=True))
DATE_RES = [
    re.compile(r"(?P<y>(?:19|20)\d\d)\s*年\s*(?:(?P<m>1[0-2]|[1-9])\s*月\s*(?:(?P<d>3[01]|[12]\d|[1-9])\s*日)?)?"),
    re.compile(r"(?<!\d)(?P<d>3[01]|[12]\d|0?[1-9])(?:er)?(?:\s*(?:[-–]|to|au|al|a|по)\s*\d{1,2})?\s+(?:de\s+)?(?:[\u0600-\u06ff]+(?:\s[\u0600-\u06ff]+)?/)?(?P<mon>" + _MON + r")\s+(?:de\s+)?(?P<y>(?:19|20)\d\d)", re.I),
    re.compile(r"(?P<mon>" + _MON + r")\s+(?P<d>3[01]|[12]\d|[1-9])(?:\s*[-–]\s*\d{1,2})?,\s*(?P<y>(?:19|20)\d\d)", re.I),
    re.compile(r"(?P<mon>" + _MON + r")\s+(?:de\s+|of\s+)?(?P<y>(?:19|20)\d\d)", re.I),
    re.compile(r"\b(?:in|by|since|from|until|before|after|en|d'ici|hasta|para|к|в|до|с)\s+(?P<y>(?:19|20)\d\d)\b(?![-–/]\d)", re.I),
    # Arabic: "بحلول عام 2030" (by 2030), "في عام 2015", "منذ عام 2000", "حتى عام 2030", "قبل عام 2030"
    re.compile(r"(?<![\u0600-\u06ff])(?:و|ف)?(?:بحلول|حتى|قبل|منذ|في|خلال)\s+(?:عام|سنة|العام)?\s*(?P<y>(?:19|20)\d\d)(?!\d)(?![-–/]\d)"),
]


_YEAR_RE = re.compile(r"(?:19|20)\d\d")


def find_dates(text: str, lang: str = "en") -> list[Found]:
    """Dates around every year in the text (only short windows are searched, for speed)."""
    years = [m.start() for m in _YEAR_RE.finditer(text)]
    if not years:
        return []
    out: list[Found] = []
    taken: list[tuple[int, int]] = []
    windows: list[tuple[int, int]] = []
    for p in years:
        a, b = max(0, p - 45), min(len(text), p + 50)
        if windows and a <= windows[-1][1]:
            windows[-1] = (windows[-1][0], b)
        else:
            windows.append((a, b))
    for a, b in windows:
        chunk = text[a:b]
        for rx in DATE_RES:
            for m in rx.finditer(chunk):
                s, e = m.start() + a, m.end() + a
                if any(s < y and x < e for x, y in taken):
                    continue
                gd = m.groupdict()
                y = gd["y"]
                mon = gd.get("m") or (_MONTHS.get(gd["mon"].lower()) if gd.get("mon") else None)
                d = gd.get("d")
                iso = y + (f"-{int(mon):02d}" if mon else "") + (f"-{int(d):02d}" if (mon and d) else "")
                taken.append((s, e))
                out.append(Found(s, e, "date", f"date:{iso}", text[s:e]))
    out.sort(key=lambda f: f.start)
    return out
