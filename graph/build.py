"""Build the in-process knowledge graph (a networkx MultiDiGraph) from the store.

Each document contributes a set of nodes and edges (`document_contribution`).
The graph remembers which documents contributed each node and edge, so a
rebuild only touches documents whose fingerprint (content hash, ingest time,
graph version) changed since the last build: their old contributions are taken
out, the new ones put in. Shared nodes (actors, decisions, sessions...) stay
as long as one document still names them.

Node keys are the stable ids of `graph.schema`; node attributes hold `label`
(the node type), `name` and the properties. Edge keys are stable too
(`schema.edge_key`); edge attributes hold `type`, `paragraph` (the block id
the edge came from: its provenance) and `doc`.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Optional

from unkg.errors import GraphError
from unkg.corpus.citation import cite_blocks, element_ids
from unkg.model import Block, Document

from . import schema as S

REPORT_WORDS = ("report", "rapport", "informe", "доклад", "报告", "報告", "تقرير")


@dataclass
class NodeSpec:
    id: str
    label: str
    props: dict[str, Any]
    paragraph: Optional[str] = None  # first paragraph that names it (provenance of a shared node)


@dataclass
class EdgeSpec:
    src: str
    dst: str
    type: str
    key: str
    props: dict[str, Any]


@dataclass
class Contribution:
    nodes: dict[str, NodeSpec] = field(default_factory=dict)
    edges: dict[str, EdgeSpec] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)


def _clean(props: dict[str, Any]) -> dict[str, Any]:
    """Drop empty values: Neo4j, GraphML and CSV have no null property."""
    out = {}
    for k, v in props.items():
        if v is None or v == "" or v == []:
            continue
        if isinstance(v, (list, tuple)):
            v = [x for x in v if x is not None]
        out[k] = v
    return out


class _Builder:
    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.c = Contribution()
        self.names: dict[str, str] = {}
        for b in doc.blocks:
            for e in b.entities:
                if e.id and e.name:
                    self.names.setdefault(S.entity_node(e.type, e.id)[0], e.name)

    def node(self, node_id: str, label: str, paragraph: Optional[str] = None, /, **props: Any) -> str:
        S.check_label(label)
        props = _clean(props)
        cur = self.c.nodes.get(node_id)
        if cur is None:
            props.setdefault("name", self.names.get(node_id) or S.default_name(node_id))
            self.c.nodes[node_id] = NodeSpec(node_id, label, props, paragraph)
        else:
            aliases = props.pop("aliases", None)
            for k, v in props.items():
                cur.props.setdefault(k, v)
            if aliases:
                cur.props["aliases"] = sorted(set(cur.props.get("aliases", [])) | set(aliases))[:20]
            if cur.paragraph is None:
                cur.paragraph = paragraph
        return node_id

    def edge(self, src: str, dst: str, rel: str, paragraph: Optional[str], /, keyed: bool = True, **props: Any) -> None:
        S.check_rel_type(rel)
        srcs, dsts, _ = S.REL_TYPES[rel]
        ls, ld = self.c.nodes[src].label, self.c.nodes[dst].label
        if ls not in srcs or ld not in dsts:
            self.c.skipped.append(f"{rel} from {ls} {src} to {ld} {dst} is not in the schema")
            return
        if src == dst:
            return
        key = S.edge_key(rel, src, dst, paragraph if keyed else None)
        if key in self.c.edges:
            return
        self.c.edges[key] = EdgeSpec(src, dst, rel, key, _clean({"paragraph": paragraph, "doc": self.doc.id, **props}))

    def decision(self, raw_id: str, paragraph: str) -> Optional[str]:
        did = S.normalize_decision(raw_id)
        if did is None and raw_id.startswith(("decision:", "resolution:")):
            did = raw_id
        if did is None:
            return None
        parts = S.decision_parts(did)
        kind = "resolution" if did.startswith("resolution:") else "decision"
        self.node(did, "Decision", paragraph, kind=kind, number=parts[0] if parts else None,
                  body=parts[1] if parts else None, session=S.decision_session(did))
        sid = S.decision_session(did)
        if sid:
            body, _, number = sid.removeprefix("session:").rpartition(".")
            # as the document-level Session node has it (a string): a shared node gets the same properties from every document
            self.node(sid, "Session", paragraph, body=body, number=number)
            self.edge(did, sid, "ADOPTED_AT", paragraph, keyed=False)
        return did

    def actor(self, raw: str, paragraph: str) -> str:
        aid = raw if S.label_for_id(raw) in ("Actor", "Country") else "actor:" + S.slug(raw.split(":", 1)[-1])
        return self.node(aid, S.label_for_id(aid) or "Actor", paragraph)


def document_contribution(doc: Document, facts: Optional[Iterable[Any]] = None) -> Contribution:
    """The nodes and edges one document adds to the graph (see docs/graph-schema.md)."""
    bd = _Builder(doc)
    # garbled text (a font without a Unicode map) stays in the store as printed, but never enters the graph
    readable = [b for b in doc.blocks if b.zone != "garbled"]
    by_id = {b.id: b for b in readable}
    cites, eids = cite_blocks(doc), element_ids(doc)
    first = doc.blocks[0].id if doc.blocks else None
    did = S.document_node_id(doc.id)
    bd.node(did, "Document", None, name=doc.symbol or doc.title or doc.id, doc=doc.id, symbol=doc.symbol,
            title=doc.title, date=doc.date, language=doc.language, languages=list(doc.languages), body=doc.body,
            session=doc.session, doc_type=doc.doc_type, source=doc.source, sha256=doc.sha256,
            paragraphs=len(doc.blocks))
    code = S.body_code(doc.body)
    doc_session = None
    if code and doc.session:
        doc_session = S.session_id(code, doc.session)
        bd.node(doc_session, "Session", first, body=code, number=doc.session)
        bd.edge(did, doc_session, "FOR_SESSION", first, keyed=False)

    report_like = (doc.doc_type or "").lower() in ("report", "note", "information", "progress report")
    for b in readable:
        pid = S.paragraph_node_id(b.id)
        bd.node(pid, "Paragraph", b.id, name=cites[b.id], eid=eids[b.id], doc=doc.id, block=b.id, ord=b.ord,
                kind=b.kind, zone=b.zone, para_label=b.label, level=b.level, page=b.page,
                language=b.language or doc.language, text=b.text, verb=b.verb)
        bd.edge(did, pid, "HAS_PARAGRAPH", b.id)

    for b in readable:
        pid = S.paragraph_node_id(b.id)
        if b.parent and b.parent in by_id:
            bd.edge(pid, S.paragraph_node_id(b.parent), "PART_OF", b.id)
        if b.translation_of and b.translation_of in by_id:
            bd.edge(pid, S.paragraph_node_id(b.translation_of), "TRANSLATION_OF", b.id)
        initiatives, targets = [], []
        for e in b.entities:
            if e.type == "date":
                continue
            if e.type == "quantity":
                qid = bd.node(S.quantity_node_id(b.id, e.start), "Quantity", b.id, name=e.text, doc=doc.id,
                              value=e.value, unit=e.unit, text=e.text)
                bd.edge(pid, qid, "MENTIONS", b.id, text=e.text, start=e.start, end=e.end)
                continue
            eid, label = S.entity_node(e.type, e.id)
            if label is None:
                bd.c.skipped.append(f"entity {e.id} of type {e.type} has no label")
                continue
            nid = bd.node(eid, label, b.id, name=e.name, aliases=[e.text], kos=S.sdg_kos_iri(eid))
            if label == "Document":
                bd.edge(pid, nid, "CITES", b.id, text=e.text, start=e.start, end=e.end)
            else:
                bd.edge(pid, nid, "MENTIONS", b.id, text=e.text, start=e.start, end=e.end)
            if label == "Initiative":
                initiatives.append(nid)
            elif label == "Target":
                targets.append(nid)
        cited_decisions = []
        for c in b.citations:
            if c.type in ("decision", "resolution"):
                dec = bd.decision(c.id, b.id)
                if dec is None:
                    bd.c.skipped.append(f"citation {c.id!r} is not a decision id")
                    continue
                bd.edge(pid, dec, "CITES", b.id, text=c.text, start=c.start, end=c.end)
                cited_decisions.append(dec)
            elif c.type.startswith("sdg_"):
                tid = c.id if c.id.startswith("sdg:") else f"sdg:{c.type.removeprefix('sdg_')}:{c.id.split(':')[-1]}"
                bd.node(tid, "Target", b.id, aliases=[c.text], kos=S.sdg_kos_iri(tid))
                bd.edge(pid, tid, "CITES", b.id, text=c.text, start=c.start, end=c.end)
                targets.append(tid)
            elif c.type == "document":
                tid = c.id if c.id.startswith("document:") else f"document:{c.id}"
                bd.node(tid, "Document", b.id, name=c.id.removeprefix("document:"), symbol=c.id.removeprefix("document:"), stub=True)
                bd.edge(pid, tid, "CITES", b.id, text=c.text, start=c.start, end=c.end)
        for i, m in enumerate(b.mandates):
            mid = S.mandate_node_id(b.id, i)
            dec = bd.decision(m.decision, b.id) if m.decision else None
            session = S.decision_session(dec) if dec else doc_session
            bd.node(mid, "Mandate", b.id, name=(f"{m.verb_en or m.verb}: {m.action[:48]}" + ("…" if len(m.action) > 48 else "")).strip(), doc=doc.id,
                    verb=m.verb, verb_en=m.verb_en, force=m.force, action=m.action, deadline=m.deadline,
                    decision=dec, session=session, language=b.language or doc.language, addressees=list(m.addressees))
            bd.edge(pid, mid, "CONTAINS_MANDATE", b.id)
            if dec:
                bd.edge(dec, mid, "CONTAINS_MANDATE", b.id)
            for a in m.addressees:
                if a:
                    bd.edge(mid, bd.actor(a, b.id), "ADDRESSED_TO", b.id)
        # a later decision cited together with earlier ones of the same body follows them up
        for later in cited_decisions:
            for earlier in cited_decisions:
                if later != earlier and S.decision_parts(later) and S.decision_parts(earlier):
                    if S.decision_parts(later)[1] == S.decision_parts(earlier)[1] and S.sort_key_decision(earlier) < S.sort_key_decision(later):
                        bd.edge(later, earlier, "FOLLOWS_UP", b.id, rule="cited together")
        for ini in initiatives:
            for t in targets:
                bd.edge(ini, t, "CONTRIBUTES_TO", b.id, rule="same paragraph")
        if report_like and cited_decisions and any(w in b.text.lower() for w in REPORT_WORDS) and (b.mandates or b.zone == "front" or b.ord <= 30):
            for dec in cited_decisions:
                bd.edge(did, dec, "RESPONDS_TO", b.id, rule="report requested by the decision")
            for i, m in enumerate(b.mandates):  # the very request the report answers
                if any(w in (m.action or "").lower() for w in REPORT_WORDS):
                    bd.edge(did, S.mandate_node_id(b.id, i), "RESPONDS_TO", b.id, rule="report requested by the mandate")

    # a decision document follows up the earlier decisions it cites
    own = S.normalize_decision(doc.symbol) if doc.symbol and (doc.doc_type or "").lower() == "decision" else None
    if own:
        bd.decision(own, first)
        for e in list(bd.c.edges.values()):
            if e.type == "CITES" and e.dst.startswith("decision:") and S.sort_key_decision(e.dst) < S.sort_key_decision(own):
                bd.edge(own, e.dst, "FOLLOWS_UP", e.props.get("paragraph"), rule="decision cites")

    for f in facts or ():
        _add_fact(bd, f, by_id)
    return bd.c


def _get(obj: Any, *names: str) -> Any:
    for n in names:
        v = obj.get(n) if isinstance(obj, dict) else getattr(obj, n, None)
        if v is not None:
            return v
    return None


def _add_fact(bd: _Builder, fact: Any, by_id: dict[str, Block]) -> None:
    """One initiative fact from extract.facts: (initiative, relation, actor, paragraph)."""
    subj = _get(fact, "subject", "initiative", "source", "src", "head")
    rel = _get(fact, "relation", "predicate", "rel", "type", "kind")
    obj = _get(fact, "object", "actor", "target", "dst", "tail")
    block = _get(fact, "block", "block_id", "paragraph", "provenance")
    if isinstance(subj, dict) or hasattr(subj, "id"):
        subj = _get(subj, "id")
    if isinstance(obj, dict) or hasattr(obj, "id"):
        obj = _get(obj, "id")
    if not (subj and rel and obj):
        bd.c.skipped.append(f"fact {fact!r} lacks subject, relation or object")
        return
    if str(rel).upper() in ("LAUNCHED_IN", "LAUNCHED_ON") and isinstance(obj, str):
        # a year is a property of the initiative, not a node
        subj_id = subj if S.label_for_id(subj) else "initiative:" + S.slug(subj)
        if block in by_id or str(block).removeprefix("para:") in by_id:
            bd.node(subj_id, "Initiative", str(block).removeprefix("para:"), launched_in=obj.split(":", 1)[-1])
        return
    rel_type = S.FACT_RELATIONS.get(str(rel).lower().replace(" ", "_"), str(rel).upper().replace(" ", "_"))
    if rel_type not in S.REL_TYPES:
        bd.c.skipped.append(f"fact relation {rel!r} is not in the schema")
        return
    if block is not None and block not in by_id:
        block = str(block).removeprefix("para:")
    if block not in by_id:
        bd.c.skipped.append(f"fact {subj} {rel_type} {obj}: paragraph {block!r} is not in the document")
        return
    ls = S.label_for_id(subj) or "Initiative"
    subj = subj if S.label_for_id(subj) else "initiative:" + S.slug(subj)
    lo = S.label_for_id(obj) or "Actor"
    obj = obj if S.label_for_id(obj) else "actor:" + S.slug(obj)
    bd.node(subj, ls, block)
    bd.node(obj, lo, block)
    extra = {}
    for k in ("evidence", "text", "role", "year", "date"):
        v = _get(fact, k)
        if isinstance(v, (str, int, float)):
            extra[k] = v
    bd.edge(subj, obj, rel_type, block, rule="extracted fact", **extra)


def _facts_available() -> bool:
    """Whether the extraction stage offers initiative facts, without importing it (its pipelines load slowly)."""
    import importlib.util

    spec = importlib.util.find_spec("unkg.extract")
    return spec is not None and any((Path(p) / "facts.py").exists() for p in spec.submodule_search_locations or ())


def _load_facts() -> Optional[Callable[[Document], Iterable[Any]]]:
    try:
        from unkg.extract import facts as facts_mod  # the extraction stage (issue 4)
    except ImportError:
        return None
    fn = getattr(facts_mod, "initiative_facts", None)
    return fn if callable(fn) else None


# -- the incremental graph ----------------------------------------------------------


class KnowledgeGraph:
    """The MultiDiGraph plus the bookkeeping that makes rebuilds incremental."""

    def __init__(self) -> None:
        import networkx as nx  # here: the store-backed graph answers without loading networkx

        self.g = nx.MultiDiGraph()
        self.built: dict[str, str] = {}  # doc id -> fingerprint
        self.node_docs: dict[str, dict[str, Optional[str]]] = {}  # node -> {doc: paragraph}
        self.edge_docs: dict[tuple[str, str, str], dict[str, Optional[str]]] = {}
        self.doc_nodes: dict[str, list[str]] = {}
        self.doc_edges: dict[str, list[tuple[str, str, str]]] = {}
        self.version = S.GRAPH_VERSION

    # -- mutation -------------------------------------------------------------
    def remove_document(self, doc_id: str) -> None:
        g = self.g
        for ek in self.doc_edges.pop(doc_id, []):
            owners = self.edge_docs.get(ek)
            if owners is None:
                continue
            owners.pop(doc_id, None)
            if not owners:
                del self.edge_docs[ek]
                if g.has_edge(*ek):
                    g.remove_edge(*ek)
            else:  # provenance moves to the next document that gives it
                d = min(owners)
                if g.has_edge(*ek):
                    g.edges[ek]["doc"] = d
                    if owners[d]:
                        g.edges[ek]["paragraph"] = owners[d]
        for n in self.doc_nodes.pop(doc_id, []):
            owners = self.node_docs.get(n)
            if owners is None:
                continue
            owners.pop(doc_id, None)
            if not owners:
                del self.node_docs[n]
                if g.has_node(n):
                    for u, v, k in list(g.in_edges(n, keys=True)) + list(g.out_edges(n, keys=True)):
                        self.edge_docs.pop((u, v, k), None)
                    g.remove_node(n)
        self.built.pop(doc_id, None)

    def add_document(self, doc_id: str, contrib: Contribution, fingerprint: str) -> None:
        g = self.g
        for n in contrib.nodes.values():
            if g.has_node(n.id):
                attrs = g.nodes[n.id]
                aliases = n.props.get("aliases")
                for k, v in n.props.items():
                    if k not in attrs:
                        attrs[k] = v
                if aliases:
                    attrs["aliases"] = sorted(set(attrs.get("aliases", [])) | set(aliases))[:20]
            else:
                g.add_node(n.id, label=n.label, **n.props)
            self.node_docs.setdefault(n.id, {})[doc_id] = n.paragraph
        self.doc_nodes[doc_id] = list(contrib.nodes)
        keys = []
        for e in contrib.edges.values():
            ek = (e.src, e.dst, e.key)
            if not g.has_edge(*ek):
                g.add_edge(e.src, e.dst, key=e.key, type=e.type, **e.props)
            self.edge_docs.setdefault(ek, {})[doc_id] = e.props.get("paragraph")
            keys.append(ek)
        self.doc_edges[doc_id] = keys
        self.built[doc_id] = fingerprint

    # -- persistence ----------------------------------------------------------
    def save(self, path: Path) -> None:
        """Write the cache atomically: a temporary file renamed into place, one saver at a time."""
        from unkg.leftovers import exclusive

        path.parent.mkdir(parents=True, exist_ok=True)
        with exclusive(_lock_path(path)):
            remove_stale_temps(path, locked=True)
            fd, tmp = tempfile.mkstemp(dir=str(path.parent), prefix=_TMP_PREFIX, suffix=".tmp")
            try:
                with os.fdopen(fd, "wb") as fh:
                    pickle.dump(self.__dict__, fh, protocol=pickle.HIGHEST_PROTOCOL)
                os.replace(tmp, path)
            except BaseException:
                if os.path.exists(tmp):
                    os.unlink(tmp)
                raise

    @classmethod
    def load(cls, path: Path) -> "KnowledgeGraph":
        kg = cls()
        if path.exists():
            try:
                with open(path, "rb") as fh:
                    state = pickle.load(fh)
            except Exception:  # a damaged cache is rebuilt, never trusted
                return kg
            if state.get("version") == S.GRAPH_VERSION:
                kg.__dict__.update(state)
        return kg

    # -- views ---------------------------------------------------------------
    def counts(self) -> dict[str, Any]:
        labels: dict[str, int] = {}
        for _, d in self.g.nodes(data="label"):
            labels[d] = labels.get(d, 0) + 1
        types: dict[str, int] = {}
        for _, _, t in self.g.edges(data="type"):
            types[t] = types.get(t, 0) + 1
        return {"nodes": self.g.number_of_nodes(), "relationships": self.g.number_of_edges(),
                "labels": dict(sorted(labels.items())), "types": dict(sorted(types.items())),
                "documents": len(self.built)}

    def doc_items(self, doc_ids: Iterable[str]) -> tuple[set[str], set[tuple[str, str, str]]]:
        """Nodes and edges the given documents contribute now."""
        nodes: set[str] = set()
        edges: set[tuple[str, str, str]] = set()
        for d in doc_ids:
            nodes.update(self.doc_nodes.get(d, ()))
            edges.update(self.doc_edges.get(d, ()))
        return nodes, edges


@dataclass
class BuildReport:
    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    seconds: float = 0.0
    items: int = 0  # nodes + relationships contributed by the (re)built documents
    skipped: list[str] = field(default_factory=list)
    counts: dict[str, Any] = field(default_factory=dict)
    facts: bool = False
    stale_temps: int = 0  # temporary files of killed cache saves removed before this build

    def as_dict(self) -> dict[str, Any]:
        return {"added": self.added, "updated": self.updated, "removed": self.removed, "unchanged": self.unchanged,
                "seconds": round(self.seconds, 3), "items": self.items,
                "items_per_s": round(self.items / self.seconds, 1) if self.seconds else None,
                "initiative_facts": self.facts, "stale_temps_removed": self.stale_temps, "skipped": self.skipped[:50], **self.counts}


def store_fingerprints(store) -> dict[str, str]:
    """doc id -> fingerprint of what the graph is built from (content hash, ingest time, graph version)."""
    return {doc_id: hashlib.sha1(f"{sha}|{at}|{S.GRAPH_VERSION}".encode()).hexdigest()[:16]
            for doc_id, sha, at in store.document_versions()}


_TMP_PREFIX = ".graph-"


def _lock_path(cache: Path) -> Path:
    return cache.with_name(cache.name + ".lock")


def remove_stale_temps(cache: Path, locked: bool = False) -> list[Path]:
    """Remove the temporary files of graph-cache saves that were killed before their rename.

    Saves hold the cache's lock, so with the lock free no temp file belongs to a live save and
    all are removed at once; if another process is saving, only ones untouched for minutes go.
    """
    from unkg.leftovers import STALE_AFTER_S, exclusive, remove_stale

    pattern = [f"{_TMP_PREFIX}*.tmp"]
    if locked:
        return remove_stale(cache.parent, pattern, older_than_s=0)
    if not cache.parent.is_dir():
        return []
    try:
        with exclusive(_lock_path(cache), blocking=False) as free:
            return remove_stale(cache.parent, pattern, older_than_s=0 if free else STALE_AFTER_S)
    except OSError:  # a read-only home: nothing of ours can be there; the save reports the folder
        return []


def default_cache_path(store) -> Path:
    """The graph's cache lives beside its store (under UNKG_HOME for the default store)."""
    return store.path.parent / "graph.pickle"


