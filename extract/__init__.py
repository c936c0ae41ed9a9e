"""Extraction: verbs, mandates, actors, targets, initiatives and citations per paragraph.

Public API (stable; the graph and the store read these):

- `annotate(doc) -> Document`: fills, in place, every block's `verb`, `entities`,
  `citations` and `mandates` (see `unkg.model`).  Entity types: actor, country,
  initiative, target, quantity, date, document; entity `id` is a graph node id
  (`actor:global-mechanism`, `country:KOR`, `initiative:changwon-initiative`,
  `sdg:target:15.3`, `target:ldn`, `date:2023-06-02`, `document:HSP/EB.2024/INF/6`,
  `quantity:<block id>:<start>`).  Citation ids: `decision:22/COP.15`,
  `resolution:62/193`, `resolution:HSP/HA.2/Res.5`, `document:...`, `sdg:goal:11`,
  `sdg:target:15.3`, `sdg:indicator:15.3.1`.
- `extract.facts.initiative_facts(doc) -> list[Fact]`: initiative facts (LAUNCHED_BY ...).
- `extract.pipeline.get_nlp(lang)`: the cached spaCy pipeline of a language.
- `extract.vocab.load()`: the vocabulary (names of node ids: `load().name(id)`).
"""

from __future__ import annotations

import re
from typing import Iterator, Optional

from unkg.model import Block, Citation, Document, Entity

from . import mandates as _m
from . import modality as _mod
from .aliases import merge_across_languages
from .deadlines import next_session as _next_session
from .verbs import leading_verb

__all__ = ["annotate", "doc_org", "garbled"]

_ORG_BY_PREFIX = (("ICCD/", "unccd"), ("HSP/", "un-habitat"), ("UNEP/", "unep"), ("FCCC/", "unfccc"), ("A/", "ga"), ("E/", "ga"))
_UNCCD_RE = re.compile(r"UNCCD|Desertification|荒漠化公约|CNULCD|CNULD|КБОООН|لمكافحة التصحر|désertification|Desertificación")
_HABITAT_RE = re.compile(r"UN-Habitat|人居署|ONU-Habitat|ONU-Hábitat|ООН-Хабитат|موئل الأمم المتحدة")
_UNEP_RE = re.compile(r"\bUNEP\b|United Nations Environment Programme|环境署|\bPNUE\b|\bPNUMA\b|ЮНЕП|برنامج الأمم المتحدة للبيئة")
_DECISION_HEAD_RE = re.compile(r"^\s*(?:Decision|Décision|Decisión|Решение|المقرر|第)\s*(\d{1,3})\s*/\s*(COP|CRIC|CST)\s*\.\s*(\d{1,2})")
_RES_HEAD_RE = re.compile(r"^\s*(\d{1,3})/(\d{1,4})\.\s")
_SKIP_ZONES = {"toc"}
MAX_PARAGRAPH_CHARS = 200_000
#: characters of one document that go through extraction; the largest real UN document seen
#: (a 700-page budget section) has about 700,000. Past it the text is kept and indexed, not annotated:
#: extraction output grows with the text (a 10 MB file of "the Parties" gave 500,000 mentions, 1 GB).
MAX_EXTRACT_CHARS = 2_000_000


def doc_org(doc: Document) -> Optional[str]:
    """The organisation whose document this is: unccd, un-habitat, unep, unfccc, ga (or None)."""
    sym = doc.symbol or ""
    if sym.startswith("A/RES") or sym.startswith("E/RES"):
        return "ga"
    for prefix, org in _ORG_BY_PREFIX:
        if sym.startswith(prefix):
            return org
    sample = " ".join(b.text for b in doc.blocks[:80])
    counts = {"unccd": len(_UNCCD_RE.findall(sample)), "un-habitat": len(_HABITAT_RE.findall(sample)), "unep": len(_UNEP_RE.findall(sample))}
    best = max(counts, key=lambda k: counts[k])  # ties keep the order above
    return best if counts[best] else None


