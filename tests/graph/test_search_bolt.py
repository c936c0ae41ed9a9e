"""Search on the Bolt server (FalkorDB started by the fixture, or the Neo4j NEO4J_URI names).

The five seed documents are indexed locally once (the embeddings are the slow
part), each test pushes them to an emptied database and searches there.
"""

from __future__ import annotations

import json
import os
import shutil

import numpy as np
import pytest
from typer.testing import CliRunner

from unkg.graph.neo4j_sync import Client, Connection, read_query, sync_graph
from unkg.search.bolt_backend import (EMBEDDING, EXTRA, KEY, TEXT, BoltSearcher, FalkorSearchDialect, SearchDialect, fts_terms,
                                 push_search_index, push_state, server_count, words_text)
from unkg.search.engine import Filters, Searcher
from unkg.search.text import fts_or, fts_phrases, parse_query


@pytest.fixture(scope="module")
def _indexed_template(_seed_template, tmp_path_factory):
    """The seed home with its search index built (lexical and dense), once for this module."""
    from unkg.corpus.store import Store
    from unkg.search.encoders import get_encoder

    home = tmp_path_factory.mktemp("search-bolt-home")
    shutil.copytree(_seed_template, home, dirs_exist_ok=True)
    store = Store(home / "unkg.sqlite")
    s = Searcher(store, encoder=get_encoder(None))
    rep = s.ensure_index()
    assert rep.paragraphs_indexed > 200
    store._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    return home


@pytest.fixture
def local(_indexed_template, tmp_path, monkeypatch):
    """A local Searcher on a fresh copy of the indexed seed store (UNKG_HOME points at it)."""
    from unkg.corpus.store import Store
    from unkg.search.encoders import get_encoder
    from tests.graph.conftest import _set_home

    home = tmp_path / "home"
    shutil.copytree(_indexed_template, home)
    _set_home(monkeypatch, home)
    s = Searcher(Store(home / "unkg.sqlite"), encoder=get_encoder(None), auto_index=False)
    yield s
    s.close()


@pytest.fixture
def pushed(local, bolt):
    rep = push_search_index(local, bolt)
    return rep


@pytest.fixture
def remote(local, bolt, pushed):
    s = BoltSearcher(bolt, store=local.store, encoder=local.encoder, auto_index=False)
    yield s
    s.client.close()  # the store belongs to `local`


def _n_local(local) -> int:
    return local.store._db.execute("SELECT count(*) FROM search_blocks").fetchone()[0]


def test_push_sends_every_paragraph_once_and_a_second_push_sends_nothing(local, bolt, bolt_server, pushed):
    n = _n_local(local)
    assert pushed.paragraphs == n and pushed.server_paragraphs == n and pushed.dim == 512
    assert pushed.dialect == bolt_server.kind
    assert len(push_state(local.store, bolt.target)) == n
    again = push_search_index(local, bolt)
    assert again.paragraphs == 0 and again.removed == 0 and again.statements == 0 and not again.reconciled
    assert again.indexes == []
    assert again.server_paragraphs == n
    # the vectors on the server are the stored ones (FalkorDB: 4-digit fixed point; Neo4j: floats)
    bid, vec = local.store._db.execute(
        "SELECT sb.block_id, e.vec FROM search_blocks sb JOIN search_embeddings e ON e.text_hash = sb.text_hash "
        "WHERE e.model = ? ORDER BY sb.rowid LIMIT 1", (local.encoder.name,)).fetchone()
    with Client(bolt) as c:
        got = c.run(f"MATCH (n:Paragraph {{id: $id}}) RETURN n.{EMBEDDING} AS v, n.{TEXT} AS t, n.{KEY} AS k", {"id": f"para:{bid}"})[0]
    want = np.frombuffer(vec, dtype=np.float16).astype(np.float32)
    assert np.abs(np.asarray(got["v"], dtype=np.float32) - want).max() < 1e-3
    assert got["t"] and got["k"]


