"""Six-language PDFs made on the fly with fpdf2, and a score of how well they read back.

Fonts come from Debian packages (DejaVu for Latin and Cyrillic, WenQuanYi Zen Hei for
Chinese, Amiri for Arabic), found with `fc-list`; Arabic is shaped by HarfBuzz
(fpdf2's `set_text_shaping`, which needs uharfbuzz), so the PDF holds presentation
glyphs in visual order, as real Arabic PDFs do.

Used by tests/ingest/test_pdf_six_languages.py and bench/bench_ingest.py.
"""

from __future__ import annotations

import difflib
import random
import re
import subprocess
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Optional

LANGS = ("en", "fr", "es", "ru", "zh", "ar")

# family, style, fallback path
_FONTS = {
    "latin": ("DejaVu Sans", "Book", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
    "zh": ("WenQuanYi Zen Hei", "Regular", "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"),
    "ar": ("Amiri", "Regular", "/usr/share/fonts/opentype/fonts-hosny-amiri/Amiri-Regular.ttf"),
}


@lru_cache(maxsize=None)
def font_file(kind: str) -> Optional[str]:
    """The font file for "latin", "zh" or "ar", or None when the package is not installed."""
    family, style, fallback = _FONTS[kind]
    try:
        out = subprocess.run(["fc-list", "-f", "%{file}\n", f":family={family}:style={style}"], capture_output=True, text=True, timeout=20).stdout
        files = [f for f in out.splitlines() if f.strip()]
    except (OSError, subprocess.SubprocessError):
        files = []
    if files:
        return sorted(files)[0]
    return fallback if Path(fallback).exists() else None


def font_kind(lang: str) -> str:
    return lang if lang in ("zh", "ar") else "latin"


def missing_fonts(langs=LANGS) -> list[str]:
    """Font packages missing for these languages (a test skips with their names)."""
    names = {"latin": "fonts-dejavu-core", "zh": "fonts-wqy-zenhei", "ar": "fonts-hosny-amiri"}
    return sorted({names[font_kind(lang)] for lang in langs if font_file(font_kind(lang)) is None})


def require_fonts(langs=LANGS, also: tuple[str, ...] = ()) -> None:
    """Skip (or, in CI, fail) when a font package these PDFs need is missing.

    CI sets UNKG_REQUIRE_SHARED=1 and installs the fonts, so there a missing
    font is an error, never a silently skipped test. `also`: font files needed
    besides the language fonts.
    """
    import os

    import pytest

    missing = missing_fonts(langs) + [f for f in also if not Path(f).exists()]
    if missing:
        reason = f"fonts not installed: {', '.join(missing)} (apt-get install fonts-dejavu-core fonts-wqy-zenhei fonts-hosny-amiri)"
        if os.environ.get("UNKG_REQUIRE_SHARED") == "1":
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason, allow_module_level=True)