_FRAME_RE = re.compile(r"^[\s|:\-=+*#_.~`]+$")


def garbled(text: str) -> bool:
    """Text a broken font map turned into symbols ("('3 ()S% (+%'1"): few letters, many punctuation
    marks, and words mixing both.  Tables rules ("|---|") and numbers are not garbled.

    Runs on every paragraph: the counts are taken by C loops (`map`), and the per-word test is skipped when
    there are too few marks for half the words to hold two (the common case of prose)."""
    chars = "".join(text.split())
    n = len(chars)
    if n < 8 or _FRAME_RE.match(text):
        return False
    if chars.isascii():
        # ASCII (most paragraphs): bytes.translate deletes the letters / digits in one C pass
        raw = chars.encode("ascii")
        letters = n - len(raw.translate(None, _ASCII_LETTERS))
        digits = n - len(raw.translate(None, _ASCII_DIGITS))
    else:
        letters = sum(map(str.isalpha, chars))
        digits = sum(map(str.isdigit, chars))
    other = n - letters - digits
    if other / n > 0.35 and letters / n < 0.6 and digits / n < 0.4:
        return True
    words = text.split()
    if other <= len(words):  # a mixed word holds >= 2 marks: at most other/2 <= half the words can be mixed
        return False
    if len(_HAN_CHAR_RE.findall(chars)) > n * 0.2:
        return False  # Chinese is written without spaces: its "words" are whole clauses with their punctuation
    mixed = sum(1 for w in words if sum(1 for c in w if not c.isalnum()) >= 2 and any(c.isalpha() for c in w)
                and not _NOT_MIXED_RE.match(w))
    return len(words) >= 4 and mixed / len(words) > 0.5


_ASCII_LETTERS = bytes(range(65, 91)) + bytes(range(97, 123))  # what str.isalpha accepts in ASCII
_ASCII_DIGITS = b"0123456789"  # what str.isdigit accepts in ASCII
_HAN_CHAR_RE = re.compile(r"[\u3400-\u9fff]")
_NOT_MIXED_RE = re.compile(r"^(?:https?://|www\.|[\w.+-]+@)|^[A-Z]{1,6}/[\w./()-]+$|^\(?[a-z]\)[,;.]?$")


def _doc_decision(doc: Document) -> Optional[str]:
    m = re.match(r"^A/RES/(\d+)/(\d+)$", doc.symbol or "")
    if m:
        return f"resolution:{int(m.group(1))}/{int(m.group(2))}"
    if doc.symbol and "/RES" in doc.symbol.upper():
        return f"resolution:{doc.symbol}"
    return None


def _lang(b: Block, doc: Document) -> str:
    return b.language or doc.language or "en"


