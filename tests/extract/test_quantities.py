"""Quantities and dates in the six UN languages."""

from __future__ import annotations

import pytest

from unkg.extract.quantities import find_dates, find_quantities

QUANTITIES = [
    ("zh", "估计总面积超过4.5亿公顷的退化土地", 450000000.0, "ha", "超过"),
    ("en", "more than 100 countries have set targets", 100.0, "country", "more than"),
    ("en", "an annual loss of up to USD 40-50 billion", 40e9, "USD", "up to"),
    ("fr", "plus de 100 pays ont fixé des cibles", 100.0, "country", "plus de"),
    ("fr", "4,5 millions d'hectares de terres dégradées", 4.5e6, "ha", None),
    ("es", "más de 100 países han fijado metas", 100.0, "country", "más de"),
    ("es", "4,5 millones de hectáreas", 4.5e6, "ha", None),
    ("ru", "более 100 стран установили целевые показатели", 100.0, "country", "более"),
    ("ru", "450 млн гектаров деградированных земель", 4.5e8, "ha", None),
    ("ar", "أكثر من 100 بلد", 100.0, "country", "أكثر من"),
    ("ar", "450 مليون هكتار", 4.5e8, "ha", None),
    ("zh", "近 20 万人生活在公平公园的影响范围内", 200000.0, "person", "近"),
    ("zh", "截至 2023 年的 960 万美元的资金组合", 9.6e6, "USD", None),
]


@pytest.mark.parametrize("lang,text,value,unit,qualifier", QUANTITIES)
def test_quantity(lang, text, value, unit, qualifier):
    found = [f for f in find_quantities(text, lang) if f.unit == unit]
    assert found, find_quantities(text, lang)
    f = found[0]
    assert f.value == pytest.approx(value) and (f.qualifier or None) == qualifier
    assert text[f.start:f.end] == f.text


DATES = [
    ("en", "Resolution adopted on 19 December 2007", "date:2007-12-19"),
    ("en", "held on July 28-29, 2015, in Inner Mongolia", "date:2015-07-28"),
    ("zh", "支持请求必须在 2023 年 6 月 2 日之前提交", "date:2023-06-02"),
    ("fr", "adoptée le 19 décembre 2007", "date:2007-12-19"),
    ("es", "aprobada el 19 de diciembre de 2007", "date:2007-12-19"),
    ("ru", "принята 19 декабря 2007 года", "date:2007-12-19"),
    ("ar", "المؤرخ 19 كانون الأول/ديسمبر 2007", "date:2007-12-19"),
]


@pytest.mark.parametrize("lang,text,date_id", DATES)
def test_date(lang, text, date_id):
    assert [f.id for f in find_dates(text, lang)] == [date_id]


@pytest.mark.parametrize("lang,text", [
    ("ar", "بحلول عام 2030، سوف تتحسن إنتاجية ما لا يقل عن 2000 هكتار من التربة"),
    ("ar", "تتبع التقدم نحو تحقيق تحييد أثر تدهور الأراضي في بلد ما بحلول عام 2030، ودعم التحديد الكمي"),
    ("en", "By 2030, the productivity of at least 2,000 hectares of soil will improve"),
    ("zh", "到2030年，至少2000公顷土壤的生产力将得到提高"),
])
def test_target_year_in_six_scripts(lang, text):
    assert [f.id for f in find_dates(text, lang)] == ["date:2030"]


def test_arabic_year_inside_a_word_is_not_a_date():
    assert find_dates("الوثيقة ICCD/COP(14)/2030 المرفقة", "ar") == []
