"""Per seed document: the facts read in it by a person (every decision reference, every
mandate and sub-paragraph, every actor, country, initiative, target and quantified target,
and the initiative facts), against what `extract` finds.  Precision and recall are printed
and must both reach 0.9.

Facts are compared at document level (a fact counts once however often it is repeated).
A mandate is (decision, normalized verb, sorted addressees, first 8 characters of the action).
"""

from __future__ import annotations

import pytest

from .conftest import action_key, doc_facts, score

A = "actor:"
SEC, GM, COP = "actor:unccd-secretariat", "actor:global-mechanism", "actor:unccd-cop"
ED = "actor:un-habitat-executive-director"


def ents(kind: str, *ids: str) -> set[tuple]:
    return {("ent", kind, i if ":" in i else f"{kind}:{i}") for i in ids}


def actors(*ids: str) -> set[tuple]:
    return {("ent", "actor", i if i.startswith("actor:") else A + i) for i in ids}


def countries(*iso3: str) -> set[tuple]:
    return {("ent", "country", f"country:{c}") for c in iso3}


def mandate(decision, verb_en, addressees, action) -> tuple:
    return ("mandate", decision, verb_en, tuple(sorted(addressees)), action_key(action))


def fact(s, p, o) -> tuple:
    return ("fact", s, p, o)


GOLD: dict[str, set[tuple]] = {}

# 000 — LDN Target Setting Programme 2.0, call for pioneer countries (Chinese)
GOLD["000"] = (
    {("cite", "sdg:target:15.3")}
    | actors("unccd", "unccd-cop", "unccd-spi", "unccd-secretariat", "global-mechanism", "parties", "iucn", "gef", "national-focal-points")
    | ents("initiative", "ldn-tsp", "ldn-tsp-2", "un-decade-ecosystem-restoration")
    | ents("target", "sdg:target:15.3", "target:ldn")
    | {("qty", 130.0, "country"), ("qty", 107.0, "country"), ("qty", 101.0, "country"), ("qty", 450000000.0, "ha"), ("qty", 15.0, "country")}
    | {mandate(None, "invite", ["actor:parties"], "以公函的形式提交其支持请求"),
       # "该公函应：(i) 由……签署" and "支持请求必须在 2023 年 6 月 2 日之前提交": directives without a named addressee
       mandate(None, "recommendation", [], "(i)由《荒漠化"), mandate(None, "obligation", [], "在2023年6月"),
       # "国家缔约方可以改进其‘零增长’目标", "《荒漠化公约》可根据从各国收到的需求……扩大支持"
       mandate(None, "permission", ["actor:parties"], "改进其“零增长”"), mandate(None, "permission", ["actor:unccd"], "根据从各国收到的")}
    | {
        fact("initiative:ldn-tsp", "LAUNCHED_BY", SEC), fact("initiative:ldn-tsp", "LAUNCHED_BY", GM),
        fact("initiative:ldn-tsp-2", "LAUNCHED_BY", SEC), fact("initiative:ldn-tsp-2", "LAUNCHED_BY", GM),
        fact("initiative:ldn-tsp-2", "FUNDED_BY", "actor:gef"), fact("actor:iucn", "PARTNER_OF", "initiative:ldn-tsp-2"),
        fact("initiative:ldn-tsp-2", "PART_OF", "initiative:ldn-tsp"),
    }
)

