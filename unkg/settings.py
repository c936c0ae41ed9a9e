"""The one settings object: environment variables prefixed UNKG_, with defaults."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from platformdirs import user_data_dir
from pydantic import BaseModel, Field


def _env(name: str, default: str) -> str:
    return os.environ.get(f"UNKG_{name}", default)


class Settings(BaseModel):
    """Runtime configuration; read once per process from the environment."""

    home: Path = Field(description="Folder holding the store (UNKG_HOME).")
    max_file_mb: float = Field(description="Files larger than this are skipped (UNKG_MAX_FILE_MB).")
    parse_timeout_s: float = Field(description="Per-file parse time limit (UNKG_PARSE_TIMEOUT).")
    worker_memory_mb: int = Field(description="Address-space cap of a parse worker (UNKG_WORKER_MEMORY_MB).")
    workers: int = Field(description="Parse worker processes (UNKG_WORKERS).")
    max_pages: int = Field(description="Pages read from one PDF at most (UNKG_MAX_PAGES).")

    @property
    def db_path(self) -> Path:
        return self.home / "unkg.sqlite"

    @classmethod
    def from_env(cls) -> "Settings":
        return cls(
            home=Path(_env("HOME", user_data_dir("unkg"))).expanduser(),
            max_file_mb=float(_env("MAX_FILE_MB", "200")),
            parse_timeout_s=float(_env("PARSE_TIMEOUT", "120")),
            worker_memory_mb=int(_env("WORKER_MEMORY_MB", "3072")),
            workers=int(_env("WORKERS", str(min(2, os.cpu_count() or 1)))),
            max_pages=int(_env("MAX_PAGES", "3000")),
        )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings.from_env()
