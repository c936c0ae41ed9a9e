"""One store with the bundled sample corpus, indexed once per session (the encoder load is the cost)."""

from __future__ import annotations

from pathlib import Path

import pytest

from unkg.corpus.store import Store

SAMPLES = Path(__file__).resolve().parents[2] / "samples"


@pytest.fixture(scope="session")
def encoder():
    from unkg.search.encoders import get_encoder

    return get_encoder("use-multilingual")


@pytest.fixture(scope="session")
def sample_store(tmp_path_factory) -> Store:
    from unkg.extract.task import ParseAndAnnotate
    from unkg.ingest.batch import ingest_paths
    from unkg.settings import Settings

    home = tmp_path_factory.mktemp("unkg-search")
    store = Store(home / "unkg.sqlite")
    reports = ingest_paths([str(SAMPLES)], store, Settings(home=home), ParseAndAnnotate())
    assert sum(r.status in ("ok", "partial") for r in reports) == 5
    return store


@pytest.fixture(scope="session")
def searcher(sample_store, encoder):
    from unkg.search.engine import Searcher

    s = Searcher(sample_store, encoder=encoder)
    rep = s.ensure_index()
    assert rep.paragraphs_indexed > 100
    return s
