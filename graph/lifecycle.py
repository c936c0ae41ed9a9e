"""What became of a mandate: open, reported on, implemented, superseded or elapsed, with its evidence.

Computed from the corpus, precision before recall: a status other than "open" names the rule that
gave it and the paragraphs (or the deadline) it rests on; without evidence a mandate stays open.

Rules, in order (docs/mandate-status.md says the same for people):

- ``superseded``: a paragraph of another document cites the mandate's decision and says it replaces,
  supersedes, discontinues or revokes it.
- ``reported on``: a document responds to the decision (one of its paragraphs cites the decision with
  a response cue: "in response to", "pursuant to", "为响应", "conformément à" ...) and, in it, a
  paragraph outside the quoted mandates names the mandate's addressee (or lies in a section whose
  heading does) and shares enough of the mandate's action words. Those paragraphs are the evidence.
- ``implemented``: as "reported on", and an evidence paragraph says the work was completed
  ("has been completed", "已完成", "a été achevé" ...).
- ``elapsed``: the deadline is a date before the as-of date and there is no evidence.
- ``open``: everything else.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
import unicodedata
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any, Iterable, Optional

from unkg.corpus.identifiers import normalize_decision
from unkg.corpus.store import Store
from unkg.model import Block, Document

#: documents whose paragraphs and word weights one status computation keeps at hand
DOC_CACHE = 256

STATUSES = ("open", "reported on", "implemented", "superseded", "elapsed")

RESPONSE_CUES = re.compile(
    r"in response to|pursuant to|in accordance with (?:the )?(?:request|decision)|as requested (?:in|by)|"
    r"in (?:follow-up|follow up) to|responds? to (?:the )?(?:request|decision)|report(?:s|ed)? on (?:the )?(?:implementation|progress)|"
    r"en réponse à|conformément à|comme suite à|en application de|"
    r"en respuesta a|de conformidad con|en cumplimiento de|atendiendo a|"
    r"во исполнение|в ответ на|в соответствии с|"
    r"为响应|响应|根据|按照|依照|应[^。；]{0,30}要求|执行情况|"
    r"استجابة|عملا ب|وفقا ل|تنفيذا ل",
    re.I,
)
SUPERSEDE_CUES = re.compile(
    r"\bsupersed|\breplaces?\b|\brevok|\brescind|\bdiscontinu|\bterminat|"
    r"\bremplace\b|\babroge|\bmet fin\b|\bsustituye|\breemplaza|\bderoga|"
    r"заменяет|отменяет|прекращает|取代|替代|废止|终止|يحل محل|يلغي",
    re.I,
)
DONE_CUES = re.compile(
    r"\bha(?:s|ve) (?:been )?(?:completed|finali[sz]ed|established|launched|adopted|published|delivered)|"
    r"\bw(?:as|ere) (?:completed|finali[sz]ed|delivered)|"
    r"a été (?:achevée?|lancée?|créée?|publiée?|établie?)|ont été achevé|"
    r"se ha completado|ha sido (?:establecid|lanzad|publicad)|se complet|"
    r"был[аио]? (?:завершен|создан|запущен|опубликован)|"
    r"已完成|已经完成|已建立|已启动|已发布|已设立|已经建立|"
    r"تم (?:إنجاز|إنشاء|إطلاق|نشر)|اكتمل",
    re.I,
)

REPORT_WORDS = re.compile(r"\breport|\brapport|\binforme\b|доклад|отчет|报告|تقرير", re.I)

#: evidence needs this share of the action's words (weighted by rarity in the report), and at least MIN_SHARED of them
MIN_SHARE = 0.05
MIN_SHARED = 3
MAX_EVIDENCE = 3

_STOP = frozenset("""the and for with that this from into their its are was were has have been being which such all any other
also including include within upon under about over more than those these them they will shall should could would may
les des une dans pour avec sur par qui que aux est sont ses leur leurs del las los una por con para como sus que""".split())
_WORD = re.compile(r"[^\W\d_]{4,}", re.U)
_CJK = re.compile(r"[\u3400-\u9fff]+")


def action_terms(text: str) -> set[str]:
    """Distinct content words of a text: words of 4+ letters (not stop words), and character pairs of CJK runs."""
    t = unicodedata.normalize("NFKC", text or "").lower()
    terms = {w for w in _WORD.findall(_CJK.sub(" ", t)) if w not in _STOP}
    for run in _CJK.findall(t):
        terms.update(run[i : i + 2] for i in range(len(run) - 1))
    return terms


@dataclass
class Evidence:
    paragraph_id: str
    document_id: str
    symbol: Optional[str]
    citation: str
    text: str
    score: float

    def as_dict(self) -> dict[str, Any]:
        text = self.text if len(self.text) <= 300 else self.text[:299] + "…"
        return {"paragraph_id": self.paragraph_id, "document_id": self.document_id, "symbol": self.symbol,
                "citation": self.citation, "text": text, "score": round(self.score, 3)}


@dataclass
class Status:
    status: str = "open"
    rule: str = "no evidence"
    evidence: list[Evidence] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"status": self.status, "status_rule": self.rule, "evidence": [e.as_dict() for e in self.evidence]}


@dataclass
class _Doc:
    doc: Document
    cites: dict[str, str]
    section: dict[str, Optional[Block]]  # block id -> its section heading
    terms: dict[str, set[str]]  # block id -> its action_terms
    body_from: int  # ord of the first numbered paragraph: what comes before is front matter (summary, contents)
    idf: dict[str, float]  # term -> log(N / document frequency) over the document's paragraphs

    def weight(self, terms: Iterable[str]) -> float:
        return sum(self.idf.get(t, self.idf_unseen) for t in terms)

    @property
    def idf_unseen(self) -> float:
        return math.log(1 + len(self.terms))


class Lifecycle:
    """The statuses of mandates over one store, for one call of `find_mandates`.

    With the store's mandate indexes (`tables`, graph.mandate_index) the citations of a decision are
    read when a mandate of that decision is asked about; without them every citing paragraph is
    read once, here."""

    def __init__(self, store: Store, as_of: Optional[dt.date] = None, tables: Any = None) -> None:
        self.store = store
        self.as_of = as_of or dt.date.today()
        self.tables = tables
        self._docs: OrderedDict[str, _Doc] = OrderedDict()  # the last DOC_CACHE documents read (memory stays bounded)
        self._responders: dict[str, set[str]] = {}  # decision id -> documents responding to it
        self._responses: dict[tuple[str, str], str] = {}  # (decision, document) -> the paragraph saying it responds
        self._superseders: dict[str, list[tuple[str, str]]] = {}  # decision id -> (document, block) saying it is replaced
        self._read: set[str] = set()  # decisions whose citations are read (all of them when there is no index)
        if tables is None:
            for row in store.citing_blocks():
                text = row["text"] or ""
                for dec in _cited_decisions(row["annotations"]):
                    self._note(dec, row["doc_id"], row["id"], bool(RESPONSE_CUES.search(text)), bool(SUPERSEDE_CUES.search(text)))

    def _note(self, dec: str, doc_id: str, block_id: str, response: bool, supersede: bool) -> None:
        if response:
            self._responders.setdefault(dec, set()).add(doc_id)
            self._responses.setdefault((dec, doc_id), block_id)
        if supersede:
            self._superseders.setdefault(dec, []).append((doc_id, block_id))

    def _cues(self, dec: str) -> None:
        if self.tables is not None and dec not in self._read:
            self._read.add(dec)
            for doc_id, block_id, response, supersede in self.tables.cues(dec):
                self._note(dec, doc_id, block_id, bool(response), bool(supersede))

    def responders(self, dec: str) -> set[str]:
        """Documents with a paragraph citing the decision with a response cue."""
        self._cues(dec)
        return self._responders.get(dec, set())

    def superseders(self, dec: str) -> list[tuple[str, str]]:
        """(document, paragraph) citing the decision with a supersede cue, by document and order."""
        self._cues(dec)
        return self._superseders.get(dec, [])

    def response(self, dec: str, doc_id: str) -> Optional[str]:
        """The first paragraph of a document citing the decision with a response cue."""
        self._cues(dec)
        return self._responses.get((dec, doc_id))

    def _doc(self, doc_id: str) -> Optional[_Doc]:
        if doc_id not in self._docs:
            doc = self.store.document(doc_id)
            if doc is None:
                return None
            section: dict[str, Optional[Block]] = {}
            current: Optional[Block] = None
            for b in sorted(doc.blocks, key=lambda x: x.ord):
                if b.kind == "heading":
                    current = b
                section[b.id] = current
            terms = {b.id: action_terms(b.text) for b in doc.blocks}
            df: dict[str, int] = {}
            for ts in terms.values():
                for t in ts:
                    df[t] = df.get(t, 0) + 1
            n = len(terms)
            idf = {t: math.log((1 + n) / c) for t, c in df.items()}
            body_from = min((b.ord for b in doc.blocks if b.label and _NUMBERED.match(b.label)), default=0)
            self._docs[doc_id] = _Doc(doc, self.store.citations(doc_id), section, terms, body_from, idf)
            if len(self._docs) > DOC_CACHE:
                self._docs.popitem(last=False)
        self._docs.move_to_end(doc_id)
        return self._docs[doc_id]

    def status(self, mandate: dict[str, Any]) -> Status:
        """The status of one mandate record of `find_mandates` (decision, addressees, action, deadline, paragraph_id)."""
        return self.found(mandate) or self.undocumented(mandate)

    def found(self, mandate: dict[str, Any]) -> Optional[Status]:
        """The status the corpus gives evidence for (superseded, reported on, implemented), or None.

        It does not depend on the day asked, so the store's mandate indexes keep it per mandate
        (graph.mandate_index)."""
        dec = mandate.get("decision")
        own_doc = mandate.get("document_id")
        if dec:
            for doc_id, block_id in self.superseders(dec):
                if doc_id == own_doc:
                    continue
                d = self._doc(doc_id)
                if d is None:
                    continue
                b = next((x for x in d.doc.blocks if x.id == block_id), None)
                if b is not None:
                    return Status("superseded", "a later paragraph cites the decision and replaces or ends it",
                                  [Evidence(b.id, doc_id, d.doc.symbol, d.cites.get(b.id) or b.id, b.text, 1.0)])
            evidence = self._evidence(mandate, dec)
            if not evidence and REPORT_WORDS.search(mandate.get("action") or ""):
                evidence = self._report_itself(mandate, dec)
                if evidence:
                    return Status("reported on", "the report the mandate asks for responds to the decision", evidence)
            if evidence:
                if any(DONE_CUES.search(e.text) for e in evidence):
                    return Status("implemented", "a report responding to the decision says the work was completed", evidence)
                return Status("reported on", "a report responding to the decision describes work on this mandate", evidence)
        return None

    def undocumented(self, mandate: dict[str, Any]) -> Status:
        """The status of a mandate without evidence: elapsed when its deadline passed before the as-of day, else open."""
        deadline = _deadline_date(mandate.get("deadline"))
        if deadline is not None and deadline < self.as_of:
            return Status("elapsed", f"the deadline {mandate.get('deadline')} passed with no evidence", [])
        return Status()

    def _report_itself(self, mandate: dict[str, Any], dec: str) -> list[Evidence]:
        """A request to report is met by a document that says it responds to the decision: its response paragraph."""
        out = []
        for doc_id in sorted(self.responders(dec)):
            d = self._doc(doc_id)
            block_id = self.response(dec, doc_id)
            b = next((x for x in d.doc.blocks if x.id == block_id), None) if d else None
            if b is not None and b.id != mandate.get("paragraph_id"):
                out.append(Evidence(b.id, doc_id, d.doc.symbol, d.cites.get(b.id) or b.id, b.text, 1.0))
        return out[:MAX_EVIDENCE]

    def _evidence(self, mandate: dict[str, Any], dec: str) -> list[Evidence]:
        terms = action_terms(mandate.get("action") or "")
        if len(terms) < MIN_SHARED:
            return []
        addressees = set(mandate.get("addressees") or [])
        found: list[Evidence] = []
        for doc_id in sorted(self.responders(dec)):
            d = self._doc(doc_id)
            if d is None:
                continue
            # a report quotes the decision's requests first, then tells what was done: evidence comes after the quotes
            quoted_until = max((b.ord for b in d.doc.blocks
                                if any(normalize_decision(m.decision or "") == dec for m in b.mandates)), default=-1)
            for b in d.doc.blocks:
                if b.ord <= quoted_until:
                    continue
                if b.id == mandate.get("paragraph_id") or b.kind in ("heading", "title", "table", "footnote") or b.ord < d.body_from:
                    continue
                if any(normalize_decision(m.decision or "") == dec for m in b.mandates) or any(c.id == dec for c in b.citations):
                    continue  # the quoted mandates, and text about the decision itself, are not evidence of work done
                head = d.section.get(b.id)
                named = {e.id for e in b.entities} | ({e.id for e in head.entities} if head is not None else set())
                if addressees and not addressees & named:
                    continue
                shared = terms & d.terms[b.id]
                # rare words count more: "diaspora investment" says more than "sustainable land"
                share = d.weight(shared) / max(d.weight(terms), 1e-9)
                if len(shared) >= MIN_SHARED and share >= MIN_SHARE:
                    found.append(Evidence(b.id, doc_id, d.doc.symbol, d.cites.get(b.id) or b.id, b.text, share))
        found.sort(key=lambda e: (-e.score, e.paragraph_id))
        return found[:MAX_EVIDENCE]


def _cited_decisions(annotations: str) -> Iterable[str]:
    for c in json.loads(annotations or "{}").get("citations", []):
        if c.get("id") and str(c["id"]).startswith(("decision:", "resolution:")):
            yield str(c["id"])


_NUMBERED = re.compile(r"^\d{1,3}\.?$")
_DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")


def deadline_end(deadline: Optional[str]) -> Optional[str]:
    """The last day a deadline allows as an ISO date (what the mandate index keeps), None if it is no date."""
    try:
        day = _deadline_date(deadline)
    except ValueError:  # "2026-02-30": the status computation says so when it is asked
        return None
    return day.isoformat() if day else None


def _deadline_date(deadline: Optional[str]) -> Optional[dt.date]:
    """The last day a deadline allows: "2026-06-30" -> that day, "2026-06" -> 30 June, "2030" -> 31 December."""
    m = _DATE.match((deadline or "").strip())
    if not m:
        return None
    y, mo, d = int(m.group(1)), int(m.group(2) or 12), m.group(3)
    if d:
        return dt.date(y, mo, int(d))
    nxt = dt.date(y + (mo == 12), mo % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)
