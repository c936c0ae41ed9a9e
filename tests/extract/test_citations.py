"""Citations in the six UN languages normalize to the same ids."""

from __future__ import annotations

import pytest

from unkg.extract.citations import find
from unkg.extract.pipeline import get_nlp

DECISION = [
    ("en", "Recalling decision 22/COP.15 on migration,"),
    ("zh", "缔约方会议在第22/COP.15号决定中请秘书处"),
    ("zh", "第 22/COP.15 号决定请全球机制："),
    ("fr", "Rappelant la décision 22/COP.15 sur les migrations,"),
    ("es", "Recordando la decisión 22/COP.15 sobre la migración,"),
    ("ru", "ссылаясь на решение 22/COP.15 о миграции,"),
    ("ar", "إذ يشير إلى المقرر 22/م أ-15 بشأن الهجرة،"),
]
RESOLUTION = [
    ("en", "Recalling its resolution 62/193 of 19 December 2007,"),
    ("en", "A/RES/62/193"),
    ("zh", "回顾其2007年12月19日第62/193号决议，"),
    ("fr", "Rappelant sa résolution 62/193 du 19 décembre 2007,"),
    ("es", "Recordando su resolución 62/193, de 19 de diciembre de 2007,"),
    ("ru", "ссылаясь на свою резолюцию 62/193 от 19 декабря 2007 года,"),
    ("ar", "إذ تشير إلى قرارها 62/193 المؤرخ 19 كانون الأول/ديسمبر 2007،"),
]
TARGET = [
    ("en", "in line with Sustainable Development Goal target 15.3"),
    ("zh", "可持续发展目标具体目标15.3"),
    ("fr", "conformément à la cible 15.3 des objectifs de développement durable"),
    ("es", "en consonancia con la meta 15.3 de los Objetivos de Desarrollo Sostenible"),
    ("ru", "в соответствии с задачей 15.3 целей в области устойчивого развития"),
    ("ar", "وفقا للغاية 15-3 من أهداف التنمية المستدامة"),
]


@pytest.mark.parametrize("lang,text", DECISION)
def test_decision(lang, text):
    assert [f.id for f in find(text, lang) if f.kind == "decision"] == ["decision:22/COP.15"]


@pytest.mark.parametrize("lang,text", RESOLUTION)
def test_resolution(lang, text):
    assert [f.id for f in find(text, lang) if f.kind == "resolution"] == ["resolution:62/193"]


@pytest.mark.parametrize("lang,text", TARGET)
def test_sdg_target(lang, text):
    assert [f.id for f in find(text, lang) if f.kind == "sdg_target"] == ["sdg:target:15.3"]


def test_spans_point_into_the_text():
    text = "Recalling its resolutions 58/211 of 23 December 2003, 61/202 of 20 December 2006 and decisions 3/COP.8 and 2/COP.9,"
    found = find(text, "en")
    assert [f.id for f in found] == ["resolution:58/211", "resolution:61/202", "decision:3/COP.8", "decision:2/COP.9"]
    for f in found:
        assert text[f.start:f.end] == f.text


def test_goals_indicators_symbols_and_habitat_resolutions():
    ids = [f.id for f in find("SDG 11, indicator 15.3.1 and document ICCD/COP(16)/18 (see HSP/EB.2024/INF/6)", "en")]
    assert ids == ["sdg:goal:11", "sdg:indicator:15.3.1", "document:ICCD/COP(16)/18", "document:HSP/EB.2024/INF/6"]
    assert [f.id for f in find("人居大会关于人人享有适当住房的第 2/7 号决议", "zh")] == ["resolution:HSP/HA.2/Res.7"]
    assert [f.id for f in find("根据执行局在第 2023/B 号决定中提出的要求", "zh")] == ["decision:HSP/EB/2023/B"]
    # an SDG target that does not exist is not a citation
    assert find("target 15.13", "en") == []


@pytest.mark.parametrize("lang", ["en", "fr", "es", "ru", "zh", "ar"])
def test_pipeline_component_sets_spans(lang):
    text = dict(DECISION)[lang] if lang != "zh" else "第22/COP.15号决定"
    doc = get_nlp(lang)(text)
    assert [sp.id_ for sp in doc.spans["unkg_citations"]] == ["decision:22/COP.15"]
    assert get_nlp(lang).pipe_names[:4] == ["unkg_gazetteer", "unkg_citations", "unkg_quantities", "unkg_dates"]
