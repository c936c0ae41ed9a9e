"""The HTTP API and the pages' JSON twins, route by route, on the shared test store."""

from __future__ import annotations

import csv
import io
import re
from urllib.parse import quote

import pytest
from fastapi.routing import APIRoute

from .conftest import API_KEY, ARABIC_TEXT

KEY = {"X-API-Key": API_KEY}

# every GET route of the API, each exercised below (a new route must be added here, with a test)
GET_API_ROUTES = {
    "/api/search", "/api/documents", "/api/documents/{doc_id:path}", "/api/paragraphs/{pid:path}", "/api/mandates",
    "/api/mandates.csv", "/api/graph/nodes", "/api/graph/neighbourhood", "/api/graph/path", "/api/health", "/api/watch",
    "/api/precedents",
}
PAGES = {"/", "/documents", "/documents/{doc_id:path}", "/paragraphs/{pid:path}", "/mandates", "/graph", "/watch",
         "/eli/{ref:path}", "/precedents", "/upload"}


def assert_error(resp, status: int, code: str | None = None) -> dict:
    assert resp.status_code == status, resp.text
    body = resp.json()
    assert set(body) == {"error"} and set(body["error"]) == {"status", "code", "message"}, body
    assert body["error"]["status"] == status
    if code:
        assert body["error"]["code"] == code, body
    assert "Traceback" not in resp.text
    return body["error"]


def doc_id_of(client, symbol: str) -> str:
    docs = client.get("/api/documents").json()["documents"]
    return next(d["id"] for d in docs if d["symbol"] == symbol)


def routes(app) -> list[APIRoute]:
    """The app's view routes; the published API must be exactly these (checked against /openapi.json)."""
    from unkg.web.app import view_routes

    return view_routes()


def test_routes_are_the_ones_tested(app, client):
    gets = {r.path for r in routes(app) if "GET" in r.methods and r.include_in_schema}
    assert gets == GET_API_ROUTES
    published = client.get("/openapi.json").json()["paths"]
    assert {p for p, ops in published.items() if "get" in ops} == {p.replace(":path", "") for p in GET_API_ROUTES}
    pages = {r.path for r in routes(app) if "GET" in r.methods and not r.include_in_schema}
    assert PAGES <= pages


def test_every_write_route_refuses_a_request_without_the_key(app, client):
    writes = [(m, r.path) for r in routes(app) for m in sorted(r.methods - {"GET", "HEAD"})]
    assert {p for _, p in writes} == {"/api/ingest", "/api/graph/sync"}
    for method, path in writes:
        assert_error(client.request(method, path), 401, "api_key_required")
        assert_error(client.request(method, path, headers={"X-API-Key": "wrong"}), 401, "api_key_invalid")
        assert_error(client.request(method, path, headers={"Authorization": "Bearer wrong"}), 401, "api_key_invalid")


def test_write_routes_are_disabled_when_no_key_is_configured(web_env):
    from fastapi.testclient import TestClient

    from unkg.web.app import create_app

    settings, data = web_env
    app = create_app(settings.model_copy(update={"api_key": None}), data=data)
    with TestClient(app, raise_server_exceptions=False) as c:
        for r in routes(app):
            for method in r.methods - {"GET", "HEAD"}:
                err = assert_error(c.request(method, r.path, headers={"X-API-Key": "anything"}), 403, "writes_disabled")
                assert "UNKG_API_KEY" in err["message"]
        assert c.get("/api/health").json()["writes_enabled"] is False


def test_health(client):
    body = client.get("/api/health").json()
    assert body["ok"] is True and body["documents"] >= 8 and body["writes_enabled"] is True


def test_search_english_query_finds_chinese_paragraph_with_citation(client):
    r = client.get("/api/search", params={"q": "forced migration and rural-urban linkages", "language": "zh", "k": 5})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["filters"]["language"] == "zh" and body["count"] >= 1
    assert all(h["language"] == "zh" for h in body["hits"])
    cites = [h["citation"] for h in body["hits"]]
    assert any(re.match(r"ICCD/COP\(16\)/18, para\. \d+", c) for c in cites), cites
    assert body["hits"][0]["terms"] == ["forced", "migration", "rural-urban", "linkages"]


