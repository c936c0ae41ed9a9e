"""Document metadata printed on UN documents: symbol, date, body, session, agenda item."""

from __future__ import annotations

import re
from datetime import date
from typing import Optional

from .patterns import CJK_NUM

# ICCD/COP(16)/18, HSP/EB.2024/6, A/RES/80/13, E/RES/2022/17, UNEP/EA.5/Res.4, A/C.5/78/34, A/80/6 (Sect. 14)
SYMBOL_RE = re.compile(
    r"(?<![\w/])(?:A|E|S|ICCD|HSP|UNEP|FCCC|CBD|TD|ST|DP|UNW|HRC|A/HRC|E/CN\.\d+|E/ICEF|UNCCD|CRIC|SPI)"
    r"(?:/[A-Za-z0-9.\-()]*[A-Za-z0-9)])+(?:\s*\((?:Sect|Part)\.\s*[\w.]+\))?"
)
_STRICT_SYMBOL = re.compile(r"^\s*(" + SYMBOL_RE.pattern + r")\s*$")

MONTHS = {
    "en": ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"],
    "fr": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"],
    "es": ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre"],
    "ru": ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября", "ноября", "декабря"],
    "ar": ["يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيه", "يوليه", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر"],
}
_MONTH_INDEX = {name: i + 1 for names in MONTHS.values() for i, name in enumerate(names)}
_MONTH_INDEX.update({"يونيو": 6, "يوليو": 7, "août": 8, "aout": 8, "setiembre": 9, "sept": 9})
_MONTH_ALT = "|".join(sorted(map(re.escape, _MONTH_INDEX), key=len, reverse=True))
DATE_DMY_RE = re.compile(rf"\b(\d{{1,2}})(?:er)?\s+(?:de\s+)?({_MONTH_ALT})\s+(?:de\s+)?(\d{{4}})", re.I)
DATE_MDY_RE = re.compile(rf"\b({_MONTH_ALT})\s+(\d{{1,2}}),?\s+(\d{{4}})", re.I)
DATE_ZH_RE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
DATE_ISO_RE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")

ORDINALS_EN = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
               "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth",
               "eighteenth", "nineteenth", "twentieth"]
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
_TENS_ORD = {"twentieth": 20, "thirtieth": 30, "fortieth": 40, "fiftieth": 50, "sixtieth": 60, "seventieth": 70, "eightieth": 80, "ninetieth": 90}


def ordinal_en(word: str) -> Optional[int]:
    """'sixteenth' -> 16, 'eightieth' -> 80, 'seventy-ninth' -> 79."""
    w = word.lower().replace(" ", "-")
    if w in ORDINALS_EN:
        return ORDINALS_EN.index(w) + 1
    if w in _TENS_ORD:
        return _TENS_ORD[w]
    if "-" in w:
        tens, _, unit = w.partition("-")
        if tens in _TENS and unit in ORDINALS_EN[:9]:
            return _TENS[tens] + ORDINALS_EN.index(unit) + 1
    return None


def cjk_number(text: str) -> Optional[int]:
    """'十六' -> 16, '二十一' -> 21, '八十' -> 80."""
    digits = {c: i for i, c in enumerate("零一二三四五六七八九")}
    if not text or any(c not in digits and c not in "十百" for c in text):
        return int(text) if text.isdigit() else None
    total, cur = 0, 0
    for c in text:
        if c == "十":
            total += (cur or 1) * 10
            cur = 0
        elif c == "百":
            total += (cur or 1) * 100
            cur = 0
        else:
            cur = digits[c]
    return total + cur


SESSION_RES = [
    re.compile(r"\b(?P<ord>[A-Za-z]+(?:-[a-z]+)?)\s+session\b", re.I),
    re.compile(rf"第\s*(?P<cjk>[{CJK_NUM}\d]+)\s*届会议"),
    re.compile(r"\b(?P<num>\d{1,3})(?:e|ème|re)\s+session\b", re.I),
    re.compile(r"\b(?P<num>\d{1,3})º?\s+período\s+de\s+sesiones", re.I),
    re.compile(r"\b(?P<num>\d{1,3})-?я\s+сессия", re.I),
    re.compile(r"\b(?:Session|Sesión)\s+(?P<num>\d{1,3})\b"),
]
AGENDA_RES = [
    re.compile(r"(?:Provisional\s+)?agenda\s+items?\s*\*?\s*(?P<item>\d+(?:\s*\([a-z]\))?)", re.I),
    re.compile(r"\bItems?\s+(?P<item>\d+(?:\s+and\s+\d+)?)\s+of\s+the\s+(?:preliminary|provisional)\s+list", re.I),
    re.compile(r"议程\s*\*?\s*项目\s*(?P<item>\d+(?:\s*\([a-z]\))?)"),
    re.compile(r"[Pp]oints?\s+(?P<item>\d+(?:\s*\([a-z]\))?)\s+de\s+l[’']ordre\s+du\s+jour"),
    re.compile(r"[Tt]emas?\s+(?P<item>\d+(?:\s*\([a-z]\))?)\s+del\s+programa"),
    re.compile(r"[Пп]ункт\s+(?P<item>\d+(?:\s*\([a-z]\))?)\s+(?:предварительной\s+)?повестки\s+дня"),
    re.compile(r"البند\s+(?P<item>\d+(?:\s*\([a-z]\))?)\s+من\s+جدول\s+الأعمال"),
]

