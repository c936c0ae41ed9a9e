"""What the web layer reads: documents, paragraphs, mandates, search and the graph.

One `WebData` per app. Access to the store goes through one lock: the SQLite
connection and the searcher are shared by the server's worker threads, and a
query here takes milliseconds. The graph is read from the store's graph tables
through a second connection under its own lock (`graph_lock`, always taken after
`lock` where both are held), so a long path search holds up only other graph
questions.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import threading
import time
from pathlib import Path
from typing import Any, Iterable, Optional

from unkg.corpus.store import Store
from unkg.errors import GraphError, StoreFull, UnkgError
from unkg.graph.mandates import MandateFilter, find_mandates, text_dir
from unkg.graph.query import explain_path, most_linked, neighbours, resolve
from unkg.graph.query import find_nodes as query_find_nodes
from unkg.model import Block, Document
from unkg.settings import Settings


#: uploads parse one batch at a time in a server process (a batch has UNKG_WORKERS workers)
_INGEST_SLOT = threading.BoundedSemaphore(1)
INGEST_WAIT_S = 120.0


class ServerBusy(UnkgError):
    """Too much work in flight: try again later (answered 503)."""


class NotFound(UnkgError):
    """The thing asked for is not in the store."""


class BadRequest(UnkgError):
    """The request cannot be answered as asked."""


class WebData:
    """The store, the searcher and the graph behind the web app."""

    def __init__(self, settings: Settings, store: Optional[Store] = None) -> None:
        self.settings = settings
        self.lock = threading.RLock()
        self.store = store or Store(settings.db_path)
        self._searcher = None
        self._kg = None
        self._kg_checked = 0.0
        # the graph reads through a connection and a lock of its own: a path search may read for a second
        # without holding up searches and pages (WAL: readers do not wait for each other)
        self.graph_lock = threading.RLock()
        self._graph_store: Optional[Store] = None
        self._names: tuple[tuple, dict[str, str]] = ((), {})

    def close(self) -> None:
        with self.lock, self.graph_lock:
            if self._graph_store is not None:
                self._graph_store.close()
            self.store.close()

    def graph_store(self) -> Store:
        with self.graph_lock:
            if self._graph_store is None:
                self._graph_store = Store(self.store.path)
            return self._graph_store

    def counts(self) -> dict[str, int]:
        with self.lock:
            return self.store.counts()

    # -- documents and paragraphs -------------------------------------------------

    def documents(self) -> list[dict]:
        with self.lock:
            rows = self.store.documents()
            counts = self.store.paragraph_counts()
        out = []
        for r in rows:
            out.append({
                "id": r["id"], "symbol": r["symbol"], "title": r["title"], "date": r["date"], "language": r["language"],
                "languages": r["languages"], "body": r["body"], "session": r["session"], "doc_type": r["doc_type"],
                "format": r["format"], "paragraphs": counts.get(r["id"], (0, 0))[0], "mandates": counts.get(r["id"], (0, 0))[1],
                "dir": text_dir(r["language"]),
            })
        return out

    def document(self, doc_id: str) -> Document:
        with self.lock:
            doc = self.store.document(doc_id)
        if doc is None:
            raise NotFound(f"no document with id {doc_id!r}; /api/documents lists them")
        return doc

    def paragraph(self, block_id: str) -> tuple[Document, Block]:
        with self.lock:
            doc_id = self.store.document_of(block_id)
        if doc_id is None:
            raise NotFound(f"no paragraph with id {block_id!r}; open its document from /documents")
        doc = self.document(doc_id)
        for b in doc.blocks:
            if b.id == block_id:
                return doc, b
        raise NotFound(f"no paragraph with id {block_id!r}")

    def _store_key(self) -> tuple:
        return self.store.change_key()

    def entity_names(self) -> dict[str, str]:
        """Entity id -> name over the whole store (recomputed only when the store changes)."""
        with self.lock:
            key = self._store_key()
            if self._names[0] != key:
                self._names = (key, self.store.entity_names())
            return self._names[1]

    def element_ids(self, doc_id: str) -> dict[str, str]:
        with self.lock:
            return self.store.element_ids(doc_id)

    def block_by_eid(self, doc_id: str, eid: str) -> Optional[str]:
        with self.lock:
            return self.store.block_by_eid(doc_id, eid)

    def citations(self, doc_id: str) -> dict[str, str]:
        """Block id -> citation, as the store computed it (the one rule of corpus.citation)."""
        with self.lock:
            return self.store.citations(doc_id)

    # -- mandates -------------------------------------------------------------------

    def mandates(self, addressee: Optional[str] = None, decision: Optional[str] = None, session: Optional[str] = None,
                 verb: Optional[str] = None, language: Optional[str] = None, document: Optional[str] = None,
                 status: Optional[str] = None, limit: int = 5000) -> list[dict]:
        """Mandates through the one query of graph.mandates (the CLI asks the same)."""
        try:
            flt = MandateFilter.of(addressee, decision, session, verb, language, document, status)
            with self.lock:
                return find_mandates(self.store, flt, limit=limit)
        except UnkgError as exc:
            raise BadRequest(str(exc)) from None

    @staticmethod
    def mandates_csv(rows: Iterable[dict]) -> str:
        buf = io.StringIO()
        cols = ["decision", "paragraph", "citation", "session", "verb", "verb_en", "force", "addressees", "action",
                "deadline", "status", "evidence", "language", "document_id", "paragraph_id"]
        w = csv.writer(buf)
        w.writerow(cols)
        for r in rows:
            cells = {"addressees": "; ".join(r["addressee_names"]), "evidence": "; ".join(e["citation"] for e in r.get("evidence", []))}
            w.writerow([csv_cell(cells[c] if c in cells else (r.get(c) or "")) for c in cols])
        return buf.getvalue()

    # -- search ---------------------------------------------------------------------

    @property
    def searcher(self):
        with self.lock:
            if self._searcher is None:
                from unkg.search.engine import Searcher
                from unkg.search.options import SearchOptions

                self._searcher = Searcher(self.store, options=SearchOptions.from_settings(self.settings))
            return self._searcher

    def search(self, query: str, filters: dict[str, Any], top_k: int = 10, mode: str = "hybrid") -> list[dict]:
        from unkg.search.engine import Filters

        f = Filters(**{k: v for k, v in filters.items() if v not in (None, "")})
        with self.lock:
            hits = self.searcher.search(query, filters=f, top_k=top_k, mode=mode)
        out = []
        for h in hits:
            d = h.as_dict()
            d["dir"] = text_dir(h.language)
            for t in d["translations"]:
                t["dir"] = text_dir(t.get("language"))
            out.append(d)
        return out

    def precedents(self, paragraph_id: Optional[str], text: Optional[str], min_similarity: float = 0.6, limit: int = 20,
                   same_language: bool = True) -> tuple[str, Optional[str], list]:
        """search.precedents.find_precedents (the one implementation; the CLI asks the same), with the query text and language."""
        from unkg.search.precedents import find_precedents
        from unkg.search.text import query_language

        if paragraph_id:
            _, b = self.paragraph(paragraph_id)  # NotFound (404) before the search
            query, lang = b.text, b.language
        else:
            query, lang = text or "", query_language(text or "")
        with self.lock:
            found = find_precedents(self.searcher, paragraph_id=paragraph_id, text=text, min_similarity=min_similarity,
                                    limit=limit, same_language=same_language)
        return query, lang, found

    def facets(self) -> dict[str, list[str]]:
        with self.lock:
            facets = self.store.facets()
        return {**facets, "kinds": ["title", "heading", "preambular", "operative", "text", "footnote", "table"]}

    # -- graph ----------------------------------------------------------------------

    def graph(self, refresh: bool = False):
        """The graph the pages ask: the store's graph tables (`graph.table_graph`), brought up to date with the store at
        most every few seconds (changed documents only). Nothing is loaded whole: a question reads what it touches."""
        with self.graph_lock:
            now = time.monotonic()
            if self._kg is None or refresh or now - self._kg_checked > 5.0:
                from unkg.graph.table_graph import build_tables

                try:
                    sg, rep = build_tables(self.graph_store(), counts=False, encode=self._name_encoder())
                except OSError as exc:
                    raise GraphError(f"cannot update the graph tables in {self.store.path}: {exc}") from None
                if self._kg is None or rep.added or rep.updated or rep.removed:
                    self._kg = sg  # a new reader: nothing cached from before the change
                self._kg_checked = now
            return self._kg

    def graph_nodes(self, q: str, label: Optional[str], limit: int) -> list[dict]:
        with self.graph_lock:
            return find_nodes(self.graph(), q, label, limit)

    def graph_neighbourhood(self, node: str, depth: int = 1, limit: int = 80, types: Optional[set[str]] = None) -> dict:
        with self.graph_lock:
            return neighbourhood(self.graph(), node, depth, limit, types)

    def graph_path(self, source: str, target: str, max_len: int) -> dict:
        with self.graph_lock:
            return shortest_path(self.graph(), source, target, max_len)

    def graph_starts(self, limit: int = 50) -> list[dict]:
        """Where the graph page starts: the most linked initiatives, decisions and actors."""
        with self.graph_lock:
            kg = self.graph()
            return [graph_node_json(kg.g, n) for n in most_linked(kg, ("Initiative", "Decision", "Actor"), limit)]

    def _name_encoder(self):
        """`_encode_names` where the search extras are installed, else None (translation evidence only)."""
        import importlib.util

        return self._encode_names if importlib.util.find_spec("torch") is not None else None

    def _encode_names(self, names: list[str]):
        """The searcher's encoder for the graph's cross-language merge of initiative names (loaded only when
        names changed; graph.build.initiative_aliases)."""
        return self.searcher.encoder.encode(names)

    def watch_reports(self) -> list[dict]:
        """Each watch with what is new since it was last marked seen (nothing is marked: a page view changes nothing)."""
        from unkg.watch import Watches, resolvers

        with self.lock, self.graph_lock:
            found = resolvers(self.store, graph=self.graph, searcher=self.searcher)
            return [r.as_dict() for r in Watches(self.store, *found).report(mark_seen=False)]

    def sync_graph(self, neo4j: bool = False) -> dict:
        """Bring the graph and the search index up to date with the store; with `neo4j`, also send the
        changes to the graph server named by NEO4J_URI (graph.neo4j_sync)."""
        from unkg.graph.table_graph import build_tables

        conn = None
        if neo4j:
            from unkg.graph.neo4j_sync import Connection

            conn = Connection.from_options()  # GraphError naming NEO4J_URI when it is unset
        with self.lock, self.graph_lock:
            self._kg, rep = build_tables(self.graph_store(), encode=self._name_encoder())
            self._kg_checked = time.monotonic()
            out = {"graph": rep.as_dict(), "search": None, "neo4j": None}
            try:
                out["search"] = self.searcher.ensure_index().as_dict()
            except ImportError:
                pass
            if conn is not None:
                from unkg.graph.neo4j_sync import sync_graph as send

                out["neo4j"] = send(self._kg.to_knowledge_graph(), self.graph_store(), conn).as_dict()
        return out

    # -- uploads --------------------------------------------------------------------

    def upload_dir(self) -> Path:
        return self.settings.home / "uploads"

    def save_upload(self, data: bytes, client_name: Optional[str]) -> tuple[str, Path]:
        """Store uploaded bytes under their content hash; the client's name only lends a known extension."""
        from unkg.ingest.backends import supported_extensions
        from unkg.leftovers import remove_stale

        sha = hashlib.sha256(data).hexdigest()
        ext = Path(client_name or "").suffix.lower().lstrip(".")
        ext = ext if re.fullmatch(r"[a-z0-9]{1,8}", ext or "") and ext in supported_extensions() else ""
        d = self.upload_dir()
        d.mkdir(parents=True, exist_ok=True)
        remove_stale(d, [".*.part"])  # uploads a killed server never renamed
        path = d / (f"{sha}.{ext}" if ext else sha)
        if not path.exists():
            tmp = d / f".{sha}.part"
            try:
                tmp.write_bytes(data)
                tmp.replace(path)
            except OSError as exc:  # a full disk: nothing half-written stays behind
                tmp.unlink(missing_ok=True)
                raise StoreFull(f"the server cannot store the upload ({exc.strerror or exc}); nothing was stored") from None
        return sha, path

    def ingest(self, paths: list[Path], replace: bool = False) -> list[dict]:
        from unkg.extract.task import ParseAndAnnotate
        from unkg.ingest.batch import ingest_paths

        upload_dir = self.upload_dir().resolve()

        def label(source: str) -> str:  # reports name uploads by their stored name, never a server path
            return f"upload {Path(source).name}" if Path(source).parent == upload_dir else "a file ingested on the server"

        # one ingest at a time per server: each runs `UNKG_WORKERS` parse workers, so that is the global cap
        if not _INGEST_SLOT.acquire(timeout=INGEST_WAIT_S):
            raise ServerBusy(f"another upload is being parsed; try again in a minute (waited {INGEST_WAIT_S:g} s)")
        try:
            # a connection of its own: parsing takes seconds, and readers go on meanwhile (WAL)
            store = Store(self.store.path)
            try:
                reports = ingest_paths([str(p) for p in paths], store, self.settings, ParseAndAnnotate.from_settings(self.settings),
                                       replace=replace,
                                       source_label=label)
            finally:
                store.close()
        finally:
            _INGEST_SLOT.release()
        with self.graph_lock:
            self._kg_checked = 0.0
        return [r.as_dict() for r in reports]


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def csv_cell(value: Any) -> Any:
    """A CSV cell a spreadsheet will not run: text starting like a formula gets a leading apostrophe (OWASP)."""
    if isinstance(value, str) and value.lstrip(" ").startswith(_FORMULA_START):
        return "'" + value
    return value


