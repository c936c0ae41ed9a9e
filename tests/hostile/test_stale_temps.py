"""Temporary files of killed writes are removed by the next run of the command that writes them.

Before: a SIGKILL while `unkg graph build` saved its cache left the `.graph-*.tmp` (90 MB on a
large corpus) for good; every later build wrote a new one beside it.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import networkx as nx

from tests.conftest import REPO, SAMPLES, run_cli

# builds the graph of the store under UNKG_HOME and dies by SIGKILL halfway through writing the cache
_KILLED_SAVE = r"""
import os, pickle, signal
import unkg.graph.build as build
from unkg.corpus.store import Store
from unkg.settings import Settings

def dump(obj, fh, protocol=None):
    data = pickle.dumps(obj, protocol=protocol)
    fh.write(data[: len(data) // 2])
    fh.flush()
    os.kill(os.getpid(), signal.SIGKILL)

build.pickle.dump = dump
build.build_graph(Store(Settings.from_env().db_path))
"""


def _edges(kg) -> tuple[set, set]:
    return set(kg.g.nodes), {(u, v, k) for u, v, k in kg.g.edges(keys=True)}


def test_sigkill_during_graph_save_leaves_nothing_for_good(unkg_home):
    r = run_cli("ingest", str(SAMPLES), "--json")
    assert r.returncode == 0, r.stderr[-2000:]
    killed = subprocess.run([sys.executable, "-c", _KILLED_SAVE], cwd=str(REPO), env=dict(os.environ), capture_output=True, timeout=300)
    assert killed.returncode == -signal.SIGKILL, killed.stderr[-2000:]
    temps = list(unkg_home.glob(".graph-*.tmp"))
    assert len(temps) == 1 and temps[0].stat().st_size > 0  # the leftover the kill makes
    assert not (unkg_home / "graph.pickle").exists()

    r = run_cli("graph", "build", "--json")
    assert r.returncode == 0 and "Traceback" not in r.stderr, r.stderr[-2000:]
    rep = json.loads(r.stdout)
    assert rep["stale_temps_removed"] == 1 and rep["added"] == 5
    assert not list(unkg_home.glob(".graph-*.tmp"))

    # the CLI keeps the graph in the store's tables; a save of the in-memory form after the kill is whole
    from unkg.corpus.store import Store
    from unkg.settings import Settings
    from unkg.graph.build import KnowledgeGraph, build_graph

    store = Store(Settings.from_env().db_path)
    try:
        build_graph(store)
        cached = KnowledgeGraph.load(unkg_home / "graph.pickle")
        fresh, _ = build_graph(store, kg=KnowledgeGraph(), save=False)
    finally:
        store.close()
    assert cached.built and set(cached.built) == set(fresh.built)
    assert _edges(cached) == _edges(fresh) and nx.utils.graphs_equal(cached.g, fresh.g)

    # a build with nothing to save still removes a leftover
    (unkg_home / ".graph-leftover.tmp").write_bytes(b"\0" * 1024)
    r = run_cli("graph", "build", "--json")
    assert r.returncode == 0 and json.loads(r.stdout)["stale_temps_removed"] == 1
    assert not list(unkg_home.glob(".graph-*.tmp"))


def test_a_save_in_progress_keeps_its_temp(tmp_path):
    from unkg.graph.build import _lock_path, remove_stale_temps
    from unkg.leftovers import exclusive

    cache = tmp_path / "graph.pickle"
    fresh, old = tmp_path / ".graph-live.tmp", tmp_path / ".graph-dead.tmp"
    fresh.write_bytes(b"x")
    old.write_bytes(b"x")
    hour_ago = time.time() - 3600
    os.utime(old, (hour_ago, hour_ago))
    other = tmp_path / "graph.pickle.other"
    other.write_bytes(b"not a temp")
    with exclusive(_lock_path(cache)):  # another process is saving: only an hour-old temp can go
        assert remove_stale_temps(cache) == [old]
    assert fresh.exists() and other.exists()
    assert remove_stale_temps(cache) == [fresh]  # the lock is free: no save is running
    assert other.exists()


def _age(path, seconds: float) -> None:
    t = time.time() - seconds
    os.utime(path, (t, t))


def test_index_removes_cache_temps_of_killed_runs(unkg_home):
    r = run_cli("ingest", str(SAMPLES), "--json")
    assert r.returncode == 0, r.stderr[-2000:]
    cache = unkg_home / "search-cache"
    cache.mkdir(parents=True)
    dead = [cache / "bm25-g3.tmp.npz", cache / "use-multilingual-g2.usearch.tmp"]
    for p in dead:
        p.write_bytes(b"\0" * 4096)
        _age(p, 3600)
    live = cache / "bm25-g4.tmp.npz"  # a minute old: may belong to a server writing it now
    live.write_bytes(b"\0")
    _age(live, 60)
    r = run_cli("index", "--json", timeout=600)
    assert r.returncode == 0 and "Traceback" not in r.stderr, r.stderr[-2000:]
    assert json.loads(r.stdout)["index"]["paragraphs"] > 0
    assert not any(p.exists() for p in dead) and live.exists()
    r = run_cli("search", "secretariat", "--json")
    assert r.returncode == 0 and json.loads(r.stdout.splitlines()[0])["hits"], r.stderr[-2000:]


def test_upload_parts_of_a_killed_server_are_removed(unkg_home):
    from unkg.settings import get_settings
    from unkg.web.data import WebData

    uploads = unkg_home / "uploads"
    uploads.mkdir(parents=True)
    dead, live = uploads / f".{'a' * 64}.part", uploads / f".{'b' * 64}.part"
    dead.write_bytes(b"half an upload")
    live.write_bytes(b"an upload being written")
    _age(dead, 3600)
    data = WebData(get_settings())
    try:
        sha, path = data.save_upload("ICCD/COP(16)/77\n\n1. Requests the secretariat to report.\n".encode(), "d.txt")
    finally:
        data.close()
    assert path.exists() and path.parent == uploads
    assert not dead.exists() and live.exists()
    assert sorted(p.name for p in uploads.iterdir()) == sorted([path.name, live.name])
