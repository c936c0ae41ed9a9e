"""Parse untrusted files in worker processes with a time and memory limit.

A pool of workers takes one file at a time. A worker that runs past the time
limit is killed and replaced; one that dies (memory cap, crash in a C library)
is reported for that file only. The batch goes on either way.

Where it is safe the workers are forked from the parent, which loads the parse
task once before forking: each worker starts loaded, and the load is paid once
whatever the number of workers. Spawned workers (the web server, which has
threads) load their parsers while the parent does its own start; a file's time
limit starts when its worker is ready.
"""

from __future__ import annotations

import gc
import multiprocessing as mp
import os
import sys
import threading
import time
import traceback
import types
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any, Iterable, Iterator, Optional, Protocol

from unkg.errors import IngestError, UnkgError
from unkg.model import Document


class WorkerTask(Protocol):
    """What a worker does with one file; picklable, so that a spawned worker can receive it. A parse task
    (`options.ParseTask`) returns the Document; `store_task.ParseAndStore` stores it and returns what happened."""

    def warm_up(self) -> None:
        """Load what the first file would load, before the time limit starts counting."""

    def __call__(self, path: str) -> Any: ...


@dataclass
class TaskResult:
    """The outcome of the task on one file: what the task returned (`value`), or an error code and reason."""

    path: str
    value: Any = None
    code: Optional[str] = None  # error code when the task failed
    reason: Optional[str] = None

    @property
    def ok(self) -> bool:
        return self.value is not None


def _limit_memory(mb: int) -> None:
    try:
        import resource

        cap = mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    except (ImportError, ValueError, OSError):
        pass


def _spacy_info_unavailable(*_args: object, **_kwargs: object) -> None:
    raise RuntimeError("spacy.info is not available in a parse worker")


def _keep_out_unused_imports() -> list[str]:
    """Keep out of a worker what parsing never runs: torch, which thinc imports when it is installed (seconds and
    hundreds of MB), and spaCy's command line, which `import spacy` loads for `spacy.info` alone (typer, weasel,
    requests, httpx: 0.2 s of each worker's start). Returns the names it held back."""
    added = [] if "torch" in sys.modules else ["torch"]
    sys.modules.setdefault("torch", None)  # type: ignore[arg-type]
    if "spacy" not in sys.modules:
        cli, info = types.ModuleType("spacy.cli"), types.ModuleType("spacy.cli.info")
        info.info = _spacy_info_unavailable  # type: ignore[attr-defined]
        cli.info = info  # type: ignore[attr-defined]
        for name, module in (("spacy.cli", cli), ("spacy.cli.info", info)):
            if name not in sys.modules:
                sys.modules[name] = module
                added.append(name)
    return added


