"""The graph sync under failure (issue 8, points 2 and 3), against a real Bolt server (FalkorDB).

* Outage, then recovery. The server dies in the middle of a sync: a GraphError
  that says what to do, and only documents the server confirmed are marked
  synced. Then it comes back on the same URI, and the next plain sync makes the
  server's graph equal networkx's: every node id, label and property, every
  relationship (source, type, target, key) and its properties.
  - Without persistence (the test server's default; a crash before a save is
    the same) it comes back empty, so the sync state claims documents the
    server lost. The sync notices and sends everything, and if that recovery
    sync is itself interrupted, the one after it still completes.
  - With persistence (RDB written on a clean stop, same folder and ports) what
    was confirmed is still there, complete; only the rest is sent again.
* Interrupted sync: a sync process is killed with SIGKILL at random points (after
  a random number of confirmed batches plus a random few milliseconds, so kills
  land inside statements and inside the bookkeeping too) and run again each
  time; at the end the server holds exactly what a clean run on a fresh server
  holds, nothing twice, and the SQLite store passes `PRAGMA integrity_check`.

Each test writes its section of docs/hostile-inputs.md.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from unkg.graph.build import build_graph
from unkg.graph.falkor import FalkorServer
from unkg.graph.neo4j_sync import Client, Connection, sync_graph, sync_state
from tests.conftest import DATA, REPO, SAMPLES, home_in_env, run_cli
from tests.graph.conftest import ingest_here, local_graph, server_graph
from tests.hostile.report import write_section
from unkg.errors import GraphError

KILLS = 8
SEED = 20261123
RESOLUTIONS = 12  # UN resolutions added to the five seeds
DOCS_PER_GROUP = 3  # documents marked synced together: small, so kills land between marks too

# the sync as its own process: prints a line per confirmed batch, so the test can kill it part-way
DRIVER = """
import json, sys
from unkg.corpus.store import Store
from unkg.settings import Settings
from unkg.graph.build import build_graph
from unkg.graph.neo4j_sync import Connection, sync_graph
store = Store(Settings.from_env().db_path)
kg, _ = build_graph(store)
print("start", len(kg.built), flush=True)
rep = sync_graph(kg, store, Connection(sys.argv[1], database=sys.argv[2]), docs_per_group=int(sys.argv[3]),
                 on_batch=lambda n, rows: print("batch", n, flush=True))
print("done", json.dumps(rep.as_dict()), flush=True)
"""


# -- fixtures -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def _corpus_template(tmp_path_factory) -> Path:
    """The five seeds and the first RESOLUTIONS UN resolutions, ingested and built once."""
    from unkg.corpus.store import Store
    from unkg.settings import Settings

    home = tmp_path_factory.mktemp("graph-crash-home")
    with home_in_env(home):
        store = Store(Settings.from_env().db_path)
        files = sorted(SAMPLES.glob("*.txt")) + sorted((DATA / "un-resolutions").glob("*.txt"))[:RESOLUTIONS]
        ingest_here(files, store)
        build_graph(store)
        store._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        store.close()
    return home


@pytest.fixture
def corpus(_corpus_template, tmp_path, monkeypatch):
    """(home, store, graph) on a copy of the template."""
    from unkg.corpus.store import Store
    from unkg.settings import Settings
    from unkg.settings import get_settings

    home = tmp_path / "home"
    shutil.copytree(_corpus_template, home)
    monkeypatch.setenv("UNKG_HOME", str(home))
    get_settings.cache_clear()
    store = Store(Settings.from_env().db_path)
    kg, _ = build_graph(store)
    assert len(kg.built) == 5 + RESOLUTIONS
    yield home, store, kg
    store.close()
    get_settings.cache_clear()


@pytest.fixture
def servers():
    """Start FalkorDB servers of the test's own (they get stopped and restarted); all stopped at the end."""
    made: list[FalkorServer] = []

    def make(**kw) -> FalkorServer:
        srv = FalkorServer(**kw)
        made.append(srv)
        return srv.start()

    yield make
    for srv in made:
        srv.cleanup()


# -- comparisons --------------------------------------------------------------------------


def _diff(server: dict, local: dict) -> dict[str, int]:
    return {"missing": sum(k not in server for k in local), "extra": sum(k not in local for k in server),
            "different": sum(k in server and server[k] != v for k, v in local.items())}