def test_search_page_and_its_json_twin(client):
    params = {"q": "Changwon Initiative negotiation training", "language": "en"}
    html = client.get("/", params=params)
    assert html.status_code == 200 and html.headers["content-type"].startswith("text/html")
    assert '<mark>Changwon</mark>' in html.text and 'class="citation"' in html.text
    twin = client.get("/", params={**params, "format": "json"}).json()
    api = client.get("/api/search", params=params).json()
    assert [h["paragraph_id"] for h in twin["hits"]] == [h["paragraph_id"] for h in api["hits"]]
    assert twin["hits"], twin
    # graph context: the Changwon paragraphs link to the initiative's node, and the page links it to the explorer
    links = {l["id"] for h in api["hits"] for l in h["context"]["links"]}
    assert "initiative:changwon-initiative" in links, api["hits"][0]["context"]
    assert 'href="/graph?node=initiative%3Achangwon-initiative"' in html.text


def test_search_shows_translations_side_by_side(client):
    r = client.get("/api/search", params={"q": "report on sand and dust storms", "language": "en", "kind": "operative", "k": 3}).json()
    assert {h["kind"] for h in r["hits"]} == {"operative"}
    top = r["hits"][0]
    assert top["paragraph_id"] == "TEST/DEC/7@en#2"
    assert [(t["language"], t["dir"]) for t in top["translations"]] == [("ar", "rtl")]
    html = client.get("/", params={"q": "report on sand and dust storms", "language": "en", "kind": "operative", "k": 3}).text
    assert 'class="sbs cols-2"' in html
    assert f'lang="ar" dir="rtl" data-language="ar"' in html and ARABIC_TEXT in html


def test_search_errors_have_the_one_shape(client):
    assert_error(client.get("/api/search"), 422, "invalid_request")
    assert_error(client.get("/api/search", params={"q": "x", "k": 0}), 422, "invalid_request")
    assert_error(client.get("/api/search", params={"q": "x", "mode": "magic"}), 422, "invalid_request")
    assert client.get("/", params={"q": ""}).status_code == 200


def test_documents_list_page_and_twin(client):
    api = client.get("/api/documents").json()
    symbols = {d["symbol"] for d in api["documents"]}
    assert {"ICCD/COP(16)/18", "HSP/EB.2024/6", "TEST/DEC/7"} <= symbols and api["count"] == len(api["documents"])
    assert client.get("/documents", params={"format": "json"}).json() == api
    html = client.get("/documents").text
    assert f'href="/documents/{quote("ICCD/COP(16)/18@zh", safe="")}"' in html


def test_document_view_marks_mandates_actors_and_initiatives(client):
    r = client.get("/api/documents/TEST/DEC/7@en")
    assert r.status_code == 200, r.text
    doc = r.json()
    assert [p["anchor"] for p in doc["paragraphs"]] == ["p-1", "p-2", "p-3", "p-4"]
    p2 = doc["paragraphs"][1]
    assert p2["citation"] == "decision 7/COP.14, para. 1"
    assert p2["mandates"][0]["addressee_names"] == ["UNCCD secretariat"]
    assert {a["id"] for a in doc["actors"]} == {"actor:unccd-secretariat", "actor:parties"}
    assert [i["id"] for i in doc["initiatives"]] == ["initiative:kubuqi-international-desert-forum"]
    assert client.get("/documents/" + quote("TEST/DEC/7@en", safe=""), params={"format": "json"}).json() == doc
    html = client.get("/documents/" + quote("TEST/DEC/7@en", safe="")).text
    assert 'id="p-2" class="para kind-operative level-0 has-mandate"' in html
    assert re.search(r'<mark class="ent ent-actor" title="actor: UNCCD secretariat[^"]*">secretariat</mark>', html)
    assert '<mark class="ent ent-initiative" title="initiative: Kubuqi International Desert Forum' in html
    assert '>Kubuqi International Desert Forum</mark>' in html and '>decision 22/COP.15</mark>' in html
    assert f'<section id="p-4" class="para kind-operative level-0 has-mandate" data-block="TEST/DEC/7@en#4" lang="ar" dir="rtl">' in html


