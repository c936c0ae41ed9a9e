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
from typing import Optional

from unkg.model import Block, Document, Entity

# head-word classes in the six languages (lower case; Chinese heads as printed)
_CLASSES: dict[str, dict[str, tuple[str, ...]]] = {
    "initiative": {"en": ("initiative",), "fr": ("initiative",), "es": ("iniciativa",), "ru": ("инициатив",), "ar": ("مبادرة",), "zh": ("倡议", "举措")},
    "programme": {"en": ("programme", "program"), "fr": ("programme",), "es": ("programa",), "ru": ("программ",), "ar": ("برنامج",), "zh": ("方案", "项目", "计划")},
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
    """The class of an initiative name by its head word (English and Chinese heads end the name;
    French, Spanish, Russian and Arabic heads open it)."""
    low = name.strip().lower()
    for cls, heads in _CLASSES.items():
        for h in heads.get(lang, ()):
            if lang == "zh" and low.endswith(h):
                return cls
            if lang == "en" and re.search(rf"\b{re.escape(h)}s?$", low.split(":")[0].split(" on ")[0].split(" for ")[0].split(" to ")[0]):
                return cls
            words = re.sub(r"^(?:la|le|el|les|los|las|l['’])\s*", "", low).split()
            if lang not in ("en", "zh") and words and (words[0].startswith(h) or words[-1].startswith(h) and lang in ("ru", "fr")):
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
        source: dict[str, Entity] = {}
        for e in _initiatives(src):
            source.setdefault(e.id, e)
        if not source:
            continue
        present = {e.id for e in _initiatives(b)}
        for cls in {head_class(e.name if e.id in vocab_ids else e.text, s_lang) for e in source.values()} - {None}:
            wanted = [e for e in source.values() if head_class(e.name if e.id in vocab_ids else e.text, s_lang) == cls and e.id not in present]
            found = [e for e in _initiatives(b) if e.id not in vocab_ids and e.id not in source and head_class(e.text, t_lang) == cls]
            if len(wanted) != 1:
                continue
            target = wanted[0]
            if len({e.id for e in found}) == 1:
                old = found[0].id
                for e in _initiatives(b):
                    if e.id == old:
                        e.id, e.name = target.id, target.name
                        learned.setdefault(t_lang, {})[e.text] = (target.id, target.name)
            elif not found and t_lang == "zh":
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