def graph_check(conn: Connection, kg, marked=()) -> dict:
    """The server's whole graph against networkx's: differences and duplicates (all zero when exact), and
    `wrongly_marked`: nodes and relationships of the documents `marked` synced that the server lacks or holds otherwise."""
    with Client(conn) as client:
        nodes, rels, dup_nodes, dup_rels = server_graph(client)
    want_nodes, want_rels = local_graph(kg)
    mine_nodes, mine_rels = local_graph(kg, marked)
    return {"nodes": _diff(nodes, want_nodes), "relationships": _diff(rels, want_rels),
            "duplicate_nodes": dup_nodes, "duplicate_relationships": dup_rels,
            "exact": nodes == want_nodes and rels == want_rels and not dup_nodes and not dup_rels,
            "sizes": (len(nodes), len(rels)),
            "wrongly_marked": sum(nodes.get(k) != v for k, v in mine_nodes.items()) + sum(rels.get(k) != v for k, v in mine_rels.items())}


def _yes(ok: bool) -> str:
    return "yes" if ok else "NO"


def _corpus_line(kg) -> str:
    c = kg.counts()
    return (f"Corpus: {c['documents']} documents (the 5 seeds and {RESOLUTIONS} UN resolutions), {c['nodes']:,} nodes, "
            f"{c['relationships']:,} relationships; FalkorDB over Bolt; {DOCS_PER_GROUP} documents marked synced at a time.")


# -- outage, then recovery --------------------------------------------------------------------


def _stop_part_way(kg, store, conn, total: int, share: float, stop) -> GraphError:
    """Sync until `share` of the documents are marked synced, then `stop()` the server; returns the error."""

    def on_batch(n, rows):
        if len(sync_state(store, conn.target)) >= total * share:
            stop()

    with pytest.raises(GraphError) as err:
        sync_graph(kg, store, conn, docs_per_group=DOCS_PER_GROUP, on_batch=on_batch)
    return err.value


def test_server_crash_then_restart_empty(corpus, servers):
    home, store, kg = corpus
    total = len(kg.built)
    srv = servers()
    conn = Connection(srv.uri, database="unkg")

    # 1. the server dies (SIGKILL, nothing saved) a third of the way through
    err = _stop_part_way(kg, store, conn, total, 1 / 3, srv.crash)
    claimed = sync_state(store, conn.target)
    clear = "Nothing unconfirmed was marked as synced" in str(err) and "run `unkg graph sync` again" in str(err)
    # 2. it comes back on the same URI, empty: the state claims documents it no longer has
    srv.restart()
    rep = sync_graph(kg, store, conn, docs_per_group=DOCS_PER_GROUP)
    first = graph_check(conn, kg)
    state_ok = sync_state(store, conn.target) == kg.built

    # 3. it loses its data again, and this time the recovery sync is interrupted too (Ctrl-C), in
    # one group of all documents as the CLI sends them: every document node is back by then, not
    # every relationship. The old claims must not survive that: the sync after it completes
    srv.crash()
    srv.restart()
    batches = rep.statements

    def ctrl_c(n, rows):
        if n == batches * 3 // 4:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        sync_graph(kg, store, conn, on_batch=ctrl_c)
    with Client(conn) as client:
        documents_back = client.run("MATCH (n:Document) RETURN count(n) AS c")[0]["c"]
    rep2 = sync_graph(kg, store, conn)
    second = graph_check(conn, kg)
    state2_ok = sync_state(store, conn.target) == kg.built

    write_section("graph-sync-outage-empty", [
        "## Graph sync: the Bolt server crashes and comes back empty",
        "",
        "Written by `tests/hostile/test_crash_graph.py::test_server_crash_then_restart_empty`. " + _corpus_line(kg),
        "",
        "| case | outcome | as expected |",
        "|---|---|---|",
        f"| server killed (SIGKILL) after {len(claimed)} of {total} documents were confirmed | GraphError: "
        f"{'says nothing unconfirmed was marked, run again' if clear else str(err)[:80]}; state lists {len(claimed)} documents | "
        f"{_yes(clear and 0 < len(claimed) < total)} |",
        f"| restarted on the same URI without its data (the state still claims {len(claimed)} documents); plain `sync_graph` | "
        f"noticed and sent everything again: {_yes(rep.full)}, {rep.documents} documents; graph equals networkx's: {_yes(first['exact'])} ({first['sizes'][0]:,} nodes, "
        f"{first['sizes'][1]:,} relationships; duplicates {first['duplicate_nodes']} + {first['duplicate_relationships']}); "
        f"state lists exactly the documents: {_yes(state_ok)} | {_yes(first['exact'] and state_ok and rep.documents == total)} |",
        f"| restarted empty again, recovery sync interrupted at batch {batches * 3 // 4} ({documents_back} document nodes back), "
        f"then plain `sync_graph` | "
        f"{rep2.documents} documents sent; graph equals networkx's: {_yes(second['exact'])} (missing {second['nodes']['missing']} nodes, "
        f"{second['relationships']['missing']} relationships); state exact: {_yes(state2_ok)} | {_yes(second['exact'] and state2_ok)} |",
    ])
    assert clear, str(err)
    assert 0 < len(claimed) < total
    assert all(kg.built[d] == fp for d, fp in claimed.items())
    assert rep.full and rep.documents == total
    assert first["exact"], first
    assert state_ok
    assert documents_back == kg.counts()["labels"]["Document"] and rep2.documents == total
    assert second["exact"], second
    assert state2_ok


