"""Search on a Bolt server: the paragraph vectors and full-text index live in Neo4j (or FalkorDB).

What runs where
* The SQLite store stays the source of truth, on the client: documents, paragraphs,
  citations, translations, and the embeddings (computed once per text, as for the
  local search).
* `push_search_index` copies to the server, for every indexed paragraph, a
  `Paragraph` node (the graph's label and id, `para:<block id>`) carrying `doc`,
  `text`, `search_lang` (the language of its prose), `search_text` and `search_extra`
  (the words the local FTS5 index holds: jieba-segmented Chinese, case- and
  accent-folded, cut at punctuation; `search_extra` holds jieba's sub-words and
  single Han characters) and `embedding` (the stored vector of the current encoder),
  then creates the server's full-text and vector indexes over them. Incremental:
  the `search_sync` state of the store (corpus.sync_state) records, per server and database, a key per
  paragraph (format, model, text hash, language, document); only paragraphs whose
  key changed are sent, paragraphs no longer indexed lose their search properties.
  If the server's count of pushed paragraphs differs from the table (the graph
  sync replaced a document's nodes, the database was emptied), the table is rebuilt
  from the server first.
* `BoltSearcher` is the local `Searcher` with its two candidate sources replaced:
  the dense list comes from the server's vector index, the lexical list from the
  server's full-text index. Fusion (reciprocal rank, language-fair), exact
  phrases, modes, filters, hits, citations and translations are the local code,
  reading the paragraphs from the local store by id. Paragraphs the server holds
  but the store does not are left out (counted in `BoltSearcher.unknown`).

Dialects (one switch, the graph sync's `Client.dialect.name`):
* Neo4j 5: `CREATE FULLTEXT INDEX ... OPTIONS {indexConfig: {`fulltext.analyzer`: 'whitespace'}}`
  (the words are cut and folded here, the server only splits at spaces),
  `CREATE VECTOR INDEX ... {`vector.dimensions`, `vector.similarity_function`: 'cosine'}`,
  `db.index.fulltext.queryNodes` (Lucene syntax), `db.index.vector.queryNodes`
  (score = (1 + cos) / 2); vectors are sent as float lists, 200 a statement.
* FalkorDB (tested here): `db.idx.fulltext.createNodeIndex` (RediSearch, no stemming,
  no stopwords, `search_extra` weighted 0.3 as locally), `CREATE VECTOR INDEX ...
  {dimension, similarityFunction: 'cosine', efRuntime}`, `db.idx.fulltext.queryNodes`
  (RediSearch syntax), `db.idx.vector.queryNodes` (score = 1 - cos). Its Bolt
  endpoint pastes parameters into the query text, drops messages over about 4 KB
  and prints floats with six decimals: a vector (512 floats would be ~10 KB) is
  sent as a string of 4-digit fixed-point numbers scaled by its largest component
  and decoded on the server (`vecf32([i IN range(...) | toInteger(substring(...))...])`),
  one vector a statement; the error (~2e-5 a component) is below the float16 the
  store keeps.

Full-text queries are built from the parsed query's words only (`\\w` runs, lower
case), each a bare word or a quoted phrase of words, joined by the dialect's OR:
no character of user text can become query syntax on either server, and the
query string itself is a parameter.
"""

from __future__ import annotations

import hashlib
import re
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Optional, Sequence

import numpy as np

from unkg.corpus.search_reads import SearchReads
from unkg.corpus.sync_state import SearchSyncState
from unkg.graph import schema as S
from unkg.graph.neo4j_sync import Client, Connection, batches, node_merge, split_oversize, write_pieces
from unkg.errors import GraphError, SearchError

from .engine import Filters, Searcher
from .options import SearchOptions

#: bump when what is pushed changes (properties, tokenisation): every paragraph is sent again
SEARCH_FORMAT = "1"
LABEL = S.check_label("Paragraph")
EMBEDDING = "embedding"
TEXT = "search_text"
EXTRA = "search_extra"
LANG = "search_lang"
KEY = "search_key"
#: the weight of `search_extra` (jieba sub-words, single Han characters), as the local bm25(search_fts, 1.0, 0.3)
EXTRA_WEIGHT = 0.3

_PIECE = re.compile(r"\w+")