# Sentences in UN register with numbers, symbols and Latin words inside; {a} {b} {c} are filled with numbers.
SENTENCES = {
    "en": [
        "The General Assembly stresses the importance of implementing the 2030 Agenda for Sustainable Development in all {a} countries.",
        "The number of people affected by drought reached {a} million in {y}, about {b} per cent of the population of the region.",
        "The report A/80/{a} shows that {b}.5 per cent of the land in the {c} reporting countries is degraded.",
        "The secretariat is requested to work with UNESCO and the United Nations Environment Programme (UNEP) and to report at the {c}th session.",
        "Parties are invited to submit their national reports before {d} December {y}, using the {a} indicators adopted in decision 22/COP.15.",
        "A working group of {a} experts will review the implementation of the strategy between {y} and {y2}.",
    ],
    "fr": [
        "L'Assemblée générale souligne l'importance de la mise en œuvre du Programme de développement durable à l'horizon 2030 dans {a} pays.",
        "Le nombre de personnes touchées par la sécheresse a atteint {a} millions en {y}, soit environ {b} % de la population de la région.",
        "Le rapport A/80/{a} montre que {b},5 % des terres des {c} pays ayant fait rapport sont dégradées.",
        "Le secrétariat est prié de travailler avec l'UNESCO et le Programme des Nations Unies pour l'environnement (PNUE) et de faire rapport à la {c}e session.",
        "Les Parties sont invitées à présenter leurs rapports nationaux avant le {d} décembre {y}, au moyen des {a} indicateurs adoptés dans la décision 22/COP.15.",
        "Un groupe de travail de {a} experts examinera la mise en œuvre de la stratégie entre {y} et {y2}.",
    ],
    "es": [
        "La Asamblea General subraya la importancia de aplicar la Agenda 2030 para el Desarrollo Sostenible en los {a} países.",
        "El número de personas afectadas por la sequía alcanzó {a} millones en {y}, alrededor del {b} % de la población de la región.",
        "El informe A/80/{a} muestra que el {b},5 % de las tierras de los {c} países informantes está degradado.",
        "Se solicita a la secretaría que colabore con la UNESCO y el Programa de las Naciones Unidas para el Medio Ambiente (PNUMA) y que informe en el {c}º período de sesiones.",
        "Se invita a las Partes a presentar sus informes nacionales antes del {d} de diciembre de {y}, con los {a} indicadores aprobados en la decisión 22/COP.15.",
        "Un grupo de trabajo de {a} expertos examinará la aplicación de la estrategia entre {y} y {y2}.",
    ],
    "ru": [
        "Генеральная Ассамблея подчеркивает важность осуществления Повестки дня в области устойчивого развития на период до 2030 года во всех {a} странах.",
        "Число людей, пострадавших от засухи, достигло {a} миллионов в {y} году, или около {b} процентов населения региона.",
        "В докладе A/80/{a} показано, что {b},5 процента земель в {c} представивших доклады странах деградированы.",
        "Секретариату предлагается сотрудничать с ЮНЕСКО и Программой Организации Объединенных Наций по окружающей среде (ЮНЕП) и представить доклад на {c}-й сессии.",
        "Сторонам предлагается представить свои национальные доклады до {d} декабря {y} года с использованием {a} показателей, принятых в решении 22/COP.15.",
        "Рабочая группа в составе {a} экспертов рассмотрит ход осуществления стратегии в период {y}–{y2} годов.",
    ],
    "zh": [
        "大会强调必须在所有{a}个国家执行《2030年可持续发展议程》。",
        "受干旱影响的人数在{y}年达到{a}百万人，约占该区域人口的{b}%。",
        "报告A/80/{a}显示，在{c}个提交报告的国家中，{b}.5%的土地已经退化。",
        "请秘书处与联合国教科文组织（UNESCO）和联合国环境规划署（UNEP）合作，并向第{c}届会议提交报告。",
        "请各缔约方在{y}年12月{d}日之前，使用第22/COP.15号决定通过的{a}项指标提交国家报告。",
        "由{a}名专家组成的工作组将在{y}年至{y2}年期间审查战略的执行情况。",
    ],
    "ar": [
        "تؤكد الجمعية العامة أهمية تنفيذ خطة التنمية المستدامة لعام 2030 في جميع البلدان البالغ عددها {a} بلدا.",
        "بلغ عدد الأشخاص المتضررين من الجفاف {a} مليون شخص في عام {y}، أي نحو {b} في المائة من سكان المنطقة.",
        "يبين التقرير A/80/{a} أن {b}.5 في المائة من الأراضي في البلدان المبلغة وعددها {c} أراض متدهورة.",
        "يُطلب إلى الأمانة أن تعمل مع منظمة UNESCO وبرنامج الأمم المتحدة للبيئة (UNEP) وأن تقدم تقريرا إلى الدورة {c}.",
        "تُدعى الأطراف إلى تقديم تقاريرها الوطنية قبل {d} كانون الأول/ديسمبر {y}، باستخدام المؤشرات الـ {a} المعتمدة في المقرر 22/COP.15.",
        "سيستعرض فريق عامل يتألف من {a} خبيرا تنفيذ الاستراتيجية في الفترة من {y} إلى {y2}.",
    ],
}