# 001 — ICCD/COP(16)/18, report quoting decision 22/COP.15 (Chinese)
_3S = "initiative:3s-initiative"
_3S_COUNTRIES = ("BEN", "BFA", "CAF", "TCD", "GMB", "GHA", "MLI", "NER", "NGA", "RWA", "SEN", "ZMB", "ZWE")
GOLD["001"] = (
    {("cite", "decision:22/COP.15"), ("cite", "sdg:target:15.3")}
    | actors("united-nations", "unccd", "unccd-cop", "unccd-secretariat", "global-mechanism", "parties", "un-habitat", "ifad",
             "member-states", "private-sector", "civil-society", "indigenous-peoples-and-local-communities", "developing-countries")
    | countries("SAU", *_3S_COUNTRIES)
    | ents("initiative", "3s-initiative")
    | ents("target", "sdg:target:15.3", "target:ldn")
    | {
        mandate("decision:22/COP.15", "request", [SEC], "就该决定的执行进展情况提交一份报告"),
        mandate("decision:22/COP.15", "request", [GM], "继续支持为可持续性"),
        mandate("decision:22/COP.15", "request", [GM], "评估促进资源调动"),
        mandate("decision:22/COP.15", "request", [GM], "继续支持制定新的举措"),
        mandate("decision:22/COP.15", "request", [SEC], "应请求协助缔约方"),
        mandate("decision:22/COP.15", "request", [SEC], "继续支持旨在促进"),
        mandate("decision:22/COP.15", "request", [SEC], "还要继续加强与联合国"),
        mandate("decision:22/COP.15", "request", [SEC], "分享和支持推广在地方"),
    }
    | {fact(f"country:{c}", "PARTICIPATES_IN", _3S) for c in _3S_COUNTRIES}
    | {fact(GM, "PARTNER_OF", _3S), fact("actor:ifad", "PARTNER_OF", _3S)}
)

# 002 — Changwon Initiative, negotiation training (English and Chinese lines)
_CW = "initiative:changwon-initiative"
GOLD["002"] = (
    actors("ldcs", "sids", "unccd", "korea-forest-service", "national-focal-points", "unccd-secretariat", "unccd-cric", "unccd-cop")
    | countries("UZB", "MNG")
    | ents("initiative", "changwon-initiative")
    | {("qty", 100.0, "participant"), ("qty", 51.0, "person")}
    | {
        fact(_CW, "LAUNCHED_BY", "actor:korea-forest-service"), fact(_CW, "LAUNCHED_IN", "date:2011"),
        fact(_CW, "SUPPORTS", "actor:national-focal-points"), fact(_CW, "SUPPORTS", SEC),
    }
)

