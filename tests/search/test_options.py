"""Search settings are passed in (SearchOptions), not read from the process settings inside the search code."""

from __future__ import annotations

from unkg.search.engine import Filters, Searcher
from unkg.search.options import SearchOptions
from unkg.settings import Settings


def test_options_come_from_the_settings_the_entry_point_built():
    opts = SearchOptions.from_settings(Settings.from_env({"UNKG_EXACT_LIMIT": "123", "UNKG_LEXICAL_MATRIX_MIN": "7",
                                                          "UNKG_SEARCH_NUMBERS": "on"}))
    assert (opts.exact_limit, opts.lexical_matrix_min, opts.search_numbers) == (123, 7, True)
    # without options: the settings' defaults, whatever the environment says
    assert SearchOptions().exact_limit == Settings().exact_limit


def test_hnsw_above_the_exact_limit_answers_like_exact_search(searcher, tmp_path):
    """An exact limit below the store's size: the dense list comes from HNSW, and the seed queries in English and
    Chinese find the same first hits as with exact search."""
    ann = Searcher(searcher.store, encoder=searcher.encoder, cache_dir=tmp_path,
                   options=SearchOptions(exact_limit=10))
    assert ann.vector_index().mode == "ann" and searcher.vector_index().mode == "exact"
    assert list(tmp_path.glob("*.usearch"))  # the graph is saved for the next process
    for q, lang in (("库布其国际沙漠论坛", "en"), ("The Changwon Initiative supported negotiation training", "zh"),
                    ("Kubuqi Action Plan", None)):
        f = Filters(language=lang)
        exact = [h.paragraph_id for h in searcher.search(q, filters=f, top_k=3)]
        got = [h.paragraph_id for h in ann.search(q, filters=f, top_k=3)]
        assert got[0] == exact[0], (q, got, exact)
        assert len(set(got) & set(exact)) >= 2, (q, got, exact)
