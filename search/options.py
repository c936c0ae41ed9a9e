"""What search reads of the settings, passed into a Searcher by the entry point that built the Settings.

    Searcher(store, options=SearchOptions.from_settings(settings))

Without options a Searcher runs with the settings' defaults (the values of `unkg.settings.Settings`'
fields, not the environment): library code never reads the process settings itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from unkg.settings import Settings


def _default(name: str):
    return Settings.model_fields[name].default


@dataclass(frozen=True)
class SearchOptions:
    """The search settings (see unkg.settings for their meaning and environment variables)."""

    encoder: Optional[str] = field(default_factory=lambda: _default("encoder"))
    exact_limit: int = field(default_factory=lambda: _default("exact_limit"))
    lexical_matrix_min: int = field(default_factory=lambda: _default("lexical_matrix_min"))
    search_numbers: bool = field(default_factory=lambda: _default("search_numbers"))

    @classmethod
    def from_settings(cls, settings: Settings) -> "SearchOptions":
        return cls(encoder=settings.encoder, exact_limit=int(settings.exact_limit),
                   lexical_matrix_min=int(settings.lexical_matrix_min), search_numbers=bool(settings.search_numbers))