def _load(task: WorkerTask) -> None:
    """Warm the task up with the collector paused, then freeze what it loaded.

    What is loaded (spaCy's vocabulary, the rules, lingua's tables) lives as long as the process: the collector's
    passes during the load walk it again and again (0.035 s of a 0.58 s load), and so would its full passes during
    the batch (4% of a batch's time, 1 worker, 200 files) and the interpreter's last one at exit (0.05 s). Frozen
    before a fork, it also stays out of the pages a child would otherwise copy."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        task.warm_up()
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


def _die_with_parent() -> None:
    """Linux: the kernel kills this worker when the process that started it dies (a parent killed on its own would
    otherwise leave it to finish and store its file after the batch is gone)."""
    if sys.platform != "linux":
        return
    try:
        import ctypes
        import signal

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    parent = mp.parent_process()
    if parent is not None and os.getppid() != parent.pid:  # the parent died before the request
        os._exit(1)


def _load_before_forking(task: WorkerTask) -> None:
    """Load the task once in this process, so that every worker forked from it starts loaded.

    Two workers loading side by side on two cores each took 0.1 s longer than one alone (0.49 against 0.38 s), and
    twice the CPU. Here the load is paid once, as with one worker, and a replacement worker starts loaded too. What a
    worker keeps out is kept out while spaCy is imported, then let back in (this process may still need torch), and
    numpy's BLAS, if this loads it, keeps to one thread, so that this process forks with no thread but its own (the
    variable is read once, when BLAS loads: put back, it leaves the processes this one starts later as they were)."""
    blas = os.environ.get("OPENBLAS_NUM_THREADS")
    os.environ["OPENBLAS_NUM_THREADS"] = "1"
    held_back = _keep_out_unused_imports()
    try:
        _load(task)
    finally:
        for name in held_back:
            sys.modules.pop(name, None)
        if blas is None:
            os.environ.pop("OPENBLAS_NUM_THREADS", None)
        else:
            os.environ["OPENBLAS_NUM_THREADS"] = blas


def _fork_is_safe() -> bool:
    """Forking is unsafe in a process with other threads (a lock held by one of them stays held in the child: the web
    server, a live progress bar) and wasteful where the parent holds torch."""
    return sys.platform == "linux" and threading.active_count() == 1 and sys.modules.get("torch") is None


def _start_method(memory_mb: int) -> str:
    """'fork' where it is safe and cheap, else 'spawn'.

    A forked worker starts with what the parent imported (pydantic, the document model, the extraction rules), which
    a spawned one imports again (0.3-0.4 s of each worker's start). Besides `_fork_is_safe`, the parent's address
    space must be small: the child's memory cap would count it."""
    if not _fork_is_safe():
        return "spawn"
    try:
        with open("/proc/self/statm") as f:
            size_mb = int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, IndexError):
        return "spawn"
    return "fork" if size_mb < memory_mb / 4 else "spawn"


def _worker_main(conn: Connection, memory_mb: int, task: WorkerTask) -> None:
    _die_with_parent()
    _keep_out_unused_imports()
    _limit_memory(memory_mb)
    _load(task)
    conn.send(("ready",))
    while True:
        try:
            path = conn.recv()
        except (EOFError, KeyboardInterrupt):
            path = None
        if path is None:
            close = getattr(task, "close", None)
            if close is not None:
                close()
            return
        try:
            value = task(path)
            # a Document goes as JSON: pydantic writes and reads it faster than pickle (37 against 54 ms for 40
            # documents, both ends)
            conn.send(("doc", value.model_dump_json()) if isinstance(value, Document) else ("ok", value))
        except IngestError as exc:
            conn.send(("error", exc.code, exc.reason))
        except UnkgError as exc:  # not the file's fault (the store is full or unreadable): the batch stops, as it would in the parent
            conn.send(("raise", exc))
            return
        except MemoryError:
            conn.send(("error", "resource_limit", f"parsing needed more than the {memory_mb} MB memory limit (UNKG_WORKER_MEMORY_MB)"))
        except RecursionError:
            conn.send(("error", "invalid", "structure nested too deeply to parse"))
        except Exception as exc:  # a parser bug must not take the batch down
            last = traceback.extract_tb(exc.__traceback__)[-1]
            where = f"{os.path.basename(last.filename)}:{last.lineno}"
            conn.send(("error", "parser_error", f"unexpected {type(exc).__name__} in {where}: {str(exc)[:200]}"))


class _Slot:
    """One worker process and the file it is on; `loaded` once the worker has said it is ready.

    `method` is the pool's start method, decided once (before the pool loaded the task, which grows the parent);
    unless the caller `pinned` it, a replacement is spawned instead of forked once forking is no longer safe (the
    CLI's progress bar has started its thread)."""

    def __init__(self, memory_mb: int, parse: WorkerTask, method: str, pinned: bool) -> None:
        self.memory_mb = memory_mb
        self.parse = parse
        self.method = method
        self.pinned = pinned
        self.start()

    def start(self) -> None:
        fork = self.method == "fork" and (self.pinned or _fork_is_safe())
        ctx = mp.get_context("fork" if fork else "spawn")
        parent, child = ctx.Pipe()
        self.conn: Connection = parent
        self.proc = ctx.Process(target=_worker_main, args=(child, self.memory_mb, self.parse), daemon=True)
        self.proc.start()
        child.close()
        self.task: Optional[str] = None
        self.loaded = False
        self.started = time.monotonic()  # loading, then the current file

    def kill(self) -> None:
        self.proc.kill()
        self.proc.join(5)
        self.conn.close()

    def replace(self) -> Optional[str]:
        """A new worker in place of this one (dead, stuck or too slow); returns the file the old one was on."""
        task = self.task
        self.kill()
        self.start()
        return task


