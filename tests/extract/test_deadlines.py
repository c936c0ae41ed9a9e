"""Deadlines written in words become comparable values (ISO dates or session ids), in six languages."""

from __future__ import annotations

import pytest

from unkg.extract import annotate
from unkg.extract.deadlines import last_day, next_session, words_deadline
from unkg.model import Block, Document

# a request with a deadline in words, in a General Assembly resolution of the eightieth session
END_OF_JUNE = {
    "en": "Requests the Secretary-General to submit a report by the end of June 2026;",
    "fr": "Prie le Secrétaire général de présenter un rapport d'ici à la fin juin 2026 ;",
    "es": "Solicita al Secretario General que presente un informe a más tardar a finales de junio de 2026;",
    "ru": "просит Генерального секретаря представить доклад до конца июня 2026 года;",
    "zh": "请秘书长于2026年6月底前提交报告；",
    "ar": "يطلب إلى الأمين العام أن يقدم تقريرا بحلول نهاية حزيران/يونيه 2026؛",
}
NEXT_SESSION = {
    "en": "Requests the Secretary-General to report to the General Assembly at its next session;",
    "fr": "Prie le Secrétaire général de lui faire rapport à sa prochaine session ;",
    "es": "Solicita al Secretario General que la informe en su próximo período de sesiones;",
    "ru": "просит Генерального секретаря представить доклад на своей следующей сессии;",
    "zh": "请秘书长向大会下一届会议提交报告；",
    "ar": "يطلب إلى الأمين العام أن يقدم تقريرا في دورتها المقبلة؛",
}
LATEST_82 = {
    "en": "Requests the Secretary-General to report no later than its eighty-second session;",
    "fr": "Prie le Secrétaire général de lui faire rapport au plus tard à sa quatre-vingt-deuxième session ;",
    "es": "Solicita al Secretario General que la informe a más tardar en su octogésimo segundo período de sesiones;",
    "ru": "просит Генерального секретаря представить доклад не позднее восемьдесят второй сессии;",
    "ar": "يطلب إلى الأمين العام أن يقدم تقريرا في دورتها الثانية والثمانين؛",
}


def _ga_doc(lang: str, text: str) -> Document:
    blocks = [Block(id="t#1", ord=0, kind="preambular", text="The General Assembly,", language=lang),
              Block(id="t#2", ord=1, kind="operative", label="1.", level=1, text=text, language=lang)]
    return Document(id="t", source="t", sha256="0", format="text", language=lang, symbol="A/RES/80/20", blocks=blocks)


def _deadline(lang: str, text: str):
    ms = annotate(_ga_doc(lang, text)).blocks[1].mandates
    assert ms, text
    return ms[0].deadline


@pytest.mark.parametrize("lang", sorted(END_OF_JUNE))
def test_end_of_a_month_is_its_last_day(lang):
    assert _deadline(lang, END_OF_JUNE[lang]) == "2026-06-30"


@pytest.mark.parametrize("lang", sorted(NEXT_SESSION))
def test_next_session_is_the_document_session_plus_one(lang):
    assert _deadline(lang, NEXT_SESSION[lang]) == "GA.81"


@pytest.mark.parametrize("lang", sorted(LATEST_82))
def test_no_later_than_a_numbered_session(lang):
    assert _deadline(lang, LATEST_82[lang]) == "GA.82"


@pytest.mark.parametrize("text,lang,expected", [
    ("to be completed before COP 17", "en", "COP.17"),
    ("à achever avant la COP 17", "fr", "COP.17"),
    ("antes de la COP 17", "es", "COP.17"),
    ("до КС 17", "ru", "COP.17"),
    ("在第十七届缔约方会议之前完成", "zh", "COP.17"),
    ("在第十七届会议上审议", "zh", "session.17"),
    ("by the end of 2026", "en", "2026-12-31"),
    ("2026年底前", "zh", "2026-12-31"),
    ("d'ici à la fin de 2027", "fr", "2027-12-31"),
])
def test_words_deadline(text, lang, expected):
    assert words_deadline(text, lang)[0] == expected


def test_no_deadline_in_plain_words():
    assert words_deadline("Requests the Secretary-General to continue his work", "en") == (None, None)
    assert words_deadline("请秘书长继续开展工作", "zh") == (None, None)


def test_comparable_values():
    assert last_day(2028, 2) == "2028-02-29" and last_day(2026, None) == "2026-12-31"
    assert next_session("COP.16") == "COP.17" and next_session(None) is None
    # ISO dates and session numbers of one body sort by time as strings / numbers
    assert sorted([last_day(2026, 6), last_day(2025, 12)]) == ["2025-12-31", "2026-06-30"]


@pytest.mark.parametrize("lang,text", [
    ("en", "Calls upon Member States to form coalitions to help achieve the global goal of “the neutrality of land degradation by 2030”;"),
    ("zh", "吁请会员国结成联盟，帮助实现“2030年前实现土地退化零增长”的全球目标；"),
])
def test_a_year_inside_a_quoted_goal_is_not_a_deadline(lang, text):
    assert _deadline(lang, text) is None


def test_the_assembly_of_a_general_assembly_text_is_the_general_assembly():
    text = "Invites the President of the General Assembly to organize, during the seventy-fifth session of the Assembly, a high-level dialogue;"
    blocks = [Block(id="t#1", ord=0, kind="preambular", text="The General Assembly,", language="en"),
              Block(id="t#2", ord=1, kind="operative", label="1.", level=1, text=text, language="en")]
    doc = Document(id="t", source="t", sha256="0", format="text", language="en", symbol="A/RES/75/218", blocks=blocks)
    assert annotate(doc).blocks[1].mandates[0].deadline == "GA.75"