def test_push_follows_removed_documents_and_nodes_replaced_by_the_graph_sync(local, bolt, pushed, tmp_path):
    db = local.store._db
    doc = "ICCD/COP(16)/18@zh"
    n_doc = db.execute("SELECT count(*) FROM search_blocks WHERE doc_id = ?", (doc,)).fetchone()[0]
    assert n_doc > 10
    # the graph sync replaces a document's paragraph nodes (they come back without the search properties)
    with Client(bolt) as c:
        c.write("MATCH (n:Paragraph) WHERE n.doc = $d DETACH DELETE n", {"d": "sha:799f4ecc30d49fe5"})
        lost = pushed.paragraphs - server_count(c)
    assert lost > 0
    rep = push_search_index(local, bolt)
    assert rep.reconciled and rep.paragraphs == lost and rep.server_paragraphs == pushed.paragraphs
    # a document withdrawn from the store: its paragraphs leave the server's indexes
    db.execute("DELETE FROM blocks WHERE doc_id = ?", (doc,))
    db.execute("DELETE FROM documents WHERE id = ?", (doc,))
    local.ensure_index()
    rep = push_search_index(local, bolt)
    assert rep.removed == n_doc and rep.paragraphs == 0
    assert rep.server_paragraphs == pushed.paragraphs - n_doc
    rows = read_query(bolt, "MATCH (n:Paragraph) WHERE n.doc = $d RETURN count(n) AS c", {"d": doc})
    assert rows == [{"c": 0}]


def test_graph_sync_after_the_push_keeps_the_search_properties(local, bolt, pushed, tmp_path):
    from unkg.graph.build import build_graph

    kg, _ = build_graph(local.store, cache=tmp_path / "g.pickle")
    rep = sync_graph(kg, local.store, bolt)
    assert rep.counts["labels"]["Paragraph"] == kg.counts()["labels"]["Paragraph"]  # search pushed no extra nodes
    again = push_search_index(local, bolt)
    assert again.paragraphs == 0 and again.server_paragraphs == pushed.paragraphs


def test_english_query_finds_chinese_paragraphs_through_the_server_vector_index(remote):
    hits = remote.search("The LDN Target Setting Programme has supported countries in setting their land degradation neutrality targets",
                         filters=Filters(language="zh"), top_k=5, mode="dense")
    assert hits and all(h.language == "zh" for h in hits)
    assert any("目标设定" in h.text for h in hits), [h.text for h in hits]
    hits = remote.search("The Changwon Initiative supported negotiation training for national focal points",
                         filters=Filters(language="zh"), top_k=5)
    top = next(h for h in hits if "昌原倡议" in h.text)
    # the local store supplies citation and translations: the Chinese paragraph carries its English original
    assert top.citation and any(t.language == "en" and "Changwon" in t.text for t in top.translations)
    assert remote._vi is None  # no vector matrix was loaded on this side
    d = top.as_dict()
    for key in ("paragraph_id", "symbol", "citation", "language", "text", "score", "translations"):
        assert key in d


def test_keyword_queries_hit_through_the_server_fulltext_index(remote):
    hits = remote.search("昌原", mode="lexical", top_k=10)
    assert hits and all("昌原" in h.text for h in hits)
    hits = remote.search("Kubuqi", mode="lexical", top_k=5)
    assert hits and all("kubuqi" in h.text.lower() for h in hits)
    hits = remote.search('"Kubuqi International Desert Forum" background', top_k=10)
    exact = [h for h in hits if h.exact]
    assert len(exact) >= 2 and hits[: len(exact)] == exact
    assert all("kubuqi international desert forum" in " ".join(h.text.lower().split()) for h in exact)
    # a reference with punctuation is a phrase of its pieces, on both sides
    assert remote.search("22/COP.15", mode="lexical", top_k=3)


