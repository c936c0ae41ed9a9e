"""Relative addressees take the document's organisation: the Secretariat, the Executive Director."""

from __future__ import annotations

import pytest

from unkg.extract import annotate
from unkg.model import Block, Document

CASES = [
    # (symbol, language, chapeau, operative paragraph, expected addressee)
    ("A/RES/80/20", "en", "The General Assembly,", "Requests the Secretariat to prepare a note on the matter;", "actor:un-secretariat"),
    ("A/RES/80/20", "zh", "大会，", "请秘书处就此事编写一份说明；", "actor:un-secretariat"),
    ("A/RES/80/20", "fr", "L'Assemblée générale,", "Prie le Secrétariat d'établir une note sur la question ;", "actor:un-secretariat"),
    ("ICCD/COP(16)/20/Add.1", "en", "The Conference of the Parties,", "Requests the secretariat to prepare a note on the matter;", "actor:unccd-secretariat"),
    ("ICCD/COP(16)/20/Add.1", "zh", "缔约方会议，", "请秘书处就此事编写一份说明；", "actor:unccd-secretariat"),
    ("HSP/HA.2/Res.4", "en", "The United Nations Habitat Assembly,", "Requests the Executive Director to report on the matter;", "actor:un-habitat-executive-director"),
    ("HSP/HA.2/Res.4", "zh", "联合国人居大会，", "请执行主任就此事提出报告；", "actor:un-habitat-executive-director"),
    ("UNEP/EA.6/RES.5", "en", "The United Nations Environment Assembly,", "Requests the Executive Director to report on the matter;", "actor:unep-executive-director"),
    ("UNEP/EA.6/RES.5", "zh", "联合国环境大会，", "请执行主任就此事提出报告；", "actor:unep-executive-director"),
]


def _doc(symbol: str, lang: str, chapeau: str, text: str) -> Document:
    blocks = [Block(id="t#1", ord=0, kind="preambular", text=chapeau, language=lang),
              Block(id="t#2", ord=1, kind="operative", label="1.", level=1, text=text, language=lang)]
    return Document(id="t", source="t", sha256="0", format="text", language=lang, symbol=symbol, blocks=blocks)


@pytest.mark.parametrize("symbol,lang,chapeau,text,expected", CASES)
def test_relative_addressee_by_organisation(symbol, lang, chapeau, text, expected):
    ms = annotate(_doc(symbol, lang, chapeau, text)).blocks[1].mandates
    assert [m.addressees for m in ms] == [[expected]], [(m.verb, m.addressees) for m in ms]


def test_lower_case_secretariat_of_a_convention_in_a_ga_resolution():
    text = ("Reiterates the invitation to the secretariat and the Global Mechanism of the Convention to continue to "
            "collaborate, and requests the Secretariat to provide support;")
    doc = _doc("A/RES/75/218", "en", "The General Assembly,", text)
    ms = annotate(doc).blocks[1].mandates
    ads = [a for m in ms for a in m.addressees]
    assert "actor:un-secretariat" in ads and "actor:unccd-secretariat" in ads, [(m.verb, m.addressees) for m in ms]
    assert ms[0].modality == "request" and ms[0].verb_en == "invite"


@pytest.mark.parametrize("lang,text,expected", [
    ("en", "Reiterates its invitation to the parties to the Convention to provide support;", ["actor:parties"]),
    ("fr", "Réitère son invitation aux Parties à fournir un appui ;", ["actor:parties"]),
    ("es", "Reitera su invitación a las Partes a que presten apoyo;", ["actor:parties"]),
])
def test_renewed_invitation_is_a_request(lang, text, expected):
    ms = annotate(_doc("A/RES/75/218", lang, "The General Assembly,", text)).blocks[1].mandates
    assert [(m.modality, m.addressees) for m in ms] == [("request", expected)], [(m.verb, m.addressees) for m in ms]


@pytest.mark.parametrize("text,addressees,action", [
    ("Requests the Secretary-General, making full use of existing resources, to prepare a report on the matter;",
     ["actor:un-secretary-general"], "prepare a report on the matter"),
    ("Encourages all relevant entities, within their respective mandates, to harness opportunities;", ["actor:relevant-entities"], "harness opportunities"),
    ("Requests the Secretary-General a report on the implementation of the present resolution;", ["actor:un-secretary-general"],
     "a report on the implementation of the present resolution"),
])
def test_actions_keep_their_first_word_and_skip_asides(text, addressees, action):
    ms = annotate(_doc("A/RES/75/218", "en", "The General Assembly,", text)).blocks[1].mandates
    assert [(m.addressees, m.action) for m in ms] == [(addressees, action)]


@pytest.mark.parametrize("lang,text", [
    ("en", "Encourages all relevant entities, within their respective mandates and in line with the mandates of their governing bodies, to harness opportunities;"),
    ("zh", "鼓励所有相关实体在各自任务范围内利用机会；"),
])
def test_the_noun_mandates_is_never_a_mandate(lang, text):
    ms = annotate(_doc("A/RES/75/218", lang, "The General Assembly," if lang == "en" else "大会，", text)).blocks[1].mandates
    assert len(ms) == 1 and ms[0].verb_en == "encourage", [(m.verb, m.verb_en) for m in ms]
