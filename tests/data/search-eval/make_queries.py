"""How queries.jsonl was written (kept as a record; queries.jsonl is the data the evaluation reads).

Each query was written by hand for one of three users after reading the paragraphs of the
evaluation corpus, and its relevant paragraphs were judged by reading them:

- secretariat staff ("mandate"): what a body asked of an addressee;
- negotiators ("wording"): agreed wording, earlier precedents, a pasted paragraph;
- researchers ("name", "topic"): a name, a subject, a few keywords.

A judgement names a document (file name) and a snippet of the paragraph's text: the relevant
paragraphs are those of that document whose printed text holds the snippet (headings and titles
left out: a heading is shown as the section of its paragraphs). Name queries are judged by the
name itself: every paragraph of the listed documents that contains the name (in the query's
language; in other languages only where the corpus has none in the query's language).

The PRAIS4 chapter exists in six languages; a query in French about a paragraph is judged
relevant to the French paragraph that translates it: `so3("en snippet", lang)` reads the
manual's translation catalogue (../shared/corpus-dev/prais4-manual) once, when this file is run,
and writes the translated paragraph's own opening into queries.jsonl.

    python tests/data/search-eval/make_queries.py ../shared/corpus-dev
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from make_corpus import po_entries  # noqa: E402

S0, S1, S2, S3, S4 = ("000_327044c4acd752c5.txt", "001_309b4cd226994121.txt", "002_ccf872ac2b766316.txt",
                      "003_fba4fe6ec1bb1a00.txt", "004_e1f12ea3a28a2498.txt")
R62, R66, R71, R75 = "A_RES_62_193.txt", "A_RES_66_201.txt", "A_RES_71_229.txt", "A_RES_75_218.txt"
H1, H2, U7 = "HSP_HA.2_Res.1.txt", "HSP_HA.2_Res.2.txt", "UNEP_EA.6_RES.7.txt"
LOC = {"fr": "fr", "es": "es", "ru": "ru", "zh": "zh_CN", "ar": "ar"}
_CAT: dict[str, list[tuple[str, str]]] = {}


def P(lang: str) -> str:
    return f"PRAIS4_SO3.{lang}.md"


def so3(en: str, lang: str, n: int = 60) -> dict:
    """The paragraph of the PRAIS4 chapter in `lang` that translates the English one holding `en`."""
    if lang == "en":
        return {"doc": P("en"), "text": en}
    cat = _CAT[lang]
    hits = [s for i, s in cat if en in i]
    assert len(hits) == 1, (en, lang, len(hits))
    return {"doc": P(lang), "text": " ".join(hits[0].split())[:n].rsplit(" ", 1)[0] if lang != "zh" else hits[0][:24]}


def pasted(en: str, lang: str) -> str:
    """A paragraph of the chapter as a negotiator pastes it: the translation's full text."""
    hits = [s for i, s in _CAT[lang] if en in i]
    assert len(hits) == 1
    return " ".join(hits[0].split())


def t(doc: str, text: str) -> dict:
    return {"doc": doc, "text": text}


def name(docs: list[str], text: str) -> dict:
    return {"docs": docs, "contains": text}


Q: list[dict] = []


def q(lang: str, typ: str, query: str, *rel: dict) -> None:
    user = {"mandate": "secretariat", "wording": "negotiator", "name": "researcher", "topic": "researcher"}[typ]
    Q.append({"id": f"{lang}-{sum(1 for x in Q if x['lang'] == lang) + 1:03d}", "lang": lang, "type": typ, "user": user,
              "query": query, "relevant": list(rel)})


ALL_EN = [S2, S3, R62, R66, R71, R75, H1, H2, U7, P("en")]

