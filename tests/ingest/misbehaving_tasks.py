"""Parse tasks that misbehave on one named file: a store error there (a full or locked store is not the file's
fault), or a long time over it."""

from __future__ import annotations

from pathlib import Path

from unkg.errors import StoreError
from unkg.ingest.pipeline import ParseOnly
from unkg.model import Document


class StoreFailsOn(ParseOnly):
    def __init__(self, name: str) -> None:
        super().__init__()
        self.name = name

    def __call__(self, path: str) -> Document:
        if Path(path).name == self.name:
            raise StoreError(f"cannot store {path}: the disk is full")
        return super().__call__(path)


class SlowOn(ParseOnly):
    """Takes `seconds` over one file: a worker busy with it is not reading its pipe."""

    def __init__(self, name: str, seconds: float) -> None:
        super().__init__()
        self.name = name
        self.seconds = seconds

    def __call__(self, path: str) -> Document:
        if Path(path).name == self.name:
            import time

            time.sleep(self.seconds)
        return super().__call__(path)
