"""Parameters reach the server as values: apostrophes and backslashes survive, crafted values and names do not run.

FalkorDB 4.16's Bolt endpoint pastes parameters into the query text unquoted
(`CYPHER v='...' MATCH ...`): before the dialect escaped them, "Children's Fund"
failed every sync of English UN resolutions, and a parameter value such as
`x' CREATE (:Pwned) RETURN 1 //` wrote to the graph through the read-only passthrough.
"""

from __future__ import annotations

import pytest

from unkg.graph.build import build_graph
from unkg.graph.neo4j_sync import Client, read_query, sync_graph
from unkg.errors import GraphError

TRICKY = ["United Nations Children's Fund", "'", "''", "a\\b", "a\\", "\\'", 'say "yes"', "x'y'z\\n", "l'Organisation d'\\"]

PAYLOADS = [
    "x' CREATE (:Pwned) RETURN 1 AS c //",
    "x'\nCREATE (:Pwned) RETURN 1 AS c //",
    "x' CREATE (:Pwned) WITH 1 AS c MATCH (n:Actor) WHERE n.id = '",
    "x' w='y",
    "\\' CREATE (:Pwned) RETURN 1 AS c //",
]


def test_strings_with_quotes_and_backslashes_round_trip(seed_store, bolt, tmp_path):
    from unkg.model import Block, Document

    blocks = [Block(id=f"quotes#{i}", ord=i, kind="text", text=f"Paragraph {i}: {t}", language="en") for i, t in enumerate(TRICKY)]
    seed_store.put_document(Document(id="quotes@en", source="quotes", sha256="2" * 64, format="txt", language="en",
                                     title="The Secretary-General's report", blocks=blocks))
    kg, _ = build_graph(seed_store, cache=tmp_path / "g.pickle")
    sync_graph(kg, seed_store, bolt)
    got = {r["id"]: r["t"] for r in read_query(bolt, "MATCH (p:Paragraph) WHERE p.doc = $d RETURN p.id AS id, p.text AS t",
                                               {"d": "quotes@en"})}
    assert got == {f"para:quotes#{i}": f"Paragraph {i}: {t}" for i, t in enumerate(TRICKY)}
    for t in TRICKY:  # and as a parameter of a read
        rows = read_query(bolt, "MATCH (p:Paragraph) WHERE p.text ENDS WITH $t RETURN p.id AS id", {"t": ": " + t})
        assert rows and all(got[r["id"]].endswith(": " + t) for r in rows)
        with Client(bolt) as client:
            assert client.run("RETURN $v AS v", {"v": t}) == [{"v": t}]


def test_parameter_values_and_names_never_run_as_cypher(seed_store, bolt, tmp_path):
    kg, _ = build_graph(seed_store, cache=tmp_path / "g.pickle")
    before = sync_graph(kg, seed_store, bolt).counts
    for p in PAYLOADS:
        assert read_query(bolt, "MATCH (n:Actor) WHERE n.id = $v RETURN count(n) AS c", {"v": p}) == [{"c": 0}]
        assert read_query(bolt, "MATCH (n:Actor) WHERE n.id IN $v RETURN count(n) AS c", {"v": [p]}) == [{"c": 0}]
        assert read_query(bolt, "MATCH (n:Actor) WHERE n.id = $v.k RETURN count(n) AS c", {"v": {"k": p}}) == [{"c": 0}]
    for params in ({"a=1 CREATE (:Pwned) RETURN 1 AS c //": 1}, {"v": {"k: 1} CREATE (:Pwned) RETURN 1 AS c //": 1}}):
        try:
            read_query(bolt, "MATCH (n:Actor) RETURN count(n) AS c", params)
        except GraphError as exc:  # FalkorDB: such names are refused before they are sent
            assert "not a plain name" in str(exc)
    with Client(bolt) as client:
        assert client.counts() == before
        assert client.run("MATCH (n:Pwned) RETURN count(n) AS c") == [{"c": 0}]


@pytest.mark.parametrize("name", ["a b", "x=1", "é", "", "1a"])
def test_falkordb_refuses_names_that_are_not_identifiers(name):
    from unkg.graph.neo4j_sync import FalkorDialect

    with pytest.raises(GraphError, match="not a plain name"):
        FalkorDialect().params({name: 1})
    with pytest.raises(GraphError, match="not a plain name"):
        FalkorDialect().params({"rows": [{"props": {name: 1}}]})
    assert FalkorDialect().params({"v": ["it's", {"k": "a\\b"}]}) == {"v": ["it\\'s", {"k": "a\\\\b"}]}
