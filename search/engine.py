"""Hybrid search over stored paragraphs: the façade over three parts.

    from unkg.search import Searcher
    s = Searcher(Store(settings.db_path), options=SearchOptions.from_settings(settings))
    hits = s.search("gender-responsive LDN targets", filters=Filters(language="zh"))

- indexing: `search.index_store` (what is indexed, incrementally), `lexical_matrix` and `vectors`;
- fusion: candidates from the dense and lexical indexes, ordered by one fused score (`search.ranking`:
  dense similarity shaped for headings, plus word coverage, whole-name and quoted-phrase evidence);
  identical texts collapse into one hit with "also in";
- enrichment: `search.hits` turns a ranked paragraph into a Hit with its citation (one rule, stored by
  corpus), its decision, its place in the graph and its translations.
"""

from __future__ import annotations

import heapq
import re
import sqlite3
import threading
import time
from collections import OrderedDict
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Iterable, Optional, Sequence

import numpy as np

from unkg.corpus.search_index import SearchReads, paragraph_filter
from unkg.corpus.store import Store
from unkg.errors import SearchError
from unkg.leftovers import remove_stale
from unkg.model import printed_text as model_printed_text

from .encoders import Encoder, get_encoder
from .hits import Hit, HitEnricher, Translation, printed_text
from .index_store import IndexReport, SearchIndex, han_runs
from .lexical_matrix import LexicalMatrix, terms_of_match
from .names import preload as preload_names
from .options import SearchOptions
from . import ranking
from .text import STOPWORDS, _HAN_RUN, ParsedQuery, fts_or, fts_phrases, han_bigrams, normalise, number_agreement, numbers, parse_query, search_language
from .vectors import HNSW, VectorIndex, similarities

RRF_K = 60
_names_loading = threading.Event()  # set once a process has started loading the name vocabulary
SECTION_HEADS = 40  # headings among this many best candidates show as the section of their paragraphs
# a phrase (a name's form, the query's words in sequence) that more paragraphs may hold than this picks no candidates:
# 200 of thousands by BM25 is an arbitrary few, and FTS5 reads every match (at 200k paragraphs the forms of one
# common name cost ~50 ms); its paragraphs still come through the word query and its evidence still counts
PHRASE_MAX = 2000
MODES = ("hybrid", "dense", "lexical")


@dataclass
class Filters:
    """Restrict results; every field is optional, a list means any of these values."""

    language: Optional[str | list[str]] = None
    doc_type: Optional[str | list[str]] = None
    body: Optional[str | list[str]] = None
    session: Optional[str | list[str]] = None
    kind: Optional[str | list[str]] = None
    actor: Optional[str] = None
    verb: Optional[str] = None
    symbol: Optional[str] = None

    def empty(self) -> bool:
        return all(v in (None, "", []) for v in vars(self).values())

    def key(self) -> str:
        """The filter as a cache key (asdict copies every field: a cost per lexical query)."""
        return repr(vars(self))

    def sql(self) -> tuple[str, list]:
        """A WHERE clause over blocks b and documents d, with its parameters (corpus.search_index writes it)."""
        return paragraph_filter(**asdict(self))


#: the temporary names of LexicalMatrix.save and VectorIndex's ANN file before their rename
_CACHE_TEMPS = ("*.tmp.npz", "*.usearch.tmp")