#: cosine two initiative names of different languages need to be merged by their embeddings alone (with the same head
#: class and each the other's nearest name); calibrated on translated names of the dev corpus, precision first
#: (docs/extraction.md, "Initiatives across documents")
ALIAS_COSINE = 0.75


@dataclass
class InitiativeAliases:
    """Initiative ids of one store that name the same initiative in other languages, merged onto one canonical id."""

    canonical: dict[str, tuple[str, str]] = field(default_factory=dict)  # alias id -> (canonical id, its name)
    doc_nodes: dict[str, list[str]] = field(default_factory=dict)  # doc -> initiative ids it names (as extracted)
    links: list[tuple[str, str, str, str, float]] = field(default_factory=list)  # (group, a, b, evidence, score)

    def fingerprints(self, current: dict[str, str]) -> dict[str, str]:
        """A document's fingerprint also covers the merges of the ids it names: a new merge rebuilds just those."""
        out = {}
        for d, fp in current.items():
            applied = sorted((n, self.canonical[n][0]) for n in self.doc_nodes.get(d, ()) if n in self.canonical)
            out[d] = hashlib.sha1(f"{fp}|{applied}".encode()).hexdigest()[:16] if applied else fp
        return out

    def apply(self, doc: Document) -> None:
        """Give the document's initiative mentions their canonical ids and names (in place; the printed text stays,
        and becomes one of the canonical node's aliases)."""
        if not self.canonical:
            return
        for b in doc.blocks:
            for e in b.entities:
                if e.type == "initiative" and e.id in self.canonical:
                    e.id, e.name = self.canonical[e.id]


