"""The knowledge graph: built from the store into its graph tables, synced to Neo4j, exported, queried.

* `graph.schema`: labels, relationship types, id rules (docs/graph-schema.md)
* `graph.table_graph`: `build_tables(store)` / `open_graph(store)` -> StoreGraph, what the questions read (incremental)
* `graph.build`: a document's contribution; `build_graph(store)` -> KnowledgeGraph, the same graph in memory (networkx)
* `graph.neo4j_sync`: `sync_graph(kg, store, Connection.from_options())`, `read_query`
* `graph.export`: `export(kg, "ttl" | "jsonld" | "graphml" | "csv", path)`
* `graph.query`: `mandates`, `neighbours`, `explain_path`, `precedents`, `resolve`
* `graph.cli`: `unkg graph ...`
"""
