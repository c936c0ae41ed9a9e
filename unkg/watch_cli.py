"""`unkg watch`: watch lists on the command line (the web page's /watch shows the same)."""

from __future__ import annotations

import json
import sys
from contextlib import contextmanager
from typing import Iterator, Optional

import typer
from rich.console import Console
from rich.markup import escape

from unkg.errors import UnkgError
from unkg.terminal import fail as _fail

watch_app = typer.Typer(help="Watch a decision, an initiative, an actor, a mandate or a query; list what is new.",
                        invoke_without_command=True)
console = Console(stderr=True)
out = Console()




@contextmanager
def watches() -> Iterator["object"]:
    """The store's watch list with the graph (to resolve names) and search (for query watches) behind it."""
    from unkg.corpus.store import Store
    from unkg.settings import get_settings

    from .watch import Watches, resolvers

    from unkg.search.options import SearchOptions

    settings = get_settings()
    store = Store(settings.db_path)
    try:
        yield Watches(store, *resolvers(store, search_options=SearchOptions.from_settings(settings)))
    finally:
        store.close()


@watch_app.callback()
def list_new(ctx: typer.Context,
             peek: bool = typer.Option(False, "--peek", help="Show what is new without marking it seen."),
             as_json: bool = typer.Option(False, "--json")) -> None:
    """What is new for each watch since the last look (then marked seen). Exit 1 if nothing is watched."""
    if ctx.invoked_subcommand is not None:
        return
    try:
        with watches() as w:
            reports = w.report(mark_seen=not peek)
    except UnkgError as exc:
        _fail(str(exc))
        return
    if as_json:
        sys.stdout.write(json.dumps([r.as_dict() for r in reports], ensure_ascii=False) + "\n")
    else:
        if not reports:
            out.print('nothing watched yet: unkg watch add "decision 22/COP.15"', highlight=False)
        for r in reports:
            out.print(f"[bold]#{r.id} {escape(r.label)}[/bold] ({r.kind}) - {len(r.new)} new since {r.seen_at or 'never'}",
                      highlight=False)
            for c in r.new[:50]:
                out.print(f"  [cyan]{c.what}[/cyan] {escape(c.text)}", highlight=False)
    if not reports:
        raise typer.Exit(1)


@watch_app.command("add")
def add(what: str = typer.Argument(..., help='A decision ("decision 22/COP.15"), an initiative or actor name, a mandate id, or a query.'),
        as_json: bool = typer.Option(False, "--json")) -> None:
    """Start watching; what the store holds now counts as seen."""
    try:
        with watches() as w:
            res = w.add(what)
    except UnkgError as exc:
        _fail(str(exc))
        return
    if as_json:
        sys.stdout.write(json.dumps(res, ensure_ascii=False) + "\n")
    else:
        verb = "watching" if res["created"] else "already watching"
        out.print(f"{verb} #{res['id']} {escape(res['label'])} ({res['kind']})", highlight=False)


@watch_app.command("rm")
def remove(watch_id: int = typer.Argument(..., help="The watch's number, as `unkg watch` shows it.")) -> None:
    """Stop watching."""
    try:
        with watches() as w:
            w.remove(watch_id)
    except UnkgError as exc:
        _fail(str(exc), 1)


def register(app: typer.Typer, name: Optional[str] = "watch") -> None:
    app.add_typer(watch_app, name=name)