def annotate(doc: Document) -> Document:
    """Fill each block's annotations in place and return the document."""
    from .pipeline import SPANS_GAZ
    from .vocab import load

    v = load()
    org = doc_org(doc)
    ctx = _m.Context(org=org, doc_decision=_doc_decision(doc))
    doc_session = _mod.symbol_session(doc.symbol)
    speaker: Optional[str] = None
    prev_subject: list[str] = []
    recent: dict[str, str] = {}
    blocks = [b for b in doc.blocks]
    todo: list[int] = []
    budget, skipped = MAX_EXTRACT_CHARS, 0
    garbled_ids: list[str] = []
    for i, b in enumerate(blocks):
        vb = leading_verb(b.text, b.kind, b.level, b.language)
        b.verb = vb.printed if vb else None
        b.entities, b.citations, b.mandates = [], [], []
        if b.zone in _SKIP_ZONES or not b.text.strip():
            continue
        if b.zone == "garbled" or b.kind in ("text", "operative", "preambular", "heading") and garbled(b.text):
            # unreadable characters (a broken font map): kept as text in the zone "garbled", which search and the
            # graph leave out, and never read for entities or mandates
            b.zone = "garbled"
            garbled_ids.append(b.id)
            continue
        if len(b.text) > MAX_PARAGRAPH_CHARS:
            # no real paragraph is this long (a file without breaks): keep the text, skip the extraction
            doc.warnings.append(f"paragraph {b.id} has {len(b.text)} characters; extraction skipped above {MAX_PARAGRAPH_CHARS}")
            continue
        budget -= len(b.text)
        if budget < 0:
            skipped += 1
            continue
        todo.append(i)
    if garbled_ids:
        shown = ", ".join(garbled_ids[:10]) + (" ..." if len(garbled_ids) > 10 else "")
        doc.warnings = [w for w in doc.warnings if not w.startswith("garbled text:")]
        doc.warnings.append(f"garbled text: {len(garbled_ids)} paragraph(s) unreadable (a broken font map), kept but not "
                            f"extracted or indexed: {shown}")
    if skipped:
        doc.warnings.append(f"extraction stopped after {MAX_EXTRACT_CHARS} characters: the last {skipped} paragraph(s) "
                            "are stored and searchable but not annotated")
    sdocs = _analyses(blocks, todo, doc)
    self_symbol = f"document:{doc.symbol}" if doc.symbol else None
    for i, sd in sdocs:
        b = blocks[i]
        lang = _lang(b, doc)
        text = b.text
        actors: list[_m.Actor] = []
        for sp in sd.spans[SPANS_GAZ]:
            eid = sp.id_
            typ = sp.label_
            if typ == "ignore":
                continue
            if eid == "@secretariat" and org == "ga":
                # a General Assembly text: "the Secretariat" is the United Nations Secretariat; a lower-case
                # "secretariat" is a convention's ("the secretariat and the Global Mechanism of the Convention")
                eid = "actor:un-secretariat" if lang in ("zh", "ar") or text[sp.start_char:sp.start_char + 1].isupper() \
                    else v.resolve_relative(eid, None, recent)
            elif eid.startswith("@"):
                eid = v.resolve_relative(eid, org, recent)
            else:
                kind = v.kinds.get(eid)
                if kind:
                    recent[kind] = eid
            s, e = sp.start_char, sp.end_char
            b.entities.append(Entity(type=typ, text=text[s:e], start=s, end=e, id=eid, name=v.name(eid)))
            if typ == "actor":
                actors.append(_m.Actor(s, e, eid, v.kinds.get(eid)))
        orgs = sd.user_data.get("unkg_orgs", [])
        if orgs:
            mask = bytearray(len(text) + 1)
            for e in b.entities:
                if e.type != "country":
                    mask[e.start:e.end] = b"\x01" * (e.end - e.start)
        for f in orgs:
            if any(mask[f.start:f.end]):
                inner = [e for e in b.entities if e.type in ("target", "initiative") and f.start <= e.start and e.end <= f.end and (e.end - e.start) < (f.end - f.start)]
                covered = [e for e in b.entities if e.type != "country" and e.start < f.end and f.start < e.end]
                if f.kind != "initiative" or not inner or len(inner) != len(covered):
                    continue
                # "Land Degradation Neutrality Fund": the named fund, not a mention of the target inside its name
                b.entities = [e for e in b.entities if e not in inner]
            b.entities.append(Entity(type=f.kind, text=f.text, start=f.start, end=f.end, id=f.id, name=v.names.get(f.id, f.text)))
            if f.kind == "actor":
                actors.append(_m.Actor(f.start, f.end, f.id, None))
        actors.sort(key=lambda a: a.start)
        cites: list[_m.Cite] = []
        for f in sd.user_data.get("unkg_citations", []):
            if f.id == self_symbol:
                continue
            b.citations.append(Citation(type=f.kind, id=f.id, text=f.text, start=f.start, end=f.end))
            cites.append(_m.Cite(f.start, f.end, f.id, f.kind))
            if f.kind.startswith("sdg_"):
                b.entities.append(Entity(type="target", text=f.text, start=f.start, end=f.end, id=f.id, name=v.name(f.id) if f.kind == "sdg_goal" else f.id.split(":", 1)[1]))
            elif f.kind == "document":
                b.entities.append(Entity(type="document", text=f.text, start=f.start, end=f.end, id=f.id, name=f.id.split(":", 1)[1]))
        for f in sd.user_data.get("unkg_quantities", []):
            b.entities.append(Entity(type="quantity", text=f.text, start=f.start, end=f.end, id=f"quantity:{b.id}:{f.start}",
                                     name=f.text, value=f.value, unit=f.unit, qualifier=(f.qualifier or None) and f.qualifier.lower(), value_max=f.value_max))
        for f in sd.user_data.get("unkg_dates", []):
            b.entities.append(Entity(type="date", text=f.text, start=f.start, end=f.end, id=f.id, name=f.id.split(":", 1)[1]))
        b.entities.sort(key=lambda e: (e.start, e.end))
        # document-level context for mandates
        if b.kind in ("title", "heading") or (len(text) < 40 and b.kind == "text"):
            m = _DECISION_HEAD_RE.match(text) if len(text) < 40 or b.kind != "text" else None
            if m:
                ctx.doc_decision = f"decision:{int(m.group(1))}/{m.group(2)}.{int(m.group(3))}"
            m = _RES_HEAD_RE.match(text)
            if m and not ctx.doc_decision:
                ctx.doc_decision = f"resolution:{int(m.group(1))}/{int(m.group(2))}"
        if b.kind in ("preambular", "text") and len(text) < 80 and text.rstrip().endswith((",", "，", "،")) and actors:
            ctx.issuer = actors[0].id
        if b.kind in ("operative", "text"):
            leading = None
            if b.kind == "operative" and b.verb:
                vb = leading_verb(text, b.kind, b.level, b.language)
                pos = text.find(b.verb)
                if vb is not None and pos >= 0:
                    leading = (pos, b.verb, vb.en)
            b.mandates = _m.block_mandates(text, lang, b.kind, actors, cites, leading, ctx, v.kinds)
            if b.kind == "text":
                speaker = _mod.speaker_of(text, lang) or speaker
                extra = _modal_mandates(text, lang, actors, speaker, prev_subject, b.mandates, ctx, v.kinds) + _noun_requests(text, lang, actors, cites, b.mandates)
                if extra:
                    # "should be encouraged to": one recommendation, not also a passive request
                    b.mandates = [m for m in b.mandates if not _after_modal(text, m, extra)]
                    b.mandates = sorted(b.mandates + extra, key=lambda m: m.start or 0)
            _complete(b.mandates, text, lang, b.kind, org, ctx, doc_session, v.kinds)
            subj = [m.addressees for m in b.mandates if m.modality in ("recommendation", "obligation", "permission", "request") and m.addressees]
            if subj:
                prev_subject = subj[-1]
        for c in cites:
            if c.type == "decision":
                ctx.last_decision = c.id
            elif c.type == "resolution":
                ctx.last_resolution = c.id
    _inherit_chapeaux(blocks, v.kinds, org)
    merge_across_languages(doc, {i for i, t in v.types.items() if t == "initiative"})
    return doc


