"""`unkg extract FILE...`: mandates, initiative facts and mentions of documents (nothing is stored)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer


def register(app: typer.Typer) -> None:
    @app.command("extract")
    def extract_cmd(
        files: list[Path] = typer.Argument(..., help="Files to parse and annotate (PDF, DOCX, HTML, Markdown, text)."),
        as_json: bool = typer.Option(False, "--json", help="One JSON object per document per line."),
        entities: bool = typer.Option(False, "--entities", help="Also list every entity mention."),
    ) -> None:
        """Show the mandates, citations, initiative facts and (optionally) entities found in files."""
        from rich.console import Console
        from unkg.terminal import readable_table

        from unkg.ingest.batch import parse_paths
        from unkg.settings import get_settings

        from .task import ParseAndAnnotate

        from .facts import initiative_facts
        from .vocab import load

        out, err = Console(), Console(stderr=True)
        failed = 0
        settings = get_settings()
        for res in parse_paths([str(f) for f in files], settings, ParseAndAnnotate.from_settings(settings)):
            doc = res.value
            if doc is None:
                failed += 1
                if as_json:
                    sys.stdout.write(json.dumps({"source": res.path, "error": res.code, "reason": res.reason}) + "\n")
                else:
                    err.print(f"[red]failed[/red] {res.path}: {res.reason}")
                continue
            mandates = [dict(block=b.id, label=b.label, **m.model_dump(exclude_none=True)) for b in doc.blocks for m in b.mandates]
            facts = [f.__dict__ for f in initiative_facts(doc)]
            cites = sorted({c.id for b in doc.blocks for c in b.citations})
            ents = [dict(block=b.id, **e.model_dump(exclude_none=True)) for b in doc.blocks for e in b.entities]
            if as_json:
                row = {"source": res.path, "symbol": doc.symbol, "language": doc.language, "vocabulary": load().version,
                       "mandates": mandates, "facts": facts, "citations": cites}
                if entities:
                    row["entities"] = ents
                sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")
                continue
            out.print(f"[bold]{res.path}[/bold]  {doc.symbol or '-'}  {doc.language}")
            t = readable_table("para", "verb", "force", "addressees", "decision", "deadline", "action", title="mandates")
            for m in mandates:
                t.add_row(m.get("label") or "", m["verb"], m["force"], ", ".join(m["addressees"]), m.get("decision") or "",
                          m.get("deadline") or "", m["action"][:60])
            out.print(t)
            t = readable_table("subject", "predicate", "object", "paragraph", title="initiative facts")
            for f in facts:
                t.add_row(f["subject"], f["predicate"], f["object"], f["block_id"])
            out.print(t)
            out.print("citations: " + (", ".join(cites) or "-"))
            if entities:
                t = readable_table("type", "id", "text", title="entities")
                for e in ents:
                    t.add_row(e["type"], e["id"], e["text"][:50])
                out.print(t)
        sys.stdout.flush()
        if failed:
            raise typer.Exit(1)
