"""The `unkg` command line: every command has --help and --json."""

from __future__ import annotations

import json
import sys
from pathlib import Path


import typer
from rich.console import Console
from unkg.terminal import readable_table

from unkg.errors import UnkgError
from unkg.settings import get_settings
from unkg.terminal import fail as _fail

app = typer.Typer(help="unkg: UN documents to a searchable knowledge graph.", no_args_is_help=True, add_completion=False)
console = Console(stderr=True)
out = Console()

def samples_dir() -> Path:
    """The bundled sample corpus: inside the installed package (a wheel), else the checkout's samples/."""
    here = Path(__file__).resolve().parent
    for p in (here / "samples", here.parent / "samples"):
        if p.is_dir() and any(p.glob("*.txt")):
            return p
    raise UnkgError(f"the sample corpus is missing (looked in {here / 'samples'} and {here.parent / 'samples'}); "
                    "reinstall unkg or run from a checkout")




def paragraph_json(b) -> dict:
    """The per-paragraph shape of `unkg parse --json`."""
    return {
        "id": b.id,
        "kind": b.kind,
        "zone": b.zone,
        "label": b.label,
        "level": b.level,
        "parent": b.parent,
        "page": b.page,
        "language": b.language,
        "text": b.text,
        "verb": b.verb,
        "translation_of": b.translation_of,
        "mandates": [m.model_dump(exclude_none=True) for m in b.mandates],
        "entities": [e.model_dump(exclude_none=True) for e in b.entities],
        "citations": [c.model_dump() for c in b.citations],
    }


def document_json(doc, source: str) -> dict:
    return {
        "source": source,
        "id": doc.id,
        "symbol": doc.symbol,
        "title": doc.title,
        "language": doc.language,
        "languages": doc.languages,
        "date": doc.date,
        "body": doc.body,
        "session": doc.session,
        "agenda_item": doc.agenda_item,
        "doc_type": doc.doc_type,
        "format": doc.format,
        "pages": doc.pages,
        "sha256": doc.sha256,
        "warnings": doc.warnings,
        "paragraphs": [paragraph_json(b) for b in doc.blocks],
    }


@app.command()
def parse(
    files: list[Path] = typer.Argument(..., help="Files to parse (PDF, DOCX, HTML, Markdown, text)."),
    as_json: bool = typer.Option(False, "--json", help="One JSON object per document per line."),
) -> None:
    """Parse files and print their structure (nothing is stored)."""
    from unkg.extract.task import ParseAndAnnotate
    from unkg.ingest.batch import parse_paths

    settings = get_settings()
    failed = 0
    for res in parse_paths([str(f) for f in files], settings, ParseAndAnnotate.from_settings(settings)):
        if res.value is None:
            failed += 1
            if as_json:
                out.print_json(json.dumps({"source": res.path, "error": res.code, "reason": res.reason}))
            else:
                console.print(f"[red]failed[/red] {res.path}: {res.reason}")
            continue
        doc = res.value
        if as_json:
            sys.stdout.write(json.dumps(document_json(doc, res.path), ensure_ascii=False) + "\n")
        else:
            out.print(f"[bold]{res.path}[/bold]  {doc.symbol or '-'}  {doc.language}  {doc.date or ''}  {doc.title or ''}")
            for b in doc.blocks:
                out.print(f"  {b.kind:10} {b.label or '':6} {b.verb or '':12} {b.text[:100]}", markup=False, highlight=False)
    sys.stdout.flush()
    if failed:
        raise typer.Exit(1)


def _run_ingest(paths: list[str], as_json: bool, replace: bool = False) -> list:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from unkg.corpus.store import Store
    from unkg.extract.task import ParseAndAnnotate
    from unkg.ingest.batch import ingest_paths

    settings = get_settings()
    store = Store(settings.db_path)
    progress = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=console, disable=as_json or not console.is_terminal)
    task = progress.add_task("ingesting", total=None)

    def on_total(n: int) -> None:
        # the bar (and its refresh thread) starts once the parse workers are started: they are forked from a
        # process with one thread only
        progress.update(task, total=n)
        progress.start()

    def on_file(r) -> None:
        if r.code not in ("unchanged", "unsupported", "not_found"):
            progress.advance(task)
        if as_json:
            sys.stdout.write(json.dumps(r.as_dict(), ensure_ascii=False) + "\n")
            sys.stdout.flush()
        else:
            colour = {"ok": "green", "partial": "yellow", "failed": "red", "skipped": "dim"}[r.status]
            detail = f"{r.symbol or r.doc_id or ''} {r.language or ''} {r.paragraphs or ''} " if r.status in ("ok", "partial") else ""
            progress.console.print(f"[{colour}]{r.status:8}[/{colour}] {r.path}  {detail}{r.reason}", highlight=False)

    try:
        reports = ingest_paths(paths, store, settings, ParseAndAnnotate.from_settings(settings), on_file=on_file,
                               on_total=on_total, replace=replace)
    finally:
        progress.stop()
    counts = store.counts()
    store.close()
    if not as_json:
        summary = {s: sum(1 for r in reports if r.status == s) for s in ("ok", "partial", "failed", "skipped")}
        console.print(f"{summary['ok']} ok, {summary['partial']} partial, {summary['failed']} failed, {summary['skipped']} skipped; store holds {counts['documents']} documents, {counts['blocks']} paragraphs")
    return reports