def test_real_pipeline_document_view(client):
    doc_id = doc_id_of(client, "ICCD/COP(16)/18")
    doc = client.get("/api/documents/" + doc_id).json()
    assert doc["language"] == "zh" and len(doc["paragraphs"]) > 50
    html = client.get("/documents/" + quote(doc_id, safe="")).text
    assert 'lang="zh"' in html and "荒漠化" in html


def test_unknown_document_and_paragraph_are_404_in_both_forms(client):
    assert_error(client.get("/api/documents/no/such/doc"), 404, "not_found")
    assert_error(client.get("/api/paragraphs/nope#1"), 404, "not_found")
    page = client.get("/documents/nope", headers={"Accept": "text/html"})
    assert page.status_code == 404 and "text/html" in page.headers["content-type"] and 'data-code="not_found"' in page.text
    assert_error(client.get("/documents/nope", params={"format": "json"}), 404, "not_found")
    assert_error(client.get("/api/no-such-route"), 404, "not_found")


def test_paragraph_view_and_twin(client):
    pid = "TEST/DEC/7@en#4"
    api = client.get("/api/paragraphs/" + quote(pid, safe=""))
    assert api.status_code == 200, api.text
    body = api.json()
    assert body["paragraph"]["dir"] == "rtl" and body["paragraph"]["text"] == ARABIC_TEXT
    assert body["url"] == "/documents/TEST%2FDEC%2F7%40en#p-4"
    assert client.get("/paragraphs/" + quote(pid, safe=""), params={"format": "json"}).json() == body
    html = client.get("/paragraphs/" + quote(pid, safe="")).text
    assert 'lang="ar" dir="rtl"' in html and ARABIC_TEXT in html


def test_mandates_filters(client):
    every = client.get("/api/mandates").json()
    assert every["count"] == len(every["mandates"]) >= 7
    sec = client.get("/api/mandates", params={"addressee": "secretariat"}).json()
    assert 0 < sec["count"] < every["count"]
    assert all(any("secretariat" in n.lower() for n in m["addressee_names"]) for m in sec["mandates"])
    # the real pipeline's mandates on the test decision are there, with the hand-annotated ones
    assert {m["document_id"] for m in sec["mandates"]} >= {"TEST/DEC/7@en"}
    assert any("negotiation training" in m["action"] or "negotiation training" in m["text"] for m in sec["mandates"])
    dec = client.get("/api/mandates", params={"decision": "7/COP.14"}).json()
    assert dec["count"] == 3 and {m["citation"] for m in dec["mandates"]} == {
        "decision 7/COP.14, para. 1", "decision 7/COP.14, para. 2", "decision 7/COP.14, para. 3"}
    assert client.get("/api/mandates", params={"decision": "decision:7/COP.14"}).json()["count"] == 3
    assert client.get("/api/mandates", params={"session": "COP.14"}).json()["count"] == 3
    inv = client.get("/api/mandates", params={"verb": "invite"}).json()
    assert inv["count"] >= 2 and all(m["verb_en"] == "invite" for m in inv["mandates"])
    assert client.get("/api/mandates", params={"verb": "Invites", "decision": "7/COP.14"}).json()["count"] == 1
    ar = client.get("/api/mandates", params={"language": "ar"}).json()
    assert [m["verb"] for m in ar["mandates"]] == ["يطلب"] and ar["mandates"][0]["dir"] == "rtl"
    assert client.get("/api/mandates", params={"addressee": "nobody-at-all"}).json()["count"] == 0
    assert "UNCCD secretariat" in every["addressees"]


