"""Gazetteers: the curated UNCCD vocabulary plus the derived reference files in `data/`.

`load()` returns one cached `Vocabulary` with, per UN language, the alias patterns of
actors, countries, initiatives and non-SDG targets, and the names of every node id.
Ids are stable graph node ids: `actor:<slug>`, `country:<ISO3>`, `initiative:<slug>`,
`target:<slug>`.  Relative ids (`@cop`, `@secretariat` ...) are resolved per document by
`resolve_relative()`.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Optional

import yaml

DATA = Path(__file__).resolve().parent / "data"
LANGS = ("en", "fr", "es", "ru", "zh", "ar")


def phrase_slug(phrase: str) -> str:
    """The id part of a generic addressee ("other intergovernmental organs" -> other-intergovernmental-organs):
    lower case, accents decomposed, letters of any script kept, at most 80 characters."""
    s = unicodedata.normalize("NFKD", phrase)
    return re.sub(r"[^\w]+", "-", s.lower()).strip("-")[:80]


def slug(text: str) -> str:
    """An id part from a name: ASCII where the name has Latin letters; a name in another script keeps its own
    letters (an empty slug made every Chinese initiative the one node `initiative:`)."""
    t = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    out = re.sub(r"[^a-z0-9]+", "-", t).strip("-")
    if out:
        return out
    return re.sub(r"[^\w]+", "-", unicodedata.normalize("NFKC", text).lower(), flags=re.UNICODE).strip("-")[:80]


@dataclass(frozen=True)
class Pattern:
    alias: str
    id: str
    type: str  # actor | country | initiative | target
    cased: bool  # match case-sensitively (first letter may be capitalised)


@dataclass
class Vocabulary:
    version: str
    patterns: dict[str, list[Pattern]] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    types: dict[str, str] = field(default_factory=dict)
    relative: dict[str, dict[str, str]] = field(default_factory=dict)  # "@cop" -> {org: id}
    kinds: dict[str, str] = field(default_factory=dict)  # id -> body kind ("cop", "secretariat" ...)
    orgs: dict[str, str] = field(default_factory=dict)  # id -> organisation
    sdg_goals: dict[str, dict[str, str]] = field(default_factory=dict)
    sdg_targets: frozenset = frozenset()
    sdg_indicators: frozenset = frozenset()
    zh_words: list[str] = field(default_factory=list)

    def name(self, node_id: str) -> str:
        return self.names.get(node_id, node_id.split(":", 1)[-1])

    def resolve_relative(self, rel: str, org: Optional[str], recent: dict[str, str]) -> str:
        """A concrete id for a relative body: the document's organisation first, then the
        most recent explicit mention of the same kind, then the entry's default."""
        table = self.relative.get(rel, {})
        if org and org in table:
            return table[org]
        kind = rel[1:]
        if kind in recent:
            return recent[kind]
        return table.get("default", "actor:" + kind)


def _is_cased(alias: str) -> bool:
    return any(ch.isupper() for ch in alias)


