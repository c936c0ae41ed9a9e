"""What every view needs, built once by `create_app` and handed to the views as a dependency.

Why: the views are plain functions in one module per area; they read the
settings, the data and the page renderer from here instead of from a
closure, so each area can be read (and tested) on its own.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from unkg.graph.mandates import text_dir
from unkg.settings import Settings

from .data import WebData
from .text import qpath

HERE = Path(__file__).resolve().parent
STATIC = HERE / "static"
TEMPLATES = HERE / "templates"
REPO_ROOT = HERE.parent.parent
VENDOR = {
    # served file -> where the npm setup step puts it (never a CDN)
    "cytoscape.min.js": ["node_modules/cytoscape/dist/cytoscape.min.js"],
    "swagger-ui-bundle.js": ["node_modules/swagger-ui-dist/swagger-ui-bundle.js"],
    "swagger-ui.css": ["node_modules/swagger-ui-dist/swagger-ui.css"],
}

#: defence in depth behind the escaping: the pages run only this app's own scripts, load nothing from elsewhere
PAGE_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
                               "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


def vendor_file(name: str) -> Optional[Path]:
    """Where a web library installed by npm (or copied into the wheel) is, if anywhere."""
    for rel in [f"unkg/web/static/vendor/{name}", *VENDOR.get(name, [])]:
        for root in (REPO_ROOT, Path.cwd()):
            p = root / rel
            if p.is_file():
                return p
    return None


class ExpensiveSlots:
    """Graph requests in flight, per client and in all (the per-client budget of the graph endpoints)."""

    def __init__(self, per_client: int = 2, max_total: int = 8) -> None:
        self.per_client = per_client
        self.max_total = max_total
        self.total = 0
        self.by_client: dict[str, int] = {}
        self.lock = threading.Lock()


def template_env() -> Environment:
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=select_autoescape(["html", "xml"], default=True))
    env.filters["q"] = qpath
    env.globals.update(text_dir=text_dir, urlencode=urlencode)
    return env


@dataclass
class WebContext:
    """The settings, the data and the page renderer of one app."""

    settings: Settings
    data: WebData
    env: Environment = field(default_factory=template_env)
    expensive: ExpensiveSlots = field(default_factory=ExpensiveSlots)

    def page(self, request: Request, name: str, status: int = 200, **ctx: Any) -> HTMLResponse:
        tmpl = self.env.get_template(name)
        # links back to this page are same-origin paths: `//evil.example/x` must not become a link to another site
        path = "/" + request.url.path.lstrip("/\\")
        html = tmpl.render(request=request, path=path, **ctx)
        return HTMLResponse(html, status_code=status, headers=PAGE_HEADERS)


def wants_json(request: Request) -> bool:
    """API paths, `?format=json` and clients that do not ask for HTML get JSON."""
    if request.url.path.startswith("/api/") or request.query_params.get("format") == "json":
        return True
    return "text/html" not in request.headers.get("accept", "")  # browsers ask for HTML; scripts get JSON


def web(request: Request) -> WebContext:
    """The dependency every view takes: this app's context."""
    return request.app.state.web
