"""The knowledge graph answered from the store's graph tables, loading only what a question touches.

`TableGraph` offers the part of networkx's MultiDiGraph read API the questions use (nodes[n],
degree, has_node / `in`, in_edges / out_edges with keys and data, get_edge_data, edges[u, v, k],
number_of_nodes / number_of_edges), each call an indexed read of `unkg.corpus.graph_tables`,
with a small cache. `StoreGraph` stands where `build.KnowledgeGraph` does for the questions
(graph.query), so they answer the same either way.

`build_tables` brings the tables up to date with the store, one transaction per changed
document: the same contributions (`build.document_contribution`), the same merging of shared
nodes and the same provenance moves as `KnowledgeGraph.add_document` / `remove_document`.
"""

from __future__ import annotations

import json
import time
from collections import OrderedDict
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, Optional

if TYPE_CHECKING:
    import networkx as nx

from unkg.corpus.graph_tables import GraphTables

from . import schema as S
from .build import BuildReport, Contribution, KnowledgeGraph, contributions, initiative_aliases, store_fingerprints

#: nodes whose attributes stay cached in one process (paragraph texts make them the big part)
NODE_CACHE = 20000
ADJ_CACHE = 4000
#: relationships held by the adjacency cache at most (a hub alone can have a hundred thousand)
ADJ_CACHE_EDGES = 200000
META_CACHE = 300000


class _LRU(OrderedDict):
    """Least recently used first out, bounded by entries and by their total weight (relationships held)."""

    def __init__(self, size: int, weight: int = 0) -> None:
        super().__init__()
        self.size = size
        self.max_weight = weight
        self.weight = 0
        self._w: dict = {}

    def put(self, k, v, w: int = 0) -> None:
        self.weight += w - self._w.pop(k, 0)
        self._w[k] = w
        self[k] = v
        self.move_to_end(k)
        while len(self) > self.size or (self.max_weight and self.weight > self.max_weight and len(self) > 1):
            old, _ = self.popitem(last=False)
            self.weight -= self._w.pop(old, 0)

    def clear(self) -> None:
        super().clear()
        self._w.clear()
        self.weight = 0


_TYPE_ONLY: dict[str, dict[str, str]] = {}


class _Nodes:
    """`g.nodes`: nodes[n] -> attributes (label and properties), `n in nodes`, nodes.get(n, default)."""

    def __init__(self, g: "TableGraph") -> None:
        self._g = g

    def __getitem__(self, n: str) -> dict[str, Any]:
        a = self._g._attrs(n)
        if a is None:
            raise KeyError(n)
        return a

    def get(self, n: str, default: Any = None) -> Any:
        a = self._g._attrs(n)
        return default if a is None else a

    def __contains__(self, n: object) -> bool:
        return isinstance(n, str) and self._g.has_node(n)

    def __call__(self, data: Any = False) -> Iterator:
        """Every node (a whole-table read: exports only, never a question)."""
        for n, label, props in self._g.tables.all_nodes():
            a = {"label": label, **props}
            if data is True:
                yield n, a
            elif data:
                yield n, a.get(data)
            else:
                yield n

    def __iter__(self) -> Iterator[str]:
        return self(data=False)

    def __len__(self) -> int:
        return self._g.number_of_nodes()


class _Edges:
    """`g.edges[u, v, k]` -> attributes (type and properties)."""

    def __init__(self, g: "TableGraph") -> None:
        self._g = g

    def __getitem__(self, e: tuple[str, str, str]) -> dict[str, Any]:
        d = self._g.get_edge_data(e[0], e[1], e[2])
        if d is None:
            raise KeyError(e)
        return d


