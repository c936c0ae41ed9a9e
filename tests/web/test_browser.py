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
    pg.expected_errors = []  # console messages a test provokes on purpose (a refused request)
    yield pg
    pg.close()
    assert not dialogs, f"a script from document text ran: {dialogs}"
    errors = [e for e in errors if not any(x in e for x in pg.expected_errors)]
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
    _, data = web_env
    zh = next(d for d in data.documents() if d["symbol"] == "ICCD/COP(16)/18")
    page.goto(page.base + "/documents/" + quote(zh["id"], safe="") + "#p-20")
    assert page.locator("article.document").get_attribute("lang") == "zh"
    page.screenshot(path=str(ARTIFACTS / "web-document-zh.png"))


def test_markup_in_document_text_shows_as_text(page, web_env):
    _, data = web_env
    doc = next(d for d in data.documents() if "<script>" in (d["title"] or ""))
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


# -- the users' tasks: precedents, a path, an upload, a phone, readable graph labels ----------------


def test_precedents_page_shows_earlier_wording_side_by_side_with_the_word_diff(page):
    from .test_api import REPORT_EN

    pasted = REPORT_EN.replace("a report", "a study").replace("seventeenth", "eighteenth")
    page.goto(page.base + "/precedents")
    page.fill("#p-text", pasted)
    page.check("#p-any")
    page.click("#p-go")
    page.wait_for_url(re.compile(r"/precedents\?.*any_language=true"))
    assert "text=Requests+the+secretariat" in page.url  # a GET form: the address is the query, to share
    item = page.locator("li.precedent").filter(has=page.locator("blockquote.precedent-text", has_text=REPORT_EN)).first
    assert item.locator("del").all_inner_texts() == ["report", "seventeenth"]
    assert item.locator("ins").all_inner_texts() == ["study", "eighteenth"]
    left, right = item.locator("blockquote.query"), item.locator("blockquote.precedent-text")
    assert pasted in left.inner_text() and REPORT_EN in right.inner_text()
    bl, br = left.bounding_box(), right.bounding_box()
    assert br["x"] >= bl["x"] + bl["width"] - 5 and abs(br["y"] - bl["y"]) < 5  # side by side
    page.screenshot(path=str(ARTIFACTS / "web-precedents.png"), full_page=True)
    # the precedent opens its paragraph, whose page offers its own precedents
    pid = item.get_attribute("data-paragraph")
    cite = item.locator("a.citation").inner_text()
    item.locator("a.citation").click()
    page.wait_for_selector("h1.citation")
    assert page.locator("h1.citation").inner_text() == cite
    page.click("#precedents-link")
    page.wait_for_selector("#precedent-form")
    assert page.locator("#p-paragraph").input_value() == pid
    assert page.locator("#p-query-cite").inner_text() == cite


def test_path_form_draws_the_explained_path_with_each_step_cited(page):
    page.goto(page.base + "/graph")
    page.fill("#path-from", "Korea Forest Service")
    page.fill("#path-to", "UNCCD secretariat")
    page.click("#path-go")
    page.wait_for_function("() => (document.getElementById('cy').dataset.path || '').includes('|')")
    ids = page.locator("#cy").get_attribute("data-path").split("|")
    assert ids[0] == "actor:korea-forest-service" and ids[-1] == "actor:unccd-secretariat" and len(ids) >= 3
    drawn = page.evaluate("() => unkgGraph.cy.nodes('.onpath').map(n => n.id())")
    assert sorted(drawn) == sorted(ids)
    assert page.evaluate("() => unkgGraph.cy.edges('.onpath').length") == len(ids) - 1
    steps = page.locator("#path-steps li.step")
    assert steps.count() == len(ids) - 1
    cites = page.locator("#path-steps a.step-citation")
    assert cites.count() == len(ids) - 1
    assert all(h.startswith("/paragraphs/") for h in [cites.nth(i).get_attribute("href") for i in range(cites.count())])
    assert steps.first.inner_text().startswith("Korea Forest Service")
    assert "from=Korea+Forest+Service" in page.url  # the path has an address
    page.screenshot(path=str(ARTIFACTS / "web-graph-path.png"))
    text = cites.first.inner_text()
    cites.first.click()
    page.wait_for_selector("h1.citation")
    assert page.locator("h1.citation").inner_text() == text


