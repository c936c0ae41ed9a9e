"""`unkg search`, `unkg index` and `unkg precedents`."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console

from unkg.errors import UnkgError
from unkg.terminal import fail as _fail

console = Console(stderr=True)
out = Console()




def _progress_cb(enabled: bool):
    """(context, callback) of the indexing progress on stderr: a bar with rate and ETA on a terminal, else a line
    every few seconds (when asked for with --progress); (None, None) when not enabled. Stdout stays parseable."""
    if not enabled:
        return None, None
    if not console.is_terminal:
        return _progress_lines()
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, ProgressColumn, TextColumn, TimeElapsedColumn, TimeRemainingColumn
    from rich.text import Text

    class RateColumn(ProgressColumn):
        """Paragraphs (texts) per second, so a user sees whether a long index run is going well."""

        def render(self, task) -> Text:
            return Text(f"{task.speed:,.0f}/s" if task.speed else "", style="dim")

    progress = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), RateColumn(), TimeElapsedColumn(),
                        TextColumn("eta"), TimeRemainingColumn(), console=console)
    tasks: dict[str, int] = {}

    def cb(stage: str, done: int, total: int) -> None:
        if stage not in tasks:
            tasks[stage] = progress.add_task(_STAGES.get(stage, stage), total=total)
        progress.update(tasks[stage], completed=done, total=total)

    return progress, cb


_STAGES = {"lexical": "words (paragraphs)", "embeddings": "vectors (texts)"}


def _progress_lines(every: float = 5.0):
    """Progress for a log (stderr not a terminal): one line per stage every `every` seconds and when it ends."""
    import contextlib
    import time

    t0 = time.monotonic()  # both stages run from the start (texts are embedded while words are written)
    shown: dict[str, float] = {}

    def cb(stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        if done < total and now - shown.get(stage, 0.0) < every:
            return
        shown[stage] = now
        rate = done / (now - t0) if now > t0 else 0.0
        eta = f", eta {(total - done) / rate:,.0f} s" if rate and done < total else ""
        sys.stderr.write(f"indexing {_STAGES.get(stage, stage)}: {done:,}/{total:,}, {rate:,.0f}/s{eta}\n")
        sys.stderr.flush()

    return contextlib.nullcontext(), cb


def _index_with_progress(s, show: bool):
    progress, cb = _progress_cb(show)
    if progress is None:
        return s.ensure_index()
    with progress:
        return s.ensure_index(on_progress=cb)


def _options():
    """The search settings of this process (UNKG_ENCODER, UNKG_EXACT_LIMIT, ...), read here at the entry point."""
    from unkg.search.options import SearchOptions
    from unkg.settings import get_settings

    return SearchOptions.from_settings(get_settings())


def _store():
    """The store under UNKG_HOME (the settings read here, at the entry point)."""
    from unkg.corpus.store import Store
    from unkg.settings import get_settings

    return Store(get_settings().db_path)


def _searcher(encoder: Optional[str], as_json: bool, backend: str = "local", conn=None):
    from unkg.search.engine import Searcher

    if backend == "bolt":  # dense and lexical candidates from the Bolt server's indexes (`unkg search-sync` pushes them)
        from unkg.search.bolt_backend import BoltSearcher

        s = BoltSearcher(conn, store=_store(), encoder=encoder, options=_options())
    else:
        s = Searcher(_store(), encoder=encoder, options=_options())
    if not s.index.is_current(None) or s.index.missing_embeddings(s.encoder.name):
        _index_with_progress(s, console.is_terminal and not as_json)
    return s


def _print_hits(query: str, hits: list, show_translations: bool = True) -> None:
    out.print(f"[bold]{query}[/bold]  ({len(hits)} hits)", highlight=False)
    for i, h in enumerate(hits, 1):
        mark = " [green]exact[/green]" if h.exact else ""
        out.print(f"{i:>3}. [cyan]{h.citation}[/cyan] [dim]{h.language or '-'} {h.paragraph_id} score={h.score:.4f}[/dim]{mark}", highlight=False)
        if h.section:
            out.print(f"     [dim]section:[/dim] {h.section[:120]}", highlight=False)
        out.print(f"     {h.text[:300]}", markup=False, highlight=False)
        if h.also_in:
            out.print(f"     [dim]also in:[/dim] {'; '.join(h.also_in[:8])}", highlight=False)
        if show_translations:
            for t in h.translations:
                out.print(f"     [dim]{t.language}:[/dim] {t.text[:200]}", highlight=False)


def register(app: typer.Typer) -> None:
    @app.command()
    def search(
        query: Optional[str] = typer.Argument(None, help='The query. Words, and "exact phrases" in double quotes.'),
        queries: Optional[Path] = typer.Option(None, "--queries", help="Batch mode: a file with one query per line."),
        lang: Optional[list[str]] = typer.Option(None, "--lang", help="Only paragraphs in this language (en fr es ru zh ar); repeatable."),
        kind: Optional[list[str]] = typer.Option(None, "--kind", help="Only this paragraph kind (operative, preambular, text, heading...); repeatable."),
        actor: Optional[str] = typer.Option(None, "--actor", help="Only paragraphs naming or addressing this actor (id or name, substring)."),
        verb: Optional[str] = typer.Option(None, "--verb", help="Only paragraphs with this action verb (as printed or its English form)."),
        body: Optional[str] = typer.Option(None, "--body", help="Only documents of this body (substring, e.g. COP, UN-Habitat)."),
        session: Optional[str] = typer.Option(None, "--session", help="Only documents of this session."),
        doc_type: Optional[str] = typer.Option(None, "--doc-type", help="Only documents of this type (decision, resolution, report...)."),
        top_k: int = typer.Option(10, "--top-k", "-k", min=1, max=1000, help="Hits per query."),
        mode: str = typer.Option("hybrid", "--mode", help="hybrid (default), dense or lexical."),
        encoder: Optional[str] = typer.Option(None, "--encoder", help="use-multilingual (default) or st:<model name or path>; default from UNKG_ENCODER."),
        no_translations: bool = typer.Option(False, "--no-translations", help="Leave out the other-language versions."),
        as_json: bool = typer.Option(False, "--json", help='One JSON object per query per line: {"query", "hits": [...]}.'),
        backend: str = typer.Option("local", "--backend", help="local (default: this machine's indexes) or bolt (the Neo4j/FalkorDB server's full-text and vector indexes; see `unkg search-sync`)."),
        uri: Optional[str] = typer.Option(None, "--uri", help="With --backend bolt: Bolt URI (default: NEO4J_URI)."),
        user: Optional[str] = typer.Option(None, "--user", help="With --backend bolt: user (default: NEO4J_USER); password from NEO4J_PASSWORD."),
        database: Optional[str] = typer.Option(None, "--database", help="With --backend bolt: database (default: NEO4J_DATABASE)."),
    ) -> None:
        """Search paragraphs in every language (hybrid BM25 + multilingual embeddings); indexes new documents first."""
        from unkg.search.engine import Filters

        if backend not in ("local", "bolt"):
            _fail(f"unknown --backend {backend!r}: use local or bolt")
        if (query is None) == (queries is None):
            _fail('give a QUERY or --queries FILE (one query per line), e.g. unkg search "land degradation neutrality"')
        if queries is not None:
            try:
                qs = queries.read_text(encoding="utf-8").splitlines()
            except OSError as exc:
                _fail(f"cannot read {queries}: {exc.strerror}")
                return
        else:
            qs = [query or ""]
        filters = Filters(language=lang or None, kind=kind or None, actor=actor, verb=verb, body=body, session=session, doc_type=doc_type)
        try:
            conn = None
            if backend == "bolt":
                from unkg.graph.neo4j_sync import Connection

                conn = Connection.from_options(uri, user, database)
            s = _searcher(encoder, as_json, backend, conn)
            results = s.search_many(qs, filters=filters, top_k=top_k, mode=mode, with_translations=not no_translations)
        except UnkgError as exc:
            _fail(str(exc))
            return
        for q, hits in zip(qs, results):
            if as_json:
                sys.stdout.write(json.dumps({"query": q, "hits": [h.as_dict() for h in hits]}, ensure_ascii=False) + "\n")
            else:
                _print_hits(q, hits, not no_translations)
        sys.stdout.flush()
        s.close()

    @app.command()
    def index(
        encoder: Optional[str] = typer.Option(None, "--encoder", help="use-multilingual (default) or st:<model name or path>."),
        as_json: bool = typer.Option(False, "--json", help="Print the indexing report as JSON."),
        progress: Optional[bool] = typer.Option(None, "--progress/--no-progress", help="Progress with rate and ETA on stderr (default: when stderr is a terminal and without --json; not a terminal: a line every 5 s)."),
    ) -> None:
        """Index stored paragraphs for search (lexical and dense); only what changed since the last run."""
        from unkg.search.engine import Searcher

        try:
            s = Searcher(_store(), encoder=encoder, options=_options())
            rep = _index_with_progress(s, (console.is_terminal and not as_json) if progress is None else progress)
            stats = s.index.stats()
        except UnkgError as exc:
            _fail(str(exc))
            return
        if as_json:
            sys.stdout.write(json.dumps({"report": rep.as_dict(), "index": stats, "encoder": s.encoder.name}) + "\n")
        else:
            console.print(
                f"indexed {rep.documents_indexed} documents ({rep.paragraphs_indexed} paragraphs), dropped {rep.documents_dropped}, "
                f"embedded {rep.texts_embedded} new texts with {s.encoder.name}; index holds {stats['paragraphs']} paragraphs",
                highlight=False,
            )
        s.close()

    @app.command("search-sync")
    def search_sync(
        uri: Optional[str] = typer.Option(None, help="Bolt URI (default: NEO4J_URI)."),
        user: Optional[str] = typer.Option(None, help="User name (default: NEO4J_USER / NEO4J_USERNAME). The password is read from NEO4J_PASSWORD only."),
        database: Optional[str] = typer.Option(None, help="Database (default: NEO4J_DATABASE, else the server's default)."),
        encoder: Optional[str] = typer.Option(None, "--encoder", help="use-multilingual (default) or st:<model name or path>."),
        full: bool = typer.Option(False, "--full", help="Send every paragraph again, not only the changed ones."),
        reset: bool = typer.Option(False, "--reset", help="First drop the server's search indexes and properties (e.g. after changing the encoder)."),
        as_json: bool = typer.Option(False, "--json", help="Print the push report as JSON."),
    ) -> None:
        """Push paragraph text, language and vectors to Neo4j (or FalkorDB) with full-text and vector indexes; incremental."""
        from unkg.graph.neo4j_sync import Client, Connection
        from unkg.search.bolt_backend import push_search_index, reset_search

        try:
            conn = Connection.from_options(uri, user, database)
            s = _searcher(encoder, as_json)
            try:
                with Client(conn) as client:
                    if reset:
                        reset_search(s.store, conn, client)
                    rep = push_search_index(s, conn, full=full or reset, client=client)
            finally:
                s.close()
        except UnkgError as exc:
            _fail(str(exc))
            return
        if as_json:
            sys.stdout.write(json.dumps(rep.as_dict(), ensure_ascii=False) + "\n")
        else:
            console.print(f"{conn.uri} ({rep.dialect}): {rep.paragraphs} paragraphs sent, {rep.removed} removed, "
                          f"{rep.statements} statements, {rep.seconds:.2f} s; the server holds {rep.server_paragraphs} "
                          f"searchable paragraphs ({rep.model}, {rep.dim} dimensions)", highlight=False)

    @app.command()
    def precedents(
        paragraph: Optional[str] = typer.Argument(None, help="A paragraph id (as shown by `unkg search`)."),
        text: Optional[str] = typer.Option(None, "--text", help="Pasted text instead of a paragraph id."),
        min_similarity: float = typer.Option(0.6, "--min-similarity", min=0.0, max=1.0, help="Word-level similarity to keep (1.0 = identical); across languages the calibrated threshold applies."),
        limit: int = typer.Option(20, "--limit", min=1),
        any_language: bool = typer.Option(False, "--any-language", help="Also paragraphs in other languages: found by meaning (dense similarity over a threshold calibrated per language pair), shown beside your wording."),
        encoder: Optional[str] = typer.Option(None, "--encoder"),
        as_json: bool = typer.Option(False, "--json", help="One JSON array of precedents."),
    ) -> None:
        """Earlier paragraphs with the same or nearly the same wording, oldest first, with a word-level diff."""
        from unkg.search.precedents import find_precedents

        if (paragraph is None) == (text is None):
            _fail("give a paragraph id or --text TEXT")
        try:
            s = _searcher(encoder, as_json)
            found = find_precedents(s, paragraph_id=paragraph, text=text, min_similarity=min_similarity, limit=limit,
                                    same_language=not any_language)
        except UnkgError as exc:
            _fail(str(exc), 1)
            return
        if as_json:
            sys.stdout.write(json.dumps([p.as_dict() for p in found], ensure_ascii=False) + "\n")
        else:
            if not found:
                console.print("no precedents found")
            for p in found:
                tag = ("identical" if p.identical else f"similarity {p.similarity:.2f}") if not p.translation \
                    else f"same meaning, {p.language} (dense similarity {p.similarity:.2f})"
                out.print(f"[cyan]{p.citation}[/cyan] [dim]{p.date or '-'} {p.language or '-'} {p.paragraph_id}[/dim] {tag}", highlight=False)
                if p.translation:  # side by side: the precedent's own wording, then the text asked about
                    out.print(f"    [dim]{p.language}:[/dim] {p.text[:500]}", highlight=False)
                    out.print(f"    [dim]{p.query_language or '?'} (yours):[/dim] {p.query_text[:500]}", highlight=False)
                else:
                    out.print(f"    {p.diff[:500]}", markup=False, highlight=False)
        s.close()
