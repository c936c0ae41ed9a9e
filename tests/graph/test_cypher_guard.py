"""The read-only Cypher passthrough: a tokenizer first, the server's read-only mode second.

Every bypass below got past the old regex check (comments stripped before strings)
or is a variation of one; each must be refused by the tokenizer, and on FalkorDB
GRAPH.RO_QUERY must refuse it again when the tokenizer is skipped.
"""

from __future__ import annotations

import socket
import time

import pytest

from unkg.errors import GraphError
from unkg.graph.cypher_guard import check_read_only, tokenize
from unkg.graph.falkor_resp import _encode, _Reader, cypher_literal, graph_key, ro_query

BYPASSES = [
    "WITH 'http://x' AS u CREATE (m:Pwn {u:u}) RETURN m.u",
    "MATCH (n) WHERE n.id <> '//' SET n.pwned = true RETURN n",
    "MATCH (n) WHERE n.id <> '//' DETACH DELETE n",
    "MATCH (n) WHERE n.id = '/*' DETACH DELETE n RETURN '*/'",
    "MATCH (n) WHERE n.id = \"/*\" SET n.x = 1 RETURN \"*/\"",
    "MATCH (n) WITH n, `it's` AS q CREATE (m:Pwn) RETURN '",
    "MATCH (n) WHERE n.name = 'a\\'b' CREATE (m:Pwn) RETURN m",
    "MATCH (n) WHERE n.name = \"a\\\"b // \" CREATE (m:Pwn) RETURN m",
    "MATCH (n) RETURN n /* */ ; CREATE (m:Pwn)",
    "MATCH (n) RETURN n; MATCH (m) DETACH DELETE m",
    "match (n) merge (m:Pwn {id: 'x'}) return m",
    "MATCH (n) CALL { WITH n SET n.x = 1 } RETURN n",
    "CALL `db`.`createLabel`('Pwn')",
    "CALL db.idx.fulltext.createNodeIndex('Actor', 'name')",
    "MATCH (n) FOREACH (x IN [1] | CREATE (:Pwn))",
    "MATCH (n) REMOVE n.id",
    "INSERT (:Pwn {id: 1})",
    "MATCH (n) WHERE n.id = '\\\\' CREATE (m:Pwn) RETURN m",
    "RETURN 'unterminated",
    "RETURN `unterminated",
    "RETURN 1 /* unterminated",
    "UNWIND [1] AS x\nCREATE (:Pwn) // trailing",
]

READS = [
    "MATCH (n:Actor) WHERE n.name CONTAINS 'create' RETURN n.name // delete",
    "MATCH (n) WHERE n.id <> '//' RETURN n.id",
    "MATCH (n) WHERE n.id = '/*' OR n.id = '*/' RETURN count(n)",
    "MATCH (n) RETURN n.set AS `SET`, n.`delete` AS d",
    "MATCH (n:Set) RETURN n",
    "CALL db.labels()",
    "CALL `db`.`labels`() YIELD label RETURN label",
    "MATCH (n) RETURN 'it\\'s' AS s, \"say \\\"hi\\\"\" AS t;",
    "MATCH (n) CALL { WITH n RETURN n.id AS i } RETURN i",
    "// a comment\nMATCH (n) /* CREATE */ RETURN n LIMIT 1",
    "MATCH (n:Actor) WHERE n.name = '缔约方会议' RETURN n",
]


@pytest.mark.parametrize("query", BYPASSES)
def test_tokenizer_refuses_bypasses(query):
    with pytest.raises(GraphError):
        check_read_only(query)


@pytest.mark.parametrize("query", READS)
def test_tokenizer_lets_reads_through(query):
    check_read_only(query)


def test_tokens_of_strings_names_and_comments():
    toks = tokenize("MATCH (n) WHERE n.a = 'x // y' AND n.`b``c` = \"/* z */\" // gone\nRETURN n")
    assert [t.text for t in toks if t.kind == "string"] == ["x // y", "/* z */"]
    assert [t.text for t in toks if t.kind == "name"] == ["b`c"]
    assert "gone" not in [t.text for t in toks]


def test_cypher_literal_escapes():
    assert cypher_literal("a'b\\c") == "'a\\'b\\\\c'"
    assert cypher_literal({"k": [1, 2.5, None, True]}) == "{k: [1, 2.5, null, true]}"
    with pytest.raises(GraphError):
        cypher_literal({"k) DETACH DELETE (n": 1})


def _redis(srv, *args):
    with socket.create_connection(("127.0.0.1", srv.redis_port), 5) as s:
        s.sendall(_encode(list(args)))
        return _Reader(s).reply()


def _snapshot(srv, graph):
    return sorted(str(r) for r in ro_query(("127.0.0.1", srv.redis_port), graph, "MATCH (n) RETURN labels(n) AS l, properties(n) AS p"))


def test_falkordb_refuses_bypasses_twice(falkor_private, monkeypatch):
    """On a FalkorDB server: the tokenizer refuses, and GRAPH.RO_QUERY refuses the same text sent past it."""
    from unkg.graph.neo4j_sync import Client, Connection, read_query
    from unkg.settings import get_settings

    srv = falkor_private
    conn = Connection(srv.uri)
    with Client(conn) as c:
        c.write("UNWIND range(1, 200) AS i CREATE (:Actor {id: 'actor:' + toString(i), name: 'A' + toString(i)})", {})
    address = ("127.0.0.1", srv.redis_port)
    graph = graph_key(address, None)
    before = _snapshot(srv, graph)
    assert len(before) == 200
    monkeypatch.setenv("UNKG_FALKORDB_REDIS", f"127.0.0.1:{srv.redis_port}")
    get_settings.cache_clear()
    conn = Connection.from_options(srv.uri)  # as the CLI builds it: the Redis port comes with the settings
    assert conn.falkordb_redis == f"127.0.0.1:{srv.redis_port}"
    try:
        for q in BYPASSES:
            with pytest.raises(GraphError):
                read_query(conn, q)
            if "unterminated" in q or ";" in q:
                continue  # not Cypher the server would run either way
            with pytest.raises(GraphError, match="read-only|refused"):
                ro_query(address, graph, q)
        assert _snapshot(srv, graph) == before
        assert not any("Pwn" in r for r in _snapshot(srv, graph))
        rows = read_query(conn, "MATCH (n:Actor) WHERE n.name = $name RETURN n.id AS id", {"name": "A7"})
        assert rows == [{"id": "actor:7"}]
        rows = read_query(conn, "MATCH (n:Actor {id: 'actor:1'}) RETURN n")
        assert rows == [{"n": {"labels": ["Actor"], "id": "actor:1", "name": "A1"}}]
        # the time limit stops the query on the server: no CPU is spent on it once the error is back
        t0 = time.monotonic()
        with pytest.raises(GraphError, match="time limit"):
            read_query(conn, "MATCH (a:Actor), (b:Actor), (c:Actor), (d:Actor) WHERE a.name + b.name + c.name + d.name = 'x' "
                             "RETURN count(*)", timeout=0.5)
        assert time.monotonic() - t0 < 5
        cpu = lambda: float(_redis(srv, "INFO", "cpu").split("used_cpu_user:")[1].split()[0])  # noqa: E731
        c0 = cpu()
        time.sleep(1.0)
        assert cpu() - c0 < 0.3, "the stopped query is still running on the server"
    finally:
        get_settings.cache_clear()
