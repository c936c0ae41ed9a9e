"""The BM25 matrix answers OR queries as FTS5 does, on the real sample corpus (English and Chinese)."""

from __future__ import annotations

import pytest

from unkg.search import engine as engine_mod
from unkg.search.lexical_matrix import LexicalMatrix, terms_of_match
from unkg.search.text import fts_or, fts_phrases, parse_query

QUERIES = [
    "Changwon Initiative negotiation training",
    "Kubuqi International Desert Forum",
    "land degradation neutrality targets",
    "secretariat Global Mechanism report",
    "昌原倡议",
    "土地退化零增长 目标设定方案",
    "荒漠化 干旱 移民",
    "SDG target 15.3",
]


@pytest.fixture
def matrix_always():
    """UNKG_LEXICAL_MATRIX_MIN=1, as the entry point passes it: the seed store (a few hundred paragraphs) gets its matrix."""
    from unkg.search.options import SearchOptions
    from unkg.settings import Settings

    return SearchOptions.from_settings(Settings.from_env({"UNKG_LEXICAL_MATRIX_MIN": "1"}))


def _fts5(db, match: str, k: int) -> list[int]:
    return [r for r, in db.execute(
        "SELECT rowid FROM search_fts WHERE search_fts MATCH ? ORDER BY bm25(search_fts, 1.0, 0.3) LIMIT ?", (match, k))]


def test_terms_of_an_or_query_and_nothing_for_phrases():
    m = fts_or(parse_query('Desert forum 15.3.1 昌原倡议').words)
    groups = terms_of_match(m)
    terms = [t for g in groups for t in g]
    assert {"desert", "forum", "15.3.1"} <= set(terms)  # a dotted number stays one word
    # a Chinese word: itself, or its run of character pairs wherever the segmenter cut the paragraph
    assert ("昌原", "原倡", "倡议") in groups
    assert terms_of_match(fts_phrases([["kubuqi", "forum"]])) is None
    assert terms_of_match("") is None


def test_matrix_ranks_like_fts5_in_english_and_chinese(searcher):
    db = searcher.store._db
    matrix = LexicalMatrix.build(searcher.index.tables.fts_rows)
    assert matrix.n == db.execute("SELECT count(*) FROM search_fts").fetchone()[0]
    overlaps = []
    for q in QUERIES:
        m = fts_or(parse_query(q).words)
        ref = _fts5(db, m, 10)
        got = [r for r, _ in matrix.search(terms_of_match(m), 10)]
        assert ref and got, q
        assert got[0] in ref[:3], (q, got[:3], ref[:3])
        overlaps.append(len(set(ref) & set(got)) / len(ref))
    assert sum(overlaps) / len(overlaps) >= 0.8, overlaps
    # only paragraphs holding a query word come back, and a word nowhere in the corpus gives nothing
    assert matrix.search([("zzqxnotaword",)], 10) == []


def test_matrix_restricted_to_allowed_rowids(searcher):
    matrix = LexicalMatrix.build(searcher.index.tables.fts_rows)
    terms = terms_of_match(fts_or(parse_query("Kubuqi desert forum").words))
    every = [r for r, _ in matrix.search(terms, 1000)]
    allowed = sorted(every[1::2])
    got = [r for r, _ in matrix.search(terms, 1000, allowed=allowed)]
    assert set(got) == set(allowed)


def test_searcher_uses_the_saved_matrix_and_rebuilds_it_when_the_index_changes(searcher, matrix_always, tmp_path):
    s = engine_mod.Searcher(searcher.store, encoder=searcher.encoder, cache_dir=tmp_path, options=matrix_always)
    lexical = s.search("昌原", mode="lexical", top_k=10)
    assert lexical and all("昌原" in h.text for h in lexical)
    files = list(tmp_path.glob("bm25-g*.npz"))
    assert len(files) == 1 and s._lm is not None
    # the hybrid answers with the matrix are those the seed tests expect
    hits = s.search("库布其国际沙漠论坛", filters=engine_mod.Filters(language="en"), top_k=5)
    assert "Kubuqi" in hits[0].text and all(h.language == "en" for h in hits)
    zh = s.search("Changwon Initiative 昌原倡议", filters=engine_mod.Filters(language="zh"), mode="lexical", top_k=10)
    assert zh and all(h.language == "zh" for h in zh) and any("昌原倡议" in h.text for h in zh)
    # a new index generation: a new matrix file replaces the old one
    searcher.index.tables.new_generation()
    s.search("Kubuqi", mode="lexical")
    again = list(tmp_path.glob("bm25-g*.npz"))
    assert len(again) == 1 and again != files


@pytest.mark.parametrize("query", ['"', "NEAR(", 'land" OR "x', "'; DROP TABLE blocks; --", "{body}: x"])
def test_matrix_path_takes_hostile_text(searcher, matrix_always, tmp_path, query):
    s = engine_mod.Searcher(searcher.store, encoder=searcher.encoder, cache_dir=tmp_path, options=matrix_always)
    s.search(query, top_k=5)
    s.search(query, mode="lexical", top_k=5)


def test_matrix_built_in_batches_is_the_matrix_built_at_once(searcher):
    """The build writes each batch of paragraphs straight to its place in the term-sorted arrays: many small
    batches (English and Chinese words of the seed store) give the same matrix as one."""
    rows = searcher.index.tables.fts_rows
    whole = LexicalMatrix.build(rows)
    batched = LexicalMatrix.build(rows, batch=97)
    assert whole.n > 100 and len(whole.cols) > 10 * whole.n
    assert whole.vocab == batched.vocab and "昌原" in whole.vocab
    for name in ("indptr", "cols", "weights", "rowids"):
        assert (getattr(whole, name) == getattr(batched, name)).all(), name
    # each term's postings in column order, each a positive BM25 weight
    for t in (whole.vocab["昌原"], whole.vocab["desertification"]):
        cols = whole.cols[whole.indptr[t] : whole.indptr[t + 1]]
        assert len(cols) and (cols[1:] > cols[:-1]).all() and (whole.weights[whole.indptr[t] : whole.indptr[t + 1]] > 0).all()


def test_matrix_build_refuses_an_index_that_changed_between_its_passes(searcher):
    rows = list(searcher.index.tables.fts_rows())
    reads = iter([rows, rows[:-1]])  # the second pass sees one paragraph fewer
    with pytest.raises(ValueError):
        LexicalMatrix.build(lambda: next(reads))


def test_holding_tells_which_paragraphs_hold_a_word_in_english_and_chinese(searcher):
    """The ranking's bounds read from the postings which candidates may hold a word: exactly the paragraphs whose
    indexed words (either column) hold it; a rowid the matrix lacks may hold anything."""
    rows = list(searcher.index.tables.fts_rows())
    matrix = LexicalMatrix.build(rows)
    rowids = [r for r, _, _ in rows][::3] + [10**9]
    cols = matrix.columns(rowids)
    assert cols[-1] == -1 and (cols[:-1] >= 0).all()
    for word in ("desert", "kubuqi", "15.3", "昌原", "倡议", "zzqxnotaword"):
        got = matrix.holding(word, cols)
        words = {r: set(b.split()) | set(e.split()) for r, b, e in rows}
        want = [word in words[r] for r in rowids[:-1]]
        assert got[:-1].tolist() == want, word
        assert got[-1]
    assert any(matrix.holding("desert", cols)) and any(matrix.holding("昌原", cols))