class TableGraph:
    """A read-only MultiDiGraph over the graph tables."""

    def __init__(self, tables: GraphTables) -> None:
        self.tables = tables
        self._node_cache: _LRU = _LRU(NODE_CACHE)
        self._meta: dict[str, tuple[str, int]] = {}  # node -> (label, degree): small, filled by adjacency reads
        self._adj: _LRU = _LRU(ADJ_CACHE, ADJ_CACHE_EDGES)
        self.nodes = _Nodes(self)
        self.edges = _Edges(self)

    def _trim(self) -> None:
        """Keep the (label, degree) memo bounded: a long path search meets millions of nodes."""
        if len(self._meta) > META_CACHE:
            self._meta.clear()

    def clear_cache(self) -> None:
        self._node_cache.clear()
        self._meta.clear()
        self._adj.clear()

    # -- nodes -------------------------------------------------------------------
    def _attrs(self, n: str) -> Optional[dict[str, Any]]:
        a = self._node_cache.get(n)
        if a is None:
            row = self.tables.node(n)
            if row is None:
                return None
            a = {"label": row[0], **row[2]}
            self._node_cache.put(n, a)
            self._meta[n] = (row[0], row[1])
        return a

    def _label_degree(self, n: str) -> Optional[tuple[str, int]]:
        m = self._meta.get(n)
        if m is None:
            m = self.tables.label_and_degree(n)
            if m is not None:
                self._meta[n] = m
        return m

    def label(self, n: str) -> str:
        m = self._label_degree(n)
        if m is None:
            raise KeyError(n)
        return m[0]

    def has_node(self, n: str) -> bool:
        return isinstance(n, str) and self._label_degree(n) is not None

    __contains__ = has_node

    def degree(self, n: str) -> int:
        m = self._label_degree(n)
        if m is None:
            raise KeyError(n)
        return m[1]

    def number_of_nodes(self) -> int:
        return self.tables.count_nodes()

    def number_of_edges(self) -> int:
        return self.tables.count_edges()

    # -- relationships -------------------------------------------------------------
    def _adjacency(self, n: str, out: bool) -> list[tuple[str, str, str, dict[str, Any]]]:
        key = (n, out)
        got = self._adj.get(key)
        if got is None:
            rows = self.tables.out_adjacency(n) if out else self.tables.in_adjacency(n)
            got = []
            self._trim()
            for src, dst, k, t, props, label, deg in rows:
                self._meta[dst if out else src] = (label, deg)
                got.append((src, dst, k, {"type": t, **json.loads(props)}))
            self._adj.put(key, got, len(got))
        return got

    @staticmethod
    def _shape(rows, keys: bool, data: Any) -> list[tuple]:
        out = []
        for u, v, k, a in rows:
            t: tuple = (u, v) + ((k,) if keys else ())
            if data is True:
                t += (a,)
            elif data:
                t += (a.get(data),)
            out.append(t)
        return out

    def out_edges(self, n: str, keys: bool = False, data: Any = False) -> list[tuple]:
        return self._shape(self._adjacency(n, True), keys, data)

    def in_edges(self, n: str, keys: bool = False, data: Any = False) -> list[tuple]:
        return self._shape(self._adjacency(n, False), keys, data)

    def successors(self, n: str) -> Iterator[str]:
        return iter(dict.fromkeys(v for _, v, _, _ in self._adjacency(n, True)))

    def predecessors(self, n: str) -> Iterator[str]:
        return iter(dict.fromkeys(u for u, _, _, _ in self._adjacency(n, False)))

    def undirected(self, n: str) -> dict[str, dict[str, dict[str, Any]]]:
        """{other end: {key: {"type": type}}} of the relationships at n either way: what a path search weighs
        (the type only, none of the properties)."""
        key = (n, None)
        got = self._adj.get(key)
        if got is None:
            got = {}
            self._trim()
            rows = self.tables.undirected_types(n)
            for other, k, t, label, deg in rows:
                self._meta[other] = (label, deg)
                got.setdefault(other, {})[k] = _TYPE_ONLY.setdefault(t, {"type": t})  # shared, read only
            self._adj.put(key, got, len(rows))
        return got

    def get_edge_data(self, u: str, v: str, key: Optional[str] = None, default: Any = None) -> Any:
        if key is not None:
            row = self.tables.edge(u, v, key)
            return {"type": row[0], **json.loads(row[1])} if row else default
        rows = self.tables.edges_between(u, v)
        if not rows:
            return default
        d = {k: {"type": t, **json.loads(p)} for k, t, p in rows}
        if key is not None:
            return d.get(key, default)
        return d

    def has_edge(self, u: str, v: str, key: Optional[str] = None) -> bool:
        d = self.get_edge_data(u, v)
        return bool(d) and (key is None or key in d)

    def to_networkx(self) -> "nx.MultiDiGraph":
        """The whole graph in memory (for exports and servers that need every node)."""
        import networkx as nx

        g = nx.MultiDiGraph()
        for n, label, props in self.tables.all_nodes():
            g.add_node(n, label=label, **props)
        for u, v, k, t, props in self.tables.all_edges():
            g.add_edge(u, v, key=k, type=t, **props)
        return g


