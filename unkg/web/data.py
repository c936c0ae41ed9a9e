"""What the web layer reads: documents, paragraphs, mandates, search and the graph.

One `Backend` per app. All access to the store goes through one lock: the
SQLite connection, the searcher and the in-process graph are shared by the
server's worker threads, and a query here takes milliseconds.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import threading
import time
from pathlib import Path
from typing import Any, Iterable, Optional

from unkg.corpus.store import Store
from unkg.errors import GraphError, StoreFull, UnkgError
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


RTL = {"ar", "he", "fa", "ur"}


def text_dir(lang: Optional[str]) -> str:
    return "rtl" if (lang or "").split("-")[0] in RTL else "ltr"


def para_label(label: Optional[str]) -> str:
    return (label or "").strip().rstrip(".").strip()


def block_citation(doc: Document | dict, block: Block, by_id: Optional[dict[str, Block]] = None,
                   decision: Optional[str] = None) -> str:
    """'decision 22/COP.15, para. 3', 'ICCD/COP(16)/18, para. 12 (a)', or the title and the paragraph's position."""
    get = (lambda k: doc.get(k)) if isinstance(doc, dict) else (lambda k: getattr(doc, k))
    where = f"decision {decision.removeprefix('decision:')}" if decision else (get("symbol") or (get("title") or get("id"))[:80])
    labels: list[str] = []
    cur: Optional[Block] = block
    hops = 0
    while cur is not None and hops < 6:
        if cur.label and cur.kind != "heading":
            labels.append(para_label(cur.label))
        cur = by_id.get(cur.parent) if (by_id and cur.parent) else None
        hops += 1
    if labels:
        return f"{where}, para. {' '.join(reversed(labels))}"
    return f"{where}, paragraph {block.ord}"


def _decision_session(decision: Optional[str]) -> Optional[str]:
    if not decision:
        return None
    m = re.search(r"/\s*([A-Za-z]+)\s*[.(]?\s*(\d+)\)?\s*$", decision)
    return f"{m.group(1).upper()}.{m.group(2)}" if m else None


def actor_name(actor_id: str, names: dict[str, str]) -> str:
    if actor_id in names:
        return names[actor_id]
    base = actor_id.split(":", 1)[-1].replace("-", " ").replace("_", " ").strip()
    return base[:1].upper() + base[1:] if base else actor_id