# 003 — Kubuqi Action Plan of Global Desertification Control (English)
_KIDF = "initiative:kubuqi-international-desert-forum"
GOLD["003"] = (
    actors("unccd-cop", "unccd", "unccd-secretariat", "china-ministry-of-science-and-technology", "china-state-forestry-administration",
           "inner-mongolia-government", "unep", "ngos", "united-nations", "governments", "civil-society", "private-sector", "aiib",
           "silk-road-fund", "elion-resources-group", "iucn", "developing-countries", "kidf-secretariat", "elion-public-welfare-foundation",
           "chinese-academy-of-sciences", "chinese-academy-of-forestry", "local-communities", "indigenous-peoples-and-local-communities",
           "national-coordinating-group-for-combating-desertification", "central-peoples-government-of-china",
           "college-of-environmental-sciences-and-engineering-of-peking-university", "kubuqi-global-desert-institute",
           "cica-international-research-and-training-center-for-combating-desertification", "university-of-central-asia",
           "federal-university-of-ceara", "argentinian-institute-for-arid-zones", "agrarian-university-of-la-molina",
           "university-of-chile", "center-of-agriculture-and-environment", "center-of-studies-on-arid-zones",
           "pri-mehr-ali-glah-university-of-arid-agriculture-ramalpudj", "karakum-international-university", "sheh-abdul-latif-university",
           "desert-research-center-of-the-ministry-of-agriculture-of-egypt", "arid-zones-institute-of-tunisia", "brazil-bhuth-university",
           "international-center-for-agricultural-research-in-deserts-and-drylands", "arid-land-research-center-of-ben-gurion-university-of-the-negev",
           "northwest-agriculture-and-forestry-university", "beijing-forestry-university", "inner-mongolia-agricultural-university",
           "industrial-technology-innovation-coalition", "stakeholders")
    | countries("NAM", "CHN", "TUR", "BRA", "PER", "CHL", "EGY", "TUN", "ISR")
    | ents("initiative", "kubuqi-action-plan", "kubuqi-international-desert-forum", "kubuqi-action", "un-decade-deserts", "belt-and-road",
           "three-north-shelter-forest-program", "grain-for-green", "greening-silk-road", "ecological-civilization-construction")
    | ents("target", "target:ldn")
    | {
        ("qty", 300.0, "participant"), ("qty", 40.0, "country"), ("qty", 36e6, "km2"), ("qty", 167.0, "country"), ("qty", 40e9, "USD"),
        ("qty", 1e9, "person"), ("qty", 50000.0, "km2"), ("qty", 2.63e6, "km2"), ("qty", 27.13, "percent"), ("qty", 1.73e6, "km2"),
        ("qty", 18.03, "percent"), ("qty", 100000.0, "person"), ("qty", 30.591e9, "RMB"), ("qty", 130e6, "tree"), ("qty", 0.7, "percent"),
        ("qty", 2623700.0, "km2"),
    }
    | {
        mandate(None, "urge", ["actor:governments"], "prioritize allocation"),
        mandate(None, "call upon", ["actor:governments"], "form various coalitions"),
        # recommendations of sections V (paragraphs 18-25) and of paragraph 8: "should" with a named, generic or no subject
        mandate(None, "recommendation", ["actor:civil-organizations", "actor:environment-protection-foundations", "actor:private-sector",
                                         "actor:enterprises", "actor:local-communities"], "be encouraged to play"),
        mandate(None, "recommendation", ["actor:countries"], "strengthen collaboration"),
        mandate(None, "recommendation", ["actor:governments", "actor:enterprises", "actor:public"], "join hands"),
        mandate(None, "recommendation", ["actor:governments"], "fulfill their political commitments"),
        mandate(None, "recommendation", ["actor:governments"], "highlight desertification control"),
        mandate(None, "recommendation", ["actor:governments"], "provide close guidance"),
        mandate(None, "recommendation", ["actor:kidf-secretariat"], "keep in close contact"),
        mandate(None, "recommendation", [], "be attached to technology transfer"),
        mandate(None, "recommendation", [], "be established as far as possible"),
        mandate(None, "recommendation", [], "be leveraged on"),
        mandate(None, "recommendation", [], "be made to assist"),
        mandate(None, "recommendation", [], "be prioritized"),
        mandate(None, "recommendation", [], "be promoted"),
        mandate(None, "recommendation", [], "be taken to improve"),
    }
    | {
        fact("initiative:kubuqi-action-plan", "PART_OF", _KIDF), fact("initiative:kubuqi-action-plan", "ADOPTED_BY", _KIDF),
        fact(_KIDF, "LAUNCHED_IN", "date:2007"),
        fact(_KIDF, "ORGANIZED_BY", "actor:china-ministry-of-science-and-technology"),
        fact(_KIDF, "ORGANIZED_BY", "actor:china-state-forestry-administration"),
        fact(_KIDF, "ORGANIZED_BY", "actor:inner-mongolia-government"),
        fact(_KIDF, "ORGANIZED_BY", "actor:unep"), fact(_KIDF, "ORGANIZED_BY", SEC),
    }
)

