"""The judged search evaluation (tests/data/search-eval) stays above floors a little below the figures
published in docs/search.md: a ranking change that loses quality fails here."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from unkg.search.evaluate import run, table

# published 2026-12-04 (docs/search.md): overall nDCG@10 0.835, MRR 0.826, recall@10 0.914; names MRR 0.971
FLOORS = {
    ("all", "ndcg@10"): 0.80,
    ("all", "mrr"): 0.78,
    ("all", "recall@10"): 0.88,
    ("type:name", "mrr"): 0.93,
    ("type:name", "ndcg@10"): 0.91,
    ("type:wording", "mrr"): 0.97,
    ("lang:en", "ndcg@10"): 0.87,
    ("lang:zh", "ndcg@10"): 0.88,
    ("lang:fr", "ndcg@10"): 0.74,
    ("lang:es", "ndcg@10"): 0.77,
    ("lang:ru", "ndcg@10"): 0.72,
    ("lang:ar", "ndcg@10"): 0.63,
}


@pytest.fixture(scope="module")
def eval_home(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("search-eval")


@pytest.fixture(scope="module")
def evaluation(encoder, eval_home):
    return run(encoder=None, home=eval_home)  # the store stays in eval_home for the tests below


def test_the_set_is_large_multilingual_and_judged(evaluation):
    rows = evaluation["queries"]
    assert len(rows) >= 150
    assert {r["lang"] for r in rows} == {"en", "zh", "fr", "es", "ru", "ar"}
    assert {r["user"] for r in rows} == {"secretariat", "negotiator", "researcher"}
    assert all(r["relevant"] >= 1 for r in rows)


@pytest.mark.parametrize("group,metric", sorted(FLOORS))
def test_quality_floor(evaluation, group, metric):
    got = evaluation["summary"][group][metric]
    assert got >= FLOORS[(group, metric)], f"{group} {metric} {got:.3f} < {FLOORS[(group, metric)]}\n" + table(evaluation["summary"])


# The ten hits of every judged query (ids and scores) as the ranking gave them on 2026-12-04, before the
# ranking was made faster (ranking rows stored at indexing time, evidence read once per query); rewritten on
# 2026-12-05 when the default encoder began reading a paragraph's first 256 tokens (10 queries' scores moved, the
# figures of docs/search.md unchanged). Speed work must leave them unchanged; a deliberate ranking change rewrites the file:
#   python -m unkg.search.evaluate --write-top tests/data/search-eval/top10.json
TOP10 = Path(__file__).resolve().parents[1] / "data" / "search-eval" / "top10.json"
TIE = 1e-4  # scores closer than this are a tie: their order may differ with the floating point of another machine


def _tie_groups(top: list) -> list[tuple[float, set[str]]]:
    groups: list[tuple[float, set[str]]] = []
    for pid, score in top:
        if groups and abs(groups[-1][0] - score) < TIE:
            groups[-1][1].add(pid)
        else:
            groups.append((score, {pid}))
    return groups


def test_top_ten_ids_and_scores_are_those_of_the_reference_ranking(evaluation):
    want = json.loads(TOP10.read_text(encoding="utf-8"))
    got = {r["id"]: r["top"] for r in evaluation["queries"]}
    assert set(got) == set(want)
    changed = []
    for qid, ref in want.items():
        mine = got[qid]
        same = len(mine) == len(ref) and all(abs(a[1] - b[1]) < TIE for a, b in zip(mine, ref))
        same = same and [g for _, g in _tie_groups(mine)] == [g for _, g in _tie_groups(ref)]
        if not same:
            changed.append(f"{qid}: {ref[:3]} -> {mine[:3]}")
    assert not changed, f"{len(changed)} queries ranked differently:\n" + "\n".join(changed[:10])


@pytest.mark.parametrize("matrix_min", [0, 10**9], ids=["bm25-postings", "indexed-words"])
def test_bounded_ranking_gives_the_hits_of_the_exhaustive_one(evaluation, eval_home, encoder, monkeypatch, matrix_min):
    """The ranking reads the evidence only of candidates whose upper bound can reach the first page (the words a
    paragraph may hold: from the BM25 matrix's postings, or, without a matrix, from its indexed words). Every judged
    query gets the same ten hits, scores, collapsed texts, translations and sections as when every candidate is read,
    and fewer candidates are read."""
    from unkg.corpus.store import Store
    from unkg.search import ranking
    from unkg.search.engine import Searcher
    from unkg.search.options import SearchOptions

    reads = []
    evidence = ranking.evidence
    monkeypatch.setattr(ranking, "evidence", lambda c, q, qlang: (reads.append(c.rowid), evidence(c, q, qlang))[1])
    store = Store(eval_home / "unkg.sqlite")
    s = Searcher(store, encoder=encoder, cache_dir=eval_home / f"cache-{matrix_min}",
                 options=SearchOptions(lexical_matrix_min=matrix_min))
    assert (s.lexical_matrix() is not None) == (matrix_min == 0)
    queries = [r["query"] for r in evaluation["queries"]]

    def shown(results):
        return [[(h.paragraph_id, round(h.score, 9), h.also_in_ids, [t.paragraph_id for t in h.translations], h.section)
                 for h in hits] for hits in results]

    bounded = shown(s.search_many(queries, top_k=10))
    read_bounded = len(reads)
    s.prune_ranking = False
    reads.clear()
    exhaustive = shown(s.search_many(queries, top_k=10))
    store.close()
    assert len(bounded) == len(queries) >= 150
    assert [q for q, a, b in zip(queries, bounded, exhaustive) if a != b] == []
    assert read_bounded < 0.7 * len(reads), (read_bounded, len(reads))
