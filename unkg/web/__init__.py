"""The web page and HTTP API (FastAPI): `create_app()`; `unkg serve` runs it."""

from __future__ import annotations

__all__ = ["create_app"]


def create_app(*args, **kwargs):
    from .app import create_app as _create

    return _create(*args, **kwargs)
