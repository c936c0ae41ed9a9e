"""The Neo4j dialect on a real Neo4j 5 (the launcher in neo4j-server/, started once per session).

Uniqueness constraints, batched `UNWIND ... MERGE` in explicit transactions, the
read-only passthrough refused by the server itself, the same answers as the local
graph, a SIGKILL in the middle of a sync, bad credentials and an unreachable server
through the CLI, and every Cypher example of docs/neo4j.md.
"""

from __future__ import annotations

import json
import re

import networkx as nx
import pytest

from unkg.errors import GraphError
from unkg.graph import neo4j_sync
from unkg.graph import schema as S
from unkg.graph.build import build_graph
from unkg.graph.neo4j_sync import Client, read_query, sync_graph, sync_state
from unkg.graph.mandates import MandateFilter, find_mandates
from unkg.graph.query import neighbours, precedents

from tests.conftest import REPO, run_cli
from tests.graph.conftest import local_graph, server_graph
from tests.graph.test_build import _synthetic

pytestmark = [pytest.mark.neo4j, pytest.mark.server]


@pytest.fixture
def synced(seed_store, neo4j_bolt, tmp_path):
    """The seeds plus the synthetic English decision (it has precedents), synced to Neo4j."""
    seed_store.put_document(_synthetic())
    kg, _ = build_graph(seed_store, cache=tmp_path / "g.pickle")
    rep = sync_graph(kg, seed_store, neo4j_bolt)
    return kg, rep


def test_uniqueness_constraints_are_enforced_by_the_server(synced, seed_store, neo4j_bolt):
    kg, rep = synced
    with Client(neo4j_bolt) as c:
        assert c.dialect.name == "neo4j" and c.agent.startswith("Neo4j/5.")
        rows = c.run("SHOW CONSTRAINTS YIELD name, type, labelsOrTypes, properties RETURN *")
        uniq = {(r["labelsOrTypes"][0], tuple(r["properties"])) for r in rows if r["type"] == "UNIQUENESS"}
        assert {(label, ("id",)) for label in S.LABELS} <= uniq
        before = c.counts()
        with pytest.raises(GraphError, match="ConstraintValidationFailed"):
            c.write("CREATE (:Actor {id: $id})", {"id": "actor:global-mechanism"})
        assert c.counts() == before
        # nothing is missing: a second sync creates no constraint or index
        assert c.dialect.schema_statements(lambda q: c.run(q)) == []
    assert sync_graph(kg, seed_store, neo4j_bolt, full=True).schema == []


def test_batched_merge_in_explicit_transactions(synced, neo4j_bolt, monkeypatch):
    kg, rep = synced
    items = rep.nodes + rep.relationships
    assert rep.statements * 10 < items  # batches, not a statement per item
    # every write is BEGIN / RUN / COMMIT: a batch with one bad row leaves nothing behind
    began = []
    import neo4j

    original = neo4j.Session.begin_transaction

    def spy(self, *a, **k):
        began.append(1)
        return original(self, *a, **k)

    monkeypatch.setattr(neo4j.Session, "begin_transaction", spy)
    rows = [{"id": f"actor:batch-{i}", "props": {"name": f"Batch {i}"}} for i in range(50)]
    rows.append({"id": "actor:batch-bad", "props": {"name": {"a map": "is no property value"}}})
    with Client(neo4j_bolt) as c:
        with pytest.raises(GraphError, match="refused a write"):
            c.write(neo4j_sync.node_merge("Actor"), {"rows": rows})
        assert began
        assert c.run("MATCH (n:Actor) WHERE n.id STARTS WITH 'actor:batch-' RETURN count(n) AS c") == [{"c": 0}]
        c.write(neo4j_sync.node_merge("Actor"), {"rows": rows[:-1]})
        assert c.run("MATCH (n:Actor) WHERE n.id STARTS WITH 'actor:batch-' RETURN count(n) AS c") == [{"c": 50}]


def test_cypher_passthrough_is_read_only_on_the_server_too(synced, neo4j_bolt, monkeypatch):
    with Client(neo4j_bolt) as c:
        before = c.counts()
    # with the textual check out of the way, the READ access mode still stops every write
    monkeypatch.setattr(neo4j_sync, "check_read_only", lambda q: None)
    for q in ("CREATE (:Actor {id: 'actor:pwned'})", "MATCH (n:Actor) SET n.name = 'x'",
              "MATCH (n:Paragraph) DETACH DELETE n", "CREATE INDEX pwned FOR (n:Actor) ON (n.name)"):
        with pytest.raises(GraphError, match="AccessMode|read|Forbidden"):
            read_query(neo4j_bolt, q)
    with Client(neo4j_bolt) as c:
        assert c.counts() == before
        assert c.run("SHOW INDEXES YIELD name WHERE name = 'pwned' RETURN name") == []
    # and reads work as before
    assert read_query(neo4j_bolt, "MATCH (n:Initiative {id: $i}) RETURN n.name AS n", {"i": "initiative:changwon-initiative"})


