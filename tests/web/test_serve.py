"""`unkg serve` in a subprocess: prints its address, serves the page, stops cleanly."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import httpx
import pytest

from .conftest import REPO

pytestmark = pytest.mark.server


def test_unkg_serve_prints_its_address_and_serves(tmp_path):
    env = {**os.environ, "UNKG_HOME": str(tmp_path / "home")}
    env.pop("UNKG_API_KEY", None)
    proc = subprocess.Popen([sys.executable, "-m", "unkg.cli", "serve", "--port", "0", "--json", "--no-warm"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=str(REPO))
    try:
        line = proc.stdout.readline()
        info = json.loads(line)
        url = info["url"]
        assert url.startswith("http://127.0.0.1:") and info["documents"] == 0
        deadline = time.monotonic() + 30
        while True:
            try:
                r = httpx.get(url + "api/health", timeout=2)
                break
            except httpx.HTTPError:
                assert time.monotonic() < deadline and proc.poll() is None, proc.stderr.read()
                time.sleep(0.2)
        assert r.json() == {"ok": True, "documents": 0, "blocks": 0, "writes_enabled": False}
        page = httpx.get(url, headers={"Accept": "text/html"})
        assert page.status_code == 200 and "unkg demo" in page.text  # the empty store says how to fill it
        refused = httpx.post(url + "api/graph/sync")
        assert refused.status_code == 403 and refused.json()["error"]["code"] == "writes_disabled"
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    assert proc.returncode is not None


def test_serve_help():
    out = subprocess.run([sys.executable, "-m", "unkg.cli", "serve", "--help"], capture_output=True, text=True, cwd=str(REPO))
    assert out.returncode == 0 and "--port" in out.stdout and "--host" in out.stdout
