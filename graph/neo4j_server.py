"""Start a Neo4j Community 5 server of our own: the launcher built from neo4j-server/ (Maven).

Used by the tests and the benchmarks, and by hand (`python -m unkg.graph.neo4j_server`):
Bolt with authentication on a free loopback port, a data folder (temporary unless
given), a modest heap and page cache (the machine is shared). The JVM reads its
standard input: closing it (or this process dying) stops the server, so nothing is
left running. `crash()` is SIGKILL, `restart()` comes back on the same port and data.
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Optional

from unkg.errors import GraphError

from .falkor import free_port

#: the Maven project of the launcher (repository root / neo4j-server)
SERVER_DIR = Path(os.environ.get("UNKG_NEO4J_SERVER_DIR") or Path(__file__).resolve().parents[1] / "neo4j-server")
READY = "NEO4J READY"


def java_available() -> bool:
    return shutil.which("java") is not None


def classpath(build: bool = True) -> str:
    """The launcher's classpath; built with Maven first if it is not there yet."""
    classes, lib = SERVER_DIR / "target" / "classes", SERVER_DIR / "target" / "lib"
    launcher = classes / "unkg" / "Neo4jLauncher.class"
    if not launcher.exists() or not lib.is_dir():
        if not build:
            raise GraphError(f"the Neo4j launcher is not built: run `mvn -q -f {SERVER_DIR / 'pom.xml'} package`")
        mvn = shutil.which("mvn")
        if mvn is None:
            raise GraphError(f"the Neo4j launcher is not built and mvn is not on PATH (needs {SERVER_DIR / 'pom.xml'})")
        res = subprocess.run([mvn, "-q", "-B", "-f", str(SERVER_DIR / "pom.xml"), "package"], capture_output=True, text=True)
        if res.returncode != 0 or not launcher.exists():
            raise GraphError(f"building the Neo4j launcher failed:\n{res.stdout[-2000:]}\n{res.stderr[-2000:]}")
    return f"{classes}{os.pathsep}{lib}{os.sep}*"


def jvm_flags(heap: str) -> list[str]:
    """The JVM's memory and GC flags.

    The heap is fixed at its size (no resizing) with half of it for new objects: a sync's
    transaction of 10,000 rows allocates its state there, and with the JVM's default
    third (ParallelGC, heap grown from 1/64 of the RAM) the young collections came every
    second or two, each copying the transaction's live state again (10.7 s of pauses in a
    benchmark of three 10,000-paragraph syncs; 3.8 s with a fixed 2 GB heap, half young).
    """
    return [f"-Xms{heap}", f"-Xmx{heap}", "-XX:NewRatio=1", "-Xss2m", "-XX:+UseParallelGC", "-XX:ActiveProcessorCount=2"]


class Neo4jServer:
    """`with Neo4jServer() as srv: srv.uri, srv.user, srv.password` -> a running Neo4j 5 on bolt://127.0.0.1:PORT."""

    def __init__(self, data_dir: Optional[Path] = None, password: Optional[str] = None,
                 heap: str = "1g", pagecache: str = "256m") -> None:
        self._tmp = None if data_dir else tempfile.TemporaryDirectory(prefix="unkg-neo4j-")
        self.data_dir = Path(data_dir or self._tmp.name)
        self.password = password or "unkg-" + secrets.token_hex(8)
        self.user = "neo4j"
        self.database = "neo4j"
        self.heap, self.pagecache = heap, pagecache
        self.port = 0
        self.proc: Optional[subprocess.Popen] = None
        self.started_in = 0.0  # seconds the last start took (JVM start to READY)

    @property
    def uri(self) -> str:
        return f"bolt://127.0.0.1:{self.port}"

    @property
    def log_path(self) -> Path:
        return self.data_dir / "launcher.log"

    def start(self, timeout: float = 180.0) -> "Neo4jServer":
        cp = classpath()
        self.port = self.port or free_port()
        self._launch(cp, timeout)
        return self

    def restart(self, timeout: float = 180.0) -> "Neo4jServer":
        """Stop (if running) and start again on the same port and data folder."""
        self.stop()
        self._launch(classpath(), timeout)
        return self

    def _launch(self, cp: str, timeout: float) -> None:
        t0 = time.monotonic()
        (self.data_dir / "home").mkdir(parents=True, exist_ok=True)
        log = open(self.log_path, "ab")
        offset = self.log_path.stat().st_size
        env = {**os.environ, "NEO4J_PASSWORD": self.password}
        self.proc = subprocess.Popen(
            ["java", *jvm_flags(self.heap),
             "-cp", cp, "unkg.Neo4jLauncher", str(self.port), str(self.data_dir / "home"), "-", self.pagecache],
            stdin=subprocess.PIPE, stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True,
        )
        log.close()
        deadline = t0 + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                break
            with open(self.log_path, "rb") as f:
                f.seek(offset)
                if READY.encode() in f.read():
                    self.started_in = time.monotonic() - t0
                    return
            time.sleep(0.1)
        tail = self.log_path.read_text(errors="replace")[-3000:]
        self.stop()
        raise GraphError(f"the Neo4j test server did not start on port {self.port} within {timeout:g} s; "
                         f"log {self.log_path}:\n{tail}")

    def crash(self) -> None:
        """SIGKILL: no clean shutdown, the store is recovered on the next start."""
        if self.proc is not None and self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=30)
        self._close_stdin()
        self.proc = None

    def stop(self, timeout: float = 60.0) -> None:
        """SIGTERM (the launcher shuts the database down cleanly) and wait."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        self._close_stdin()
        self.proc = None

    def _close_stdin(self) -> None:
        if self.proc is not None and self.proc.stdin is not None:
            try:
                self.proc.stdin.close()
            except OSError:
                pass

    def cleanup(self) -> None:
        self.stop()
        if self._tmp is not None:
            self._tmp.cleanup()

    def __enter__(self) -> "Neo4jServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.cleanup()


if __name__ == "__main__":  # pragma: no cover - manual use: python -m unkg.graph.neo4j_server [DATA_DIR]
    import sys

    def _stop(*_):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    srv = Neo4jServer(Path(sys.argv[1]) if len(sys.argv) > 1 else None, password=os.environ.get("NEO4J_PASSWORD"))
    srv.start()
    print(f"export NEO4J_URI={srv.uri} NEO4J_USER={srv.user} NEO4J_PASSWORD={srv.password} NEO4J_DATABASE={srv.database}",
          flush=True)
    try:
        while srv.proc is not None and srv.proc.poll() is None:
            time.sleep(1)
    except KeyboardInterrupt:
        pass
    srv.cleanup()
