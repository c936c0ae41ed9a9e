"""CLI inputs (search text, filters, entity names, ids) with Cypher, SQL, FTS5 and path-traversal payloads:
the store is unchanged, exit codes are clean (0, 1 or 2), no traceback reaches the user."""

from __future__ import annotations


import pytest

from tests.conftest import SAMPLES, run_cli, store_fingerprint

PAYLOADS = [
    "'; DROP TABLE blocks; --",
    "MATCH (n) DETACH DELETE n",
    "NEAR(secretariat \"migration",
    "../../../../etc/passwd",
    "昌原倡议') OR 1=1 --",
]


@pytest.mark.slow
def test_cli_payloads(unkg_home):
    assert run_cli("ingest", str(SAMPLES)).returncode == 0
    assert run_cli("search", "land degradation", "--json").returncode == 0  # builds the index once
    assert run_cli("graph", "build", "--json").returncode == 0  # and the graph's tables
    before = store_fingerprint(unkg_home / "unkg.sqlite")
    for payload in PAYLOADS:
        for args in (["search", payload, "--json"], ["search", "land", "--lang", payload, "--actor", payload, "--json"],
                     ["show", payload, "--json"], ["graph", "path", payload, "Changwon Initiative", "--json"]):
            r = run_cli(*args)
            assert r.returncode in (0, 1, 2), (args, r.returncode, r.stderr[-500:])
            assert "Traceback" not in r.stderr and "Traceback" not in r.stdout, (args, r.stderr[-800:])
            assert "root:x:0:0" not in r.stdout
    assert store_fingerprint(unkg_home / "unkg.sqlite") == before