def _q(conn, query, **params):
    return read_query(conn, query, params, limit=100000)


def mandates(store, **filters):
    """The one mandate query (the store the local graph is built from)."""
    return find_mandates(store, MandateFilter.of(**filters))


def test_the_same_answers_as_the_local_graph(synced, seed_store, neo4j_bolt):
    kg, _ = synced
    # everything: nodes, relationships, properties, no duplicates
    with Client(neo4j_bolt) as c:
        assert server_graph(c) == (*local_graph(kg), 0, 0)
    # mandates by addressee (and decision)
    for who, actor in (("Global Mechanism", "actor:global-mechanism"), ("secretariat", "actor:unccd-secretariat")):
        local = {m["id"] for m in mandates(seed_store, addressee=actor)}  # the actor's id: exactly the server's question
        server = {r["m"] for r in _q(neo4j_bolt, "MATCH (m:Mandate)-[:ADDRESSED_TO]->(:Actor {id: $a}) RETURN DISTINCT m.id AS m", a=actor)}
        assert local and local == server, who
    local = {m["id"] for m in mandates(seed_store, decision="22/COP.15", language="zh")}
    server = {r["m"] for r in _q(neo4j_bolt, "MATCH (:Decision {id: $d})-[:CONTAINS_MANDATE]->(m:Mandate {language: 'zh'}) RETURN m.id AS m",
                                 d="decision:22/COP.15")}
    assert local and local == server
    # neighbourhoods, one and two steps
    nb = neighbours(kg, "actor:korea-forest-service", depth=1, limit=10000)
    server = {r["b"] for r in _q(neo4j_bolt, "MATCH (:Actor {id: $a})--(b) RETURN DISTINCT b.id AS b", a="actor:korea-forest-service")}
    assert {n["id"] for n in nb["nodes"]} - {"actor:korea-forest-service"} == server
    two = neighbours(kg, "actor:korea-forest-service", depth=2, types=["LAUNCHED_BY", "SUPPORTS"], limit=10000)
    server = {r["b"] for r in _q(neo4j_bolt, "MATCH (a:Actor {id: $a})-[:LAUNCHED_BY|SUPPORTS*1..2]-(b) WHERE b <> a RETURN DISTINCT b.id AS b",
                                 a="actor:korea-forest-service")}
    assert {n["id"] for n in two["nodes"]} - {"actor:korea-forest-service"} == server and "actor:unccd-secretariat" in server
    # paths: the shortest path, documents left out, is as long on both sides
    ug = nx.Graph(kg.g.to_undirected(as_view=True))
    ug.remove_nodes_from([n for n, a in kg.g.nodes(data=True) if a["label"] == "Document"])
    for a, b in (("decision:22/COP.15", "initiative:changwon-initiative"), ("decision:22/COP.15", "initiative:kubuqi-international-desert-forum")):
        want = nx.shortest_path_length(ug, a, b)
        rows = _q(neo4j_bolt, "MATCH (a {id: $a}), (b {id: $b}) MATCH p = shortestPath((a)-[*..10]-(b)) "
                              "WHERE none(n IN nodes(p) WHERE n:Document) RETURN length(p) AS n, [x IN nodes(p) | x.id] AS ids", a=a, b=b)
        assert rows and rows[0]["n"] == want, (a, b)
        assert all(ug.has_edge(x, y) for x, y in zip(rows[0]["ids"], rows[0]["ids"][1:]))
    # precedents
    local = [p["decision"]["id"] for p in precedents(kg, "22/COP.15")]
    server = [r["d"] for r in _q(neo4j_bolt, "MATCH p = (:Decision {id: $d})-[:FOLLOWS_UP*1..5]->(e:Decision) "
                                             "RETURN e.id AS d ORDER BY length(p), d", d="decision:22/COP.15")]
    assert local == server == ["decision:3/COP.13"]


