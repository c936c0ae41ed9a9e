"""Symbols, dates, sessions and agenda items as printed on UN documents, in six languages."""

from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

from unkg.ingest.language import detect_language
from unkg.ingest.metadata import cjk_number, find_agenda_item, find_session, find_symbol, ordinal_en, parse_date


@pytest.mark.parametrize("line,symbol", [
    ("ICCD/COP(16)/18", "ICCD/COP(16)/18"),
    ("HSP/EB.2024/6", "HSP/EB.2024/6"),
    ("A/RES/80/13", "A/RES/80/13"),
    ("E/RES/2022/17", "E/RES/2022/17"),
    ("UNEP/EA.5/Res.4", "UNEP/EA.5/Res.4"),
    ("A/C.5/78/34", "A/C.5/78/34"),
    ("  ICCD/CRIC(21)/2  ", "ICCD/CRIC(21)/2"),
])
def test_symbols(line, symbol):
    assert find_symbol(["United Nations", line, "Distr.: General"], {}) == symbol


def test_symbol_not_taken_from_a_committee_report_reference():
    assert find_symbol(["[on the report of the Second Committee (A/62/419/Add.5)]"], {}) is None


@pytest.mark.parametrize("text,iso", [
    ("Resolution adopted by the General Assembly on 19 December 2007", "2007-12-19"),
    ("Distr.: General 29 July 2024", "2024-07-29"),
    ("Résolution adoptée par l’Assemblée générale le 1er décembre 2025", "2025-12-01"),
    ("Resolución aprobada por la Asamblea General el 19 de diciembre de 2007", "2007-12-19"),
    ("Резолюция, принятая Генеральной Ассамблеей 19 декабря 2007 года", "2007-12-19"),
    ("2024年12月2日至13日，沙特阿拉伯利雅得", "2024-12-02"),
    ("2024 年 5 月 6 日至 8 日，内罗毕", "2024-05-06"),
    ("القرار الذي اتخذته الجمعية العامة في 19 ديسمبر 2007", "2007-12-19"),
    ("held on July 28-29, 2015", None),
    ("on July 28, 2015", "2015-07-28"),
])
def test_dates(text, iso):
    assert parse_date(text) == iso


@pytest.mark.parametrize("lines,session", [
    (["Eightieth session"], "80"),
    (["Seventy-ninth session"], "79"),
    (["第十六届会议"], "16"),
    (["Conférence des Parties", "16e session"], "16"),
    (["Conferencia de las Partes", "16º período de sesiones"], "16"),
    (["Конференция Сторон", "16-я сессия"], "16"),
])
def test_sessions(lines, session):
    assert find_session(lines, None) == session


def test_session_from_symbol():
    assert find_session([], "ICCD/COP(16)/18") == "16"
    assert find_session([], "A/RES/80/13") == "80"


@pytest.mark.parametrize("line,item", [
    ("Provisional agenda item 4", "4"),
    ("临时议程项目4", "4"),
    ("临时议程*项目 7", "7"),
    ("Point 4 de l’ordre du jour provisoire", "4"),
    ("Tema 4 del programa provisional", "4"),
    ("Пункт 4 предварительной повестки дня", "4"),
    ("البند 4 من جدول الأعمال المؤقت", "4"),
])
def test_agenda_items(line, item):
    assert find_agenda_item([line]) == item


@pytest.mark.parametrize("text,lang", [
    ("Requests the secretariat to report to the Conference of the Parties at its seventeenth session", "en"),
    ("Prie le secrétariat de faire rapport à la Conférence des Parties à sa dix-septième session", "fr"),
    ("Solicita a la secretaría que informe a la Conferencia de las Partes en su 17º período de sesiones", "es"),
    ("Просит секретариат представить доклад Конференции Сторон на ее семнадцатой сессии", "ru"),
    ("请秘书处向缔约方会议第十七届会议报告", "zh"),
    ("يطلب إلى الأمانة أن تقدم تقريراً إلى مؤتمر الأطراف في دورته السابعة عشرة", "ar"),
])
def test_language_detection_six_languages(text, lang):
    assert detect_language(text) == lang


def test_number_words():
    assert [ordinal_en(w) for w in ("first", "sixteenth", "eightieth", "seventy-ninth")] == [1, 16, 80, 79]
    assert [cjk_number(w) for w in ("十六", "二十一", "八十", "十")] == [16, 21, 80, 10]


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_metadata_parsers_never_crash(text):
    lines = text.splitlines() or [text]
    find_symbol(lines, {})
    parse_date(text)
    find_session(lines, None)
    find_agenda_item(lines)
    detect_language(text)
