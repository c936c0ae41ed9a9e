"""`precedents --any-language`: a paragraph is found from its translation (dense similarity over a threshold
calibrated per language pair) and shown beside the text asked about."""

from __future__ import annotations

import json

from unkg.search.precedents import THRESHOLDS, crosslingual_threshold, find_precedents

# an English rendering (written for this test) of the Chinese sample paragraph on the call for pioneer countries
EN_OF_ZH = ("The purpose of this call for support requests is to select 15 pioneer countries that are committed to "
            "transforming their land-based agenda and to showing how UNCCD policy and implementation can be taken to the "
            "next level. Through the LDN Target Setting Programme 2.0, the UNCCD will provide these countries with "
            "dedicated technical and financial support services and will establish a shortlist of other interested countries.")


def test_thresholds_are_calibrated_per_language_pair():
    data = json.loads(THRESHOLDS.read_text(encoding="utf-8"))
    for pair in ("en-fr", "en-es", "en-ru", "en-zh"):
        assert 0.3 < data["use"][pair] < 0.95
        assert data["pairs"][pair]["pairs"] >= 100  # measured on aligned dev paragraphs, not chosen
    assert crosslingual_threshold("zh", "en") == crosslingual_threshold("en", "zh")
    assert crosslingual_threshold("ar", "fr") == data["default"]  # no data for the pair: the strictest


def test_english_text_finds_the_chinese_paragraph(searcher):
    found = find_precedents(searcher, text=EN_OF_ZH, same_language=False, min_similarity=0.3)
    zh = [p for p in found if p.language == "zh"]
    assert zh and zh[0].translation
    assert "15个致力于改变其陆基议程" in zh[0].text
    assert zh[0].similarity >= crosslingual_threshold("en", "zh")
    assert zh[0].query_text.startswith("The purpose of this call") and zh[0].query_language == "en"
    # same language only (the default): the Chinese paragraph is not a precedent of English words
    assert not [p for p in find_precedents(searcher, text=EN_OF_ZH, min_similarity=0.3) if p.language == "zh"]


def test_chinese_text_finds_the_english_paragraph_not_unrelated_ones(searcher):
    # a negotiator pastes the Chinese paragraph and asks for the English wording
    zh = ("这就是昌原倡议的由来。昌原倡议由韩国林务局于2011年发起，为帮助各国加强土地治理和防治荒漠化提供了长期支持。"
          "它最有影响力的贡献之一，是资助和支持国家联络点的谈判培训。国家联络点的任务是代表他们的国家出席《荒漠化公约》会议。")
    found = find_precedents(searcher, text=zh, same_language=False, min_similarity=0.3)
    assert any(p.identical and p.language == "zh" for p in found)
    en = [p for p in found if p.translation and p.language == "en"]
    assert en and "Korea Forest Service" in en[0].text
    assert len(en) <= 3  # meaning, not any English paragraph