BODY_BY_PREFIX = [
    ("ICCD/COP", "UNCCD Conference of the Parties"),
    ("ICCD/CRIC", "UNCCD Committee for the Review of the Implementation of the Convention"),
    ("ICCD/CST", "UNCCD Committee on Science and Technology"),
    ("ICCD", "UNCCD"),
    ("HSP/EB", "UN-Habitat Executive Board"),
    ("HSP/HA", "UN-Habitat Assembly"),
    ("HSP", "UN-Habitat"),
    ("UNEP/EA", "United Nations Environment Assembly"),
    ("UNEP", "UNEP"),
    ("A/HRC", "Human Rights Council"),
    ("A/", "General Assembly"),
    ("E/", "Economic and Social Council"),
    ("S/", "Security Council"),
    ("FCCC", "UNFCCC"),
    ("CBD", "Convention on Biological Diversity"),
]
BODY_WORDS = [
    (re.compile(r"Conference of the Parties|缔约方会议|Conférence des Parties|Conferencia de las Partes|Конференция Сторон|مؤتمر الأطراف"), "UNCCD Conference of the Parties"),
    (re.compile(r"General Assembly|大会|Assemblée générale|Asamblea General|Генеральная Ассамблея|الجمعية العامة"), "General Assembly"),
    (re.compile(r"UN-Habitat|人居署|ONU-Habitat|ООН-Хабитат|موئل الأمم المتحدة"), "UN-Habitat"),
]


def normalize_symbol(symbol: str) -> str:
    """One space for any run of white space, none at the ends, no trailing full stop: "A/RES/80/1 ." is "A/RES/80/1"
    (stripping before the stop left a space, so a second pass gave another symbol)."""
    return re.sub(r"[\s.]+$", "", re.sub(r"\s+", " ", symbol).strip())


def find_symbol(lines: list[str], meta: dict) -> Optional[str]:
    """The document's own symbol: front matter first, then a line that is only a symbol."""
    for key in ("symbol", "Symbol", "document_symbol"):
        if meta.get(key):
            return normalize_symbol(str(meta[key]))
    for line in lines[:40]:
        m = _STRICT_SYMBOL.match(line)
        if m:
            return normalize_symbol(m.group(1))
    for line in lines[:15]:
        m = SYMBOL_RE.search(line)
        if m and "/" in m.group(0) and len(line) < 160 and not re.search(r"\(A/\d+/L\.|report of|rapport", line, re.I):
            return normalize_symbol(m.group(0))
    return None


def parse_date(text: str) -> Optional[str]:
    """First date in the text, as ISO 8601, in any of the six languages."""
    found: list[tuple[int, str]] = []
    for rx, order in ((DATE_DMY_RE, "dmy"), (DATE_MDY_RE, "mdy"), (DATE_ZH_RE, "ymd"), (DATE_ISO_RE, "ymd")):
        for m in rx.finditer(text):
            try:
                if order == "dmy":
                    d = date(int(m.group(3)), _MONTH_INDEX[m.group(2).lower()], int(m.group(1)))
                elif order == "mdy":
                    d = date(int(m.group(3)), _MONTH_INDEX[m.group(1).lower()], int(m.group(2)))
                else:
                    d = date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            except (ValueError, KeyError):
                continue
            found.append((m.start(), d.isoformat()))
            break
    return min(found)[1] if found else None


_ADOPTED = re.compile(r"adopted|adoptée|aprobada|принята|通过|اتخذته", re.I)
_DISTR = re.compile(r"Distr\.", re.I)


def find_date(lines: list[str], meta: dict) -> Optional[str]:
    """Adoption date where printed, else the issue date under 'Distr.', else the first date up front."""
    if meta.get("date"):
        d = parse_date(str(meta["date"])) or (str(meta["date"]) if DATE_ISO_RE.match(str(meta["date"])) else None)
        if d:
            return d
    head = lines[:40]
    for line in head:
        if _ADOPTED.search(line):
            d = parse_date(line)
            if d:
                return d
    for i, line in enumerate(head):
        if _DISTR.search(line):
            d = parse_date(" ".join(head[i : i + 3]))
            if d:
                return d
    for line in head[:25]:
        d = parse_date(line)
        if d:
            return d
    return None


def find_session(lines: list[str], symbol: Optional[str]) -> Optional[str]:
    if symbol:
        m = re.search(r"(?:COP|CRIC|CST)\((\d+)\)", symbol)
        if m:
            return m.group(1)
        m = re.match(r"A/(?:RES/)?(\d{2,3})/", symbol)
        if m:
            return m.group(1)
        m = re.search(r"EB\.(\d{4})", symbol)
        if m:
            return m.group(1)
    for line in lines[:30]:
        for rx in SESSION_RES:
            m = rx.search(line)
            if not m:
                continue
            if m.groupdict().get("ord"):
                n = ordinal_en(m.group("ord"))
                if n:
                    return str(n)
            elif m.groupdict().get("cjk"):
                n = cjk_number(m.group("cjk"))
                if n:
                    return str(n)
            elif m.groupdict().get("num"):
                return m.group("num")
    return None


def find_agenda_item(lines: list[str]) -> Optional[str]:
    for line in lines[:40]:
        for rx in AGENDA_RES:
            m = rx.search(line)
            if m:
                return " ".join(m.group("item").split())
    return None


def find_body(lines: list[str], symbol: Optional[str]) -> Optional[str]:
    if symbol:
        for prefix, body in BODY_BY_PREFIX:
            if symbol.startswith(prefix):
                return body
    joined = " ".join(lines[:30])
    for rx, body in BODY_WORDS:
        if rx.search(joined):
            return body
    return None


def doc_type(symbol: Optional[str], has_chapeau: bool) -> Optional[str]:
    if symbol and "/RES/" in symbol.upper():
        return "resolution"
    if symbol and "/DEC" in symbol.upper():
        return "decision"
    if has_chapeau:
        return "resolution"
    if symbol:
        return "report"
    return None
