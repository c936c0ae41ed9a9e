"""Mandates on real resolution text and on short operative paragraphs in six languages."""

from __future__ import annotations

import pytest

from unkg.extract import annotate
from unkg.ingest.pipeline import parse_file
from unkg.model import Block, Document

from .conftest import ROOT

DATA = ROOT / "tests" / "data"


def _doc(lang: str, paragraphs: list[str], chapeau: str) -> Document:
    blocks = [Block(id="t#1", ord=0, kind="preambular", text=chapeau, language=lang)]
    for i, t in enumerate(paragraphs, 2):
        blocks.append(Block(id=f"t#{i}", ord=i - 1, kind="operative", label=f"{i - 1}.", level=1, text=t, language=lang))
    return Document(id="t", source="t", sha256="0", format="text", language=lang, blocks=blocks)


def test_several_mandates_in_one_paragraph_of_a_ga_resolution():
    doc = annotate(parse_file(DATA / "un-resolutions" / "A_RES_62_193.txt"))
    by_label = {}
    for b in doc.blocks:
        for m in b.mandates:
            by_label.setdefault(b.label, []).append(m)
    # 3. Welcomes ..., invites all parties, the secretariat of the Convention ..., and also invites all parties to report ...
    p3 = by_label["3."]
    assert [m.verb_en for m in p3] == ["welcome", "invite", "invite"]
    assert p3[1].addressees == ["actor:parties", "actor:unccd-secretariat", "actor:other-institutions", "actor:supporting-bodies"]
    assert p3[2].addressees == ["actor:parties"] and p3[2].action.startswith("report on the progress")
    assert all(m.decision == "resolution:62/193" and m.issuer == "actor:un-general-assembly" for ms in by_label.values() for m in ms)
    p19 = by_label["19."][0]
    assert (p19.verb, p19.force, p19.addressees, p19.deadline) == ("Requests", "requests", ["actor:un-secretary-general"], "GA.63")
    assert by_label["1."][0].action.startswith("of the report of the Secretary-General")
    assert by_label["15."][0].addressees == ["actor:unccd-executive-secretary"]


PARALLEL = {
    "en": ("The Conference of the Parties,", "Requests the secretariat and the Global Mechanism to prepare a report, and invites Parties to submit their views;"),
    "fr": ("La Conférence des Parties,", "Prie le secrétariat et le Mécanisme mondial d'établir un rapport, et invite les Parties à communiquer leurs vues ;"),
    "es": ("La Conferencia de las Partes,", "Pide a la secretaría y al Mecanismo Mundial que preparen un informe, e invita a las Partes a presentar sus opiniones;"),
    "ru": ("Конференция Сторон,", "просит секретариат и Глобальный механизм подготовить доклад и предлагает Сторонам представить свои мнения;"),
    "zh": ("缔约方会议，", "请秘书处和全球机制编写一份报告，并邀请缔约方提交意见；"),
    "ar": ("إن مؤتمر الأطراف،", "يطلب إلى الأمانة والآلية العالمية إعداد تقرير، ويدعو الأطراف إلى تقديم آرائها؛"),
}


@pytest.mark.parametrize("lang", sorted(PARALLEL))
def test_request_and_invite_in_six_languages(lang):
    chapeau, text = PARALLEL[lang]
    doc = annotate(_doc(lang, [text], chapeau))
    ms = doc.blocks[1].mandates
    assert [(m.verb_en, m.force, m.addressees) for m in ms] == [
        ("request", "requests", ["actor:unccd-secretariat", "actor:global-mechanism"]),
        ("invite", "invites", ["actor:parties"]),
    ], [(m.verb, m.addressees, m.action) for m in ms]
    assert all(m.issuer == "actor:unccd-cop" for m in ms)
    assert all(m.action and not m.action.endswith((",", "，", "،", " и", " e", " and")) for m in ms)


