"""Sync to a real Bolt server (FalkorDB started by the fixture, or the Neo4j NEO4J_URI names)."""

from __future__ import annotations

import pytest

from unkg.graph import schema as S
from unkg.graph.build import build_graph
from unkg.graph.neo4j_sync import (Client, Connection, Dialect, FalkorDialect, batches, check_read_only, choose_dialect,
                              read_query, split_oversize, sync_graph, sync_state)
from unkg.errors import GraphError

from tests.conftest import SAMPLES
from tests.graph.conftest import ingest_here


def _same_counts(kg, server: dict) -> None:
    local = kg.counts()
    assert server["nodes"] == local["nodes"]
    assert server["relationships"] == local["relationships"]
    assert server["labels"] == local["labels"]
    assert server["types"] == local["types"]


def test_sync_counts_equal_and_a_second_sync_changes_nothing(seed_store, bolt, bolt_server, tmp_path):
    kg, _ = build_graph(seed_store, cache=tmp_path / "g.pickle")
    rep = sync_graph(kg, seed_store, bolt)
    assert rep.created  # an empty server: what one document owns was CREATEd
    assert rep.documents == 5 and rep.nodes == kg.g.number_of_nodes() and rep.relationships == kg.g.number_of_edges()
    _same_counts(kg, rep.counts)
    with Client(bolt) as client:
        _same_counts(kg, client.counts())
        assert client.dialect.name == bolt_server.kind
        # the constraints (indexes on FalkorDB) are there: nothing is left to create
        if client.dialect.name == "falkordb":
            assert client.dialect.schema_statements(lambda q: client.run(q)) == []
        else:
            names = {r["name"] for r in client.run("SHOW CONSTRAINTS YIELD name RETURN name")}
            assert {f"unkg_{label.lower()}_id" for label in S.LABELS} <= names
    assert set(sync_state(seed_store, bolt.target)) == set(kg.built)

    again = sync_graph(kg, seed_store, bolt)
    assert again.documents == 0 and again.nodes == 0 and again.relationships == 0
    assert again.counts == rep.counts

    full = sync_graph(kg, seed_store, bolt, full=True)  # MERGE on stable ids: sending all again duplicates nothing
    assert full.documents == 5 and not full.created  # the server holds the graph: MERGE
    assert full.counts == rep.counts
    rows = read_query(bolt, "MATCH (i:Initiative {id: $id})-[r:LAUNCHED_BY]->(a) RETURN a.id AS actor, r.paragraph AS p",
                      {"id": "initiative:changwon-initiative"})
    assert {"actor": "actor:korea-forest-service", "p": "sha:799f4ecc30d49fe5#11"} in rows
    # every relationship on the server carries the key, paragraph and document networkx has
    server = {r["k"]: (r["p"], r["d"]) for r in read_query(
        bolt, "MATCH ()-[e]->() RETURN e.key AS k, e.paragraph AS p, e.doc AS d", limit=100000)}
    local = {k: (a.get("paragraph"), a.get("doc")) for _, _, k, a in kg.g.edges(keys=True, data=True)}
    assert server == local


def test_incremental_sync_sends_only_changed_documents(seed_store, bolt, tmp_path):
    cache = tmp_path / "g.pickle"
    kg, _ = build_graph(seed_store, cache=cache)
    sync_graph(kg, seed_store, bolt)
    # a new version of the Kubuqi plan (new content hash, new id), and the COP 16 report withdrawn
    src = tmp_path / "kubuqi.txt"
    src.write_text((SAMPLES / "003_fba4fe6ec1bb1a00.txt").read_text(encoding="utf-8") + "\nThe Forum was funded by UNEP.\n", encoding="utf-8")
    new_id = ingest_here([src], seed_store)[0]
    seed_store._db.execute("DELETE FROM blocks WHERE doc_id = ?", ("ICCD/COP(16)/18@zh",))
    seed_store._db.execute("DELETE FROM documents WHERE id = ?", ("ICCD/COP(16)/18@zh",))
    kg, _ = build_graph(seed_store, cache=cache)
    rep = sync_graph(kg, seed_store, bolt)
    assert rep.documents == 1 and rep.removed == 1
    _same_counts(kg, rep.counts)
    state = sync_state(seed_store, bolt.target)
    assert new_id in state and "ICCD/COP(16)/18@zh" not in state
    assert read_query(bolt, "MATCH (d:Decision {id: 'decision:22/COP.15'}) RETURN d.id AS id") == []
    assert sync_graph(kg, seed_store, bolt).counts == rep.counts


def test_server_going_away_marks_nothing_synced(seed_store, falkor_private, tmp_path):
    kg, _ = build_graph(seed_store, cache=tmp_path / "g.pickle")
    conn = Connection(falkor_private.uri, database="unkg")
    sent = []

    def kill_after_two(n, rows):
        sent.append(rows)
        if n == 2:
            falkor_private.stop()

    with pytest.raises(GraphError) as err:
        sync_graph(kg, seed_store, conn, batch_size=50, on_batch=kill_after_two)
    assert len(sent) == 2
    assert "Nothing unconfirmed was marked as synced" in str(err.value)
    assert sync_state(seed_store, conn.target) == {}
    # and a server that is not there at all: a clear error before anything is sent
    with pytest.raises(GraphError, match="cannot reach the graph server"):
        sync_graph(kg, seed_store, conn)


