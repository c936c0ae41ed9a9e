"""Arabic modal clauses with the subject after the verb, calls after an opening phrase, permissions with و.
The same sentences in English and Chinese give the same modality and addressees."""

from __future__ import annotations

import pytest

from unkg.extract import annotate
from unkg.model import Block, Document


def _mandates(text: str, lang: str) -> list[tuple[str, list[str]]]:
    doc = Document(id="t", source="t", sha256="0", format="text", language=lang,
                   blocks=[Block(id="t#1", ord=0, kind="text", text=text, language=lang)])
    return [(m.modality, m.addressees) for m in annotate(doc).blocks[0].mandates]


PARTIES = ["actor:parties"]


@pytest.mark.parametrize("lang,text,want", [
    # verb-subject order after the modal
    ("ar", "ينبغي أن تحدد الأطراف تعريف المناطق المتضررة المُستخدَم في بلدها.", [("recommendation", PARTIES)]),
    ("en", "Parties should define the affected areas used in their country.", [("recommendation", PARTIES)]),
    ("zh", "缔约方应确定本国使用的受影响地区定义。", [("recommendation", PARTIES)]),
    # a call after an opening phrase and a comma
    ("ar", "علاوة على ذلك، تُشجَّع الأطراف على تحديد الصلات مع أهداف التنمية المستدامة.", [("request", PARTIES)]),
    ("ar", "ولذلك، سيُطلَب من الأطراف إعداد البيانات.", [("request", PARTIES)]),
    ("en", "Furthermore, Parties are encouraged to identify links with the Sustainable Development Goals.", [("request", PARTIES)]),
    ("zh", "此外，鼓励缔约方确定与可持续发展目标的联系。", [("request", PARTIES)]),
    # a permission written with و
    ("ar", "ويجوز للأطراف أن تحدد اسم المؤشرات.", [("permission", PARTIES)]),
    ("en", "Parties may define the name of the indicators.", [("permission", PARTIES)]),
    ("zh", "缔约方可以确定指标的名称。", [("permission", PARTIES)]),
    # a nominal sentence opened by إنّ: the subject is far before the participle
    ("ar", "إنَّ الأطراف الراغبة في الإبلاغ عن المناطق المتضررة مدعوة إلى تحديد تعريف المناطق المتضررة.", [("request", PARTIES)]),
    ("en", "Parties wishing to report on affected areas are invited to define the affected areas.", [("request", PARTIES)]),
    # a passive without a named agent still asks no one
    ("ar", "ينبغي ملء الاستمارة قبل نهاية الدورة.", [("recommendation", [])]),
])
def test_subject_of_modal_clauses(lang, text, want):
    assert _mandates(text, lang) == want


def _reported(text: str, lang: str):
    doc = Document(id="t", source="t", sha256="0", format="text", language=lang,
                   blocks=[Block(id="t#1", ord=0, kind="text", text=text, language=lang)])
    return [(m.modality, m.addressees, m.requester, m.decision, m.session) for m in annotate(doc).blocks[0].mandates]


@pytest.mark.parametrize("lang,text", [
    ("ar", "طلب مؤتمر الأطراف، بموجب مقرره 11/م.أ-14، إلى الأمانة أن تواصل تيسير الإبلاغ عن الأهداف الاستراتيجية."),
    ("en", "In decision 11/COP.14, the Conference of the Parties requested the secretariat to continue facilitating reporting."),
    ("zh", "缔约方会议第11/COP.14号决定请秘书处继续为报告提供便利。"),
])
def test_request_told_in_the_past_verb_first(lang, text):
    assert _reported(text, lang) == [("reported_request", ["actor:unccd-secretariat"], "actor:unccd-cop", "decision:11/COP.14", "COP.14")]


def test_the_noun_request_is_not_a_past_request():
    assert _reported("وبناءً على طلب مؤتمر الأطراف، أعدت الأمانة هذا التقرير.", "ar") == []