def test_server_results_agree_with_the_local_search(local, remote):
    """The English paragraphs of 002 with a Chinese translation, as queries.

    Stated degree: the dense top-1 is the local dense top-1 for every query (ties between
    identical texts aside), the dense scores agree to 0.01, and the hybrid top-1 agrees
    for at least 90 % of the queries (the server's full-text ranking is TF-IDF or
    Lucene BM25, not FTS5's BM25).
    """
    rows = local.store._db.execute(
        "SELECT e.text AS en FROM blocks z JOIN blocks e ON e.id = z.translation_of WHERE z.language = 'zh'").fetchall()
    qs = [r["en"] for r in rows] + ["gender-responsive land degradation neutrality targets", "库布其国际沙漠论坛", "drought and migration"]
    assert len(qs) >= 12
    f = Filters(language="zh")
    for mode, need in (("dense", 1.0), ("hybrid", 0.9)):
        a = local.search_many(qs, filters=f, top_k=3, mode=mode, with_translations=False)
        b = remote.search_many(qs, filters=f, top_k=3, mode=mode, with_translations=False)
        same = 0
        for ha, hb in zip(a, b):
            assert ha and hb
            if ha[0].paragraph_id == hb[0].paragraph_id or ha[0].text == hb[0].text:
                same += 1
            if mode == "dense":
                assert abs(ha[0].score - hb[0].score) < 0.01
        assert same / len(qs) >= need, (mode, same, len(qs))


INJECTIONS = ['"', "'", "\\", "\\'", "x' RETURN 1 //", "' OR 1=1 //", 'x" }) MATCH (n) DETACH DELETE n //',
              "}) DETACH DELETE n //", "MATCH (n) DETACH DELETE n", "CALL db.idx.fulltext.drop('Paragraph')",
              "@search_text:x | -y %z% ~w *", "(((", "|", "a | | b", "{", "NEAR(", "AND NOT", "title:x^2 OR y~",
              "'; DROP TABLE blocks; --", "$q", "昌原' RETURN 1 //", ""]


@pytest.mark.parametrize("mode", ["hybrid", "lexical"])
def test_injection_query_text_is_a_parameter_and_harmless(remote, bolt, pushed, mode):
    for q in INJECTIONS:
        hits = remote.search(q, top_k=5, mode=mode)
        assert isinstance(hits, list)
    with Client(bolt) as c:
        assert server_count(c) == pushed.server_paragraphs
    hits = remote.search("昌原' RETURN 1 //", top_k=10, mode="lexical")
    assert any("昌原" in h.text for h in hits)  # the words still count


def test_fulltext_queries_are_made_of_words_only():
    pq = parse_query('"Kubuqi Forum" 22/COP.15 昌原倡议 x\' RETURN 1 // @a:b|c')
    terms, all_of = fts_terms(fts_or(pq.words + [w for p in pq.phrases for w in p]))
    assert not all_of
    for _fld, pieces in terms:
        assert all(p.isalnum() or "_" in p for p in pieces)
    assert (None, ["22", "cop", "15"]) in terms and (EXTRA, ["昌原", "原倡", "倡议"]) in terms
    terms, all_of = fts_terms(fts_phrases(pq.phrases))
    assert all_of and terms == [(TEXT, ["kubuqi", "forum"])]
    # a quoted Chinese name: its character pairs in sequence, all required
    terms, all_of = fts_terms(fts_phrases(parse_query('"昌原倡议"').phrases))
    assert all_of and terms == [(EXTRA, ["昌原", "原倡", "倡议"])]
    neo, falkor = SearchDialect(), FalkorSearchDialect()
    t = [(None, ["land"]), (None, ["22", "cop", "15"]), (EXTRA, ["昌", "原"])]
    assert neo.fulltext_any(t) == 'land OR "22 cop 15" OR search_extra:"昌 原"^0.3'
    assert falkor.fulltext_any(t) == 'land|"22 cop 15"|(@search_extra:"昌 原")'
    assert words_text(["22/cop.15", "Land", "昌原"]) == "22 cop 15 land 昌原"