def graph_node_json(g, n: str, with_text: bool = False) -> dict:
    a = g.nodes[n]
    # `source` is the path the document was read from on this server: not for public answers
    props = {k: v for k, v in a.items() if k not in ("label", "name", "source") and isinstance(v, (str, int, float, bool, list))}
    if not with_text and isinstance(props.get("text"), str) and len(props["text"]) > 300:
        props["text"] = props["text"][:300] + "…"
    return {"id": n, "label": a.get("label") or "", "name": str(a.get("name") or n), "degree": g.degree(n),
            "language": a.get("language") if isinstance(a.get("language"), str) else None, "props": props}


def graph_edge_json(g, u: str, v: str, k: str, data: dict) -> dict:
    para = data.get("paragraph")
    citation = None
    text = None
    pn = f"para:{para}" if para else None
    if pn and g.has_node(pn):
        citation = g.nodes[pn].get("name")
        text = g.nodes[pn].get("text")
    return {"id": k, "source": u, "target": v, "type": data.get("type") or "", "paragraph": para,
            "doc": data.get("doc"), "citation": citation, "paragraph_text": text,
            "evidence": data.get("text") if isinstance(data.get("text"), str) else None}


def resolve_node(kg, text: str) -> str:
    """A node id from an id, a decision number or a name in any language (graph.query.resolve)."""
    if kg.g.has_node(text):
        return text
    try:
        return resolve(kg, text)
    except GraphError:
        raise NotFound(f"no graph node {text!r}; find one with /api/graph/nodes?q=...") from None


