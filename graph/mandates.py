"""The one mandate query: every entry point (CLI, HTTP API, web page, CSV) lists mandates through here.

Mandates are read from the store (the source of truth the graph is built from),
so the answer does not depend on whether the graph was rebuilt. Filters are
normalized once (`MandateFilter.of`): "COP 15", "COP.15" and "cop15" are one
session, "22/COP.15" and "decision:22/COP.15" one decision, "80/251" and
"A/RES/80/251" one resolution.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from dataclasses import asdict, dataclass
from typing import Any, Iterator, Optional

from unkg.corpus.citation import is_bullet, para_label
from unkg.corpus.identifiers import mandate_session, normalize_decision, session_matches
from unkg.corpus.store import Store
from unkg.errors import UnkgError

from .lifecycle import STATUSES, Lifecycle
from .mandate_index import IndexUnavailable, refresh
from .schema import mandate_node_id, sort_key_decision

RTL = {"ar", "he", "fa", "ur"}


def text_dir(lang: Optional[str]) -> str:
    return "rtl" if (lang or "").split("-")[0] in RTL else "ltr"


def _norm(s: str) -> str:
    s = unicodedata.normalize("NFKC", s or "").lower()
    return re.sub(r"[\s\-_:]+", " ", s).strip()


def actor_name(actor_id: str, names: dict[str, str]) -> str:
    """The entity's name where the store knows one, else a readable form of its id."""
    if actor_id in names:
        return names[actor_id]
    base = actor_id.split(":", 1)[-1].replace("-", " ").replace("_", " ").strip()
    return base[:1].upper() + base[1:] if base else actor_id


@dataclass(frozen=True)
class MandateFilter:
    """What a user asks for, normalized once. Empty fields do not filter."""

    addressee: str = ""
    decision: str = ""  # normalized id ("decision:22/COP.15", "resolution:80/251") or the raw text if none
    session: str = ""  # as typed; compared with session_matches
    verb: str = ""
    language: str = ""
    document: str = ""
    status: str = ""

    @classmethod
    def of(cls, addressee: Optional[str] = None, decision: Optional[str] = None, session: Optional[str] = None,
           verb: Optional[str] = None, language: Optional[str] = None, document: Optional[str] = None,
           status: Optional[str] = None) -> "MandateFilter":
        dec = (decision or "").strip()
        return cls(addressee=_norm(addressee or ""), decision=(normalize_decision(dec) or dec) if dec else "",
                   session=(session or "").strip(), verb=(verb or "").strip().lower(),
                   language=(language or "").strip().lower(), document=(document or "").strip(),
                   status=(status or "").strip().lower().replace("_", " "))

    def as_dict(self) -> dict[str, Optional[str]]:
        return {k: (v or None) for k, v in asdict(self).items()}

    def verb_ok(self, m: dict) -> bool:
        if not self.verb:
            return True
        forms = {str(m.get(k) or "").lower() for k in ("verb", "verb_en", "force")} - {""}
        v = self.verb
        return v in forms or any(f.startswith(v) or v.startswith(f) for f in forms if len(f) > 2)


def find_mandates(store: Store, flt: Optional[MandateFilter] = None, limit: int = 5000,
                  as_of: Optional[dt.date] = None) -> list[dict[str, Any]]:
    """Mandates matching the filter, each with its decision, session, citation, addressees, verb, action, deadline,
    and its status with the rule and the evidence that gave it (graph.lifecycle).

    The mandates are found through the store's mandate indexes (graph.mandate_index, brought up to date
    first), read in answer order, so a question reads the paragraphs of the mandates it returns and
    computes the status of those only; a store that cannot be written is scanned whole instead."""
    flt = flt or MandateFilter()
    if flt.status and flt.status not in STATUSES:
        raise UnkgError(f"unknown status {flt.status!r}; one of: {', '.join(STATUSES)}")

    try:
        tables = refresh(store)
    except IndexUnavailable:
        tables = None
    life = Lifecycle(store, as_of=as_of, tables=tables)
    out: list[dict[str, Any]] = []
    for rec in (_scanned(store, flt) if tables is None else _indexed(store, tables, flt, life)):
        if "status" not in rec:
            rec.update(life.status(rec).as_dict())
        if flt.status and rec["status"] != flt.status:
            continue
        out.append(rec)
        if len(out) >= limit:
            break
    return out


def _order(rec: dict[str, Any]) -> tuple:
    return (sort_key_decision(rec["decision"] or ""), rec["document_id"], rec["id"])


def _scanned(store: Store, flt: MandateFilter) -> list[dict[str, Any]]:
    """Every matching mandate, by reading every mandate paragraph (no index), in answer order."""
    rows = store.mandate_blocks()
    recs = _records(store, rows, store.entity_names(), flt)
    recs.sort(key=_order)
    return recs


#: what a status filter asks of the stored status evidence ("" none) and of the deadline (graph.mandate_index)
_FOUND = {"superseded": "superseded", "reported on": "reported on", "implemented": "implemented", "elapsed": "", "open": ""}


