"""Regular expressions for the printed structure of UN documents, in the six languages."""

from __future__ import annotations

import re
import unicodedata

CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
CJK_RE = re.compile(f"[{CJK}]")
CJK_NUM = "一二三四五六七八九十百"

# A paragraph label at the start of a line: "1.", "14.1", "1.a", "(a)", "(iv)", "(aa)", "a)", "•", "一、", "（一）"
LABEL_RE = re.compile(
    rf"""^[ \t]*(?P<label>
        (?P<sect>\d{{1,3}}(?:\.\d{{1,3}}){{1,3}}|\d{{1,3}}\.[a-z])(?:\.?(?=[ \t\u00a0\u2002-\u200a\u202f]+[^\sa-z])|\.(?=[{CJK}]))  # 14.1  2.3.4  1.a (SDG targets)  2.1.2.报告
      | (?P<num>\d{{1,3}}|[٠-٩]{{1,3}})(?:[.)\-](?=[ \t\u00a0\u2002-\u200a\u202f\u3000{CJK}]|$)|(?=\t))   # 1.   1)   1-  1<TAB>  1.请 (Chinese sets no space)
      | \((?P<paren>[a-z]{{1,3}}|[ivxlc]{{1,6}}|\d{{1,3}}|[\u0621-\u064a]{{1,2}})\)  # (a) (iv) (aa) (3) (أ)
      | (?P<alpha>[a-z])\)                            # a)
      | (?P<bullet>[•·▪●◦‣⁃]|-(?=[ \t])|–(?=[ \t]))   # bullets
      | (?P<cjk>[{CJK_NUM}]{{1,3}})[、.．]            # 一、
      | （(?P<cjkparen>[{CJK_NUM}\d]{{1,3}})）        # （一）
    )[ \t\u00a0\u2002-\u200a\u202f\u3000]*""",
    re.X,
)

# "I. Background", "A. Global Mechanism", "一. 背景", "IV.\tConclusions"
HEADING_LABEL_RE = re.compile(
    rf"^[ \t]*(?P<label>(?:[IVXL]{{1,6}}|[A-Z]|[{CJK_NUM}]{{1,3}})[.、．]|(?:Chapter|Chapitre|Capítulo|Глава|Part|Partie|Parte|Часть|Section|Sección|Раздел|Annex|Annexe|Anexo|Приложение)\s+[IVXL\d]+\.?|第[{CJK_NUM}\d]+[章节部分]|附件[{CJK_NUM}\d]*|الفصل\s+\S+)[ \t\u3000]*"
)

# The title line of a resolution or decision: "62/193.\tImplementation of ...", "22/COP.15 Migration"
RESOLUTION_TITLE_RE = re.compile(r"^[ \t]*(?P<num>\d{1,4}/(?:\d{1,4}|[A-Z]{2,5}\.\d{1,2})[A-Z]?)\.?[ \t]+(?P<title>\S.*)$")

# The chapeau that opens a resolution or decision.
CHAPEAU_RE = re.compile(
    r"""^[ \t]*(?:
        The\s+(?:General\s+Assembly|Conference\s+of\s+the\s+Parties|Economic\s+and\s+Social\s+Council|Security\s+Council|Human\s+Rights\s+Council|United\s+Nations\s+Environment\s+Assembly|Executive\s+Board|Governing\s+Council|Commission\s+on\s+[A-Z][\w\s]+|Committee\s+[\w\s]+|Parties\s+to\s+this\s+Convention|(?:[A-Z][\w\-]*|of|the|and|on|for|to)(?:\s+(?:[A-Z][\w\-]*|of|the|and|on|for|to)){0,8})\s*,
      | The\s+(?:General\s+Assembly|Conference\s+of\s+the\s+Parties|Economic\s+and\s+Social\s+Council|Security\s+Council|Human\s+Rights\s+Council)  # comma lost in conversion
      | L[’']Assemblée\s+générale\s*, | La\s+Conférence\s+des\s+Parties\s*, | Le\s+Conseil\s+[\w\s]+, | Les\s+Parties\s+à\s+la\s+présente\s+Convention\s*,
      | La\s+Asamblea\s+General\s*, | La\s+Conferencia\s+de\s+las\s+Partes\s*, | El\s+Consejo\s+[\w\s]+, | Las\s+Partes\s+en\s+la\s+presente\s+Convención\s*,
      | Генеральная\s+Ассамблея\s*, | Конференция\s+Сторон\s*, | [А-Я][а-я]+\s+Совет\s*, | Стороны\s+настоящей\s+Конвенции\s*,
      | (?:联合国)?大会\s*[，,] | 缔约方会议\s*[，,] | [\u4e00-\u9fff]{2,12}理事会\s*[，,] | 本公约缔约方\s*[，,]
      | (?:إن\s+)?(?:الجمعية\s+العامة|مؤتمر\s+الأطراف|المجلس\s+[\u0600-\u06ff\s]+)\s*[،,]
    )\s*$""",
    re.X,
)