class StoreGraph:
    """The graph as the questions see it (`kg.g`, `kg.built`), answered from the store's tables."""

    def __init__(self, store, tables: Optional[GraphTables] = None, compact_paths: bool = True) -> None:
        self.store = store
        self.tables = tables or GraphTables(store)
        self.g = TableGraph(self.tables)
        self.version = S.GRAPH_VERSION
        self.compact_paths = compact_paths
        self._paths = None

    def path_index(self):
        """The compact adjacency the path search reads (graph.path_index), up to date with the tables (built again
        when they changed), or None when this graph was opened without it (`compact_paths=False`)."""
        if not self.compact_paths:
            return None
        from . import path_index

        self._paths = path_index.current(self.tables, self._paths)
        return self._paths

    @property
    def built(self) -> dict[str, str]:
        return self.tables.built()

    # look-ups the questions make without scanning every node
    def names_exact(self, key: str) -> list[str]:
        return self.tables.names_exact(key)

    def names_containing(self, part: str) -> list[str]:
        return self.tables.names_containing(part)

    def ids_containing(self, part: str, label: str, limit: int) -> list[str]:
        return self.tables.ids_containing(part, label, limit)

    def most_linked(self, labels: Iterable[str], limit: int) -> list[str]:
        return self.tables.most_linked(sorted(set(labels)), limit)

    def nodes_with_label(self, label: str) -> Iterator[tuple[str, dict[str, Any]]]:
        for n, props in self.tables.nodes_with_label(label):
            yield n, {"label": label, **props}

    def counts(self) -> dict[str, Any]:
        return {"nodes": self.tables.count_nodes(), "relationships": self.tables.count_edges(),
                "labels": dict(sorted(self.tables.label_counts().items())),
                "types": dict(sorted(self.tables.type_counts().items())), "documents": len(self.built)}

    def doc_items(self, doc_ids: Iterable[str]) -> tuple[set[str], set[tuple[str, str, str]]]:
        return self.tables.doc_items(doc_ids)

    def to_knowledge_graph(self) -> KnowledgeGraph:
        """A whole in-memory KnowledgeGraph with its bookkeeping (export and Bolt sync read one)."""
        kg = KnowledgeGraph()
        kg.g = self.g.to_networkx()
        kg.built = self.built
        for node, doc, para in self.tables.node_owners():
            kg.node_docs.setdefault(node, {})[doc] = para
            kg.doc_nodes.setdefault(doc, []).append(node)
        for src, dst, key, doc, para in self.tables.edge_owners():
            kg.edge_docs.setdefault((src, dst, key), {})[doc] = para
            kg.doc_edges.setdefault(doc, []).append((src, dst, key))
        return kg

    # -- writing (one document at a time) -------------------------------------------------
    def remove_document(self, doc_id: str) -> None:
        t = self.tables
        deg: dict[str, int] = {}
        for e in t.edges_of(doc_id):
            nxt = t.drop_edge_owner(e, doc_id)
            if nxt is None:
                if t.delete_edge(e):
                    deg[e[0]] = deg.get(e[0], 0) - 1
                    deg[e[1]] = deg.get(e[1], 0) - 1
            else:  # provenance moves to the next document that gives it
                props = t.edge_props(e)
                if props is not None:
                    props.pop("type")
                    props["doc"] = nxt[0]
                    if nxt[1]:
                        props["paragraph"] = nxt[1]
                    t.update_edge_props(e, props)
        for n in t.nodes_of(doc_id):
            if t.drop_node_owner(n, doc_id) == 0:
                for u, v, _ in t.delete_node(n):
                    deg[u] = deg.get(u, 0) - 1
                    deg[v] = deg.get(v, 0) - 1
                deg.pop(n, None)
        t.add_degree(deg)
        t.set_built(doc_id, None)

    def add_document(self, doc_id: str, contrib: Contribution, fingerprint: str) -> None:
        from .names import name_keys

        t = self.tables
        have = t.node_rows(contrib.nodes)
        new_nodes, new_names, changed_names = [], {}, {}
        for n in contrib.nodes.values():
            cur = have.get(n.id)
            if cur is None:
                new_nodes.append((n.id, n.label, n.props))
                if n.label != "Paragraph":
                    new_names[n.id] = name_keys(n.label, n.props)
                continue
            label, _, attrs = cur
            before = json.dumps(attrs, sort_keys=True, default=str)
            aliases = n.props.get("aliases")
            for k, v in n.props.items():
                if k not in attrs and k != "label":
                    attrs[k] = v
            if aliases:
                attrs["aliases"] = sorted(set(attrs.get("aliases", [])) | set(aliases))[:20]
            if json.dumps(attrs, sort_keys=True, default=str) != before:
                t.update_node_props(n.id, attrs)
                if label != "Paragraph":
                    changed_names[n.id] = name_keys(label, attrs)
        t.insert_nodes(new_nodes)
        t.set_names(new_names, new=True)
        t.set_names(changed_names)
        t.add_node_owners(doc_id, [(n.id, n.paragraph) for n in contrib.nodes.values()])
        existing = t.existing_edges(e.key for e in contrib.edges.values())
        new_edges = [e for e in contrib.edges.values() if e.key not in existing]
        t.insert_edges([((e.src, e.dst, e.key), e.type, e.props) for e in new_edges])
        deg: dict[str, int] = {}
        for e in new_edges:
            deg[e.src] = deg.get(e.src, 0) + 1
            deg[e.dst] = deg.get(e.dst, 0) + 1
        t.add_degree(deg)
        t.add_edge_owners(doc_id, [(e.key, e.props.get("paragraph")) for e in contrib.edges.values()])
        t.set_built(doc_id, fingerprint)