def test_passive_and_deadline_in_running_text():
    doc = Document(id="k", source="k", sha256="0", format="text", language="en", blocks=[
        Block(id="k#1", ord=0, kind="text", language="en",
              text="Governments are urged to prioritize allocation of resources to land restoration by 2030."),
        Block(id="k#2", ord=1, kind="text", language="en",
              text="In decision 22/COP.15, the Conference of the Parties requested the secretariat to report to the Conference of the Parties at its sixteenth session."),
    ])
    annotate(doc)
    (m1,), (m2,) = doc.blocks[0].mandates, doc.blocks[1].mandates
    assert (m1.verb_en, m1.addressees, m1.deadline) == ("urge", ["actor:governments"], "2030")
    assert (m2.verb, m2.decision, m2.addressees, m2.deadline, m2.issuer) == (
        "requested", "decision:22/COP.15", ["actor:unccd-secretariat"], "COP.16", "actor:unccd-cop")


def test_every_operative_paragraph_of_the_dev_resolutions_gives_a_mandate():
    """The 24 labelled resolutions: each operative paragraph that opens with an action verb gives a
    mandate with that verb, the resolution as its source and the adopting organ as issuer (a
    chapeau ending in ':' passes its mandate to its sub-paragraphs)."""
    from unkg.ingest.pipeline import parse_file

    files = sorted((DATA / "un-resolutions").glob("*.txt"))
    assert len(files) >= 20
    total = 0
    for f in files:
        doc = annotate(parse_file(f))
        ids = {b.id for b in doc.blocks}
        by_id = {b.id: b for b in doc.blocks}
        for b in doc.blocks:
            if b.kind != "operative" or not b.verb:
                continue
            total += 1
            parent = by_id.get(b.parent) if b.parent else None
            if parent is not None and parent.kind == "operative" and parent.verb and parent.text.rstrip().endswith(":"):
                # a sub-paragraph ("(a) Prioritizing ...") inherits its chapeau's verb
                assert any(m.chapeau == parent.id and m.verb == parent.verb for m in b.mandates), (f.name, b.label)
                continue
            chapeau = b.text.rstrip().endswith(":") and any(k.parent == b.id for k in doc.blocks)
            mine = b.mandates if not chapeau else [m for k in doc.blocks if k.parent == b.id for m in k.mandates if m.chapeau == b.id]
            assert mine, (f.name, b.label, b.text[:80])
            assert mine[0].verb == b.verb, (f.name, b.label, mine[0].verb, b.verb)
            if doc.symbol and doc.symbol.startswith("A/RES/"):
                assert mine[0].decision == "resolution:" + doc.symbol.removeprefix("A/RES/"), (f.name, mine[0].decision)
                assert mine[0].issuer == "actor:un-general-assembly"
        assert all(m.chapeau in ids for b in doc.blocks for m in b.mandates if m.chapeau)
    assert total > 800


REPORT_AT_COP16 = {
    "en": ("The Conference of the Parties,", "Requests the secretariat to report on the implementation of this decision to the Conference of the Parties at its sixteenth session;", "actor:unccd-secretariat"),
    "fr": ("La Conférence des Parties,", "Prie le secrétariat de lui rendre compte de l'application de la présente décision à sa seizième session ;", "actor:unccd-secretariat"),
    "es": ("La Conferencia de las Partes,", "Pide a la secretaría que informe sobre la aplicación de la presente decisión a la Conferencia de las Partes en su decimosexto período de sesiones;", "actor:unccd-secretariat"),
    "ru": ("Конференция Сторон,", "просит секретариат представить Конференции Сторон на ее шестнадцатой сессии доклад об осуществлении настоящего решения;", "actor:unccd-secretariat"),
    "zh": ("缔约方会议，", "请秘书处向缔约方会议第十六届会议报告本决定的执行情况。", "actor:unccd-secretariat"),
    "ar": ("إن مؤتمر الأطراف،", "يطلب إلى الأمين التنفيذي أن يقدم تقريرا عن تنفيذ هذا المقرر إلى مؤتمر الأطراف في دورته السادسة عشرة؛", "actor:unccd-executive-secretary"),
}


@pytest.mark.parametrize("lang", sorted(REPORT_AT_COP16))
def test_reporting_session_in_six_languages(lang):
    chapeau, text, addressee = REPORT_AT_COP16[lang]
    (m,) = annotate(_doc(lang, [text], chapeau)).blocks[1].mandates
    assert (m.verb_en, m.addressees, m.deadline, m.issuer) == ("request", [addressee], "COP.16", "actor:unccd-cop")
