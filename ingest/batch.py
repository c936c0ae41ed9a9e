"""Ingest many files: walk folders, skip what is stored already, parse in workers, store.

Every file ends as ok / partial / failed / skipped with a reason; a batch
never stops on one file.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Callable, Iterable, Iterator, Optional

from unkg.corpus.store import Store
from unkg.settings import Settings

from .backends import supported_extensions
from .options import ParseTask, ReadOptions
from .pipeline import ParseOnly
from .worker import ParseResult, WorkerPool


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


def parse_paths(paths: list[str], settings: Settings, task: Optional[ParseTask] = None) -> Iterator[ParseResult]:
    """Run the parse task on files in worker processes (time and memory capped; parse only unless a task is given).

    Results come as files complete. Files are handed out largest first: a big file taken last would keep one
    worker busy while the others wait at the end of the batch (longest-processing-time-first scheduling).
    """
    if not paths:
        return
    paths = sorted(paths, key=_size, reverse=True)
    task = task or ParseOnly(ReadOptions.from_settings(settings))
    with WorkerPool(task, workers=min(settings.workers, len(paths)), timeout_s=settings.parse_timeout_s,
                    memory_mb=settings.worker_memory_mb) as pool:
        yield from pool.map(paths)


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

    `task` is what a worker does with one file: the app passes parse-and-extract
    (`unkg.extract.task.ParseAndAnnotate`); without it files are parsed only.

    A file whose symbol and language are already stored from another file with other content
    fails with code 'conflict' (nothing replaced) unless `replace` is set. `source_label` turns a
    stored source path into what the report may show (the web API hides server paths).
    """
    files, reports = expand_paths(paths)
    for r in reports:
        if on_file:
            on_file(r)
    todo: list[str] = []
    for f in files:
        source = str(Path(f).resolve())
        sha = _sha(f)
        if sha is not None and store.sha_for_source(source) == sha:
            r = FileReport(f, "skipped", "unchanged since the last ingest", "unchanged")
            reports.append(r)
            if on_file:
                on_file(r)
        else:
            todo.append(f)
    if on_total:
        on_total(len(todo))
    for res in parse_paths(todo, settings, task):
        if res.document is None:
            r = FileReport(res.path, "failed", res.reason or "", res.code or "error")
        else:
            doc = res.document
            doc.source = str(Path(res.path).resolve())
            outcome = store.put_document(doc, replace=replace)
            if outcome == "conflict":
                other = store.conflict_source or "another file"
                other = source_label(other) if source_label else other
                r = FileReport(res.path, "failed", f"{doc.id} is already stored from {other} with other content; "
                               "nothing was replaced (ingest again with --replace to replace it)", "conflict",
                               doc.id, doc.symbol, doc.language, len(doc.blocks))
                reports.append(r)
                if on_file:
                    on_file(r)
                continue
            status = "partial" if doc.warnings else "ok"
            reason = {"added": "stored", "replaced": "replaced an older version", "unchanged": "same content already stored"}[outcome]
            if doc.warnings:
                reason += "; " + "; ".join(doc.warnings[:3])
            if outcome == "unchanged":
                status = "skipped"
            r = FileReport(res.path, status, reason, outcome, doc.id, doc.symbol, doc.language, len(doc.blocks))
        reports.append(r)
        if on_file:
            on_file(r)
    return reports
