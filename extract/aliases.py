"""One id per initiative across the languages of a document.

Why: a bilingual brief names the "Changwon Initiative" in English and "昌原倡议" in Chinese; an
initiative found by the shape of its name gets an id from its own words, so without this pass the
two languages would give two graph nodes (or, for a Chinese name printed without 《》, none).
The curated vocabulary is the prior (its ids win); beyond it, a paragraph and its translation
(`Block.translation_of`) name the same initiatives:

- a discovered initiative of the translation whose head word is of the same class as exactly one
  initiative of the source paragraph not yet named in the translation ("Programme" / "方案",
  "Initiative" / "倡议" / "Initiative" / "Iniciativa" / "инициатива" / "مبادرة") takes the source's id;
- in Chinese, a name printed without brackets is recovered the same way: the Han words ending in the
  head word, cut at the particle or punctuation before them ("在昌原倡议的推动下" -> 昌原倡议);
- an alias learned so becomes a name of that id in the rest of the document (paragraphs that are not
  translations mention "昌原倡议" again).

Only a one-to-one pairing per head class is taken: two source programmes and one translated
programme are left as they are, rather than guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from unkg.model import Block, Document, Entity

# head-word classes in the six languages (lower case; Chinese heads as printed)
_CLASSES: dict[str, dict[str, tuple[str, ...]]] = {
    "initiative": {"en": ("initiative",), "fr": ("initiative",), "es": ("iniciativa",), "ru": ("инициатив",), "ar": ("مبادرة",), "zh": ("倡议", "举措")},
    "programme": {"en": ("programme", "program"), "fr": ("programme",), "es": ("programa",), "ru": ("программ",), "ar": ("برنامج",), "zh": ("方案", "项目")},
    "plan": {"en": ("plan",), "fr": ("plan",), "es": ("plan",), "ru": ("план",), "ar": ("خطة",), "zh": ("行动计划", "计划", "规划")},
    "strategy": {"en": ("strategy",), "fr": ("stratégie",), "es": ("estrategia",), "ru": ("стратеги",), "ar": ("استراتيجية",), "zh": ("战略",)},
    "framework": {"en": ("framework",), "fr": ("cadre",), "es": ("marco",), "ru": ("рамк",), "ar": ("إطار",), "zh": ("框架", "纲领")},
    "fund": {"en": ("fund", "facility"), "fr": ("fonds", "mécanisme"), "es": ("fondo", "mecanismo"), "ru": ("фонд",), "ar": ("صندوق",), "zh": ("基金",)},
    "forum": {"en": ("forum",), "fr": ("forum",), "es": ("foro",), "ru": ("форум",), "ar": ("منتدى",), "zh": ("论坛",)},
    "guide": {"en": ("guidelines", "guide", "primer"), "fr": ("directives", "guide"), "es": ("directrices", "guía"), "ru": ("руководств",), "ar": ("مبادئ", "دليل"), "zh": ("指南", "读本")},
    "partnership": {"en": ("partnership", "compact"), "fr": ("partenariat",), "es": ("alianza", "asociación"), "ru": ("партнерств", "партнёрств"), "ar": ("شراكة",), "zh": ("伙伴关系",)},
    "platform": {"en": ("platform",), "fr": ("plateforme",), "es": ("plataforma",), "ru": ("платформ",), "ar": ("منصة",), "zh": ("平台",)},
    "decade": {"en": ("decade",), "fr": ("décennie",), "es": ("decenio",), "ru": ("десятилети",), "ar": ("عقد",), "zh": ("十年",)},
    "agenda": {"en": ("agenda",), "fr": ("programme",), "es": ("agenda",), "ru": ("повестк",), "ar": ("خطة",), "zh": ("议程",)},
    "campaign": {"en": ("campaign",), "fr": ("campagne",), "es": ("campaña",), "ru": ("кампани",), "ar": ("حملة",), "zh": ("运动",)},
}

# Where a Chinese name printed without brackets starts: after punctuation or a particle/preposition.
_ZH_BOUNDARY = re.compile(r"[^\u3400-\u9fff]|[的在是由和与及对于将了把被向从为以其该此这那各等并即又也就所]")
_HAN = re.compile(r"[\u3400-\u9fff]")


def head_class(name: str, lang: str) -> Optional[str]:
    """The class of an initiative name by its head word (English and Chinese heads end the name, before its
    complements: "Madrid Plan of Action", "Programme on ..."; French, Spanish, Russian and Arabic heads open it).
    A Chinese name takes its longest head (行动计划 is a plan, 计划 alone a programme or a plan)."""
    low = name.strip().lower()
    if lang == "zh":
        best = max(((len(h), cls) for cls, heads in _CLASSES.items() for h in heads.get("zh", ()) if low.endswith(h)), default=None)
        return best[1] if best else None
    if lang == "en":
        low = re.split(r":| (?:on|for|to|of|in|against) ", low)[0]
    for cls, heads in _CLASSES.items():
        for h in heads.get(lang, ()):
            if lang == "en" and re.search(rf"\b{re.escape(h)}s?$", low):
                return cls
            words = re.sub(r"^(?:la|le|el|les|los|las|l['’])\s*", "", low).split()
            if lang != "en" and words and (words[0].startswith(h) or words[-1].startswith(h) and lang in ("ru", "fr")):
                return cls  # "Initiative de Changwon", "Чханвонская инициатива"
    return None


def _zh_bare_names(text: str, cls: str, taken: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans of Han names ending in a head of the class, printed without brackets."""
    out = []
    for h in sorted(_CLASSES[cls]["zh"], key=len, reverse=True):
        for m in re.finditer(re.escape(h), text):
            end = m.end()
            if any(s <= m.start() < e for s, e in taken + out):
                continue
            i = m.start()
            while i > 0 and _HAN.match(text[i - 1]) and not _ZH_BOUNDARY.match(text[i - 1]) and m.start() - i < 8:
                i -= 1
            if 2 <= m.start() - i <= 6:  # a proper name before the head (昌原, 综合培训); not the bare head word
                out.append((i, end))
    return out


