"""The parse task the app hands to the ingest workers: parse a file, then extract.

It lives here, above ingest, so the ingest layer never imports extraction:
`ingest.batch` runs whatever task it is given.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from unkg.ingest.options import ReadOptions
from unkg.ingest.pipeline import build_document, parse_file
from unkg.ingest.raw import RawDoc, RawLine
from unkg.model import Document
from unkg.settings import Settings

from . import annotate

# a heading and a paragraph long enough (over 200 characters) to set the document's language: the heading is then read
# with lingua's trigram model, as in most documents, and the larger models it needs alone are not loaded
_WARM_UP = ["The Conference of the Parties,",
            "1. Requests the secretariat to report to the Conference of the Parties at its next session on the "
            "implementation of the present decision, including on the resources that its implementation has required "
            "and on the lessons learned."]


@dataclass(frozen=True)
class ParseAndAnnotate:
    """Parse one file and annotate it (decisions, mandates, actors, initiatives, targets)."""

    options: ReadOptions = ReadOptions()

    @classmethod
    def from_settings(cls, settings: Settings) -> "ParseAndAnnotate":
        return cls(ReadOptions.from_settings(settings))

    def warm_up(self) -> None:
        """Load parsers, the language detector and the English extraction pipeline before the clock starts for the
        first file. Other languages' pipelines load on first use: Chinese brings jieba's dictionary (about 0.55 s of
        a worker's 2.1 s start), which a batch without Chinese never needs."""
        raw = RawDoc(lines=[RawLine(t, break_before=True) for t in _WARM_UP])
        annotate(build_document(Path("warm-up.txt"), "\n".join(_WARM_UP).encode(), raw, "text"))

    def __call__(self, path: str) -> Document:
        return annotate(parse_file(Path(path), source=path, options=self.options))