def words_text(words: Iterable[str]) -> str:
    """Words cut into `\\w` runs and joined by spaces: what the server indexes, and all a query term may hold."""
    return " ".join(p for w in words for p in _PIECE.findall(w.lower()))


# -- dialects -------------------------------------------------------------------------

# An index query answers with block ids and scores only (the language is read locally), in one
# record: FalkorDB 4.16's Bolt endpoint stalls about 40 ms on any reply over about 5 KB (a
# Nagle / delayed-ACK wait), which 100 hits with paragraph ids and languages passed.
_HITS = "collect([substring(node.id, 5), score]) AS hits"


def hits_of(rows: list[dict]) -> list[dict]:
    """The {id (paragraph node id), score} rows of an index query's one `hits` record."""
    return [{"id": "para:" + h[0], "score": h[1]} for r in rows for h in (r.get("hits") or []) if h[0] is not None]


# a term of a full-text query: (field or None for any field, its word pieces: one is a word, more a phrase)
Term = tuple[Optional[str], list[str]]


class SearchDialect:
    """Neo4j 5: named full-text and vector indexes (Lucene, Neo4j's HNSW)."""

    name = "neo4j"
    fulltext_name = "unkg_paragraph_search"
    vector_name = "unkg_paragraph_embedding"
    #: vectors per statement
    vectors_per_statement = 200

    # -- indexes --
    def existing(self, client: Client) -> dict[str, dict]:
        rows = client.run("SHOW INDEXES YIELD name, type, options WHERE name IN $names RETURN name, type, options",
                          {"names": [self.fulltext_name, self.vector_name]})
        return {r["name"]: r for r in rows}

    def vector_dimension(self, client: Client) -> Optional[int]:
        idx = self.existing(client).get(self.vector_name)
        if not idx:
            return None
        dim = ((idx.get("options") or {}).get("indexConfig") or {}).get("vector.dimensions")
        return int(dim) if dim is not None else None

    def index_statements(self, client: Client, dim: int) -> list[str]:
        """The statements of the indexes the server does not have yet (by name)."""
        have = self.existing(client)
        return [st for st in self._index_statements(dim) if st.split()[3] not in have]

    def _index_statements(self, dim: int) -> list[str]:
        dim = _check_dim(dim)
        return [
            f"CREATE FULLTEXT INDEX {self.fulltext_name} IF NOT EXISTS FOR (n:{LABEL}) ON EACH [n.{TEXT}, n.{EXTRA}] "
            "OPTIONS {indexConfig: {`fulltext.analyzer`: 'whitespace'}}",
            f"CREATE VECTOR INDEX {self.vector_name} IF NOT EXISTS FOR (n:{LABEL}) ON (n.{EMBEDDING}) "
            f"OPTIONS {{indexConfig: {{`vector.dimensions`: {dim}, `vector.similarity_function`: 'cosine'}}}}",
        ]

    def create_indexes(self, client: Client, dim: int) -> list[str]:
        """Create what is missing; returns the statements run."""
        done = []
        for stmt in self.index_statements(client, dim):
            client.write(stmt, {})
            done.append(stmt)
        if done:
            self.await_indexes(client)
        return done

    def await_indexes(self, client: Client) -> None:
        client.run("CALL db.awaitIndexes(300)")

    def drop_statements(self, client: Client) -> list[str]:
        return [f"DROP INDEX {self.fulltext_name} IF EXISTS", f"DROP INDEX {self.vector_name} IF EXISTS"]

    # -- vectors --
    def vector_row(self, node_id: str, vec: np.ndarray, key: str) -> dict:
        return {"id": node_id, "v": [float(x) for x in vec], "k": key}

    def vector_set(self) -> str:
        return f"UNWIND $rows AS r MATCH (n:{LABEL} {{id: r.id}}) SET n.{EMBEDDING} = r.v, n.{KEY} = r.k"

    def vector_query(self, vec: np.ndarray, k: int) -> tuple[str, dict]:
        return (f"CALL db.index.vector.queryNodes('{self.vector_name}', $k, $v) YIELD node, score "
                f"RETURN {_HITS}", {"k": int(k), "v": [float(x) for x in vec]})

    def similarity(self, score: float) -> float:
        """Cosine similarity from the server's score (Neo4j: (1 + cos) / 2)."""
        return 2.0 * float(score) - 1.0

    # -- full text --
    def _term(self, term: Term) -> str:
        fld, pieces = term
        body = pieces[0] if len(pieces) == 1 else '"' + " ".join(pieces) + '"'
        if fld is None:
            return body
        return f"{fld}:{body}" + (f"^{EXTRA_WEIGHT}" if fld == EXTRA else "")

    def fulltext_any(self, terms: list[Term]) -> str:
        return " OR ".join(self._term(t) for t in terms)

    def fulltext_all(self, terms: list[Term]) -> str:
        return " AND ".join(self._term(t) for t in terms)

    def fulltext_query(self, q: str, k: int) -> tuple[str, dict]:
        return (f"CALL db.index.fulltext.queryNodes('{self.fulltext_name}', $q, {{limit: $k}}) YIELD node, score "
                f"RETURN {_HITS}", {"q": q, "k": int(k)})