# a place opens each paragraph, so no two paragraphs (nor page tops) read alike
PLACES = {
    "en": "Kenya Mongolia Chile Egypt India Peru Niger Jordan Senegal Bolivia Uzbekistan Nepal".split(),
    "fr": "Kenya Mongolie Chili Égypte Inde Pérou Niger Jordanie Sénégal Bolivie Ouzbékistan Népal".split(),
    "es": "Kenya Mongolia Chile Egipto India Perú Níger Jordania Senegal Bolivia Uzbekistán Nepal".split(),
    "ru": "Кения Монголия Чили Египет Индия Перу Нигер Иордания Сенегал Боливия Узбекистан Непал".split(),
    "zh": "肯尼亚 蒙古 智利 埃及 印度 秘鲁 尼日尔 约旦 塞内加尔 玻利维亚 乌兹别克斯坦 尼泊尔".split(),
    "ar": "كينيا منغوليا شيلي مصر الهند بيرو النيجر الأردن السنغال بوليفيا أوزبكستان نيبال".split(),
}
_PLACE_SEP = {"zh": "：", "fr": " : "}

# words that open a sub-paragraph list and a footnote, per language
CHAPEAU = {"en": "The Conference decides as follows:", "fr": "La Conférence décide ce qui suit :", "es": "La Conferencia decide lo siguiente:",
           "ru": "Конференция постановляет следующее:", "zh": "缔约方会议决定如下：", "ar": "يقرر المؤتمر ما يلي:"}
SUB_LABELS = {"en": ["(a)", "(b)", "(c)"], "fr": ["a)", "b)", "c)"], "es": ["a)", "b)", "c)"], "ru": ["a)", "b)", "c)"],
              "zh": ["(a)", "(b)", "(c)"], "ar": ["(أ)", "(ب)", "(ج)"]}
RUNNING_HEAD = {"en": "ICCD/COP(16)/23", "fr": "ICCD/COP(16)/23", "es": "ICCD/COP(16)/23", "ru": "ICCD/COP(16)/23", "zh": "ICCD/COP(16)/23", "ar": "ICCD/COP(16)/23"}
NOTE = {"en": "See the report of the Conference of the Parties on its sixteenth session.",
        "fr": "Voir le rapport de la Conférence des Parties sur sa seizième session.",
        "es": "Véase el informe de la Conferencia de las Partes sobre su 16º período de sesiones.",
        "ru": "См. доклад Конференции Сторон о работе ее шестнадцатой сессии.",
        "zh": "见缔约方会议第十六届会议的报告。",
        "ar": "انظر تقرير مؤتمر الأطراف عن دورته السادسة عشرة."}


def paragraphs(lang: str, n: int = 60, seed: int = 7) -> list[str]:
    """`n` paragraphs of two or three sentences each, numbers varying."""
    rnd = random.Random(f"{lang}-{seed}")
    sents = SENTENCES[lang]
    out = []
    sep = "" if lang == "zh" else " "
    for i in range(n):
        k = 2 + (i % 2)
        picks = rnd.sample(sents, k)
        y = rnd.randint(2000, 2024)
        place = rnd.choice(PLACES[lang]) + _PLACE_SEP.get(lang, ": ")
        out.append(place + sep.join(s.format(a=rnd.randint(11, 193), b=rnd.randint(10, 89), c=rnd.randint(12, 99), d=rnd.randint(10, 28), y=y, y2=y + rnd.randint(2, 9)) for s in picks))
    return out


@dataclass
class Layout:
    """What goes on the pages besides the paragraphs."""

    numbered: bool = False  # "1." labels, a chapeau with sub-paragraphs (a) (b) (c) after paragraph 3
    running_head: bool = False  # a symbol at the top of every page and a page number at the foot
    footnote: bool = False  # a small note at the foot of page 1
    two_columns: bool = False
    size: float = 11.0


