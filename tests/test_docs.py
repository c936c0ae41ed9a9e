"""The docs against the code: every setting and every command is in the README, and nothing the README
lists is missing from the code (as datasette's docs tests do)."""

from __future__ import annotations

import re

import typer.main

from tests.conftest import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")


def _settings_table() -> str:
    start = README.index("## Settings")
    return README[start : README.index("\n## ", start + 5)]


def test_every_setting_is_documented_and_every_documented_setting_exists():
    from unkg.settings import Settings

    table = _settings_table()
    documented = set(re.findall(r"`((?:UNKG|NEO4J)_[A-Z0-9_]+)`", table)) - {"NEO4J_USERNAME"}
    in_code = set(Settings.env_names().values())
    assert in_code - documented == set(), "settings missing from the README"
    assert documented - in_code == set(), "README lists settings the code does not read"


def _commands(app: typer.Typer, prefix: str = "") -> set[str]:
    click_app = typer.main.get_command(app)
    out = set()

    def walk(cmd, path):
        subs = getattr(cmd, "commands", None)
        if subs:
            for name, sub in subs.items():
                walk(sub, f"{path} {name}".strip())
        else:
            out.add(path)

    walk(click_app, prefix)
    return out


def test_every_command_is_in_the_readme():
    from unkg.cli import app

    commands_table = README[README.index("## Commands") : README.index("## Settings")]
    for cmd in sorted(_commands(app)):
        *group, name = cmd.split()
        # "unkg graph mandates" may be listed as "`unkg graph build` / `sync` / `mandates`"
        assert re.search(rf"unkg {re.escape(cmd)}\b", commands_table) or (
            group and f"unkg {' '.join(group)}" in commands_table and re.search(rf"`{re.escape(name)}[` ]", commands_table)), cmd


def test_layout_table_names_modules_that_exist():
    layout = README[README.index("## Layout") : README.index("\n## ", README.index("## Layout") + 5)]
    for mod in re.findall(r"`([\w/]+\.py)`", layout):
        hits = list(REPO.glob(f"*/{mod}")) + list(REPO.glob(mod))
        assert hits, f"README layout names {mod}, which is not in the tree"
