"""One router per area of the web app; `create_app` includes them all."""

from . import documents, graph, mandates, meta, search, write

ROUTERS = (meta.router, search.router, documents.router, mandates.router, graph.router, write.router)
