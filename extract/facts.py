"""Initiative facts stated in the text, for the knowledge graph.

`initiative_facts(doc) -> list[Fact]` reads an annotated document (call
`extract.annotate(doc)` first; it is called here if no block has entities) and returns
`Fact(subject, predicate, object, block_id, start, end, text)` where subject and object are
graph node ids (the entity ids of `extract.annotate`) and `start`/`end` is the sentence
span in the block that states the fact.  Predicates:

| predicate        | subject     | object            | cue (examples)                                            |
|------------------|-------------|-------------------|-----------------------------------------------------------|
| LAUNCHED_BY      | initiative  | actor / country   | "launched in 2011 by", "由韩国林务局于2011年发起", "启动了", "制定了", "推出了" |
| LAUNCHED_IN      | initiative  | date:YYYY         | the year in the launch sentence ("since its inception in 2007") |
| FUNDED_BY        | initiative  | actor             | "funded by", "由全球环境基金资助", "financé par"             |
| PARTNER_OF       | actor       | initiative        | "in cooperation with", "与自然保护联盟合作", "partnership"     |
| ORGANIZED_BY     | initiative  | actor             | "co-organized by", "共同主办"                                |
| PARTICIPATES_IN  | country     | initiative        | "已参与该倡议的国家包括...", "participating countries"        |
| SUPPORTS         | initiative  | actor             | "Enabled by the Changwon Initiative, the UNCCD Secretariat", "在昌原倡议的推动下", "(it) fund(s) and support(s) ... for National Focal Points" |
| ADOPTED_BY       | initiative  | initiative/actor  | "the Forum adopted the Kubuqi Action Plan"                |
| PART_OF          | initiative  | initiative        | vocabulary (`part_of`), e.g. LDN TSP 2.0 is part of the LDN TSP |

An anaphor ("the Initiative", "该倡议", "the Forum", "该方案") stands for the last initiative
of that kind (initiative, forum, programme, plan) named before it in the document; "its",
"它" stand for the last initiative named.  Facts are deduplicated on (subject, predicate, object).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from unkg.model import Document, Entity

PREDICATES = ("LAUNCHED_BY", "LAUNCHED_IN", "FUNDED_BY", "PARTNER_OF", "ORGANIZED_BY", "PARTICIPATES_IN", "SUPPORTS", "ADOPTED_BY", "PART_OF")


@dataclass(frozen=True)
class Fact:
    subject: str
    predicate: str
    object: str
    block_id: str
    start: int
    end: int
    text: str


_SENT = re.compile(r"[^。！？；!?]+?(?:[。！？；!?]|\.(?=\s)|$)", re.S)
LAUNCH_RE = re.compile(r"\b(?:launched|initiated|founded|inception|established|developed|set up)\b|发起|启动|推出|制定了|创立|lancée?s?\b|lanzó|lanzada|запущен\w*|أطلق", re.I)
BY_RE = re.compile(r"\bby\b|由|par\b|por\b", re.I)
FUND_RE = re.compile(r"(?:funded|financed|sponsored)\s+by|由(?P<zh>[^，。；]{1,20}?)资助|financée?s?\s+par|financiad[oa]s?\s+por|финансир\w+", re.I)
PARTNER_RE = re.compile(r"in (?:cooperation|collaboration|partnership) with|partnership with|在(?P<zh2>[^，。；]{1,25}?)的协助下|与(?P<zh>[^，。；]{1,25}?)(?:合作|建立了?合作伙伴关系|建立了?伙伴关系)|en (?:coopération|partenariat) avec|en (?:cooperación|asociación) con", re.I)
ORGANIZE_RE = re.compile(r"(?:co-)?organi[sz]ed by|主办|共同组织|coorganisée?s?\s+par|organisée?s?\s+par|organizad[oa]s?\s+por", re.I)
PARTICIPATE_RE = re.compile(r"participating (?:countries|States)|countries (?:that )?(?:have )?(?:participated|joined|participating)|已参与|参与国|参与了该|pays participants|países participantes", re.I)
SUPPORT_RE = re.compile(r"enabled by|supported by|with the support of|的推动下|在.{0,12}的支持下|avec l['’]appui de|con el apoyo de", re.I)
FUND_SUPPORT_RE = re.compile(r"(?:to )?fund and support|资助和支持|financer et (?:à )?appuyer|financiar y apoyar", re.I)
ADOPT_RE = re.compile(r"\badopted\b|通过了|a adopté|aprobó|приня(?:л|ла|ли)\b", re.I)
PRONOUN_RE = re.compile(r"\bits\b|它")
ANAPHOR_RE = re.compile(r"\b(?:the|this|that|its) (?P<en>Initiative|initiative|Forum|Programme|programme|flagship programme|Action Plan|action plan)\b|(?:该|这一|此)(?P<zh>倡议|方案|旗舰方案|论坛|举措)|\b(?P<its>its) inception|l['’](?P<fr>Initiative)|la (?P<es>Iniciativa)", re.I)
_HEADS = {"initiative": "initiative", "forum": "forum", "programme": "programme", "flagship programme": "programme", "action plan": "plan",
          "倡议": "initiative", "举措": "initiative", "方案": "programme", "旗舰方案": "programme", "论坛": "forum"}


def _head(name: str) -> str:
    n = name.lower()
    for key, head in (("forum", "forum"), ("action plan", "plan"), ("programme", "programme"), ("program", "programme"), ("initiative", "initiative")):
        if key in n:
            return head
    return "initiative"
_PART_OF = {"initiative:ldn-tsp-2": "initiative:ldn-tsp", "initiative:kubuqi-action-plan": "initiative:kubuqi-international-desert-forum"}


def _sentences(text: str):
    for m in _SENT.finditer(text):
        if m.group().strip():
            yield m.start(), m.end()


def initiative_facts(doc: Document) -> list[Fact]:
    """Initiative facts of an annotated document (see module docstring)."""
    if not any(b.entities for b in doc.blocks):
        from . import annotate

        annotate(doc)
    facts: list[Fact] = []
    seen: set[tuple[str, str, str]] = set()
    last_init: Optional[str] = None
    last_by_head: dict[str, str] = {}
    from .vocab import load

    v = load()

    def add(s: str, p: str, o: str, bid: str, st: int, en: int, text: str) -> None:
        if s == o or (s, p, o) in seen:
            return
        seen.add((s, p, o))
        facts.append(Fact(s, p, o, bid, st, en, text[st:en].strip()))

    for b in doc.blocks:
        if not b.entities:
            continue
        text = b.text
        for ss, se in _sentences(text):
            ents = [e for e in b.entities if ss <= e.start and e.end <= se]
            inits = [e for e in ents if e.type == "initiative"]
            agents = [e for e in ents if e.type in ("actor", "country")]
            sent = text[ss:se]
            # the initiative a fact is about: one named in the sentence, else an anaphor's antecedent
            anaphor = ANAPHOR_RE.search(sent)
            antecedent = None
            if anaphor:
                word = (anaphor.group("en") or anaphor.group("zh") or anaphor.group("fr") or anaphor.group("es") or "").lower()
                antecedent = last_by_head.get(_HEADS.get(word, "initiative")) if word else last_init
            if not anaphor and not inits and PRONOUN_RE.search(sent):
                antecedent = last_init
            subject: Optional[str] = inits[0].id if inits else antecedent
            m_ad = ADOPT_RE.search(sent)
            if m_ad and anaphor and anaphor.start() < m_ad.start():
                adopted = [e for e in inits if e.start >= ss + m_ad.end()]
                if adopted and antecedent:
                    add(adopted[0].id, "ADOPTED_BY", antecedent, b.id, ss, se, text)
            for e in inits:
                if e.id in _PART_OF:
                    add(e.id, "PART_OF", _PART_OF[e.id], b.id, ss, se, text)
            if subject:
                _launch(subject, inits, agents, ents, sent, ss, b.id, text, add)
                _funding(subject, inits, agents, sent, ss, b.id, text, add)
                _partners(subject, inits, agents, sent, ss, b.id, text, add)
                _organizers(subject, agents, sent, ss, b.id, text, add)
                if PARTICIPATE_RE.search(sent):
                    for e in agents:
                        if e.type == "country":
                            add(e.id, "PARTICIPATES_IN", subject, b.id, ss, se, text)
                m = FUND_SUPPORT_RE.search(sent)
                if m:
                    for e in agents:
                        if e.type == "actor" and e.start - ss > m.end():
                            add(subject, "SUPPORTS", e.id, b.id, ss, se, text)
                            break
                m = SUPPORT_RE.search(sent)
                if m and inits:
                    for e in agents:
                        if e.type == "actor" and e.start - ss > m.end():
                            add(inits[0].id, "SUPPORTS", e.id, b.id, ss, se, text)
                            break
            for e in inits:
                last_init = e.id
                last_by_head[_head(e.name or v.name(e.id))] = e.id
    return facts


def _launch(subject, inits, agents, ents, sent, ss, bid, text, add) -> None:
    m = LAUNCH_RE.search(sent)
    if not m:
        return
    vpos = ss + m.start()
    after = next((e.id for e in inits if e.start >= vpos), None)
    target = after or subject
    by = BY_RE.search(sent, m.end()) or (BY_RE.search(sent[:m.start()]) if "由" in sent[:m.start()] else None)
    launchers: list[Entity] = []
    if by and (by.group() != "由" or by.start() < m.start()):
        bpos = ss + by.end()
        end = vpos if by.start() < m.start() and by.group() == "由" else ss + len(sent)
        launchers = [e for e in agents if bpos <= e.start < end][:3] if by.group() == "由" else [e for e in agents if e.start >= bpos][:1]
        if by.group() != "由":
            # "launched ... by the Korea Forest Service": the actor right after "by"
            launchers = [e for e in agents if e.start >= bpos and e.start - bpos < 40][:1]
    if not launchers:
        subj_agents = [e for e in agents if e.end <= vpos]
        # "秘书处和全球机制启动了...": the agents just before the verb, joined by 和/and/、
        chain: list[Entity] = []
        for e in reversed(subj_agents):
            gap = text[e.end:(chain[0].start if chain else vpos)]
            if chain and not re.fullmatch(r"\s*(?:和|与|、|,|及|and|et|y)\s*(?:the\s+)?", gap):
                break
            if not chain and len(gap) > 40:
                break
            chain.insert(0, e)
        launchers = chain if after else []
    if not launchers and not re.search(r"inception|launched in|成立于|始于", sent):
        return
    for e in launchers:
        add(target, "LAUNCHED_BY", e.id, bid, ss, ss + len(sent), text)
    years = [e for e in ents if e.type == "date" and abs(e.start - vpos) < 40]
    if years:
        y = min(years, key=lambda e: abs(e.start - vpos)).id[:9]
        add(target, "LAUNCHED_IN", y, bid, ss, ss + len(sent), text)


def _funding(subject, inits, agents, sent, ss, bid, text, add) -> None:
    for m in FUND_RE.finditer(sent):
        if m.groupdict().get("zh"):
            funders = [e for e in agents if ss + m.start("zh") <= e.start and e.end <= ss + m.end("zh")]
        else:
            funders = [e for e in agents if ss + m.end() <= e.start < ss + m.end() + 40][:1]
        target = next((e.id for e in inits if e.start < ss + m.start()), subject)
        for e in funders:
            add(target, "FUNDED_BY", e.id, bid, ss, ss + len(sent), text)


def _partners(subject, inits, agents, sent, ss, bid, text, add) -> None:
    for m in PARTNER_RE.finditer(sent):
        if m.groupdict().get("zh2"):
            partners = [e for e in agents if ss + m.start("zh2") <= e.start and e.end <= ss + m.end("zh2")]
        elif m.groupdict().get("zh"):
            partners = [e for e in agents if ss + m.start() <= e.start and e.end <= ss + m.end()]
            # "全球机制与国际农业发展基金建立了合作伙伴关系": both sides are partners
            before = [e for e in agents if e.end == ss + m.start() or 0 <= ss + m.start() - e.end <= 2]
            partners = before + partners
        else:
            partners = [e for e in agents if ss + m.end() <= e.start < ss + m.end() + 40][:1]
        for e in partners:
            if e.type == "actor":
                add(e.id, "PARTNER_OF", subject, bid, ss, ss + len(sent), text)


def _organizers(subject, agents, sent, ss, bid, text, add) -> None:
    m = ORGANIZE_RE.search(sent)
    if not m:
        return
    for e in agents:
        if e.type == "actor" and e.start >= ss + m.end():
            add(subject, "ORGANIZED_BY", e.id, bid, ss, ss + len(sent), text)
