"""Ingest: files in any supported format become Documents."""
