"""The web page in a real headless Chromium (Debian's `chromium`), against uvicorn on a free loopback port.

The server (conftest `live_server`) and the browser are started here and stopped after. Screenshots
go to tests/artifacts/ (gitignored).
"""

from __future__ import annotations

import re
import shutil
import tempfile
from urllib.parse import quote

import pytest

from .conftest import ARTIFACTS, ARABIC_TEXT

pytestmark = [pytest.mark.server, pytest.mark.slow]

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def browser_context():
    from playwright.sync_api import sync_playwright

    profile = tempfile.mkdtemp(prefix="unkg-chromium-")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        ctx = p.chromium.launch_persistent_context(profile, executable_path=CHROMIUM, headless=True, args=ARGS,
                                                   viewport={"width": 1360, "height": 900}, locale="en-GB")
        try:
            yield ctx
        finally:
            ctx.close()
            shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture
def page(browser_context, live_server):
    pg = browser_context.new_page()
    pg.set_default_timeout(20_000)
    dialogs: list[str] = []
    pg.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)  # CSP violations land here
    external: list[str] = []
    pg.on("request", lambda r: external.append(r.url) if not r.url.startswith(live_server) and not r.url.startswith("data:") else None)
    pg.base = live_server
    yield pg
    pg.close()
    assert not dialogs, f"a script from document text ran: {dialogs}"
    assert not errors, errors
    assert not external, f"the page loaded something from outside the app: {external}"


def test_english_search_returns_chinese_seed_paragraph_with_citation(page):
    page.goto(page.base + "/")
    page.fill("#q", "forced migration and rural-urban linkages")
    page.select_option("#f-language", "zh")
    page.click("#go")
    page.wait_for_selector("#hits li.hit")
    hits = page.locator("#hits li.hit")
    assert hits.count() >= 1
    langs = [hits.nth(i).get_attribute("data-language") for i in range(hits.count())]
    assert set(langs) == {"zh"}
    cites = page.locator("#hits a.citation").all_inner_texts()
    assert any(re.fullmatch(r"ICCD/COP\(16\)/18, para\. \d+", c) for c in cites), cites
    i = next(i for i, c in enumerate(cites) if c.startswith("ICCD/COP(16)/18, para."))
    quote_ = hits.nth(i).locator("blockquote.text").first
    assert quote_.get_attribute("lang") == "zh" and "移民" in quote_.inner_text()
    page.screenshot(path=str(ARTIFACTS / "web-search-en-to-zh.png"), full_page=True)
    # the citation opens the paragraph
    hits.nth(i).locator("a.citation").click()
    page.wait_for_selector("h1.citation")
    assert page.locator("h1.citation").inner_text() == cites[i]


def test_search_shows_translations_side_by_side_with_arabic_right_to_left(page):
    page.goto(page.base + "/?q=report+on+sand+and+dust+storms&language=en&kind=operative&k=3")
    first = page.locator("#hits li.hit").first
    assert first.get_attribute("data-paragraph") == "TEST/DEC/7@en#2"
    assert first.locator("mark").first.inner_text().lower() in {"report", "sand", "dust", "storms"}
    ar = first.locator('blockquote.translation[lang="ar"]')
    assert ar.evaluate("e => getComputedStyle(e).direction") == "rtl"
    assert ARABIC_TEXT in ar.inner_text()
    box_en = first.locator("blockquote.text").first.bounding_box()
    box_ar = ar.bounding_box()
    assert box_ar["x"] > box_en["x"] + box_en["width"] - 5 and abs(box_ar["y"] - box_en["y"]) < 5  # side by side
    page.screenshot(path=str(ARTIFACTS / "web-search-translations.png"), full_page=True)


def test_mandates_table_filters_to_the_secretariat(page):
    page.goto(page.base + "/mandates")
    rows = page.locator("#mandates tbody tr")
    total = rows.count()
    assert total >= 7
    page.fill("#f-addressee", "secretariat")
    page.click("#apply")
    page.wait_for_url(re.compile(r"addressee=secretariat"))
    n = rows.count()
    assert 0 < n < total
    cells = page.locator("#mandates td.addressees").all_inner_texts()
    assert len(cells) == n and all("secretariat" in c.lower() for c in cells), cells
    assert page.locator("#mcount").inner_text() == str(n)
    assert page.locator("#csv").get_attribute("href") == "/api/mandates.csv?addressee=secretariat"
    with page.expect_download() as dl:
        page.click("#csv")
    csv_text = open(dl.value.path(), encoding="utf-8-sig").read()
    assert len(csv_text.strip().splitlines()) == n + 1 and "secretariat" in csv_text.lower()
    page.screenshot(path=str(ARTIFACTS / "web-mandates-secretariat.png"), full_page=True)


