"""The judged search evaluation (tests/data/search-eval) stays above floors a little below the figures
published in docs/search.md: a ranking change that loses quality fails here."""

from __future__ import annotations

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
def evaluation(encoder):
    return run(encoder=None)


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