def _initiative_rows(doc_lang: Optional[str], mentions: Iterable[tuple[Optional[str], str]]) -> list[tuple[str, str, str]]:
    """(id, name, language) of the initiatives a document names, from (block language, annotations json) rows."""
    rows: dict[str, tuple[str, str, str]] = {}
    for lang, ann in mentions:
        try:
            ents = json.loads(ann or "{}").get("entities", [])
        except ValueError:
            continue
        for e in ents:
            if e.get("type") == "initiative" and e.get("id"):
                rows.setdefault(e["id"], (e["id"], e.get("name") or e.get("text") or e["id"], lang or doc_lang or "en"))
    return list(rows.values())


def initiative_aliases(store, current: dict[str, str], encode: Optional[Callable[[list[str]], Any]] = None,
                       threshold: float = ALIAS_COSINE) -> InitiativeAliases:
    """Bring the cross-language merge of initiatives up to date with the store and return it.

    Evidence (extract.aliases): the language versions of one document (the same symbol, another language), their
    paragraphs aligned by printed number (or by position when both have the same paragraphs), pair the discovered
    initiatives one to one per head class; with `encode` (the search encoder's function, passed in by the
    application: the graph does not load models), names of two languages also pair when their vectors are mutual
    nearest names of the same head class at cosine >= `threshold`.  The curated vocabulary's ids win.  Only
    documents changed since the last build are read again; links of a symbol are recomputed when one of its
    versions changed, embedding links when any name changed."""
    from unkg.corpus.graph_tables import InitiativeAliasTables
    from unkg.extract.aliases import canonical_ids, embedding_links, translation_links

    t = InitiativeAliasTables(store)
    read_at = t.read_at()
    changed = [d for d, fp in current.items() if read_at.get(d) != fp]
    removed = [d for d in read_at if d not in current]
    meta = {d: (sym, lang) for d, sym, lang in t.documents_with_symbols()}
    vocab = _vocab_initiatives() if changed or removed else None
    if changed or removed:
        with store.transaction():
            touched = t.symbols_of(removed + changed) | {meta.get(d, (None,))[0] for d in changed}
            for d in removed:
                t.set_initiatives(d, None, ())
            for d in changed:
                sym, lang = meta.get(d, (None, None))
                t.set_initiatives(d, current[d], _initiative_rows(lang, t.initiative_mentions(d)), sym)
            by_symbol: dict[str, list[str]] = {}
            for d, (sym, _lang) in meta.items():
                if sym:
                    by_symbol.setdefault(sym, []).append(d)
            for sym in sorted(x for x in touched if x):
                if len({meta[d][1] or "en" for d in by_symbol.get(sym, ())}) < 2:  # one language: nothing to pair
                    t.set_links(sym, ())
                    continue
                docs = [store.document(d) for d in sorted(by_symbol.get(sym, ()))]
                docs = [x for x in docs if x is not None]
                links = []
                for i, a in enumerate(docs):
                    for b in docs[i + 1:]:
                        if (a.language or "en") != (b.language or "en"):
                            links += translation_links(a, b, vocab)
                t.set_links(sym, [(ln.a, ln.b, ln.evidence, ln.score) for ln in links])
    rows = list(t.initiatives())
    out = InitiativeAliases()
    names: dict[str, tuple[str, str]] = {}
    for d, n, name, lang in rows:
        out.doc_nodes.setdefault(d, []).append(n)
        names.setdefault(n, (name, lang))
    if encode is not None and (changed or removed or not any(g == "" for g, *_ in t.links())):
        vocab = vocab if vocab is not None else _vocab_initiatives()
        links = embedding_links(names, encode, threshold, vocab)
        with store.transaction():
            t.set_links("", [(ln.a, ln.b, ln.evidence, ln.score) for ln in links])
    out.links = t.links()
    if out.links:
        from unkg.extract.aliases import AliasLink

        vocab = vocab if vocab is not None else _vocab_initiatives()
        merged = canonical_ids([AliasLink(a, b, ev, sc) for _g, a, b, ev, sc in out.links], vocab,
                               {n: lang for n, (_name, lang) in names.items()})
        out.canonical = {a: (c, names.get(c, (c,))[0]) for a, c in merged.items()}
    return out


