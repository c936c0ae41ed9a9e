"""Attacks on the web API that once worked, each answered now (see docs/hostile-inputs.md)."""

from __future__ import annotations

import csv
import io
import threading

from .conftest import API_KEY
from .test_api import assert_error

KEY = {"X-API-Key": API_KEY}


def test_404_links_only_to_this_site(client):
    import re

    r = client.get("http://testserver//evil.example/x", headers={"Accept": "text/html"})
    assert r.status_code == 404
    assert not re.search(r"""href=["']?(//|\\\\|/\\\\)""", r.text), re.findall(r'href="[^"]*"', r.text)
    assert 'href="/evil.example/x?format=json"' in r.text


def test_mandates_csv_cells_cannot_be_formulas():
    from unkg.web.data import WebData, csv_cell

    row = {"decision": "=HYPERLINK(\"http://evil.example/a\",\"x\")", "paragraph": "+1", "citation": "@SUM(A1)",
           "session": " -2+3", "verb": "requests", "addressee_names": ["=cmd|' /C calc'!A0", "秘书处"], "action": "\tx"}
    text = WebData.mandates_csv([row])
    cells = list(csv.reader(io.StringIO(text)))[1]
    for c in cells:
        assert not c.lstrip(" ").startswith(("=", "+", "-", "@", "\t")), c
    assert cells[0] == "'=HYPERLINK(\"http://evil.example/a\",\"x\")"
    assert csv_cell("requests") == "requests" and csv_cell(3) == 3


def test_graph_answers_hold_no_server_paths(client, web_env):
    home = str(web_env.settings.home)
    r = client.get("/api/graph/nodes", params={"q": "ICCD", "label": "Document", "limit": 50})
    assert r.status_code == 200 and r.json()["count"] > 0
    assert home not in r.text and "/uploads/" not in r.text
    node = r.json()["nodes"][0]["id"]
    r = client.get("/api/graph/neighbourhood", params={"node": node, "depth": 2, "limit": 200})
    assert r.status_code == 200 and home not in r.text


def test_upload_with_a_known_symbol_does_not_replace_the_document(client, web_env):
    docs = client.get("/api/documents").json()["documents"]
    target = max((d for d in docs if d.get("symbol")), key=lambda d: d.get("paragraphs") or 0)
    before = client.get("/api/documents/" + target["id"]).json()
    tiny = f"{target['symbol']}\n\nNothing here.\n".encode()
    r = client.post("/api/ingest", headers=KEY, files={"files": ("tiny.txt", tiny, "text/plain")})
    assert r.status_code == 200, r.text
    f = r.json()["files"][0]
    if f["doc_id"] == target["id"]:  # same language detected: the upload is a conflict, not a replacement
        assert f["status"] == "failed" and f["code"] == "conflict", f
        assert web_env.settings.home.as_posix() not in f["reason"]
    assert client.get("/api/documents/" + target["id"]).json() == before


def test_full_disk_on_upload_is_507_and_leaves_nothing(web_env, monkeypatch):
    from pathlib import Path

    from fastapi.testclient import TestClient

    settings, data = web_env
    real = Path.write_bytes

    def full(self, data):
        if self.name.endswith(".part"):
            real(self, data[: len(data) // 2])  # half written, then the disk is full
            raise OSError(28, "No space left on device")
        return real(self, data)

    monkeypatch.setattr(Path, "write_bytes", full)
    with TestClient(web_env.app, raise_server_exceptions=False) as c:
        r = c.post("/api/ingest", headers=KEY, files={"files": ("new.txt", b"Fresh words on drought resilience." * 10, "text/plain")})
    err = assert_error(r, 507, "insufficient_storage")
    assert str(settings.home) not in err["message"]
    assert not list((settings.home / "uploads").glob(".*.part"))


def test_spoofed_forwarded_for_does_not_lift_the_rate_limit(web_env):
    from fastapi.testclient import TestClient

    from unkg.web.app import create_app

    settings, data = web_env
    app = create_app(settings.model_copy(update={"rate_limit": 0.01, "rate_burst": 2}), data=data)
    with TestClient(app, raise_server_exceptions=False) as c:
        codes = [c.get("/api/health", headers={"X-Forwarded-For": f"10.0.0.{i}"}).status_code for i in range(4)]
    assert codes == [200, 200, 429, 429]


def test_client_address_and_bounded_table():
    from unkg.web.security import TokenBucket, client_address, parse_proxies

    trusted = parse_proxies("10.0.0.0/8, 127.0.0.1")
    scope = {"client": ("127.0.0.1", 5), "headers": [(b"x-forwarded-for", b"203.0.113.9, 10.1.2.3")]}
    assert client_address(scope, trusted) == "203.0.113.9"
    assert client_address(scope, []) == "127.0.0.1"
    assert client_address({**scope, "client": ("198.51.100.1", 5)}, trusted) == "198.51.100.1"
    assert client_address({**scope, "headers": [(b"x-forwarded-for", b"not an ip")]}, trusted) == "127.0.0.1"
    bucket = TokenBucket(rate=0.001, burst=5, max_clients=100)
    for i in range(10000):
        bucket.take(f"198.51.{i // 256}.{i % 256}")
    assert len(bucket) <= 100
    for _ in range(5):
        bucket.take("victim")
    assert bucket.take("victim") > 0  # the last seen client keeps its empty bucket


def test_neighbourhood_has_a_work_budget(web_env):
    from unkg.web.data import neighbourhood

    kg = web_env.data.graph()
    hub = max(kg.g.nodes, key=kg.g.degree)
    full = neighbourhood(kg, hub, depth=3, limit=500)
    cut = neighbourhood(kg, hub, depth=3, limit=500, edge_budget=kg.g.degree(hub))
    assert cut["truncated"] and len(cut["nodes"]) <= len(full["nodes"])
    assert neighbourhood(kg, hub, depth=3, limit=500, time_budget_s=0.0)["truncated"]


def test_graph_calls_are_capped_per_client(web_env, monkeypatch):
    from fastapi.testclient import TestClient

    from unkg.web.data import WebData

    gate, entered = threading.Event(), threading.Semaphore(0)
    real = WebData.graph_neighbourhood

    def slow(*a, **k):  # held before the graph's lock: the cap is what must refuse the third call
        entered.release()
        gate.wait(10)
        return real(*a, **k)

    monkeypatch.setattr(WebData, "graph_neighbourhood", slow)
    codes: list[int] = []
    with TestClient(web_env.app, raise_server_exceptions=False) as c:
        def call():
            codes.append(c.get("/api/graph/neighbourhood", params={"node": "initiative:changwon-initiative"}).status_code)

        threads = [threading.Thread(target=call) for _ in range(2)]
        for t in threads:
            t.start()
        assert entered.acquire(timeout=10) and entered.acquire(timeout=10)
        third = c.get("/api/graph/neighbourhood", params={"node": "initiative:changwon-initiative"})
        gate.set()
        for t in threads:
            t.join(10)
    assert_error(third, 429, "too_many_graph_requests")
    assert sorted(codes) == [200, 200]
    assert web_env.app.state.expensive.total == 0
