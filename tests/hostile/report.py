"""docs/hostile-inputs.md: the tables of every hostile input tried and its outcome, written by the tests.

Each test owns one section (between `<!-- section: NAME -->` and `<!-- end: NAME -->`)
and rewrites only that one, so the hostile-files batch and the graph-sync crash
tests can run separately and the file keeps the latest result of each.
"""

from __future__ import annotations

import os
import re
import tempfile

from tests.conftest import REPO

PATH = REPO / "docs" / "hostile-inputs.md"
HEADER = [
    "# Hostile inputs and their outcomes",
    "",
    "Written by the tests in `tests/hostile/` on every run (not by hand); each section by the test it names,",
    "except the last (round two), a summary kept by hand that lists every case with its regression test.",
]
#: sections in this order, any other after them
ORDER = ("files", "graph-sync-sigkill", "graph-sync-outage-empty", "graph-sync-outage-kept", "round-two")


def write_section(name: str, lines: list[str]) -> None:
    """Replace (or add at the end) the section `name` of docs/hostile-inputs.md with `lines`."""
    old = PATH.read_text(encoding="utf-8") if PATH.exists() else ""
    sections: dict[str, str] = {}
    for m in re.finditer(r"<!-- section: (\S+) -->\n(.*?)<!-- end: \1 -->\n", old, re.S):
        sections[m.group(1)] = m.group(2)
    sections[name] = "\n".join(lines).rstrip("\n") + "\n"
    out = "\n".join(HEADER) + "\n"
    for key, body in sorted(sections.items(), key=lambda kv: ORDER.index(kv[0]) if kv[0] in ORDER else len(ORDER)):
        out += f"\n<!-- section: {key} -->\n{body}<!-- end: {key} -->\n"
    PATH.parent.mkdir(exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=str(PATH.parent), prefix=".hostile-", suffix=".md")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(out)
    os.replace(tmp, PATH)
