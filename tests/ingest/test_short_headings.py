"""Short headings and lines take the document's language (too short to tell French from English)."""

from __future__ import annotations

from pathlib import Path

import pytest

from unkg.ingest.pipeline import parse_file

BODY = {
    "en": ("Report on the activities of the secretariat", "Implementation", "Documentation",
           "The present report describes the activities carried out by the secretariat of the Convention during the reporting period, "
           "including regional workshops and the training of national focal points.",
           "Parties should consider the recommendations contained in the present report and take the measures necessary to "
           "strengthen the implementation of the Convention at the national level."),
    "fr": ("Rapport sur les activités du secrétariat", "Introduction", "Documentation",
           "Le présent rapport décrit les activités menées par le secrétariat de la Convention au cours de la période considérée, "
           "notamment les ateliers régionaux et la formation des correspondants nationaux.",
           "Les Parties devraient examiner les recommandations figurant dans le présent rapport et prendre les mesures nécessaires "
           "pour renforcer la mise en œuvre de la Convention au niveau national."),
    "zh": ("秘书处活动报告", "一、导言", "二、建议",
           "本报告介绍了《公约》秘书处在报告所述期间开展的活动，包括区域讲习班和国家联络点培训，以及与合作伙伴的协作情况。",
           "缔约方应审议本报告所载建议，并采取必要措施，在国家一级加强《公约》的执行工作，同时报告所取得的进展。"),
}


@pytest.mark.parametrize("lang", sorted(BODY))
def test_short_headings_take_the_document_language(lang, tmp_path: Path):
    title, h1, h2, p1, p2 = BODY[lang]
    f = tmp_path / f"report_{lang}.txt"
    f.write_text("\n\n".join([title, h1, p1, h2, p2]) + "\n", encoding="utf-8")
    doc = parse_file(f)
    assert doc.language == lang
    short = [b for b in doc.blocks if b.text and (h1.endswith(b.text) or h2.endswith(b.text))]
    assert len(short) == 2 and all(b.language == lang for b in short), [(b.text, b.language) for b in short]


def test_a_line_in_another_script_keeps_its_language(tmp_path: Path):
    title, h1, h2, p1, p2 = BODY["zh"]
    f = tmp_path / "report_mixed.txt"
    f.write_text("\n\n".join([title, "Introduction and background", p1, h2, p2]) + "\n", encoding="utf-8")
    doc = parse_file(f)
    assert doc.language == "zh"
    assert next(b for b in doc.blocks if b.text.startswith("Introduction")).language == "en"
