"""The one settings object: environment variables prefixed UNKG_, with defaults."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Optional

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
    api_key: Optional[str] = Field(default=None, repr=False, description="Key the web API's write endpoints require (UNKG_API_KEY); unset: writes refused.")
    upload_max_mb: float = Field(default=50.0, description="Largest upload the web API accepts, in MB (UNKG_UPLOAD_MAX_MB).")
    rate_limit: float = Field(default=20.0, description="Web requests per second allowed per client address (UNKG_RATE_LIMIT).")
    rate_burst: int = Field(default=120, description="Web requests a client may make at once before the rate limit applies (UNKG_RATE_BURST).")

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
            api_key=os.environ.get("UNKG_API_KEY") or None,
            upload_max_mb=float(_env("UPLOAD_MAX_MB", "50")),
            rate_limit=float(_env("RATE_LIMIT", "20")),
            rate_burst=int(_env("RATE_BURST", "120")),
        )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings.from_env()
