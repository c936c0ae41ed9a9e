"""`unkg serve`: the web page and HTTP API on the embedded default store."""

from __future__ import annotations

import json
import socket
import sys

import typer


def _free_port(host: str) -> int:
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def register(app: typer.Typer) -> None:
    @app.command()
    def serve(
        host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on (0.0.0.0 for every interface)."),
        port: int = typer.Option(8000, "--port", help="Port to listen on; 0 picks a free one."),
        warm: bool = typer.Option(True, "--warm/--no-warm", help="Index the corpus and build the graph in the background at start."),
        as_json: bool = typer.Option(False, "--json", help="Print the address as one JSON line."),
        log_level: str = typer.Option("warning", "--log-level", help="uvicorn log level."),
    ) -> None:
        """Serve the web page (search, documents, mandates, graph) and the HTTP API; prints the address."""
        import uvicorn

        from unkg.settings import get_settings

        from .web.app import create_app
        from .web.data import WebData

        settings = get_settings()
        try:
            data = WebData(settings)
        except Exception as exc:  # noqa: BLE001 - a StoreError names the folder and the fix
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(2)
        counts = data.counts()
        if port == 0:
            port = _free_port(host)
        shown = f"[{host}]" if ":" in host else host
        url = f"http://{shown}:{port}/"
        if as_json:
            sys.stdout.write(json.dumps({"url": url, "api": url + "docs", "store": str(settings.db_path), **counts}) + "\n")
        else:
            typer.echo(f"unkg web page at {url}  (API docs at {url}docs; {counts['documents']} documents, "
                       f"{counts['blocks']} paragraphs in {settings.db_path}; Ctrl-C stops)")
            if not settings.api_key:
                typer.echo("write endpoints (upload, sync) are disabled: set UNKG_API_KEY to enable them")
        sys.stdout.flush()
        application = create_app(settings, data=data, warm=warm)
        try:
            # proxy headers are read by the app itself, and only from UNKG_TRUSTED_PROXIES (uvicorn would believe
            # any X-Forwarded-For sent from the loopback address)
            uvicorn.run(application, host=host, port=port, log_level=log_level, access_log=False, proxy_headers=False)
        except OSError as exc:
            typer.echo(f"error: cannot listen on {host}:{port}: {exc}; pick another --port", err=True)
            raise typer.Exit(2)