@app.command()
def ingest(
    paths: list[str] = typer.Argument(..., help="Files and folders (searched recursively)."),
    as_json: bool = typer.Option(False, "--json", help="One JSON report per file per line."),
    replace: bool = typer.Option(False, "--replace", help="Let a file replace a document stored from another file under the same symbol and language (otherwise: a conflict, nothing replaced)."),
) -> None:
    """Ingest files into the store under UNKG_HOME. Exits 1 if any file failed."""
    try:
        reports = _run_ingest(paths, as_json, replace)
    except UnkgError as exc:
        _fail(str(exc))
        return
    if any(r.status == "failed" for r in reports):
        raise typer.Exit(1)


@app.command()
def docs(as_json: bool = typer.Option(False, "--json")) -> None:
    """List the documents in the store."""
    from unkg.corpus.store import Store

    store = Store(get_settings().db_path)
    rows = store.documents()
    store.close()
    if as_json:
        sys.stdout.write(json.dumps(rows, ensure_ascii=False) + "\n")
        return
    table = readable_table("id", "lang", "date", "body", "title")
    for r in rows:
        table.add_row(r["id"], r["language"] or "", r["date"] or "", r["body"] or "", (r["title"] or "")[:60])
    out.print(table)


@app.command()
def show(doc_id: str, as_json: bool = typer.Option(False, "--json")) -> None:
    """Show one stored document with its paragraphs."""
    from unkg.corpus.store import Store

    store = Store(get_settings().db_path)
    doc = store.document(doc_id)
    store.close()
    if doc is None:
        _fail(f"no document with id {doc_id!r}; `unkg docs` lists them", 1)
        return
    if as_json:
        sys.stdout.write(json.dumps(document_json(doc, doc.source), ensure_ascii=False) + "\n")
        return
    out.print(f"[bold]{doc.id}[/bold] {doc.title or ''}")
    for b in doc.blocks:
        out.print(f"  {b.kind:10} {b.label or '':6} {b.verb or '':12} {b.text[:110]}", markup=False, highlight=False)


@app.command()
def demo(as_json: bool = typer.Option(False, "--json")) -> None:
    """Ingest the bundled sample corpus and show what was found. Exit 1 if no sample could be ingested."""
    try:
        samples = samples_dir()
    except UnkgError as exc:
        _fail(str(exc))
        return
    reports = _run_ingest([str(samples)], as_json)
    if not any(r.status in ("ok", "partial") or r.code == "unchanged" for r in reports):
        console.print(f"[red]error:[/red] no sample document could be ingested from {samples}", highlight=False)
        raise typer.Exit(1)
    from unkg.corpus.store import Store
    from unkg.demo import answers, find_a_precedent, show
    from unkg.search.options import SearchOptions
    from unkg.graph.table_graph import open_graph

    store = Store(get_settings().db_path)
    try:
        kg = open_graph(store)
        res = answers(store, kg, precedent=find_a_precedent(store, search_options=SearchOptions.from_settings(get_settings())))
    except UnkgError as exc:
        store.close()
        _fail(str(exc))
        return
    store.close()
    if as_json:
        sys.stdout.write(json.dumps({"answers": res}, ensure_ascii=False, default=str) + "\n")
    else:
        out.print()
        show(res, out)
    if any(r.status == "failed" for r in reports):
        raise typer.Exit(1)


def _register_subcommands() -> None:
    """Each package adds its own commands: `search.cli`, `graph.cli`, `extract.cli`, `unkg.web_cli`, `bench.cli`."""
    import importlib

    for name in ("unkg.extract.cli", "unkg.search.cli", "unkg.graph.cli", "unkg.web_cli", "unkg.watch_cli"):
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:
                continue
            raise
        if name == "unkg.graph.cli":
            module.register(app, encoder_factory=_name_encoder)
        else:
            module.register(app)


def _name_encoder():
    """The search encoder's function, for `graph build` to merge initiatives across languages by their names
    (ImportError without the search extras: then the graph merges by translation evidence only)."""
    from unkg.search.encoders import get_encoder  # ImportError here, before the build, without the extras

    def encode(names: list[str]):
        # the model loads on the first call: a build whose initiative names did not change never loads it
        return get_encoder(get_settings().encoder).encode(names)

    return encode


_register_subcommands()


def main() -> None:  # pragma: no cover - console entry
    app()


if __name__ == "__main__":  # pragma: no cover
    app()
