"""Mandates: who is asked to do what, by when, by which decision.

Rules (per block, in document order; `extract.annotate` drives them):

- Operative paragraphs: the leading verb opens the first mandate; every further clause
  opened by a mandate verb after ", and", ";", "并", "，" ... ("requests the secretariat ...
  and invites Parties ...") opens another.  Every force class counts (decides, requests,
  urges, invites, encourages, welcomes, notes ...).
- Running text (reports): a request-class verb (request, invite, urge, encourage, call
  upon, instruct, decide, recommend) followed by an actor is a mandate when the sentence
  names its issuer before the verb: a body ("the Conference of the Parties requested the
  secretariat", "全球机制...邀请国家缔约方") or a decision/resolution ("第 22/COP.15 号决定请
  全球机制", "the same decision requests").  When the issuer is a decision or resolution,
  every force class counts ("在第 2/5 号决议中，人居大会欢迎执行主任...").  Passives
  ("Governments are urged to ...") take their addressees from the subject.
- Addressees: the actors right after the verb, joined by "and", ",", "、", "和", "et", "y",
  "и", "و" ("the secretariat and the Global Mechanism").
- A chapeau ending in ":" with lettered or numbered children gives no mandate of its own;
  each child inherits its verb, addressees, decision, issuer and condition, with the child's
  text as action (`chapeau` = the chapeau block id).
- `decision`: the decision/resolution cited before the verb, "the same decision" -> the last
  one cited in the document, else the decision the document is (its symbol, or the last
  heading "Decision 22/COP.15").
- `deadline`: a reporting session ("at its sixteenth session", "供缔约方会议第十六届会议审议"
  -> `COP.16`), a year ("by 2030", "2030年前" -> `2030`) or a date ("在 2023 年 6 月 2 日之前"
  -> `2023-06-02`); `deadline_text` keeps the words.
- `condition`: "subject to the availability of resources" and its translations ->
  `subject to available resources`.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from typing import Optional

from unkg.model import Mandate

from .deadlines import words_deadline
from .ordinals import ORDINALS, zh_number
from .prefilter import prefiltered
from .quantities import find_dates
from .verb_lexicon import FORCE, LEXICON
from .vocab import phrase_slug as slug

REQUEST_CLASS = {"request", "invite", "urge", "encourage", "call", "call upon", "instruct", "decide", "recommend", "mandate", "authorize", "entrust", "direct", "appeal"}

_EN_VERBS = {
    "decides": "decide", "decided": "decide", "requests": "request", "requested": "request", "invites": "invite",
    "invited": "invite", "urges": "urge", "urged": "urge", "encourages": "encourage", "encouraged": "encourage",
    "calls upon": "call upon", "called upon": "call upon", "calls on": "call upon", "called on": "call upon",
    "recommends": "recommend", "recommended": "recommend", "welcomes": "welcome", "welcomed": "welcome",
    "takes note": "take note", "took note": "take note", "notes": "note", "noted": "note", "instructs": "instruct",
    "instructed": "instruct", "authorizes": "authorize", "authorized": "authorize", "approves": "approve",
    "approved": "approve", "adopts": "adopt", "endorses": "endorse", "endorsed": "endorse", "appeals": "appeal",
    "reaffirms": "reaffirm", "recognizes": "recognize", "emphasizes": "emphasize", "stresses": "stress",
    "expresses": "express", "commends": "commend", "supports": "support", "mandates": "mandate",
}
_PRESENT_ONLY = {k for k in _EN_VERBS if not k.endswith("ed") and not k.startswith(("took", "called"))}


def _alt(forms) -> str:
    return "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True))


def _trie_alt(forms, ignore_case: bool) -> str:
    """The alternation of `forms` as a prefix tree ("call(?:s(?: upon| on|)|ed(?: upon| on|))"): at every node
    the longer continuation is tried before the form ending there, so a match is the one of `_alt` (longest
    form first), while far fewer branches are tried at each position of the text."""
    root: dict = {}
    for f in forms:
        node = root
        for ch in (f.lower() if ignore_case else f):
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict) -> str:
        alts = [re.escape(ch) + emit(sub) for ch, sub in node.items() if ch]
        if "" in node:
            alts.append("")
        return alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"

    return emit(root)


VERBS: dict[str, dict[str, str]] = {"en": _EN_VERBS}
for _lang in ("fr", "es", "ru", "zh", "ar"):
    VERBS[_lang] = {k: v for k, v in LEXICON[_lang].items() if not re.search(r"(ant|ando|iendo|я|ая)$", k) or _lang == "zh"}
VERBS["zh"] = {k: v for k, v in VERBS["zh"].items() if k in {"决定", "请", "要求", "邀请", "吁请", "呼吁", "促请", "敦促", "鼓励", "欢迎", "注意到", "表示注意到", "核可", "批准", "建议", "授权", "责成"}}
VERBS["zh"].update({"授权": "authorize", "责成": "instruct", "还请": "request", "又请": "request"})
VERBS["fr"].update({"demande": "request", "invite": "invite", "engage": "urge", "encourage": "encourage"})
VERBS["es"].update({"pide": "request", "solicita": "request", "invita": "invite", "insta": "urge", "alienta": "encourage",
                    "pidió": "request", "solicitó": "request", "invitó": "invite", "instó": "urge", "alentó": "encourage"})
VERBS["fr"].update({"a prié": "request", "a demandé": "request", "a invité": "invite", "a engagé": "urge", "a encouragé": "encourage"})
VERBS["ar"].update({"يطلب": "request", "يدعو": "invite", "يحث": "urge", "يشجع": "encourage", "يرحب": "welcome"})

_WB = {"en": (r"\b", r"\b"), "fr": (r"(?<!\w)", r"(?!\w)"), "es": (r"(?<!\w)", r"(?!\w)"), "ru": (r"(?<!\w)", r"(?!\w)"),
       "ar": (r"(?<![^\s،,؛(])(?:و|ف)?", r"(?:\s+(?:أيضا|كذلك))?(?!\w)"), "zh": (r"(?<![申提聘宴敬恳报回邀吁促])", "")}
VERB_RE = {lang: re.compile(_WB[lang][0] + "(" + _trie_alt(forms, lang != "zh") + ")" + _WB[lang][1], re.I if lang != "zh" else 0) for lang, forms in VERBS.items()}

# what may stand between the verb and the first addressee, and between two addressees
GAP = {
    "en": r"(?:\s+|the\s+|all\s+|its\s+|relevant\s+|other\s+|also\s+|developed\s+|developing\s+|affected\s+|interested\s+|concerned\s+|country\s+|member\s+)*",
    "fr": r"(?:\s+|le\s+|la\s+|les\s+|l['’]|au\s+|aux\s+|à\s+|tous\s+|toutes\s+|également\s+|en\s+outre\s+)*",
    "es": r"(?:\s+|a\s+|al\s+|la\s+|las\s+|los\s+|el\s+|todas\s+|todos\s+|también\s+)*",
    "ru": r"(?:\s+|все\s+|всех\s+|также\s+)*",
    "ar": r"(?:\s+|إلى\s+|جميع\s+|أيضا\s+)*",
    "zh": r"(?:各|所有)?",
}
CONN = r"\s*(?:,|、|，|和|与|及|以及|或|and|et|y|e|и|و|as well as|ainsi que|así como|а также)?\s*(?:,\s*)?(?:and\s+)?"
_GAP_RE = {lang: re.compile(g + r"$", re.I) for lang, g in GAP.items()}
_CONN_RE = {lang: re.compile(CONN + g + r"$", re.I) for lang, g in GAP.items()}

PASSIVE_RE = {
    "en": prefiltered(r"\b(?:are|is|were|was|be|being)\s+(?:also\s+|further\s+|strongly\s+)?(urged|invited|requested|encouraged|called upon|called on)\s+to\b", re.I),
    "fr": prefiltered(r"\b(?:sont|est)\s+(?:également\s+)?(invité(?:e)?s?|prié(?:e)?s?|encouragé(?:e)?s?|engagé(?:e)?s?|exhorté(?:e)?s?)\s+(?:à|de)\b", re.I),
}
_PASSIVE_EN = {"urged": "urge", "invited": "invite", "requested": "request", "encouraged": "encourage", "called upon": "call upon", "called on": "call upon"}
_PASSIVE_FR = {"invit": "invite", "pri": "request", "encourag": "encourage", "engag": "urge", "exhort": "urge"}

BOUNDARY_RE = {
    "en": re.compile(r"(?:[,;:]\s*(?:and\s+)?|\s+and\s+)(?:(?:also|further|again|once again|strongly|in this regard,?|in that regard,?)\s+)*$", re.I),
    "fr": re.compile(r"(?:[,;:]\s*(?:et\s+)?|\s+et\s+)(?:(?:également|en outre|aussi|de nouveau)\s+)*$", re.I),
    "es": re.compile(r"(?:[,;:]\s*(?:y\s+|e\s+)?|\s+(?:y|e)\s+)(?:(?:también|además|asimismo)\s+)*$", re.I),
    "ru": re.compile(r"(?:[,;:]\s*(?:и\s+)?|\s+и\s+)(?:(?:также|далее|вновь|настоятельно)\s+)*$", re.I),
    "ar": re.compile(r"(?:[،,;؛:]\s*|\s+)(?:كما\s+)?$"),
    "zh": re.compile(r"(?:[，；：,;:。]|并|又|还|同时|也|并且)(?:又|还|并|也|进一步|同时)?$"),
}
SENT_SPLIT = re.compile(r"(?<=[!?。！？；;])\s*|(?<=[.!?])\s+")
SAME_DECISION_RE = re.compile(r"同一项?决定|该决定|the same decision|that decision|la même décision|cette décision|la misma decisión|esa decisión|том же решении|этом решении|المقرر نفسه|نفس المقرر", re.I)
SAME_RESOLUTION_RE = re.compile(r"同一项?决议|该决议|the same resolution|that resolution|la même résolution|la misma resolución|той же резолюции|القرار نفسه", re.I)
CONDITION_RE = prefiltered(
    r"[，,]?\s*(?:在资源允许的情况下|在有资源的情况下|subject to (?:the )?availability of (?:financial )?resources|subject to available resources"
    r"|sous réserve de la disponibilité de ressources|sous réserve des ressources disponibles|con sujeción a la disponibilidad de recursos"
    r"|en función de los recursos disponibles|при условии наличия ресурсов|رهنا بتوافر الموارد)\s*[，,]?", re.I)

_ORD = ORDINALS
_ORD_ALT = _alt(_ORD)


_BODY_WORDS = {"缔约方会议": "COP", "缔约方大会": "COP", "执行局": "EB", "人居大会": "HA", "审评委员会": "CRIC", "大会": "GA",
               "Conference of the Parties": "COP", "Executive Board": "EB", "Assembly": "HA", "General Assembly": "GA"}
SESSION_RES = [
    re.compile(r"供(?P<body>缔约方会议|缔约方大会|执行局|人居大会|审评委员会)?第(?P<zord>[一二三四五六七八九十]+|\d+)届会议审议"
               r"|(?:向|在)(?P<body2>缔约方会议|缔约方大会|执行局|人居大会|审评委员会)?第(?P<zord2>[一二三四五六七八九十]+|\d+)届会议(?:上)?(?:报告|提交|审议)"),
    re.compile(r"(?:at|by|to|for consideration (?:at|by)|until|before|during|no later than|not later than|agenda (?:of|for))\s+(?:its|the|their)\s+(?P<ord>" + _ORD_ALT + r")\s+(?:regular\s+|ordinary\s+)?session(?:\s+of the (?P<body>Conference of the Parties|Executive Board|General Assembly|Assembly))?", re.I),
    re.compile(r"(?:à|lors de)\s+(?:sa|la)\s+(?P<ord>" + _ORD_ALT + r")\s+session", re.I),
    re.compile(r"(?:en|durante)\s+su\s+(?P<ord>" + _ORD_ALT + r")\s+(?:período de sesiones|reunión)", re.I),
    re.compile(r"на\s+(?:своей|ее|его)\s+(?P<ord>" + _ORD_ALT + r")\s+сессии", re.I),
    re.compile(r"في\s+دورت(?:ه|ها)\s+(?P<ord>" + _ORD_ALT + r")"),
    re.compile(r"\b(?P<abody>COP|CRIC|CST)\s?(?P<num>\d{1,2})\b"),
]
YEAR_DEADLINE_RES = [
    re.compile(r"(?:by|before|until|no later than)\s+(?:the end of\s+)?(?P<y>20\d\d)\b", re.I),
    re.compile(r"(?:到|至|在)?\s*(?P<y>20\d\d)\s*年(?:底)?(?:前|以前|之前)"),
    re.compile(r"(?:d['’]ici (?:à |la fin de )?|avant )(?P<y>20\d\d)\b", re.I),
    re.compile(r"(?:para|antes de|a más tardar en)\s+(?P<y>20\d\d)\b", re.I),
    re.compile(r"(?:к|до)\s+(?P<y>20\d\d)\s+год", re.I),
    re.compile(r"بحلول\s+(?:عام\s+)?(?P<y>20\d\d)"),
]
DATE_DEADLINE_RE = re.compile(r"(?:by|before|no later than|avant le|d['’]ici au|antes del|a más tardar el|до|к)\s+$|^\s*(?:之前|以前|前)", re.I)


@dataclass
class Actor:
    start: int
    end: int
    id: str
    kind: Optional[str] = None


@dataclass
class Cite:
    start: int
    end: int
    id: str
    type: str


def _session(body: Optional[str], num: int, issuer_kind: Optional[str]) -> str:
    """`COP.16`, `GA.63`, `EB.3`, `HA.2`; `session.N` when the body is unknown."""
    b = _BODY_WORDS.get(body or "", None) if body else None
    if not b:
        b = {"cop": "COP", "executive-board": "EB", "assembly": "HA", "ga": "GA"}.get(issuer_kind or "", "session")
    return f"{b}.{num}"


_SESSION_CUE = re.compile(r"session|届会议|届缔约方|сесси|sesiones|reunión|دورت|COP\s?-?\d|CRIC\s?\d|CST\s?\d|КС\s?-?\d", re.I)
_DATE_CUE = re.compile(r"(?:19|20)\d\d")


def find_deadline(text: str, lang: str, issuer_kind: Optional[str]) -> tuple[Optional[str], Optional[str]]:
    """A reporting session, a date or a year by which the action is due (see module docstring)."""
    has_session = bool(_SESSION_CUE.search(text))
    if not has_session and not _DATE_CUE.search(text):
        return None, None
    words, words_text = words_deadline(text, lang)
    if words:
        if words.startswith("session.") and words != "session.next":
            words = _session(None, int(words.split(".")[1]), issuer_kind)
        return words, words_text
    for rx in (SESSION_RES if has_session else ()):
        m = rx.search(text)
        if not m:
            continue
        gd = m.groupdict()
        if gd.get("abody"):
            return f"{gd['abody']}.{int(gd['num'])}", m.group(0)
        if gd.get("zord") or gd.get("zord2"):
            n = zh_number(gd.get("zord") or gd["zord2"])
            gd["body"] = gd.get("body") or gd.get("body2")
        else:
            n = _ORD.get(gd["ord"].lower()) or _ORD.get(gd["ord"])
        if n:
            return _session(gd.get("body"), n, issuer_kind), m.group(0)
    for d in find_dates(text, lang):
        before, after = text[max(0, d.start - 20):d.start], text[d.end:d.end + 4]
        if d.id.count("-") == 2 and (DATE_DEADLINE_RE.search(before) or DATE_DEADLINE_RE.search(after)):
            return d.id.split(":", 1)[1], (before.split()[-1] + " " if before.split() and lang != "zh" else "") + d.text + (after[:2] if lang == "zh" else "")
    for rx in YEAR_DEADLINE_RES:
        for m in rx.finditer(text):
            if _inside_quotes(text, m.start()):
                continue  # "the global goal of “the neutrality of land degradation by 2030”": a goal's name, not a deadline
            return m.group("y"), m.group(0).strip()
    return None, None


_GENERIC_TAIL_RE = re.compile(r"(?:\s+part(?:y|ies)\s+to\s+the\s+Convention)?,?\s+and\s+((?:other\s+|all\s+|relevant\s+|international\s+|regional\s+)*"
                              r"(?:[a-z][\w-]*\s+){0,2}?(?:donors|actors|stakeholders|partners|organizations|entities|institutions|agencies|bodies))\b")


def generic_tail(text: str, end: int, ad: list[str]) -> tuple[list[str], int]:
    """Named addressees followed by a generic group ("Member States and other donors", "... and other actors")."""
    ad = list(ad)
    while True:  # "... and other institutions and supporting bodies"
        m = _GENERIC_TAIL_RE.match(text, end)
        if not m:
            return ad, end
        gid = "actor:" + slug(re.sub(r"(?:all|relevant)\s+", "", m.group(1)))
        if gid not in ad:
            ad.append(gid)
        end = m.end()


_OPEN_Q, _CLOSE_Q = "“«《「\"", "”»》」\""


def _inside_quotes(text: str, pos: int) -> bool:
    """Whether position `pos` is inside a quotation (curly, guillemets, Chinese title marks)."""
    before = text[max(0, pos - 200):pos]
    o = max(before.rfind(c) for c in "“«《「")
    c = max(before.rfind(c) for c in "”»》」")
    return o > c


def addressees_after(text: str, pos: int, actors: list[Actor], lang: str, starts: Optional[list[int]] = None) -> tuple[list[str], int]:
    """The actors listed right after position `pos` and the end of the list."""
    gap = _GAP_RE.get(lang, _GAP_RE["en"])
    conn = _CONN_RE.get(lang, _CONN_RE["en"])
    out: list[str] = []
    end = pos
    if starts is None:
        starts = [a.start for a in actors]
    for a in actors[bisect_left(starts, pos):]:
        if a.start < end:
            continue
        if a.start - end > 80:
            break
        between = text[end:a.start]
        if (gap if not out else conn).match(between):
            if a.id not in out:
                out.append(a.id)
            end = a.end
        else:
            break
    return out, end


_ACTION_LEAD = {"en": r"to", "fr": r"de|d['’]|à|que", "es": r"a|que|de", "ru": r"чтобы", "ar": r"إلى|أن"}
# ", making full use of existing resources, to ...": an aside between the addressee and the action
_ASIDE_RE = re.compile(r"^,?\s*(?:making|taking|using|drawing|bearing|building|acting|working|in\s+(?:close\s+)?(?:consultation|collaboration|cooperation|coordination|accordance)\s+with|"
                       r"within|subject\s+to|as\s+appropriate|where\s+appropriate|upon\s+request|inter\s+alia)\b[^,;]{0,160},\s*(?=to\b)", re.I)


def _clean_action(s: str, lang: str) -> str:
    s = CONDITION_RE.sub(" ", s)
    s = s.strip()
    if lang == "en":
        s = _ASIDE_RE.sub("", s)
    lead = _ACTION_LEAD.get(lang)
    # only the language's own connective is dropped ("to prepare"), never a first word ("a report", "A review")
    s = re.sub(r"^(?:[,，:：]\s*)?(?:" + lead + r")\s+", "", s, flags=re.I) if lead else s.lstrip("，,：: ")
    prev = None
    while prev != s:
        prev = s
        s = re.sub(r"(?:[;；,，.。،؛:：]|(?<=\s)(?:and|et|y|e|и|و)|^(?:and|et|y|e|и|و))\s*$", "", s.strip()).strip()
    return s


def condition_of(s: str) -> Optional[str]:
    return "subject to available resources" if CONDITION_RE.search(s) else None


def _verb_en(lang: str, printed: str) -> str:
    if lang == "en":
        return _EN_VERBS.get(printed.lower(), printed.lower())
    forms = VERBS.get(lang, {})
    low = printed.lower()
    for k, v in forms.items():
        if k.lower() == low:
            return v
    return low


@dataclass
class Trigger:
    start: int  # clause start (verb start)
    vend: int
    printed: str
    en: str
    addressees: list[str]
    aend: int
    passive: bool = False


def find_triggers(text: str, lang: str, kind: str, actors: list[Actor], cites: list[Cite], leading: Optional[tuple[int, str, str]]) -> list[Trigger]:
    """Mandate verbs in a block: the leading verb (operative), later clause verbs, verbs
    with an addressee in running text, passives."""
    out: list[Trigger] = []
    if kind != "operative" and not actors:
        return out  # in running text a mandate needs an addressee
    starts = [a.start for a in actors]
    if leading is None and kind == "operative":
        rm = _REPEAT_START_RE.match(text)
        if rm and RENEWED_RE.get(lang) is not None and RENEWED_RE[lang].match(text, rm.end()):
            leading = (rm.start(1), rm.group(1), "reiterate")
    if leading is not None:
        s, printed, en = leading
        vend = s + len(printed)
        extra = re.match(r"\s+(?:note|upon|on)\b", text[vend:]) if en in ("take note", "call upon") else None
        if extra:  # "Takes note of", "Calls upon": the verb is two words
            vend += extra.end()
        ad, aend = addressees_after(text, vend, actors, lang, starts)
        if ad and lang == "en":
            ad, aend = generic_tail(text, aend, ad)
        out.append(Trigger(s, vend, printed, en, ad, aend))
    rx = VERB_RE.get(lang)
    if rx is not None:
        for m in rx.finditer(text):
            s, e = m.span(1)
            if out and s < out[-1].vend:
                continue
            printed = m.group(1)
            en = _verb_en(lang, printed)
            if en == "mandate" and (re.search(r"\b(?:the|their|its|his|her|our|respective|existing|current|new|and|of|with|within|whose)\s+$", text[max(0, s - 20):s], re.I)
                                    or re.match(r"\s*(?:of|and|,|\.|;|\))", text[e:e + 5])):
                continue  # "within their respective mandates": the noun, never a mandate
            ad, aend = addressees_after(text, e, actors, lang, starts)
            if ad and lang == "en":
                ad, aend = generic_tail(text, aend, ad)
            before = text[max(0, s - 60):s]
            boundary = bool(BOUNDARY_RE[lang].search(before)) if lang in BOUNDARY_RE else False
            if kind == "operative":
                present = lang != "en" or printed.lower() in _PRESENT_ONLY
                if not (boundary and present) and not ad:
                    continue
                if not boundary and not present:
                    continue
            else:
                if not ad:
                    continue
            out.append(Trigger(s, e, printed, en, ad, aend))
    prx = PASSIVE_RE.get(lang)
    if prx is not None:
        for m in prx.finditer(text):
            word = m.group(1).lower()
            en = _PASSIVE_EN.get(word) if lang == "en" else next((v for k, v in _PASSIVE_FR.items() if word.startswith(k)), "request")
            sent_start = max([0] + [mm.end() for mm in SENT_SPLIT.finditer(text[max(0, m.start() - 600):m.start()])]) + max(0, m.start() - 600)
            ad = [a.id for a in actors if sent_start <= a.start and a.end <= m.start()]
            if ad:
                # the clause opens with its subject ("Governments, scientists ... are called upon to")
                first = min(a.start for a in actors if sent_start <= a.start and a.end <= m.start())
                out.append(Trigger(first, m.end(1), m.group(1), en, list(dict.fromkeys(ad)), m.end(), passive=True))
    for i, t in enumerate(out):
        rx = RENEWED_RE.get(lang)
        m = rx.match(text, t.vend) if rx is not None and not t.passive else None
        if m:
            # "Reiterates its invitation to the parties to ...": the renewed invitation is the mandate
            noun = m.group("noun").lower()
            en = next(v for k, v in _RENEWED_NOUNS.items() if noun.startswith(k))
            ad, aend = addressees_after(text, m.end(), actors, lang, starts)
            out[i] = Trigger(t.start, m.end(), t.printed, en, ad, aend)
    out.sort(key=lambda t: t.start)
    return out


# a verb of repetition followed by the noun of a request verb ("Reiterates its invitation to", "Recalls the call upon")
RENEWED_RE = {
    "en": re.compile(r"\s+(?:with\s+appreciation\s+|also\s+)?(?:the|its|their)\s+(?:earlier\s+|previous\s+)?(?P<noun>invitation|request|call|appeal|encouragement)\s+(?:to|upon|on)\b", re.I),
    "fr": re.compile(r"\s+(?:son|sa|l['’]|leur)\s*(?P<noun>invitation|demande|appel|encouragement)\s+(?:à|aux|au)\b", re.I),
    "es": re.compile(r"\s+(?:su|la|el)\s+(?P<noun>invitación|solicitud|petición|llamamiento|exhortación)\s+(?:a|al)\b", re.I),
    "ar": re.compile(r"\s+(?P<noun>دعوته|طلبه|مناشدته)\s+(?:إلى|ل)?"),
}
_REPEAT_START_RE = re.compile(r"\s*((?:Also\s+|Further\s+)?(?:Reiterates|Recalls|Renews|Réitère|Renouvelle|Rappelle|Reitera|Renueva|Recuerda|Reafirma|ي?كرر|ويكرر))\b", re.I)
_RENEWED_NOUNS = {"invitation": "invite", "request": "request", "call": "call upon", "appeal": "appeal", "encouragement": "encourage",
                  "demande": "request", "appel": "call upon", "invitación": "invite", "solicitud": "request", "petición": "request",
                  "llamamiento": "call upon", "exhortación": "urge", "دعوته": "invite", "طلبه": "request", "مناشدته": "appeal"}


@dataclass
class Context:
    """What a block's mandates inherit from the document so far."""

    org: Optional[str] = None
    doc_decision: Optional[str] = None
    issuer: Optional[str] = None
    last_decision: Optional[str] = None
    last_resolution: Optional[str] = None