def _initiatives(b: Block) -> list[Entity]:
    return [e for e in b.entities if e.type == "initiative"]


def _class_pairs(source: dict[str, Entity], translated: list[Entity], s_lang: str, t_lang: str,
                 vocab_ids: set[str]) -> list[tuple[str, Entity, list[Entity]]]:
    """(head class, the source's initiative, the translation's mentions of its one counterpart) for every head class
    with exactly one source initiative not yet named in the translation and at most one discovered one there (an
    empty list: none found, the caller may look for a bare Chinese name)."""
    present = {e.id for e in translated}
    out = []
    for cls in {head_class(_name(e, vocab_ids), s_lang) for e in source.values()} - {None}:
        wanted = [e for e in source.values() if head_class(_name(e, vocab_ids), s_lang) == cls and e.id not in present]
        found = [e for e in translated if e.id not in vocab_ids and e.id not in source and head_class(e.text, t_lang) == cls]
        if len(wanted) == 1 and len({e.id for e in found}) <= 1:
            out.append((cls, wanted[0], found))
    return out


def _name(e: Entity, vocab_ids: set[str]) -> str:
    return e.name if e.id in vocab_ids else e.text


def _first_by_id(b: Block) -> dict[str, Entity]:
    """A paragraph's initiatives, one per id (its first mention), in the order they are printed."""
    out: dict[str, Entity] = {}
    for e in _initiatives(b):
        out.setdefault(e.id, e)
    return out


