"""Action verbs of UN resolutions and decisions in the six languages.

Each entry maps the printed form (lower case) to its normalized English verb
and its force class. The force classes group verbs by what they ask of the
addressee: a `requests` binds the secretariat, an `invites` does not.
"""

from __future__ import annotations

# English normalized verb -> force class
FORCE = {
    "decide": "decides", "resolve": "decides", "adopt": "decides", "approve": "decides", "establish": "decides",
    "endorse": "decides", "authorize": "decides", "agree": "decides", "extend": "decides", "elect": "decides",
    "request": "requests", "instruct": "requests", "mandate": "requests", "entrust": "requests", "direct": "requests",
    "urge": "urges", "call": "urges", "call upon": "urges", "demand": "urges", "appeal": "urges", "exhort": "urges",
    "invite": "invites", "recommend": "invites", "suggest": "invites",
    "encourage": "encourages", "support": "encourages", "promote": "encourages",
    "welcome": "welcomes", "commend": "welcomes", "appreciate": "welcomes", "thank": "welcomes", "congratulate": "welcomes", "praise": "welcomes",
    "note": "notes", "take note": "notes", "take": "notes", "acknowledge": "notes", "observe": "notes", "consider": "notes",
    "recall": "recalls", "bear in mind": "recalls", "refer": "recalls",
    "recognize": "recognizes", "affirm": "recognizes", "reaffirm": "recognizes", "reiterate": "recognizes", "confirm": "recognizes",
    "emphasize": "emphasizes", "stress": "emphasizes", "underline": "emphasizes", "underscore": "emphasizes", "highlight": "emphasizes",
    "express": "expresses", "concern": "expresses", "regret": "expresses", "deplore": "expresses", "condemn": "expresses",
    "object": "expresses", "reject": "expresses", "look forward": "expresses", "determine": "expresses", "convince": "expresses",
    "aware": "recognizes", "mindful": "recognizes", "conscious": "recognizes", "guide": "recalls", "seek": "expresses",
}

# English third-person and participle forms -> base
EN_IRREGULAR = {
    "taking": "take", "takes": "take", "bearing": "bear in mind", "having": "have", "being": "be",
    "concerned": "concern", "determined": "determine", "guided": "guide", "convinced": "convince",
    "aware": "aware", "mindful": "mindful", "conscious": "conscious", "alarmed": "concern", "encouraged": "encourage",
    "looks": "look forward", "calls": "call", "calling": "call", "urging": "urge",
}

