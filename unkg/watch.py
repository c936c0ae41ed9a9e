"""Watch lists: what is new about a decision, an initiative, an actor, a mandate or a query since the last look.

A watch keeps, in the store, the state seen last: the documents citing a decision, its mandates' statuses
and evidence, the paragraphs naming an entity, the hits of a query. `unkg watch` (and the web page's
/watch) compares the store with it and lists what is new; `unkg watch` then marks it seen (the web page
only shows: a GET changes nothing).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Optional

from unkg.corpus.identifiers import normalize_decision
from unkg.corpus.store import Store
from unkg.errors import UnkgError
from unkg.graph.mandates import MandateFilter, find_mandates

KINDS = ("decision", "mandate", "entity", "query")
QUERY_HITS = 20


class WatchError(UnkgError):
    """A watch that cannot be added or found."""


@dataclass
class Change:
    what: str  # "cites it", "names it", "status", "evidence", "matches"
    item: str  # a document id, paragraph id or mandate id
    text: str  # what a person reads: citation, title, "open -> reported on"

    def as_dict(self) -> dict[str, str]:
        return {"what": self.what, "item": self.item, "text": self.text}


@dataclass
class WatchReport:
    id: int
    kind: str
    target: str
    label: str
    seen_at: Optional[str]
    new: list[Change] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "kind": self.kind, "target": self.target, "label": self.label, "seen_at": self.seen_at,
                "new": [c.as_dict() for c in self.new]}


def classify(text: str, resolve_entity: Callable[[str], Optional[tuple[str, str]]]) -> tuple[str, str, str]:
    """(kind, target, label) of what a user asked to watch: a mandate id, a decision ("decision 22/COP.15"),
    an entity the graph knows (initiative, actor, country, target) or else a search query."""
    t = text.strip()
    if not t:
        raise WatchError("nothing to watch: give a decision, an initiative, an actor, a mandate id or a query")
    if t.startswith("mandate:"):
        return "mandate", t, t
    dec = normalize_decision(t)
    if dec:
        return "decision", dec, dec.replace(":", " ", 1)
    found = resolve_entity(t)
    if found:
        return "entity", found[0], found[1]
    return "query", t, f'"{t}"'


def current_state(store: Store, kind: str, target: str, search: Callable[[str], list[tuple[str, str]]]) -> dict[str, dict[str, str]]:
    """What the store says about the target now: item id -> what a person reads, per aspect."""
    state: dict[str, dict[str, str]] = {}
    if kind == "decision":
        docs = {d["id"]: d for d in store.documents()}
        state["cites it"] = {d: (docs[d]["symbol"] or docs[d]["title"] or d) for d in store.documents_citing(target) if d in docs}
        rows = find_mandates(store, MandateFilter.of(decision=target))
    elif kind == "mandate":
        rows = [m for m in find_mandates(store) if m["id"] == target]
        if not rows:
            raise WatchError(f"no mandate {target!r}; `unkg graph mandates --json` lists their ids")
    elif kind == "entity":
        cites = {}
        for pid in store.paragraphs_naming(target):
            doc_id = pid.split("#", 1)[0]
            cites.setdefault(doc_id, store.citations(doc_id))
            state.setdefault("names it", {})[pid] = cites[doc_id].get(pid) or pid
        return state
    else:
        state["matches"] = dict(search(target))
        return state
    state["status"] = {m["id"]: f"{m['citation']}: {m['status']}" for m in rows}
    state["evidence"] = {f"{m['id']}|{e['paragraph_id']}": f"{m['citation']} <- {e['citation']}" for m in rows for e in m["evidence"]}
    return state


def changes(old: dict[str, dict[str, str]], new: dict[str, dict[str, str]]) -> list[Change]:
    """What is in `new` and was not in `old` (a status counts as new when its text changed)."""
    out = []
    for aspect, items in new.items():
        before = old.get(aspect, {})
        for item, text in items.items():
            if item not in before or (aspect == "status" and before[item] != text):
                out.append(Change(aspect, item, text if aspect != "status" or item not in before else f"{before[item]} -> {text.rsplit(': ', 1)[-1]}"))
    return out


class Watches:
    """The watch list of one store, for the CLI and the web page alike."""

    def __init__(self, store: Store, resolve_entity: Callable[[str], Optional[tuple[str, str]]],
                 search: Callable[[str], list[tuple[str, str]]]) -> None:
        self.store, self.resolve_entity, self.search = store, resolve_entity, search

    def add(self, text: str) -> dict[str, Any]:
        kind, target, label = classify(text, self.resolve_entity)
        state = current_state(self.store, kind, target, self.search)
        wid, created = self.store.add_watch(kind, target, label, state)
        return {"id": wid, "kind": kind, "target": target, "label": label, "created": created}

    def remove(self, wid: int) -> None:
        if not self.store.remove_watch(wid):
            raise WatchError(f"no watch {wid}; `unkg watch --json` lists them")

    def report(self, mark_seen: bool) -> list[WatchReport]:
        out = []
        for w in self.store.watches():
            now = current_state(self.store, w["kind"], w["target"], self.search)
            out.append(WatchReport(w["id"], w["kind"], w["target"], w["label"], w["seen_at"], changes(w["state"], now)))
            if mark_seen:
                self.store.mark_watch_seen(w["id"], now)
        return out


def resolvers(store: Store, graph: Optional[Callable[[], Any]] = None, searcher: Any = None, search_options: Any = None
              ) -> tuple[Callable[[str], Optional[tuple[str, str]]], Callable[[str], list[tuple[str, str]]]]:
    """The graph's name resolution (entities only) and the search engine, as the watch list needs them.
    `graph` and `searcher`: the caller's own (the web app keeps both); else built once, when first needed."""
    from unkg.graph.query import resolve
    from unkg.graph.table_graph import open_graph

    box: dict[str, Any] = {"searcher": searcher}

    def kg() -> Any:
        if graph is not None:
            return graph()
        if "kg" not in box:
            box["kg"] = open_graph(store)
        return box["kg"]

    def resolve_entity(text: str) -> Optional[tuple[str, str]]:
        g = kg()
        try:
            node = resolve(g, text, labels=["Initiative", "Actor", "Country", "Target"])
        except UnkgError:
            return None
        return node, str(g.g.nodes[node].get("name") or node)

    def search(query: str) -> list[tuple[str, str]]:
        from unkg.search.engine import Filters, Searcher

        if box["searcher"] is None:
            box["searcher"] = Searcher(store, options=search_options)
        return [(h.paragraph_id, h.citation) for h in box["searcher"].search(query, filters=Filters(), top_k=QUERY_HITS)]

    return resolve_entity, search
