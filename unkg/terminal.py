"""What every CLI command prints with: errors on stderr, JSON on stdout, tables readable at 80 columns."""

from __future__ import annotations

import json
import sys
from typing import Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Column, Table

err = Console(stderr=True)


def fail(msg: str, code: int = 2) -> None:
    """Print the error (its text escaped: file names and queries are not markup) and exit with `code`."""
    err.print(f"[red]error:[/red] {escape(msg)}", highlight=False)
    raise typer.Exit(code)


def emit(obj: Any) -> None:
    """One JSON document on stdout (the --json output of a command)."""
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, default=str) + "\n")
    sys.stdout.flush()


def readable_table(*headers: str, title: str | None = None) -> Table:
    """A rich Table whose columns fold long words (ids, symbols) onto the next line instead of cutting them."""
    return Table(*(Column(h, overflow="fold") for h in headers), title=title)
