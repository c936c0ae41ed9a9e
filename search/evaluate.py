"""Search quality on judged queries: nDCG@10, MRR and recall@10 per language and query type.

    python -m unkg.search.evaluate            # the repository's evaluation set
    python -m unkg.search.evaluate --json     # one JSON object (figures and per-query ranks)

The set (tests/data/search-eval/): the bundled samples/ plus a small corpus copied from the
dev data (corpus/), and queries.jsonl: queries in en, zh, fr, es, ru and ar written for
secretariat staff (mandates), negotiators (agreed wording, pasted paragraphs) and researchers
(names, topics), each with relevant paragraphs judged by reading them (see make_queries.py).
Judgements name a document file and a snippet of the paragraph's text, so they survive re-ingest.

The corpus is ingested into a temporary home and every query goes through
`Searcher.search_many`, the function the CLI, the HTTP API and the web page call. A hit counts
for a relevant paragraph when it is that paragraph, one with the same text collapsed into it
("also in"), or one of the translations shown beside it. Binary relevance; recall@10 is taken
over min(|relevant|, 10), so a name found in 30 paragraphs can reach 1.0 with ten of them.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import tempfile
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

REPO = Path(__file__).resolve().parents[1]
EVAL_DIR = REPO / "tests" / "data" / "search-eval"
SAMPLES = REPO / "samples"
K = 10


@dataclass
class Judged:
    id: str
    lang: str
    type: str
    user: str
    query: str
    relevant: set[str] = field(default_factory=set)  # paragraph (block) ids


def _norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text or "").split())


def resolve(store, queries: list[dict]) -> list[Judged]:
    """Judgements to the paragraph ids of this ingest; a judgement that matches no paragraph is an error
    (the corpus or the parser changed under it), never silently dropped."""
    from unkg.model import printed_text

    by_file: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for bid, src, kind, label, sep, text in store.printed_paragraphs_by_source():
        if kind in ("heading", "title"):
            continue
        by_file[Path(src).name].append((bid, _norm(printed_text(label, sep, text))))
    out = []
    errors = []
    for q in queries:
        j = Judged(q["id"], q["lang"], q["type"], q["user"], q["query"])
        for rel in q["relevant"]:
            docs = rel.get("docs") or [rel["doc"]]
            snippet = _norm(rel.get("contains") or rel.get("text"))
            found = {bid for d in docs for bid, text in by_file.get(d, []) if snippet in text}
            if not found:
                errors.append(f"{q['id']}: no paragraph of {docs} holds {snippet[:60]!r}")
            j.relevant |= found
        out.append(j)
    if errors:
        raise ValueError("judgements that match no paragraph:\n" + "\n".join(errors))
    return out


def ndcg(ranked: list[set[str]], relevant: set[str], k: int = K) -> float:
    seen: set[str] = set()
    dcg = 0.0
    for i, ids in enumerate(ranked[:k]):
        new = (ids & relevant) - seen
        if new:
            dcg += 1.0 / math.log2(i + 2)
            seen |= new
    ideal = sum(1.0 / math.log2(i + 2) for i in range(min(len(relevant), k)))
    return dcg / ideal if ideal else 0.0


def first_rank(ranked: list[set[str]], relevant: set[str]) -> Optional[int]:
    return next((i + 1 for i, ids in enumerate(ranked) if ids & relevant), None)


def recall(ranked: list[set[str]], relevant: set[str], k: int = K) -> float:
    got = set().union(*ranked[:k]) & relevant if ranked else set()
    return len(got) / min(len(relevant), k)


def hit_ids(hit) -> set[str]:
    return {hit.paragraph_id, *hit.also_in_ids, *(t.paragraph_id for t in hit.translations)}


def run(encoder: Optional[str] = None, home: Optional[Path] = None, queries_file: Optional[Path] = None) -> dict:
    """Ingest the evaluation corpus into a fresh home, run every query, and return the figures."""
    from unkg.corpus.store import Store
    from unkg.extract.task import ParseAndAnnotate
    from unkg.ingest.batch import ingest_paths
    from unkg.settings import Settings
    from unkg.search.engine import Searcher

    queries = [json.loads(line) for line in (queries_file or EVAL_DIR / "queries.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
    with tempfile.TemporaryDirectory(prefix="unkg-eval-") as tmp:
        store = Store(Path(home or tmp) / "unkg.sqlite")
        reports = ingest_paths([str(SAMPLES), str(EVAL_DIR / "corpus")], store, Settings(home=Path(home or tmp)),
                               ParseAndAnnotate())
        failed = [r for r in reports if r.status not in ("ok", "partial")]
        if failed:
            raise RuntimeError(f"ingest failed for {[getattr(r, 'path', r) for r in failed]}")
        judged = resolve(store, queries)
        s = Searcher(store, encoder=encoder)
        s.ensure_index()
        results = s.search_many([j.query for j in judged], top_k=K)
        rows = []
        for j, hits in zip(judged, results):
            ranked = [hit_ids(h) for h in hits]
            fr = first_rank(ranked, j.relevant)
            rows.append({"id": j.id, "lang": j.lang, "type": j.type, "user": j.user, "query": j.query,
                         "relevant": len(j.relevant), "first_relevant": fr,
                         "ndcg": ndcg(ranked, j.relevant), "rr": 1.0 / fr if fr else 0.0, "recall": recall(ranked, j.relevant),
                         "top": [[h.paragraph_id, h.score] for h in hits]})
        s.close()
    return {"queries": rows, "summary": summarise(rows), "encoder": encoder or "default"}


def summarise(rows: list[dict]) -> dict:
    groups: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        groups["all"].append(r)
        groups[f"lang:{r['lang']}"].append(r)
        groups[f"type:{r['type']}"].append(r)
        groups[f"user:{r['user']}"].append(r)
    return {g: {"n": len(rs), "ndcg@10": _mean(rs, "ndcg"), "mrr": _mean(rs, "rr"), "recall@10": _mean(rs, "recall")}
            for g, rs in sorted(groups.items(), key=lambda kv: (kv[0] != "all", kv[0]))}


def _mean(rows: list[dict], key: str) -> float:
    return round(sum(r[key] for r in rows) / len(rows), 4) if rows else 0.0


def table(summary: dict) -> str:
    lines = ["| group | queries | nDCG@10 | MRR | recall@10 |", "| --- | ---: | ---: | ---: | ---: |"]
    for g, m in summary.items():
        lines.append(f"| {g} | {m['n']} | {m['ndcg@10']:.3f} | {m['mrr']:.3f} | {m['recall@10']:.3f} |")
    return "\n".join(lines)


def main(argv: Optional[list[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--encoder", default=None, help="encoder spec (default: UNKG_ENCODER or use-multilingual)")
    ap.add_argument("--json", action="store_true", help="print one JSON object with per-query ranks")
    ap.add_argument("--misses", action="store_true", help="also list the queries whose first relevant hit is not first")
    ap.add_argument("--write-top", default=None, metavar="PATH",
                    help="write every query's ten hits (ids and scores) here: the reference a speed change must keep")
    a = ap.parse_args(argv)
    from unkg.settings import get_settings

    res = run(a.encoder or get_settings().encoder)  # the entry point reads the settings (UNKG_ENCODER)
    if a.write_top:
        Path(a.write_top).write_text("{\n" + ",\n".join(f"  {json.dumps(r['id'])}: {json.dumps(r['top'], ensure_ascii=False)}"
                                                          for r in res["queries"]) + "\n}\n", encoding="utf-8")
    if a.json:
        sys.stdout.write(json.dumps(res, ensure_ascii=False) + "\n")
        return 0
    print(table(res["summary"]))
    if a.misses:
        for r in res["queries"]:
            if r["first_relevant"] != 1:
                print(f"{r['id']:>7} first={r['first_relevant']} ndcg={r['ndcg']:.2f} {r['query'][:90]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
