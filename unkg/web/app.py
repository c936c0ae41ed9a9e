"""The FastAPI app: HTML pages, each with a JSON twin, and the HTTP API.

Pages: `/` (search), `/documents`, `/documents/{id}`, `/paragraphs/{id}`,
`/mandates`, `/graph`. Each answers JSON with `?format=json`, and the same
data lives under `/api/...` (documented at `/docs`, schema at `/openapi.json`).
Write endpoints (`POST /api/ingest`, `POST /api/graph/sync`) need the key from
`UNKG_API_KEY`. Every error has one shape: `{"error": {"status", "code", "message"}}`.

The views live one module per area in `views/` (search, documents, mandates,
graph, write, meta); this module only composes them with the settings and the
data layer (`WebData`), which the views receive as a dependency (`context.web`).
"""

from __future__ import annotations

import logging
import threading
from contextlib import asynccontextmanager
from typing import Optional

from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.staticfiles import StaticFiles

from unkg import __version__
from unkg.settings import Settings

from .context import STATIC, WebContext
from .data import WebData
from .errors import install_error_handlers
from .security import RateLimitMiddleware, TokenBucket
from .views import ROUTERS

log = logging.getLogger("unkg.web")


def create_app(settings: Optional[Settings] = None, data: Optional[WebData] = None, warm: bool = False) -> FastAPI:
    """Build the app on a store (the default one under UNKG_HOME unless `data` is given)."""
    settings = settings or Settings.from_env()
    data = data or WebData(settings)
    ctx = WebContext(settings=settings, data=data)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        if warm:  # index the corpus and build the graph in the background so the first search is quick
            threading.Thread(target=_warm, args=(data,), daemon=True, name="unkg-warm").start()
        yield

    app = FastAPI(
        title="unkg",
        version=__version__,
        description=("Search, read and explore UN decisions: paragraphs in six languages, the mandates they give, "
                     "and the knowledge graph built from them. Every page of the web UI has a JSON twin here. "
                     "Write endpoints need the server's API key (UNKG_API_KEY) in the X-API-Key header. "
                     "Every error is `{\"error\": {\"status\", \"code\", \"message\"}}`."),
        lifespan=lifespan,
        docs_url=None,  # served by views.meta from the npm-installed swagger-ui, not from a CDN
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.data = data
    app.state.web = ctx
    app.state.expensive = ctx.expensive
    app.add_middleware(RateLimitMiddleware, bucket=TokenBucket(settings.rate_limit, settings.rate_burst),
                       trusted_proxies=settings.trusted_proxies)
    install_error_handlers(app, ctx)
    for router in ROUTERS:
        app.include_router(router)
    app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")
    return app


def view_routes() -> list[APIRoute]:
    """Every route of the views, as declared (what `create_app` includes), for listing and for tests."""
    return [r for router in ROUTERS for r in router.routes if isinstance(r, APIRoute)]


def _warm(data: WebData) -> None:
    try:
        data.sync_graph()
    except Exception:  # noqa: BLE001 - warming is best effort; the first request retries and reports
        log.exception("warming the graph and search index failed")
