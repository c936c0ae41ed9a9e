"""`unkg graph ...`: build, sync, export and query the knowledge graph.

Every command has --help and --json; exit codes: 0 ok, 1 nothing found,
2 bad input or a failure the message explains.
"""

from __future__ import annotations

import json
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Optional

import typer
from rich.console import Console
from rich.markup import escape
from unkg.terminal import readable_table

_STATUS_STYLE = {"open": "yellow", "reported on": "cyan", "implemented": "green", "superseded": "magenta", "elapsed": "red"}

from unkg.errors import UnkgError
from unkg.terminal import fail as _fail, emit as _emit

graph_app = typer.Typer(help="The knowledge graph: build, sync to Neo4j, export, query.", no_args_is_help=True)
console = Console(stderr=True)
out = Console()

# The application hands in how to get the multilingual encoder (the graph does not load models itself): with it,
# `graph build` also merges initiatives across languages by their names' embeddings (graph.build.initiative_aliases).
_encoder_factory: Optional[Callable[[], Callable[[list[str]], Any]]] = None


def _store():
    from unkg.corpus.store import Store

    from unkg.settings import get_settings

    return Store(get_settings().db_path)


def _whole_graph():
    """The whole graph in memory (export and sync send every node): read from the store's graph tables, first
    brought up to date (changed documents only)."""
    store, sg, rep = _store_graph()
    try:
        kg = sg.to_knowledge_graph()
    except BaseException:
        store.close()
        raise
    return store, kg, rep


def _encode() -> Optional[Callable[[list[str]], Any]]:
    """The encoder function the application registered, or None (no search extras: translation evidence only)."""
    if _encoder_factory is None:
        return None
    try:
        return _encoder_factory()
    except ImportError:
        return None


def _store_graph(counts: bool = False, encode: Optional[Callable[[list[str]], Any]] = None):
    """The graph the questions read: the store's graph tables, first brought up to date (changed documents only)."""
    from .table_graph import build_tables

    store = _store()
    try:
        sg, rep = build_tables(store, counts=counts, encode=encode)
    except BaseException:
        store.close()
        raise
    return store, sg, rep


@contextmanager
def _asking(opener: Optional[Callable[[], tuple]] = None, exit_code: Callable[[str], int] = lambda message: 2):
    """The store, graph and build report a command asks (`opener`: `_store_graph`, `_graph`; the store alone by
    default), the store closed afterwards; an UnkgError ends the command with its message: the graph commands'
    one error path."""
    try:
        store, kg, rep = opener() if opener else (_store(), None, None)
        try:
            yield store, kg, rep
        finally:
            store.close()
    except UnkgError as exc:
        _fail(str(exc), exit_code(str(exc)))


@graph_app.command()
def build(as_json: bool = typer.Option(False, "--json", help="Print the build report as JSON."),
          tables_only: bool = typer.Option(False, "--tables-only", hidden=True,
                                           help="Kept for scripts: the tables are all a build writes now.")) -> None:
    """Bring the graph up to date with the store (only documents changed since the last build).

    The graph lives in the store's graph tables, which every question, the web page, export and sync read."""
    from .build import default_cache_path, remove_stale_temps

    encode = _encode()
    with _asking(lambda: _store_graph(counts=True, encode=encode)) as (store, sg, rep):
        sg.path_index()  # the compact adjacency of the changed tables now, not at the next path question
        # the in-memory cache earlier versions saved: only leftovers of a save that was killed are removed
        rep.stale_temps = len(remove_stale_temps(default_cache_path(store)))
    d = rep.as_dict()
    if as_json:
        _emit(d)
        return
    out.print(f"added {rep.added}, updated {rep.updated}, removed {rep.removed}, unchanged {rep.unchanged} documents in {rep.seconds:.2f} s")
    out.print(f"{d['nodes']} nodes, {d['relationships']} relationships")
    table = readable_table("label / type", "count")
    for k, v in {**d["labels"], **d["types"]}.items():
        table.add_row(k, str(v))
    out.print(table)


