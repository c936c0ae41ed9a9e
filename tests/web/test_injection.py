"""Every read route of the API, every query parameter and path id, tried with Cypher, SQL, FTS5-syntax and
path-traversal payloads: the store and the graph stay unchanged, no answer is a 5xx or carries a stack trace."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from tests.conftest import store_fingerprint

PAYLOADS = [
    "'; DROP TABLE blocks; --",
    "\" OR 1=1 --",
    "1; DELETE FROM documents",
    "') UNION SELECT sql FROM sqlite_master --",
    "MATCH (n) DETACH DELETE n",
    "x'}) MERGE (m:Evil {id:'pwned'}) //",
    "CALL db.labels() YIELD label CREATE (:X)",
    "NEAR(secretariat migration, 2)",
    "\"unbalanced",
    "secretariat*",
    "col:value",
    "^start AND OR NOT",
    "(((((",
    "../../../../etc/passwd",
    "..%2F..%2F..%2Fetc%2Fpasswd",
    "%00",
    "\u0000nul",
    "昌原倡议'); DROP TABLE documents; --",
]

ROUTES = [
    ("/api/search", ["q", "lang", "kind", "actor", "verb", "body", "session", "doc_type"]),
    ("/api/mandates", ["addressee", "decision", "session", "verb", "language"]),
    ("/api/mandates.csv", ["addressee", "decision", "session", "verb", "language"]),
    ("/api/graph/nodes", ["q"]),
    ("/api/graph/neighbourhood", ["node"]),
    ("/api/graph/path", ["source", "target"]),
    ("/", ["q", "lang"]),
    ("/mandates", ["addressee", "decision"]),
    ("/graph", ["node"]),
]
PATH_ROUTES = ["/api/documents/{}", "/api/paragraphs/{}", "/documents/{}", "/paragraphs/{}"]


def graph_counts(web_env) -> tuple[int, int]:
    g = web_env.data.graph().g
    return g.number_of_nodes(), g.number_of_edges()


def check(r) -> None:
    assert r.status_code < 500, (r.request.url, r.status_code, r.text[:300])
    assert "Traceback" not in r.text and 'File "' not in r.text, r.request.url


def test_payloads_change_nothing_and_leak_nothing(client, web_env):
    before = store_fingerprint(web_env.settings.db_path)
    graph_before = graph_counts(web_env)
    tried = 0
    for route, params in ROUTES:
        for p in params:
            for payload in PAYLOADS:
                r = client.get(route, params={p: payload, **({"q": "land"} if p != "q" and "search" in route else {})})
                check(r)
                tried += 1
    for template in PATH_ROUTES:
        for payload in PAYLOADS:
            r = client.get(template.format(quote(payload, safe="/.%")))  # sent as a client would: percent-encoded
            check(r)
            assert r.status_code in (400, 404, 422), (template, payload, r.status_code)
            tried += 1
    assert tried > 200
    assert store_fingerprint(web_env.settings.db_path) == before
    assert graph_counts(web_env) == graph_before


@pytest.mark.parametrize("payload", PAYLOADS[:8])
def test_search_payloads_return_lists(client, payload):
    r = client.get("/api/search", params={"q": payload})
    check(r)
    if r.status_code == 200:
        assert isinstance(r.json()["hits"], list)