class FalkorSearchDialect(SearchDialect):
    """FalkorDB: RediSearch full-text index and HNSW vector index on the label; vectors sent as digit strings."""

    name = "falkordb"
    vectors_per_statement = 1  # one encoded vector is ~2.1 KB of a ~3.8 KB message
    #: HNSW candidates at query time (the local usearch index: search.vectors.HNSW, 512 since 1M real-vector runs)
    ef_runtime = 128
    digits = 4
    _decode = "[i IN range(0, size({e}) / 4 - 1) | (toInteger(substring({e}, 4 * i, 4)) / 4999.5 - 1.0) * {m}]"

    def existing(self, client: Client) -> dict[str, dict]:
        out: dict[str, dict] = {}
        for row in client.run("CALL db.indexes() YIELD label, properties, types, options, entitytype "
                              "RETURN label, properties, types, options, entitytype"):
            if row.get("label") != LABEL or row.get("entitytype") != "NODE":
                continue
            for prop, kinds in (row.get("types") or {}).items():
                for kind in kinds or []:
                    out[f"{kind}:{prop}"] = (row.get("options") or {}).get(prop) or {}
        return out

    def vector_dimension(self, client: Client) -> Optional[int]:
        opts = self.existing(client).get(f"VECTOR:{EMBEDDING}")
        return None if opts is None else int(opts.get("dimension") or 0)

    def index_statements(self, client: Client, dim: int) -> list[str]:
        dim = _check_dim(dim)
        have = self.existing(client)
        out = []
        fields = []
        if f"FULLTEXT:{TEXT}" not in have:
            fields.append(f"{{field: '{TEXT}', nostem: true}}")
        if f"FULLTEXT:{EXTRA}" not in have:
            fields.append(f"{{field: '{EXTRA}', nostem: true, weight: {EXTRA_WEIGHT}}}")
        if fields:
            out.append(f"CALL db.idx.fulltext.createNodeIndex({{label: '{LABEL}', stopwords: []}}, {', '.join(fields)})")
            self._plain_fulltext = f"CALL db.idx.fulltext.createNodeIndex('{LABEL}', {', '.join(fields)})"
        if f"VECTOR:{EMBEDDING}" not in have:
            out.append(f"CREATE VECTOR INDEX FOR (n:{LABEL}) ON (n.{EMBEDDING}) "
                       f"OPTIONS {{dimension: {dim}, similarityFunction: 'cosine', efRuntime: {int(self.ef_runtime)}}}")
        return out

    def create_indexes(self, client: Client, dim: int) -> list[str]:
        done = []
        for stmt in self.index_statements(client, dim):
            try:
                client.write(stmt, {})
            except GraphError:
                # FalkorDB 4.16 takes the label options (stopwords) only the first time a label gets a
                # full-text index; after `db.idx.fulltext.drop` the label keeps them and refuses them again
                if not stmt.startswith("CALL db.idx.fulltext.createNodeIndex({"):
                    raise
                stmt = self._plain_fulltext
                client.write(stmt, {})
            done.append(stmt)
        return done

    def await_indexes(self, client: Client) -> None:
        return None  # FalkorDB indexes what is there while it creates the index; later writes are indexed at once

    def drop_statements(self, client: Client) -> list[str]:
        have = self.existing(client)
        out = []
        if f"VECTOR:{EMBEDDING}" in have:
            out.append(f"DROP VECTOR INDEX FOR (n:{LABEL}) ON (n.{EMBEDDING})")
        if any(k.startswith("FULLTEXT:") for k in have):
            out.append(f"CALL db.idx.fulltext.drop('{LABEL}')")
        return out

    @staticmethod
    def encode(vec: np.ndarray) -> tuple[str, float]:
        """A vector as 4-digit fixed-point numbers of vec / max|vec| (0000 = -1, 9999 = +1), and that scale."""
        v = np.asarray(vec, dtype=np.float64)
        m = float(np.abs(v).max()) if v.size else 0.0
        if not np.isfinite(m) or m == 0.0:
            m = 1.0
        q = np.clip(np.rint((v / m + 1.0) * 4999.5), 0, 9999).astype(np.int64)
        return "".join(f"{x:04d}" for x in q.tolist()), round(m, 6)

    def vector_row(self, node_id: str, vec: np.ndarray, key: str) -> dict:
        e, m = self.encode(vec)
        return {"id": node_id, "e": e, "m": m, "k": key}

    def vector_set(self) -> str:
        return (f"UNWIND $rows AS r MATCH (n:{LABEL} {{id: r.id}}) "
                f"SET n.{EMBEDDING} = vecf32({self._decode.format(e='r.e', m='r.m')}), n.{KEY} = r.k")

    def vector_query(self, vec: np.ndarray, k: int) -> tuple[str, dict]:
        e, _ = self.encode(vec)  # the scale does not change a cosine
        return (f"CALL db.idx.vector.queryNodes('{LABEL}', '{EMBEDDING}', $k, vecf32({self._decode.format(e='$e', m='1.0')})) "
                f"YIELD node, score RETURN {_HITS}", {"k": int(k), "e": e})

    def similarity(self, score: float) -> float:
        """Cosine similarity from FalkorDB's cosine distance (1 - cos)."""
        return 1.0 - float(score)

    def _term(self, term: Term) -> str:
        fld, pieces = term
        body = pieces[0] if len(pieces) == 1 else '"' + " ".join(pieces) + '"'
        return body if fld is None else f"(@{fld}:{body})"

    def fulltext_any(self, terms: list[Term]) -> str:
        return "|".join(self._term(t) for t in terms)

    def fulltext_all(self, terms: list[Term]) -> str:
        return " ".join(self._term(t) for t in terms)

    def fulltext_query(self, q: str, k: int) -> tuple[str, dict]:
        return (f"CALL db.idx.fulltext.queryNodes('{LABEL}', $q) YIELD node, score "
                f"WITH node, score ORDER BY score DESC LIMIT $k RETURN {_HITS}", {"q": q, "k": int(k)})