#: the work one neighbourhood request may do: edges looked at, and seconds; past either the answer is cut
#: (`truncated`). Hubs (a convention secretariat, a document) have thousands of edges each, and
#: depth 3 x 500 nodes once cost 6 s of CPU per unauthenticated request.
NEIGHBOURHOOD_EDGE_BUDGET = 20000
NEIGHBOURHOOD_TIME_BUDGET_S = 1.0


def neighbourhood(kg, node: str, depth: int = 1, limit: int = 80, types: Optional[set[str]] = None,
                  edge_budget: int = NEIGHBOURHOOD_EDGE_BUDGET, time_budget_s: float = NEIGHBOURHOOD_TIME_BUDGET_S) -> dict:
    """graph.query.neighbours (the one traversal) within the web's work budget, as the graph explorer draws it."""
    g = kg.g
    node = resolve_node(kg, node)
    try:
        res = neighbours(kg, node, depth=max(1, min(depth, 3)), types=types, limit=limit,
                         edge_budget=edge_budget, time_budget_s=time_budget_s)
    except GraphError as exc:
        raise BadRequest(str(exc)) from None
    edges = [graph_edge_json(g, r["source"], r["target"], r["key"], g.edges[r["source"], r["target"], r["key"]])
             for r in res["relationships"]]
    return {"center": node, "nodes": [graph_node_json(g, n["id"]) for n in res["nodes"]], "edges": edges,
            "truncated": res["truncated"]}


