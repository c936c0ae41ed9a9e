"""Session numbers written in words: ordinals in the six UN languages ("seventeenth", "dix-septième",
"семнадцатой", "السابعة عشرة") and Chinese numerals ("十七"), read by the mandate and deadline rules alike."""

from __future__ import annotations

from typing import Optional

_ORD_EN = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth", "eleventh", "twelfth",
           "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth", "eighteenth", "nineteenth", "twentieth"]
ORDINALS = {w: i + 1 for i, w in enumerate(_ORD_EN)}
for _i, _tens in enumerate(["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]):
    _base = 20 + 10 * _i
    ORDINALS[_tens[:-1] + "ieth"] = _base
    ORDINALS.update({f"{_tens}-{w}": _base + j + 1 for j, w in enumerate(_ORD_EN[:9])})
ORDINALS.update({w: i + 1 for i, w in enumerate(["première", "deuxième", "troisième", "quatrième", "cinquième", "sixième", "septième", "huitième",
             "neuvième", "dixième", "onzième", "douzième", "treizième", "quatorzième", "quinzième", "seizième", "dix-septième", "dix-huitième", "dix-neuvième", "vingtième"])})
ORDINALS.update({w: i + 1 for i, w in enumerate(["primer", "segundo", "tercer", "cuarto", "quinto", "sexto", "séptimo", "octavo", "noveno", "décimo",
             "undécimo", "duodécimo", "decimotercer", "decimocuarto", "decimoquinto", "decimosexto", "decimoséptimo", "decimoctavo", "decimonoveno", "vigésimo"])})
ORDINALS.update({w: i + 1 for i, w in enumerate(["первой", "второй", "третьей", "четвертой", "пятой", "шестой", "седьмой", "восьмой", "девятой", "десятой",
             "одиннадцатой", "двенадцатой", "тринадцатой", "четырнадцатой", "пятнадцатой", "шестнадцатой", "семнадцатой", "восемнадцатой", "девятнадцатой", "двадцатой"])})
ORDINALS.update({w: i + 1 for i, w in enumerate(["الأولى", "الثانية", "الثالثة", "الرابعة", "الخامسة", "السادسة", "السابعة", "الثامنة", "التاسعة", "العاشرة",
             "الحادية عشرة", "الثانية عشرة", "الثالثة عشرة", "الرابعة عشرة", "الخامسة عشرة", "السادسة عشرة", "السابعة عشرة", "الثامنة عشرة", "التاسعة عشرة", "العشرين"])})
_ZH_NUM = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def zh_number(s: str) -> Optional[int]:
    if s.isdigit():
        return int(s)
    if not s or any(c not in "一二三四五六七八九十" for c in s):
        return None
    if "十" not in s:
        return _ZH_NUM.get(s)
    a, _, b = s.partition("十")
    return (_ZH_NUM.get(a, 1) if a else 1) * 10 + (_ZH_NUM.get(b, 0) if b else 0)
