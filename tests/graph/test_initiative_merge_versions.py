"""An initiative named in the English, French, Spanish and Russian versions of one document is one graph node.

Real text: three paragraphs of the UNCCD PRAIS4 reporting manual (chapters SO2, SO4, SO5) in English and in their
published French, Spanish, Russian and Arabic translations (tests/data/prais4-initiatives, copied unchanged from
../shared/corpus-dev/prais4-manual), stored as five language versions of one document (the same symbol), as the
language versions of a UN document are stored.  The translations name the initiatives without quotation marks, by a
head word and the English acronym in brackets ("la Iniciativa Financiera de Biodiversidad (BIOFIN)"), which is how
`extract.initiatives` finds them; the versions' paragraphs are aligned (`extract.aliases.translation_links`).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from unkg.corpus.graph_tables import InitiativeAliasTables
from unkg.extract.task import ParseAndAnnotate
from unkg.graph.build import KnowledgeGraph, build_graph
from unkg.graph.names import norm
from unkg.graph.table_graph import build_tables

from tests.conftest import DATA
from tests.graph.conftest import mentioned_by, store_of

SRC = DATA / "prais4-initiatives"
SYMBOL = "ICCD/PRAIS4/EXCERPT"
LANGS = ("en", "fr", "es", "ru", "ar")
BIOFIN = "initiative:biodiversity-finance-initiative"
BIOFIN_NAMES = {"en": "Biodiversity Finance Initiative", "fr": "initiative de financement de la biodiversité",
                "es": "Iniciativa Financiera de Biodiversidad", "ru": "Инициативы по финансированию биоразнообразия"}
JMP = "initiative:joint-monitoring-programme"


def _parse(path: Path, symbol: str = SYMBOL):
    d = ParseAndAnnotate()(str(path))
    d.symbol = symbol
    return d


@pytest.fixture(scope="module")
def versions():
    docs = [_parse(SRC / f"prais4.{lang}.txt") for lang in LANGS]
    assert [d.language for d in docs] == list(LANGS)
    return docs


def _initiatives(g) -> dict[str, list[str]]:
    return {n: a.get("aliases", []) for n, a in g.nodes(data=True) if n.startswith("initiative:")}


def test_one_node_with_the_name_of_every_version(versions, tmp_path):
    store = store_of(tmp_path, versions)
    sg, _ = build_tables(store)
    kg, _ = build_graph(store, kg=KnowledgeGraph(), cache=tmp_path / "g.pickle", save=False)
    for g in (sg.g, kg.g):
        assert g.has_node(BIOFIN)
        assert set(BIOFIN_NAMES.values()) <= set(g.nodes[BIOFIN]["aliases"])
        for lang in BIOFIN_NAMES:
            assert mentioned_by(g, BIOFIN, lang) == 1, lang
        # no node is left for a translated name on its own
        others = {n: names for n, names in _initiatives(g).items() if n != BIOFIN}
        assert not any(name in names for names in others.values() for name in BIOFIN_NAMES.values())
        # the French "programme commun de suivi (JMP)" is the English "Joint Monitoring Programme (JMP)"
        assert "programme commun de suivi" in g.nodes[JMP]["aliases"] and mentioned_by(g, JMP, "fr") == 1
    for name in BIOFIN_NAMES.values():  # a look-up by any version's name finds the one node
        assert sg.names_exact(norm(name)) == [BIOFIN]
    links = InitiativeAliasTables(store).links()
    assert links and all(ev == "translation" and grp == SYMBOL for grp, _, _, ev, _ in links)
    pairs = {frozenset((a, b)) for _, a, b, _, _ in links}
    assert frozenset((BIOFIN, "initiative:iniciativa-financiera-de-biodiversidad")) in pairs
    # every version pairs with every other: a link never joins the finance initiative to another initiative
    biofin_ids = {BIOFIN} | {x for p in pairs if BIOFIN in p for x in p}
    assert all(p <= biofin_ids or not p & biofin_ids for p in pairs)


def test_different_initiatives_do_not_merge(versions, tmp_path):
    """The monitoring programme and the finance initiative stay two nodes; a paragraph whose English side names two
    platforms (IPBES and its full name) gives the French platform no English partner rather than a guessed one."""
    store = store_of(tmp_path, versions)
    sg, _ = build_tables(store)
    nodes = _initiatives(sg.g)
    assert BIOFIN in nodes and JMP in nodes
    assert not set(nodes[BIOFIN]) & set(nodes[JMP])
    # IPBES: the English paragraph names two platforms ("... on Biodiversity (IPBES)" and "... and Ecosystem Services"),
    # so neither takes a translated name; the French and Spanish names pair with each other only
    fr_platform = "initiative:plateforme-intergouvernementale-scientifique-et-politique-sur-la-biodiversite"
    es_platform = "initiative:plataforma-intergubernamental-cientifico-normativa-sobre-diversidad-biologica"
    platform = next(n for n, names in nodes.items() if "Plateforme intergouvernementale scientifique et politique sur la biodiversité" in names)
    assert platform in (fr_platform, es_platform)
    assert "Plataforma Intergubernamental Científico-Normativa sobre Diversidad Biológica" in nodes[platform]
    assert sg.g.has_node("initiative:intergovernmental-science-policy-platform-on-biodiversity")
    assert sg.g.has_node("initiative:intergovernmental-science-policy-platform-on-biodiversity-and-ecosystem-services")


def test_versions_whose_paragraphs_do_not_face_each_other_merge_nothing(versions, tmp_path):
    """The French paragraphs in another order: aligned by position, the finance initiative's paragraph faces the
    monitoring programme's, and no initiative of one is taken for the other."""
    fr = [p for p in (SRC / "prais4.fr.txt").read_text(encoding="utf-8").split("\n\n") if p.strip()]
    shuffled = tmp_path / "prais4.fr.txt"
    shuffled.write_text("\n\n".join(fr[::-1]) + "\n", encoding="utf-8")
    store = store_of(tmp_path, [versions[0], _parse(shuffled)])
    sg, _ = build_tables(store)
    assert not InitiativeAliasTables(store).links()
    assert "initiative de financement de la biodiversité" not in sg.g.nodes[BIOFIN].get("aliases", [])
    assert "programme commun de suivi" not in sg.g.nodes[JMP].get("aliases", [])
