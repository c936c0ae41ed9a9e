"""The one settings object, built once at the entry point (CLI, web app) and passed in.

Each field names its environment variable and holds its default once; `Settings.from_env()` reads
them all. The README's settings table is checked against these fields by tests/test_docs.py.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Any, Optional

from platformdirs import user_data_dir
from pydantic import BaseModel, Field

_FALSE = ("", "off", "0", "false", "no")


def _setting(default: Any, env: str, description: str, **kw: Any) -> Any:
    return Field(default=default, description=description, json_schema_extra={"env": env}, **kw)


def _default_home() -> Path:
    return Path(user_data_dir("unkg"))


class Settings(BaseModel):
    """Runtime configuration; read once per process from the environment."""

    home: Path = Field(default_factory=_default_home, description="Folder holding the store (default: the user data dir).",
                       json_schema_extra={"env": "UNKG_HOME"})
    max_file_mb: float = _setting(200.0, "UNKG_MAX_FILE_MB", "Files larger than this are refused before parsing.")
    parse_timeout_s: float = _setting(120.0, "UNKG_PARSE_TIMEOUT", "Seconds a parse worker may spend on one file.")
    worker_memory_mb: int = _setting(3072, "UNKG_WORKER_MEMORY_MB", "Address-space cap of each parse worker.")
    workers: int = _setting(min(2, os.cpu_count() or 1), "UNKG_WORKERS", "Parse worker processes.")
    max_pages: int = _setting(3000, "UNKG_MAX_PAGES", "Pages read from one PDF at most.")
    pdf_engine: str = _setting("pdfium", "UNKG_PDF_ENGINE", "PDF text engine: pdfium (fast) or pdfplumber.")
    api_key: Optional[str] = _setting(None, "UNKG_API_KEY", "Key the web API's write endpoints require; unset: writes refused.",
                                      repr=False)
    upload_max_mb: float = _setting(50.0, "UNKG_UPLOAD_MAX_MB", "Largest upload the web API accepts, in MB.")
    rate_limit: float = _setting(20.0, "UNKG_RATE_LIMIT", "Web requests per second allowed per client address.")
    rate_burst: int = _setting(120, "UNKG_RATE_BURST", "Web requests a client may make at once before the rate limit applies.")
    encoder: str = _setting("use-multilingual", "UNKG_ENCODER", "Sentence encoder: use-multilingual or st:<model or path>.")
    exact_limit: int = _setting(50_000, "UNKG_EXACT_LIMIT", "Up to this many paragraphs dense search is exact numpy; above, HNSW.")
    lexical_matrix_min: int = _setting(5000, "UNKG_LEXICAL_MATRIX_MIN", "From this many paragraphs OR queries use the BM25 matrix.")
    search_numbers: bool = _setting(False, "UNKG_SEARCH_NUMBERS", "Numbers shared by query and paragraph count as evidence (on/off).")
    falkordb_redis: Optional[str] = _setting(None, "UNKG_FALKORDB_REDIS",
                                             "FalkorDB's Redis port (host:port): read-only Cypher runs as GRAPH.RO_QUERY with a server-side TIMEOUT.")
    trusted_proxies: str = _setting("", "UNKG_TRUSTED_PROXIES",
                                    "Proxy addresses (comma-separated IPs or CIDR) whose X-Forwarded-For is believed; unset: none.")
    neo4j_uri: Optional[str] = _setting(None, "NEO4J_URI", "Bolt URI of the graph server (Neo4j or FalkorDB) for sync and Bolt search.")
    neo4j_user: Optional[str] = _setting(None, "NEO4J_USER", "User name on the graph server (NEO4J_USERNAME is read too).")
    neo4j_database: Optional[str] = _setting(None, "NEO4J_DATABASE", "Database on the graph server (default: the server's).")
    neo4j_password: Optional[str] = _setting(None, "NEO4J_PASSWORD", "Password on the graph server; only from the environment.",
                                             repr=False)

    @property
    def db_path(self) -> Path:
        return self.home / "unkg.sqlite"

    @classmethod
    def env_names(cls) -> dict[str, str]:
        """field name -> environment variable."""
        return {name: (f.json_schema_extra or {})["env"] for name, f in cls.model_fields.items()}

    @classmethod
    def from_env(cls, environ: Optional[dict[str, str]] = None) -> "Settings":
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for name, var in cls.env_names().items():
            raw = env.get(var)
            if raw is None and name == "neo4j_user":
                raw = env.get("NEO4J_USERNAME")
            if raw is None or (raw.strip() == "" and name != "search_numbers"):
                continue
            raw = raw.strip()
            ann = cls.model_fields[name].annotation
            if ann is bool:
                values[name] = raw.lower() not in _FALSE
            elif name == "home":
                values[name] = Path(raw).expanduser()
            elif name == "pdf_engine":
                values[name] = raw.lower()
            else:
                values[name] = raw
        return cls(**values)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The settings of this process, for entry points; library code takes a Settings argument instead."""
    return Settings.from_env()
