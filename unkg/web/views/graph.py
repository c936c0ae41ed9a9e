"""The knowledge graph: find nodes, a neighbourhood, an explained path, and the graph page."""

from __future__ import annotations

from typing import Optional

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse

from unkg.graph.query import MAX_PATH_STEPS

from .. import schemas as M
from ..context import WebContext, vendor_file, web
from ..errors import ERROR_RESPONSES
from ..security import ApiError


def costly(request: Request):
    """Dependency of the graph endpoints: a few at a time per client and overall (429 / 503 beyond)."""
    expensive = web(request).expensive
    client = request.scope.get("state", {}).get("client_address") or (request.client.host if request.client else "unknown")
    with expensive.lock:
        if expensive.total >= expensive.max_total:
            raise ApiError(503, "busy", "the server is busy with graph requests; try again in a few seconds", {"Retry-After": "2"})
        if expensive.by_client.get(client, 0) >= expensive.per_client:
            raise ApiError(429, "too_many_graph_requests",
                           f"at most {expensive.per_client} graph requests at a time per client; wait for one to finish",
                           {"Retry-After": "1"})
        expensive.by_client[client] = expensive.by_client.get(client, 0) + 1
        expensive.total += 1
    try:
        yield
    finally:
        with expensive.lock:
            expensive.total -= 1
            left = expensive.by_client.get(client, 1) - 1
            if left <= 0:
                expensive.by_client.pop(client, None)
            else:
                expensive.by_client[client] = left


router = APIRouter()


@router.get("/api/graph/nodes", summary="Find graph nodes by name", response_model=M.NodeList, responses=ERROR_RESPONSES, tags=["graph"],
            dependencies=[Depends(costly)])
def api_graph_nodes(q: str = Query(..., min_length=1, max_length=200, description="part of a node's name, alias or id"),
                    label: Optional[str] = Query(None, max_length=30, description="Initiative, Actor, Decision, Document ..."),
                    limit: int = Query(20, ge=1, le=200), ctx: WebContext = Depends(web)):
    """Find graph nodes by name (paragraph nodes only when `label=Paragraph`)."""
    nodes = ctx.data.graph_nodes(q, label, limit)
    return M.NodeList(query=q, count=len(nodes), nodes=[M.GraphNode(**n) for n in nodes])


@router.get("/api/graph/neighbourhood", summary="A node and its neighbours", response_model=M.Neighbourhood, responses=ERROR_RESPONSES,
            tags=["graph"], dependencies=[Depends(costly)])
def api_graph_neighbourhood(node: str = Query(..., max_length=400, description="node id, e.g. initiative:changwon-initiative"),
                            depth: int = Query(1, ge=1, le=3), limit: int = Query(60, ge=1, le=500),
                            types: Optional[str] = Query(None, max_length=300, description="comma-separated relationship types"),
                            ctx: WebContext = Depends(web)):
    """A node, its neighbours and the edges between them; each edge names the paragraph it came from."""
    t = {x.strip().upper() for x in types.split(",") if x.strip()} if types else None
    return ctx.data.graph_neighbourhood(node, depth, limit, t)


@router.get("/api/graph/path", summary="Shortest explained path between two nodes", response_model=M.GraphPath, responses=ERROR_RESPONSES,
            tags=["graph"], dependencies=[Depends(costly)])
def api_graph_path(source: str = Query(..., max_length=400), target: str = Query(..., max_length=400),
                   max_len: int = Query(MAX_PATH_STEPS, ge=1, le=20), ctx: WebContext = Depends(web)):
    """The shortest path between two nodes (edges followed in either direction), with each edge's paragraph."""
    return ctx.data.graph_path(source, target, max_len)


@router.get("/graph", include_in_schema=False)
def graph_page(request: Request, node: Optional[str] = Query(None, max_length=400),
               from_: Optional[str] = Query(None, alias="from", max_length=400), to: Optional[str] = Query(None, max_length=400),
               format: Optional[str] = Query(None, pattern="^(json|html)$"), ctx: WebContext = Depends(web)):
    from_, to = (from_ or "").strip(), (to or "").strip()
    if format == "json":
        if from_ and to:  # the path the page draws
            return JSONResponse(ctx.data.graph_path(from_, to, MAX_PATH_STEPS))
        if node:
            return JSONResponse(ctx.data.graph_neighbourhood(node))
        nodes = ctx.data.graph_starts(50)
        return JSONResponse({"query": "", "count": len(nodes), "nodes": nodes})
    return ctx.page(request, "graph.html", node=node or "", path_from=from_, path_to=to,
                    has_lib=vendor_file("cytoscape.min.js") is not None)
