"""Hybrid search over the real sample corpus (Chinese and English UNCCD / UN-Habitat seeds)."""

from __future__ import annotations

import pytest

from unkg.search.engine import Filters


def _texts(hits):
    return [h.text for h in hits]


def test_english_query_finds_chinese_ldn_target_setting_paragraphs(searcher):
    hits = searcher.search("The LDN Target Setting Programme has supported countries in setting their land degradation neutrality targets",
                           filters=Filters(language="zh"), top_k=5)
    assert hits and all(h.language == "zh" for h in hits)
    assert any("目标设定" in t for t in _texts(hits)), _texts(hits)


def test_english_query_finds_chinese_changwon_paragraphs(searcher):
    hits = searcher.search("The Changwon Initiative supported negotiation training for national focal points",
                           filters=Filters(language="zh"), top_k=5)
    assert any("昌原倡议" in t for t in _texts(hits)), _texts(hits)
    top = next(h for h in hits if "昌原倡议" in h.text)
    # 002 alternates English and Chinese: the Chinese paragraph carries its English original
    assert any(t.language == "en" and "Changwon" in t.text for t in top.translations)


def test_chinese_query_finds_english_kubuqi_paragraphs(searcher):
    hits = searcher.search("库布其国际沙漠论坛", filters=Filters(language="en"), top_k=5)
    assert hits and "Kubuqi" in hits[0].text
    assert sum("Kubuqi" in t for t in _texts(hits)) >= 2


def test_two_character_chinese_word_matches_lexically(searcher):
    hits = searcher.search("昌原", mode="lexical", top_k=10)
    assert hits and all("昌原" in h.text for h in hits)


def test_quoted_phrase_returns_exact_matches_first(searcher):
    hits = searcher.search('"Kubuqi International Desert Forum" background', top_k=10)
    exact = [h for h in hits if h.exact]
    assert len(exact) >= 2
    assert hits[: len(exact)] == exact
    assert all("kubuqi international desert forum" in " ".join(h.text.lower().split()) for h in exact)


@pytest.mark.parametrize("query", ['"', "*", "NEAR(", "OR", ")", "'; DROP TABLE blocks; --", 'land" OR "x', "AND NOT", "^", "{body}: x", ""])
def test_fts_injection_strings_never_raise(searcher, query):
    for mode in ("hybrid", "lexical"):
        hits = searcher.search(query, top_k=5, mode=mode)
        assert isinstance(hits, list)
    assert searcher.store.counts()["blocks"] > 100  # nothing dropped


def test_filters_language_kind_doc_type_and_citation_from_symbol(searcher):
    hits = searcher.search("荒漠化 土地退化 干旱 移民", filters=Filters(language="zh", kind="text", doc_type="report"), top_k=10)
    assert hits
    for h in hits:
        assert h.language == "zh" and h.kind == "text" and h.doc_type == "report"
        assert h.symbol in ("ICCD/COP(16)/18", "HSP/EB.2024/6")
        # an unnumbered paragraph is cited by section and position, never by a number that could be a printed one
        assert h.citation.startswith(f"{h.symbol}, para. ") if h.label else (
            h.citation.startswith(f"{h.symbol}, ") and h.citation.endswith(tuple(f"unnumbered para. {i}" for i in range(1, 500))))
    assert any(h.citation.startswith("ICCD/COP(16)/18, para. ") for h in hits)
    sub = [h for h in hits if h.label and h.label.startswith("(")]
    for h in sub:  # a sub-paragraph is cited with its chapeau's number: "para. 2 (b)"
        assert h.citation.endswith(f" {h.label}") and h.citation.split("para. ")[1][0].isdigit()
    assert searcher.search("荒漠化", filters=Filters(language="fr"), top_k=5) == []


def test_hit_shape(searcher):
    h = searcher.search("Kubuqi Action Plan", top_k=1)[0]
    d = h.as_dict()
    for key in ("paragraph_id", "symbol", "citation", "language", "text", "score", "translations"):
        assert key in d
    assert h.citation  # title when the document has no symbol


def test_indexing_is_incremental_and_embeds_each_text_once(searcher):
    rep = searcher.ensure_index()
    assert rep.documents_indexed == 0 and rep.texts_embedded == 0
    db = searcher.store._db
    distinct = db.execute("SELECT count(DISTINCT text_hash) FROM search_blocks").fetchone()[0]
    stored = db.execute("SELECT count(*) FROM search_embeddings WHERE model = ?", (searcher.encoder.name,)).fetchone()[0]
    assert stored == distinct
    assert db.execute("SELECT count(*) FROM search_blocks").fetchone()[0] >= distinct


def test_hybrid_is_no_worse_than_dense_on_the_seeds(searcher):
    """Each English Changwon paragraph of 002 as query: its Chinese translation must be found by both."""
    rows = searcher.store._db.execute(
        "SELECT e.text AS en, z.text AS zh FROM blocks z JOIN blocks e ON e.id = z.translation_of WHERE z.language = 'zh'"
    ).fetchall()
    assert len(rows) >= 10
    qs = [r["en"] for r in rows]
    scores = {}
    for mode in ("dense", "hybrid"):
        res = searcher.search_many(qs, filters=Filters(language="zh"), top_k=1, mode=mode, with_translations=False)
        scores[mode] = sum(1 for r, hits in zip(rows, res) if hits and hits[0].text == r["zh"]) / len(rows)
    assert scores["dense"] >= 0.8
    assert scores["hybrid"] >= scores["dense"]


def test_hits_carry_their_graph_context_and_it_matches_the_built_graph(searcher, sample_store, tmp_path):
    """Each hit names its paragraph node and the nodes it links to; every one is in the graph built from the store."""
    from unkg.graph.build import build_graph

    kg, _ = build_graph(sample_store, cache=tmp_path / "g.pickle", save=False)
    hits = searcher.search("The Changwon Initiative supported negotiation training for national focal points", top_k=10)
    changwon = [h for h in hits if "Changwon" in h.text or "昌原倡议" in h.text]
    assert changwon
    assert any(link["id"] == "initiative:changwon-initiative" and link["label"] == "Initiative"
               for h in changwon for link in h.context["links"]), [h.context for h in changwon]
    for h in hits:
        ctx = h.context
        assert ctx["paragraph"] in kg.g and ctx["document"] in kg.g
        assert kg.g.has_edge(ctx["document"], ctx["paragraph"])
        for link in ctx["links"]:
            assert kg.g.nodes[link["id"]]["label"] == link["label"], link
            assert any(d["type"] == link["relationship"] for d in kg.g.get_edge_data(ctx["paragraph"], link["id"]).values())
    # a mandate's addressee and verb come with the hit that carries it
    h = searcher.search("请缔约方提交支持请求", filters=Filters(language="zh"), top_k=10)
    with_mandates = [x for x in h if x.context["mandates"]]
    # every mandate has its verb; an agentless directive ("应填写…", "should be completed") has no addressee by design
    assert with_mandates and all(m["verb"] for x in with_mandates for m in x.context["mandates"])
    assert any(m["addressees"] for x in with_mandates for m in x.context["mandates"])