def test_upload_form_sends_the_key_in_a_header_and_shows_each_file(page, tmp_path, web_env):
    new = tmp_path / "decision-3-cop17.txt"
    new.write_text("Decision 3/COP.17\n\nDryland pilots\n\nThe Conference of the Parties,\n\n"
                   "1. Welcomes the dryland restoration pilots reported by Parties;\n", encoding="utf-8")
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"%PDF-1.7 this is not a PDF body at all")
    page.goto(page.base + "/documents")
    page.click("#upload-link")
    page.wait_for_selector("#upload-form")
    page.set_input_files("#u-files", [str(new), str(bad)])
    page.expected_errors.append("status of 401")
    page.fill("#u-key", "wrong-key")
    page.click("#u-go")
    page.wait_for_function("() => document.getElementById('upload-form').dataset.state === 'done'")
    assert "401" in page.locator("#u-status").inner_text() and page.locator("#u-results").is_hidden()
    page.fill("#u-key", web_env.settings.api_key)
    page.check("#u-replace")
    with page.expect_request(lambda r: "/api/ingest" in r.url) as req:
        page.click("#u-go")
    sent = req.value
    assert sent.method == "POST" and sent.url.endswith("/api/ingest?replace=true")
    assert sent.headers.get("x-api-key") == web_env.settings.api_key and web_env.settings.api_key not in sent.url
    page.wait_for_function("() => document.getElementById('upload-form').dataset.state === 'done'", timeout=180_000)
    rows = page.locator("#u-results tbody tr")
    assert rows.count() == 2
    by_file = {rows.nth(i).locator("td.file").inner_text(): rows.nth(i) for i in range(2)}
    assert by_file["decision-3-cop17.txt"].get_attribute("data-status") == "ok"
    assert by_file["decision-3-cop17.txt"].locator("td.doc a").get_attribute("href").startswith("/documents/")
    assert by_file["broken.pdf"].get_attribute("data-status") == "failed"
    assert by_file["broken.pdf"].locator("td.reason").inner_text().strip()
    assert page.url.endswith("/upload")  # the key never went into the address
    page.screenshot(path=str(ARTIFACTS / "web-upload.png"), full_page=True)


@pytest.mark.parametrize("path", ["/mandates", "/", "/graph", "/precedents", "/documents", "/upload"])
def test_pages_fit_a_phone_screen(page, path):
    page.set_viewport_size({"width": 390, "height": 844})
    from .test_api import REPORT_EN

    query = "?text=" + quote(REPORT_EN.replace("a report", "a study"), safe="") if path == "/precedents" else ""
    page.goto(page.base + path + query)
    page.wait_for_load_state("load")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    nav = page.locator("header.top nav a")
    assert all(nav.nth(i).bounding_box()["x"] + nav.nth(i).bounding_box()["width"] <= 390 for i in range(nav.count()))
    if path == "/mandates":  # stacked cards, each cell labelled
        cell = page.locator("#mandates tbody tr").first.locator("td.addressees")
        assert page.evaluate("() => getComputedStyle(document.querySelector('#mandates thead')).display") == "none"
        assert cell.evaluate("e => getComputedStyle(e, '::before').content") == '"Addressees"'
    if path == "/precedents":  # the query and the precedent stack, the diff wraps
        assert page.locator("li.precedent del").count() >= 1
    name = "home" if path == "/" else path.strip("/")
    page.screenshot(path=str(ARTIFACTS / f"web-phone-{name}.png"))  # what the phone shows


def test_graph_labels_do_not_overlap_in_the_changwon_neighbourhood(page):
    page.goto(page.base + "/graph?node=initiative:changwon-initiative")
    page.wait_for_function("() => window.unkgGraph && unkgGraph.ready && document.getElementById('cy').dataset.nodes === '1'")
    page.evaluate("() => { unkgGraph.cy.getElementById('initiative:changwon-initiative').emit('tap'); }")
    page.wait_for_function("() => +document.getElementById('cy').dataset.nodes > 1")
    boxes = page.evaluate("""() => unkgGraph.cy.nodes().map(n => {
        const b = n.boundingBox({includeNodes: true, includeLabels: true, includeEdges: false});
        return [n.id(), b.x1, b.y1, b.x2, b.y2, n.data('short')]; })""")
    assert len(boxes) > 5
    tol = 1.0
    overlaps = []
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            ox = min(a[3], b[3]) - max(a[1], b[1])
            oy = min(a[4], b[4]) - max(a[2], b[2])
            if ox > tol and oy > tol:
                overlaps.append((a[0], b[0], round(ox, 1), round(oy, 1)))
    assert not overlaps, overlaps
    # the labels are shown, not shrunk out of sight: at this zoom the 10 px labels render at least 7 px high
    assert page.evaluate("() => unkgGraph.cy.zoom() * 10") >= 7
    page.screenshot(path=str(ARTIFACTS / "web-graph-labels.png"))
