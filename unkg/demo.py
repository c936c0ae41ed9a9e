"""`unkg demo`: the three users' questions answered on the store, not paragraph counts.

Secretariat staff: what did a decision ask the secretariat to do, and what became of it (status and
evidence)? Negotiators: has this wording been used before, in this language or another (precedent
with its word diff)? Researchers: how is a COP decision linked to the initiatives (explained paths)?
Every answer comes from the same functions the CLI, the HTTP API and the web page call.
"""

from __future__ import annotations

from typing import Any, Optional

from rich.console import Console
from rich.markup import escape

from unkg.corpus.store import Store
from unkg.errors import UnkgError
from unkg.graph.build import KnowledgeGraph
from unkg.graph.mandates import MandateFilter, find_mandates
from unkg.graph.query import explain_path, most_linked, resolve


def _busiest_decision(store: Store, addressee: str) -> Optional[str]:
    """The decision with the most mandates to `addressee` (the one a secretariat officer would look up first)."""
    counts: dict[str, int] = {}
    for m in find_mandates(store, MandateFilter.of(addressee=addressee)):
        if m["decision"] and m["decision"].startswith("decision:"):
            counts[m["decision"]] = counts.get(m["decision"], 0) + 1
    return max(sorted(counts), key=lambda d: counts[d]) if counts else None


#: the initiatives the demo asks about first (the bundled samples name them); others by how much the corpus says
DEMO_INITIATIVES = ("Changwon Initiative", "Kubuqi International Desert Forum", "LDN Target Setting Programme 2.0")


def _initiatives(kg: KnowledgeGraph, n: int = 3) -> list[str]:
    out: list[str] = []
    for name in DEMO_INITIATIVES:
        try:
            node = resolve(kg, name, labels=["Initiative"])
        except UnkgError:
            continue
        if node not in out:
            out.append(node)
    out += [x for x in most_linked(kg, ["Initiative"], n + len(out)) if x not in out]
    return out[:n]


def answers(store: Store, kg: KnowledgeGraph, precedent: Optional[dict[str, Any]] = None) -> dict[str, Any]:
    """What the demo shows, as data (printed by `show`, emitted as JSON by `unkg demo --json`)."""
    out: dict[str, Any] = {"mandates": {}, "paths": [], "precedent": precedent}
    decision = _busiest_decision(store, "secretariat")
    if decision:
        rows = find_mandates(store, MandateFilter.of(addressee="secretariat", decision=decision))
        out["mandates"] = {"decision": decision, "addressee": "secretariat", "rows": rows}
    source = decision or next(iter(most_linked(kg, ["Decision"], 1)), None)
    for target in _initiatives(kg) if source else []:
        try:
            out["paths"].append(explain_path(kg, source, target))
        except UnkgError as exc:
            out["paths"].append({"source": {"id": source}, "target": {"id": target}, "error": str(exc)})
    return out


def _short(node: dict[str, Any], n: int = 48) -> str:
    name = str(node.get("name") or node["id"])
    return name if len(name) <= n else name[: n - 1] + "…"


def show(res: dict[str, Any], console: Console) -> None:
    """The answers, readable at 80 columns."""
    p = lambda s="", **kw: console.print(s, highlight=False, **kw)  # noqa: E731
    man = res["mandates"]
    p("[bold]1. Secretariat staff[/bold]: what were we asked to do, and what is still open?")
    if man:
        p(f"   unkg graph mandates --decision {man['decision'].removeprefix('decision:')} --addressee {man['addressee']}")
        for m in man["rows"]:
            p(f"   [cyan]{escape(m['citation'])}[/cyan]  [bold]{m['status']}[/bold]")
            p(f"     {escape(m['verb_en'] or m['verb'])}: {escape(m['action'][:160])}")
            for e in m["evidence"][:2]:
                p(f"     [dim]evidence:[/dim] {escape(e['citation'])}")
    else:
        p("   no mandates to the secretariat in the store")
    p()
    p("[bold]2. Negotiators[/bold]: has this wording been agreed before, in this language or another?")
    prec = res.get("precedent")
    if prec:
        p('   unkg precedents --any-language --text "…"')
        p(f"   [dim]pasted:[/dim] {escape(prec['query']['text'])}")
        for e in prec["found"][:2]:
            how = "translation" if e.get("translation") else f"similarity {e['similarity']:.2f}"
            p(f"     = [cyan]{escape(e['citation'])}[/cyan] ({e.get('language') or '-'}, {how})")
            p(f"       {escape((e['text'] if e.get('translation') else e['diff'])[:240])}")
    else:
        p("   no paragraph with an earlier or translated wording in the store")
    p()
    p("[bold]3. Researchers[/bold]: how are decisions linked to the initiatives?")
    for path in res["paths"]:
        if "error" in path:
            p(f"   {escape(path['source']['id'])} -> {escape(path['target']['id'])}: {escape(path['error'])}")
            continue
        p(f"   unkg graph path {escape(path['source']['id'])} {escape(path['target']['id'])}")
        for i, st in enumerate(path["steps"], 1):
            cite = (st.get("paragraph") or {}).get("citation") or "no paragraph"
            a, b = (st["from"], st["to"]) if st.get("direction") != "backward" else (st["to"], st["from"])
            p(f"     {i}. {escape(_short(a))} [dim]{st['type']}[/dim] {escape(_short(b))} ({escape(cite)})")
    p()
    p("Next: [bold]unkg serve[/bold] opens the web page (search, mandates with status, precedents, graph explorer) "
      "at http://127.0.0.1:8000/")


#: what a negotiator pastes in the demo: English wording of a request, to find where it was agreed, in any language
DEMO_PRECEDENT_TEXT = ("Requests the Global Mechanism to continue to support resource mobilization for the Sustainability, "
                       "Stability and Security Initiative, while developing other projects and initiatives that prioritize "
                       "decent work, including green jobs, and the livelihoods of vulnerable groups, including people living "
                       "in rural areas, indigenous peoples and local communities, women and youth, and persons with disabilities;")


def find_a_precedent(store: Store, text: str = DEMO_PRECEDENT_TEXT, search_options: Any = None) -> Optional[dict[str, Any]]:
    """Where wording like `text` was used before, in any language (search.precedents, as `unkg precedents --text`)."""
    from unkg.search.engine import Searcher
    from unkg.search.precedents import find_precedents

    try:
        found = find_precedents(Searcher(store, options=search_options), text=text, min_similarity=0.3, limit=3, same_language=False)
    except UnkgError:
        return None
    if not found:
        return None
    return {"query": {"paragraph_id": None, "citation": "pasted text", "language": "en", "text": text},
            "found": [p.as_dict() for p in found]}