def test_big_paragraphs_fit_falkordb_messages(seed_store, bolt, tmp_path):
    from unkg.model import Block, Document

    text = "土地退化零增长。" * 900  # 7,200 characters, about 21 KB of UTF-8
    doc = Document(id="big@zh", source="big", sha256="1" * 64, format="txt", language="zh",
                   blocks=[Block(id="big#1", ord=0, kind="text", text=text, language="zh")])
    seed_store.put_document(doc)
    kg, _ = build_graph(seed_store, cache=tmp_path / "g.pickle")
    rep = sync_graph(kg, seed_store, bolt)
    _same_counts(kg, rep.counts)
    assert read_query(bolt, "MATCH (p:Paragraph {id: 'para:big#1'}) RETURN p.text AS t") == [{"t": text}]


def test_batches_respect_the_message_limit():
    rows = [{"id": f"n{i}", "props": {"text": "x" * 500}} for i in range(20)]
    got = list(batches(rows, 1000, 3600, base=100))
    assert sum(len(b) for b in got) == 20 and len(got) > 1
    assert all(sum(len(str(r)) for r in b) < 3600 for b in got)
    assert list(batches(rows, 7, None)) == [rows[:7], rows[7:14], rows[14:]]
    slim, pieces = split_oversize({"id": "p", "props": {"text": "字" * 5000, "name": "p"}}, 3000)
    assert "text" not in slim["props"] and "".join(pieces[0][1]) == "字" * 5000


def test_dialect_switch_reads_the_agent_string():
    assert isinstance(choose_dialect("FalkorDB/4.16.3"), FalkorDialect)
    assert type(choose_dialect("Neo4j/5.26.0", probe=lambda: True)) is Dialect
    assert isinstance(choose_dialect("Neo4j/5.13.0", probe=lambda: False), FalkorDialect)  # FalkorDB's Bolt agent
    stmts = Dialect().schema_statements(lambda q: [])
    assert stmts[0].startswith("CREATE CONSTRAINT unkg_document_id IF NOT EXISTS FOR (n:Document) REQUIRE n.id IS UNIQUE")
    assert all("IF NOT EXISTS" in s for s in stmts)
    assert FalkorDialect().schema_statements(lambda q: [])[0] == "CREATE INDEX FOR (n:Document) ON (n.id)"


@pytest.mark.parametrize("query", [
    "CREATE (n:Actor {id: 'x'})",
    "MATCH (n) DETACH DELETE n",
    "MATCH (n) SET n.x = 1",
    "MATCH (n) REMOVE n.name",
    "MERGE (n:Actor {id: 'x'}) RETURN n",
    "LOAD CSV FROM 'file:///etc/passwd' AS line RETURN line",
    "CALL apoc.create.node(['X'], {}) YIELD node RETURN node",
    "CALL db.createLabel('X')",
    "match (n) with n /* comment */ delete n",
    "MATCH (n) CALL { WITH n CREATE (m) } IN TRANSACTIONS RETURN 1",
    "DROP CONSTRAINT unkg_document_id",
])
def test_cypher_passthrough_refuses_writes(query):
    with pytest.raises(GraphError):
        check_read_only(query)


def test_cypher_passthrough_reads_with_a_time_limit(seed_store, bolt, tmp_path):
    check_read_only("MATCH (n:Actor) WHERE n.name CONTAINS 'create' RETURN n.name // delete")
    check_read_only("CALL db.labels()")
    kg, _ = build_graph(seed_store, cache=tmp_path / "g.pickle")
    sync_graph(kg, seed_store, bolt)
    rows = read_query(bolt, "MATCH (n:Initiative) RETURN n.id AS id ORDER BY id")
    assert {"id": "initiative:changwon-initiative"} in rows
    assert len(rows) == kg.counts()["labels"]["Initiative"]
    rows = read_query(bolt, "MATCH p = (:Initiative {id: $a})-[:LAUNCHED_BY]->(:Actor) RETURN p",
                      {"a": "initiative:changwon-initiative"})
    assert rows[0]["p"]["nodes"][1]["id"] == "actor:korea-forest-service"
    assert len(read_query(bolt, "MATCH (p:Paragraph) RETURN p.id AS id", limit=7)) == 7


def test_cypher_time_limit_stops_a_runaway_query():
    from unkg.graph.falkor import FalkorServer

    with FalkorServer(module_args=("TIMEOUT_MAX", "4000")) as srv:
        conn = Connection(srv.uri, database="slow")
        with pytest.raises(GraphError, match="time limit|timed out|refused"):
            read_query(conn, "UNWIND range(1, 2000000000) AS x WITH x WHERE x % 7 = 3 RETURN count(x) AS c", timeout=0.5)