def search_dialect(client: Client) -> SearchDialect:
    """The search statements for the server behind `client` (the graph sync's switch decides)."""
    return FalkorSearchDialect() if client.dialect.name == "falkordb" else SearchDialect()


def _check_dim(dim: Any) -> int:
    d = int(dim)
    if not 1 <= d <= 4096:
        raise GraphError(f"vector dimension {dim!r} is out of range (1-4096)")
    return d


# -- the FTS5 expressions of the local engine, read back as terms ------------------------

_FTS_PART = re.compile(r'(?:(body|extra) : )?"((?:[^"]|"")*)"')


def fts_terms(match: str) -> tuple[list[Term], bool]:
    """The terms of an FTS5 expression made by `text.fts_or` / `text.fts_phrases`, and whether all must match.

    Only the quoted literals are read (every user word is one); each becomes its
    `\\w` pieces, so nothing else of the user's text reaches the server's parser.
    """
    terms: list[Term] = []
    cols = []
    for col, lit in _FTS_PART.findall(match or ""):
        pieces = _PIECE.findall(lit.replace('""', '"').lower())
        if not pieces:
            continue
        cols.append(col)
        fld = {"body": TEXT, "extra": EXTRA}.get(col)
        term = (fld, pieces)
        if term not in terms:
            terms.append(term)
    # phrases (every part names its column, joined by AND): all of them; an OR of words: any
    return terms, bool(cols) and all(c in ("body", "extra") for c in cols) and " OR " not in (match or "")


