"""Initiatives found beyond the vocabulary become one graph node across languages.

Real text: the UN Parallel Corpus dev set (tests/data/unpc-dev-en-zh, copied from the dev corpus), 4,000 sentences of UN
documents in English and their Chinese translation, stored as two language versions of one document (the same
symbol, as the language versions of a UN document are stored).  The Chinese file is tokenised by the corpus
("马德里 行动 计划", "1 ."): the spaces it adds are taken out, nothing else is changed.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from unkg.corpus.graph_tables import InitiativeAliasTables
from unkg.extract.aliases import canonical_ids, embedding_links, AliasLink
from unkg.extract.task import ParseAndAnnotate
from unkg.graph.build import ALIAS_COSINE, KnowledgeGraph, _vocab_initiatives, build_graph
from unkg.graph.table_graph import build_tables

from tests.conftest import DATA, REPO
from tests.graph.conftest import mentioned_by, store_of

GOLD = REPO / "extract" / "gold" / "aliases" / "unpc-en-zh.jsonl"
_CJK = "\u3400-\u9fff\u3000-\u303f\uff00-\uffef《》“”、，。"
SYMBOL = "UNPC/DEV"


def _untokenise(line: str) -> str:
    line = re.sub(rf"(?<=[{_CJK}]) +| +(?=[{_CJK}])", "", line)
    return re.sub(r"^(\d+|[A-Z]) \.\s*", r"\1. ", line)


@pytest.fixture(scope="module")
def unpc_docs(tmp_path_factory):
    src = DATA / "unpc-dev-en-zh"
    tmp = tmp_path_factory.mktemp("unpc")
    en = (src / "UNv1.0.devset.en-og").read_text(encoding="utf-8").splitlines()
    zh = [_untokenise(t) for t in (src / "UNv1.0.devset.zh-og").read_text(encoding="utf-8").splitlines()]
    (tmp / "unpc.en.txt").write_text("\n\n".join(en), encoding="utf-8")
    (tmp / "unpc.zh.txt").write_text("\n\n".join(zh), encoding="utf-8")
    parse = ParseAndAnnotate()
    docs = []
    for name in ("unpc.en.txt", "unpc.zh.txt"):
        d = parse(str(tmp / name))
        d.symbol = SYMBOL
        docs.append(d)
    assert [d.language for d in docs] == ["en", "zh"]
    return docs


def test_translated_versions_merge_discovered_initiatives(unpc_docs, tmp_path):
    """English and Chinese versions: "Madrid Plan of Action" and "马德里行动计划" are one node in both graph forms."""
    store = store_of(tmp_path, unpc_docs)
    sg, rep = build_tables(store)
    canon, alias = "initiative:madrid-plan-of-action", "initiative:马德里行动计划"
    assert sg.g.has_node(canon) and not sg.g.has_node(alias)
    assert "马德里行动计划" in sg.g.nodes[canon]["aliases"] and "Madrid Plan of Action" in sg.g.nodes[canon]["aliases"]
    assert mentioned_by(sg.g, canon, "en") >= 1 and mentioned_by(sg.g, canon, "zh") >= 1
    assert sg.names_exact("马德里行动计划") == [canon] or canon in sg.names_containing("马德里行动计划")
    kg, _ = build_graph(store, kg=KnowledgeGraph(), cache=tmp_path / "g.pickle", save=False)
    assert kg.g.has_node(canon) and not kg.g.has_node(alias)
    assert "马德里行动计划" in kg.g.nodes[canon]["aliases"]
    # every merge the translation gave is one-to-one: no canonical takes two names of one language
    links = InitiativeAliasTables(store).links()
    assert links and all(ev == "translation" and grp == SYMBOL for grp, _, _, ev, _ in links)
    ends = [x for _, a, b, _, _ in links for x in (a, b)]
    assert len(ends) == len(set(ends))


def test_a_translation_stored_later_rebuilds_only_itself_and_leaves_with_it(unpc_docs, tmp_path):
    store = store_of(tmp_path, unpc_docs[:1])
    sg, rep = build_tables(store)
    assert sg.g.has_node("initiative:madrid-plan-of-action") and rep.added == 1
    store.put_document(unpc_docs[1].model_copy(deep=True))
    sg, rep = build_tables(store)
    assert (rep.added, rep.updated, rep.unchanged) == (1, 0, 1)  # the English version keeps its ids: not rebuilt
    assert "马德里行动计划" in sg.g.nodes["initiative:madrid-plan-of-action"]["aliases"]
    assert not sg.g.has_node("initiative:马德里行动计划")


def _gold() -> list[dict]:
    return [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if '"alias"' in line]


def test_embedding_merges_are_precise_on_hand_read_names(unpc_docs, capsys):
    """Names of the two versions paired by the multilingual search encoder at the calibrated cosine: every pair the
    gold read by hand is judged; precision must be 1.0 (a wrong merge is worse than a missed one)."""
    from unkg.search.encoders import get_encoder

    encode = get_encoder().encode
    names: dict[str, tuple[str, str]] = {}
    for d in unpc_docs:
        for b in d.blocks:
            for e in b.entities:
                if e.type == "initiative":
                    names.setdefault(e.id, (e.text, b.language or d.language))
    vocab = _vocab_initiatives()
    links = embedding_links(names, encode, ALIAS_COSINE, vocab)
    gold = _gold()
    same = {(g["en"], g["zh"]) for g in gold if g["same"]}
    differ = {(g["en"], g["zh"]) for g in gold if not g["same"]}
    pairs = {tuple(sorted(ln.names, key=lambda n: bool(re.search(r"[\u3400-\u9fff]", n)))) for ln in links}
    judged = [p for p in pairs if p in same or p in differ]
    tp = sum(p in same for p in judged)
    precision = tp / len(judged) if judged else 0.0
    recall = tp / len(same)
    with capsys.disabled():
        print(f"\nembedding merges at cosine {ALIAS_COSINE}: {len(links)} links, judged {len(judged)}, "
              f"precision {precision:.3f}, recall {recall:.3f} ({tp}/{len(same)})")
    assert not any(p in differ for p in pairs)
    assert len(judged) >= 5 and precision == 1.0
    assert ("Madrid Plan of Action", "马德里行动计划") in pairs


def test_canonical_ids_keep_the_vocabulary_and_refuse_two_names_of_one_language():
    vocab = {"initiative:changwon-initiative"}
    langs = {"initiative:changwon-initiative": "en", "initiative:昌原倡议": "zh", "initiative:x-plan": "en",
             "initiative:y-plan": "en", "initiative:某计划": "zh"}
    got = canonical_ids([AliasLink("initiative:昌原倡议", "initiative:changwon-initiative", "translation", 1.0),
                         AliasLink("initiative:x-plan", "initiative:某计划", "embedding", 0.9),
                         AliasLink("initiative:y-plan", "initiative:某计划", "embedding", 0.8)], vocab, langs)
    assert got == {"initiative:昌原倡议": "initiative:changwon-initiative"}


def test_the_graph_takes_embedding_merges_from_an_encoder_passed_in(unpc_docs, tmp_path):
    """The application passes the search encoder's function; the graph never imports search."""
    from unkg.search.encoders import get_encoder

    store = store_of(tmp_path, unpc_docs)
    sg, _ = build_tables(store)
    assert sg.g.has_node("initiative:核安全行动计划")  # no translation evidence for it: two nodes without the encoder
    sg, rep = build_tables(store, encode=get_encoder().encode)
    assert not sg.g.has_node("initiative:核安全行动计划")
    assert "核安全行动计划" in sg.g.nodes["initiative:action-plan-on-nuclear-safety"]["aliases"]
    assert rep.updated == 1 and rep.unchanged == 1  # only the Chinese version names an id that is now an alias
