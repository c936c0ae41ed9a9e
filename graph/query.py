"""The questions users ask of the graph, answered in process (networkx).

* `mandates(kg, addressee=, decision=, session=, verb=, language=)`
* `neighbours(kg, node, depth=1)`
* `explain_path(kg, a, b)`: the shortest path between two entities, each step
  citing the paragraph it rests on
* `precedents(kg, decision)`: earlier decisions it cites or follows up
* `resolve(kg, text)`: "decision 22/COP.15", "Changwon Initiative", "昌原倡议" -> node id
* `find_nodes(kg, text, label=)`, `most_linked(kg, labels)`: the graph explorer's search and starting points

Every function returns plain dicts (JSON-ready); the CLI prints them.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, Optional

import heapq
import itertools
import math
import time


from unkg.errors import GraphError

from . import schema as S
from .build import KnowledgeGraph
from .names import acronym, name_keys, norm  # noqa: F401  (acronym: part of this module's API)

try:  # the path search over the compact adjacency, compiled (setup.py); where it could not be built, the Python one
    from . import _pathsearch
except ImportError:  # pragma: no cover - depends on the install
    _pathsearch = None

if TYPE_CHECKING:
    import networkx as nx

ENTITY_LABELS = ("Initiative", "Decision", "Actor", "Country", "Target", "Session", "Document", "Mandate", "Quantity", "Paragraph")
#: cost of walking a relationship type in path search: structure edges cost more than statements
EDGE_COST = {"HAS_PARAGRAPH": 3.0, "PART_OF": 1.5, "TRANSLATION_OF": 1.0, "FOR_SESSION": 2.0}
#: nodes whose many links make a path through them uninformative, and how much each doubling of links costs
HUB_LABELS = frozenset({"Actor", "Country", "Session"})
HUB_WEIGHT = 0.25


_norm = norm  # the one normalization of names (graph.names), kept under its old name


def _index(kg: KnowledgeGraph) -> dict[str, list[str]]:
    idx = getattr(kg, "_name_index", None)
    stamp = (kg.g.number_of_nodes(), kg.g.number_of_edges(), tuple(sorted(kg.built.items()))[:50])
    if idx is not None and getattr(kg, "_name_stamp", None) == stamp:
        return idx
    idx = {}
    for n, a in kg.g.nodes(data=True):
        for key in name_keys(a["label"], a):
            idx.setdefault(key, []).append(n)
    kg._name_index = idx  # type: ignore[attr-defined]
    kg._name_stamp = stamp  # type: ignore[attr-defined]
    return idx


def _named(kg, key: str) -> list[str]:
    """Nodes with exactly this name key (the store's name index where the graph is kept there)."""
    if hasattr(kg, "names_exact"):
        return kg.names_exact(key)
    return _index(kg).get(key, [])


def _named_like(kg, part: str) -> list[str]:
    """Nodes with a name key containing `part`."""
    if hasattr(kg, "names_containing"):
        return kg.names_containing(part)
    return [n for key, ns in _index(kg).items() if part in key for n in ns]


def _label(g, n: str) -> str:
    """A node's label without reading its properties where the graph can (the store-backed graph)."""
    fast = getattr(g, "label", None)
    return fast(n) if callable(fast) else g.nodes[n]["label"]


def _rank(kg: KnowledgeGraph, ids: Iterable[str]) -> list[str]:
    order = {label: i for i, label in enumerate(ENTITY_LABELS)}
    return sorted(set(ids), key=lambda n: (order.get(_label(kg.g, n), 99), -kg.g.degree(n), n))


def resolve(kg: KnowledgeGraph, text: str, labels: Optional[Iterable[str]] = None) -> str:
    """The node a user means: an id, a decision number, a name or alias (any language), or a unique part of one."""
    g = kg.g
    want = set(labels) if labels else None

    def ok(n: str) -> bool:
        return want is None or _label(g, n) in want

    t = text.strip()
    if t in g and ok(t):
        return t
    for cand in (S.normalize_decision(t), f"para:{t}", f"document:{t}", f"session:{t.replace(' ', '.')}"):
        if cand and cand in g and ok(cand):
            return cand
    exact = [n for n in _named(kg, _norm(t)) if ok(n)]
    if exact:
        return _rank(kg, exact)[0]
    q = _norm(t)
    partial = [n for n in _named_like(kg, q) if ok(n)]
    if partial:
        best = _rank(kg, partial)
        return sorted(best[:20], key=lambda n: (ENTITY_LABELS.index(_label(g, n)) if _label(g, n) in ENTITY_LABELS else 99, len(str(g.nodes[n].get("name", "")))))[0]
    raise GraphError(f"nothing in the graph matches {text!r}; try an id (`unkg graph neighbours ID`), a decision number like 22/COP.15, or a name")


#: labels a name search leaves out unless asked for by label (they have thousands of nodes and no names)
_UNNAMED_LABELS = ("Paragraph", "Quantity")


def find_nodes(kg: KnowledgeGraph, text: str, label: Optional[str] = None, limit: int = 20) -> list[str]:
    """Nodes whose name, symbol or alias (any language) contains `text`, best first: exact names, then names
    starting with it, then the most linked. With `label`, only that label, and ids containing `text` count too
    (how paragraphs are found). Name keys are looked up, never every node (the store's name index)."""
    q = _norm(text)
    if not q:
        return []
    g = kg.g
    found = set(_named_like(kg, q))
    if label:
        fast = getattr(kg, "ids_containing", None)
        found.update(fast(q, label, 10 * limit) if callable(fast) else
                     [n for n, a in g.nodes(data=True) if a.get("label") == label and q in n.lower()])
    scored = []
    for n in found:
        lab = _label(g, n)
        if (label and lab != label) or (not label and lab in _UNNAMED_LABELS):
            continue
        name = _norm(str(g.nodes[n].get("name") or ""))
        exact = name == q or n.lower() == q
        scored.append((not exact, not name.startswith(q), -g.degree(n), n))
    scored.sort()
    return [s[-1] for s in scored[:limit]]


def most_linked(kg: KnowledgeGraph, labels: Iterable[str], limit: int = 50) -> list[str]:
    """The nodes of these labels with the most relationships (where a graph explorer starts)."""
    fast = getattr(kg, "most_linked", None)
    if callable(fast):
        return fast(labels, limit)
    want = set(labels)
    g = kg.g
    return sorted((n for n, a in g.nodes(data=True) if a.get("label") in want), key=lambda n: -g.degree(n))[:limit]


def node_info(kg: KnowledgeGraph, n: str) -> dict[str, Any]:
    a = kg.g.nodes[n]
    return {"id": n, "label": a["label"], "name": a.get("name")}


def paragraph_info(kg: KnowledgeGraph, block_id: Optional[str], snippet: int = 400) -> Optional[dict[str, Any]]:
    if not block_id:
        return None
    pid = S.paragraph_node_id(block_id)
    if pid not in kg.g:
        return {"id": block_id}
    a = kg.g.nodes[pid]
    doc = kg.g.nodes.get(S.document_node_id(a.get("doc", "")), {})
    text = a.get("text", "")
    return {"id": block_id, "citation": a.get("name"), "document": a.get("doc"), "symbol": doc.get("symbol"),
            "title": doc.get("title"), "page": a.get("page"), "label": a.get("para_label"), "language": a.get("language"),
            "text": text if len(text) <= snippet else text[:snippet] + "…"}


# -- neighbourhood -------------------------------------------------------------------------------


#: the defaults every entry point uses (CLI, HTTP API, web page)
MAX_PATH_STEPS = 12


def neighbours(kg: KnowledgeGraph, node: str, depth: int = 1, types: Optional[Iterable[str]] = None,
               limit: int = 200, include_paragraphs: bool = True, edge_budget: Optional[int] = None,
               time_budget_s: Optional[float] = None) -> dict[str, Any]:
    """Nodes within `depth` steps (either direction) and the relationships between them, with provenance.

    The one traversal behind the CLI, the HTTP API and the graph explorer: the most connected
    neighbours come first, so a node with hundreds of paragraphs shows its hubs before the limit."""
    g = kg.g
    start = resolve(kg, node)
    allowed = {S.check_rel_type(t.upper()) for t in types} if types else None
    seen = {start: 0}
    frontier = [start]
    edges = []
    truncated = False
    deadline = time.monotonic() + time_budget_s if time_budget_s is not None else None
    looked = 0
    for d in range(1, depth + 1):
        nxt = []
        for n in frontier:
            # a budget of work (edges looked at, seconds) for callers that answer untrusted requests
            looked += g.degree(n)
            if (edge_budget is not None and looked > edge_budget) or (deadline is not None and time.monotonic() > deadline):
                truncated = True
                break
            cand = list(g.out_edges(n, keys=True, data=True)) + list(g.in_edges(n, keys=True, data=True))
            cand.sort(key=lambda e: (-g.degree(e[1] if e[0] == n else e[0]), e[2]))
            for u, v, k, a in cand:
                if allowed and a["type"] not in allowed:
                    continue
                other = v if u == n else u
                if not include_paragraphs and _label(g, other) == "Paragraph" and other != start:
                    continue
                if other not in seen:
                    if len(seen) >= limit:
                        truncated = True
                        continue
                    seen[other] = d
                    nxt.append(other)
                edges.append((u, v, k, a))
        frontier = nxt
    uniq = {}
    for u, v, k, a in edges:
        if u in seen and v in seen:
            uniq[k] = {"source": u, "target": v, "type": a["type"], "key": k, "paragraph": a.get("paragraph")}
    return {"node": node_info(kg, start),
            "nodes": [dict(node_info(kg, n), depth=dd) for n, dd in sorted(seen.items(), key=lambda x: (x[1], x[0]))],
            "relationships": list(uniq.values()), "truncated": truncated}


# -- explained shortest path --------------------------------------------------------------------


def _best_edge(g: nx.MultiDiGraph, a: str, b: str) -> tuple[str, str, str, dict]:
    cands = [(a, b, k, d) for k, d in (g.get_edge_data(a, b) or {}).items()]
    cands += [(b, a, k, d) for k, d in (g.get_edge_data(b, a) or {}).items()]
    return min(cands, key=lambda e: (EDGE_COST.get(e[3]["type"], 1.0), e[3].get("paragraph") is None, e[2]))


def _undirected(g, n: str) -> dict[str, dict[str, dict]]:
    """The relationships at `n` either way, by the node at their other end: {other: {key: attributes}}."""
    fast = getattr(g, "undirected", None)
    if callable(fast) and not hasattr(g, "adj"):  # not a networkx graph
        return fast(n)  # the store-backed graph: types only, one read
    out: dict[str, dict[str, dict]] = {}
    for _, v, k, a in g.out_edges(n, keys=True, data=True):
        out.setdefault(v, {})[k] = a
    for u, _, k, a in g.in_edges(n, keys=True, data=True):
        out.setdefault(u, {})[k] = a
    return out


def _paths_to(source: str, node: str, pred: dict[str, list[str]]) -> Iterator[list[str]]:
    """Every path from `source` to `node` along the predecessor lists of a shortest-path search."""
    if node == source:
        yield [node]
        return
    for p in pred.get(node, ()):
        for path in _paths_to(source, p, pred):
            yield path + [node]


#: nodes with more relationships than this are expanded only when the search reaches the nearest distance
#: any of their neighbours could have (a hub is settled cheaply, its thousands of links read only if needed)
DEFER_DEGREE = 256
#: relationships a path search may read (the sum of the degrees of the nodes it expands): the work, the time
#: and the memory of one question stay bounded, and a path that needs more is answered "not within the budget"
PATH_BUDGET = 50000


class PathBudgetExceeded(GraphError):
    """The search read its budget of relationships before it could tell the cheapest path."""

    def __init__(self, message: str, read: int, budget: int) -> None:
        super().__init__(message)
        self.read = read
        self.budget = budget


class _Weighed:
    """What the path search reads of a graph: a node's degree, its neighbours with the cost of going there, the cost
    between two nodes. This one reads any graph (networkx, the tables) through `_undirected` and a cost function;
    `_CompactWeighed` reads the compact adjacency (graph.path_index) with the costs computed per node in numpy."""

    def __init__(self, g, cost: Callable[[str, str, dict], Optional[float]], hub_cost: Optional[Callable[[str], float]],
                 defer_degree: int) -> None:
        self.g, self.cost, self.hub_cost, self.defer_degree = g, cost, hub_cost, defer_degree

    def node(self, n: str):
        return n

    def id_of(self, x) -> str:
        return x

    def degree(self, v) -> int:
        return self.g.degree(v)

    def hub(self, v) -> float:
        return self.hub_cost(v) if self.hub_cost else 0.0

    def neighbours(self, v) -> list[tuple[Any, float, bool]]:
        """(node, cost from v, whether it has more than `defer_degree` relationships) of the nodes linked to v."""
        out = []
        g, cost, big = self.g, self.cost, self.defer_degree
        for u, data in _undirected(g, v).items():
            w = cost(v, u, data)
            if w is not None:
                out.append((u, w, g.degree(u) > big))
        return out

    def link(self, v, h) -> Optional[float]:
        """The cost between two nodes (relationships either way), None when none is walkable."""
        g = self.g
        data = {**(g.get_edge_data(v, h) or {}), **(g.get_edge_data(h, v) or {})}
        return self.cost(v, h, data) if data else None


def _shortest_path(g, s: str, t: str, cost: Callable[[str, str, dict], Optional[float]],
                   most: int = 500, eps: float = 1e-9, hub_cost: Optional[Callable[[str], float]] = None,
                   defer_degree: Optional[int] = None, budget: Optional[int] = None,
                   weighed: Optional[Any] = None) -> Optional[list[str]]:
    """The smallest (as a list of ids) of the cheapest paths from s to t (up to `most` of them), or None.

    Bidirectional Dijkstra: one search from each end, each going on until its nearest unsettled
    node is farther than half the best known length. Every cheapest path then runs through nodes
    settled from s up to an edge into nodes settled from t, so all of them are found, while only
    two balls of half the length are read, never the whole graph (which a store-backed graph reads
    node by node). Every cost is at least 1.

    A node of many relationships, once settled, waits in the queue under a lower bound of its
    neighbours' distances (1 + half its hub cost) and is expanded only when the search gets there
    (before any node at that distance: no predecessor is missed); two settled waiting nodes of the
    two searches are checked for a relationship between them, so no meeting is missed either.

    `budget`: the relationships the search may read (the degrees of the nodes it expands, counted before
    each expansion, so the same on every form of the graph). A search that would read more stops and
    raises PathBudgetExceeded: no answer rather than a possibly wrong one, after bounded work.

    `weighed`: what the search reads the graph through (`_Weighed` over `g` and `cost` when not given; the
    compact adjacency's `_CompactWeighed`: the same degrees, neighbours and costs, so the same answer; its
    nodes are numbers that sort as their ids, so paths are compared as they are and only the answer is named)."""
    defer_degree = DEFER_DEGREE if defer_degree is None else defer_degree
    wg = weighed if weighed is not None else _Weighed(g, cost, hub_cost, defer_degree)
    s, t = wg.node(s), wg.node(t)
    compiled = getattr(wg, "compiled_search", None)
    if compiled is not None and defer_degree == wg.defer_degree:
        status, read, meets, pred_s, pred_t = compiled(budget, eps)
        if status == 2:
            raise PathBudgetExceeded(f"the path search read more than {budget:,} relationships", read, budget)
        return None if status == 0 else [wg.id_of(x) for x in _smallest_joined((s, t), meets, (pred_s, pred_t), most)]
    read = 0
    ends = (s, t)
    dist: tuple[dict, dict] = ({}, {})
    seen: tuple[dict, dict] = ({s: 0.0}, {t: 0.0})
    pred: tuple[dict, dict] = ({s: []}, {t: []})
    relaxed: tuple[list, list] = ([], [])
    waiting: tuple[dict, dict] = ({}, {})  # settled, not yet expanded
    counter = itertools.count()
    # (distance, 0 for an expansion / 1 for a node, order, node): an expansion comes before nodes at its distance
    fringe: tuple[list, list] = ([(0.0, 1, next(counter), s)], [(0.0, 1, next(counter), t)])
    best = math.inf
    push = heapq.heappush

    def expand(side: int, v, d: float) -> None:
        nonlocal best, read
        if budget is not None:
            read += wg.degree(v)
            if read > budget:
                raise PathBudgetExceeded(f"the path search read more than {budget:,} relationships", read, budget)
        other = dist[1 - side]
        other_seen = seen[1 - side]
        mine, mine_seen, mine_pred, mine_fringe, mine_relaxed = dist[side], seen[side], pred[side], fringe[side], relaxed[side]
        for u, w, big in wg.neighbours(v):
            vu = d + w
            # kept for the meeting check: a relationship into the other search, or to a node that may wait
            # (its own expansion may never come); any other meeting is seen from the other side's expansion
            if big or u in other_seen:
                mine_relaxed.append((v, u, w))
            if u in other:
                best = min(best, vu + other[u])
            if u in mine:
                if vu == mine[u]:
                    mine_pred[u].append(v)
                continue
            su = mine_seen.get(u)
            if su is None or vu < su:
                mine_seen[u] = vu
                push(mine_fringe, (vu, 1, next(counter), u))
                mine_pred[u] = [v]
            elif vu == su:
                mine_pred[u].append(v)

    while True:
        tops = [f[0][0] if f else math.inf for f in fringe]
        open_sides = [i for i in (0, 1) if tops[i] < math.inf and (best == math.inf or tops[i] <= best / 2 + eps)]
        if not open_sides or (best == math.inf and math.inf in tops):
            break
        side = min(open_sides, key=lambda i: (tops[i], i))
        d, kind, _, v = heapq.heappop(fringe[side])
        if kind == 0:
            expand(side, v, waiting[side].pop(v))
            continue
        if v in dist[side]:
            continue
        dist[side][v] = d
        other = dist[1 - side]
        if v in other:
            best = min(best, d + other[v])
        if v not in ends and wg.degree(v) > defer_degree:
            waiting[side][v] = d
            heapq.heappush(fringe[side], (d + 1.0 + wg.hub(v) / 2, 0, next(counter), v))
            for h, dh in waiting[1 - side].items():  # two waiting hubs of the two searches side by side
                w = wg.link(v, h)
                if w is not None:
                    relaxed[side].append((v, h, w))
                    best = min(best, d + w + dh)
            continue
        expand(side, v, d)
    # the running best can miss a meeting found after both ends were settled (a waiting hub): the length is
    # taken again from every relationship seen between the two searches (it only ever over-estimated, so
    # the searches went at least as far as needed)
    best = math.inf
    for side in (0, 1):
        for v, u, w in relaxed[side]:
            if u in dist[1 - side]:
                best = min(best, dist[side][v] + w + dist[1 - side][u])
    if best == math.inf:
        return None
    meets = set()
    for side in (0, 1):
        for v, u, w in relaxed[side]:
            if u in dist[1 - side] and abs(dist[side][v] + w + dist[1 - side][u] - best) <= eps * max(1.0, best):
                meets.add((v, u) if side == 0 else (u, v))
    return [wg.id_of(x) for x in _smallest_joined(ends, meets, pred, most)]


def _smallest_joined(ends: tuple, meets: Iterable[tuple], pred: tuple[dict, dict], most: int) -> list:
    """The smallest of the paths (a head from s to a) + (a tail from b to t), over every meeting (a, b).

    No head is a prefix of another (each ends at a, a node a cheapest path passes once), nor any tail, so the
    smallest joined path is the smallest head joined to the smallest tail, without joining every pair."""
    paths = []
    for a, b in sorted(meets):
        heads = list(itertools.islice(_paths_to(ends[0], a, pred[0]), most))
        tails = [tl[::-1] for tl in itertools.islice(_paths_to(ends[1], b, pred[1]), most)]
        if heads and tails:
            paths.append(min(heads) + min(tails))
    return min(paths)


class _CompactWeighed:
    """`_Weighed` on the compact adjacency (graph.path_index): nodes are numbers, a node's relationships one slice,
    the costs computed with explain_path's rules (`cost`, `hub`: the same floating-point operations in the same
    order, so the same distances to the last bit): in numpy for a node of many relationships, in plain Python
    for the many nodes of a few (where numpy's per-call cost would dominate).

    Node numbers sort as their ids do (positions among the ids sorted), so the smallest path is told from the
    numbers and only the answer is turned back into ids."""

    #: relationships from which a node's neighbours are weighed in numpy
    VECTOR_FROM = 48

    def __init__(self, index, s: str, t: str, avoid_documents: bool, defer_degree: int) -> None:
        import numpy as np

        self.np = np
        self.ix = index
        # plain arrays (a memmap's per-slice bookkeeping costs more than the slice)
        self.off = np.asarray(index.off).view(np.ndarray)
        self.nbr = np.asarray(index.nbr).view(np.ndarray)
        self.etype = np.asarray(index.etype).view(np.ndarray)
        self.label = np.asarray(index.label).view(np.ndarray)
        self.s, self.t = index.index_of(s), index.index_of(t)
        self._ids = {self.s: s, self.t: t}
        self.defer_degree = defer_degree
        self.avoid_documents = avoid_documents
        self.doc_code = index.labels.index("Document") if "Document" in index.labels else -1
        self.hub_codes = [lab in HUB_LABELS for lab in index.labels]
        self.hub_label = np.array(self.hub_codes + [False], dtype=bool)
        self.type_costs = [EDGE_COST.get(ty, 1.0) for ty in index.types]
        self.type_cost = np.array(self.type_costs + [1.0], dtype=np.float64)
        self._hub_deg: dict[int, float] = {}
        #: the whole search in compiled code (graph/_pathsearch.c: the same search, the same answer), when built
        self.compiled_search = self._compiled if _pathsearch is not None and None not in (self.s, self.t) else None

    def _compiled(self, budget: Optional[int], eps: float) -> tuple:
        """(status, read, meetings, predecessors from s, from t): see graph/_pathsearch.c."""
        try:
            return _pathsearch.search(self.off, self.nbr, self.etype, self.label, self.type_costs, self.hub_codes,
                                      self.doc_code, self.s, self.t, self.avoid_documents, self.defer_degree, HUB_WEIGHT,
                                      -1 if budget is None else budget, eps)
        except ValueError as exc:  # a damaged file beside the store: name it, and how to mend it
            where = self.ix.path or "the path index"
            raise GraphError(f"{exc}: {where}; remove it and the next path question builds it again") from None

    def node(self, n: str) -> int:
        return self.s if n == self._ids[self.s] else self.t

    def id_of(self, x: int) -> str:
        return self.ix.id_of(x)

    def degree(self, v: int) -> int:
        off = self.off.item
        return off(v + 1) - off(v)

    def _hub_of(self, degree: int) -> float:
        got = self._hub_deg.get(degree)
        if got is None:
            got = self._hub_deg[degree] = HUB_WEIGHT * math.log2(1 + degree)
        return got

    def hub(self, v: int) -> float:
        if v == self.s or v == self.t or not self.hub_codes[self.label.item(v)]:
            return 0.0
        return self._hub_of(self.degree(v))

    def _weigh(self, v: int, a: int, b: int) -> tuple[list, list, list]:
        """(neighbours, costs, many relationships) of the nodes linked to v by entries a:b of its slice."""
        np = self.np
        if b <= a:
            return [], [], []
        s, t, off, doc = self.s, self.t, self.off, self.doc_code
        hv = self.hub(v)
        skip_docs = self.avoid_documents and v != s and v != t
        v_doc = skip_docs and self.label.item(v) == doc
        if b - a < self.VECTOR_FROM:
            nb = self.nbr[a:b].tolist()
            tys = self.etype[a:b].tolist()
            us: list[int] = []
            tcs: list[float] = []
            tc_of = self.type_costs
            for u, ty in zip(nb, tys):
                c = tc_of[ty]
                if us and us[-1] == u:
                    if c < tcs[-1]:
                        tcs[-1] = c
                else:
                    us.append(u)
                    tcs.append(c)
            lab_of, off_of = self.label.item, off.item  # a scalar each: cheaper than numpy calls on a few nodes
            hub_codes, big = self.hub_codes, self.defer_degree
            out_u, out_w, out_b = [], [], []
            for u, tc in zip(us, tcs):
                lab = lab_of(u)
                end = u == s or u == t
                if skip_docs and not end and (v_doc or lab == doc):
                    continue
                dg = off_of(u + 1) - off_of(u)
                hu = 0.0 if end or not hub_codes[lab] else self._hub_of(dg)
                out_u.append(u)
                out_w.append(tc + (hv + hu) / 2)
                out_b.append(dg > big)
            return out_u, out_w, out_b
        nb = self.nbr[a:b]
        first = np.empty(len(nb), dtype=bool)
        first[0] = True
        np.not_equal(nb[1:], nb[:-1], out=first[1:])
        starts = np.flatnonzero(first)
        ua = nb[starts]
        tc = np.minimum.reduceat(self.type_cost[self.etype[a:b]], starts)
        deg = off[ua + 1] - off[ua]
        labs = self.label[ua]
        hu = np.zeros(len(ua))
        is_hub = self.hub_label[labs]
        if is_hub.any():
            hu[is_hub] = [self._hub_of(k) for k in deg[is_hub].tolist()]
        ends = (ua == s) | (ua == t)
        hu[ends] = 0.0
        w = tc + (hv + hu) / 2
        big = deg > self.defer_degree
        if skip_docs:
            keep = ends if v_doc else (labs != doc) | ends
            ua, w, big = ua[keep], w[keep], big[keep]
        return ua.tolist(), w.tolist(), big.tolist()

    def neighbours(self, v: int) -> Iterable[tuple[int, float, bool]]:
        off = self.off.item
        return zip(*self._weigh(v, off(v), off(v + 1)))

    def link(self, v: int, h: int) -> Optional[float]:
        a, b = int(self.off[v]), int(self.off[v + 1])
        nb = self.nbr[a:b]
        lo, hi = int(nb.searchsorted(h, "left")), int(nb.searchsorted(h, "right"))
        _, w, _ = self._weigh(v, a + lo, a + hi)
        return w[0] if w else None


def explain_path(kg: KnowledgeGraph, source: str, target: str, max_len: int = MAX_PATH_STEPS,
                 avoid_documents: bool = True, budget: Optional[int] = PATH_BUDGET) -> dict[str, Any]:
    """The shortest path between two entities; each step names its relationship and cites its paragraph.

    The search reads at most `budget` relationships (None: no bound); past it the answer is
    PathBudgetExceeded (a GraphError) naming the budget, in bounded time and memory."""
    g = kg.g
    s, t = resolve(kg, source), resolve(kg, target)
    if s == t:
        raise GraphError(f"{source!r} and {target!r} are the same node ({s})")

    hubs: dict[str, float] = {}
    labels: dict[str, str] = {}

    def label(n: str) -> str:
        got = labels.get(n)
        if got is None:
            got = labels[n] = _label(g, n)
        return got

    def hub(n: str) -> float:
        # passing through a generic actor everyone is linked to ("UNCCD secretariat") explains little:
        # it costs more the more links it has, so specific links (a paragraph, a mandate) win
        got = hubs.get(n)
        if got is None:
            got = hubs[n] = 0.0 if n in (s, t) or label(n) not in HUB_LABELS else HUB_WEIGHT * math.log2(1 + g.degree(n))
        return got

    def cost(u: str, v: str, data: dict) -> Optional[float]:
        if avoid_documents and (label(u) == "Document" or label(v) == "Document") and s not in (u, v) and t not in (u, v):
            return None  # a document links all of its paragraphs: "same document" is no explanation
        return min(EDGE_COST.get(d["type"], 1.0) for d in data.values()) + (hub(u) + hub(v)) / 2

    # the compact adjacency where the graph keeps one (the store's tables): the same search, read from arrays
    index = kg.path_index() if hasattr(kg, "path_index") else None
    weighed = _CompactWeighed(index, s, t, avoid_documents, DEFER_DEGREE) if index is not None else None
    if weighed is not None and (weighed.s is None or weighed.t is None):
        weighed = None  # the tables changed since the index was read: read them
    # the same path whatever order the graph was loaded in: the smallest of the (first 500) equally short paths
    try:
        nodes = _shortest_path(g, s, t, cost, hub_cost=hub, budget=budget, weighed=weighed)
    except PathBudgetExceeded as exc:
        raise PathBudgetExceeded(
            f"no path between {s} and {t} found within the search budget ({exc.budget:,} relationships read): "
            "the two are far apart or linked only through nodes of very many relationships", exc.read, exc.budget) from None
    if nodes is None:
        if avoid_documents:
            return explain_path(kg, source, target, max_len, avoid_documents=False, budget=budget)
        raise GraphError(f"no path between {s} and {t} in the graph")
    if len(nodes) - 1 > max_len:
        raise GraphError(f"the shortest path between {s} and {t} has {len(nodes) - 1} steps, more than {max_len}")
    steps = []
    for a, b in zip(nodes, nodes[1:]):
        u, v, k, d = _best_edge(g, a, b)
        para = d.get("paragraph")
        if not para:
            for end in (u, v):
                if _label(g, end) == "Paragraph":
                    para = g.nodes[end].get("block")
        p = paragraph_info(kg, para)
        fwd = (u == a)
        sentence = f"{g.nodes[u].get('name')} {d['type']} {g.nodes[v].get('name')}"
        steps.append({"from": node_info(kg, a), "to": node_info(kg, b), "type": d["type"],
                      "direction": "forward" if fwd else "backward", "key": k, "paragraph": p,
                      "explanation": f"{sentence} ({p.get('citation') if p else 'no paragraph'})"})
    return {"source": node_info(kg, s), "target": node_info(kg, t), "length": len(steps), "steps": steps}


# -- precedents -------------------------------------------------------------------------------------


_OPENING = re.compile(r"^\s*(?:[(\[]?[\w.]{1,6}[.)\]]\s+)?(?P<w>[^\W\d_]+(?:\s+(?:also|further|again|in mind|note|with appreciation))?)", re.UNICODE)
_ZH_OPENING = re.compile(r"^\s*(?:[(（]?[\w.]{1,6}[.)）]\s*)?(?P<w>又|还|并|再次)?(?P<v>忆及|回顾|重申|确认|欢迎|注意到|赞赏|认识到|铭记|提及|请|决定)")


def citing_wording(text: str) -> Optional[str]:
    """The verb a paragraph cites with: "Recalling", "Reaffirming also", "Recalls", "忆及" (None when it cannot tell)."""
    m = _ZH_OPENING.match(text or "")
    if m:
        return (m.group("w") or "") + m.group("v")
    m = _OPENING.match(text or "")
    return m.group("w") if m else None


def _documents_of(kg: KnowledgeGraph, decision: str) -> list[str]:
    """Stored documents that are this decision or resolution ("A/RES/75/218" is resolution 75/218)."""
    sym = decision.split(":", 1)[-1]
    docs = kg.nodes_with_label("Document") if hasattr(kg, "nodes_with_label") else kg.g.nodes(data=True)
    return [n for n, a in docs
            if a["label"] == "Document" and a.get("doc")
            and (a.get("symbol") == sym or S.normalize_decision(a.get("symbol") or "") == decision)]


def precedents(kg: KnowledgeGraph, decision: str, depth: int = 5) -> list[dict[str, Any]]:
    """Earlier decisions and resolutions a decision follows up or cites ("Recalling its resolution 74/220",
    "忆及第 22/COP.15 号决定"), oldest first, each with the paragraph that says so and its wording. The
    citation links are followed further through every cited text the graph holds (up to `depth` steps)."""
    g = kg.g
    d0 = resolve(kg, decision, labels=("Decision",))
    out: dict[str, dict[str, Any]] = {}
    frontier = [(d0, 0)]
    seen = {d0}
    while frontier:
        cur, dist = frontier.pop(0)
        if dist >= depth:
            continue
        found = []
        for _, v, a in g.out_edges(cur, data=True):
            if a["type"] == "FOLLOWS_UP":
                found.append((v, "FOLLOWS_UP", a.get("paragraph"), a.get("rule"), None))
        # the citations in the text of the decision itself, where the graph holds it
        for doc in _documents_of(kg, cur):
            for _, p, e in g.out_edges(doc, data=True):
                if e["type"] != "HAS_PARAGRAPH":
                    continue
                ptext = g.nodes[p].get("text", "")
                for _, c, ce in g.out_edges(p, data=True):
                    if ce["type"] == "CITES" and g.nodes[c]["label"] == "Decision" and c != cur:
                        found.append((c, "CITES", ce.get("paragraph"), "cited in the text", citing_wording(ptext)))
        for v, rel, para, rule, wording in found:
            if v in seen:
                continue
            # a follow-up goes back in time; a citation may only name an earlier text of the same series
            if S.sort_key_decision(v)[0] == S.sort_key_decision(d0)[0] and S.sort_key_decision(v) >= S.sort_key_decision(d0) \
                    and S.sort_key_decision(d0)[0] != "~":
                continue
            seen.add(v)
            out[v] = {"decision": node_info(kg, v), "relation": rel, "rule": rule, "wording": wording, "steps": dist + 1,
                      "session": g.nodes[v].get("session"), "paragraph": paragraph_info(kg, para)}
            frontier.append((v, dist + 1))
    return sorted(out.values(), key=lambda r: (S.sort_key_decision(r["decision"]["id"]), r["decision"]["id"]))