@dataclass
class Written:
    """What a PDF holds: the paragraphs (label apart) in order, and their labels."""

    texts: list[str] = field(default_factory=list)
    labels: list[Optional[str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def make_pdf(path: Path, lang: str, paras: list[str], layout: Layout = Layout()) -> Written:
    """Write `paras` in `lang` to `path`: one blank line between paragraphs."""
    from fpdf import FPDF

    kind = font_kind(lang)
    rtl = lang == "ar"
    written = Written()

    class Doc(FPDF):
        def header(self) -> None:
            if layout.running_head:
                self.set_font("body", size=8)
                self.set_y(8)
                self.cell(0, 5, RUNNING_HEAD[lang], align="L" if not rtl else "R")
                self.set_y(self.t_margin)

        def footer(self) -> None:
            if layout.running_head:
                self.set_y(-12)
                self.set_font("body", size=8)
                self.cell(0, 5, str(self.page_no()), align="C")

    pdf = Doc(format="A4")
    pdf.set_margins(20, 20, 20)
    pdf.set_auto_page_break(True, margin=20)
    pdf.add_font("body", fname=font_file(kind))
    if rtl:
        pdf.set_text_shaping(True, direction="rtl", script="arab", language="ar")
    pdf.set_font("body", size=layout.size)
    pdf.add_page()
    line_h = layout.size * 0.55
    align = "R" if rtl else "J"
    items: list[tuple[Optional[str], str]] = []
    for i, p in enumerate(paras):
        if layout.numbered:
            items.append((f"{i + 1}." if lang != "ar" else f"{i + 1}-", p))
            if i == 2:
                items.append((None, CHAPEAU[lang]))
                for lab, q in zip(SUB_LABELS[lang], SENTENCES[lang][:3]):
                    items.append((lab, q.format(a=42, b=17, c=31, d=12, y=2021, y2=2027)))
        else:
            items.append((None, p))
    if layout.two_columns:
        _write_columns(pdf, items, line_h, rtl)
        for lab, text in items:
            written.texts.append(text)
            written.labels.append(lab)
    else:
        for n, (lab, text) in enumerate(items):
            body = f"{lab} {text}" if lab else text
            pdf.multi_cell(0, line_h, body, align=align, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(line_h)
            written.texts.append(text)
            written.labels.append(lab)
            if layout.footnote and n == 1:  # a note at the foot of page 1
                y = pdf.get_y()
                pdf.set_font("body", size=layout.size * 0.7)
                pdf.set_y(pdf.h - 32)
                pdf.multi_cell(0, layout.size * 0.4, "1 " + NOTE[lang], align="R" if rtl else "L", new_x="LMARGIN", new_y="NEXT")
                written.notes.append(NOTE[lang])
                pdf.set_font("body", size=layout.size)
                pdf.set_y(y)
    pdf.output(str(path))
    return written


def _write_columns(pdf, items: list, line_h: float, rtl: bool, gutter: float = 10.0) -> None:
    """Two ragged columns, filled line by line: the first column (the right one in Arabic) then the other.

    fpdf2's own text_columns does not shape right-to-left text, so lines are
    broken with a dry-run multi_cell and each is set as a (shaped) cell.
    """
    col_w = (pdf.w - pdf.l_margin - pdf.r_margin - gutter) / 2
    xs = [pdf.l_margin + col_w + gutter, pdf.l_margin] if rtl else [pdf.l_margin, pdf.l_margin + col_w + gutter]
    bottom = pdf.h - pdf.b_margin
    col = 0
    y = pdf.t_margin

    def next_line() -> None:
        nonlocal col, y
        if y + line_h > bottom:
            col += 1
            if col == 2:
                pdf.add_page()
                col = 0
            y = pdf.t_margin

    for lab, text in items:
        body = f"{lab} {text}" if lab else text
        lines = pdf.multi_cell(col_w, line_h, body, align="R" if rtl else "L", dry_run=True, output="LINES")
        for line in lines:
            next_line()
            pdf.set_xy(xs[col], y)
            pdf.cell(col_w, line_h, line, align="R" if rtl else "L")
            y += line_h
        if y > pdf.t_margin:
            y += line_h  # a blank line between paragraphs (none at the top of a column)


def make_labelled_pdf(path: Path, lang: str, symbol: str, items: list[tuple[Optional[str], str]], note: str) -> None:
    """The layout of ../shared/corpus-dev/rendered-pdf: the symbol at the top, the page number at the foot,
    hanging labels ("1.1", "(a)"; on the right in Arabic), wrapped lines, a footnote on page 1."""
    from fpdf import FPDF

    rtl = lang == "ar"

    class Doc(FPDF):
        def header(self) -> None:
            self.set_font("body", size=8)
            self.set_y(10)
            self.cell(0, 4, symbol, align="R" if rtl else "L")
            self.set_y(self.t_margin)

        def footer(self) -> None:
            self.set_y(-12)
            self.set_font("body", size=8)
            self.cell(0, 4, str(self.page_no()), align="C")

    pdf = Doc(format="A4")
    pdf.set_margins(20, 20, 20)
    pdf.set_auto_page_break(True, margin=25)
    pdf.add_font("body", fname=font_file(font_kind(lang)))
    if rtl:
        pdf.set_text_shaping(True, direction="rtl", script="arab", language="ar")
    pdf.set_font("body", size=10)
    pdf.add_page()
    hang = 10.0
    width = pdf.w - pdf.l_margin - pdf.r_margin
    for n, (label, text) in enumerate(items):
        if pdf.will_page_break(5):
            pdf.add_page()  # a label never stays behind at the foot of a page
        y = pdf.get_y()
        if label:
            if rtl:
                pdf.set_xy(pdf.w - pdf.r_margin - hang, y)
                pdf.cell(hang, 5, label, align="R")
                pdf.set_xy(pdf.l_margin, y)
            else:
                pdf.set_xy(pdf.l_margin, y)
                pdf.cell(hang, 5, label)
                pdf.set_xy(pdf.l_margin + hang, y)
            pdf.multi_cell(width - hang, 5, text, align="R" if rtl else "J", new_x="LMARGIN", new_y="NEXT")
        else:
            pdf.set_x(pdf.l_margin)
            pdf.multi_cell(width, 5, text, align="R" if rtl else "L", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
        if n == 1:  # the footnote at the foot of page 1
            keep = pdf.get_y()
            pdf.set_font("body", size=7)
            pdf.set_y(pdf.h - 30)
            pdf.multi_cell(0, 3.5, "1 " + note, align="R" if rtl else "L", new_x="LMARGIN", new_y="NEXT")
            pdf.set_font("body", size=10)
            pdf.set_y(keep)
    pdf.output(str(path))


def norm(text: str) -> str:
    """Compare texts as a reader would: NFKC, no tatweel, single spaces."""
    t = unicodedata.normalize("NFKC", text).replace("\u0640", "")
    return re.sub(r"\s+", " ", t).strip()


@dataclass
class Score:
    written: int
    found: int
    similarity: float  # mean over written paragraphs of the best in-order match
    labels_kept: float  # share of written labels found on the matching paragraph


def score(written: Written, blocks: list[dict]) -> Score:
    """Match each written paragraph to a found one (in order, nearby) and average the text similarity.

    `blocks` are dicts with "text" and "label" (the JSON of `unkg parse`), body paragraphs only.
    """
    found = [(norm(b.get("text") or ""), (b.get("label") or "").strip()) for b in blocks]
    sims: list[float] = []
    labels_ok = labels_n = 0
    j = 0
    for text, lab in zip(written.texts, written.labels):
        want = norm(text)
        best, best_k = 0.0, None
        for k in range(max(0, j - 3), min(len(found), j + 6)):
            sm = difflib.SequenceMatcher(None, want, found[k][0], autojunk=False)
            if sm.real_quick_ratio() <= best or sm.quick_ratio() <= best:
                continue
            r = sm.ratio()
            if r > best:
                best, best_k = r, k
        sims.append(best)
        if best_k is not None and best >= 0.6:  # a paragraph that was lost or joined does not move the cursor
            j = best_k + 1
        if lab:
            labels_n += 1
            if best_k is not None and found[best_k][1].rstrip(".-") == lab.rstrip(".-"):
                labels_ok += 1
    return Score(len(written.texts), len(found), sum(sims) / max(1, len(sims)), labels_ok / labels_n if labels_n else 1.0)