# -- push -------------------------------------------------------------------------------


@dataclass
class PushReport:
    target: str
    dialect: str = ""
    model: str = ""
    dim: int = 0
    paragraphs: int = 0
    removed: int = 0
    statements: int = 0
    seconds: float = 0.0
    full: bool = False
    reconciled: bool = False
    indexes: list[str] = field(default_factory=list)
    server_paragraphs: int = 0

    def as_dict(self) -> dict:
        return {"target": self.target, "dialect": self.dialect, "model": self.model, "dim": self.dim,
                "paragraphs_sent": self.paragraphs, "paragraphs_removed": self.removed, "statements": self.statements,
                "seconds": round(self.seconds, 3), "paragraphs_per_s": round(self.paragraphs / self.seconds, 1) if self.seconds and self.paragraphs else None,
                "full": self.full, "reconciled": self.reconciled, "index_statements": self.indexes,
                "server_paragraphs": self.server_paragraphs}


def push_state(store, target: str) -> dict[str, str]:
    """Paragraph id -> key the server `target` confirmed (the store's search_sync state)."""
    return SearchSyncState(store).keys(target)


def paragraph_key(model: str, text_hash: str, lang: Optional[str], doc: str) -> str:
    return hashlib.sha1(f"{SEARCH_FORMAT}|{model}|{text_hash}|{lang or ''}|{doc}".encode("utf-8")).hexdigest()[:16]


def local_keys(store, model: str) -> dict[str, str]:
    """block id -> key of every indexed paragraph with a vector of `model`."""
    return {b: paragraph_key(model, h, lang, d) for b, d, h, lang in SearchReads(store).indexed_paragraphs(model)}


def paragraph_rows(store, model: str, block_ids: Sequence[str]) -> list[dict]:
    """What is pushed for these paragraphs: {id, key, vec, props}."""
    out = []
    for b, d, h, lang, text, body, extra, vec in SearchReads(store).push_rows(model, block_ids):
        out.append({
            "id": S.paragraph_node_id(b),
            "key": paragraph_key(model, h, lang, d),
            "vec": np.frombuffer(vec, dtype=np.float16).astype(np.float32),
            "props": {"doc": d, "text": text or "", TEXT: words_text((body or "").split()),
                      EXTRA: words_text((extra or "").split()), LANG: lang},
        })
    return out


def send_rows(client: Client, sd: SearchDialect, rows: list[dict], batch_size: int = 500) -> int:
    """Send paragraphs (properties first, then vectors with their key); returns the number of statements.

    On a server with a message limit, batches are cut by size and long texts go in pieces.
    """
    limit = client.dialect.max_message_bytes
    n = 0
    query = node_merge(LABEL)
    base = len(query.encode()) + 64
    slim, appends = [], []
    for r in rows:
        row = {"id": r["id"], "props": r["props"]}
        if limit:
            row, pieces = split_oversize(row, limit - base)
            if pieces:
                appends.append((r["id"], pieces))
        slim.append(row)
    for chunk in batches(slim, batch_size, limit, base):
        client.write(query, {"rows": chunk})
        n += 1
    for node_id, pieces in appends:
        n += write_pieces(client, LABEL, node_id, pieces)
    vquery = sd.vector_set()
    vrows = [sd.vector_row(r["id"], r["vec"], r["key"]) for r in rows]
    vbase = len(vquery.encode()) + 64
    for chunk in batches(vrows, sd.vectors_per_statement, limit, vbase):
        if limit and len(chunk) == 1 and vbase + len(str(chunk[0])) > limit:
            raise GraphError(f"one vector does not fit in this server's {limit}-byte messages")
        client.write(vquery, {"rows": chunk})
        n += 1
    return n


