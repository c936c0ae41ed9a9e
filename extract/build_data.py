"""Derive the compact gazetteer files in `extract/data/` from the shared reference data.

Run once when the reference data changes (the outputs are committed so the package stands
alone)::

    python -m unkg.extract.build_data ../shared/reference

Outputs: `countries.tsv` (ISO3, language, alias), `un_entities.tsv` (acronym, English name,
category) and `sdg.json` (goal short titles in six languages, target and indicator ids).
"""

from __future__ import annotations

import csv
import json
import re
import sys
from pathlib import Path

import yaml

DATA = Path(__file__).resolve().parent / "data"
LANG_DIRS = {"en": "en", "fr": "fr", "es": "es", "ru": "ru", "zh": "zh-Hans", "ar": "ar"}
SKIP_CATEGORIES = {"Peacekeeping Operations", "Special Political Missions and Other Political Presences",
                   "Special Advisers, Representatives, Advocates and Envoys"}


def _clean(name: str) -> str:
    name = re.sub(r"\s*\((the|la|le|les|el|los|las)\)\s*$", "", name.strip())
    return name.replace("’", "'").strip()


def build_countries(ref: Path) -> list[tuple[str, str, str]]:
    rows = list(csv.DictReader(open(ref / "m49" / "countries_territories_taxonomy.csv", encoding="utf-8")))
    cols = {
        "en": ["Preferred Term", "English Short", "ISO Alt Term", "M49 English"],
        "fr": ["French Short", "M49 French"],
        "es": ["Spanish Short", "M49 Spanish"],
        "ru": ["Russian Short", "M49 Russian"],
        "zh": ["Chinese Short", "M49 Chinese"],
        "ar": ["Arabic Short", "M49 Arabic"],
    }
    out: list[tuple[str, str, str]] = []
    seen = set()
    for r in rows:
        iso3 = r["ISO 3166-1 Alpha 3-Codes"].strip()
        if not iso3 or r["Deprecated"] == "Y":
            continue
        for lang, cs in cols.items():
            for c in cs:
                v = r.get(c, "") or ""
                if not v.strip():
                    continue
                for name in {v.strip(), _clean(v)}:
                    key = (iso3, lang, name)
                    if key not in seen and len(name) > 1:
                        seen.add(key)
                        out.append(key)
    return out


def build_entities(ref: Path) -> list[tuple[str, str, str]]:
    data = json.load(open(ref / "un-entities" / "un-entities.json", encoding="utf-8"))
    out = []
    for e in data:
        if e.get("category") in SKIP_CATEGORIES:
            continue
        acr, long = (e.get("entity") or "").strip(), (e.get("entity_long") or "").strip()
        if acr and long:
            out.append((acr, long, e.get("category") or ""))
    return out


def build_sdg(ref: Path) -> dict:
    sdg = ref / "sdg-translations"
    goals: dict[str, dict[str, str]] = {}
    for lang, d in LANG_DIRS.items():
        g = yaml.safe_load(open(sdg / d / "global_goals.yml", encoding="utf-8"))
        for k, v in g.items():
            m = re.match(r"^(\d+)-short$", k)
            if m:
                goals.setdefault(m.group(1), {})[lang] = str(v).strip()
    t = yaml.safe_load(open(sdg / "en" / "global_targets.yml", encoding="utf-8"))
    targets = sorted({k[: -len("-title")].replace("-", ".") for k in t if k.endswith("-title")}, key=_idkey)
    i = yaml.safe_load(open(sdg / "en" / "global_indicators.yml", encoding="utf-8"))
    indicators = sorted({k[: -len("-title")].replace("-", ".") for k in i if k.endswith("-title")}, key=_idkey)
    return {"goals": goals, "targets": targets, "indicators": indicators}


def _idkey(s: str):
    return [int(p) if p.isdigit() else 100 + ord(p[0]) for p in s.split(".")]


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    ref = Path(argv[0] if argv else Path(__file__).resolve().parents[2] / "shared" / "reference")
    DATA.mkdir(exist_ok=True)
    with open(DATA / "countries.tsv", "w", encoding="utf-8") as f:
        f.write("# derived from UN M49 countries_territories_taxonomy.csv by extract/build_data.py\n")
        for row in build_countries(ref):
            f.write("\t".join(row) + "\n")
    with open(DATA / "un_entities.tsv", "w", encoding="utf-8") as f:
        f.write("# derived from un-entities.json by extract/build_data.py\n")
        for row in build_entities(ref):
            f.write("\t".join(row) + "\n")
    with open(DATA / "sdg.json", "w", encoding="utf-8") as f:
        json.dump(build_sdg(ref), f, ensure_ascii=False, separators=(",", ":"))
    print("wrote", DATA)


if __name__ == "__main__":
    main()