# 004 — HSP/EB.2024/6, UN-Habitat Executive Director's report (Chinese)
_HA5 = "resolution:HSP/HA.2/Res.5"
GOLD["004"] = (
    {("cite", c) for c in ("document:HSP/EB.2024/INF/6", "document:HSP/EB.2024/INF/7", "document:HSP/EB.2024/1", "sdg:goal:11",
                           "resolution:HSP/HA.2/Res.6", "resolution:HSP/HA.2/Res.2", "resolution:HSP/HA.2/Res.7",
                           "resolution:HSP/HA.2/Res.8", _HA5, "decision:HSP/EB/2023/B")}
    | actors("united-nations", "un-habitat", "un-habitat-executive-board", ED, "un-habitat-assembly", "member-states", "governments",
             "unesco", "undrr", "unwto", "private-sector", "gcf", "microsoft", "unfccc-cop", "unfccc", "iclei", "un-secretary-general",
             "special-adviser-internal-displacement", "ngos", "uclg", "iied", "unhcr", "world-bank", "iom", "european-union",
             "un-habitat-secretariat", "sids", "internal-displacement-solutions-fund")
    | countries("ISR", "MEX", "MAR", "TUN", "ESP", "USA", "AUS", "CAN", "CHL", "FRA", "ITA", "ZAF", "GBR", "KEN", "CUB", "SLV", "HND",
                "GTM", "CRI", "SOM", "SWE", "SAU", "VNM", "COL", "ETH", "IRQ", "MOZ", "SYR", "LBY", "AFG", "UKR", "PSE")
    | ents("initiative", "inclusive-communities-thriving-cities", "surge", "rise-up", "inclusive-cities", "sdg-cities", "champ",
           "marrakech-partnership", "mega-events-sustainable-urban-development", "nairobi-river-regeneration")
    | ents("target", "sdg:goal:11")
    | {
        ("qty", 22.0, "country"), ("qty", 64.0, "city"), ("qty", 32.0, "country"), ("qty", 60.0, "partner"), ("qty", 9.6e6, "USD"),
        ("qty", 5e6, "USD"), ("qty", 1e6, "USD"), ("qty", 5e7, "USD"), ("qty", 5e8, "USD"), ("qty", 200000.0, "person"),
        ("qty", 16.0, "km"), ("qty", 25.0, "member"),
    }
    | {
        mandate(_HA5, "welcome", [ED], "在联合国气候变化框架公约"),
        mandate(_HA5, "request", [ED], "告知执行局，并随后"),
        mandate(_HA5, "request", [ED], "在人居署工作中进一步"),
        mandate(_HA5, "encourage", [ED], "在联合国气候变化框架公约缔约方会议第二十七届会议间隙"),
        # the COP 27 President's request to UN-Habitat (not from a decision)
        mandate(None, "request", ["actor:un-habitat"], "在宜可城-地方可持续发展协会的协助下"),
    }
    | {
        fact("initiative:inclusive-communities-thriving-cities", "LAUNCHED_BY", "actor:un-habitat"),
        fact("initiative:inclusive-communities-thriving-cities", "LAUNCHED_IN", "date:2019"),
        fact("initiative:surge", "LAUNCHED_BY", "actor:unfccc-cop"),
        fact("actor:iclei", "PARTNER_OF", "initiative:surge"),
        fact("initiative:champ", "LAUNCHED_BY", "actor:unfccc-cop"),
    }
)


@pytest.mark.parametrize("seed", sorted(GOLD))
def test_seed_precision_recall(seed, seed_docs):
    pred = doc_facts(seed_docs[seed])
    gold = GOLD[seed]
    p, r = score(pred, gold)
    print(f"\nseed {seed}: precision={p:.3f} recall={r:.3f} (predicted {len(pred)}, gold {len(gold)}, correct {len(pred & gold)})")
    for f in sorted(gold - pred, key=str):
        print("  missed:  ", f)
    for f in sorted(pred - gold, key=str):
        print("  extra:   ", f)
    assert p >= 0.9 and r >= 0.9, f"seed {seed}: precision {p:.3f}, recall {r:.3f}"


def test_quoted_decision_subparagraphs_inherit_chapeau(seed_docs):
    """ICCD/COP(16)/18 quotes decision 22/COP.15: (a)-(c) to the Global Mechanism, (a)-(d) to the secretariat."""
    doc = seed_docs["001"]
    subs = [(b.label, m) for b in doc.blocks for m in b.mandates if m.chapeau]
    assert [lab for lab, _ in subs] == ["(a)", "(b)", "(c)", "(a)", "(b)", "(c)", "(d)"]
    assert all(m.decision == "decision:22/COP.15" and m.verb == "请" and m.force == "requests" for _, m in subs)
    assert [m.addressees for _, m in subs] == [[GM]] * 3 + [[SEC]] * 4
    # "同一项决定请秘书处在资源允许的情况下：" — the condition passes to every sub-paragraph
    assert all(m.condition == "subject to available resources" for _, m in subs[3:])
    summary = next(m for b in doc.blocks for m in b.mandates if not m.chapeau)
    assert summary.deadline == "COP.16" and summary.issuer == COP


def test_quantity_values(seed_docs):
    q = {e.text: e for b in seed_docs["000"].blocks for e in b.entities if e.type == "quantity"}
    e = q["超过4.5亿公顷"]
    assert (e.value, e.unit, e.qualifier) == (450000000.0, "ha", "超过")
    more = [e for b in seed_docs["002"].blocks for e in b.entities if e.type == "quantity" and e.text.startswith("More than")]
    assert more and (more[0].value, more[0].unit, more[0].qualifier) == (100.0, "participant", "more than")