def merge_across_languages(doc: Document, vocab_ids: set[str]) -> None:
    """Give the initiatives of translated paragraphs the ids of their source paragraphs (in place)."""
    by_id = {b.id: b for b in doc.blocks}
    learned: dict[str, dict[str, tuple[str, str]]] = {}  # lang -> alias -> (id, name)
    for b in doc.blocks:
        src = by_id.get(b.translation_of or "")
        if src is None or b.zone == "garbled":
            continue
        s_lang, t_lang = src.language or doc.language or "en", b.language or doc.language or "en"
        if s_lang == t_lang:
            continue
        source = _first_by_id(src)
        if not source:
            continue
        for cls, target, found in _class_pairs(source, _initiatives(b), s_lang, t_lang, vocab_ids):
            if found:
                old = found[0].id
                for e in _initiatives(b):
                    if e.id == old:
                        e.id, e.name = target.id, target.name
                        learned.setdefault(t_lang, {})[e.text] = (target.id, target.name)
            elif t_lang == "zh":
                taken = [(e.start, e.end) for e in b.entities]
                spans = _zh_bare_names(b.text, cls, taken)
                if len({b.text[s:e] for s, e in spans}) == 1:
                    for s, e in spans:
                        b.entities.append(Entity(type="initiative", text=b.text[s:e], start=s, end=e, id=target.id, name=target.name))
                    learned.setdefault(t_lang, {})[b.text[spans[0][0]:spans[0][1]]] = (target.id, target.name)
    _spread(doc, learned)


def _spread(doc: Document, learned: dict[str, dict[str, tuple[str, str]]]) -> None:
    """An alias learned from a translation names its initiative everywhere in the document."""
    for b in doc.blocks:
        lang = b.language or doc.language or "en"
        names = learned.get(lang)
        if not names or b.zone in ("garbled", "toc"):
            continue
        for e in _initiatives(b):
            if e.text in names and e.id != names[e.text][0]:
                e.id, e.name = names[e.text]
        taken = [(e.start, e.end) for e in b.entities]
        for alias, (nid, name) in names.items():
            for m in re.finditer(re.escape(alias), b.text):
                if not any(s < m.end() and m.start() < e for s, e in taken):
                    b.entities.append(Entity(type="initiative", text=alias, start=m.start(), end=m.end(), id=nid, name=name))
                    taken.append((m.start(), m.end()))
        b.entities.sort(key=lambda e: e.start)


# -- across documents: a document and its translation (same symbol, another language) ---------------------------


@dataclass(frozen=True)
class AliasLink:
    """Two initiative ids found to name the same initiative in two languages, with the evidence."""

    a: str
    b: str
    evidence: str  # "translation": aligned paragraphs of two versions of a document; "embedding": the names' vectors
    score: float  # translation: paragraph pairs agreeing; embedding: cosine of the names
    names: tuple[str, str] = ("", "")


def aligned_paragraphs(a: Document, b: Document) -> list[tuple[Block, Block]]:
    """Paragraphs of two language versions of one document that translate each other.

    By position when both have as many paragraphs and nine in ten printed numbers agree there; else by
    printed number: the n-th paragraph labelled "12." (or "(a)") of one is the n-th so labelled of the other (a
    version without printed numbers that split or merged paragraphs pairs nothing rather than the wrong ones)."""
    ra = [x for x in a.blocks if x.zone != "garbled"]
    rb = [x for x in b.blocks if x.zone != "garbled"]
    if len(ra) == len(rb):
        numbered = [(x.label, y.label) for x, y in zip(ra, rb) if x.label or y.label]
        if sum(p == q for p, q in numbered) >= 0.9 * len(numbered):
            return list(zip(ra, rb))
    labelled_a = [x for x in ra if x.label and x.label not in ("-", "*", "•")]
    labelled_b = [x for x in rb if x.label and x.label not in ("-", "*", "•")]
    if labelled_a and labelled_b:
        index: dict[tuple[str, int], Block] = {}
        seen: dict[str, int] = {}
        for x in labelled_b:
            n = seen[x.label] = seen.get(x.label, -1) + 1
            index[(x.label, n)] = x
        seen = {}
        out = []
        for x in labelled_a:
            n = seen[x.label] = seen.get(x.label, -1) + 1
            y = index.get((x.label, n))
            if y is not None:
                out.append((x, y))
        return out
    return []