def _unset(client: Client, block_ids: list[str], limit: Optional[int]) -> int:
    """Take the search properties off these paragraphs; nodes only the search push made are deleted."""
    rows = [{"id": S.paragraph_node_id(b)} for b in block_ids]
    drop = f"UNWIND $rows AS r MATCH (n:{LABEL} {{id: r.id}}) WHERE n.block IS NULL DETACH DELETE n"
    unset = (f"UNWIND $rows AS r MATCH (n:{LABEL} {{id: r.id}}) "
             f"SET n.{EMBEDDING} = NULL, n.{KEY} = NULL, n.{TEXT} = NULL, n.{EXTRA} = NULL, n.{LANG} = NULL")
    n = 0
    for q in (drop, unset):
        for chunk in batches(rows, 1000, limit, len(q) + 64):
            client.write(q, {"rows": chunk})
            n += 1
    return n


def server_count(client: Client) -> int:
    return client.run(f"MATCH (n:{LABEL}) WHERE n.{KEY} IS NOT NULL RETURN count(n) AS c")[0]["c"]


def ensure_indexes(client: Client, sd: SearchDialect, dim: int) -> list[str]:
    """The graph's constraints / id indexes (MERGE on `id` needs them), then the full-text and vector indexes."""
    done = client.ensure_schema()
    have = sd.vector_dimension(client)
    if have is not None and have != dim:
        raise GraphError(f"the server's vector index holds {have}-dimensional vectors, the encoder gives {dim}: "
                         "run `unkg search-sync --reset` to drop the search indexes and push again")
    return done + sd.create_indexes(client, dim)


def reset_search(store, conn: Connection, client: Optional[Client] = None) -> None:
    """Drop the server's search indexes and properties and forget the push state of this target."""
    own = client is None
    client = client or Client(conn)
    try:
        sd = search_dialect(client)
        for stmt in sd.drop_statements(client):
            client.write(stmt, {})
        ids = [r["id"] for r in client.run(f"MATCH (n:{LABEL}) WHERE n.{KEY} IS NOT NULL OR n.{TEXT} IS NOT NULL RETURN n.id AS id")]
        _unset(client, [i.removeprefix("para:") for i in ids], client.dialect.max_message_bytes)
        SearchSyncState(store).save(conn.target, {}, replace=True)
    finally:
        if own:
            client.close()


def push_search_index(searcher: Searcher, conn: Connection, full: bool = False, client: Optional[Client] = None,
                      group: int = 500, on_progress: Optional[Callable[[int, int], None]] = None) -> PushReport:
    """Send the paragraphs' text, language and vectors of the searcher's encoder to the server; see the module docstring."""
    t0 = time.perf_counter()
    own = client is None
    client = client or Client(conn)
    try:
        if not searcher.index.is_current(searcher.encoder.name):
            searcher.ensure_index()
        store = searcher.store
        marks = SearchSyncState(store)
        model = searcher.encoder.name
        sd = search_dialect(client)
        rep = PushReport(target=conn.target, dialect=sd.name, model=model, full=full)
        rep.dim = SearchReads(store).embedding_dim(model) or int(getattr(searcher.encoder, "dim", 0) or 0)
        if not rep.dim:
            raise SearchError("nothing is indexed yet: ingest documents first (`unkg ingest`), then push")
        rep.indexes = ensure_indexes(client, sd, rep.dim)
        state = {} if full else marks.keys(conn.target)
        if not full and server_count(client) != len(state):
            # nodes were replaced (a graph sync of a changed document) or removed behind our back: ask the server
            state = {r["id"].removeprefix("para:"): r["k"] for r in client.run(
                f"MATCH (n:{LABEL}) WHERE n.{KEY} IS NOT NULL RETURN n.id AS id, n.{KEY} AS k")}
            marks.save(conn.target, state, replace=True)
            rep.reconciled = True
        local = local_keys(store, model)
        gone = sorted(b for b in state if b not in local)
        if gone:
            rep.statements += _unset(client, gone, client.dialect.max_message_bytes)
            marks.save(conn.target, {}, gone)
            rep.removed = len(gone)
        todo = sorted(b for b, k in local.items() if state.get(b) != k)
        for i in range(0, len(todo), group):
            chunk = todo[i : i + group]
            rows = paragraph_rows(store, model, chunk)
            rep.statements += send_rows(client, sd, rows)
            marks.save(conn.target, {r["id"].removeprefix("para:"): r["key"] for r in rows})
            rep.paragraphs += len(rows)
            if on_progress:
                on_progress(min(i + group, len(todo)), len(todo))
        rep.server_paragraphs = server_count(client)
        rep.seconds = time.perf_counter() - t0
        return rep
    finally:
        if own:
            client.close()


