"""What reading a file may use, built once from the settings at the entry point and passed down.

Why: the parse workers and the PDF engines used to re-read the environment
per file; now the CLI or the web app builds one `ReadOptions` from its
Settings and every stage below gets it as an argument (workers receive it
when they start).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from unkg.model import Document
from unkg.settings import Settings


def _default(name: str):
    return Settings.model_fields[name].default


@dataclass(frozen=True)
class ReadOptions:
    """Limits and the PDF engine for reading one file (defaults: the settings' defaults)."""

    max_file_mb: float = _default("max_file_mb")
    max_pages: int = _default("max_pages")
    pdf_engine: str = _default("pdf_engine")

    @classmethod
    def from_settings(cls, settings: Settings) -> "ReadOptions":
        return cls(max_file_mb=settings.max_file_mb, max_pages=settings.max_pages, pdf_engine=settings.pdf_engine)


class ParseTask(Protocol):
    """What a parse worker does with one file; picklable, so a spawned worker can receive it.

    The ingest layer parses only (`ParseOnly`); the app hands in a task that also
    extracts (`unkg.extract.task.ParseAndAnnotate`); `pipeline.ParseOnly` parses, so ingest never imports extract.
    """

    options: ReadOptions

    def warm_up(self) -> None:
        """Load what the first file would load, before the time limit starts counting."""

    def __call__(self, path: str) -> Document: ...
