"""Citations of decision paragraphs, translations by symbol and label, and precedents, on a small store built here."""

from __future__ import annotations

import hashlib

import pytest

from unkg.corpus.store import Store
from unkg.search.engine import Filters, Searcher
from unkg.search.precedents import find_precedents, word_diff
from unkg.model import Block, Document


def _doc(doc_id, symbol, lang, date, blocks, doc_type="decision"):
    sha = hashlib.sha256((doc_id + str(blocks)).encode()).hexdigest()
    bl = []
    for i, (kind, label, text, *parent) in enumerate(blocks):
        bl.append(Block(id=f"{doc_id}#{i}", ord=i, kind=kind, label=label, text=text, language=lang,
                        parent=f"{doc_id}#{parent[0]}" if parent else None))
    return Document(id=doc_id, source=doc_id, sha256=sha, format="text", symbol=symbol, language=lang,
                    languages=[lang], date=date, doc_type=doc_type, body="COP", blocks=bl)


GENDER_2019 = "Requests the secretariat to support gender-responsive land degradation neutrality target setting in affected country Parties."
GENDER_2022 = "Requests the secretariat and the Global Mechanism to support gender-responsive land degradation neutrality target setting in all affected country Parties."


@pytest.fixture(scope="module")
def small(tmp_path_factory, encoder):
    store = Store(tmp_path_factory.mktemp("dec") / "unkg.sqlite")
    store.put_document(_doc("ICCD/COP(14)/23/Add.1@en", "ICCD/COP(14)/23/Add.1", "en", "2019-09-13", [
        ("heading", None, "Decision 3/COP.14"),
        ("preambular", None, "The Conference of the Parties,"),
        ("operative", "1.", "Invites Parties to implement drought policies."),
        ("operative", "2.", GENDER_2019),
    ]))
    store.put_document(_doc("ICCD/COP(15)/23/Add.1@en", "ICCD/COP(15)/23/Add.1", "en", "2022-05-20", [
        ("heading", None, "Decision 22/COP.15"),
        ("operative", "1.", "Invites Parties to address migration driven by land degradation."),
        ("operative", "2.", "Requests the Global Mechanism:"),
        ("operative", "(a)", "to mobilize resources for land restoration;", 2),
        ("operative", "3.", GENDER_2022),
    ]))
    store.put_document(_doc("ICCD/COP(15)/23/Add.1@fr", "ICCD/COP(15)/23/Add.1", "fr", "2022-05-20", [
        ("heading", None, "Décision 22/COP.15"),
        ("operative", "1.", "Invite les Parties à traiter les migrations dues à la dégradation des terres."),
        ("operative", "2.", "Prie le Mécanisme mondial :"),
        ("operative", "(a)", "de mobiliser des ressources pour la restauration des terres;", 2),
        ("operative", "3.", "Prie le secrétariat et le Mécanisme mondial d'appuyer la définition de cibles de neutralité en matière de dégradation des terres tenant compte des questions de genre."),
    ]))
    s = Searcher(store, encoder=encoder)
    s.ensure_index()
    return s


def test_decision_citation_and_subparagraph(small):
    hits = small.search("mobilize resources for land restoration", filters=Filters(language="en"), top_k=3)
    assert hits[0].citation == "decision 22/COP.15, para. 2 (a)"
    hits = small.search('"gender-responsive land degradation neutrality"', top_k=5)
    cites = [h.citation for h in hits if h.exact]
    assert cites[:2] == ["decision 3/COP.14, para. 2", "decision 22/COP.15, para. 3"] or set(cites[:2]) == {
        "decision 3/COP.14, para. 2", "decision 22/COP.15, para. 3"}


def test_translations_by_symbol_and_label(small):
    hit = small.search("address migration driven by land degradation", filters=Filters(language="en"), top_k=1)[0]
    assert hit.citation == "decision 22/COP.15, para. 1"
    assert [(t.language, t.via) for t in hit.translations] == [("fr", "symbol+label")]
    assert hit.translations[0].text.startswith("Invite les Parties")
    assert hit.translations[0].citation == "decision 22/COP.15, para. 1"


def test_filters_verb_body_session_do_not_error(small):
    assert small.search("land", filters=Filters(body="COP", kind="operative", language="en"), top_k=3)
    assert small.search("land", filters=Filters(session="99"), top_k=3) == []
    assert small.search("land", filters=Filters(actor="Global Mechanism"), top_k=3) == []  # no extraction annotations here


def test_precedents_oldest_first_with_word_diff(small):
    pid = "ICCD/COP(15)/23/Add.1@en#4"
    found = find_precedents(small, paragraph_id=pid)
    assert [p.paragraph_id for p in found] == ["ICCD/COP(14)/23/Add.1@en#3"]
    p = found[0]
    assert p.citation == "decision 3/COP.14, para. 2" and not p.identical and p.similarity > 0.8
    assert "{+and the Global Mechanism+}" in p.diff and "{+all+}" in p.diff


def test_precedents_for_pasted_text_include_identical(small):
    found = find_precedents(small, text=GENDER_2019)
    assert found[0].identical and found[0].date == "2019-09-13"
    assert [p.date for p in found] == sorted(p.date for p in found)


def test_word_diff():
    diff, ops, ratio = word_diff("Requests the secretariat to act", "Requests the Global Mechanism to act")
    assert diff == "Requests the [-secretariat-] {+Global Mechanism+} to act"
    assert ops == [{"op": "replace", "old": "secretariat", "new": "Global Mechanism"}]
    assert 0.5 < ratio < 1