def _give_foreign_edges(kg, b_id: str, a_id: str) -> list[tuple[str, str, str]]:
    """Document B gives, besides what it has, relationships to nodes document A owns: its first paragraph is the
    translation of A's first paragraph and cites A's Document node, and B's Document responds to A's first mandate
    (if A has one). B is put back into the graph through remove/add_document with its fingerprint unchanged."""
    from unkg.graph.build import Contribution, EdgeSpec, NodeSpec

    g = kg.g
    contrib = Contribution()
    for n in kg.doc_nodes[b_id]:
        attrs = g.nodes[n]
        contrib.nodes[n] = NodeSpec(n, attrs["label"], {k: v for k, v in attrs.items() if k != "label"}, kg.node_docs[n][b_id])
    for u, v, k in kg.doc_edges[b_id]:
        attrs = g.edges[u, v, k]
        contrib.edges[k] = EdgeSpec(u, v, attrs["type"], k, {a: x for a, x in attrs.items() if a != "type"})

    def first(label: str, doc: str) -> str | None:
        ids = [n for n in kg.doc_nodes[doc] if g.nodes[n]["label"] == label and g.nodes[n].get("doc") == doc]
        return min(ids, key=lambda n: (g.nodes[n].get("ord", 0), n)) if ids else None

    pa, pb, mandate_a = first("Paragraph", a_id), first("Paragraph", b_id), first("Mandate", a_id)
    da, db = S.document_node_id(a_id), S.document_node_id(b_id)
    block_b = g.nodes[pb]["block"]
    added = [(pb, pa, "TRANSLATION_OF"), (pb, da, "CITES")] + ([(db, mandate_a, "RESPONDS_TO")] if mandate_a else [])
    keys = []
    for src, dst, rel in added:
        for n in (src, dst):
            if n not in contrib.nodes:
                attrs = g.nodes[n]
                contrib.nodes[n] = NodeSpec(n, attrs["label"], {"name": attrs.get("name")}, block_b)
        key = S.edge_key(rel, src, dst, block_b)
        contrib.edges[key] = EdgeSpec(src, dst, rel, key, {"paragraph": block_b, "doc": b_id})
        keys.append((src, dst, key))
    fp = kg.built[b_id]
    kg.remove_document(b_id)
    kg.add_document(b_id, contrib, fp)
    assert all(g.nodes[dst].get("doc") == a_id for _, dst, _ in keys)  # they end at nodes A owns
    return keys


def _changed(changed: str, store, tmp_path) -> str:
    """A new version of the English (synthetic decision) or Chinese (COP 16 report) document: same id, one more paragraph."""
    from unkg.extract.task import ParseAndAnnotate

    from tests.graph.test_build import _synthetic

    if changed == "en":
        doc = _synthetic()
        doc.sha256 = "1" * 64
        doc.blocks.append(type(doc.blocks[0])(id="S#4", ord=3, kind="operative", label="2.", language="en", verb="Decides",
                                               text="Decides to review the Changwon Initiative at its next session."))
    else:
        src = tmp_path / "cop16-18-zh.txt"
        src.write_text((SAMPLES / "001_309b4cd226994121.txt").read_text(encoding="utf-8") + "\n本报告由秘书处编写。\n", encoding="utf-8")
        doc = ParseAndAnnotate()(str(src))
    assert store.put_document(doc, replace=True) == "replaced"
    return doc.id


@pytest.mark.parametrize("changed", ["en", "zh"])
def test_resync_of_a_document_keeps_the_relationships_other_documents_give_to_its_nodes(seed_store, bolt, tmp_path, changed):
    """Re-syncing a changed document deletes its nodes with their relationships (DETACH DELETE), those other
    documents give included: they are sent again, so the server still equals the local graph."""
    from tests.graph.conftest import local_graph, server_graph
    from tests.graph.test_build import _synthetic

    seed_store.put_document(_synthetic())
    ids = {"en": "ICCD/COP(16)/L.9@en", "zh": "ICCD/COP(16)/18@zh"}
    assert {lang: seed_store.document(d).language for lang, d in ids.items()} == {"en": "en", "zh": "zh"}
    cache = tmp_path / "g.pickle"
    kg, _ = build_graph(seed_store, cache=cache)
    a_id = ids[changed]
    b_id = ids["zh" if changed == "en" else "en"]
    foreign = _give_foreign_edges(kg, b_id, a_id)
    assert len(foreign) >= 2

    def same_as_local() -> None:
        with Client(bolt) as client:
            nodes, rels, dup_nodes, dup_rels = server_graph(client)
        local_nodes, local_rels = local_graph(kg)
        assert (dup_nodes, dup_rels) == (0, 0)
        assert set(nodes) == set(local_nodes)
        assert set(rels) == set(local_rels)

    sync_graph(kg, seed_store, bolt)
    same_as_local()
    assert _changed(changed, seed_store, tmp_path) == a_id
    kg, built = build_graph(seed_store, kg=kg, cache=cache)
    assert built.updated == 1 and all(kg.g.has_edge(*k) for k in foreign)  # B's relationships stay in the local graph
    rep = sync_graph(kg, seed_store, bolt)
    assert rep.documents == 1 and rep.restored == len(foreign)  # B's relationships, and only they, sent again
    same_as_local()
    _same_counts(kg, rep.counts)
