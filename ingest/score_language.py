"""Score paragraph languages read alone against read in their document, on labelled sentences.

    python -m unkg.ingest.score_language [--pairs DIR] [--json]

The labelled set: the aligned PRAIS4 sentence files (`en-fr.en`, `en-fr.fr`, `en-es.es`, ...), one language per
file, so every sentence's language is known. Documents are built from them in three ways:

- monolingual: 40 consecutive sentences of one file;
- quoted: the same, with every tenth sentence swapped for its aligned sentence in the other language (a French
  report quoting English titles, an English one quoting French);
- bilingual: the aligned sentences of both languages one after the other (a bilingual brief: no majority).

Each sentence ingest reads a language in (`too_short_to_tell`: 12 letters or more) is scored: read alone (`detect_language`, lingua's models of every n-gram order
for a short text) and read in its document (`detect_languages`, what ingest does). Accuracy is reported by length
band, since the two readings differ only under 120 characters.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter, defaultdict
from pathlib import Path
from typing import Iterator

from .language import TRIGRAMS_FROM, detect_language, detect_languages, too_short_to_tell

REPO = Path(__file__).resolve().parents[1]
LATIN = ("en", "fr", "es")
DOC_SIZE = 40
QUOTE_EVERY = 10


def default_pairs() -> Path:
    shared = REPO.parent / "shared" / "corpus-dev" / "prais4-pairs"
    return shared if shared.is_dir() else REPO / "tests" / "data" / "prais4-pairs"


def _aligned(folder: Path) -> Iterator[tuple[str, str, list[tuple[str, str]]]]:
    """(language a, language b, aligned sentence pairs) for each pair of Latin-script files."""
    for a_file in sorted(folder.glob("*-*.*")):
        a, b = a_file.stem.split("-")
        if a_file.suffix[1:] != a or a not in LATIN or b not in LATIN:
            continue
        b_file = folder / f"{a}-{b}.{b}"
        if not b_file.exists():
            continue
        a_lines = a_file.read_text(encoding="utf-8").splitlines()
        b_lines = b_file.read_text(encoding="utf-8").splitlines()
        yield a, b, [(x.strip(), y.strip()) for x, y in zip(a_lines, b_lines) if x.strip() and y.strip()]


def documents(folder: Path) -> Iterator[tuple[str, list[tuple[str, str]]]]:
    """(kind, [(sentence, language)]) for every built document."""
    for a, b, pairs in _aligned(folder):
        for start in range(0, len(pairs), DOC_SIZE):
            chunk = pairs[start:start + DOC_SIZE]
            for lang, other, pick in ((a, b, 0), (b, a, 1)):
                yield "monolingual", [(p[pick], lang) for p in chunk]
                yield "quoted", [((p[1 - pick], other) if i % QUOTE_EVERY == QUOTE_EVERY - 1 else (p[pick], lang))
                                 for i, p in enumerate(chunk)]
            yield "bilingual", [x for p in chunk for x in ((p[0], a), (p[1], b))]


def _band(text: str) -> str:
    letters = sum(c.isalpha() for c in text)
    if letters < 40:
        return "under 40 letters"
    return "40 letters to 119 characters" if len(text[:300]) < TRIGRAMS_FROM else "120 characters or more"


def score(folder: Path) -> dict:
    """Accuracy alone and in context, by document kind and length band."""
    right: dict[tuple[str, str, str], int] = Counter()
    total: dict[tuple[str, str], int] = Counter()
    for kind, sents in documents(folder):
        texts = [t for t, _ in sents]
        in_context = detect_languages(texts)
        for (text, gold), ctx in zip(sents, in_context):
            if too_short_to_tell(text):
                continue
            band, alone = _band(text), detect_language(text)
            for key in ((kind, band), (kind, "all"), ("all", "all")):
                total[key] += 1
                right[(*key, "context")] += ctx == gold
                right[(*key, "alone")] += alone == gold
    out: dict = defaultdict(dict)
    order = ("under 40 letters", "40 letters to 119 characters", "120 characters or more", "all")
    for (kind, band), n in sorted(total.items(), key=lambda kv: (kv[0][0] == "all", kv[0][0], order.index(kv[0][1]))):
        out[kind][band] = {"sentences": n, "alone": right[(kind, band, "alone")] / n,
                           "in_context": right[(kind, band, "context")] / n}
    return dict(out)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pairs", type=Path, default=None, help="folder of aligned sentence files (default: the dev corpus, else tests/data)")
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    folder = a.pairs or default_pairs()
    result = score(folder)
    if a.json:
        print(json.dumps({"pairs": str(folder), "scores": result}))
        return 0
    print(f"paragraph language, alone against in its document ({folder})")
    print(f"{'documents':>12} {'length':>30} {'sentences':>10} {'alone':>7} {'in context':>11}")
    for kind, bands in result.items():
        for band, r in bands.items():
            print(f"{kind:>12} {band:>30} {r['sentences']:>10} {r['alone']:>7.3f} {r['in_context']:>11.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