def _noun_requests(text: str, lang: str, actors, cites, existing) -> list:
    """Requests told by their noun ("In response to the request of the Governing Council in its resolution 24/3,
    the Executive Director ...", "应缔约方会议的要求，秘书处 ..."): reported_request, with requester and decision."""
    from unkg.model import Mandate

    out = []
    for start, vend, verb, ad, requester, decision in _mod.request_noun_clauses(text, lang, actors, cites):
        if any((m.start or 0) <= start < (m.end or 0) for m in existing):
            continue
        end = text.find(".", vend) if lang != "zh" else text.find("。", vend)
        end = end if end >= 0 else len(text)
        out.append(Mandate(verb=verb or "request", verb_en="request", force="requests", addressees=ad, action=_m._clean_action(text[vend:end], lang),
                           decision=decision, issuer=requester, requester=requester, start=start, end=end, modality="reported_request"))
    return out


def _after_modal(text: str, m, extra: list) -> bool:
    """A passive verb right after a modal clause's "should be" ("should be encouraged to")."""
    vp = text.find(m.verb, m.start or 0)
    for x in extra:
        if x.start is None or x.modality not in ("recommendation", "obligation"):
            continue
        xe = text.find(x.verb, x.start) + len(x.verb)
        if 0 <= xe <= vp and re.fullmatch(r"\s+(?:also\s+|further\s+)?be\s+", text[xe:vp]):
            return True
    return False