@graph_app.command()
def sync(
    uri: Optional[str] = typer.Option(None, help="Bolt URI (default: NEO4J_URI)."),
    user: Optional[str] = typer.Option(None, help="User name (default: NEO4J_USER / NEO4J_USERNAME). The password is read from NEO4J_PASSWORD only."),
    database: Optional[str] = typer.Option(None, help="Database (default: NEO4J_DATABASE, else the server's default)."),
    batch_size: Optional[int] = typer.Option(None, help="Rows per UNWIND statement (default: the server's, 10,000 on Neo4j, 2,000 on FalkorDB)."),
    full: bool = typer.Option(False, "--full", help="Send every document again, not only the changed ones."),
    reset: bool = typer.Option(False, "--reset", help="First delete every node with a graph label from the database."),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Sync the graph to Neo4j (or FalkorDB over Bolt): constraints first, batched MERGE, incremental."""
    from .neo4j_sync import Client, Connection, reset_target, sync_graph

    try:
        conn = Connection.from_options(uri, user, database)
        store, kg, _ = _whole_graph()
        try:
            with Client(conn) as client:
                if reset:
                    reset_target(store, conn, client)
                rep = sync_graph(kg, store, conn, batch_size=batch_size, full=full or reset, client=client)
        finally:
            store.close()
    except UnkgError as exc:
        _fail(str(exc))
        return
    d = rep.as_dict()
    if as_json:
        _emit(d)
        return
    out.print(f"{conn.uri} ({rep.dialect}): {rep.documents} documents synced, {rep.removed} removed, "
              f"{rep.nodes} nodes and {rep.relationships} relationships sent in {rep.statements} statements, {rep.seconds:.2f} s")
    out.print(f"server holds {rep.counts.get('nodes')} nodes, {rep.counts.get('relationships')} relationships")


@graph_app.command()
def export(
    fmt: str = typer.Option(..., "--format", "-f", help="ttl, jsonld, graphml or csv (a folder, Neo4j bulk-import format)."),
    output: Path = typer.Option(..., "-o", "--output", help="File to write (folder for csv)."),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Export the graph: RDF (Turtle, JSON-LD), GraphML or Neo4j bulk-import CSV."""
    from .export import export as do_export
    from .mandates import find_mandates

    try:
        store, kg, _ = _whole_graph()
        try:
            statuses = {m["id"]: m for m in find_mandates(store, limit=10**9)} if fmt.lower() in ("ttl", "jsonld") else None
        finally:
            store.close()
        res = do_export(kg, fmt, output, statuses)
    except UnkgError as exc:
        _fail(str(exc))
        return
    except OSError as exc:
        _fail(f"cannot write {output}: {exc}")
        return
    if as_json:
        _emit(res)
    else:
        out.print(f"wrote {res['nodes']} nodes and {res['relationships']} relationships as {fmt} to {output}")


@graph_app.command()
def mandates(
    addressee: Optional[str] = typer.Option(None, help="Actor or country (name, alias or id), e.g. 'secretariat'."),
    decision: Optional[str] = typer.Option(None, help="Decision, e.g. 22/COP.15."),
    session: Optional[str] = typer.Option(None, help="Session, e.g. 'COP 15' or 'COP.15'."),
    verb: Optional[str] = typer.Option(None, help="Verb as printed or in English, e.g. request."),
    language: Optional[str] = typer.Option(None, help="Language code of the paragraph (en, fr, es, ru, zh, ar)."),
    status: Optional[str] = typer.Option(None, help="open, 'reported on', implemented, superseded or elapsed."),
    limit: int = typer.Option(500),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Mandates with decision, paragraph, addressees, verb, deadline and status (with its evidence). Exit 1 if none match."""
    from .mandates import MandateFilter, find_mandates

    with _asking() as (store, _, _):
        rows = find_mandates(store, MandateFilter.of(addressee, decision, session, verb, language, status=status), limit=limit)
    if as_json:
        _emit(rows)
    else:
        for m in rows:
            # one block per mandate: readable at 80 columns, ids never cut
            out.print(f"[bold]{escape(m['citation'])}[/bold]  [{_STATUS_STYLE.get(m['status'], 'white')}]{m['status']}[/]",
                      highlight=False)
            who = ", ".join(m["addressee_names"]) or "(no addressee)"
            out.print(f"  {escape(m['verb_en'] or m['verb'] or '')} -> {escape(who)}"
                      + (f"  by {escape(m['deadline'])}" if m["deadline"] else ""), highlight=False)
            if m["action"]:
                out.print(f"  {escape(m['action'])}", highlight=False)
            for e in m["evidence"]:
                out.print(f"  [dim]evidence:[/dim] {escape(e['citation'])}", highlight=False)
    if not rows:
        raise typer.Exit(1)


@graph_app.command()
def neighbours(
    node: str = typer.Argument(..., help="Id, decision number or name."),
    depth: int = typer.Option(1, min=1, max=4),
    types: Optional[str] = typer.Option(None, help="Comma-separated relationship types to follow."),
    no_paragraphs: bool = typer.Option(False, "--no-paragraphs", help="Skip paragraph nodes (entity-to-entity facts only)."),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """A node's neighbourhood, with the paragraph behind each relationship."""
    from .query import neighbours as q

    with _asking(_store_graph) as (_, kg, _):
        res = q(kg, node, depth=depth, types=types.split(",") if types else None, include_paragraphs=not no_paragraphs)
    if as_json:
        _emit(res)
        return
    out.print(f"[bold]{res['node']['name']}[/bold] ({res['node']['id']})", highlight=False)
    for r in res["relationships"]:
        out.print(f"  {r['source']} -[{r['type']}]-> {r['target']}  [{r['paragraph'] or ''}]", markup=False, highlight=False)


@graph_app.command()
def path(
    source: str = typer.Argument(..., help="From: id, decision number or name, e.g. '22/COP.15'."),
    target: str = typer.Argument(..., help="To, e.g. 'Changwon Initiative'."),
    max_len: int = typer.Option(12, help="Longest path accepted (the HTTP API's default too)."),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """The shortest explained path between two entities; each step cites its paragraph."""
    from .query import explain_path

    # exit 1 when the graph holds no such path (or nothing yet), 2 for any other error
    with _asking(_store_graph, lambda message: 1 if "no path" in message or "nothing in the graph" in message else 2) as (_, kg, _):
        res = explain_path(kg, source, target, max_len=max_len)
    if as_json:
        _emit(res)
        return
    out.print(f"[bold]{res['source']['name']}[/bold] → [bold]{res['target']['name']}[/bold] in {res['length']} steps", highlight=False)
    for i, s in enumerate(res["steps"], 1):
        p = s["paragraph"] or {}
        out.print(f" {i}. {s['explanation']}", markup=False, highlight=False)
        if p.get("text"):
            out.print(f"      “{p['text'][:160]}”", markup=False, highlight=False)


@graph_app.command()
def precedents(
    decision: str = typer.Argument(..., help="Decision, e.g. 22/COP.15."),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Earlier decisions and resolutions a decision cites (recalling, reaffirming, 忆及...) or follows up, oldest first. Exit 1 if none are known."""
    from .query import precedents as q

    with _asking(_store_graph) as (_, kg, _):
        rows = q(kg, decision)
    if as_json:
        _emit(rows)
    else:
        for r in rows:
            p = r["paragraph"] or {}
            how = r.get("wording") or r["relation"]
            out.print(f"{r['decision']['name']}  {how}  ({p.get('citation') or ''})", markup=False, highlight=False)
    if not rows:
        raise typer.Exit(1)


@graph_app.command()
def cypher(
    query: str = typer.Argument(..., help="A read-only Cypher query."),
    params: Optional[str] = typer.Option(None, help="Parameters as a JSON object."),
    uri: Optional[str] = typer.Option(None, help="Bolt URI (default: NEO4J_URI)."),
    user: Optional[str] = typer.Option(None),
    database: Optional[str] = typer.Option(None),
    timeout: float = typer.Option(10.0, help="Seconds before the query is stopped."),
    limit: int = typer.Option(1000, help="Rows returned at most."),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Run a read-only Cypher query on the synced server (writes, LOAD CSV and write procedures are refused)."""
    from .neo4j_sync import Connection, check_read_only, read_query

    try:
        check_read_only(query)
        p = json.loads(params) if params else {}
        if not isinstance(p, dict):
            raise UnkgError("--params must be a JSON object")
        rows = read_query(Connection.from_options(uri, user, database), query, p, timeout=timeout, limit=limit)
    except json.JSONDecodeError as exc:
        _fail(f"--params is not JSON: {exc}")
        return
    except UnkgError as exc:
        _fail(str(exc))
        return
    if as_json:
        _emit(rows)
        return
    if rows:
        table = readable_table(*rows[0].keys())
        for r in rows:
            table.add_row(*[json.dumps(v, ensure_ascii=False) if not isinstance(v, str) else v for v in r.values()])
        out.print(table)
    else:
        out.print("no rows")


def register(app: typer.Typer, encoder_factory: Optional[Callable[[], Callable[[list[str]], Any]]] = None) -> None:
    """Add `unkg graph …`; `encoder_factory` (from the application) lets `graph build` merge initiatives by embeddings."""
    global _encoder_factory
    _encoder_factory = encoder_factory
    app.add_typer(graph_app, name="graph")