def test_sigkill_in_the_middle_of_a_sync_then_restart_on_the_same_data(seed_store, neo4j_server, neo4j_bolt, tmp_path):
    """Neo4j killed (SIGKILL) after a few batches; restarted on its data folder, the next sync completes."""
    srv = neo4j_server.server
    kg, _ = build_graph(seed_store, cache=tmp_path / "g.pickle")
    sent = []

    def kill(n, rows):
        sent.append(rows)
        if n == 6:
            srv.crash()

    with Client(neo4j_bolt) as c:
        assert c.is_empty()  # so the sync that is killed CREATEs what one document owns
    try:
        with pytest.raises(GraphError, match="Nothing unconfirmed was marked as synced"):
            sync_graph(kg, seed_store, neo4j_bolt, batch_size=40, docs_per_group=1, on_batch=kill)
    finally:
        srv.restart()  # same port and data folder: the store recovers from its transaction log
    # the sync writes on two sessions side by side: the statement beside the sixth may have been
    # confirmed before the kill reached the server
    assert 6 <= len(sent) <= 7
    marked = sync_state(seed_store, neo4j_bolt.target)
    assert all(kg.built[d] == fp for d, fp in marked.items() if fp)
    with Client(neo4j_bolt) as c:
        nodes, rels, dn, dr = server_graph(c)
    assert dn == dr == 0
    want_nodes, want_rels = local_graph(kg, [d for d, fp in marked.items() if fp])
    assert {k: want_nodes[k] for k in want_nodes if k in nodes} == {k: nodes[k] for k in want_nodes if k in nodes}
    assert set(want_nodes) <= set(nodes)  # what was marked synced survived the kill
    rep = sync_graph(kg, seed_store, neo4j_bolt)
    assert rep.documents == len(kg.built) - len([d for d, fp in marked.items() if fp])
    with Client(neo4j_bolt) as c:
        assert server_graph(c) == (*local_graph(kg), 0, 0)
    assert set(sync_state(seed_store, neo4j_bolt.target)) == set(kg.built)


def _store_fingerprint(home) -> tuple:
    import sqlite3

    db = sqlite3.connect(home / "unkg.sqlite")
    try:
        docs = db.execute("SELECT count(*) FROM documents").fetchone()[0]
        blocks = db.execute("SELECT count(*), sum(length(text)) FROM blocks").fetchone()
        synced = db.execute("SELECT count(*) FROM sqlite_master WHERE name = 'graph_sync'").fetchone()[0]
        rows = db.execute("SELECT target, doc_id, fingerprint FROM graph_sync ORDER BY 1, 2").fetchall() if synced else []
        return docs, tuple(blocks), tuple(rows)
    finally:
        db.close()


def test_wrong_password_or_unreachable_server_through_the_cli(seed_home, neo4j_server, neo4j_bolt):
    env = {"NEO4J_URI": neo4j_server.uri, "NEO4J_DATABASE": neo4j_server.database}
    ok = run_cli("graph", "sync", "--json", env=env)
    assert ok.returncode == 0, ok.stderr
    before = _store_fingerprint(seed_home)
    assert len(before[2]) == 5
    for args, extra, want in (
        (("graph", "sync", "--full", "--json"), {"NEO4J_PASSWORD": "not-the-password"}, "refused the login"),
        (("graph", "cypher", "MATCH (n) RETURN count(n) AS c"), {"NEO4J_PASSWORD": "not-the-password"}, "refused the login"),
        (("graph", "sync", "--full", "--json"), {"NEO4J_URI": "bolt://127.0.0.1:9"}, "cannot reach"),
    ):
        res = run_cli(*args, env={**env, **extra})
        assert res.returncode != 0, (args, res.stdout)
        assert want in res.stderr + res.stdout and "NEO4J_URI" in res.stderr + res.stdout, res.stderr
        assert "Traceback" not in res.stderr
        assert _store_fingerprint(seed_home) == before  # nothing lost, nothing marked
    again = run_cli("graph", "sync", "--json", env=env)
    assert again.returncode == 0 and json.loads(again.stdout)["documents_synced"] == 0


def doc_examples() -> list[str]:
    text = (REPO / "docs" / "neo4j.md").read_text(encoding="utf-8")
    return [m.group(1).strip() for m in re.finditer(r"```cypher\n(.*?)```", text, re.S)]


def test_every_cypher_example_of_the_docs_runs(synced, seed_store, neo4j_bolt):
    examples = doc_examples()
    assert len(examples) >= 4
    for q in examples:
        rows = read_query(neo4j_bolt, q, limit=1000)  # the passthrough: read-only checked, READ mode
        assert rows, q
    # the cookbook's answers are the local graph's
    kg, _ = synced
    by_name = {q.splitlines()[0]: q for q in examples}
    gm = next(q for first, q in by_name.items() if "Global Mechanism" in first)
    assert {r["mandate"] for r in read_query(neo4j_bolt, gm)} == {m["id"] for m in mandates(seed_store, addressee="Global Mechanism")}
    prec = next(q for first, q in by_name.items() if "precedents" in first.lower())
    assert [r["precedent"] for r in read_query(neo4j_bolt, prec)] == [p["decision"]["id"] for p in precedents(kg, "22/COP.15")]