def block_mandates(text: str, lang: str, kind: str, actors: list[Actor], cites: list[Cite], leading: Optional[tuple[int, str, str]],
                   ctx: Context, actor_kinds: dict[str, str]) -> list[Mandate]:
    triggers = find_triggers(text, lang, kind, actors, cites, leading)
    out: list[Mandate] = []
    if not triggers:
        return out
    sent_starts = [0] + [m.end() for m in SENT_SPLIT.finditer(text)]
    used: list[Trigger] = []
    actor_starts = [a.start for a in actors]
    for i, t in enumerate(triggers):
        clause_end = triggers[i + 1].start if i + 1 < len(triggers) else len(text)
        sent_start = sent_starts[bisect_right(sent_starts, t.start) - 1]
        before = text[sent_start:t.start]
        decision = None
        issuer = None
        cited = [c for c in cites if sent_start <= c.start and c.end <= t.start and c.type in ("decision", "resolution")]
        if cited:
            decision = cited[-1].id
        elif SAME_DECISION_RE.search(before):
            decision = ctx.last_decision
        elif SAME_RESOLUTION_RE.search(before):
            decision = ctx.last_resolution
        subj = [a for a in actors[bisect_left(actor_starts, sent_start):bisect_left(actor_starts, t.start)] if a.end <= t.start]
        if t.passive:
            issuer = ctx.issuer
        elif subj:
            issuer = subj[0].id
        if kind == "operative":
            # a decision cited inside an operative paragraph is its object, not its source
            decision = ctx.doc_decision
            issuer = ctx.issuer
        else:
            if not t.passive:
                if not (decision or issuer or (i > 0 and out)):
                    continue
                if t.en not in REQUEST_CLASS and not decision:
                    continue
            if i > 0 and out and not decision:
                decision = out[-1].decision
                issuer = issuer or out[-1].issuer
        # the action ends with the clause; in running text with the sentence too
        body_end = clause_end
        if kind != "operative":
            m = re.search(r"[.。!?！？](?:\s|$)", text[t.aend:clause_end])
            if m:
                body_end = t.aend + m.start()
        raw_action = text[t.aend:body_end]
        action = _clean_action(raw_action, lang)
        scope = text[t.aend:clause_end]
        ikind = actor_kinds.get(issuer or "", None) or ("cop" if ctx.org == "unccd" else None)
        deadline, deadline_text = find_deadline(scope, lang, ikind) if t.en in REQUEST_CLASS else (None, None)
        used.append(t)
        out.append(Mandate(verb=t.printed, verb_en=t.en, force=FORCE.get(t.en, "other"), addressees=t.addressees, action=action,
                           deadline=deadline, deadline_text=deadline_text, decision=decision, issuer=issuer,
                           condition=condition_of(raw_action), start=t.start, end=body_end))
    # "Welcomes and takes note of the report", "encourages and urges all businesses to ...": verbs sharing one object
    for i in range(len(out) - 2, -1, -1):
        m, nxt = out[i], out[i + 1]
        if not m.action and re.fullmatch(r"\s*(?:and|et|y|e|и|和|并|及|و)?\s*", text[used[i].aend:used[i + 1].start]):
            m.action = nxt.action
            m.addressees = m.addressees or list(nxt.addressees)
            m.deadline, m.deadline_text = m.deadline or nxt.deadline, m.deadline_text or nxt.deadline_text
    return out
