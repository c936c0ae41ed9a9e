"""Resolution structure and verbs in the six UN languages, on texts written for these tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from unkg.extract import annotate
from unkg.ingest.pipeline import parse_file

TEXTS = {
    "en": ("The Conference of the Parties,", "Recalling decision 22/COP.15,", "Noting with appreciation the work of the Global Mechanism,",
           "1.\tRequests the secretariat to report at its seventeenth session;", "2.\tAlso invites Parties:",
           "(a)\tTo strengthen urban–rural linkages;", "(b)\tTo share good practices.",
           "requests", "Recalling"),
    "fr": ("La Conférence des Parties,", "Rappelant la décision 22/COP.15,", "Notant avec satisfaction les travaux du Mécanisme mondial,",
           "1.\tPrie le secrétariat de lui faire rapport à sa dix-septième session ;", "2.\tInvite également les Parties :",
           "a)\tÀ renforcer les liens entre zones urbaines et rurales ;", "b)\tÀ partager les bonnes pratiques.",
           "Prie", "Rappelant"),
    "es": ("La Conferencia de las Partes,", "Recordando la decisión 22/COP.15,", "Observando con reconocimiento la labor del Mecanismo Mundial,",
           "1.\tSolicita a la secretaría que le informe en su 17º período de sesiones;", "2.\tInvita también a las Partes:",
           "a)\tA que refuercen los vínculos entre las zonas urbanas y rurales;", "b)\tA que compartan buenas prácticas.",
           "Solicita", "Recordando"),
    "ru": ("Конференция Сторон,", "ссылаясь на решение 22/COP.15,", "отмечая с признательностью работу Глобального механизма,",
           "1.\tпросит секретариат представить доклад на ее семнадцатой сессии;", "2.\tпредлагает также Сторонам:",
           "a)\tукреплять связи между городскими и сельскими районами;", "b)\tобмениваться передовым опытом.",
           "просит", "ссылаясь"),
    "zh": ("缔约方会议，", "回顾第22/COP.15号决定，", "赞赏地注意到全球机制的工作，",
           "1.\t请秘书处向缔约方会议第十七届会议提交报告；", "2.\t还邀请缔约方：",
           "(a)\t加强城乡联系；", "(b)\t分享良好做法。",
           "请", "回顾"),
    "ar": ("إن مؤتمر الأطراف،", "إذ يشير إلى المقرر 22/م أ-15،", "وإذ يلاحظ مع التقدير عمل الآلية العالمية،",
           "1-\tيطلب إلى الأمانة أن تقدم تقريراً إليه في دورته السابعة عشرة؛", "2-\tيدعو أيضاً الأطراف إلى ما يلي:",
           "(أ)\tتعزيز الروابط بين المناطق الحضرية والريفية؛", "(ب)\tتبادل الممارسات الجيدة.",
           "يطلب", "يشير"),
}


@pytest.mark.parametrize("lang", sorted(TEXTS))
def test_resolution_structure(lang, tmp_path):
    chapeau, pre1, pre2, op1, op2, sub_a, sub_b, verb_op1, verb_pre1 = TEXTS[lang]
    body = "\n\n".join(["Decision 99/COP.16", chapeau, pre1, pre2, op1, op2, sub_a, sub_b]) + "\n"
    path = tmp_path / f"decision-{lang}.txt"
    path.write_text(body, encoding="utf-8")
    doc = annotate(parse_file(path))
    assert doc.language == lang
    kinds = [b.kind for b in doc.blocks if b.zone == "body"]
    assert kinds == ["preambular", "preambular", "preambular", "operative", "operative", "operative", "operative"], kinds
    ops = [b for b in doc.blocks if b.kind == "operative"]
    assert [b.level for b in ops] == [1, 1, 2, 2]
    assert ops[2].parent == ops[1].id and ops[3].parent == ops[1].id
    assert ops[0].verb and ops[0].verb.split()[0].lower() == verb_op1.lower()
    pre = [b for b in doc.blocks if b.kind == "preambular"]
    assert pre[0].verb is None  # the chapeau has no verb
    assert pre[1].verb and verb_pre1.lower() in pre[1].verb.lower()
    assert all(b.language == lang for b in doc.blocks if b.zone == "body")