@lru_cache(maxsize=1)
def load() -> Vocabulary:
    # libyaml's safe loader where PyYAML was built with it: the same data, read ten times faster (every ingest
    # worker reads this file at its start)
    with open(DATA / "unccd_vocabulary.yaml", encoding="utf-8") as fh:
        raw = yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    v = Vocabulary(version=str(raw["version"]))
    pats: dict[str, list[Pattern]] = {lang: [] for lang in LANGS}
    seen: set[tuple[str, str]] = set()

    def add(lang: str, alias: str, node_id: str, typ: str) -> None:
        alias = alias.strip()
        if not alias or (lang, alias) in seen:
            return
        seen.add((lang, alias))
        pats[lang].append(Pattern(alias, node_id, typ, _is_cased(alias)))
        if lang == "ar" and re.match(r"[\u0600-\u06ff]", alias):
            # Arabic writes "and", "to", "by" as prefixes of the next word: والأمانة, للأمانة, بالأمانة
            for pre in ("و", "ل", "ب", "وال"[:1] + "ب"):
                variant = pre + (alias[1:] if pre == "ل" and alias.startswith("ال") else alias)
                if (lang, variant) not in seen:
                    seen.add((lang, variant))
                    pats[lang].append(Pattern(variant, node_id, typ, False))

    for e in raw["entries"]:
        eid, typ = e["id"], e["type"]
        if eid.startswith("@"):
            v.relative[eid] = dict(e["resolve"])
        else:
            v.names[eid] = e.get("name", eid)
            v.types[eid] = typ
            if e.get("org"):
                v.orgs[eid] = e["org"]
        if e.get("kind"):
            v.kinds[eid] = e["kind"]
        for lang, aliases in (e.get("aliases") or {}).items():
            for a in aliases:
                add(lang, str(a), eid, typ)
                # acronyms and Latin-script names also occur in other-language text ("(COP)", "(LDCs)")
                if lang == "en" and re.fullmatch(r"[A-Z][A-Za-z0-9\-]{1,9}s?", str(a)) and not eid.startswith("@"):
                    for other in LANGS:
                        if other != "en":
                            add(other, str(a), eid, typ)
    # names for resolved relative ids that have no entry of their own
    for rel, table in v.relative.items():
        for org, rid in table.items():
            if rid not in v.names:
                v.names[rid] = f"{rel[1:].replace('-', ' ')} ({org})".capitalize()
                v.types[rid] = "actor"
            v.kinds.setdefault(rid, rel[1:])

    # countries (M49) + curated short forms
    m49_names: dict[str, str] = {}
    for line in open(DATA / "countries.tsv", encoding="utf-8"):
        if line.startswith("#") or not line.strip():
            continue
        iso3, lang, alias = line.rstrip("\n").split("\t")
        cid = f"country:{iso3}"
        if lang == "en" and cid not in m49_names:
            m49_names[cid] = alias
        add(lang, alias, cid, "country")
        if "'" in alias:
            add(lang, alias.replace("'", "’"), cid, "country")
    for lang, aliases in (raw.get("ignore") or {}).items():
        for a in aliases:
            add(lang, str(a), "ignore:" + slug(str(a)), "ignore")
    for iso3, per_lang in (raw.get("country_aliases") or {}).items():
        for lang, aliases in per_lang.items():
            for a in aliases:
                add(lang, str(a), f"country:{iso3}", "country")
    for cid, nm in m49_names.items():
        v.names.setdefault(cid, nm)
        v.types[cid] = "country"

    # UN entities (English names and acronyms; acronyms in every language)
    curated_aliases = {p.alias for p in pats["en"]}
    for line in open(DATA / "un_entities.tsv", encoding="utf-8"):
        if line.startswith("#") or not line.strip():
            continue
        acr, long, _cat = line.rstrip("\n").split("\t")
        if acr in curated_aliases or long in curated_aliases:
            continue
        eid = "actor:" + slug(acr)
        v.names.setdefault(eid, long)
        v.types[eid] = "actor"
        add("en", long, eid, "actor")
        if len(acr) >= 3 and re.fullmatch(r"[A-Z][A-Za-z\-]+", acr):
            for lang in LANGS:
                add(lang, acr, eid, "actor")

    sdg = json.load(open(DATA / "sdg.json", encoding="utf-8"))
    v.sdg_goals = sdg["goals"]
    v.sdg_targets = frozenset(sdg["targets"])
    v.sdg_indicators = frozenset(sdg["indicators"])
    for g, names in v.sdg_goals.items():
        v.names[f"sdg:goal:{g}"] = f"SDG {g}: {names.get('en', '')}".strip()
    v.patterns = pats

    # Chinese user dictionary: UN terms shipped in data/ plus every Chinese alias (its Han runs)
    words = [w.strip() for w in open(DATA / "zh_userdict.txt", encoding="utf-8") if w.strip() and not w.startswith("#")]
    for p in pats["zh"]:
        words.extend(re.findall(r"[\u4e00-\u9fff]{2,}", p.alias))
    v.zh_words = sorted(set(words))
    return v