def build_tables(store, on_document: Optional[Callable[[str], None]] = None,
                 with_facts: bool = True, counts: bool = True,
                 encode: Optional[Callable[[list[str]], Any]] = None) -> tuple[StoreGraph, BuildReport]:
    """Bring the graph tables up to date with the store, rewriting only the parts of changed documents.

    `encode`: the multilingual encoder's function, passed in by the application to merge initiatives across
    languages by their names' embeddings too (`graph.build.initiative_aliases`).

    `counts`: count nodes and relationships by label and type for the report (whole-table reads: seconds
    at a million paragraphs; a question does not need them)."""
    t0 = time.perf_counter()
    sg = StoreGraph(store)
    rep = BuildReport()
    # the documents' generation first: a change made while this runs moves it past what is recorded below
    checked = f"{store.generation()}|{S.GRAPH_VERSION}"
    if encode is None and sg.tables.checked_at() == checked:
        # no document changed since the tables were last found up to date (with an encoder, a build may still
        # have initiative names to pair)
        rep.unchanged = sg.tables.count_built()
        rep.seconds = time.perf_counter() - t0
        if counts:
            rep.counts = sg.counts()
        return sg, rep
    current = store_fingerprints(store)
    aliases = initiative_aliases(store, current, encode)
    current = aliases.fingerprints(current)
    built = sg.built
    for d in sorted(d for d in built if d not in current):
        with store.transaction():
            sg.remove_document(d)
        rep.removed += 1
    for d, fp, contrib in contributions(store, built, current, rep, with_facts=with_facts, aliases=aliases):
        try:
            with store.transaction():
                now = sg.tables.fingerprint(d)  # another process may have built it since `built` was read
                if now == fp:
                    rep.unchanged += 1
                    continue
                if now is not None:
                    sg.remove_document(d)
                sg.add_document(d, contrib, fp)
        except BaseException:
            sg.tables.reset_seq()
            raise
        if d in built:
            rep.updated += 1
        else:
            rep.added += 1
        rep.items += len(contrib.nodes) + len(contrib.edges)
        if on_document:
            on_document(d)
    sg.g.clear_cache()
    if rep.added or rep.updated or rep.removed:
        from . import path_index

        path_index.prune_log(sg.tables)  # the change log keeps what the path index beside the store lacks
    if sg.tables.checked_at() != checked:
        sg.tables.set_checked_at(checked)
    rep.seconds = time.perf_counter() - t0
    if counts:
        rep.counts = sg.counts()
    return sg, rep


def open_graph(store, refresh: bool = True) -> StoreGraph:
    """The graph of this store for questions: its tables, first brought up to date when `refresh`."""
    if refresh:
        sg, _ = build_tables(store, counts=False)
        return sg
    return StoreGraph(store)