# the PRAIS4 paragraphs asked about in every language: (English opening, what the paragraph says)
SO3_TOPICS = [
    "Drought is defined as a period of dry weather",
    "Indicator SO 3-2 defines the exposure of the population",
    "The UNCCD approach to assessing drought vulnerability is based on a composite index",
    "Parties wishing to use in-country data provided by the NMHS",
    "There are several drought indices that might be used",
    "In order to normalize the 12-month precipitation accumulation",
    "The proportion of land in each drought intensity class is calculated",
    "Project the drought intensity class grid into a suitable equal area projection",
    "Tier 1 Vulnerability Assessment (VA)",
    "The UNCCD recommends normalizing factors using the maximum and minimum values",
    "The DVI ranges from 0 to 1",
    "Due to the methods used for factor normalization",
    "The WorldPop sex-disaggregated national datasets",
    "The methodology only considers population density and distribution",
    "Internationally available precipitation data might not be sufficiently accurate",
    "While the SPI is recommended as a well-established",
    "Data should be continuous where possible",
    "Once verified by the Parties, the estimated drought hazard values",
    "Parties may assign weights to the vulnerability factors",
    "Because of the natural climate variability",
]


def build() -> None:
    T = SO3_TOPICS
    # ---------------------------------------------------------------- English
    q("en", "name", "Changwon Initiative", name([S2], "Changwon Initiative"))
    q("en", "name", "Kubuqi International Desert Forum", name([S3], "Kubuqi International Desert Forum"), t(S3, "The Forum recalled the relevant chapters"))
    q("en", "name", "Global Precipitation Climatology Centre", name([P("en")], "Global Precipitation Climatology Centre"))
    q("en", "name", "WorldPop", name([P("en")], "WorldPop"))
    q("en", "name", "Trends.Earth", name([P("en")], "Trends.Earth"))
    q("en", "name", "Joint Research Centre", name([P("en")], "Joint Research Centre"))
    q("en", "name", "Land Degradation Neutrality Fund", name(ALL_EN, "Land Degradation Neutrality Fund"))
    q("en", "name", "Participatory Slum Upgrading Programme", name([H2], "Participatory Slum Upgrading Programme"))
    q("en", "name", "UNITAC", name([H1], "UNITAC"))
    q("en", "name", "New Delhi Declaration", name(ALL_EN, "New Delhi Declaration"))
    q("en", "name", "Windhoek Declaration", name(ALL_EN, "Windhoek Declaration"))
    q("en", "name", "Joint Inspection Unit", name(ALL_EN, "Joint Inspection Unit"))
    q("en", "name", "Drought Vulnerability Index", name([P("en")], "Drought Vulnerability Index"))
    q("en", "name", "Korea Forest Service", name([S2], "Korea Forest Service"))
    q("en", "name", "UN-Women", name(ALL_EN, "UN-Women"))
    q("en", "name", "Elion Resources Group", name([S3], "Elion Resources Group"))
    q("en", "mandate", "requests the Executive Director of UN-Habitat",
      t(H1, "Requests the Executive Director of UN-Habitat to further support"), t(H1, "Requests the Executive Director, subject to the availability of funding"),
      t(H1, "Also requests the Executive Director to ensure an inclusive consultation"), t(H1, "Requests the Executive Director to report to the Executive Board"),
      t(H2, "Requests the Executive Director to mobilize"), t(H2, "Also requests the Executive Director to consult"), t(H2, "Further requests the Executive Director to"))
    q("en", "mandate", "Secretary-General report on the implementation of the present resolution",
      t(R62, "Requests the Secretary-General to submit a report on the implementation of the present resolution"),
      t(R66, "Requests the Secretary-General to submit to the General Assembly at its sixty-seventh session"),
      t(R71, "Requests the Secretary-General to submit to the General Assembly at its seventy-second session"),
      t(R75, "Requests the Secretary-General to submit to the General Assembly at its seventy-sixth session"))
    q("en", "mandate", "invites Member States and donors to contribute to the Land Degradation Neutrality Fund",
      t(R75, "Notes with appreciation the financial contributions that have been made by Member States"))
    q("en", "mandate", "UNEP Executive Director report to the Environment Assembly at its seventh session",
      t(U7, "to report to the United Nations Environment Assembly at its seventh session"))
    q("en", "mandate", "Executive Director to organize a workshop on sand and dust storms", t(U7, "to organize a workshop"))
    q("en", "mandate", "provision for the sessions of the Conference of the Parties in the programme budget",
      t(R62, "Requests the Secretary-General to make provision for the sessions"), t(R66, "Decides to include in the United Nations calendar of conferences"),
      t(R75, "Decides to include, in the United Nations calendar of conferences"))
    q("en", "mandate", "full support to the Executive Secretary of the Convention in the fulfilment of his mandate",
      t(R62, "Invites the States parties to the Convention to provide the new Executive Secretary"), t(R75, "Reiterates its invitation to the parties to the Convention to provide the Executive Secretary"))
    q("en", "mandate", "Global Environment Facility allocations to the land degradation focal area",
      t(R66, "Invites the Global Environment Facility, in further enhancing resource allocation"),
      t(R62, "Recalls the fourth replenishment of the Global Environment Facility Trust Fund"))
    q("en", "mandate", "developed country parties to support developing countries financially",
      t(R71, "Encourages developed countries party to the United Nations Convention"), t(R71, "Also encourages developed countries party to the Convention, and invites other countries"),
      t(R75, "Encourages developed countries party to the Convention and other relevant stakeholders"),
      t(R62, "Invites developed countries parties to the Convention and other Governments"))
    q("en", "mandate", "technical guideline for a multiple partnership approach to slum transformation", t(H2, "develop a technical guideline for a multiple partnership approach"))
    q("en", "mandate", "what is asked of the KIDF Secretariat", t(S3, "The KIDF Secretariat should keep in close contact"), t(S3, "Improving the mechanism and operation of the KIDF"),
      t(S3, "Facilitating the cooperation between the Secretariat of the KIDF"))
    q("en", "mandate", "invites the President of the General Assembly to organize a high-level meeting", t(R75, "Invites the President of the General Assembly"))
    q("en", "wording", "Reiterates its invitation to the parties to the Convention to provide the Executive Secretary of the Convention with full support in the fulfilment of his mandate and in promoting the implementation of the Convention",
      t(R75, "Reiterates its invitation to the parties to the Convention to provide the Executive Secretary"), t(R62, "Invites the States parties to the Convention to provide the new Executive Secretary"))
    q("en", "wording", "Recognizes the benefits gained from cooperation through the sharing of climate and weather information, forecasting and early warning systems related to desertification, land degradation and drought",
      t(R71, "Recognizes the benefits gained from cooperation through the sharing of climate"), t(R75, "Recognizes the benefits gained from cooperation through the sharing of climate"))
    q("en", "wording", "Reaffirms its resolve to support and strengthen the implementation of the Convention with a view to addressing causes of desertification and land degradation",
      t(R62, "Reaffirms its resolve to support and strengthen"), t(R66, "Reaffirms its resolve to support and strengthen"))
    q("en", "wording", "\"land degradation-neutral world\"", name(ALL_EN, "land degradation-neutral world"))
    q("en", "wording", "welcoming the Paris Agreement and its early entry into force",
      t(R71, "Welcoming the Paris Agreement and its early entry into force"), t(R75, "Reaffirming the Paris Agreement and its early entry into force"))
    q("en", "wording", "Addis Ababa Action Agenda integral part of the 2030 Agenda",
      t(R71, "Reaffirming also its resolution 69/313 of 27 July 2015"), t(R75, "Reaffirming its resolution 69/313 of 27 July 2015"))
    q("en", "wording", "decides to include in the provisional agenda under the item Sustainable development the sub-item Implementation of the Convention",
      t(R66, "Also decides to include in the provisional agenda of its sixty-seventh session"), t(R71, "Requests the Secretary-General to submit to the General Assembly at its seventy-second session"),
      t(R75, "Requests the Secretary-General to submit to the General Assembly at its seventy-sixth session"), t(R62, "Decides to include in the provisional agenda of its sixty-third session"))
    q("en", "wording", "expressing its deep appreciation to the Government for hosting the session of the Conference of the Parties",
      t(R62, "Expressing its deep appreciation to the Government of Spain"), t(R66, "Expressing its deep appreciation to the Government of the Republic of Korea"),
      t(R75, "Reiterating its appreciation to the Government of India"))
    q("en", "wording", "integrate drought risk management, climate information and climate change impact assessments into policymaking", t(R75, "integrate drought risk management"))
    q("en", "wording", "land-based solutions as part of nature-based solutions", t(R75, "Recognizes that land-based solutions"))
    q("en", "wording", "legally recognize rights to equal use and ownership of land for women", t(R75, "legally recognize rights to equal use and ownership of land for women"))
    q("en", "wording", "the right to privacy in the digital age", t(H1, "The right to privacy in the digital age"))
    q("en", "topic", "gender equality and women in combating desertification",
      t(R75, "Recognizes that gender equality and the empowerment of women and girls"), t(R75, "legally recognize rights to equal use and ownership of land for women"),
      t(R71, "Reiterates that the United Nations Conference on Sustainable Development reaffirmed women’s vital role"))
    q("en", "topic", "COVID-19 pandemic", name(ALL_EN, "COVID-19"))
    q("en", "topic", "sand and dust storms early warning", t(U7, "Invites Member States to build capacity relating to research, modelling and early warning"),
      t(R75, "Recognizes the benefits gained from cooperation through the sharing of climate"), t(R71, "Recognizes the benefits gained from cooperation through the sharing of climate"))
    q("en", "topic", "slum upgrading secure tenure", t(H2, "Noting that a slum is an informal settlement"), t(H2, "Manage land: Recognize the social function"),
      t(H2, "Appreciating the contribution of the Participatory Slum Upgrading Programme"))
    q("en", "topic", "smart cities cybersecurity", t(H1, "Safeguarding public trust by putting cybersecurity measures in place"))
    q("en", "topic", "negotiation training for delegates", t(S2, "Enabled by the Changwon Initiative, the UNCCD Secretariat developed"),
      t(S2, "More than 100 participants took part in the training"), t(S2, "One of the clearest lessons from this initiative"), t(S2, "When the COVID-19 pandemic disrupted in-person meetings"))
    q("en", "topic", "euro as budgetary and accounting currency", t(R62, "adopting the euro as the budgetary and accounting currency"))
    q("en", "topic", "drought vulnerability factor normalization", so3(T[9], "en"), t(P("en"), "After normalization, all factors have a value of between zero and one"),
      t(P("en"), "Factor normalization: factors for each vulnerability component"), t(P("en"), "In all tiers of VA, factors should be normalized"))
    q("en", "topic", "population exposed to drought by sex", t(P("en"), "Similarly, if sex disaggregated data is used, the number of males and females"),
      so3(T[1], "en"), t(P("en"), "Count and percentage of total, female and male population exposed"))
    q("en", "topic", "Mollweide equal area projection", so3(T[7], "en"))
    # ---------------------------------------------------------------- Chinese
    Z = "zh"
    q(Z, "name", "昌原倡议", name([S2], "昌原倡议"))
    q(Z, "name", "\"昌原倡议\"", name([S2], "昌原倡议"))
    q(Z, "name", "土地退化零增长目标设定方案", name([S0], "土地退化零增长目标设定方案"))
    q(Z, "name", "可持续、稳定和安全倡议", name([S1], "可持续、稳定和安全倡议"))
    q(Z, "name", "为下一代打造可持续的城市韧性", name([S4], "为下一代打造可持续的城市韧性"))
    q(Z, "name", "包容性社区、繁荣城市", name([S4], "包容性社区、繁荣城市"))
    q(Z, "name", "韩国林务局", name([S2], "韩国林务局"))
    q(Z, "name", "宜可城-地方可持续发展协会", name([S4], "宜可城-地方可持续发展协会"))
    q(Z, "name", "城乡联系与土地初级读本", name([S1], "城乡联系与土地初级读本"))
    q(Z, "name", "第 22/COP.15 号决定", name([S1], "22/COP.15"))
    q(Z, "topic", "性别平等 零增长目标", t(S0, "在这一背景下，并考虑到缔约方会议第十五届会议"))
    q(Z, "topic", "侨民投资 汇款 气候韧性", t(S1, "在非洲，移民汇款和侨民投资"), t(S1, "农发基金和全球机制提出的“可持续、稳定和安全倡议”实施提案"),
      t(S1, "采用创新方法利用侨民投资来培养"), t(S1, "采用创新方法利用汇款来培养"), t(S1, "就过去开展的旨在促进侨民进行绿色的气候适应型投资"))
    q(Z, "topic", "城乡联系 被迫移民", t(S1, "加强城乡联系以减少被迫移民现象"), t(S1, "自缔约方会议第十三届会议以来，缔约方承认"))
    q(Z, "topic", "绿色和蓝色基础设施", t(S1, "绿色和蓝色基础设施可为通常由灰色基础设施支持"))
    q(Z, "topic", "散沙式的土地治理", t(S1, "散沙式的土地治理工作，也许是最重大的挑战"), t(S1, "散沙式的土地治理，也许是解决城乡不平等方面最重大的挑战"))
    q(Z, "topic", "城市复兴 贫民窟改造", t(S4, "通过城市综合行动在中美洲进行城市复兴和贫民窟改造"))
    q(Z, "topic", "难民营 社会和经济潜力", t(S4, "通过基于地区的复兴释放肯尼亚难民营"))
    q(Z, "topic", "备选方案 核心供资", t(S4, "关于供资，备选方案2每年将需要100万美元"), t(S4, "关于供资，备选方案3每年将需要500万美元"), t(S4, "在供资方面，除非 2026–2029 年期间"))
    q(Z, "topic", "谈判培训 国家联络点", t(S2, "这就是昌原倡议的由来"), t(S2, "在昌原倡议的推动下"))
    q(Z, "mandate", "第22/COP.15号决定请秘书处", t(S1, "同一项决定请秘书处在资源允许的情况下"))
    q(Z, "mandate", "请全球机制继续支持调动资源", t(S1, "第 22/COP.15 号决定请全球机制"), t(S1, "继续支持为可持续性、稳定和安全倡议调动资源"))
    q(Z, "mandate", "人居大会请执行主任加强城市气候行动", t(S4, "在同一决议中，人居大会请执行主任"))
    q(Z, "mandate", "邀请国家缔约方提交支持请求", t(S0, "全球机制非常高兴地邀请国家缔约方以公函的形式提交其支持请求"))
    q(Z, "wording", "该国已完成其“零增长”目标设定进程", t(S0, "该国已完成其“零增长”目标设定进程"))
    q(Z, "topic", "干旱的定义", so3(T[0], Z))
    q(Z, "topic", "干旱脆弱性指数 综合指数", so3(T[2], Z))
    q(Z, "topic", "等面积投影 Mollweide", so3(T[7], Z))
    q(Z, "topic", "DVI值 国家之间比较", so3(T[11], Z))
    q(Z, "topic", "数据完整性低于85% 填补数据空白", so3(T[16], Z))
    q(Z, "wording", "如果知道脆弱性系数的相对重要性和相关性，缔约方可以给这些系数分配权重", so3(T[18], Z))
    q(Z, "topic", "标准化降水指数 SPEI", so3(T[4], Z))
    # ---------------------------------------------------------------- French, Spanish, Russian, Arabic (PRAIS4 chapter + cross-language)
    FR = [
        (0, "définition de la sécheresse"),
        (1, "exposition de la population à la sécheresse"),
        (2, "indice de vulnérabilité à la sécheresse indice composite"),
        (3, "données nationales de précipitations arbre de décision"),
        (4, "indices de sécheresse IPN"),
        (5, "période de référence 1981-2010 normalisation des précipitations"),
        (6, "proportion des terres par catégorie d'intensité de sécheresse"),
        (7, "projection à surface égale Mollweide"),
        (8, "évaluation de la vulnérabilité de niveau 1"),
        (9, "normaliser les facteurs valeurs maximales et minimales"),
        (11, "comparer les valeurs de l'indice de vulnérabilité entre pays"),
        (12, "données WorldPop ventilées par sexe"),
        (13, "exposition des écosystèmes à la sécheresse"),
        (14, "exactitude des données internationales sur les précipitations"),
        (16, "combler les lacunes des données"),
        (18, "pondération des facteurs de vulnérabilité"),
    ]
    for i, text in FR:
        q("fr", "topic", text, so3(T[i], "fr"))
    q("fr", "name", "Initiative de Changwon", name([S2], "Changwon Initiative"))
    q("fr", "mandate", "prie le Directeur exécutif d'ONU-Habitat",
      t(H1, "Requests the Executive Director of UN-Habitat to further support"), t(H1, "Requests the Executive Director, subject to the availability of funding"),
      t(H1, "Also requests the Executive Director to ensure an inclusive consultation"), t(H1, "Requests the Executive Director to report to the Executive Board"),
      t(H2, "Requests the Executive Director to mobilize"), t(H2, "Also requests the Executive Director to consult"), t(H2, "Further requests the Executive Director to"))
    q("fr", "topic", "tempêtes de sable et de poussière", t(U7, "Recognizing that, in the past few years, exacerbated sand and dust storms"),
      t(U7, "Invites Member States to build capacity relating to research, modelling and early warning"), t(U7, "Addressing sand and dust storms through integrated practical interventions"),
      t(U7, "Stressing the need to enhance cooperation at the global and regional levels"))
    q("fr", "topic", "bidonvilles et établissements informels d'ici 2030", t(H2, "Urges the transformation of slums and informal settlements by 2030"),
      t(H2, "Calls for the use of the seven years remaining until 2030"), t(H2, "Encourages Member States to accelerate transformative action in slums"))
    ES = [
        (0, "definición de sequía"),
        (1, "exposición de la población a la sequía"),
        (2, "índice de vulnerabilidad a la sequía"),
        (3, "datos nacionales de precipitación árbol de decisión"),
        (4, "índices de sequía SPEI"),
        (5, "período de referencia 1981-2010"),
        (6, "proporción de tierras por clase de intensidad de sequía"),
        (7, "proyección de áreas iguales Mollweide"),
        (8, "evaluación de la vulnerabilidad de nivel 1"),
        (10, "el IVS oscila entre 0 y 1"),
        (11, "no comparar valores del IVS entre países"),
        (12, "conjuntos de datos de WorldPop desglosados por sexo"),
        (14, "precisión de los datos internacionales de precipitación"),
        (15, "limitaciones del índice normalizado de precipitación"),
        (17, "presentar los valores de peligro de sequía a la CLD"),
        (19, "variabilidad natural del clima tendencias"),
    ]
    for i, text in ES:
        q("es", "topic", text, so3(T[i], "es"))
    q("es", "name", "Iniciativa de Changwon", name([S2], "Changwon Initiative"))
    q("es", "mandate", "solicita al Secretario General que presente un informe sobre la aplicación de la presente resolución",
      t(R62, "Requests the Secretary-General to submit a report on the implementation of the present resolution"),
      t(R66, "Requests the Secretary-General to submit to the General Assembly at its sixty-seventh session"),
      t(R71, "Requests the Secretary-General to submit to the General Assembly at its seventy-second session"),
      t(R75, "Requests the Secretary-General to submit to the General Assembly at its seventy-sixth session"))
    q("es", "topic", "ciudades inteligentes centradas en las personas", t(H1, "Requests the Executive Director of UN-Habitat to further support Member States"),
      t(H1, "Encourages Member States to implement people-centred smart city approaches"), t(H1, "Requests the Executive Director, subject to the availability of funding, to initiate"))
    q("es", "topic", "Fondo para la Neutralidad de la Degradación de las Tierras", name(ALL_EN, "Land Degradation Neutrality Fund"))
    RU = [
        (0, "определение засухи"),
        (1, "подверженность населения засухе"),
        (2, "индекс уязвимости к засухе составной индекс"),
        (3, "страновые данные об осадках дерево решений"),
        (4, "индексы засухи СИО"),
        (5, "базовый период 1981–2010 годов"),
        (6, "доля земель по классам интенсивности засухи"),
        (7, "равновеликая проекция Мольвейде"),
        (9, "стандартизация факторов максимальные и минимальные значения"),
        (11, "сравнение значений DVI между странами"),
        (12, "данные WorldPop с разбивкой по полу"),
        (13, "подверженность экосистем засухе"),
        (15, "ограничения СИО"),
        (16, "заполнение пробелов в данных"),
        (18, "весовые коэффициенты факторов уязвимости"),
        (19, "естественная изменчивость климата"),
    ]
    for i, text in RU:
        q("ru", "topic", text, so3(T[i], "ru"))
    q("ru", "name", "Чханвонская инициатива", name([S2], "Changwon Initiative"))
    q("ru", "mandate", "просит Директора-исполнителя ООН-Хабитат",
      t(H1, "Requests the Executive Director of UN-Habitat to further support"), t(H1, "Requests the Executive Director, subject to the availability of funding"),
      t(H1, "Also requests the Executive Director to ensure an inclusive consultation"), t(H1, "Requests the Executive Director to report to the Executive Board"),
      t(H2, "Requests the Executive Director to mobilize"), t(H2, "Also requests the Executive Director to consult"), t(H2, "Further requests the Executive Director to"))
    q("ru", "topic", "песчаные и пыльные бури", t(U7, "Recognizing that, in the past few years, exacerbated sand and dust storms"),
      t(U7, "Invites Member States to build capacity relating to research, modelling and early warning"), t(U7, "Addressing sand and dust storms through integrated practical interventions"),
      t(U7, "Stressing the need to enhance cooperation at the global and regional levels"))
    q("ru", "topic", "гендерное равенство и расширение прав женщин", t(R75, "Recognizes that gender equality and the empowerment of women and girls"),
      t(R71, "Reiterates that the United Nations Conference on Sustainable Development reaffirmed women’s vital role"))
    AR = [
        (0, "تعريف الجفاف"),
        (1, "تعرض السكان للجفاف"),
        (2, "مؤشر قابلية التأثر بالجفاف"),
        (3, "البيانات الوطنية لهطول الأمطار شجرة القرار"),
        (4, "مؤشرات الجفاف"),
        (6, "نسبة الأراضي في كل فئة من فئات شدة الجفاف"),
        (7, "إسقاط متساو المساحة"),
        (8, "تقييم قابلية التأثر للمستوى 1"),
        (9, "تسوية العوامل القيم القصوى والدنيا"),
        (10, "يتراوح مؤشر قابلية التأثر بالجفاف من 0 إلى 1"),
        (12, "بيانات WorldPop المصنفة حسب نوع الجنس"),
        (13, "تعرض النظم الإيكولوجية للجفاف"),
        (14, "دقة البيانات الدولية عن هطول الأمطار"),
        (17, "تقديم قيم مخاطر الجفاف إلى الاتفاقية"),
        (18, "أوزان عوامل قابلية التأثر"),
        (19, "التقلبات المناخية الطبيعية"),
    ]
    for i, text in AR:
        q("ar", "topic", text, so3(T[i], "ar"))
    for lang in ("fr", "es", "ru", "ar", "zh"):
        for i in (17, 9):
            q(lang, "wording", pasted(T[i], lang), so3(T[i], lang))
    q("ar", "name", "مبادرة تشانغوون", name([S2], "Changwon Initiative"))
    q("ar", "mandate", "يطلب إلى المدير التنفيذي لموئل الأمم المتحدة",
      t(H1, "Requests the Executive Director of UN-Habitat to further support"), t(H1, "Requests the Executive Director, subject to the availability of funding"),
      t(H1, "Also requests the Executive Director to ensure an inclusive consultation"), t(H1, "Requests the Executive Director to report to the Executive Board"),
      t(H2, "Requests the Executive Director to mobilize"), t(H2, "Also requests the Executive Director to consult"), t(H2, "Further requests the Executive Director to"))
    q("ar", "topic", "العواصف الرملية والترابية", t(U7, "Recognizing that, in the past few years, exacerbated sand and dust storms"),
      t(U7, "Invites Member States to build capacity relating to research, modelling and early warning"), t(U7, "Addressing sand and dust storms through integrated practical interventions"),
      t(U7, "Stressing the need to enhance cooperation at the global and regional levels"))
    q("ar", "topic", "الأحياء الفقيرة والمستوطنات العشوائية", t(H2, "Urges the transformation of slums and informal settlements by 2030"),
      t(H2, "Calls for the use of the seven years remaining until 2030"), t(H2, "Encourages Member States to accelerate transformative action in slums"))


def main(shared: Path) -> None:
    for lang, loc in LOC.items():
        _CAT[lang] = po_entries(shared / "prais4-manual" / "locales" / loc / "LC_MESSAGES" / "SO3.po")
    build()
    with open(HERE / "queries.jsonl", "w", encoding="utf-8") as f:
        for x in Q:
            f.write(json.dumps(x, ensure_ascii=False) + "\n")
    print(len(Q), "queries")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/corpus-dev"))
