"""Terminal tables that stay readable at 80 columns: long cells wrap (ids fold), nothing is cut with "…"."""

from __future__ import annotations

from rich.table import Column, Table


def readable_table(*headers: str, title: str | None = None) -> Table:
    """A rich Table whose columns fold long words (ids, symbols) onto the next line instead of cutting them."""
    return Table(*(Column(h, overflow="fold") for h in headers), title=title)