def test_mandates_csv_and_page(client):
    r = client.get("/api/mandates.csv", params={"addressee": "secretariat"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert rows and all("secretariat" in row["addressees"].lower() for row in rows)
    assert len(rows) == client.get("/api/mandates", params={"addressee": "secretariat"}).json()["count"]
    assert "يطلب" in client.get("/mandates", params={"format": "csv", "language": "ar"}).content.decode("utf-8-sig")
    html = client.get("/mandates", params={"addressee": "secretariat"}).text
    assert 'href="/api/mandates.csv?addressee=secretariat"' in html
    assert client.get("/mandates", params={"addressee": "secretariat", "format": "json"}).json() == \
        client.get("/api/mandates", params={"addressee": "secretariat"}).json()


def test_graph_nodes_neighbourhood_and_path(client):
    nodes = client.get("/api/graph/nodes", params={"q": "changwon"}).json()
    assert nodes["nodes"][0]["id"] == "initiative:changwon-initiative"
    nb = client.get("/api/graph/neighbourhood", params={"node": "initiative:changwon-initiative"}).json()
    ids = {n["id"] for n in nb["nodes"]}
    assert nb["center"] == "initiative:changwon-initiative" and len(ids) > 3
    assert "actor:korea-forest-service" in ids
    for e in nb["edges"]:
        assert e["paragraph"] and e["citation"], e
        assert "initiative:changwon-initiative" in (e["source"], e["target"])
    para = client.get("/api/paragraphs/" + quote(nb["edges"][0]["paragraph"], safe="")).json()
    assert "Changwon" in para["paragraph"]["text"] or "昌原" in para["paragraph"]["text"]
    only = client.get("/api/graph/neighbourhood", params={"node": "initiative:changwon-initiative", "types": "MENTIONS"}).json()
    assert {e["type"] for e in only["edges"]} == {"MENTIONS"}
    path = client.get("/api/graph/path", params={"source": "actor:korea-forest-service", "target": "actor:unccd-secretariat"}).json()
    assert path["found"] and path["nodes"][0]["id"] == "actor:korea-forest-service" and path["nodes"][-1]["id"] == "actor:unccd-secretariat"
    assert len(path["edges"]) == len(path["nodes"]) - 1 and all(e["paragraph"] for e in path["edges"])
    # names in any language resolve to their node
    assert client.get("/api/graph/neighbourhood", params={"node": "昌原倡议", "limit": 1}).json()["center"] == "initiative:changwon-initiative"
    named = client.get("/api/graph/path", params={"source": "Changwon Initiative", "target": "Korea Forest Service"}).json()
    assert named["found"] and [n["id"] for n in named["nodes"]] == ["initiative:changwon-initiative", "actor:korea-forest-service"]
    assert_error(client.get("/api/graph/neighbourhood", params={"node": "initiative:nothing-of-the-kind-xyz"}), 404, "not_found")
    assert_error(client.get("/api/graph/path", params={"source": "qqqxxx-none", "target": "zzzyyy-none"}), 404, "not_found")
    assert_error(client.get("/api/graph/nodes"), 422, "invalid_request")
    assert client.get("/api/graph/nodes", params={"q": "昌原"}).json()["nodes"][0]["id"] == "initiative:changwon-initiative"


def test_graph_answers_come_from_the_store_tables(web_env, client):
    """The page reads the graph tables in the store: no whole graph is loaded or saved beside it."""
    home = web_env.settings.home
    assert client.get("/api/graph/nodes", params={"q": "changwon"}).status_code == 200
    assert client.get("/graph", params={"format": "json"}).json()["count"] > 0
    assert not (home / "graph.pickle").exists()
    from unkg.graph.table_graph import StoreGraph

    assert isinstance(web_env.data.graph(), StoreGraph)


def test_graph_page_and_twin(client):
    html = client.get("/graph", params={"node": "initiative:changwon-initiative"}).text
    assert 'src="/static/vendor/cytoscape.min.js"' in html and 'data-start="initiative:changwon-initiative"' in html
    assert "cdn" not in html.lower() and "https://" not in html
    twin = client.get("/graph", params={"node": "initiative:changwon-initiative", "format": "json"}).json()
    assert twin["center"] == "initiative:changwon-initiative"
    start = client.get("/graph", params={"format": "json"}).json()
    assert "initiative:changwon-initiative" in {n["id"] for n in start["nodes"]}
    js = client.get("/static/vendor/cytoscape.min.js")
    assert js.status_code == 200 and "cytoscape" in js.text[:2000].lower()
    assert client.get("/static/graph.js").status_code == 200
    assert_error(client.get("/static/vendor/evil.js"), 404, "not_found")


def test_openapi_page_is_served_locally(client):
    spec = client.get("/openapi.json").json()
    paths = set(spec["paths"])
    assert {p.replace(":path", "") for p in GET_API_ROUTES} | {"/api/ingest", "/api/graph/sync"} == paths
    assert "ErrorResponse" in spec["components"]["schemas"]
    docs = client.get("/docs")
    assert docs.status_code == 200 and "/static/vendor/swagger-ui-bundle.js" in docs.text and "cdn." not in docs.text
    assert client.get("/static/vendor/swagger-ui-bundle.js").status_code == 200


def test_ingest_stores_uploads_under_their_content_hash(client, web_env):
    """The corpus of these tests was uploaded in one request (conftest); here is what that request answered."""
    import hashlib

    from .conftest import EVIL_NAME, ODD_NAME

    settings = web_env.settings
    files = {f["file"]: f for f in web_env.upload["files"]}
    assert web_env.upload["count"] == len(web_env.sent) == len(files)
    for name, data in web_env.sent.items():
        sha = hashlib.sha256(data).hexdigest()
        assert files[name]["stored_as"] in (sha, f"{sha}.txt"), files[name]
        assert files[name]["size"] == len(data) and files[name]["status"] in ("ok", "partial")
    evil = files[EVIL_NAME]
    assert evil["stored_as"].endswith(".txt")  # the client's name lends only a known extension ...
    assert files[ODD_NAME]["stored_as"] == hashlib.sha256(web_env.sent[ODD_NAME]).hexdigest()  # ... or none
    stored = sorted(p.name for p in (settings.home / "uploads").iterdir())
    assert {f["stored_as"] for f in files.values()} <= set(stored)
    assert all(re.fullmatch(r"[0-9a-f]{64}(\.[a-z0-9]+)?", n) for n in stored), stored
    assert not (settings.home.parent / "etc").exists() and not list(settings.home.parent.rglob("evil*"))
    assert str(settings.home) not in str(web_env.upload)
    docs = {d["id"] for d in client.get("/api/documents").json()["documents"]}
    assert {f["doc_id"] for f in files.values()} <= docs
    # the same bytes again, under another name: the same file, nothing parsed again
    again = client.post("/api/ingest", headers=KEY, files={"files": ("other.txt", web_env.sent[EVIL_NAME], "text/plain")})
    assert again.status_code == 200, again.text
    f = again.json()["files"][0]
    assert f["stored_as"] == evil["stored_as"] and f["status"] == "skipped" and f["file"] == "other.txt"
    assert_error(client.post("/api/ingest", headers=KEY, files={"other": ("a.txt", b"x", "text/plain")}), 400, "no_files")
    assert_error(client.post("/api/ingest", headers=KEY, content=b"{}", ), 415)


def test_upload_size_limit_is_413(web_env):
    from fastapi.testclient import TestClient

    from unkg.web.app import create_app

    settings, data = web_env
    app = create_app(settings.model_copy(update={"upload_max_mb": 0.01}), data=data)  # 10 KB
    with TestClient(app, raise_server_exceptions=False) as c:
        big = b"a" * 200_000
        err = assert_error(c.post("/api/ingest", headers=KEY, files={"files": ("big.txt", big, "text/plain")}), 413, "too_large")
        assert "0.01 MB" in err["message"]
        # a body just over the limit but under the Content-Length slack is still refused once read
        err = assert_error(c.post("/api/ingest", headers=KEY, files={"files": ("big.txt", b"b" * 20_000, "text/plain")}), 413, "too_large")
        assert_error(c.post("/api/ingest", files={"files": ("big.txt", big, "text/plain")}), 401)  # the key is checked first
    before = {p.name for p in (settings.home / "uploads").iterdir()} if (settings.home / "uploads").exists() else set()
    assert not any(hashlib_of(b"b" * 20_000) in n for n in before)


def hashlib_of(data: bytes) -> str:
    import hashlib

    return hashlib.sha256(data).hexdigest()


def test_graph_sync(client, monkeypatch):
    r = client.post("/api/graph/sync", headers=KEY)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["graph"]["nodes"] > 100 and "unchanged" in body["graph"]
    assert body["search"] is not None and body["neo4j"] is None
    monkeypatch.delenv("NEO4J_URI", raising=False)
    err = assert_error(client.post("/api/graph/sync", headers=KEY, params={"neo4j": "true"}), 400, "bad_request")
    assert "NEO4J_URI" in err["message"]


def test_rate_limit_answers_429_in_the_error_shape(web_env):
    from fastapi.testclient import TestClient

    from unkg.web.app import create_app

    settings, data = web_env
    app = create_app(settings.model_copy(update={"rate_limit": 0.5, "rate_burst": 3}), data=data)
    with TestClient(app, raise_server_exceptions=False) as c:
        codes = [c.get("/api/health").status_code for _ in range(3)]
        assert codes == [200, 200, 200]
        r = c.get("/api/health")
        err = assert_error(r, 429, "rate_limited")
        assert int(r.headers["retry-after"]) >= 1 and "wait" in err["message"]


def test_document_text_is_escaped_everywhere(client):
    doc_id = next(d["id"] for d in client.get("/api/documents").json()["documents"] if "<script>" in (d["title"] or ""))
    pages = [client.get("/documents/" + quote(doc_id, safe="")).text, client.get("/documents").text,
             client.get("/", params={"q": "pwned alert script"}).text]
    doc = client.get("/api/documents/" + quote(doc_id, safe="")).json()
    pid = next(p["id"] for p in doc["paragraphs"] if "<img" in p["text"])
    pages.append(client.get("/paragraphs/" + quote(pid, safe="")).text)
    for html in pages:
        assert "<script>alert" not in html and "<img src=x" not in html and "<b>bold</b>" not in html
    assert "&lt;script&gt;alert(&#34;pwned&#34;)&lt;/script&gt;" in pages[0]
    csp = client.get("/documents/" + quote(doc_id, safe="")).headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    assert "&lt;img src=x onerror=alert(2)&gt;" in pages[0]


def test_unexpected_errors_hide_their_details(web_env, monkeypatch):
    from fastapi.testclient import TestClient

    from unkg.web.app import create_app

    settings, data = web_env
    app = create_app(settings, data=data)

    def boom():
        raise RuntimeError("secret internal detail /etc/passwd")

    monkeypatch.setattr(data, "documents", boom)
    with TestClient(app, raise_server_exceptions=False) as c:
        for path in ("/api/documents", "/documents"):
            r = c.get(path)
            err = assert_error(r, 500, "internal_error")
            assert "secret" not in r.text and "RuntimeError" not in r.text


def test_watch_list_empty_store_says_how_to_add(client):
    res = client.get("/api/watch").json()
    assert res == {"count": 0, "watches": []}
    page = client.get("/watch", headers={"Accept": "text/html"})
    assert page.status_code == 200 and "unkg watch add" in page.text


# -- precedents ------------------------------------------------------------------------------

REPORT_EN = "Requests the secretariat to prepare a report on migration and land degradation for consideration at its seventeenth session;"


def test_precedents_of_pasted_text_with_the_word_diff(client):
    pasted = REPORT_EN.replace("a report", "a study").replace("seventeenth", "eighteenth")
    res = client.get("/api/precedents", params={"text": pasted}).json()
    assert res["text"] == pasted and res["language"] == "en" and res["same_language"] is True
    top = next(p for p in res["precedents"] if p["text"] == REPORT_EN)
    assert not top["identical"] and 0.6 <= top["similarity"] < 1
    assert {(o["old"], o["new"]) for o in top["ops"]} == {("report", "study"), ("seventeenth", "eighteenth")}
    segs = [(s["op"], s["text"]) for s in top["segments"]]
    assert ("del", "report") in segs and ("ins", "study") in segs and ("del", "seventeenth") in segs
    # the removed and the kept words give back the precedent, the added and the kept the query (as words)
    words = lambda ops: " ".join(s["text"] for s in top["segments"] if s["op"] in ops).split()
    assert [w.strip(";") for w in words({"equal", "del"}) if w.strip(";")] == REPORT_EN.rstrip(";").split()
    assert [w.strip(";") for w in words({"equal", "ins"}) if w.strip(";")] == pasted.rstrip(";").split()
    assert all(p["language"] == "en" for p in res["precedents"])
    assert top["url"] == "/paragraphs/" + quote(top["paragraph_id"], safe="")
    # the page and its JSON twin
    twin = client.get("/precedents", params={"text": pasted, "format": "json"}).json()
    assert [p["paragraph_id"] for p in twin["precedents"]] == [p["paragraph_id"] for p in res["precedents"]]
    html = client.get("/precedents", params={"text": pasted}).text
    assert "<del>report</del>" in html and "<ins>study</ins>" in html and f'href="{top["url"]}"' in html
    assert 'name="any_language"' in html and "<textarea" in html and 'method="get"' in html


def test_precedents_any_language_widens_the_same_language_answer(client):
    pasted = REPORT_EN.replace("a report", "a study")
    params = {"text": pasted, "min_similarity": 0.05, "limit": 100}
    same = client.get("/api/precedents", params=params).json()
    every = client.get("/api/precedents", params={**params, "any_language": "true"}).json()
    assert same["same_language"] is True and every["same_language"] is False
    assert {p["language"] for p in same["precedents"]} == {"en"}
    assert every["count"] < 100  # nothing cut: the sets compare
    assert {p["paragraph_id"] for p in same["precedents"]} <= {p["paragraph_id"] for p in every["precedents"]}
    assert all(p["similarity"] >= 0.05 for p in every["precedents"])


def test_precedents_by_paragraph_id_and_errors(client):
    doc = client.get("/api/documents/" + quote("TEST/DEC/7@en", safe="")).json()
    pid = doc["paragraphs"][1]["id"]
    res = client.get("/api/precedents", params={"paragraph": pid}).json()
    assert res["paragraph_id"] == pid and res["text"] == doc["paragraphs"][1]["text"]
    assert all(p["paragraph_id"] != pid for p in res["precedents"])
    html = client.get("/precedents", params={"paragraph": pid}).text
    assert 'id="p-query-cite"' in html and 'value="' + pid + '"' in html
    # each paragraph page links to its precedents
    para = client.get("/paragraphs/" + quote(pid, safe="")).text
    assert 'href="/precedents?paragraph=' + quote(pid, safe="/") + '"' in para
    assert_error(client.get("/api/precedents"), 400, "bad_request")
    assert_error(client.get("/api/precedents", params={"paragraph": "NO/SUCH/DOC@en#1"}), 404, "not_found")
    assert_error(client.get("/api/precedents", params={"text": "x", "min_similarity": 2}), 422, "invalid_request")
    assert_error(client.get("/api/precedents", params={"text": "x" * 4001}), 422, "invalid_request")
    empty = client.get("/precedents", headers={"Accept": "text/html"})
    assert empty.status_code == 200 and "<textarea" in empty.text and 'id="precedents"' not in empty.text


def test_precedents_escape_document_text(client):
    hostile = "The secretariat <b>bold</b> & co. wrote <img src=x onerror=alert(2)> about land and drought."
    res = client.get("/api/precedents", params={"text": hostile}).json()
    assert any("<img src=x" in p["text"] for p in res["precedents"]), res
    html = client.get("/precedents", params={"text": hostile}).text
    assert "<img src=x" not in html and "<b>bold</b>" not in html and "&lt;img src=x onerror=alert(2)&gt;" in html


# -- upload page and the graph page's path ----------------------------------------------------


def test_upload_page_and_twin(client):
    html = client.get("/upload", headers={"Accept": "text/html"}).text
    assert 'id="upload-form"' in html and '<script src="/static/upload.js"></script>' in html and 'type="password"' in html
    assert 'name="key"' not in html  # the key is never a form field (it would land in a URL or a log)
    twin = client.get("/upload", params={"format": "json"}).json()
    assert twin["endpoint"] == "/api/ingest" and twin["writes_enabled"] is True and "pdf" in twin["formats"]
    js = client.get("/static/upload.js").text
    assert '"X-API-Key": key' in js and "replace=true" in js and "innerHTML" not in js
    nav = client.get("/documents").text
    assert 'href="/upload"' in nav and 'href="/precedents"' in nav


def test_graph_page_path_twin(client):
    twin = client.get("/graph", params={"from": "Changwon Initiative", "to": "Korea Forest Service", "format": "json"}).json()
    api = client.get("/api/graph/path", params={"source": "Changwon Initiative", "target": "Korea Forest Service"}).json()
    assert twin == api and twin["found"]
    html = client.get("/graph", params={"from": "Changwon <b>x</b>", "to": "UNCCD"}).text
    assert 'id="path-form"' in html and 'value="Changwon &lt;b&gt;x&lt;/b&gt;"' in html