class Searcher:
    """Search one store. Thread-safe for queries; indexing happens on first use (``auto_index``)."""

    def __init__(self, store: Store, encoder: Optional[Encoder | str] = None,
                 auto_index: bool = True, cache_dir: Optional[Path] = None, options: Optional[SearchOptions] = None) -> None:
        self.options = options or SearchOptions()
        if encoder is None:
            encoder = self.options.encoder
        self.store = store
        self.index = SearchIndex(self.store)
        self.reads = SearchReads(self.store)
        self._encoder_spec = encoder if isinstance(encoder, str) or encoder is None else None
        self._encoder: Optional[Encoder] = encoder if encoder is not None and not isinstance(encoder, str) else None
        self.auto_index = auto_index
        self.cache_dir = cache_dir or (self.store.path.parent / "search-cache")
        remove_stale(self.cache_dir, _CACHE_TEMPS)  # matrix and ANN files a killed process never renamed
        self._vi: Optional[VectorIndex] = None
        self._vi_key: Optional[tuple] = None
        self._lm: Optional[LexicalMatrix] = None
        self._lm_gen: Optional[int] = None
        self._allowed_cache: OrderedDict[tuple, np.ndarray] = OrderedDict()
        self._phrase_cache: OrderedDict[tuple, list[int]] = OrderedDict()
        self._lock = threading.RLock()
        self._checked_at: Optional[float] = None
        self._query = threading.local()  # what one search call reads once (the index generation)
        self.hits = HitEnricher(self.reads, self.index, generation=self._generation)

    # -- setup ----------------------------------------------------------------

    @property
    def encoder(self) -> Encoder:
        if self._encoder is None:
            self._encoder = get_encoder(self._encoder_spec)
        return self._encoder

    def ensure_index(self, on_progress=None, force_check: bool = False) -> IndexReport:
        """Index whatever was ingested since the last run (lexical and dense)."""
        with self._lock:
            rep = self.index.sync(self.encoder, on_progress=on_progress)
            # the derived indexes too (HNSW above 200k paragraphs, BM25 matrix from 5k): built here, while
            # indexing, rather than by the first query (the HNSW of 1M vectors takes tens of minutes on 2 cores)
            self.vector_index()
            self.lexical_matrix()
            # the name vocabulary (~1-2 s), else paid by the first query; loaded beside the caller, not in its indexing time
            if not _names_loading.is_set():
                _names_loading.set()
                threading.Thread(target=preload_names, name="unkg-names", daemon=True).start()
            self._checked_at = time.monotonic()
            return rep

    def _maybe_index(self) -> None:
        """Index new documents before searching; checked at most every few seconds per Searcher."""
        if not self.auto_index:
            return
        with self._lock:
            now = time.monotonic()
            if self._checked_at is not None and now - self._checked_at < 5.0:
                return
            if not self.index.is_current(self.encoder.name):
                self.ensure_index()
            self._checked_at = time.monotonic()

    def vector_index(self) -> VectorIndex:
        with self._lock:
            key = (self._generation(), self.encoder.name)
            if self._vi is None or self._vi_key != key:
                ids, vecs = self.index.load_vectors(self.encoder.name)
                slug = re.sub(r"[^A-Za-z0-9._-]+", "_", self.encoder.name)
                self._vi = VectorIndex(ids, vecs, exact_limit=self.options.exact_limit,
                                       ann_path=self.cache_dir / f"{slug}-g{key[0]}.usearch", hnsw=HNSW)
                self._vi_key = key
            return self._vi

    def lexical_matrix(self) -> Optional[LexicalMatrix]:
        """The BM25 matrix of the current index (built and saved on first use), None for a small corpus."""
        with self._lock:
            gen = self._generation()
            if self._lm_gen != gen:
                self._lm, self._lm_gen = None, gen
                # below the threshold FTS5 is fast enough (~1 ms); at 10k it takes 3.4 ms, the matrix 0.5
                if self.index.paragraph_count() >= self.options.lexical_matrix_min:
                    path = self.cache_dir / f"bm25-g{gen}.npz"
                    try:
                        self._lm = LexicalMatrix.load(path)
                    except (OSError, ValueError, KeyError):
                        self._lm = self._build_matrix()
                        self._lm.save(path)
                        for old in self.cache_dir.glob("bm25-g*.npz"):
                            if old != path:
                                old.unlink(missing_ok=True)
            return self._lm

    def _build_matrix(self) -> LexicalMatrix:
        """The BM25 matrix read from the FTS index (two passes; again if another process changed the index between them)."""
        for attempt in range(3):
            try:
                return LexicalMatrix.build(self.index.tables.fts_rows)
            except ValueError:
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def close(self) -> None:
        self.store.close()

    def _generation(self) -> int:
        """The index generation: read once per search call (a query asks for it dozens of times), else from the store."""
        gen = getattr(self._query, "generation", None)
        return self.index.generation() if gen is None else gen

    # -- what other search modules (precedents) read: the same paths the ranking takes ----------------

    def refresh(self) -> None:
        """Index what was ingested since the last check (at most every few seconds), as a search does first."""
        self._maybe_index()

    def lexical_matches(self, match: Optional[str], filters: Optional[Filters] = None, limit: int = 100) -> list[int]:
        """The search rowids of the best `limit` lexical matches of an FTS query (this backend's lexical index)."""
        return [r for r, *_ in self._fts(match, filters or Filters(), limit)]

    def paragraph_rows(self, rowids: Iterable[int]) -> dict[int, sqlite3.Row]:
        """Search rowid -> the paragraph with its document's columns (what a hit is built from)."""
        return self._rows(rowids)

    def printed_texts(self, rowids: list[int]) -> dict[int, str]:
        """Search rowid -> the paragraph as printed."""
        return self._texts(rowids)

    # -- search ---------------------------------------------------------------

    def search(self, query: str, filters: Optional[Filters] = None, top_k: int = 10, mode: str = "hybrid",
               with_translations: bool = True) -> list[Hit]:
        return self.search_many([query], filters, top_k, mode, with_translations)[0]

    def search_many(self, queries: Sequence[str], filters: Optional[Filters] = None, top_k: int = 10,
                    mode: str = "hybrid", with_translations: bool = True) -> list[list[Hit]]:
        if mode not in MODES:
            raise SearchError(f"unknown search mode {mode!r}: use one of {', '.join(MODES)}")
        top_k = max(1, min(int(top_k), 1000))
        self._maybe_index()
        self._query.generation = self.index.generation()
        try:
            return self._search_many(queries, filters, top_k, mode, with_translations)
        finally:
            self._query.generation = None

    def _search_many(self, queries: Sequence[str], filters: Optional[Filters], top_k: int, mode: str,
                     with_translations: bool) -> list[list[Hit]]:
        filters = filters or Filters()
        allowed = self._allowed_rowids(filters)
        depth = max(100, 5 * top_k)
        parsed = [parse_query(q or "") for q in queries]
        langs = [search_language(q) if q and q.strip() else None for q in queries]

        dense_lists: list[list[tuple[int, float]]] = [[] for _ in queries]
        qvecs: list[Optional[np.ndarray]] = [None for _ in queries]
        if mode in ("hybrid", "dense"):
            texts = [normalise(q) for q in queries]
            idx = [i for i, t in enumerate(texts) if t]
            if idx:
                vi = self.vector_index()
                qv = self.encoder.encode([texts[i] for i in idx])
                for j, (i, (ids, scores)) in enumerate(zip(idx, vi.search(qv, depth, allowed))):
                    dense_lists[i] = list(zip(ids.tolist(), scores.tolist()))
                    qvecs[i] = qv[j]

        results: list[list[Hit]] = []
        for qi, pq in enumerate(parsed):
            if mode == "hybrid":
                results.append(self._rank_hybrid(pq, langs[qi], dense_lists[qi], qvecs[qi], filters, top_k, depth,
                                                 with_translations))
            else:
                results.append(self._fuse_one(pq, langs[qi], dense_lists[qi], filters, top_k, depth, mode, with_translations))
        return results

    def _allowed_rowids(self, filters: Filters) -> Optional[np.ndarray]:
        """The rowids a filter lets through, ascending; kept for the last few filters of this index generation
        (reading them is a scan of every paragraph: ~180 ms at 100k)."""
        if filters.empty():
            return None
        key = (self._generation(), filters.key())
        with self._lock:
            cached = self._allowed_cache.get(key)
            if cached is not None:
                self._allowed_cache.move_to_end(key)
                return cached
        rows = self.reads.allowed_rowids(asdict(filters))
        allowed = np.fromiter(rows, dtype=np.int64, count=len(rows))
        with self._lock:
            self._allowed_cache[key] = allowed
            while len(self._allowed_cache) > 32:
                self._allowed_cache.popitem(last=False)
        return allowed

    def _fts(self, match: Optional[str], filters: Filters, limit: int) -> list[tuple[int, float, Optional[str], None]]:
        """(rowid, BM25 score, content language, None) of the best `limit` lexical matches (the fourth place is
        kept for backends that return the matched text)."""
        if not match:
            return []
        top = self._fts_top(match, filters, limit)
        if top is not None:
            langs = self._langs([r for r, _ in top])
            return [(r, sc, langs.get(r), None) for r, sc in top]
        return self._fts_filtered(match, filters, limit)

    def _fts_top(self, match: str, filters: Filters, limit: int) -> Optional[list[tuple[int, float]]]:
        """(rowid, BM25 score) of the best `limit` matches from the matrix or from FTS5 without a join; None
        when only the filtered FTS5 query can answer."""
        try:
            terms = terms_of_match(match) if type(self)._fts is Searcher._fts else None
            matrix = self.lexical_matrix() if terms else None
            if matrix is not None:
                return matrix.search(terms, limit, self._allowed_rowids(filters))
            if filters.empty():
                # no join before the sort: only the `limit` winners are looked up (3x faster at 100k paragraphs)
                return self.reads.fts_top(match, limit)
            return None
        except sqlite3.OperationalError as exc:  # should not happen: every token is quoted
            raise SearchError(f"the lexical index could not run this query ({exc}); try fewer special characters") from None

    def _fts_rowids(self, match: Optional[str], filters: Filters, limit: int) -> list[int]:
        """The rowids of `_fts`, best first, without their languages (the fused ranking reads those with the
        candidates). Phrase queries (names, the query's words in sequence) recur across queries: their rowids
        are kept for the last few hundred phrases of this index generation."""
        if not match:
            return []
        if type(self)._fts is not Searcher._fts:  # another backend answers the lexical queries
            return [r for r, *_ in self._fts(match, filters, limit)]
        phrase = terms_of_match(match) is None
        key = (self._generation(), match, filters.key(), limit)
        if phrase:
            with self._lock:
                cached = self._phrase_cache.get(key)
                if cached is not None:
                    self._phrase_cache.move_to_end(key)
                    return cached
        top = self._fts_top(match, filters, limit)
        out = [r for r, _ in top] if top is not None else [r for r, *_ in self._fts_filtered(match, filters, limit)]
        if phrase:
            with self._lock:
                self._phrase_cache[key] = out
                while len(self._phrase_cache) > 512:
                    self._phrase_cache.popitem(last=False)
        return out

    def _fts_filtered(self, match: str, filters: Filters, limit: int) -> list[tuple[int, float, Optional[str], None]]:
        try:
            return [(r, sc, lang, None) for r, sc, lang in self.reads.fts_filtered(match, asdict(filters), limit)]
        except sqlite3.OperationalError as exc:  # should not happen: every token is quoted
            raise SearchError(f"the lexical index could not run this query ({exc}); try fewer special characters") from None

    def _fuse_one(self, pq: ParsedQuery, qlang: Optional[str], dense: list[tuple[int, float]], filters: Filters,
                  top_k: int, depth: int, mode: str, with_translations: bool) -> list[Hit]:
        lex_rank: dict[int, int] = {}
        lex_score: dict[int, float] = {}
        exact: set[int] = set()
        if mode in ("hybrid", "lexical") and not pq.empty:
            all_words = pq.words + [w for p in pq.phrases for w in p]
            full = self._fts(fts_or(all_words, stopwords_alone=mode == "lexical"), filters, depth)
            same = [(r, s) for r, s, lang, _ in full if mode == "lexical" or qlang is None or lang is None or lang == qlang]
            for rank, (r, s) in enumerate(same, 1):
                lex_rank.setdefault(r, rank)
                lex_score.setdefault(r, s)
            if pq.phrases:
                exact = {r for r, _, _, _ in self._fts(fts_phrases(pq.phrases), filters, max(depth, 1000))}

        dense_rank = {r: i for i, (r, _) in enumerate(dense, 1)}
        # language-neutral agreement: numbers read the same in every language, so a candidate in another
        # language whose numbers match the query's is more likely the same text (ties share a rank)
        neutral_rank: dict[int, int] = {}
        neutral_weight: dict[int, float] = {}
        # the number-agreement signal across languages: off by default (UNKG_SEARCH_NUMBERS=on)
        qnums = numbers(pq.text) if mode == "hybrid" and self.options.search_numbers else None
        if qnums:
            cands = list(dense_rank)
            sims = {}
            for r, t in self._texts(cands).items():
                tn = numbers(t)
                sims[r] = number_agreement(qnums, tn)
                # weighted by the agreement itself: one shared number among seven is weak evidence
                neutral_weight[r] = sims[r]
            ranked = sorted((v for v in sims.values() if v > 0), reverse=True)
            for r, v in sims.items():
                if v > 0:
                    neutral_rank[r] = 1 + ranked.index(v)
        if mode == "dense":
            scored = {r: s for r, s in dense}
            order = [r for r, _ in dense]
        elif mode == "lexical":
            scored = dict(lex_score)
            order = list(lex_score)
        else:
            scored, order = self._rrf(dense_rank, lex_rank, neutral_rank, neutral_weight, qlang)
        if exact:  # paragraphs holding every quoted phrase first, in their fused order
            for r in exact:
                scored.setdefault(r, 0.0)
            rest = [r for r in order if r not in exact]
            order = [r for r in order if r in exact] + sorted(exact - set(order), key=lambda r: r) + rest
        order = order[:top_k]
        rows = self._rows(order)
        hits = []
        for r in order:
            row = rows.get(r)
            if row is None:
                continue
            hit = self._hit(row, scored[r])
            hit.exact = r in exact
            hit.dense_rank = dense_rank.get(r)
            hit.lexical_rank = lex_rank.get(r)
            if with_translations:
                hit.translations = self.translations(row)
            hits.append(hit)
        return hits

    # -- hybrid ranking: one fused score (see ranking.py) ------------------------------

    def _rank_hybrid(self, pq: ParsedQuery, qlang: Optional[str], dense: list[tuple[int, float]],
                     qvec: Optional[np.ndarray], filters: Filters, top_k: int, depth: int,
                     with_translations: bool) -> list[Hit]:
        """Candidates from both indexes (and every paragraph holding a quoted phrase or the query's words
        in sequence), each scored once; headings become the section of their paragraphs; paragraphs that are
        one text (identical, or translations of each other) make one hit."""
        dense_rank = {r: i for i, (r, _) in enumerate(dense, 1)}
        dense_sim = dict(dense)
        lex_rank: dict[int, int] = {}
        quoted: set[int] = set()
        whole_seq: set[int] = set()
        if not pq.empty:
            all_words = pq.words + [w for p in pq.phrases for w in p]
            for rank, r in enumerate(self._fts_rowids(fts_or(all_words, stopwords_alone=False), filters, depth), 1):
                lex_rank.setdefault(r, rank)
            if pq.phrases:
                quoted = set(self._fts_rowids(fts_phrases(pq.phrases), filters, max(depth, 1000)))
            content = [w for w in pq.words if w not in STOPWORDS]
            if len(pq.words) > 1 and content and len(pq.words) <= 8 and self._phrase_bound(pq.words) <= PHRASE_MAX:
                # a name or a set phrase typed without quotes: every paragraph holding it is a candidate
                whole_seq = set(self._fts_rowids(fts_phrases([pq.words]), filters, 200))
        q = ranking.query_terms(pq, self._doc_freq, self._n_paragraphs())
        named: set[int] = set()
        local = type(self)._fts is Searcher._fts
        for _span, name, _m in q.names:  # a name in the query: its forms in every language are candidates
            bounds = {form: self._phrase_bound(form) for form in name.forms}
            forms = [f for f in name.forms if bounds[f] <= PHRASE_MAX]
            if local and len(forms) > 1 and all(bounds[f] <= 200 for f in forms):
                # one FTS5 statement for all the forms (any of them), not one per form in six languages; only when
                # no form can match more than 200 paragraphs (its rarest word's count), so the rows are the same
                match = " OR ".join(f"({fts_phrases([list(form)])})" for form in forms)
                named.update(self._fts_rowids(match, filters, 200 * len(forms)))
                continue
            for form in forms:
                named.update(self._fts_rowids(fts_phrases([list(form)]), filters, 200))
        pool = set(dense_rank) | set(lex_rank) | quoted | whole_seq | named
        if not pool:
            return []
        floor = min(dense_sim.values()) if dense_sim else 0.0
        groups = self._ranked_groups(pool, q, qlang, dense_sim, qvec, quoted, floor, filters, top_k)
        rows = self._rows([g[0].rowid for g in groups])
        hits = []
        for g in groups:
            rep = g[0]
            row = rows.get(rep.rowid)
            if row is None:
                continue
            hit = self._hit(row, max(c.score for c in g))
            hit.exact = rep.quoted
            hit.dense_rank = dense_rank.get(rep.rowid)
            hit.lexical_rank = lex_rank.get(rep.rowid)
            hit.section = self._section_title(row)
            same_text = [c for c in g[1:] if c.text_hash == rep.text_hash]
            if same_text:
                others = self._rows([c.rowid for c in same_text])
                kept = [others[c.rowid] for c in same_text if c.rowid in others]
                hit.also_in = [self.citation(r) for r in kept]
                hit.also_in_ids = [r["id"] for r in kept]
            if with_translations:
                hit.translations = self.translations(row)
            hits.append(hit)
        return hits

    def _rank_rows(self, rowids: Iterable[int]) -> dict[int, tuple]:
        """What the ranking reads of each paragraph (see `_candidate`), 500 at a time; kept per index generation (a
        paragraph's text does not change within one), so the paragraphs many queries meet are read once."""
        gen = self._generation()
        with self._lock:
            if getattr(self, "_cand_gen", None) != gen:
                self._cand_cache: OrderedDict[int, tuple] = OrderedDict()
                self._cand_gen = gen
            cache = self._cand_cache
        rowids = list(rowids)
        base: dict[int, tuple] = {}
        missing = []
        for r in rowids:
            t = cache.get(r)
            if t is None:
                missing.append(r)
            else:
                base[r] = t
        if missing:
            # one row per paragraph, written at indexing time (search_rank)
            for r in self.reads.rank_rows(missing):
                # the word set is made when the ranking first asks for it (most paragraphs in other languages never need it)
                base[r[0]] = (r[1], r[2], r[3], r[4], r[6], r[7], None, r[12], r[8], r[9], r[10], r[11], r[5],
                              _identity(r[1], r[9], r[10], r[11], r[5]))
            rest = [r for r in missing if r not in base]
            for r in self.reads.rank_rows_unstored(rest) if rest else ():  # an index written before search_rank existed
                body = r[8] or ""
                toks = body.split()
                han = han_runs(model_printed_text(r[5], r[6], r[7] or ""))
                base[r[0]] = (r[1], r[2], r[3], r[4] or "", han, body, frozenset(toks), len(toks), r[9], r[10], r[11], r[12], r[5],
                              _identity(r[1], r[10], r[11], r[12], r[5]))
        with self._lock:
            for r in missing:
                if r in base:
                    cache[r] = base[r]
            while len(cache) > 50_000:
                cache.popitem(last=False)
        return base

    @staticmethod
    def _candidate(r: int, t: tuple) -> ranking.Candidate:
        return ranking.Candidate(rowid=r, block_id=t[0], doc_id=t[1], lang=t[2], kind=t[3], han=t[4], body=t[5], words=t[6],
                                 n_tokens=t[7], parent=t[8], translation_of=t[9], text_hash=t[10], symbol=t[11], label=t[12])

    #: False: every candidate's evidence is read (the reference the bounds must not change; see _ranked_groups)
    prune_ranking = True

    def _ranked_groups(self, pool: set[int], q: ranking.QueryTerms, qlang: Optional[str], dense_sim: dict[int, float],
                       qvec: Optional[np.ndarray], quoted: set[int], floor: float, filters: Filters,
                       top_k: int) -> list[list[ranking.Candidate]]:
        """The first `top_k` groups of candidates (see `_collapse`), best first, as if every candidate were scored,
        reading the evidence only of those whose upper bound (`ranking.upper_bounds`, from the words each may hold)
        can reach them: most of a long pasted query's hundreds of candidates cannot.

        Three steps need exact scores: whether the query's words are found (`ranking.words_found`: candidates
        whose coverage bound reaches WORDS_FOUND, until one does), the SECTION_HEADS best (candidates in bound
        order until the last of those beats the next bound), and the groups, which form only among candidates
        sharing a text, a translation or a symbol and label: such a component is scored whole, components in the
        order of their best bound, until the `top_k`-th group beats the next component's bound."""
        p = _Pass(self, q, qlang, dense_sim, qvec, quoted, floor)
        ids = p.add(pool)
        n = len(ids)
        rows = p.rows
        if self.prune_ranking:
            cov_ub, whole_ub = ranking.upper_bounds(q, qlang, [rows[r][2] for r in ids], [rows[r][4] for r in ids],
                                                    self._may_hold(ids, rows))
        else:
            cov_ub, whole_ub = np.full(n, np.inf), np.ones(n, dtype=bool)
        # found: some paragraph in the query's language holds WORDS_FOUND of the query's words
        for i in np.argsort(-cov_ub, kind="stable").tolist():
            if cov_ub[i] + ranking.BOUND_MARGIN < ranking.WORDS_FOUND:
                break
            if (qlang is None or rows[ids[i]][2] in (None, qlang)) and p.evidence(ids[i]).coverage >= ranking.WORDS_FOUND:
                p.found = True
                break
        for r in list(p.cands):
            p.score(r)
        shape = np.array([ranking.shape_of(rows[r][3], rows[r][7]) for r in ids]) if p.found else np.ones(n)
        dense = np.array([floor if p.dense.get(r) is None else p.dense[r] for r in ids], dtype=np.float64)
        ub = ranking.score_bounds(dense, cov_ub, whole_ub, shape, np.array([r in quoted for r in ids], dtype=np.float64))
        bound = dict(zip(ids, ub.tolist()))
        # the SECTION_HEADS best: every candidate that can be among them is scored
        best = sorted(c.score for c in p.cands.values())[-SECTION_HEADS:]
        heapq.heapify(best)
        for i in np.argsort(-ub, kind="stable").tolist():
            if len(best) >= SECTION_HEADS and best[0] > ub[i]:
                break
            if ids[i] in p.cands:
                continue
            s = p.score(ids[i]).score
            if len(best) < SECTION_HEADS:
                heapq.heappush(best, s)
            elif s > best[0]:
                heapq.heapreplace(best, s)
        self._sections(p, filters)
        # components: candidates linked by a text, a translation or a symbol and label (the keys of _collapse)
        parts = _components(rows)
        tops = [max(p.cands[r].score if r in p.cands else bound[r] for r in part) for part in parts]
        leaders: list[float] = []  # the top_k best group scores so far (a heap)
        groups: list[list[ranking.Candidate]] = []
        for j in sorted(range(len(parts)), key=lambda j: -tops[j]):
            if len(leaders) >= top_k and leaders[0] > tops[j]:
                break
            for g in self._collapse([p.score(r) for r in parts[j]], qlang):
                groups.append(g)
                s = max(c.score for c in g)
                if len(leaders) < top_k:
                    heapq.heappush(leaders, s)
                elif s > leaders[0]:
                    heapq.heapreplace(leaders, s)
        # the order _collapse gives the groups of all candidates: by their best member (highest score, then rowid)
        groups.sort(key=lambda g: min((-c.score, c.rowid) for c in g))
        return groups[:top_k]

    def _may_hold(self, ids: list[int], rows: dict[int, tuple]):
        """word -> for each candidate, whether it may hold the word as an indexed token: the BM25 matrix's postings
        where this searcher's lexical index has one, else the word as a substring of the indexed words."""
        lm = self.lexical_matrix() if type(self)._fts is Searcher._fts else None
        if lm is not None:
            cols = lm.columns(ids)
            return lambda w: lm.holding(w, cols)
        bodies = [rows[r][5] or "" for r in ids]
        return lambda w: np.fromiter((w in b for b in bodies), dtype=bool, count=len(bodies))

    def _dense_of(self, rowids: list[int], dense_sim: dict[int, float], qvec: Optional[np.ndarray]) -> dict[int, Optional[float]]:
        """The cosine of each paragraph: from the dense list, else computed from its stored vector (None: no vector)."""
        missing = [r for r in rowids if r not in dense_sim]
        extra: dict[int, float] = {}
        if missing and qvec is not None:
            vi = self.vector_index()
            if isinstance(vi, VectorIndex):
                extra = similarities(vi, qvec, missing)
        return {r: dense_sim.get(r, extra.get(r)) for r in rowids}

    def _sections(self, p: "_Pass", filters: Filters) -> None:
        """A heading shows as the section of its paragraphs: its first paragraphs become candidates, lifted by the
        heading's coverage of the query (the heading itself stays a candidate with the short-block shape, so a
        heading that is the answer, say the translation of the query, is still found). `p.cands` holds every
        candidate that can be among the SECTION_HEADS best, scored."""
        # only the headings that could reach the first results matter
        top = sorted((p.cands[r] for r in p.rows if r in p.cands), key=lambda c: -c.score)[:SECTION_HEADS]
        heads = {c.block_id: c for c in top if c.kind in ("heading", "title")}
        if not heads:
            return
        children = self.reads.first_paragraphs_under(list(heads), 3)
        if not children:
            return
        allowed = self._allowed_rowids(filters)
        allowed_set = None if allowed is None else set(allowed.tolist())
        new = {r for lst in children.values() for r in lst if r not in p.rows and (allowed_set is None or r in allowed_set)}
        if new:
            for r in p.add(new):
                p.score(r)
        for head_id, rowids in children.items():
            head = heads[head_id]
            kids = [p.score(r) for r in rowids if r in p.rows]
            if not kids:
                continue
            for k in kids:
                bonus = ranking.SECTION * head.coverage
                if bonus > k.section_bonus:
                    k.score += bonus - k.section_bonus
                    k.section_bonus = bonus
            if p.found:
                # the query's words were found: the heading shows as the section of these paragraphs, not as a hit
                p.drop(head.rowid)

    def _collapse(self, cands: Iterable[ranking.Candidate], qlang: Optional[str]) -> list[list[ranking.Candidate]]:
        """Groups of candidates that are one text, best group first; each group's first member is the one shown:
        the best in the query's language when the group has one (its translations are shown beside it)."""
        ordered = ranking.order(cands)
        alias: dict[tuple, int] = {}  # identity key -> group index
        groups: list[list[ranking.Candidate]] = []
        for c in ordered:
            # the first key already seen names the group; the same symbol and label only across documents
            keys = (("t", c.text_hash), ("g", ranking.group_key(c))) + ((("s", c.symbol, c.label),) if c.symbol and c.label else ())
            gi = alias.get(keys[0])
            if gi is None:
                gi = alias.get(keys[1])
            if gi is None and len(keys) > 2:
                gs = alias.get(keys[2])
                if gs is not None and all(m.doc_id != c.doc_id for m in groups[gs]):
                    gi = gs
            if gi is None:
                gi = len(groups)
                groups.append([])
            groups[gi].append(c)
            for k in keys:
                alias.setdefault(k, gi)
        for g in groups:
            if qlang is not None and g[0].lang not in (None, qlang):
                same = [c for c in g if c.lang == qlang]
                if same:
                    g.remove(same[0])
                    g.insert(0, same[0])
        return groups

    def _section_title(self, row: sqlite3.Row) -> Optional[str]:
        if not row["parent"]:
            return None
        p = self.reads.block(row["parent"])
        if p is None or p["kind"] not in ("heading", "title"):
            return None
        return printed_text(p)

    def _doc_freq(self, term: str) -> int:
        """Paragraphs holding a word (a Chinese word: its rarest character pair, an upper bound)."""
        keys = han_bigrams(term) if _HAN_RUN.fullmatch(term) and len(term) > 1 else [term]
        lm = self.lexical_matrix()
        best = None
        for k in keys:
            if lm is not None:
                t = lm.vocab.get(k)
                df = 0 if t is None else int(lm.indptr[t + 1] - lm.indptr[t])
            else:
                df = self.reads.vocab_doc_freq(k)
            best = df if best is None else min(best, df)
        return best or 0

    def _phrase_bound(self, words: Sequence[str]) -> int:
        """At most this many paragraphs hold the words in sequence (the count of the rarest)."""
        return min((self._doc_freq(w) for w in words), default=0)

    def _n_paragraphs(self) -> int:
        with self._lock:
            gen = self._generation()
            if getattr(self, "_n_gen", None) != gen:
                self._n_cache, self._n_gen = self.index.paragraph_count(), gen
            return self._n_cache


    def _rrf(self, dense_rank: dict[int, int], lex_rank: dict[int, int], neutral_rank: dict[int, int],
             neutral_weight: dict[int, float], qlang: Optional[str]) -> tuple[dict[int, float], list[int]]:
        """Reciprocal rank fusion, language-fair.

        Every lexical hit is in the query's language (see _fuse_one), and a paragraph in
        another language can never match the query's words: a plain RRF would lift any
        same-language paragraph sharing a few words above the right translation. So the
        dense ranking (the one signal comparable across languages; plus number agreement
        when enabled) fixes which positions hold query-language paragraphs and which hold
        others, and RRF (dense + BM25) orders the query-language paragraphs among those
        positions. In a one-language corpus this is plain RRF.
        """
        base: dict[int, float] = {}
        for r, rank in dense_rank.items():
            base[r] = 1.0 / (RRF_K + rank)
        for r, rank in neutral_rank.items():
            base[r] = base.get(r, 0.0) + neutral_weight[r] / (RRF_K + rank)
        fused = dict(base)
        for r, rank in lex_rank.items():
            fused[r] = fused.get(r, 0.0) + 1.0 / (RRF_K + rank)
        global_order = sorted(base, key=lambda r: (-base[r], dense_rank.get(r, 1 << 30), r))
        global_order += sorted((r for r in lex_rank if r not in base), key=lambda r: lex_rank[r])
        if qlang is None:
            same = set(global_order)
        else:
            langs = self._langs(global_order)
            same = {r for r in global_order if langs.get(r) in (None, qlang)} | set(lex_rank)
        ranked_same = iter(sorted(same, key=lambda r: (-fused[r], dense_rank.get(r, 1 << 30), r)))
        order = [next(ranked_same) if r in same else r for r in global_order]
        return fused, order

    def _column(self, rowids: list[int], column: str) -> dict[int, Any]:
        """One value ("lang", "text") for many search rowids."""
        return self.reads.row_values(rowids, column)

    def _langs(self, rowids: list[int]) -> dict[int, Optional[str]]:
        return self._column(rowids, "lang")

    # -- rows, citations, translations -----------------------------------------

    def _texts(self, rowids: list[int]) -> dict[int, str]:
        return self._column(rowids, "text")

    def _rows(self, rowids: Iterable[int]) -> dict[int, sqlite3.Row]:
        return self.reads.hit_rows(list(rowids))

    # -- hits: what a result shows (search.hits) ----------------------------------

    def _hit(self, row: sqlite3.Row, score: float) -> Hit:
        return self.hits.hit(row, score)

    def citation(self, row: sqlite3.Row, decision: Optional[str] = None) -> str:
        return self.hits.citation(row, decision)

    def graph_context(self, row: sqlite3.Row, ann: Optional[dict] = None, decision: Optional[str] = None) -> dict:
        return self.hits.graph_context(row, ann, decision)

    def translations(self, row: sqlite3.Row) -> list[Translation]:
        return self.hits.translations(row)