# Non-English printed forms -> English base. Multi-word forms are matched first.
LEXICON: dict[str, dict[str, str]] = {
    "fr": {
        "décide": "decide", "prie": "request", "demande": "request", "invite": "invite", "engage": "urge", "exhorte": "urge",
        "encourage": "encourage", "se félicite": "welcome", "accueille avec satisfaction": "welcome", "salue": "welcome",
        "prend note": "take note", "prend acte": "take note", "note": "note", "constate": "note", "rappelle": "recall",
        "réaffirme": "reaffirm", "souligne": "emphasize", "insiste": "stress", "considère": "consider", "reconnaît": "recognize",
        "exprime": "express", "approuve": "approve", "adopte": "adopt", "recommande": "recommend", "charge": "request",
        "remercie": "thank", "appelle": "call", "lance un appel": "call", "affirme": "affirm", "confirme": "confirm",
        "rappelant": "recall", "réaffirmant": "reaffirm", "reconnaissant": "recognize", "notant": "note", "prenant note": "take note",
        "soulignant": "emphasize", "considérant": "consider", "consciente": "conscious", "conscient": "conscious",
        "préoccupée": "concern", "préoccupé": "concern", "convaincue": "convince", "convaincu": "convince", "sachant": "aware",
        "ayant examiné": "consider", "tenant compte": "take", "se félicitant": "welcome", "saluant": "welcome", "insistant": "stress",
    },
    "es": {
        "decide": "decide", "pide": "request", "solicita": "request", "invita": "invite", "insta": "urge", "exhorta": "urge",
        "alienta": "encourage", "acoge con beneplácito": "welcome", "acoge con satisfacción": "welcome", "celebra": "welcome",
        "toma nota": "take note", "observa": "note", "recuerda": "recall", "reafirma": "reaffirm", "destaca": "emphasize",
        "subraya": "emphasize", "reconoce": "recognize", "expresa": "express", "aprueba": "approve", "adopta": "adopt",
        "recomienda": "recommend", "encarga": "request", "exhorta a": "urge", "hace un llamamiento": "call", "agradece": "thank",
        "recordando": "recall", "reafirmando": "reaffirm", "reconociendo": "recognize", "observando": "note",
        "tomando nota": "take note", "destacando": "emphasize", "subrayando": "emphasize", "consciente": "conscious",
        "preocupada": "concern", "preocupado": "concern", "convencida": "convince", "teniendo presente": "bear in mind",
        "acogiendo con beneplácito": "welcome", "habiendo examinado": "consider", "considerando": "consider",
    },
    "ru": {
        "постановляет": "decide", "просит": "request", "предлагает": "invite", "призывает": "call", "настоятельно призывает": "urge",
        "рекомендует": "recommend", "приветствует": "welcome", "принимает к сведению": "take note", "отмечает": "note",
        "напоминает": "recall", "вновь подтверждает": "reaffirm", "подтверждает": "affirm", "подчеркивает": "emphasize",
        "признает": "recognize", "выражает": "express", "одобряет": "approve", "утверждает": "approve", "принимает": "adopt",
        "поручает": "request", "поощряет": "encourage", "благодарит": "thank",
        "ссылаясь": "recall", "подтверждая": "reaffirm", "вновь подтверждая": "reaffirm", "признавая": "recognize",
        "отмечая": "note", "принимая к сведению": "take note", "подчеркивая": "emphasize", "сознавая": "conscious",
        "будучи": "be", "выражая": "express", "приветствуя": "welcome", "учитывая": "take", "рассмотрев": "consider",
    },
    "zh": {
        "决定": "decide", "请": "request", "要求": "request", "邀请": "invite", "吁请": "call", "呼吁": "call", "促请": "urge",
        "敦促": "urge", "鼓励": "encourage", "欢迎": "welcome", "赞赏": "appreciate", "赞扬": "commend", "感谢": "thank",
        "表示注意到": "take note", "注意到": "note", "回顾": "recall", "重申": "reaffirm", "申明": "affirm", "确认": "recognize",
        "认识到": "recognize", "承认": "recognize", "强调": "emphasize", "着重指出": "emphasize", "表示": "express",
        "深感关切": "concern", "关切": "concern", "核可": "endorse", "通过": "adopt", "批准": "approve", "建议": "recommend",
        "支持": "support", "铭记": "bear in mind", "意识到": "conscious", "考虑到": "take", "审议了": "consider", "深信": "convince",
    },
    "ar": {
        "يقرر": "decide", "يطلب": "request", "يدعو": "invite", "يحث": "urge", "يهيب": "call", "يشجع": "encourage",
        "يرحب": "welcome", "يحيط علما": "take note", "يلاحظ": "note", "يشير": "recall", "يذكر": "recall", "يعيد تأكيد": "reaffirm",
        "يؤكد": "emphasize", "يسلم": "recognize", "يعترف": "recognize", "يعرب": "express", "يوافق": "approve", "يعتمد": "adopt",
        "يوصي": "recommend", "يشكر": "thank", "يثني": "commend", "يقدر": "appreciate",
    },
}

# Adverbs printed before the verb; skipped when reading the verb.
ADVERBS = {
    "en": {"also", "further", "furthermore", "again", "once", "moreover", "however", "similarly", "likewise", "therefore"},
    "fr": {"en", "outre", "également", "aussi", "de", "nouveau", "par", "ailleurs"},
    "es": {"también", "además", "asimismo", "igualmente", "nuevamente"},
    "ru": {"также", "далее", "вновь", "кроме", "того", "настоятельно"},
    "zh": {"又", "还", "并", "也", "再次", "进一步", "深为", "又再次", "同时", "另"},
    "ar": {"و", "إذ", "وإذ", "أيضا", "كذلك"},
}
