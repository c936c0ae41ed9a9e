"""Requests told in reports by their noun: reported_request, with the requester and the source decision."""

from __future__ import annotations

import pytest

from unkg.extract import annotate
from unkg.model import Block, Document

CASES = [
    ("en", "HSP/GC/25/2", "In response to the request of the Governing Council in its resolution 24/3, the Executive Director prepared a report "
     "on the implementation of the strategic plan.", "actor:un-habitat-executive-director", "actor:governing-council", "resolution:24/3"),
    ("zh", "ICCD/COP(16)/18", "应缔约方会议的要求，秘书处编写了关于执行情况的报告。", "actor:unccd-secretariat", "actor:unccd-cop", None),
    ("zh", "ICCD/COP(16)/18", "根据缔约方会议第22/COP.15号决定的要求，全球机制编写了一份报告。", "actor:global-mechanism", "actor:unccd-cop", "decision:22/COP.15"),
    ("fr", "ICCD/COP(16)/18", "Comme suite à la demande formulée par la Conférence des Parties dans sa décision 22/COP.15, le secrétariat a établi un rapport.",
     "actor:unccd-secretariat", "actor:unccd-cop", "decision:22/COP.15"),
    ("es", "ICCD/COP(16)/18", "En respuesta a la solicitud de la Conferencia de las Partes en su decisión 22/COP.15, la secretaría preparó un informe.",
     "actor:unccd-secretariat", "actor:unccd-cop", "decision:22/COP.15"),
]


def _text_doc(lang: str, symbol: str, text: str) -> Document:
    return Document(id="t", source="t", sha256="0", format="text", language=lang, symbol=symbol,
                    blocks=[Block(id="t#1", ord=0, kind="text", text=text, language=lang)])


@pytest.mark.parametrize("lang,symbol,text,addressee,requester,decision", CASES)
def test_request_told_by_its_noun(lang, symbol, text, addressee, requester, decision):
    ms = annotate(_text_doc(lang, symbol, text)).blocks[0].mandates
    assert [(m.modality, m.addressees, m.requester, m.decision) for m in ms] == [("reported_request", [addressee], requester, decision)], \
        [(m.modality, m.verb, m.addressees) for m in ms]


@pytest.mark.parametrize("lang,text", [
    ("en", "Following the meeting, the secretariat published the report on its website."),
    ("zh", "根据评估结果，秘书处更新了网站。"),
])
def test_no_requester_no_reported_request(lang, text):
    assert not annotate(_text_doc(lang, "ICCD/COP(16)/18", text)).blocks[0].mandates
