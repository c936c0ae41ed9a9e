"""Ingest many files: walk folders, skip what is stored already, parse in workers, store.

Every file ends as ok / partial / failed / skipped with a reason; a batch
never stops on one file.
"""

from __future__ import annotations

import hashlib
from contextlib import nullcontext
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Callable, Iterable, Iterator, Optional

from unkg.corpus.store import Store
from unkg.settings import Settings

from .backends import supported_extensions
from .options import ParseTask, ReadOptions
from .pipeline import ParseOnly
from .store_task import ParseAndStore, Stored
from .worker import TaskResult, WorkerPool, WorkerTask


@dataclass
class FileReport:
    path: str
    status: str  # ok | partial | failed | skipped
    reason: str = ""
    code: str = ""
    doc_id: Optional[str] = None
    symbol: Optional[str] = None
    language: Optional[str] = None
    paragraphs: int = 0

    def as_dict(self) -> dict:
        return asdict(self)


def expand_paths(paths: Iterable[str]) -> tuple[list[str], list[FileReport]]:
    """Files named directly are always tried; files found in folders only if their extension is known."""
    exts = supported_extensions()
    files: list[str] = []
    skipped: list[FileReport] = []
    for p in paths:
        path = Path(p)
        if path.is_dir():
            for f in sorted(path.rglob("*")):
                if not f.is_file() or f.name.startswith("."):
                    continue
                if f.suffix.lower().lstrip(".") in exts:
                    files.append(str(f))
                elif not f.name.endswith(".jsonl"):
                    skipped.append(FileReport(str(f), "skipped", f"unsupported file type '{f.suffix or '(none)'}'", "unsupported"))
        elif path.exists():
            files.append(str(path))
        else:
            skipped.append(FileReport(str(path), "failed", "no such file or folder", "not_found"))
    return files, skipped


def _sha(path: str) -> Optional[str]:
    h = hashlib.sha256()
    try:
        with open(path, "rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                h.update(chunk)
    except OSError:
        return None
    return h.hexdigest()


def _size(path: str) -> int:
    try:
        return Path(path).stat().st_size
    except OSError:
        return 0


def largest_first(paths: list[str]) -> list[str]:
    """Files in the order they are handed out: a big file taken last would keep one worker busy while the others
    wait at the end of the batch (longest-processing-time-first scheduling)."""
    return sorted(paths, key=_size, reverse=True)


def open_pool(n_files: int, settings: Settings, task: Optional[WorkerTask] = None) -> WorkerPool | nullcontext:
    """Workers for a batch of `n_files` files (none for none): forked ones start loaded, spawned ones load while the
    caller goes on."""
    if not n_files:
        return nullcontext()
    return WorkerPool(task or ParseOnly(ReadOptions.from_settings(settings)), workers=min(settings.workers, n_files),
                      timeout_s=settings.parse_timeout_s, memory_mb=settings.worker_memory_mb)


def parse_paths(paths: list[str], settings: Settings, task: Optional[ParseTask] = None) -> Iterator[TaskResult]:
    """Run the parse task on files in worker processes (time and memory capped; parse only unless a task is given).

    Results come as files complete, largest files handed out first.
    """
    with open_pool(len(paths), settings, task) as pool:
        if pool is not None:
            yield from pool.map(largest_first(paths))


def ingest_paths(
    paths: Iterable[str],
    store: Store,
    settings: Settings,
    task: Optional[ParseTask] = None,
    on_file: Optional[Callable[[FileReport], None]] = None,
    on_total: Optional[Callable[[int], None]] = None,
    replace: bool = False,
    source_label: Optional[Callable[[str], str]] = None,
) -> list[FileReport]:
    """Ingest files and folders into the store; return one report per file.

    `task` is how a worker reads one file: the app passes parse-and-extract
    (`unkg.extract.task.ParseAndAnnotate`); without it files are parsed only. The worker stores
    the document itself (`store_task.ParseAndStore`), in `store`'s database.

    A file whose symbol and language are already stored from another file with other content
    fails with code 'conflict' (nothing replaced) unless `replace` is set. `source_label` turns a
    stored source path into what the report may show (the web API hides server paths).
    """
    files, reports = expand_paths(paths)
    for r in reports:
        if on_file:
            on_file(r)
    parse = task or ParseOnly(ReadOptions.from_settings(settings))
    with open_pool(len(files), settings, ParseAndStore(parse, str(store.path), replace)) as pool:
        # spawned workers load while the files are hashed
        todo = _changed(files, store, reports, on_file)
        if on_total:
            on_total(len(todo))
        results = pool.map(largest_first(todo)) if pool is not None else iter(())
        for res in results:
            reports.append(_report(res, source_label))
            if on_file:
                on_file(reports[-1])
    return reports


def _changed(files: list[str], store: Store, reports: list[FileReport],
             on_file: Optional[Callable[[FileReport], None]]) -> list[str]:
    """The files whose content is not stored from the same path already; the others reported as skipped."""
    todo: list[str] = []
    for f in files:
        sha = _sha(f)
        if sha is not None and store.sha_for_source(str(Path(f).resolve())) == sha:
            reports.append(FileReport(f, "skipped", "unchanged since the last ingest", "unchanged"))
            if on_file:
                on_file(reports[-1])
        else:
            todo.append(f)
    return todo


def _report(res: TaskResult, source_label: Optional[Callable[[str], str]]) -> FileReport:
    """The report on one file a worker parsed and stored (or failed on)."""
    if res.value is None:
        return FileReport(res.path, "failed", res.reason or "", res.code or "error")
    s: Stored = res.value
    if s.outcome == "conflict":
        other = s.conflict_source or "another file"
        other = source_label(other) if source_label else other
        return FileReport(res.path, "failed", f"{s.doc_id} is already stored from {other} with other content; "
                          "nothing was replaced (ingest again with --replace to replace it)", "conflict",
                          s.doc_id, s.symbol, s.language, s.paragraphs)
    status = "partial" if s.warnings else "ok"
    reason = {"added": "stored", "replaced": "replaced an older version", "unchanged": "same content already stored"}[s.outcome]
    if s.warnings:
        reason += "; " + "; ".join(s.warnings[:3])
    if s.outcome == "unchanged":
        status = "skipped"
    return FileReport(res.path, status, reason, s.outcome, s.doc_id, s.symbol, s.language, s.paragraphs)