def _vocab_initiatives() -> set[str]:
    from unkg.extract.vocab import load

    return {i for i, t in load().types.items() if t == "initiative"}


def contributions(store, built: dict[str, str], current: dict[str, str], rep: BuildReport,
                  with_facts: bool = True,
                  aliases: Optional[InitiativeAliases] = None) -> Iterator[tuple[str, str, Contribution]]:
    """(doc id, fingerprint, contribution) of every stored document whose fingerprint differs from `built`'s.

    The one place both graph forms (the networkx cache, the store's graph tables) get a document's part from.
    """
    facts_fn = None
    facts_loaded = False
    rep.facts = with_facts and _facts_available()
    for d, fp in sorted(current.items()):
        if built.get(d) == fp:
            rep.unchanged += 1
            continue
        doc = store.document(d)
        if doc is None:
            continue
        if aliases is not None:
            aliases.apply(doc)
        facts = None
        # the store holds the extraction's annotations: a document it found no entity in states no
        # initiative fact, and initiative_facts would annotate it again here (loading the spaCy
        # pipelines, seconds, and re-running the extraction for every such document)
        has_entities = any(b.entities for b in doc.blocks)
        if with_facts and has_entities and not facts_loaded:  # only when a document changed
            facts_fn, facts_loaded = _load_facts(), True
        if facts_fn is not None and has_entities:
            try:
                facts = list(facts_fn(doc) or ())
            except Exception as exc:  # extraction bugs must not take the graph down
                rep.skipped.append(f"{d}: initiative_facts failed: {type(exc).__name__}: {exc}")
        contrib = document_contribution(doc, facts)
        rep.skipped.extend(f"{d}: {s}" for s in contrib.skipped)
        yield d, fp, contrib