def test_server_stop_then_restart_with_its_data(corpus, servers):
    home, store, kg = corpus
    total = len(kg.built)
    srv = servers(persist=True)
    conn = Connection(srv.uri, database="unkg")

    err = _stop_part_way(kg, store, conn, total, 1 / 2, srv.stop)  # a clean stop: the server saves what it has
    claimed = sync_state(store, conn.target)
    srv.restart()
    wrong = graph_check(conn, kg, claimed)["wrongly_marked"]  # every document marked synced is complete on the server
    rep = sync_graph(kg, store, conn, docs_per_group=DOCS_PER_GROUP)
    check = graph_check(conn, kg)
    state_ok = sync_state(store, conn.target) == kg.built

    write_section("graph-sync-outage-kept", [
        "## Graph sync: the Bolt server stops and comes back with its data",
        "",
        "Written by `tests/hostile/test_crash_graph.py::test_server_stop_then_restart_with_its_data`. " + _corpus_line(kg),
        "",
        "| case | outcome | as expected |",
        "|---|---|---|",
        f"| server stopped (SIGTERM, saves to RDB) after {len(claimed)} of {total} documents were confirmed | "
        f"GraphError; after the restart, items of marked documents missing or different on the server: {wrong} | "
        f"{_yes(wrong == 0 and 0 < len(claimed) < total)} |",
        f"| restarted on the same URI with its data; plain `sync_graph` | {rep.documents} documents sent "
        f"(the {total - len(claimed)} unconfirmed); graph equals networkx's: {_yes(check['exact'])} "
        f"({check['sizes'][0]:,} nodes, {check['sizes'][1]:,} relationships); state exact: {_yes(state_ok)} | "
        f"{_yes(check['exact'] and state_ok and rep.documents == total - len(claimed))} |",
    ])
    assert "Nothing unconfirmed was marked as synced" in str(err)
    assert 0 < len(claimed) < total
    assert wrong == 0
    assert not rep.full and rep.documents == total - len(claimed)
    assert check["exact"], check
    assert state_ok


# -- SIGKILL of the sync process ----------------------------------------------------------------


def _driver(home: Path, uri: str, database: str, stderr) -> subprocess.Popen:
    env = dict(os.environ, UNKG_HOME=str(home))
    return subprocess.Popen([sys.executable, "-c", DRIVER, uri, database, str(DOCS_PER_GROUP)], env=env, cwd=str(REPO),
                            stdout=subprocess.PIPE, stderr=stderr, text=True, start_new_session=True)


def _read_state(db_path: Path, target: str) -> tuple[dict[str, str], bool]:
    db = sqlite3.connect(db_path)
    try:
        ok = db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        state = dict(db.execute("SELECT doc_id, fingerprint FROM graph_sync WHERE target = ?", (target,)))
        return state, ok
    finally:
        db.close()