def shortest_path(kg, source: str, target: str, max_len: int = 12) -> dict:
    """graph.query.explain_path (the one path search, which does not explain by "same document"), as drawn."""
    g = kg.g
    source, target = resolve_node(kg, source), resolve_node(kg, target)
    none = {"source": source, "target": target, "found": False, "nodes": [], "edges": []}
    if source == target:
        return {**none, "found": True, "nodes": [graph_node_json(g, source)]}
    try:
        res = explain_path(kg, source, target, max_len=max_len)
    except GraphError:
        return none
    nodes = [source] + [st["to"]["id"] for st in res["steps"]]
    edges = []
    for st in res["steps"]:
        u, v = (st["from"]["id"], st["to"]["id"]) if st["direction"] == "forward" else (st["to"]["id"], st["from"]["id"])
        edges.append(graph_edge_json(g, u, v, st["key"], g.edges[u, v, st["key"]]))
    return {"source": source, "target": target, "found": True, "nodes": [graph_node_json(g, n) for n in nodes],
            "edges": edges}


def find_nodes(kg, q: str, label: Optional[str] = None, limit: int = 20) -> list[dict]:
    """graph.query.find_nodes (the one name search of the graph), as the explorer lists them."""
    return [graph_node_json(kg.g, n) for n in query_find_nodes(kg, q, label, limit)]
