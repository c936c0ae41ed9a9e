"""A short Latin text is read with its document: its function words, else the language of the document's longer text.

Why: lingua alone mislabels English headings built of Latinate words ("Preparation and implementation of national
action programmes" as French), and its models for short texts cost each parse worker 0.3 s to load.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from unkg.ingest.language import detect_language, detect_languages
from unkg.ingest.pipeline import parse_file

REPO = Path(__file__).resolve().parents[2]

LONG = {
    "en": ["The present report describes the activities carried out by the secretariat of the Convention during the "
           "reporting period, including regional workshops and the training of national focal points.",
           "Parties should consider the recommendations contained in the present report and take the measures necessary "
           "to strengthen the implementation of the Convention at the national level."],
    "fr": ["Le présent rapport décrit les activités menées par le secrétariat de la Convention au cours de la période "
           "considérée, notamment les ateliers régionaux et la formation des correspondants nationaux.",
           "Les Parties devraient examiner les recommandations figurant dans le présent rapport et prendre les mesures "
           "nécessaires pour renforcer la mise en œuvre de la Convention au niveau national."],
    "es": ["El presente informe describe las actividades realizadas por la secretaría de la Convención durante el "
           "período que se examina, incluidos los talleres regionales y la capacitación de los coordinadores nacionales.",
           "Las Partes deberían examinar las recomendaciones que figuran en el presente informe y adoptar las medidas "
           "necesarias para fortalecer la aplicación de la Convención a nivel nacional."],
    "zh": ["本报告介绍了《公约》秘书处在报告所述期间开展的活动，包括区域讲习班和国家联络点培训，以及与合作伙伴的协作情况。",
           "缔约方应审议本报告所载建议，并采取必要措施，在国家一级加强《公约》的执行工作，同时报告所取得的进展。"],
}
# short lines (under 120 characters) with the function words of their language
SHORT = {
    "en": "Support for the elaboration and implementation of action programmes",
    "fr": "Étape 3 : évaluer les zones sensibles et favorables",
    "es": "Aceptar la licencia por defecto Creative Commons (CC) para los datos",
}


@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_short_lines_without_function_words_take_the_document_language(lang):
    # "Subprogramme 4" and a URL tell nothing alone
    texts = LONG[lang] + ["Subprogramme 4: UNCCD 2018-2030", "https://www.unccd.int/land-and-life/ldn-target-setting"]
    assert detect_languages(texts) == [lang] * 4


@pytest.mark.parametrize("doc_lang", ["en", "fr", "es"])
@pytest.mark.parametrize("line_lang", ["en", "fr", "es"])
def test_function_words_keep_a_quoted_line_in_its_language(doc_lang, line_lang):
    assert detect_languages(LONG[doc_lang] + [SHORT[line_lang]])[-1] == line_lang


def test_latinate_english_headings_in_an_english_document():
    headings = ["Preparation and implementation of national action programmes",
                "Subregional, regional and joint action programmes",
                "To contribute to the objective, the subprogramme will:"]
    assert detect_languages(LONG["en"] + headings)[2:] == ["en"] * 3


def test_acronyms_in_capitals_are_not_function_words():
    # "BY" in a licence name is not the English "by"
    assert detect_languages(LONG["es"] + ["Atribución - No Comercial - Sin Obra Derivada (CC BY-NC-ND)"])[-1] == "es"


def test_short_english_line_in_a_chinese_document():
    # no longer Latin text to lean on: lingua reads the line with its models for short texts
    assert detect_languages(LONG["zh"] + ["Requests the secretariat to report on the implementation"]) == ["zh", "zh", "en"]


def test_a_short_text_alone_is_read_by_lingua():
    assert [detect_language(t) for t in ("Prie le secrétariat de faire rapport", "Solicita a la secretaría que informe",
                                         "Requests the secretariat to report")] == ["fr", "es", "en"]


@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_real_reports_keep_their_language_block_by_block(lang):
    doc = parse_file(REPO / "tests" / "data" / "prais4-initiatives" / f"prais4.{lang}.txt")
    assert doc.language == lang
    assert all(b.language == lang for b in doc.blocks if sum(c.isalpha() for c in b.text) >= 12), \
        [(b.text[:60], b.language) for b in doc.blocks if b.language != lang]


def test_a_worker_parsing_resolutions_does_not_load_the_models_for_short_texts():
    """The worker's start: lingua's models for short texts (0.3 s) stay unloaded for documents with a majority
    language, which is the point of reading short texts in context."""
    code = ("import sys; from unkg.extract.task import ParseAndAnnotate; from unkg.ingest.language import _thorough_detector, _trigram_detector; "
            "t = ParseAndAnnotate(); t.warm_up(); [t(p) for p in sys.argv[1:]]; print(_trigram_detector.cache_info().currsize, _thorough_detector.cache_info().currsize)")
    files = sorted(str(p) for p in (REPO / "tests" / "data" / "un-resolutions").glob("*.txt"))[:6]
    files += [str(REPO / "tests" / "data" / "real-files" / "UNCCD_convention_BWBV0001192.md")]
    out = subprocess.run([sys.executable, "-c", code, *files], capture_output=True, text=True, cwd=REPO, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.split() == ["1", "0"]  # the trigram detector only
