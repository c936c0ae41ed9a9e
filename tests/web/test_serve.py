"""`unkg serve` in a subprocess: prints its address, serves the page, stops cleanly."""

from __future__ import annotations

import os
import subprocess
import sys

import httpx
import pytest

from tests.conftest import serve_and_wait, stop_server

from .conftest import REPO

pytestmark = pytest.mark.server


def test_unkg_serve_prints_its_address_and_serves(tmp_path):
    env = {**os.environ, "UNKG_HOME": str(tmp_path / "home")}
    env.pop("UNKG_API_KEY", None)
    proc, url, info, health = serve_and_wait([sys.executable, "-m", "unkg.cli", "serve", "--port", "0", "--json", "--no-warm"],
                                             env, str(REPO), timeout=30)
    try:
        assert url.startswith("http://127.0.0.1:") and info["documents"] == 0
        assert health == {"ok": True, "documents": 0, "blocks": 0, "writes_enabled": False}
        page = httpx.get(url, headers={"Accept": "text/html"})
        assert page.status_code == 200 and "unkg demo" in page.text  # the empty store says how to fill it
        refused = httpx.post(url + "api/graph/sync")
        assert refused.status_code == 403 and refused.json()["error"]["code"] == "writes_disabled"
    finally:
        stop_server(proc)
    assert proc.returncode is not None


def test_serve_help():
    out = subprocess.run([sys.executable, "-m", "unkg.cli", "serve", "--help"], capture_output=True, text=True, cwd=str(REPO))
    assert out.returncode == 0 and "--port" in out.stdout and "--host" in out.stdout
