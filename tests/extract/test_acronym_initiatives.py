"""Initiatives of French, Spanish and Russian text named by a head word and the acronym in brackets.

Real sentences of the UNCCD PRAIS4 reporting manual and its published translations (tests/data/prais4-initiatives;
the two sentences written inline are from the same manual's implementation framework chapter).  The English text
names the same initiatives by the shape of its names, as before.
"""

from __future__ import annotations

from unkg.extract import annotate
from unkg.extract.initiatives import find_initiatives
from unkg.model import Block, Document

from tests.conftest import DATA

SRC = DATA / "prais4-initiatives"


def _paragraphs(lang: str) -> list[str]:
    return [p for p in (SRC / f"prais4.{lang}.txt").read_text(encoding="utf-8").split("\n\n") if p.strip()]


def _names(text: str, lang: str) -> list[str]:
    return [f.text for f in find_initiatives(text, lang)]


def test_the_name_before_the_acronym_in_four_languages():
    monitoring, _platform, finance = _paragraphs("en")
    assert "Biodiversity Finance Initiative" in _names(finance, "en")
    assert "Joint Monitoring Programme" in _names(monitoring, "en")
    assert _names(_paragraphs("fr")[2], "fr") == ["initiative de financement de la biodiversité"]  # "de l’initiative ..."
    assert _names(_paragraphs("es")[2], "es") == ["Iniciativa Financiera de Biodiversidad"]
    assert _names(_paragraphs("ru")[2], "ru") == ["Инициативы по финансированию биоразнообразия"]  # declined head
    # "(IPBES, por sus siglas en inglés)": the acronym with its gloss
    assert _names(_paragraphs("es")[1], "es") == ["Plataforma Intergubernamental Científico-Normativa sobre Diversidad Biológica"]


def test_organisations_idioms_and_plurals_are_not_initiatives():
    # "le Fonds des Nations Unies pour l’enfance (UNICEF) qui, dans le cadre du programme commun de suivi (JMP)":
    # the United Nations fund is an organisation, "dans le cadre du" is "within", the programme is the name
    assert _names(_paragraphs("fr")[0], "fr") == ["programme commun de suivi"]
    fr = ("Cette section porte sur l’élaboration, l’exécution, la révision et le suivi des plans et/ou des programmes d’action "
          "nationaux, sous-régionaux et régionaux pour en faire des outils efficaces de mise en œuvre de la CNULCD, tels que "
          "les programmes d’action nationaux (PAN).")
    es = ("Esta sección aborda la elaboración, la aplicación, la revisión y el seguimiento de programas o planes nacionales, "
          "subregionales y regionales de acción como herramientas eficaces para aplicar la CLD, como los programas de acción "
          "nacionales (PAN).")
    assert _names(fr, "fr") == [] and _names(es, "es") == []  # plural: a kind of programme, not one named programme


def test_the_vocabulary_wins_over_a_name_found_by_its_acronym():
    text = ("La financiación multilateral internacional hace referencia al Fondo de Adaptación, el Fondo Verde para el Clima, "
            "la esfera de actividad de la degradación de las tierras del Fondo para el Medio Ambiente Mundial (FMAM) y sus "
            "fondos especiales para el clima")
    doc = Document(id="t", source="t", sha256="0", format="text", language="es",
                   blocks=[Block(id="t#0", ord=0, kind="text", text=text, language="es")])
    assert "Fondo para el Medio Ambiente Mundial" in _names(text, "es")  # found by its shape ...
    ents = annotate(doc).blocks[0].entities
    gef = [(e.type, e.id) for e in ents if e.text.startswith("Fondo para el Medio Ambiente Mundial")]
    assert gef == [("actor", "actor:gef")]  # ... but the curated Global Environment Facility wins