def translation_links(a: Document, b: Document, vocab_ids: set[str]) -> list[AliasLink]:
    """Discovered initiatives of two language versions of a document that name the same initiative.

    Each pair of aligned paragraphs is read as `merge_across_languages` reads a paragraph and its translation (one
    initiative of a head class on each side, not named by the same id on both); a pair is kept only when every
    aligned paragraph that pairs either id pairs it with the same other id (precision first)."""
    la, lb = a.language or "en", b.language or "en"
    votes: dict[tuple[str, str], int] = {}
    names: dict[str, str] = {}
    for x, y in aligned_paragraphs(a, b):
        xl, yl = x.language or la, y.language or lb
        if xl == yl:
            continue
        source = _first_by_id(x)
        if not source:
            continue
        for _cls, target, found in _class_pairs(source, _initiatives(y), xl, yl, vocab_ids):
            if not found:
                continue
            pair = (target.id, found[0].id)
            votes[pair] = votes.get(pair, 0) + 1
            names.setdefault(target.id, _name(target, vocab_ids))
            names.setdefault(found[0].id, found[0].text)
    partners: dict[str, set[str]] = {}
    for s, t in votes:
        partners.setdefault(s, set()).add(t)
        partners.setdefault(t, set()).add(s)
    return [AliasLink(s, t, "translation", float(n), (names[s], names[t])) for (s, t), n in sorted(votes.items())
            if len(partners[s]) == 1 and len(partners[t]) == 1]


def embedding_links(names: dict[str, tuple[str, str]], encode, threshold: float, vocab_ids: set[str]) -> list[AliasLink]:
    """Discovered initiatives of different languages whose names the multilingual encoder puts together.

    `names`: id -> (name, language); `encode(texts)` -> L2-normalised rows (the search encoder, passed in by the
    application: extraction does not load models).  Two names pair when they are of the same head class, in two
    languages, each is the other's nearest name of that class and language, and their cosine reaches `threshold`
    (calibrated on translated names of the dev corpus; see docs/extraction.md).  Vocabulary ids are left out: their
    aliases are curated."""
    import numpy as np

    items = [(i, n, lang, head_class(n, lang)) for i, (n, lang) in sorted(names.items()) if i not in vocab_ids]
    items = [it for it in items if it[3]]
    if len(items) < 2:
        return []
    vecs = np.asarray(encode([n for _, n, _, _ in items]), dtype=np.float32)
    groups: dict[tuple[str, str], list[int]] = {}
    for k, (_, _, lang, cls) in enumerate(items):
        groups.setdefault((cls, lang), []).append(k)
    out = []
    for (cls, la), ka in groups.items():
        for (cls_b, lb), kb in groups.items():
            if cls_b != cls or lb <= la:
                continue
            sim = vecs[ka] @ vecs[kb].T
            best_b, best_a = sim.argmax(axis=1), sim.argmax(axis=0)
            for i, j in enumerate(best_b):
                if best_a[j] == i and sim[i, j] >= threshold:
                    x, y = items[ka[i]], items[kb[j]]
                    out.append(AliasLink(x[0], y[0], "embedding", round(float(sim[i, j]), 4), (x[1], y[1])))
    return out


def canonical_ids(links: list[AliasLink], vocab_ids: set[str], languages: dict[str, str]) -> dict[str, str]:
    """alias id -> canonical id: the ids linked together (transitively) become one.  The canonical is the
    vocabulary's id, else the id of the English name, else the smallest id.  A group holding two vocabulary ids
    (the curated list says they differ) or two ids of one language is left apart (precision first).  `languages`: id -> language of its name."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.get(x, x) != x:
            x = parent[x] = parent.get(parent[x], parent[x])
        return x

    for ln in links:
        ra, rb = find(ln.a), find(ln.b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    groups: dict[str, list[str]] = {}
    for x in {i for ln in links for i in (ln.a, ln.b)}:
        groups.setdefault(find(x), []).append(x)
    out: dict[str, str] = {}
    for members in groups.values():
        curated = sorted(m for m in members if m in vocab_ids)
        if len(curated) > 1:
            continue
        langs = [languages.get(m, "") for m in members]
        if len(set(langs)) < len(langs):
            continue  # two ids of one language (two English names): not a translation of each other, left apart
        english = sorted(m for m in members if languages.get(m) == "en")
        canon = curated[0] if curated else english[0] if english else min(members)
        out.update({m: canon for m in members if m != canon})
    return out
