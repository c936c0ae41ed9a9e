"""Names a query holds, with their forms in every language, from the extract vocabulary.

A researcher types "Чханвонская инициатива"; the corpus says "Changwon Initiative" and
"昌原倡议". The vocabulary the extractor uses lists the aliases of every actor, initiative
and country in the six languages, so a name found in the query is searched in all its forms,
and a paragraph holding any of them holds the name, whatever its language.

Only proper names take part (an entity with an alias written with a capital: "Changwon
Initiative", "Global Mechanism"), not common nouns the vocabulary also lists ("secretariat").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .text import _HAN_RUN, tokens

_TYPES = ("actor", "initiative", "country")


@dataclass(frozen=True)
class Name:
    id: str
    forms: tuple[tuple[str, ...], ...]  # every alias as its folded tokens
    han_forms: tuple[str, ...]  # the Chinese aliases as written


@lru_cache(maxsize=1)
def _index() -> tuple[dict[tuple[str, ...], str], dict[str, Name]]:
    try:
        from unkg.extract.vocab import load
    except ImportError:  # pragma: no cover
        return {}, {}
    v = load()
    aliases: dict[str, list[str]] = {}
    proper: set[str] = set()
    for lang, pats in v.patterns.items():
        for p in pats:
            if p.type not in _TYPES or p.id.startswith("@"):
                continue
            aliases.setdefault(p.id, []).append(p.alias)
            if p.cased and lang in ("en", "fr", "es", "ru") and re.search(r"[A-ZА-Я]", p.alias):
                proper.add(p.id)
    by_form: dict[tuple[str, ...], str] = {}
    names: dict[str, Name] = {}
    for eid in proper:
        forms = []
        han = []
        for a in aliases[eid]:
            if _HAN_RUN.fullmatch(a) and len(a) >= 2:
                han.append(a)
            toks = tuple(tokens(a))
            # a name of two words or more, an acronym (UNCCD, WMO), or a Chinese name of three characters or more:
            # a single common word ("Parties") would make evidence of every paragraph about parties
            if toks and (len(toks) > 1 or re.fullmatch(r"[A-Z][A-Z0-9-]{2,}", a) or (_HAN_RUN.fullmatch(a) and len(a) >= 3)):
                forms.append(toks)
        names[eid] = Name(eid, tuple(dict.fromkeys(forms)), tuple(dict.fromkeys(han)))
        for f in forms:
            by_form.setdefault(f, eid)
    return by_form, names


@lru_cache(maxsize=1)
def _by_han_form() -> dict[str, str]:
    """Chinese alias -> the first name (in vocabulary order) that has it: one lookup instead of a scan per query."""
    out: dict[str, str] = {}
    for eid, nm in _index()[1].items():
        for h in nm.han_forms:
            out.setdefault(h, eid)
    return out


@lru_cache(maxsize=1)
def _starts() -> dict[str, frozenset[int]]:
    """First token of a form -> the lengths of the forms it starts: most query words start none."""
    out: dict[str, set[int]] = {}
    for f in _index()[0]:
        out.setdefault(f[0], set()).add(len(f))
    return {k: frozenset(v) for k, v in out.items()}


def preload() -> None:
    """Read the vocabulary and build the lookups now (indexing time), not on the first query that needs them."""
    _index()
    _starts()
    _by_han_form()


def names_in(query_tokens: list[str]) -> list[tuple[tuple[str, ...], Name]]:
    """(the query's tokens that spell the name, the name) for every vocabulary name in the query, longest first."""
    by_form, names = _index()
    if not by_form or not query_tokens:
        return []
    starts = _starts()
    found: list[tuple[tuple[str, ...], Name]] = []
    taken: set[int] = set()
    n = len(query_tokens)
    for length in range(min(n, 8), 0, -1):
        for i in range(0, n - length + 1):
            first = query_tokens[i]
            if length not in starts.get(first, ()) and not (length == 1 and _HAN_RUN.fullmatch(first)):
                continue  # no form of this length starts with this word (a Chinese word may still be an alias)
            if any(j in taken for j in range(i, i + length)):
                continue
            span = tuple(query_tokens[i : i + length])
            eid = by_form.get(span)
            if eid is None and length == 1 and _HAN_RUN.fullmatch(span[0]):
                eid = _by_han_form().get(span[0])
            if eid is not None:
                found.append((span, names[eid]))
                taken.update(range(i, i + length))
    return found