class WorkerPool:
    """A fixed set of worker processes, each running `task` on one file at a time; use as a context manager.

    Forked workers start loaded (the task is loaded here first). Spawned ones load on their own and the pool does not
    wait for them: files are handed out straight away and each file's time limit (`timeout_s`) starts when its
    worker is ready. A worker that has not loaded within `load_timeout_s` is replaced and its file reported as timed
    out.
    """

    def __init__(self, task: WorkerTask, workers: int = 1, timeout_s: float = 120.0, memory_mb: int = 3072,
                 load_timeout_s: float = 300.0, start_method: Optional[str] = None) -> None:
        self.timeout_s = timeout_s
        self.load_timeout_s = load_timeout_s
        self.memory_mb = memory_mb
        method = start_method or _start_method(memory_mb)
        if method == "fork":
            _load_before_forking(task)
        self.slots = [_Slot(memory_mb, task, method, pinned=start_method is not None) for _ in range(max(1, workers))]

    def __enter__(self) -> "WorkerPool":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        for s in self.slots:
            if not s.loaded:  # still loading: nothing of its work is lost
                s.proc.kill()
                continue
            try:
                s.conn.send(None)
            except (OSError, BrokenPipeError):
                pass
        for s in self.slots:
            s.proc.join(2)
            if s.proc.is_alive():
                s.proc.kill()
                s.proc.join(2)

    def _deadline(self, s: _Slot) -> float:
        return s.started + (self.timeout_s if s.loaded else self.load_timeout_s)

    def map(self, paths: Iterable[str]) -> Iterator[TaskResult]:
        """Parse every path; yield results as they complete."""
        queue = list(paths)
        queue.reverse()
        busy: dict[Connection, _Slot] = {}
        while queue or busy:
            for s in self.slots:
                if s.task is None and queue:
                    s.task = queue.pop()
                    if s.loaded:
                        s.started = time.monotonic()
                    try:
                        s.conn.send(s.task)
                    except OSError:  # the worker died while idle (killed from outside): a new one takes the file
                        s.task = s.replace()
                        s.conn.send(s.task)
                    busy[s.conn] = s
            now = time.monotonic()
            deadline = min(self._deadline(s) for s in busy.values())
            ready = wait(list(busy), timeout=max(0.0, deadline - now))
            for conn in ready:
                s = busy.pop(conn)  # type: ignore[arg-type]
                try:
                    msg = conn.recv()  # type: ignore[union-attr]
                except (EOFError, OSError):
                    code = s.proc.exitcode
                    task = s.replace()
                    yield TaskResult(task or "", code="resource_limit", reason=f"the parser process died (exit code {code}); the file likely exceeds the memory limit of {self.memory_mb} MB")
                    continue
                if msg[0] == "ready":
                    # loaded: the file already sent is being parsed from now on, and its time limit starts now
                    s.loaded, s.started = True, time.monotonic()
                    busy[conn] = s
                    continue
                task, s.task = s.task, None
                if msg[0] == "doc":
                    yield TaskResult(task or "", value=Document.model_validate_json(msg[1]))
                elif msg[0] == "ok":
                    yield TaskResult(task or "", value=msg[1])
                elif msg[0] == "raise":
                    raise msg[1]
                else:
                    yield TaskResult(task or "", code=msg[1], reason=msg[2])
            now = time.monotonic()
            for conn, s in list(busy.items()):
                if now >= self._deadline(s):
                    busy.pop(conn)
                    loaded = s.loaded
                    task = s.replace()
                    reason = (f"parsing took longer than {self.timeout_s:g} s (UNKG_PARSE_TIMEOUT)" if loaded else
                              f"the parser process did not load within {self.load_timeout_s:g} s")
                    yield TaskResult(task or "", code="timeout", reason=reason)