def test_sigkill_during_graph_sync(corpus, servers, tmp_path):
    home, store, kg = corpus
    store.close()  # the sync processes own the store from here
    total = len(kg.built)
    db_path = home / "unkg.sqlite"
    log = open(tmp_path / "driver.err", "w")
    t_start = time.monotonic()
    proc = None
    try:
        # the clean run, on a fresh server
        clean_srv = servers()
        proc = _driver(home, clean_srv.uri, "clean", log)
        out, _ = proc.communicate(timeout=300)
        assert proc.returncode == 0, (tmp_path / "driver.err").read_text()
        clean_batches = sum(line.startswith("batch ") for line in out.splitlines())
        with Client(Connection(clean_srv.uri, database="clean")) as client:
            clean_nodes, clean_rels, clean_dn, clean_dr = server_graph(client)
        clean_srv.cleanup()
        want_nodes, want_rels = local_graph(kg)
        assert (clean_nodes, clean_rels, clean_dn, clean_dr) == (want_nodes, want_rels, 0, 0)

        srv = servers()
        conn = Connection(srv.uri, database="crashy")
        rng = random.Random(SEED)
        rounds = []
        # kill points spread over the whole sync: at sorted random shares of the clean run's batches,
        # counted from the share already marked synced (a re-run only sends what is not)
        for share in sorted(rng.uniform(0.02, 1.0) for _ in range(KILLS)):
            state, _ = _read_state(db_path, conn.target)
            kill_after = max(1, round((share - len(state) / total) * clean_batches))
            jitter = rng.uniform(0, 0.03)
            proc = _driver(home, srv.uri, "crashy", log)
            watchdog = threading.Timer(120, lambda p=proc: os.killpg(p.pid, signal.SIGKILL))
            watchdog.start()
            seen = 0
            done = False
            for line in proc.stdout:
                seen += line.startswith("batch ")
                done = done or line.startswith("done ")
                if seen >= kill_after:
                    break
            time.sleep(jitter)
            killed = proc.poll() is None
            if killed:
                os.killpg(proc.pid, signal.SIGKILL)
            rest, _ = proc.communicate(timeout=60)
            watchdog.cancel()
            done = done or "\ndone " in "\n" + rest
            state, ok = _read_state(db_path, conn.target)
            check = graph_check(conn, kg, state)
            rounds.append({"share": share, "after_batches": kill_after, "jitter_ms": round(jitter * 1000), "killed_mid_sync": killed and not done,
                           "marked": len(state), "integrity_ok": ok, "wrongly_marked": check["wrongly_marked"], "fingerprints_ok":
                           all(kg.built.get(d) == fp for d, fp in state.items()),
                           "duplicates": check["duplicate_nodes"] + check["duplicate_relationships"]})
        # the re-run that finishes: the real command line
        before, _ = _read_state(db_path, conn.target)
        r = run_cli("graph", "sync", "--uri", srv.uri, "--database", "crashy", "--json", env={"UNKG_HOME": str(home)})
        final = json.loads(r.stdout) if r.returncode == 0 else {}
        state, ok = _read_state(db_path, conn.target)
        with Client(conn) as client:
            nodes, rels, dup_nodes, dup_rels = server_graph(client)
    finally:
        if proc is not None and proc.poll() is None:  # a failure part-way: leave nothing running
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(10)
        log.close()
    seconds = time.monotonic() - t_start
    equal_clean = nodes == clean_nodes and rels == clean_rels
    mid = sum(x["killed_mid_sync"] for x in rounds)
    partial = sum(x["marked"] < total for x in rounds)
    dups = dup_nodes + dup_rels + sum(x["duplicates"] for x in rounds)
    wrong = sum(x["wrongly_marked"] for x in rounds)
    all_ok = ok and all(x["integrity_ok"] for x in rounds)
    write_section("graph-sync-sigkill", [
        "## Graph sync: SIGKILL of the sync process",
        "",
        "Written by `tests/hostile/test_crash_graph.py::test_sigkill_during_graph_sync`. " + _corpus_line(kg),
        f"Seed {SEED}; round i kills the sync process when the i-th of {KILLS} sorted random shares of a clean run's "
        f"{clean_batches} batches is reached (counted from the documents already marked), plus 0-30 ms, then checks the "
        f"store and the server; a last `unkg graph sync` finishes. "
        f"Whole test {seconds:.1f} s.",
        "",
        "| round | share of the sync | killed after batch of this run | + ms | killed mid-sync | documents marked synced | integrity_check | "
        "marked but not on the server | duplicates on the server |",
        "|---:|---:|---:|---:|---|---:|---|---:|---:|",
        *[f"| {i} | {x['share']:.2f} | {x['after_batches']} | {x['jitter_ms']} | {_yes(x['killed_mid_sync']) if x['killed_mid_sync'] else 'no (it had finished)'} | "
          f"{x['marked']} of {total} | {'ok' if x['integrity_ok'] else 'NOT OK'} | {x['wrongly_marked']} | {x['duplicates']} |"
          for i, x in enumerate(rounds, 1)],
        "",
        "| after the last re-run | outcome | as expected |",
        "|---|---|---|",
        f"| graph sync SIGKILLed at {len(rounds)} points ({mid} mid-sync, {partial} with documents still unmarked), re-run each time | "
        f"server graph equals the clean run's on a fresh server: {_yes(equal_clean)} ({len(nodes):,} nodes, {len(rels):,} relationships); "
        f"duplicates {dups}; marked but missing {wrong}; integrity_check {'ok' if all_ok else 'NOT OK'}; state lists exactly the "
        f"documents: {_yes(state == kg.built)} | {_yes(equal_clean and not dups and not wrong and all_ok and state == kg.built)} |",
    ])
    assert r.returncode == 0, r.stdout + r.stderr
    assert final["documents_synced"] == total - len(before)
    assert mid >= KILLS // 2, f"only {mid} of {KILLS} kills landed mid-sync: {rounds}"
    assert partial >= 3, rounds
    assert all(x["fingerprints_ok"] for x in rounds)
    assert wrong == 0, rounds
    assert dups == 0, rounds
    assert all_ok
    assert equal_clean
    assert (nodes, rels) == (want_nodes, want_rels)
    assert state == kg.built