class Backend:
    """The store, the searcher and the graph behind the web app."""

    def __init__(self, settings: Settings, store: Optional[Store] = None) -> None:
        self.settings = settings
        self.lock = threading.RLock()
        self.store = store or Store(settings.db_path)
        self._searcher = None
        self._kg = None
        self._kg_checked = 0.0
        self._names: tuple[tuple, dict[str, str]] = ((), {})

    def close(self) -> None:
        with self.lock:
            self.store.close()

    def counts(self) -> dict[str, int]:
        with self.lock:
            return self.store.counts()

    # -- documents and paragraphs -------------------------------------------------

    def documents(self) -> list[dict]:
        with self.lock:
            rows = self.store.documents()
            counts = dict(self.store.db.execute("SELECT doc_id, count(*) FROM blocks GROUP BY doc_id").fetchall())
            mandates = dict(self.store.db.execute(
                "SELECT doc_id, sum(json_array_length(annotations, '$.mandates')) FROM blocks "
                "WHERE json_type(annotations, '$.mandates') = 'array' GROUP BY doc_id").fetchall())
        out = []
        for r in rows:
            out.append({
                "id": r["id"], "symbol": r["symbol"], "title": r["title"], "date": r["date"], "language": r["language"],
                "languages": r["languages"], "body": r["body"], "session": r["session"], "doc_type": r["doc_type"],
                "format": r["format"], "paragraphs": counts.get(r["id"], 0), "mandates": int(mandates.get(r["id"]) or 0),
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
            row = self.store.db.execute("SELECT doc_id FROM blocks WHERE id = ?", (block_id,)).fetchone()
        if row is None:
            raise NotFound(f"no paragraph with id {block_id!r}; open its document from /documents")
        doc = self.document(row["doc_id"])
        for b in doc.blocks:
            if b.id == block_id:
                return doc, b
        raise NotFound(f"no paragraph with id {block_id!r}")

    def _store_key(self) -> tuple:
        return tuple(self.store.db.execute("SELECT count(*), max(ingested_at), total(length(sha256)) FROM documents").fetchone())

    def entity_names(self) -> dict[str, str]:
        """Entity id -> name over the whole store (recomputed only when the store changes)."""
        with self.lock:
            key = self._store_key()
            if self._names[0] == key:
                return self._names[1]
            names: dict[str, str] = {}
            for (ann,) in self.store.db.execute("SELECT annotations FROM blocks WHERE annotations LIKE '%\"entities\"%'"):
                for e in json.loads(ann).get("entities", []):
                    if e.get("id") and e.get("name"):
                        names.setdefault(e["id"], e["name"])
            self._names = (key, names)
            return names

    # -- mandates -------------------------------------------------------------------

    def mandates(self, addressee: Optional[str] = None, decision: Optional[str] = None, session: Optional[str] = None,
                 verb: Optional[str] = None, language: Optional[str] = None, document: Optional[str] = None,
                 limit: int = 5000) -> list[dict]:
        """Every mandate in the store's block annotations (the source of truth), filtered; filters are case-insensitive."""
        with self.lock:
            rows = self.store.db.execute(
                "SELECT b.id, b.doc_id, b.ord, b.kind, b.label, b.level, b.parent, b.page, b.language, b.text, b.annotations, "
                "d.symbol, d.title, d.session AS doc_session, d.body, d.language AS doc_language "
                "FROM blocks b JOIN documents d ON d.id = b.doc_id "
                "WHERE json_type(b.annotations, '$.mandates') = 'array' AND json_array_length(b.annotations, '$.mandates') > 0 "
                "ORDER BY d.id, b.ord").fetchall()
            all_names = self.entity_names()
            headings: dict[str, str] = {}
            for doc_id in {r["doc_id"] for r in rows}:
                headings[doc_id] = " ".join(t for (t,) in self.store.db.execute(
                    "SELECT text FROM blocks WHERE doc_id = ? AND kind IN ('title', 'heading')", (doc_id,))).replace(" ", "")
            labels: dict[str, tuple[Optional[str], Optional[str], str]] = {}
            parents = {r["parent"] for r in rows if r["parent"]}
            for pid in parents:
                p = self.store.db.execute("SELECT label, parent, kind FROM blocks WHERE id = ?", (pid,)).fetchone()
                if p:
                    labels[pid] = (p["label"], p["parent"], p["kind"])
        f_addr = (addressee or "").strip().lower()
        f_dec = (decision or "").strip().lower().removeprefix("decision:").replace(" ", "")
        f_ses = (session or "").strip().lower().replace(" ", "")
        f_verb = (verb or "").strip().lower()
        f_lang = (language or "").strip().lower()
        out: list[dict] = []
        for r in rows:
            ann = json.loads(r["annotations"] or "{}")
            names = {**all_names, **{e["id"]: e["name"] for e in ann.get("entities", []) if e.get("id") and e.get("name")}}
            lang = r["language"] or r["doc_language"]
            if f_lang and (lang or "").lower() != f_lang:
                continue
            if document and r["doc_id"] != document:
                continue
            # paragraph number with its parents' labels: "3 (a)"
            parts = [para_label(r["label"])] if r["label"] and r["kind"] != "heading" else []
            cur = r["parent"]
            hops = 0
            while cur and cur in labels and hops < 5:
                lab, cur_parent, kind = labels[cur]
                if lab and kind != "heading":
                    parts.append(para_label(lab))
                cur = cur_parent
                hops += 1
            para = " ".join(reversed(parts))
            for i, m in enumerate(ann.get("mandates", [])):
                dec = (m.get("decision") or "").removeprefix("decision:") or None
                ses = _decision_session(dec) or (r["doc_session"] or None)
                addrs = [a for a in m.get("addressees", []) if a]
                addr_names = [actor_name(a, names) for a in addrs]
                if f_addr and not any(f_addr in a.lower() for a in addrs + addr_names):
                    continue
                if f_dec and f_dec not in (dec or "").lower().replace(" ", ""):
                    continue
                if f_ses and f_ses not in (ses or "").lower().replace(" ", "") and f_ses != (r["doc_session"] or "").lower():
                    continue
                if f_verb and f_verb not in ((m.get("verb") or "").lower(), (m.get("verb_en") or "").lower()):
                    continue
                # "decision 22/COP.15, para. 3" only inside that decision's own text; a report quoting it is cited by its symbol
                compact = (dec or "").replace(" ", "")
                own = bool(compact) and (compact in (r["symbol"] or "").replace(" ", "") or compact in (r["title"] or "").replace(" ", "")
                                         or compact in headings.get(r["doc_id"], ""))
                where = f"decision {dec}" if own else (r["symbol"] or (r["title"] or r["doc_id"])[:80])
                citation = f"{where}, para. {para}" if para else f"{where}, paragraph {r['ord']}"
                out.append({
                    "id": f"{r['id']}/m{i}", "paragraph_id": r["id"], "document_id": r["doc_id"], "symbol": r["symbol"],
                    "decision": dec, "session": ses, "paragraph": para or None, "citation": citation,
                    "verb": m.get("verb") or "", "verb_en": m.get("verb_en") or "", "force": m.get("force") or "",
                    "addressees": addrs, "addressee_names": addr_names, "action": m.get("action") or "",
                    "deadline": m.get("deadline"), "language": lang, "dir": text_dir(lang), "text": r["text"],
                })
                if len(out) >= limit:
                    return out
        return out

    @staticmethod
    def mandates_csv(rows: Iterable[dict]) -> str:
        buf = io.StringIO()
        cols = ["decision", "paragraph", "citation", "session", "verb", "verb_en", "force", "addressees", "action",
                "deadline", "language", "document_id", "paragraph_id"]
        w = csv.writer(buf)
        w.writerow(cols)
        for r in rows:
            w.writerow([csv_cell("; ".join(r["addressee_names"]) if c == "addressees" else (r.get(c) or "")) for c in cols])
        return buf.getvalue()

    # -- search ---------------------------------------------------------------------

    @property
    def searcher(self):
        with self.lock:
            if self._searcher is None:
                from unkg.search.engine import Searcher

                self._searcher = Searcher(self.store)
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

    def facets(self) -> dict[str, list[str]]:
        with self.lock:
            db = self.store.db
            langs = sorted({r[0] for r in db.execute("SELECT DISTINCT language FROM blocks WHERE language IS NOT NULL")})
            bodies = sorted({r[0] for r in db.execute("SELECT DISTINCT body FROM documents WHERE body IS NOT NULL")})
            sessions = sorted({r[0] for r in db.execute("SELECT DISTINCT session FROM documents WHERE session IS NOT NULL")})
            types = sorted({r[0] for r in db.execute("SELECT DISTINCT doc_type FROM documents WHERE doc_type IS NOT NULL")})
        return {"languages": langs, "bodies": bodies, "sessions": sessions, "doc_types": types,
                "kinds": ["title", "heading", "preambular", "operative", "text", "footnote", "table"]}

    # -- graph ----------------------------------------------------------------------

    def graph_cache(self) -> Path:
        return self.settings.home / "graph.pickle"

    def graph(self, refresh: bool = False):
        """The in-process graph, brought up to date with the store at most every few seconds."""
        with self.lock:
            now = time.monotonic()
            if self._kg is None or refresh or now - self._kg_checked > 5.0:
                from unkg.graph.build import build_graph

                try:
                    self._kg, _ = build_graph(self.store, kg=self._kg, cache=self.graph_cache())
                except OSError as exc:
                    raise GraphError(f"cannot build the graph: {exc}; set UNKG_HOME to a writable folder") from None
                self._kg_checked = now
            return self._kg

    def sync_graph(self, neo4j: bool = False) -> dict:
        """Bring the graph and the search index up to date with the store; with `neo4j`, also send the
        changes to the graph server named by NEO4J_URI (graph.neo4j_sync)."""
        from unkg.graph.build import build_graph

        conn = None
        if neo4j:
            from unkg.graph.neo4j_sync import Connection

            conn = Connection.from_options()  # GraphError naming NEO4J_URI when it is unset
        with self.lock:
            self._kg, rep = build_graph(self.store, kg=self._kg, cache=self.graph_cache())
            self._kg_checked = time.monotonic()
            out = {"graph": rep.as_dict(), "search": None, "neo4j": None}
            try:
                out["search"] = self.searcher.ensure_index().as_dict()
            except ImportError:
                pass
            if conn is not None:
                from unkg.graph.neo4j_sync import sync_graph as send

                out["neo4j"] = send(self._kg, self.store, conn).as_dict()
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
                reports = ingest_paths([str(p) for p in paths], store, settings=self.settings, replace=replace,
                                       source_label=label)
            finally:
                store.close()
        finally:
            _INGEST_SLOT.release()
        with self.lock:
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
    """A node id from an id, a decision number or a name in any language (graph.query.resolve when present)."""
    if kg.g.has_node(text):
        return text
    try:
        from unkg.graph.query import resolve
    except ImportError:
        resolve = None
    if resolve is not None:
        try:
            return resolve(kg, text)
        except GraphError:
            pass
    raise NotFound(f"no graph node {text!r}; find one with /api/graph/nodes?q=...")


#: the work one neighbourhood request may do: edges looked at, and seconds; past either the answer is cut
#: (`truncated`). Hubs (a convention secretariat, a document) have thousands of edges each, and
#: depth 3 x 500 nodes once cost 6 s of CPU per unauthenticated request.
NEIGHBOURHOOD_EDGE_BUDGET = 20000
NEIGHBOURHOOD_TIME_BUDGET_S = 1.0


def neighbourhood(kg, node: str, depth: int = 1, limit: int = 80, types: Optional[set[str]] = None,
                  edge_budget: int = NEIGHBOURHOOD_EDGE_BUDGET, time_budget_s: float = NEIGHBOURHOOD_TIME_BUDGET_S) -> dict:
    """The node, its neighbours up to `depth` steps (both directions) and the edges between them (within the budget)."""
    g = kg.g
    node = resolve_node(kg, node)
    seen = {node}
    frontier = [node]
    truncated = False
    edges: dict[str, dict] = {}
    deadline = time.monotonic() + time_budget_s
    looked = 0
    for _ in range(max(1, min(depth, 3))):
        nxt = []
        for n in frontier:
            looked += g.degree(n)
            if looked > edge_budget or time.monotonic() > deadline:
                truncated = True
                break
            cand = [(u, v, k, d) for u, v, k, d in g.out_edges(n, keys=True, data=True)]
            cand += [(u, v, k, d) for u, v, k, d in g.in_edges(n, keys=True, data=True)]
            # the most connected neighbours first, so a node with hundreds of paragraphs shows its hubs
            cand.sort(key=lambda e: (-g.degree(e[1] if e[0] == n else e[0]), e[2]))
            for u, v, k, d in cand:
                if types and d.get("type") not in types:
                    continue
                other = v if u == n else u
                if other not in seen:
                    if len(seen) >= limit:
                        truncated = True
                        continue
                    seen.add(other)
                    nxt.append(other)
                edges[k] = graph_edge_json(g, u, v, k, d)
        frontier = nxt
    return {"center": node, "nodes": [graph_node_json(g, n) for n in seen], "edges": list(edges.values()),
            "truncated": truncated}


def shortest_path(kg, source: str, target: str, max_len: int = 8) -> dict:
    """The shortest path; graph.query.explain_path (which does not explain by "same document") when present."""
    import networkx as nx

    g = kg.g
    source, target = resolve_node(kg, source), resolve_node(kg, target)
    none = {"source": source, "target": target, "found": False, "nodes": [], "edges": []}
    if source == target:
        return {**none, "found": True, "nodes": [graph_node_json(g, source)]}
    try:
        from unkg.graph.query import explain_path
    except ImportError:
        explain_path = None
    edges = []
    if explain_path is not None:
        try:
            res = explain_path(kg, source, target, max_len=max_len)
        except GraphError:
            return none
        nodes = [source] + [st["to"]["id"] for st in res["steps"]]
        for st in res["steps"]:
            u, v = (st["from"]["id"], st["to"]["id"]) if st["direction"] == "forward" else (st["to"]["id"], st["from"]["id"])
            edges.append(graph_edge_json(g, u, v, st["key"], g.edges[u, v, st["key"]]))
    else:
        try:
            nodes = nx.shortest_path(g.to_undirected(as_view=True), source, target)
        except nx.NetworkXNoPath:
            return none
        if len(nodes) - 1 > max_len:
            return none
        for a, b in zip(nodes, nodes[1:]):
            cands = [(a, b, k, d) for k, d in (g.get_edge_data(a, b) or {}).items()]
            cands += [(b, a, k, d) for k, d in (g.get_edge_data(b, a) or {}).items()]
            u, v, k, d = sorted(cands, key=lambda e: e[2])[0]
            edges.append(graph_edge_json(g, u, v, k, d))
    return {"source": source, "target": target, "found": True, "nodes": [graph_node_json(g, n) for n in nodes],
            "edges": edges}


def find_nodes(kg, q: str, label: Optional[str] = None, limit: int = 20) -> list[dict]:
    g = kg.g
    ql = q.strip().lower()
    if not ql:
        return []
    scored = []
    for n, a in g.nodes(data=True):
        if label and a.get("label") != label:
            continue
        if a.get("label") in ("Paragraph", "Quantity") and not label:
            continue
        name = str(a.get("name") or "")
        hay = [n.lower(), name.lower()] + [str(x).lower() for x in a.get("aliases", []) or []]
        if any(ql in h for h in hay):
            exact = name.lower() == ql or n.lower() == ql
            scored.append((not exact, not name.lower().startswith(ql), -g.degree(n), n))
    scored.sort()
    return [graph_node_json(g, s[-1]) for s in scored[:limit]]