def build_graph(store, kg: Optional[KnowledgeGraph] = None, cache: Optional[Path] = None, save: bool = True,
                on_document: Optional[Callable[[str], None]] = None,
                encode: Optional[Callable[[list[str]], Any]] = None) -> tuple[KnowledgeGraph, BuildReport]:
    """Bring the graph up to date with the store, touching only documents changed since the last build.

    `encode`: the multilingual encoder's function (texts -> L2-normalised rows), passed in by the application to
    merge initiatives across languages by their names' embeddings too (`initiative_aliases`)."""
    t0 = time.perf_counter()
    cache = cache if cache is not None else default_cache_path(store)
    removed = remove_stale_temps(cache) if save else []
    if kg is None:
        kg = KnowledgeGraph.load(cache) if save or cache.exists() else KnowledgeGraph()
    rep = BuildReport(stale_temps=len(removed))
    current = store_fingerprints(store)
    aliases = initiative_aliases(store, current, encode)
    current = aliases.fingerprints(current)
    for d in [d for d in kg.built if d not in current]:
        kg.remove_document(d)
        rep.removed += 1
    for d, fp, contrib in contributions(store, kg.built, current, rep, aliases=aliases):
        if d in kg.built:
            kg.remove_document(d)
            rep.updated += 1
        else:
            rep.added += 1
        kg.add_document(d, contrib, fp)
        rep.items += len(contrib.nodes) + len(contrib.edges)
        if on_document:
            on_document(d)
    if save and (rep.added or rep.updated or rep.removed or not cache.exists()):
        try:
            kg.save(cache)
        except OSError as exc:
            raise GraphError(f"cannot write the graph cache {cache}: {exc}; set UNKG_HOME to a writable folder") from None
    rep.seconds = time.perf_counter() - t0
    rep.counts = kg.counts()
    return kg, rep


def load_graph(store, cache: Optional[Path] = None) -> KnowledgeGraph:
    """The current graph: the cache brought up to date with the store."""
    kg, _ = build_graph(store, cache=cache)
    return kg


def json_props(props: dict[str, Any]) -> str:
    return json.dumps(props, ensure_ascii=False, sort_keys=True, default=str)
