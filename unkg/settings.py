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
    pdf_engine: str = Field(default="pdfium", description="PDF text engine: pdfium or pdfplumber (UNKG_PDF_ENGINE).")
    encoder: str = Field(default="use-multilingual", description="Sentence encoder: use-multilingual or st:<model or path> (UNKG_ENCODER).")
    exact_limit: int = Field(default=200_000, description="Up to this many paragraphs dense search is exact numpy; above, HNSW (UNKG_EXACT_LIMIT).")
    lexical_matrix_min: int = Field(default=5000, description="From this many paragraphs OR queries use the BM25 matrix (UNKG_LEXICAL_MATRIX_MIN).")
    falkordb_redis: Optional[str] = Field(default=None, description="FalkorDB's Redis port (host:port): read-only Cypher then runs as GRAPH.RO_QUERY with a server-side TIMEOUT (UNKG_FALKORDB_REDIS).")
    trusted_proxies: str = Field(default="", description="Proxy addresses (comma-separated IPs or CIDR) whose X-Forwarded-For is believed; unset: none (UNKG_TRUSTED_PROXIES).")
    search_numbers: bool = Field(default=False, description="Number agreement as a cross-language ranking signal (UNKG_SEARCH_NUMBERS=on).")

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
            pdf_engine=(_env("PDF_ENGINE", "") or "pdfium").strip().lower(),
            encoder=_env("ENCODER", "").strip() or "use-multilingual",
            exact_limit=int(_env("EXACT_LIMIT", "200000")),
            lexical_matrix_min=int(_env("LEXICAL_MATRIX_MIN", "5000")),
            falkordb_redis=_env("FALKORDB_REDIS", "").strip() or None,
            trusted_proxies=_env("TRUSTED_PROXIES", "").strip(),
            search_numbers=_env("SEARCH_NUMBERS", "off").strip().lower() not in ("", "off", "0", "false", "no"),
        )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings.from_env()
