"""Where the benchmarks find real documents: the dev corpus beside the repository when it is there
(`../shared/corpus-dev`, or `UNKG_SHARED`), else the copies the tests keep in `tests/data`.

So every benchmark runs from a clean clone; with the dev corpus it measures on more text.
"""

from __future__ import annotations

import os
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("UNKG_SHARED", REPO.parent / "shared"))
TEST_DATA = REPO / "tests" / "data"


def dev_dir(name: str) -> Path:
    """`corpus-dev/<name>` of the dev corpus, else `tests/data/<name>`; a folder that may be empty, never an error."""
    for root in (SHARED / "corpus-dev", TEST_DATA):
        if (root / name).is_dir():
            return root / name
    return TEST_DATA / name


def seeds_dir() -> Path:
    """The five seed documents (the same files as samples/)."""
    return SHARED / "seeds" if (SHARED / "seeds").is_dir() else REPO / "samples"


def where() -> str:
    return f"dev corpus at {SHARED}" if (SHARED / "corpus-dev").is_dir() else f"no dev corpus at {SHARED}: tests/data copies"
