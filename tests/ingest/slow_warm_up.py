"""A parse task whose warm-up outlasts the pool's wait for it (what a loaded machine does to spaCy and jieba)."""

from __future__ import annotations

import time

from unkg.ingest.options import ReadOptions
from unkg.ingest.pipeline import ParseOnly


class SlowWarmUp(ParseOnly):
    def __init__(self, options: ReadOptions, seconds: float) -> None:
        super().__init__(options)
        self.seconds = seconds

    def warm_up(self) -> None:
        time.sleep(self.seconds)
        super().warm_up()