def test_the_dialect_switch_gives_neo4j_its_own_statements():
    class _Fake:
        class dialect:
            name = "neo4j"

        def run(self, q, params=None):
            return []

    from unkg.search.bolt_backend import search_dialect

    neo = search_dialect(_Fake())
    assert type(neo) is SearchDialect
    ft, vec = neo.index_statements(_Fake(), 512)
    assert ft.startswith("CREATE FULLTEXT INDEX unkg_paragraph_search IF NOT EXISTS FOR (n:Paragraph) ON EACH [n.search_text, n.search_extra]")
    assert "`vector.dimensions`: 512" in vec and "`vector.similarity_function`: 'cosine'" in vec
    q, p = neo.vector_query(np.ones(512, dtype=np.float32) / np.sqrt(512), 10)
    assert q.startswith("CALL db.index.vector.queryNodes('unkg_paragraph_embedding', $k, $v)") and len(p["v"]) == 512
    q, p = neo.fulltext_query("land", 10)
    assert q.startswith("CALL db.index.fulltext.queryNodes('unkg_paragraph_search', $q, {limit: $k})") and p == {"q": "land", "k": 10}
    assert neo.similarity(1.0) == 1.0 and FalkorSearchDialect().similarity(0.0) == 1.0
    # FalkorDB's vector encoding round-trips within 1e-4 of the largest component
    v = np.random.default_rng(1).standard_normal(512).astype(np.float32)
    e, m = FalkorSearchDialect.encode(v)
    back = (np.array([int(e[i:i + 4]) for i in range(0, len(e), 4)]) / 4999.5 - 1.0) * m
    assert len(e) == 2048 and np.abs(back - v).max() < 1e-4 * np.abs(v).max() + 1e-6


def test_cli_search_sync_then_search_with_the_bolt_backend(local, bolt, monkeypatch):
    from unkg.cli import app

    monkeypatch.setenv("NEO4J_URI", bolt.uri)
    if bolt.database:
        monkeypatch.setenv("NEO4J_DATABASE", bolt.database)
    r = CliRunner().invoke(app, ["search-sync", "--json"])
    assert r.exit_code == 0, r.output
    rep = json.loads(r.stdout.strip().splitlines()[-1])
    assert rep["paragraphs_sent"] == _n_local(local) and rep["server_paragraphs"] == rep["paragraphs_sent"]
    r = CliRunner().invoke(app, ["search-sync", "--json"])
    assert json.loads(r.stdout.strip().splitlines()[-1])["paragraphs_sent"] == 0
    r = CliRunner().invoke(app, ["search", "昌原倡议", "--backend", "bolt", "-k", "3", "--json"])
    assert r.exit_code == 0, r.output
    row = json.loads(r.stdout.strip().splitlines()[-1])
    assert row["hits"] and any("昌原倡议" in h["text"] for h in row["hits"])
    for key in ("paragraph_id", "symbol", "citation", "language", "text", "score", "translations"):
        assert key in row["hits"][0]
    r = CliRunner().invoke(app, ["search", "x", "--backend", "elsewhere"])
    assert r.exit_code == 2
    monkeypatch.setenv("NEO4J_URI", "bolt://127.0.0.1:1")
    r = CliRunner().invoke(app, ["search", "x", "--backend", "bolt"])
    assert r.exit_code == 2 and "cannot reach" in r.output


def test_reset_drops_the_search_indexes_and_a_dimension_mismatch_says_so(local, bolt, pushed):
    from unkg.search.bolt_backend import reset_search, search_dialect
    from unkg.errors import GraphError

    with Client(bolt) as c:
        reset_search(local.store, bolt, c)
        sd = search_dialect(c)
        assert server_count(c) == 0 and sd.vector_dimension(c) is None
        assert push_state(local.store, bolt.target) == {}
        sd.create_indexes(c, 8)  # indexes made for another encoder
    with pytest.raises(GraphError, match="--reset"):
        push_search_index(local, bolt)
    reset_search(local.store, bolt)
    rep = push_search_index(local, bolt)
    assert rep.paragraphs == pushed.paragraphs and rep.server_paragraphs == pushed.paragraphs
    with Client(bolt) as c:
        assert search_dialect(c).vector_dimension(c) == 512