TOC_HEAD_RE = re.compile(r"^\s*(?:Contents|Table\s+of\s+contents|Table\s+des\s+matières|Índice|Contenido|Содержание|المحتويات|目录|目\s*录)\s*$", re.I)
TOC_LINE_RE = re.compile(r"(?:\.{4,}|…{2,}|\s\d{1,3}\s*[-–]\s*\d{1,3}\s+\d{1,3}\s*$|\t\d{1,4}\s*$|^\s*(?:Paragraphs|Page|Paragraphes|Párrafos|Пункты|Стр\.|段次|页次|الفقرات|الصفحة)\b)")

# Lines that are page furniture wherever they occur.
PAGE_NOISE_RE = re.compile(
    r"""^\s*(?:
        \d{1,4}\s*/\s*\d{1,4}                 # 2/5
      | [-–—]\s*\d{1,4}\s*[-–—]                # - 3 -
      | (?:Page|Página|Страница|页)\s*\d+(?:\s*(?:of|de|из|/)\s*\d+)?
      | \d{2}-\d{5}(?:\s*\(\w\))?(?:\s+\S+)?   # 25-15432 (E)  job number
      | \*\d{6,}\*                             # *2515432*
      | \d{1,4}                                # bare page number
      | GE\.\d{2}-\d{5}.*
    )\s*$""",
    re.X,
)

FOOTNOTE_RE = re.compile(r"^\s*(?:[*\u2020\u2021]{1,3}(?=\s)|[¹²³⁴⁵⁶⁷⁸⁹⁰]+|\d{1,3}(?=\s+[A-Z\u4e00-\u9fff])|\[\d{1,3}\])\s*\S")
TERMINAL = ".;:!?。；：！？…"
SENT_END = ".!?。！？"


def nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def is_cjk(ch: str) -> bool:
    return bool(CJK_RE.match(ch))


def cjk_ratio(text: str, sample: int = 400) -> float:
    """Share of Han characters among the non-space characters of the first `sample` characters."""
    head = text[:sample]
    letters = len(head) - sum(head.count(c) for c in " \t\n\u3000")
    if letters <= 0:
        return 0.0
    return len(CJK_RE.findall(head)) / letters


def join_lines(a: str, b: str) -> str:
    """Join two wrapped lines: no space between CJK characters, soft hyphens removed."""
    a = a.rstrip()
    b = b.lstrip()
    if not a:
        return b
    if not b:
        return a
    if a.endswith("\u00ad"):
        return a[:-1] + b
    if is_cjk(a[-1]) or is_cjk(b[0]) or a[-1] in "，。、；：（）《》" or b[0] in "，。、；：（）《》":  # “ ” are English quotes too
        return a + b
    if a.endswith("-") and len(a) > 1 and a[-2].isalpha() and b[:1].isalpha():
        return a + b  # keep the hyphen: UN text hyphenates compounds, not syllables
    if _CJK_NUMBER_END_RE.search(a) and _CJK_NUMBER_START_RE.match(b):
        return a + b  # a number set inside Chinese, broken over two lines ("所有6" + "5个国家")
    return a + " " + b


_CJK_NUMBER_END_RE = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef][0-9][0-9.,]*$")
_CJK_NUMBER_START_RE = re.compile(r"^[0-9][0-9.,]*(?:[%％\u3000-\u303f\u3400-\u9fff\uff00-\uffef]|$)")
