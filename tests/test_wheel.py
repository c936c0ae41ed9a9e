"""The installed package, as a user gets it from `pip install .` (not editable): one namespace, samples and
web assets inside, `unkg demo` and `unkg serve` working from any folder."""

from __future__ import annotations

import json
import os
import shutil
import site
import subprocess
import sys
import zipfile
from pathlib import Path

import httpx
import pytest

from tests.conftest import REPO, serve_and_wait, stop_server

pytestmark = [pytest.mark.slow, pytest.mark.server]


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """A fresh venv holding the wheel built from this checkout; its dependencies come from the test venv
    (a plain path entry: the test venv's editable finder is not loaded)."""
    root = tmp_path_factory.mktemp("wheel")
    # built from a copy: setuptools writes build/ and *.egg-info next to the sources
    src = root / "src"
    shutil.copytree(REPO, src, ignore=shutil.ignore_patterns(".venv", "node_modules", ".git", "build", "*.egg-info", "__pycache__",
                                                             ".unkg-home", "artifacts"))
    if (REPO / "node_modules").is_dir():
        (src / "node_modules").symlink_to(REPO / "node_modules")
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(root), str(src)],
                           capture_output=True, text=True, timeout=600)
    assert built.returncode == 0, built.stderr
    wheel = next(root.glob("unkg-*.whl"))
    venv = root / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    purelib = next((venv / "lib").glob("python3*/site-packages"))
    (purelib / "zz_test_deps.pth").write_text("\n".join(site.getsitepackages()) + "\n")
    with zipfile.ZipFile(wheel) as z:
        z.extractall(purelib)  # what pip does for a pure-Python wheel, without network or pip in the venv
    entry = venv / "bin" / "unkg"
    entry.write_text(f"#!{venv / 'bin' / 'python'}\nfrom unkg.cli import main\n\nif __name__ == '__main__':\n    main()\n")
    entry.chmod(0o755)
    return venv


def _names(venv: Path) -> set[str]:
    purelib = next((venv / "lib").glob("python3*/site-packages"))
    return {p.name for p in purelib.iterdir()}


def test_one_namespace_with_samples_and_web_assets(installed):
    names = _names(installed)
    assert "unkg" in names
    assert not names & {"ingest", "extract", "graph", "search", "corpus"}, "generic top-level modules in site-packages"
    pkg = next((installed / "lib").glob("python3*/site-packages")) / "unkg"
    assert len(list((pkg / "samples").glob("*.txt"))) == 5
    assert (pkg / "web" / "templates" / "search.html").is_file()
    if (REPO / "node_modules" / "cytoscape").is_dir():
        assert (pkg / "web" / "static" / "vendor" / "cytoscape.min.js").is_file()


def test_demo_and_serve_from_the_wheel(installed, tmp_path):
    env = {**os.environ, "UNKG_HOME": str(tmp_path / "home"), "PYTHONPATH": ""}
    env.pop("UNKG_API_KEY", None)
    py = str(installed / "bin" / "python")
    where = subprocess.run([py, "-c", "import unkg, unkg.search; print(unkg.__file__); print(unkg.search.__file__)"],
                           capture_output=True, text=True, env=env, cwd=str(tmp_path), timeout=60)
    assert where.returncode == 0, where.stderr
    assert all(str(installed) in line for line in where.stdout.split()), where.stdout
    demo = subprocess.run([str(installed / "bin" / "unkg"), "demo", "--json"], capture_output=True, text=True, env=env,
                          cwd=str(tmp_path), timeout=900)
    assert demo.returncode == 0, demo.stderr
    lines = [json.loads(x) for x in demo.stdout.splitlines() if x.startswith("{")]
    files = [x for x in lines if "status" in x]
    assert any("answers" in x for x in lines)
    assert len([f for f in files if f["status"] in ("ok", "partial")]) == 5
    proc, url, _, health = serve_and_wait([str(installed / "bin" / "unkg"), "serve", "--port", "0", "--json", "--no-warm"],
                                          env, str(tmp_path))
    try:
        assert health["documents"] == 5
        assert httpx.get(url + "mandates", headers={"Accept": "text/html"}).status_code == 200
        if (REPO / "node_modules" / "cytoscape").is_dir():
            assert httpx.get(url + "static/vendor/cytoscape.min.js").status_code == 200
    finally:
        stop_server(proc)


def test_demo_exits_nonzero_when_it_could_not_ingest(installed, tmp_path):
    pkg = next((installed / "lib").glob("python3*/site-packages")) / "unkg"
    hidden = pkg / "samples-hidden"
    (pkg / "samples").rename(hidden)
    try:
        env = {**os.environ, "UNKG_HOME": str(tmp_path / "home"), "PYTHONPATH": ""}
        demo = subprocess.run([str(installed / "bin" / "unkg"), "demo"], capture_output=True, text=True, env=env,
                              cwd=str(tmp_path), timeout=300)
        assert demo.returncode != 0 and "sample corpus is missing" in demo.stderr
    finally:
        hidden.rename(pkg / "samples")