def _modal_mandates(text: str, lang: str, actors, speaker, prev_subject, existing, ctx, kinds) -> list:
    """Modal clauses ("Parties may ...", "缔约方应 ...", "We will ...") not already read as verb mandates."""
    from unkg.model import Mandate

    taken = []
    for m in existing:
        vp = text.find(m.verb, m.start or 0) if m.verb else -1
        vp = vp if vp >= 0 else (m.start or 0)
        taken.append((vp, vp + len(m.verb or "")))
    out = []
    clauses = _mod.modal_clauses(text, lang, actors, speaker, prev_subject)
    sent_end = re.compile(r"[.。!?！？;；](?:\s|$)")
    for i, c in enumerate(clauses):
        if any(a <= c.vend and c.start <= b for a, b in taken):
            continue
        nxt = clauses[i + 1].start if i + 1 < len(clauses) else len(text)
        m = sent_end.search(text, c.aend)
        end = min(nxt, m.start() if m else len(text))
        raw = text[c.aend:end]
        deadline, deadline_text = _m.find_deadline(raw, lang, None)
        out.append(Mandate(verb=c.printed, verb_en=c.modality, force=c.modality, addressees=c.addressees,
                           action=_m._clean_action(raw, lang), deadline=deadline, deadline_text=deadline_text,
                           condition=_m.condition_of(raw), start=c.start, end=end, modality=c.modality))
    return out


def _complete(ms: list, text: str, lang: str, kind: str, org: Optional[str], ctx, doc_session: Optional[str], kinds: dict) -> None:
    """Modality, session, requester and generic addressees of a block's mandates."""
    for m in ms:
        if m.modality is None:
            # told in a report: the request cites its decision, is in the past tense, or names a governing body as its author
            vpos = text.find(m.verb, m.start or 0) if m.verb else (m.start or 0)
            passive_now = re.search(r"(?:\b(?:are|is|be|sont|est|son|es)|[بت]ُ?)\s*(?:also\s+|également\s+|aussi\s+)?$", text[:vpos if vpos >= 0 else (m.start or 0)])
            past = re.search(r"(?:ed|é|ée|és|ées|ó|ло|ли|ла)$", m.verb) and not passive_now
            reported = kind != "operative" and bool(m.decision or past
                                                      or kinds.get(m.issuer or "") in _mod.GOVERNING_KINDS)
            m.modality = _mod.modality_of(m.verb_en, reported=reported)
        if m.session is None:
            m.session = _mod.decision_session(m.decision, org) or (doc_session if kind == "operative" or m.modality == "commitment" else None)
        if m.requester is None:
            m.requester = m.issuer
        if m.deadline == "session.next":
            # "at its next session": the session after the mandate's own (or the document's)
            m.deadline = _next_session(m.session or doc_session)
        if m.deadline and doc_session and m.deadline.split(".")[0] in ("HA", "GA", "EA") and m.deadline.split(".")[0] != doc_session.split(".")[0] \
                and re.search(r"(?<!General )(?<!Habitat )(?<!Environment )\bAssembly\b", m.deadline_text or "") \
                and not re.search(r"Habitat|Environment|General", m.deadline_text or ""):
            # "the seventy-fifth session of the Assembly" in a General Assembly text is the General Assembly's
            m.deadline = doc_session.split(".")[0] + "." + m.deadline.split(".", 1)[1]
        if m.deadline and m.deadline.startswith("session.") and doc_session:
            m.deadline = doc_session.split(".")[0] + "." + m.deadline.split(".", 1)[1]
        if not m.addressees and m.modality in ("request", "recommendation", "reported_request") and m.start is not None \
                and m.force != m.modality:  # a modal clause without a named subject asks no one named
            pos = m.start + len(m.verb)
            ext = re.match(r"\s+(?:upon|on|that)\b", text[pos:pos + 8])
            if ext:
                pos += ext.end()
            g = _mod.generic_addressee(text, pos, lang)
            if g:
                # "developed countries party to the Convention and other relevant stakeholders"
                m.addressees, gend = _m.generic_tail(text, g[1], [g[0]])
                if m.end and gend < m.end and m.action and text[gend:m.end].strip():
                    m.action = _m._clean_action(text[gend:m.end], lang)  # the action starts after the addressees


