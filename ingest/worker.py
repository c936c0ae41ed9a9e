"""Parse untrusted files in worker processes with a time and memory limit.

A pool of spawned workers takes one file at a time. A worker that runs past
the time limit is killed and replaced; one that dies (memory cap, crash in a
C library) is reported for that file only. The batch goes on either way.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import time
import traceback
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Iterable, Iterator, Optional

from unkg.model import Document

from .options import ParseTask


@dataclass
class ParseResult:
    """The outcome of parsing one file."""

    path: str
    document: Optional[Document] = None
    code: Optional[str] = None  # error code when parsing failed
    reason: Optional[str] = None

    @property
    def ok(self) -> bool:
        return self.document is not None


def _limit_memory(mb: int) -> None:
    try:
        import resource

        cap = mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    except (ImportError, ValueError, OSError):
        pass


def _worker_main(conn: Connection, memory_mb: int, task: ParseTask) -> None:
    import sys

    # spaCy's thinc imports torch when it is installed (seconds, hundreds of MB); parsing never needs it
    sys.modules.setdefault("torch", None)  # type: ignore[arg-type]
    from unkg.errors import IngestError

    _limit_memory(memory_mb)
    task.warm_up()
    conn.send(("ready",))
    while True:
        try:
            path = conn.recv()
        except (EOFError, KeyboardInterrupt):
            return
        if path is None:
            return
        try:
            doc = task(path)
            conn.send(("ok", doc.model_dump_json()))
        except IngestError as exc:
            conn.send(("error", exc.code, exc.reason))
        except MemoryError:
            conn.send(("error", "resource_limit", f"parsing needed more than the {memory_mb} MB memory limit (UNKG_WORKER_MEMORY_MB)"))
        except RecursionError:
            conn.send(("error", "invalid", "structure nested too deeply to parse"))
        except Exception as exc:  # a parser bug must not take the batch down
            last = traceback.extract_tb(exc.__traceback__)[-1]
            where = f"{os.path.basename(last.filename)}:{last.lineno}"
            conn.send(("error", "parser_error", f"unexpected {type(exc).__name__} in {where}: {str(exc)[:200]}"))


class _Slot:
    def __init__(self, ctx, memory_mb: int, parse: ParseTask) -> None:
        self.ctx = ctx
        self.memory_mb = memory_mb
        self.parse = parse
        self.start(wait=False)

    def start(self, wait: bool = True) -> None:
        parent, child = self.ctx.Pipe()
        self.conn: Connection = parent
        self.proc = self.ctx.Process(target=_worker_main, args=(child, self.memory_mb, self.parse), daemon=True)
        self.proc.start()
        child.close()
        self.task: Optional[str] = None
        self.started = 0.0
        if wait:
            self.wait_ready()

    def wait_ready(self, wait_s: float = 120.0) -> None:
        # wait until the worker has imported its parsers, so the time limit measures parsing only; one still
        # loading after `wait_s` says "ready" later, which `WorkerPool.map` takes as the start of its file
        if self.conn.poll(wait_s):
            try:
                self.conn.recv()
            except (EOFError, OSError):
                pass

    def kill(self) -> None:
        self.proc.kill()
        self.proc.join(5)
        self.conn.close()


class WorkerPool:
    """A fixed set of worker processes, each running `task` on one file at a time; use as a context manager."""

    def __init__(self, task: ParseTask, workers: int = 1, timeout_s: float = 120.0, memory_mb: int = 3072,
                 ready_wait_s: float = 120.0) -> None:
        self.ctx = mp.get_context("spawn")
        self.timeout_s = timeout_s
        self.memory_mb = memory_mb
        self.slots = [_Slot(self.ctx, memory_mb, task) for _ in range(max(1, workers))]
        for slot in self.slots:  # started together, waited for together
            slot.wait_ready(ready_wait_s)

    def __enter__(self) -> "WorkerPool":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        for s in self.slots:
            try:
                s.conn.send(None)
            except (OSError, BrokenPipeError):
                pass
        for s in self.slots:
            s.proc.join(2)
            if s.proc.is_alive():
                s.proc.kill()
                s.proc.join(2)

    def map(self, paths: Iterable[str]) -> Iterator[ParseResult]:
        """Parse every path; yield results as they complete."""
        queue = list(paths)
        queue.reverse()
        busy: dict[Connection, _Slot] = {}
        while queue or busy:
            for s in self.slots:
                if s.task is None and queue:
                    s.task = queue.pop()
                    s.started = time.monotonic()
                    s.conn.send(s.task)
                    busy[s.conn] = s
            now = time.monotonic()
            deadline = min(s.started + self.timeout_s for s in busy.values())
            ready = wait(list(busy), timeout=max(0.0, deadline - now))
            for conn in ready:
                s = busy.pop(conn)  # type: ignore[arg-type]
                task, s.task = s.task, None
                assert task is not None
                try:
                    msg = conn.recv()  # type: ignore[union-attr]
                except (EOFError, OSError):
                    code = s.proc.exitcode
                    s.kill()
                    s.start()
                    yield ParseResult(task, code="resource_limit", reason=f"the parser process died (exit code {code}); the file likely exceeds the memory limit of {self.memory_mb} MB")
                    continue
                if msg[0] == "ready":
                    # a worker that took longer to load than `wait_ready` waited (a loaded machine): it has only now
                    # started on the file, so its answer is still to come and its time limit starts now
                    s.task, s.started = task, time.monotonic()
                    busy[conn] = s
                    continue
                if msg[0] == "ok":
                    yield ParseResult(task, document=Document.model_validate_json(msg[1]))
                else:
                    yield ParseResult(task, code=msg[1], reason=msg[2])
            now = time.monotonic()
            for conn, s in list(busy.items()):
                if now - s.started >= self.timeout_s:
                    busy.pop(conn)
                    task, s.task = s.task, None
                    s.kill()
                    s.start()
                    yield ParseResult(task or "", code="timeout", reason=f"parsing took longer than {self.timeout_s:g} s (UNKG_PARSE_TIMEOUT)")
