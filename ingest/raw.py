"""What a format backend hands to the structure builder: lines with layout hints.

Backends only know their format; everything about UN document structure
(labels, chapeau, preamble, headers) lives in `ingest.structure`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, Optional

Role = Literal["body", "footnote", "header", "table", "heading"]


@dataclass
class RawLine:
    """One physical line (text/PDF) or one whole paragraph (DOCX/HTML)."""

    text: str
    page: Optional[int] = None
    break_before: bool = False  # a blank line or element boundary precedes it
    whole: bool = False  # the backend knows this is a complete paragraph
    role: Role = "body"
    heading_level: Optional[int] = None  # explicit markup (Markdown #, <h2>, Heading 2)
    size: Optional[float] = None  # font size where known (PDF)
    flow_break: bool = False  # a column break precedes it (PDF): the paragraph may run across, as over a page break
    opens: bool = False  # the layout shows a paragraph starts here (PDF: the line before a page or column break stopped short)


@dataclass
class RawDoc:
    """A format-neutral reading of one file."""

    lines: list[RawLine]
    meta: dict = field(default_factory=dict)  # metadata the format carries (front matter, core props)
    pages: Optional[int] = None
    warnings: list[str] = field(default_factory=list)
