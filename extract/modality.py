"""Mandates outside resolution verbs: modal clauses, subjectless calls, first-person pledges,
and the modality, session and generic addressees every mandate carries.

Why: reports, action plans, manuals and declarations state obligations with modal verbs
("Governments should ...", "Parties may ...", "缔约方可 ...", "Les Parties doivent ...",
"We will ...") rather than with a resolution's leading verb; and a mandate's session comes
from its decision or from the document itself.

`modality` (the issue's "force"): request (request, invite, urge, call, encourage ...),
recommendation (recommend, should), obligation (shall, must), permission (may),
commitment (first-person will/commit/pledge), reported_request (a request told in a report),
decision (decides, approves ...), statement (welcomes, notes ...: kept, but not asking anyone).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from .prefilter import prefiltered
from .vocab import phrase_slug as slug

REQUEST_VERBS = {"request", "invite", "urge", "encourage", "call", "call upon", "instruct", "mandate", "entrust", "direct", "appeal", "demand", "exhort"}
DECISION_VERBS = {"decide", "authorize", "approve", "adopt", "endorse", "establish", "resolve", "agree", "extend", "elect"}


GOVERNING_KINDS = {"cop", "assembly", "executive-board", "ga", "governing-council", "bureau"}


def modality_of(verb_en: str, reported: bool = False) -> str:
    """The modality of a verb-led mandate; a request told in running text is `reported_request`."""
    if verb_en in REQUEST_VERBS:
        return "reported_request" if reported else "request"
    if verb_en in ("recommend", "suggest"):
        return "recommendation"
    if verb_en in DECISION_VERBS:
        return "decision"
    return "statement"


# modal words per language -> modality; matched right after the subject
MODALS: dict[str, list[tuple[str, str]]] = {
    "en": [(r"should(?:\s+also|\s+further)?", "recommendation"), (r"(?:shall|must)(?:\s+also)?", "obligation"),
           (r"may(?:\s+also)?(?!\s+wish)", "permission"), (r"may\s+wish\s+to", "recommendation"),
           (r"(?:are|is)\s+(?:also\s+|further\s+|strongly\s+)?(?:encouraged|invited|requested|urged|called\s+upon)", "request")],
    "fr": [(r"devrai(?:en)?t(?:\s+également|\s+aussi)?", "recommendation"), (r"doi(?:ven)?t(?:\s+également|\s+aussi)?", "obligation"),
           (r"peu(?:ven)?t(?:\s+également|\s+aussi)?", "permission"),
           (r"(?:sont|est)\s+(?:également\s+|aussi\s+)?(?:invité|encouragé|prié|engagé|exhorté)e?s?", "request")],
    "es": [(r"deberían?", "recommendation"), (r"(?:deberán?|deben?)", "obligation"), (r"(?:podrán?|pueden?)(?:\s+también)?", "permission")],
    "ru": [(r"(?:также\s+)?(?:рекомендуется|предлагается)", "request"), (r"возможно,\s+пожелают", "recommendation"), (r"следует", "recommendation"), (r"(?:должны|должен|должна|должно|обязаны)", "obligation"),
           (r"(?:могут|может)(?:\s+также)?", "permission")],
    "ar": [(r"و?ينبغي", "recommendation"), (r"و?(?:يجب|يتعين)", "obligation"), (r"قد\s+ترغب", "recommendation"),
           (r"(?:و|ف)?قد\s+تُ?شج[َّ]*ع", "request"), (r"(?:و|ف)?قد\s+(?!ترغب|تم|يكون|تكون)[تي][\u0600-\u06ff\u064B-\u0652]+", "permission"),
           (r"مدعو(?:ة|ون|ين)", "request"), (r"(?:و|ف)?(?:ي[\u064B-\u0652]*م[\u064B-\u0652]*ك[\u064B-\u0652]*ن[\u064B-\u0652]*|يجوز)", "permission")],
    "zh": [(r"(?<![相适供反响回对答效感呼理])(?:还|也)?(?:应当|应该|应)(?!对|用|急|变|邀|请|付|予|收|届|诉|征|聘|有尽有)(?![^，。；]{0,24}?(?:要求|请求|邀请)[，,])", "recommendation"), (r"不妨", "recommendation"),
           (r"(?:还|也)?(?:必须|须)", "obligation"), (r"(?:还|也)?(?:可以|可)(?!能|持续|再生|行|靠|观|信|控|比|塑|负担|及|用)", "permission")],
}
# subjectless calls: the verb opens the sentence and the addressee follows it
OPENING: dict[str, list[tuple[str, str]]] = {
    "zh": [(r"(?:(?:此外|另外|同时|因此|但是?|然而)，?)?(?:还|也|并)?(?:鼓励|邀请|吁请|促请|敦促|呼吁|请)", "request"), (r"建议", "recommendation")],
    "es": [(r"[Ss]e\s+(?:invita(?:rá)?|alienta|insta|pide|pedirá|solicita(?:rá)?)(?:\s+también|\s+asimismo)?\s+a", "request"), (r"[Ss]e\s+recomienda\s+a", "recommendation")],
    "ar": [(r"(?:كما\s+)?(?:ت[\u064B-\u0652]*ش[\u064B-\u0652]*ج[\u064B-\u0652]*ع|[يت][\u064B-\u0652]*د[\u064B-\u0652]*ع[\u064B-\u0652]*ى)[\u064B-\u0652]*", "request"),
           (r"س[\u064B-\u0652]*ي[\u064B-\u0652]*ط[\u064B-\u0652]*ل[\u064B-\u0652]*ب[\u064B-\u0652]*\s+من", "request")],
    "fr": [(r"(?:Les|les)\s+", "")],  # placeholder never used (subject-first in French)
}
OPENING.pop("fr")
# Russian/Arabic: the subject follows a dative/prepositional modal ("Сторонам следует", "ينبغي للأطراف أن")
WE = {"en": r"\bWe(?:\s+(?:also|further|therefore))?\s+(?:will|shall|commit(?:\s+ourselves)?\s+to|pledge\s+to|undertake\s+to|resolve\s+to)\b",
      "fr": r"\bNous\s+(?:nous\s+engageons|allons|nous\s+efforcerons)\b", "es": r"\bNos\s+comprometemos\b",
      "ru": r"\bМы\s+(?:обязуемся|будем)\b", "zh": r"我们(?:将|承诺|致力于|决心)", "ar": r"(?:ونحن|نحن)\s+(?:نلتزم|سن)"}
PRONOUN = {"en": r"\b(?:They|they)\s*$", "fr": r"\b(?:Elles|Ils|elles|ils)\s*$", "es": r"\b(?:Ellas|Ellos)\s*$", "ru": r"\bОни\s*$", "zh": r"(?:它们|他们)$", "ar": r"$^"}

_MODAL_RE = {lang: [(prefiltered(r"(?<!\w)(" + rx + r")(?!\w)" if lang != "zh" else "(" + rx + ")", re.I if lang != "zh" else 0), mod) for rx, mod in lst]
             for lang, lst in MODALS.items()}
# a call opens a sentence, or follows a comma after a concessive clause ("虽然……，但鼓励缔约方", "Si bien ..., se invita a las Partes")
_OPEN_RE = {lang: [(prefiltered(r"(?:^|(?<=[。；;.!?！？])|(?<=[，,]\s)(?=se\s)|(?<=[，,])(?=但|并|同时)|(?<=،\s)|(?<=،))\s*(?:و)?(" + rx + r")\s*", 0), mod) for rx, mod in lst]
            for lang, lst in OPENING.items()}
_WE_RE = {lang: prefiltered(rx) for lang, rx in WE.items()}
_PRON_RE = {lang: re.compile(rx) for lang, rx in PRONOUN.items()}
# what may stand between the subject and the modal ("Governments in a position to do so should")
_SUBJ_GAP = {"zh": re.compile(r"^(?:还|也|均|都|则)?$"),
             "ar": re.compile(r"^\s*$")}
_SUBJ_GAP_DEFAULT = re.compile(r"^(?:,\s*(?:with\s+the\s+(?:assistance|support|help)\s+of|in\s+(?:close\s+)?(?:consultation|collaboration|cooperation)\s+with)\s[^,;:.]{3,120},)?"
                               r"(?:\s*(?:also|también|además|également|aussi|encore)\s*)?(?:,?\s*(?:in\s+(?:a\s+)?position\s+to\s+do\s+so|that\s+are\s+in\s+a\s+position\s+to\s+do\s+so|as\s+appropriate|"
                               r"where\s+appropriate|le\s+cas\s+échéant|en\s+tant\s+que\s+de\s+besoin|según\s+proceda)\s*,?)?\s*$", re.I)
_RU_AR_DATIVE = {"ru": re.compile(r"^\s*$"), "ar": re.compile(r"^\s*(?:على|ل|لل)?\s*$")}


@dataclass
class Clause:
    start: int
    vend: int
    printed: str
    modality: str
    addressees: list[str]
    aend: int


# Arabic puts the subject after the verb: "ينبغي أن تحدد الأطراف" (should define the Parties), "ويجب إشراك أصحاب
# المصلحة" (the involvement of stakeholders is required: they are asked); a nominal sentence opens with إنّ
# ("إنَّ الأطراف الراغبة في الإبلاغ ... مدعوة": the Parties wishing to report ... are invited).
_AR_VERB_AFTER_MODAL = re.compile(r"\s+(?:أن\s+)?(?!أن\b|ل)[\u0621-\u064a\u064B-\u0652]{3,}\s+")
_AR_INNA = re.compile(r"(?:^|(?<=[.!?؟]\s))إ[\u064B-\u0652]*ن[\u064B-\u0652]*\s+")


def _arabic_subject(text: str, s: int, e: int, actors) -> tuple[list[str], int]:
    """The subject of an Arabic modal placed after it (verb-subject order) or opening the sentence with إنّ."""
    vm = _AR_VERB_AFTER_MODAL.match(text, e)
    if vm:
        ad, aend = _object_after_exact(text, vm.end(), actors)
        if ad:
            return ad, aend
    for im in _AR_INNA.finditer(text, 0, s):
        if re.search(r"[.!?؟]", text[im.end():s]):
            continue
        ad, aend = _object_after_exact(text, im.end(), actors)
        if ad:
            return ad, aend
    return [], e


def _object_after_exact(text: str, pos: int, actors) -> tuple[list[str], int]:
    """The actor that starts exactly at `pos` (no preposition or word between)."""
    for a in actors:
        if a.start == pos:
            return [a.id], a.end
    return [], pos


def _subject_before(text: str, pos: int, actors, lang: str) -> tuple[list[str], int]:
    """The actor list ending right before `pos` (the subject of a modal verb) and its start."""
    gap_re = _SUBJ_GAP.get(lang, _SUBJ_GAP_DEFAULT)
    conn = re.compile(r"^\s*(?:,|、|，|和|与|及|以及|and|et|y|e|и|و|as well as|ainsi que)?\s*(?:the\s+|les\s+|las\s+|los\s+|all\s+|other\s+|relevant\s+)*$", re.I)
    out: list[str] = []
    end = pos
    first = None
    for a in sorted((a for a in actors if a.end <= pos), key=lambda a: -a.end):
        between = text[a.end:end]
        if (gap_re if not out else conn).match(between):
            out.insert(0, a.id)
            end = a.start
            first = a.start
        else:
            break
    if out and first is not None and _COMPLEMENT_RE.get(lang, _COMPLEMENT_RE["en"]).search(text[max(0, first - 25):first]):
        return [], pos  # "measures under the Convention may": the actor is a complement, not the subject
    return out, (first if first is not None else pos)


_COMPLEMENT_RE = {
    "en": re.compile(r"\b(?:of|under|for|in|by|with|to|from|on|within|across)\s+(?:the\s+|all\s+|its\s+|their\s+)?$", re.I),
    "fr": re.compile(r"(?:\b(?:de|du|des|à|aux|au|par|pour|sur|dans|entre|avec)\s+(?:la\s+|le\s+|les\s+|l['’])?|\bd['’]|\bl['’])$", re.I),
    "es": re.compile(r"\b(?:de|del|a|al|por|para|en|con|entre)\s+(?:la\s+|el\s+|los\s+|las\s+)?$", re.I),
    "ru": re.compile(r"\b(?:по|для|в|на|от|с|между)\s+$", re.I),
    "ar": re.compile(r"(?:في|من|على|إلى|عن|مع|بين)\s+$"),
    "zh": re.compile(r"(?:的|对|向|在|与|和|为|由|从)$"),
}


def _object_after(text: str, pos: int, actors, lang: str) -> tuple[list[str], int]:
    from .mandates import addressees_after
    return addressees_after(text, pos, actors, lang)


def generic_addressee(text: str, pos: int, lang: str) -> Optional[tuple[str, int]]:
    """An addressee outside the vocabulary named right after a request verb: the words up to
    "to"/"," ("other intergovernmental organs across the United Nations system") as a slug id."""
    if lang != "en":
        return None
    m = re.match(r"\s*((?:the\s+|all\s+|other\s+|relevant\s+)*(?:[A-Za-z][\w’'-]*\s+){0,9}?"
                 r"(?:States|organs|organizations|bodies|agencies|entities|stakeholders|institutions|partners|actors|donors|countries|"
                 r"Governments|authorities|parties|members|community|sectors|sector|funds|programmes|banks|groups|Secretariat)"
                 r"(?:\s+of\s+the\s+United\s+Nations(?:\s+system)?)?)\b", text[pos:pos + 160])
    if not m:
        return None
    phrase = m.group(1).strip()
    if re.search(r"\b(?:of|in)\s*$", phrase):
        return None
    return "actor:" + slug(re.sub(r"^(?:the|all)\s+", "", phrase, flags=re.I)), pos + m.end(1)


def modal_clauses(text: str, lang: str, actors, speaker: Optional[str], prev_subject: list[str]) -> list[Clause]:
    """Modal-verb, subjectless-call and first-person clauses of a running-text paragraph."""
    out: list[Clause] = []
    for rx, mod in _MODAL_RE.get(lang, []):
        for m in rx.finditer(text):
            s, e = m.span(1)
            if lang in ("ru", "ar"):
                # dative/prepositional subject after the modal ("Сторонам следует", "يمكن للأطراف أن")
                ad, aend = _object_after(text, e, actors, lang)
                if not ad:
                    g = _GENERIC_GROUP_RE.get(lang)
                    gm = g.match(text, e) if g else None
                    if gm:
                        ad, aend = [GENERIC_GROUPS[gm.group(1).lower()]], gm.end()
                if not ad and lang == "ar":
                    ad, aend = _arabic_subject(text, s, e, actors)
                    if ad:
                        out.append(Clause(s, e, m.group(1), mod, ad, aend))
                        continue
                if not ad:
                    ad, first = _subject_before(text, s, actors, lang)
                    gb = _GENERIC_BEFORE_RE.get(lang)
                    gm = gb.search(text, 0, s) if gb and not ad else None
                    if gm:
                        ad, first = [GENERIC_GROUPS[gm.group(1).lower()]], gm.start(1)
                    if not ad:
                        c = _agentless(text, s, e, m.group(1), mod, lang, actors, _last_subject(out, s))
                        if c:
                            out.append(c)
                        continue
                    out.append(Clause(first, e, m.group(1), mod, ad, e))
                    continue
                out.append(Clause(s, e, m.group(1), mod, ad, aend))
                continue
            ad, first = _subject_before(text, s, actors, lang)
            if not ad:
                pm = _PRON_RE.get(lang)
                pr = pm.search(text[max(0, s - 12):s]) if pm else None
                earlier = [c.addressees for c in out if c.start < s and c.addressees]
                if pr and (earlier or prev_subject):
                    # "They should ...": the subject of the last modal clause, in this paragraph or the one before
                    out.append(Clause(s - 12 + pr.start() if s >= 12 else pr.start(), e, m.group(1), mod, list(earlier[-1] if earlier else prev_subject), e))
                    continue
                c = _agentless(text, s, e, m.group(1), mod, lang, actors, _last_subject(out, s))
                if c:
                    out.append(c)
                continue
            if lang == "en":
                g = generic_subject(text, first, s, actors)
                if g:
                    first, ad = g
            out.append(Clause(first, e, m.group(1), mod, ad, e))
    for rx, mod in _OPEN_RE.get(lang, []):
        for m in rx.finditer(text):
            s, e = m.span(1)
            ad, aend = _object_after(text, e, actors, lang)
            if not ad and lang == "zh":
                # "请希望报告受影响区域的缔约方": the addressee after a short relative clause ending in 的
                rel = re.match(r"[^，。；：]{1,24}?的", text[e:e + 26])
                if rel:
                    ad, aend = _object_after(text, e + rel.end(), actors, lang)
            if not ad:
                g = _GENERIC_GROUP_RE.get(lang)
                gm = g.match(text, e) if g else None
                if gm:
                    ad, aend = [GENERIC_GROUPS[gm.group(1).lower()]], gm.end()
            if ad:
                out.append(Clause(s, e, m.group(1), mod, ad, aend))
    we = _WE_RE.get(lang)
    if we is not None and speaker:
        for m in we.finditer(text):
            out.append(Clause(m.start(), m.end(), m.group(0), "commitment", [speaker], m.end()))
    out.sort(key=lambda c: c.start)
    # one clause per position (a modal found by two patterns)
    dedup: list[Clause] = []
    for c in out:
        if dedup and c.start < dedup[-1].vend:
            continue
        dedup.append(c)
    return dedup


# "It should be noted that", "应当指出", "cabe señalar": a remark, not a directive
_REMARK_AFTER = re.compile(r"^\s*(?:be\s+(?:noted|recalled|recognized|stressed|emphasized|mentioned|borne\s+in\s+mind|pointed\s+out)|note|recall)\b"
                           r"|^(?:指出|注意|强调|承认|说明)|^\s*(?:être\s+noté|señalarse|observarse|отметить|الإشارة)", re.I)
_PASSIVE_AFTER = {
    "en": re.compile(r"^\s+(?:also\s+|further\s+)?be\s+(?:\w+ly\s+)?(?:\w+ed|\w+en|made|taken|set|built|held|sought|given|paid|kept|met|done|put|drawn|brought|shown|seen|spent)\b", re.I),
}
_ASK_PARTICIPLE = re.compile(r"^\s+(?:also\s+|further\s+)?be\s+(?:encouraged|invited|urged|requested|supported|called\s+upon)\b", re.I)
# groups outside the vocabulary named as addressees of a call ("鼓励各国", "Se invita a los países", "Странам рекомендуется")
GENERIC_GROUPS = {"各国": "actor:countries", "los países": "actor:countries", "البلدان": "actor:countries", "странам": "actor:countries",
                  "les pays": "actor:countries"}
_GENERIC_GROUP_RE = {"zh": re.compile(r"\s*(各国)"), "es": re.compile(r"\s*(los países)\b", re.I), "ar": re.compile(r"\s*(البلدان)"),
                     "fr": re.compile(r"\s*(les pays)\b", re.I)}
_GENERIC_BEFORE_RE = {"ru": re.compile(r"(?:^|(?<=[.;:]\s))(Странам)\s+(?:также\s+)?$")}
_ANY_MODAL = {"en": re.compile(r"\b(?:should|shall|must)\b", re.I), "fr": re.compile(r"\b(?:doi(?:ven)?t|devrai(?:en)?t)\b", re.I),
              "es": re.compile(r"\b(?:deber(?:á|án|ían?)|deben?)\b", re.I), "ru": re.compile(r"(?:должн|следует)", re.I),
              "zh": re.compile(r"应|必须"), "ar": re.compile(r"ينبغي|يجب|يتعين")}
_SUBJ_BOUNDARY = re.compile(r"[.;:!?。；：！？]\s*|^")
_GENERIC_HEADS = re.compile(r"(?:s|people|public|sector|society|community|communities|staff|academia|media)$", re.I)
_DETERMINERS = re.compile(r"^(?:the|all|other|relevant|concerned|interested|each|every)\s+", re.I)


def _last_subject(out: list, s: int) -> list[str]:
    subj = [c.addressees for c in out if c.start < s]
    return subj[-1] if subj else []


def _agentless(text: str, s: int, e: int, printed: str, mod: str, lang: str, actors, earlier: Optional[list] = None) -> Optional["Clause"]:
    """A recommendation or obligation without an actor before its modal: a passive ("Efforts
    should be made", "应填写", "deberá completarse", "должно основываться", "ينبغي ملء") asks no one
    named; an English subject of generic agents ("Countries should", "Governments, enterprises and
    the public should") names its addressees.  Permissions need a named subject (a capability is not
    a permission)."""
    if mod not in ("recommendation", "obligation"):
        return None
    after = text[e:e + 40]
    if _REMARK_AFTER.search(after) or re.match(r"\s*[?？]", after):
        return None
    start = max((m.end() for m in _SUBJ_BOUNDARY.finditer(text, 0, s)), default=0)
    subject = text[start:s].strip()
    if _ANY_MODAL.get(lang) and _ANY_MODAL[lang].search(subject):
        # "should be provided as text and should not exceed": a second modal of the same subject
        return Clause(s, e, printed, mod, list(earlier or []), e)
    if lang != "en":
        if len(subject) > (60 if lang == "zh" else 200):
            return None
        return Clause(s, e, printed, mod, [], e)  # asks no one named: the clause opens at its modal
    if _PASSIVE_AFTER["en"].match(after) and not _ASK_PARTICIPLE.match(after):
        return Clause(s, e, printed, mod, [], e)
    lead = _DETERMINERS.sub("", subject)
    first = next((a for a in actors if a.start == start + (len(subject) - len(lead)) + (len(text[start:s]) - len(text[start:s].lstrip()))), None)
    if first is not None and re.match(r"\s*(?:of|in|from|which|that|who)\b", text[first.end:first.end + 8]):
        # "The governments of all relevant countries which are mandated ... should": the head noun is the subject
        return Clause(start, e, printed, mod, [first.id], e)
    # a subject of generic agents: a short list of plural nouns ("Countries", "Governments, enterprises and the public")
    subject = re.sub(r"^(?:Preferably|Therefore|Thus|Moreover|Furthermore|In addition|Finally|However),?\s+", "", subject)
    items = [i.strip() for i in re.split(r",\s*(?:and\s+|or\s+)?|\s+and\s+|\s+or\s+", subject) if i.strip()]
    if not items or len(items) > 8 or len(subject) > 160:
        return None
    ids = []
    ids = _generic_items(text, start, s, items, actors)
    if ids is None:
        # another subject ("The narrative should explain", "Each example should be provided"): asks no one named
        if len(subject.split()) <= 8 and not re.match(r"(?:It|This|That|These|Those|There|Which|Who)\b", subject) and "," not in subject:
            return Clause(s, e, printed, mod, [], e)
        return None
    return Clause(start, e, printed, mod, ids, e)


def _generic_items(text: str, start: int, s: int, items: list[str], actors) -> Optional[list[str]]:
    """Ids of a list of generic agents ("Civil organizations", "the private sector", "enterprises"), or None."""
    ids = []
    for it in items:
        it = _DETERMINERS.sub("", it)
        words = it.split()
        if not words or len(words) > 4 or not _GENERIC_HEADS.search(words[-1]) or any(w.lower() in ("that", "which", "who", "of") for w in words):
            return None
        a0 = text.find(it, start, s)
        hit = next((a.id for a in actors if a0 >= 0 and a.start < a0 + len(it) and a0 < a.end), None)
        ids.append(hit or "actor:" + slug(it))
    return list(dict.fromkeys(ids))


def generic_subject(text: str, first: int, s: int, actors) -> Optional[tuple[int, list[str]]]:
    """When the actors right before a modal end a longer list of agents ("Civil organizations, ..., the private
    sector, enterprises and local communities should"), the whole list from the sentence start."""
    start = max((m.end() for m in _SUBJ_BOUNDARY.finditer(text, 0, first)), default=0)
    head = text[start:first].strip()
    if not head or not re.search(r"(?:,|\band)\s*$", head):
        return None
    subject = text[start:s].strip()
    items = [i.strip() for i in re.split(r",\s*(?:and\s+|or\s+)?|\s+and\s+|\s+or\s+", subject) if i.strip()]
    if len(items) > 8:
        return None
    ids = _generic_items(text, start, s, items, actors)
    return (start, ids) if ids else None


_SPEAKER_RE = {"en": re.compile(r"^\s*We,\s+((?:the\s+)?[^,]{3,80}?),"), "fr": re.compile(r"^\s*Nous,\s+([^,]{3,80}?),"),
               "es": re.compile(r"^\s*Nosotros,\s+([^,]{3,80}?),"), "zh": re.compile(r"^\s*我们(?:，|,)?([^，,]{2,30}?)(?:，|,)")}


def speaker_of(text: str, lang: str) -> Optional[str]:
    """The first-person speaker a declaration names ("We, the world's ministers for the environment, ...")."""
    rx = _SPEAKER_RE.get(lang)
    m = rx.match(text) if rx else None
    if not m:
        return None
    return "actor:" + slug(re.sub(r"^the\s+", "", m.group(1), flags=re.I))


# ---- sessions
_SYMBOL_SESSION = [
    (re.compile(r"UNEP/EA\.(\d+)"), "EA"), (re.compile(r"HSP/HA\.(\d+)"), "HA"), (re.compile(r"HSP/GC/(\d+)"), "GC"),
    (re.compile(r"UNEP/GC(?:\.|/)(\d+)"), "GC"), (re.compile(r"ICCD/COP\((\d+)\)"), "COP"), (re.compile(r"^A/RES/(\d+)/"), "GA"),
    (re.compile(r"^A/(\d+)/"), "GA"), (re.compile(r"^E/RES/(\d{4})/"), "ECOSOC"),
]


def symbol_session(symbol: Optional[str]) -> Optional[str]:
    """`EA.5` for UNEP/EA.5/RES.1, `GA.80` for A/RES/80/12, `COP.16` for ICCD/COP(16)/18."""
    for rx, body in _SYMBOL_SESSION:
        m = rx.search(symbol or "")
        if m:
            return f"{body}.{int(m.group(1))}"
    return None


def decision_session(decision: Optional[str], org: Optional[str]) -> Optional[str]:
    """The session that adopted a decision or resolution, from its number."""
    if not decision:
        return None
    ref = decision.split(":", 1)[-1]
    m = re.search(r"/(COP|CRIC|CST|CMP|CMA)\.(\d+)", ref)
    if m:
        return f"{m.group(1)}.{int(m.group(2))}"
    s = symbol_session(ref)
    if s:
        return s
    m = re.fullmatch(r"(\d{1,3})/(\d{1,4})", ref)
    if m:
        n = int(m.group(1))
        if org == "unep":
            return f"EA.{n}" if n <= 10 else f"GC.{n}"
        if org == "un-habitat":
            return f"HA.{n}" if n <= 10 else f"GC.{n}"
        if decision.startswith("resolution:") and n >= 40:
            return f"GA.{n}"
    return None


# ---- requests told by their noun: "In response to the request of the Governing Council in its resolution 24/3,
# the Executive Director prepared ...", "应缔约方会议的要求，秘书处编写了 ..."
REQUEST_NOUN_CUE = {
    "en": re.compile(r"\b(?:In response to|Pursuant to|Responding to|Following|At the request of|As requested by)\b(?=(?:[^.;]|\.(?!\s)){0,40}\brequest|\s+the\s+[A-Z])(?:[^.;]|\.(?!\s))*?,\s*", re.I),
    "fr": re.compile(r"(?:Comme suite à|En réponse à|Conformément à|À la demande d[eu]|A la demande d[eu])(?:[^.;]|\.(?!\s))*?,\s*"),
    "es": re.compile(r"(?:En respuesta a|Atendiendo a|A petición d[e]l?|Conforme a)(?:[^.;]|\.(?!\s))*?,\s*", re.I),
    "ru": re.compile(r"(?:В ответ на просьбу|По просьбе|Во исполнение просьбы)(?:[^.;]|\.(?!\s))*?,\s*"),
    "zh": re.compile(r"(?:应|根据)[^，。；]{2,40}?(?:的)?(?:要求|请求)[，,]\s*"),
    "ar": re.compile(r"(?:استجابة\s+لطلب|بناء\s+على\s+طلب|عملا\s+بطلب)[^.؛]{0,200}?[،,]\s*"),
}


def request_noun_clauses(text: str, lang: str, actors, cites) -> list[tuple]:
    """(start, verb end, printed verb, addressees, requester, decision) of requests told by their noun:
    the requester and the decision are named in the opening phrase, the addressee is the subject after it."""
    if lang == "ar" and actors:
        return _arabic_past_requests(text, actors, cites)
    rx = REQUEST_NOUN_CUE.get(lang)
    if rx is None or not actors:
        return []
    out = []
    for m in rx.finditer(text):
        inside = [a for a in actors if m.start() <= a.start and a.end <= m.end()]
        if not inside:
            continue
        requester = inside[0].id
        decision = next((c.id for c in cites if m.start() <= c.start and c.end <= m.end() and c.type in ("decision", "resolution")), None)
        subj = [a for a in actors if m.end() <= a.start <= m.end() + 12]
        if not subj:
            continue
        a = subj[0]
        verb = re.match(r"\s*([\u4e00-\u9fff]{1,2}了?)" if lang == "zh" else r"\s*((?:has\s+|have\s+|a\s+|ha\s+|hat\s+)?[\w\u0600-\u06ff]+)", text[a.end:a.end + 40])
        out.append((m.start(), a.end + (verb.end() if verb else 0), (verb.group(1) if verb else ""), [a.id], requester, decision))
    return out


# A request told in the past in Arabic, verb first: "طلب مؤتمر الأطراف، بموجب مقرره 11/م.أ-14، إلى الأمانة أن ..."
# (the COP, by its decision 11/COP.14, requested the secretariat to ...): the actor right after the verb asks,
# the actor after إلى within the same sentence is asked.
_AR_PAST_REQUEST = re.compile(r"(?:^|(?<=[\s،(]))(?:و|ف)?(طلب|دعا|حث|شجع)\s+")
_AR_TO = re.compile(r"\s*إلى\s+")


def _arabic_past_requests(text: str, actors, cites) -> list[tuple]:
    out = []
    for m in _AR_PAST_REQUEST.finditer(text):
        if re.search(r"(?:على|بناء|ل|في)\s*$", text[max(0, m.start() - 8):m.start()]):
            continue  # "بناءً على طلب مؤتمر الأطراف": the noun "request", not the verb
        req = next((a for a in actors if a.start == m.end()), None)
        if req is None:
            continue
        stop = re.search(r"[.!?؟](?:\s|$)", text[req.end:])
        limit = req.end + (stop.start() if stop else len(text) - req.end)
        for t in _AR_TO.finditer(text, req.end, min(limit, req.end + 160)):
            ad = [a for a in actors if a.start == t.end()]
            if ad and re.match(r"\s+(?:أن|ب)", text[ad[0].end:ad[0].end + 4]):
                decision = next((c.id for c in cites if req.end <= c.start < t.start() and c.type in ("decision", "resolution")), None)
                out.append((m.start(1), ad[0].end, m.group(1), [ad[0].id], req.id, decision))
                break
    return out
