"""The knowledge graph: built from the store (networkx), synced to Neo4j, exported, queried.

* `graph.schema`: labels, relationship types, id rules (docs/graph-schema.md)
* `graph.build`: `build_graph(store)` / `load_graph()` -> KnowledgeGraph (incremental)
* `graph.neo4j_sync`: `sync_graph(kg, store, Connection.from_options())`, `read_query`
* `graph.export`: `export(kg, "ttl" | "jsonld" | "graphml" | "csv", path)`
* `graph.query`: `mandates`, `neighbours`, `explain_path`, `precedents`, `resolve`
* `graph.cli`: `unkg graph ...`
"""