def _analyses(blocks: list[Block], todo: list[int], doc: Document) -> Iterator[tuple[int, object]]:
    """spaCy analyses of the blocks `todo`, in document order, a window at a time.

    Why a window: holding every analysis of a long file at once took about 400 kB
    per 5,000-character paragraph (a 10 MB file: over 1 GB). Within a window the
    blocks go through one `nlp.pipe` per language; identical texts (running
    heads, the pieces of a split repeated line) are analysed once, and the last
    window's analyses are kept to serve repeats across windows.
    """
    from .pipeline import get_nlp

    seen: dict[tuple[str, str], object] = {}
    for w in range(0, len(todo), _WINDOW):
        window = todo[w:w + _WINDOW]
        new: dict[str, list[str]] = {}
        for i in window:
            key = (_lang(blocks[i], doc), blocks[i].text)
            if key not in seen:
                seen[key] = None
                new.setdefault(key[0], []).append(key[1])
        for lang, texts in new.items():
            for text, sd in zip(texts, get_nlp(lang).pipe(texts, batch_size=64)):
                seen[(lang, text)] = sd
        for i in window:
            yield i, seen[(_lang(blocks[i], doc), blocks[i].text)]
        if len(seen) > _WINDOW:
            seen = {k: seen[k] for k in {(_lang(blocks[i], doc), blocks[i].text) for i in window}}


_WINDOW = 128

_CHAPEAU_END = (":", "：", ":")


def _inherit_chapeaux(blocks: list[Block], kinds: dict[str, str], org: Optional[str] = None) -> None:
    children: dict[str, list[Block]] = {}
    for b in blocks:
        if b.parent:
            children.setdefault(b.parent, []).append(b)
    for b in blocks:
        if not b.mandates or not b.text.rstrip().endswith(_CHAPEAU_END):
            continue
        kids = [k for k in children.get(b.id, []) if k.kind in ("operative", "text") and k.level > b.level]
        if not kids:
            continue
        # every clause of the chapeau governs the sub-paragraphs ("encourages X, and invites Y:")
        heads, b.mandates = b.mandates, []
        for k in kids:
            own = [m for m in k.mandates if (m.start or 0) > 0]
            lang = k.language or "en"
            action = _m._clean_action(k.text, lang)
            inherited = []
            for head in heads:
                deadline, deadline_text = _m.find_deadline(k.text, lang, kinds.get(head.issuer or "") or ("cop" if org == "unccd" else None))
                if deadline == "session.next":
                    deadline = _next_session(head.session)
                inherited.append(head.model_copy(update={
                    "action": action, "start": 0, "end": len(k.text), "chapeau": b.id,
                    "deadline": deadline or head.deadline, "deadline_text": deadline_text or head.deadline_text,
                    "condition": head.condition or _m.condition_of(k.text),
                }))
            k.mandates = inherited + own