def test_clicking_the_changwon_initiative_node_expands_its_neighbours(page):
    page.goto(page.base + "/graph")
    page.fill("#node-q", "Changwon")
    page.press("#node-q", "Enter")
    page.click('#node-results button[data-node="initiative:changwon-initiative"]')
    page.wait_for_function("() => document.getElementById('cy').dataset.nodes === '1'")
    page.screenshot(path=str(ARTIFACTS / "web-graph-start.png"))
    box = page.locator("#cy").bounding_box()
    x, y = page.evaluate("() => { const p = unkgGraph.cy.getElementById('initiative:changwon-initiative').renderedPosition(); return [p.x, p.y]; }")
    page.mouse.click(box["x"] + x, box["y"] + y)  # a real click on the canvas
    page.wait_for_function("() => +document.getElementById('cy').dataset.nodes > 1")
    ids = page.evaluate("() => unkgGraph.cy.nodes().map(n => n.id())")
    assert "actor:korea-forest-service" in ids and len(ids) > 3
    assert page.evaluate("() => unkgGraph.cy.edges().every(e => e.data('paragraph'))")
    assert "neighbours added" in page.locator("#gstatus").inner_text()
    # an edge shows the paragraph it came from
    edge = page.evaluate("() => unkgGraph.cy.edges().filter(e => e.target().id() === 'actor:korea-forest-service')[0].id()")
    page.evaluate(f"() => {{ unkgGraph.cy.getElementById({edge!r}).emit('tap'); }}")  # returns nothing to serialise
    page.wait_for_selector("#edge-citation")
    page.wait_for_function("() => document.getElementById('edge-paragraph').textContent.includes('Changwon')")
    assert "Empowering land negotiators" in page.locator("#edge-citation").inner_text()
    page.screenshot(path=str(ARTIFACTS / "web-graph-changwon-expanded.png"))


def test_document_page_marks_entities_and_shows_arabic_and_chinese(page, web_env):
    page.goto(page.base + "/documents/" + quote("TEST/DEC/7@en", safe=""))
    ar = page.locator("#p-4")
    assert ar.get_attribute("lang") == "ar" and ar.evaluate("e => getComputedStyle(e).direction") == "rtl"
    assert page.locator("#p-2 mark.ent-actor").inner_text() == "secretariat"
    assert page.locator("#p-3 mark.ent-initiative").inner_text() == "Kubuqi International Desert Forum"
    assert page.locator("#p-2 li.mandate").inner_text().startswith("request → UNCCD secretariat")
    page.screenshot(path=str(ARTIFACTS / "web-document-en-ar.png"), full_page=True)
    _, backend = web_env
    zh = next(d for d in backend.documents() if d["symbol"] == "ICCD/COP(16)/18")
    page.goto(page.base + "/documents/" + quote(zh["id"], safe="") + "#p-20")
    assert page.locator("article.document").get_attribute("lang") == "zh"
    page.screenshot(path=str(ARTIFACTS / "web-document-zh.png"))


def test_markup_in_document_text_shows_as_text(page, web_env):
    _, backend = web_env
    doc = next(d for d in backend.documents() if "<script>" in (d["title"] or ""))
    page.goto(page.base + "/documents/" + quote(doc["id"], safe=""))
    body = page.locator("article.document").inner_text()
    assert '<script>alert("pwned")</script>' in body and "<img src=x onerror=alert(2)>" in body
    assert page.locator(".ptext script, .ptext img, .ptext b").count() == 0
    page.goto(page.base + "/?q=pwned+script+alert")
    assert '<script>alert("pwned")</script>' in page.locator("#hits").inner_text()
    page.screenshot(path=str(ARTIFACTS / "web-escaping.png"), full_page=True)


def test_openapi_page_renders_from_local_assets(page):
    page.goto(page.base + "/docs")
    page.wait_for_selector(".swagger-ui .info .title")
    assert "unkg" in page.locator(".swagger-ui .info .title").inner_text()
    assert page.locator(".opblock-summary-path[data-path='/api/search']").count() == 1
    page.screenshot(path=str(ARTIFACTS / "web-openapi.png"))