# -- server-side search -----------------------------------------------------------------


class _ServerVectors:
    """Stands in for the local VectorIndex: the server's vector index, answers mapped to local rowids."""

    def __init__(self, owner: "BoltSearcher") -> None:
        self.owner = owner

    def search(self, queries: np.ndarray, k: int, allowed: Optional[np.ndarray] = None) -> list[tuple[np.ndarray, np.ndarray]]:
        o = self.owner
        q = np.atleast_2d(np.asarray(queries, dtype=np.float32))
        fetch = k if allowed is None else min(max(k * 10, 500), o.max_candidates)
        keep = None if allowed is None else set(np.asarray(allowed).tolist())
        out = []
        for vec in q:
            query, params = o.sd.vector_query(vec, fetch)
            rows = hits_of(o.client.run(query, params))
            mapped = o.rowids([r["id"] for r in rows])
            ids, sims = [], []
            for r in rows:
                rid = mapped.get(r["id"], (None, None))[0]
                if rid is None or (keep is not None and rid not in keep):
                    continue
                ids.append(rid)
                sims.append(o.sd.similarity(r["score"]))
            order = np.argsort(-np.asarray(sims, dtype=np.float64), kind="stable")[:k]
            out.append((np.asarray(ids, dtype=np.int64)[order], np.asarray(sims, dtype=np.float32)[order]))
        return out


class BoltSearcher(Searcher):
    """The local `Searcher`, with dense and lexical candidates from the server's vector and full-text indexes.

        s = BoltSearcher(Connection.from_options())     # NEO4J_URI etc.
        hits = s.search("gender-responsive LDN targets", filters=Filters(language="zh"))

    Hits have the local search's shape; citations and translations are read from the
    local store by paragraph id. Filters are applied to the server's candidates
    (up to `max_candidates` of them for a filtered query).
    """

    def __init__(self, conn: Connection, store=None, encoder=None, client: Optional[Client] = None,
                 auto_index: bool = True, max_candidates: int = 2000, options: Optional[SearchOptions] = None) -> None:
        super().__init__(store=store, encoder=encoder, auto_index=auto_index, options=options)
        self.conn = conn
        self._own_client = client is None
        try:
            self.client = client or Client(conn)
        except BaseException:
            super().close()
            raise
        self.sd = search_dialect(self.client)
        self.max_candidates = max_candidates
        self.unknown: set[str] = set()

    def vector_index(self) -> _ServerVectors:  # type: ignore[override]
        return _ServerVectors(self)

    def rowids(self, node_ids: Sequence[str]) -> dict[str, tuple[int, Optional[str]]]:
        """(local search rowid, language of the prose) of server paragraph ids; ids the store does not have are left out (and noted)."""
        blocks = {i.removeprefix("para:"): i for i in node_ids if isinstance(i, str)}
        out = {blocks[b]: v for b, v in SearchReads(self.store).rowids(list(blocks)).items()}
        self.unknown.update(i for i in node_ids if i not in out)
        return out

    def _fts(self, match: Optional[str], filters: Filters, limit: int) -> list[tuple[int, float, Optional[str], Optional[str]]]:
        terms, all_of = fts_terms(match or "")
        if not terms:
            return []
        q = self.sd.fulltext_all(terms) if all_of else self.sd.fulltext_any(terms)
        allowed = self._allowed_rowids(filters)
        keep = None if allowed is None else set(allowed.tolist())
        fetch = limit if keep is None else min(max(limit * 10, 500), self.max_candidates)
        query, params = self.sd.fulltext_query(q, fetch)
        rows = hits_of(self.client.run(query, params))
        mapped = self.rowids([r["id"] for r in rows])
        out = []
        for r in sorted(rows, key=lambda r: -float(r["score"] or 0.0)):
            rid, lang = mapped.get(r["id"], (None, None))
            if rid is None or (keep is not None and rid not in keep):
                continue
            out.append((rid, float(r["score"] or 0.0), lang, None))
        return out[:limit]

    def close(self) -> None:
        if self._own_client:
            self.client.close()
        super().close()