def _identity(block_id: str, translation_of: Optional[str], text_hash: str, symbol: Optional[str], label: Optional[str]) -> tuple:
    """The keys `_collapse` groups a paragraph by: its text, its translation group, its symbol and label."""
    keys = (("t", text_hash), ("g", translation_of or block_id))
    return keys + (("s", symbol, label),) if symbol and label else keys


class _Pass:
    """One query's candidates in the fused ranking: their ranking rows and cosines, and the evidence and score of
    those the ranking has read so far (`cands`, every one scored once `found` is known)."""

    def __init__(self, searcher: Searcher, q: ranking.QueryTerms, qlang: Optional[str], dense_sim: dict[int, float],
                 qvec: Optional[np.ndarray], quoted: set[int], floor: float) -> None:
        self.searcher, self.q, self.qlang = searcher, q, qlang
        self.dense_sim, self.qvec, self.quoted, self.floor = dense_sim, qvec, quoted, floor
        self.rows: dict[int, tuple] = {}  # rowid -> ranking row, in the order candidates were taken
        self.dense: dict[int, Optional[float]] = {}
        self.cands: dict[int, ranking.Candidate] = {}
        self.scored: set[int] = set()
        self.found = False

    def add(self, rowids: Iterable[int]) -> list[int]:
        """Take these paragraphs as candidates (those the index has); their rowids."""
        got = self.searcher._rank_rows(rowids)
        self.rows.update(got)
        ids = list(got)
        self.dense.update(self.searcher._dense_of(ids, self.dense_sim, self.qvec))
        return ids

    def evidence(self, r: int) -> ranking.Candidate:
        c = self.cands.get(r)
        if c is None:
            c = self.cands[r] = Searcher._candidate(r, self.rows[r])
            c.dense = self.dense.get(r)
            c.quoted = r in self.quoted
            ranking.evidence(c, self.q, self.qlang)
        return c

    def score(self, r: int) -> ranking.Candidate:
        c = self.evidence(r)
        if r not in self.scored:
            ranking.score(c, self.floor, self.found)
            self.scored.add(r)
        return c

    def drop(self, r: int) -> None:
        self.rows.pop(r, None)
        self.cands.pop(r, None)


def _components(rows: dict[int, tuple]) -> list[list[int]]:
    """The candidates linked by any grouping key (`_identity`, the ranking row's last field), each component in the
    order of `rows`; most candidates share no key and stand alone."""
    owner: dict[tuple, int] = {}
    links: list[tuple[int, int]] = []
    for r, t in rows.items():
        for k in t[13]:
            o = owner.setdefault(k, r)
            if o != r:
                links.append((o, r))
    if not links:
        return [[r] for r in rows]
    up: dict[int, int] = {}

    def root(x: int) -> int:
        while up.get(x, x) != x:
            up[x] = up.get(up[x], up[x])
            x = up[x]
        return x

    for a, b in links:
        ra, rb = root(a), root(b)
        if ra != rb:
            up[rb] = ra
    out: dict[int, list[int]] = {}
    for r in rows:
        out.setdefault(root(r) if r in up else r, []).append(r)
    return list(out.values())
