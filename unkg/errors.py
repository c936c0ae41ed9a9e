"""One root exception for everything unkg raises on purpose.

Each subclass says which stage failed; messages name the file (or server) and
what the user can do about it.
"""

from __future__ import annotations


class UnkgError(Exception):
    """Root of every error unkg raises deliberately."""


class IngestError(UnkgError):
    """A file could not be turned into a Document."""

    def __init__(self, path: str, reason: str, code: str = "invalid") -> None:
        self.path = path
        self.reason = reason
        self.code = code
        super().__init__(f"{path}: {reason}")


class UnsupportedFormat(IngestError):
    """No backend reads this kind of file."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(path, reason, code="unsupported")


class EncryptedFile(IngestError):
    def __init__(self, path: str, reason: str = "the file is encrypted; decrypt it and ingest again") -> None:
        super().__init__(path, reason, code="encrypted")


class FileTooLarge(IngestError):
    def __init__(self, path: str, reason: str) -> None:
        super().__init__(path, reason, code="too_large")


class StoreError(UnkgError):
    """The local store could not be read or written."""


class StoreFull(StoreError):
    """The disk under the store (or the upload folder) is full; the change was rolled back whole."""


class GraphError(UnkgError):
    """Building, syncing or querying the graph failed."""


class SearchError(UnkgError):
    """A search could not be run."""