def _indexed(store: Store, tables, flt: MandateFilter, life: Lifecycle, batch: int = 500) -> Iterator[dict[str, Any]]:
    """The matching mandates in answer order: candidates from the indexes (a superset of the answer, each
    filter applied in SQL, the status too), sorted, then their paragraphs read a batch at a time and the exact
    filter applied. Each comes with its status: the evidence kept in the index, else the deadline's rule."""
    from unkg.corpus.mandate_tables import mandate_blocks_by_id

    sessions = [v for v in tables.distinct("session") if session_matches(v, flt.session)] if flt.session else None
    verbs = [v for v in tables.verb_forms() if flt.verb_ok({"verb": v[0], "verb_en": v[1], "force": v[2]})] if flt.verb else None
    actors = None
    if flt.addressee:
        ids = tables.actors()
        names = tables.actor_names()
        actors = [a for a in ids if any(flt.addressee in _norm(x) for x in [a, actor_name(a, {}), *names.get(a, [])])]
    day = life.as_of.isoformat()
    cands = tables.candidates(language=flt.language, document=flt.document, decision=flt.decision.lower(),
                              sessions=sessions, verbs=verbs, actors=actors, found=_FOUND.get(flt.status),
                              deadline_before=day if flt.status == "elapsed" else None,
                              deadline_from=day if flt.status == "open" else None)
    order = {d: sort_key_decision(d or "") for d in {c[3] for c in cands}}  # few distinct decisions: each parsed once
    cands.sort(key=lambda c: (order[c[3]], c[2], mandate_node_id(c[0], c[1])))
    for k in range(0, len(cands), batch):
        part = cands[k : k + batch]
        rows = mandate_blocks_by_id(store, sorted({c[0] for c in part}))
        annotations = {r["id"]: json.loads(r["annotations"] or "{}") for r in rows.values()}  # read once, used twice
        addressed = {a for ann in annotations.values() for m in ann.get("mandates", []) for a in m.get("addressees", []) if a}
        recs = {(rec["paragraph_id"], rec["index"]): rec
                for rec in _records(store, list(rows.values()), tables.first_names(addressed), flt,
                                    wanted={(c[0], c[1]) for c in part}, annotations=annotations)}
        for c in part:
            rec = recs.get((c[0], c[1]))
            if rec is not None:
                rec.pop("index")
                found, rule, evidence = c[4], c[5], c[6]
                if found:
                    rec.update({"status": found, "status_rule": rule, "evidence": json.loads(evidence or "[]")})
                elif found is not None:
                    rec.update(life.undocumented(rec).as_dict())
                yield rec


def _records(store: Store, rows, names: dict[str, str], flt: MandateFilter,
             wanted: Optional[set[tuple[str, int]]] = None,
             annotations: Optional[dict[str, dict]] = None) -> list[dict[str, Any]]:
    """The records (without status) of the mandates in these paragraphs that pass the filter exactly
    (`annotations`: the paragraphs' annotations already read, by paragraph id)."""
    parents: dict[str, tuple[Optional[str], Optional[str], str]] = {}
    need = {r["parent"] for r in rows if r["parent"]}
    while need:
        got = store.labels_of(sorted(need))
        parents.update(got)
        need = {up for (_, up, _) in got.values() if up and up not in parents}
    out: list[dict[str, Any]] = []
    for r in rows:
        lang = r["language"] or r["doc_language"]
        if flt.language and (lang or "").lower() != flt.language:
            continue
        if flt.document and r["doc_id"] != flt.document:
            continue
        ann = annotations[r["id"]] if annotations is not None else json.loads(r["annotations"] or "{}")
        local = {e["id"]: e["name"] for e in ann.get("entities", []) if e.get("id") and e.get("name")}
        para = _paragraph_path(r, parents)
        for i, m in enumerate(ann.get("mandates", [])):
            if wanted is not None and (r["id"], i) not in wanted:
                continue
            dec = normalize_decision(m["decision"]) if m.get("decision") else None
            dec = dec or m.get("decision") or None
            if flt.decision and dec != flt.decision and flt.decision.lower() not in (dec or "").lower():
                continue
            ses = mandate_session(dec, r["body"], r["doc_session"])
            if flt.session and not session_matches(ses, flt.session):
                continue
            if not flt.verb_ok(m):
                continue
            addrs = [a for a in m.get("addressees", []) if a]
            addr_names = [local.get(a) or actor_name(a, names) for a in addrs]
            if flt.addressee and not any(flt.addressee in _norm(x) for x in addrs + addr_names):
                continue
            rec = {
                "id": mandate_node_id(r["id"], i), "paragraph_id": r["id"], "document_id": r["doc_id"],
                "symbol": r["symbol"], "decision": dec, "session": ses, "paragraph": para or None,
                "label": r["label"], "citation": r["citation"] or r["id"],
                "verb": m.get("verb") or "", "verb_en": m.get("verb_en") or "", "force": m.get("force") or "",
                "addressees": addrs, "addressee_names": addr_names, "action": m.get("action") or "",
                "deadline": m.get("deadline"), "language": lang, "dir": text_dir(lang), "text": r["text"],
            }
            if wanted is not None:
                rec["index"] = i
            out.append(rec)
    return out


def _paragraph_path(r, parents: dict[str, tuple[Optional[str], Optional[str], str]]) -> str:
    """The printed number with its parents' numbers: "3 (a)"."""
    parts = [para_label(r["label"])] if r["label"] and r["kind"] not in ("heading", "title") and not is_bullet(r["label"]) else []
    cur = r["parent"]
    hops = 0
    while cur and cur in parents and hops < 6:
        lab, up, kind = parents[cur]
        if lab and kind not in ("heading", "title") and not is_bullet(lab):
            parts.append(para_label(lab))
        cur, hops = up, hops + 1
    return " ".join(reversed(parts))
