"""Exports of the knowledge graph, chosen by name: ttl, jsonld, graphml, csv.

* ttl / jsonld: RDF through rdflib with the ontology in `graph/ontology.ttl`
  (SKOS, PROV, Dublin Core; SDG goals and targets keep their UN SDG KOS IRIs).
  Every relationship becomes a direct triple plus a reified `unkg:Relationship`
  carrying its key, its type and `prov:wasDerivedFrom` the paragraph it came
  from, so parallel relationships with different provenance all survive.
* graphml: networkx GraphML; node attributes include `label` (node type) and `name`.
* csv: a folder in the Neo4j bulk-import format (`id:ID`, `:LABEL`, `:START_ID`,
  `:END_ID`, `:TYPE`, typed property columns, `;` between array items) plus the
  `neo4j-admin database import full` command line that loads it.
"""

from __future__ import annotations

import csv
import hashlib
import json
from pathlib import Path
from typing import Any, Callable, Optional
from urllib.parse import quote

import networkx as nx

from unkg.corpus.citation import permalink
from unkg.errors import GraphError

from . import schema as S
from .build import KnowledgeGraph

ONTOLOGY = Path(__file__).with_name("ontology.ttl")
ONT = "https://w3id.org/unkg/ontology#"
ID_BASE = "https://w3id.org/unkg/id/"
REL_BASE = "https://w3id.org/unkg/rel/"
FORMATS = ("ttl", "jsonld", "graphml", "csv")

REL_PROPERTY = {
    "HAS_PARAGRAPH": "hasParagraph", "PART_OF": "partOf", "CITES": "cites", "ADOPTED_AT": "adoptedAt",
    "FOR_SESSION": "forSession", "CONTAINS_MANDATE": "containsMandate", "ADDRESSED_TO": "addressedTo",
    "MENTIONS": "mentions", "LAUNCHED_BY": "launchedBy", "FUNDED_BY": "fundedBy", "PARTNER_OF": "partnerOf",
    "CONTRIBUTES_TO": "contributesTo", "TRANSLATION_OF": "translationOf", "RESPONDS_TO": "respondsTo",
    "FOLLOWS_UP": "followsUp", "ORGANIZED_BY": "organizedBy", "SUPPORTS": "supports", "PARTICIPATES_IN": "participatesIn",
    "ADOPTED_BY": "adoptedBy",
}
assert set(REL_PROPERTY) == set(S.REL_TYPES)


def node_iri(node_id: str, attrs: dict[str, Any] | None = None) -> str:
    kos = S.sdg_kos_iri(node_id)
    if kos:
        return kos
    return ID_BASE + quote(node_id, safe=":/.-_~@()")


def to_rdf(kg: KnowledgeGraph, statuses: Optional[dict[str, dict[str, Any]]] = None):
    """The graph as an rdflib Graph (ontology not included; it is its own file). `statuses`: mandate node id ->
    its status record (graph.lifecycle via graph.mandates), written as unkg:status, unkg:statusRule and
    unkg:statusEvidence."""
    from rdflib import RDF, RDFS, Graph, Literal, Namespace, URIRef
    from rdflib.namespace import DCTERMS, PROV, SKOS

    unkg = Namespace(ONT)
    sdgo = Namespace("http://metadata.un.org/sdg/ontology#")
    out = Graph()
    out.bind("unkg", unkg)
    out.bind("skos", SKOS)
    out.bind("prov", PROV)
    out.bind("dcterms", DCTERMS)
    out.bind("sdgo", sdgo)
    g = kg.g
    iris = {}
    for n, attrs in g.nodes(data=True):
        s = URIRef(node_iri(n, attrs))
        iris[n] = s
        label = attrs["label"]
        out.add((s, RDF.type, unkg[label]))
        out.add((s, unkg.id, Literal(n)))
        name = attrs.get("name")
        if name:
            out.add((s, RDFS.label, Literal(name)))
            if label in ("Target", "Initiative", "Actor", "Country", "Session", "Decision"):
                out.add((s, SKOS.prefLabel, Literal(name)))
        for alias in attrs.get("aliases", []) or []:
            out.add((s, SKOS.altLabel, Literal(alias)))
        sdg = S.sdg_parts(n)
        if sdg:
            out.add((s, RDF.type, sdgo[sdg[0].capitalize()]))
            out.add((s, SKOS.notation, Literal(sdg[1])))
        if label == "Document":
            for prop, term in (("symbol", DCTERMS.identifier), ("title", DCTERMS.title), ("language", DCTERMS.language),
                               ("date", DCTERMS.date), ("source", DCTERMS.source), ("doc_type", DCTERMS.type)):
                if attrs.get(prop):
                    out.add((s, term, Literal(attrs[prop])))
        if label == "Paragraph" and attrs.get("text"):
            out.add((s, unkg.text, Literal(attrs["text"], lang=attrs.get("language") or None)))
        if label == "Paragraph" and attrs.get("eid"):
            # the Akoma Ntoso-style element id, and the same permanent link the web page gives
            out.add((s, unkg.eId, Literal(attrs["eid"])))
            out.add((s, unkg.permalink, Literal(permalink(str(attrs.get("doc", "")), attrs["eid"]))))
        if label == "Mandate":
            for prop, term in (("verb", unkg.verb), ("verb_en", unkg.verbEn), ("action", unkg.action), ("deadline", unkg.deadline)):
                if attrs.get(prop):
                    out.add((s, term, Literal(attrs[prop])))
            st = (statuses or {}).get(n)
            if st:
                out.add((s, unkg.status, Literal(st["status"])))
                out.add((s, unkg.statusRule, Literal(st["status_rule"])))
                for e in st.get("evidence", []):
                    out.add((s, unkg.statusEvidence, URIRef(node_iri(S.paragraph_node_id(e["paragraph_id"])))))
        rest = {k: v for k, v in attrs.items() if k not in ("label", "name", "aliases", "text")}
        if rest:
            out.add((s, unkg.properties, Literal(json.dumps(rest, ensure_ascii=False, sort_keys=True, default=str))))
    for u, v, k, attrs in g.edges(keys=True, data=True):
        pred = unkg[REL_PROPERTY[attrs["type"]]]
        out.add((iris[u], pred, iris[v]))
        r = URIRef(REL_BASE + hashlib.sha1(k.encode()).hexdigest()[:24])
        out.add((r, RDF.type, unkg.Relationship))
        out.add((r, RDF.subject, iris[u]))
        out.add((r, RDF.predicate, pred))
        out.add((r, RDF.object, iris[v]))
        out.add((r, unkg.key, Literal(k)))
        out.add((r, unkg.relationshipType, Literal(attrs["type"])))
        para = attrs.get("paragraph")
        if para and S.paragraph_node_id(para) in iris:
            out.add((r, PROV.wasDerivedFrom, iris[S.paragraph_node_id(para)]))
        rest = {a: b for a, b in attrs.items() if a != "type"}
        out.add((r, unkg.properties, Literal(json.dumps(rest, ensure_ascii=False, sort_keys=True, default=str))))
    return out


def rdf_counts(rdf_graph) -> dict[str, Any]:
    """Nodes (resources typed with an unkg class) and relationships (reified statements) in an RDF graph."""
    from rdflib import RDF, URIRef

    labels: dict[str, int] = {}
    for label in S.LABELS:
        n = len(set(rdf_graph.subjects(RDF.type, URIRef(ONT + label))))
        if n:
            labels[label] = n
    rels = len(set(rdf_graph.subjects(RDF.type, URIRef(ONT + "Relationship"))))
    return {"nodes": sum(labels.values()), "relationships": rels, "labels": labels}


def _graphml_graph(kg: KnowledgeGraph) -> nx.MultiDiGraph:
    """A copy GraphML can hold: lists as JSON text, one type per attribute name."""
    types: dict[str, set] = {}
    for _, attrs in kg.g.nodes(data=True):
        for k, v in attrs.items():
            types.setdefault("n:" + k, set()).add(type(v))
    for _, _, attrs in kg.g.edges(data=True):
        for k, v in attrs.items():
            types.setdefault("e:" + k, set()).add(type(v))

    def conv(prefix: str, k: str, v: Any) -> Any:
        if isinstance(v, (list, tuple, dict)):
            return json.dumps(v, ensure_ascii=False)
        if len(types[prefix + k]) > 1 or not isinstance(v, (str, int, float, bool)):
            return str(v)
        return v

    h = nx.MultiDiGraph()
    for n, attrs in kg.g.nodes(data=True):
        h.add_node(n, **{k: conv("n:", k, v) for k, v in attrs.items()})
    for u, v, k, attrs in kg.g.edges(keys=True, data=True):
        h.add_edge(u, v, key=k, label=attrs["type"], **{a: conv("e:", a, b) for a, b in attrs.items()})
    return h


_CSV_TYPES = {bool: "boolean", int: "long", float: "double", str: "string"}


def _csv_columns(rows: list[dict]) -> dict[str, str]:
    cols: dict[str, set] = {}
    for r in rows:
        for k, v in r.items():
            t = (type(v[0]) if v else str, True) if isinstance(v, list) else (type(v), False)
            cols.setdefault(k, set()).add(t)
    out = {}
    for k, ts in sorted(cols.items()):
        is_array = any(a for _, a in ts)
        base = {t for t, _ in ts}
        typ = _CSV_TYPES.get(base.pop(), "string") if len(base) == 1 else "string"
        if typ == "boolean" and len(ts) > 1:
            typ = "string"
        out[k] = typ + ("[]" if is_array else "")
    return out


def _csv_value(v: Any, typ: str) -> str:
    if v is None:
        return ""
    if isinstance(v, list):
        return ";".join(str(x).replace(";", ",") for x in v)
    if typ.startswith("string") and isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)


def write_csv(kg: KnowledgeGraph, folder: Path) -> dict[str, Any]:
    folder.mkdir(parents=True, exist_ok=True)
    g = kg.g
    files = {"nodes": [], "relationships": []}
    by_label: dict[str, list[tuple[str, dict]]] = {}
    for n, attrs in g.nodes(data=True):
        by_label.setdefault(attrs["label"], []).append((n, attrs))
    for label, items in sorted(by_label.items()):
        rows = [{k: v for k, v in a.items() if k not in ("label", "id")} for _, a in items]
        cols = _csv_columns(rows)
        path = folder / f"nodes_{S.check_label(label)}.csv"
        with open(path, "w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh)
            w.writerow(["id:ID"] + [f"{k}:{t}" for k, t in cols.items()] + [":LABEL"])
            for (n, _), r in zip(items, rows):
                w.writerow([n] + [_csv_value(r.get(k), t) for k, t in cols.items()] + [label])
        files["nodes"].append(path.name)
    by_type: dict[str, list[tuple[str, str, str, dict]]] = {}
    for u, v, k, attrs in g.edges(keys=True, data=True):
        by_type.setdefault(attrs["type"], []).append((u, v, k, attrs))
    for rel, items in sorted(by_type.items()):
        rows = [{"key": k, **{a: b for a, b in attrs.items() if a != "type"}} for _, _, k, attrs in items]
        cols = _csv_columns(rows)
        path = folder / f"relationships_{S.check_rel_type(rel)}.csv"
        with open(path, "w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh)
            w.writerow([":START_ID", ":END_ID", ":TYPE"] + [f"{k}:{t}" for k, t in cols.items()])
            for (u, v, _, _), r in zip(items, rows):
                w.writerow([u, v, rel] + [_csv_value(r.get(k), t) for k, t in cols.items()])
        files["relationships"].append(path.name)
    cmd = ["neo4j-admin database import full", "--array-delimiter=';'", "--multiline-fields=true"]
    cmd += [f"--nodes={f}" for f in files["nodes"]] + [f"--relationships={f}" for f in files["relationships"]] + ["neo4j"]
    (folder / "import.sh").write_text("#!/bin/sh\n# run in this folder with Neo4j stopped\n" + " \\\n  ".join(cmd) + "\n", encoding="utf-8")
    return files


def read_csv_counts(folder: Path) -> dict[str, Any]:
    """Re-read a CSV export: rows per label and type, checking the bulk-import headers."""
    labels, types = {}, {}
    for path in sorted(folder.glob("nodes_*.csv")):
        with open(path, newline="", encoding="utf-8") as fh:
            rows = list(csv.reader(fh))
        head = rows[0]
        if head[0] != "id:ID" or head[-1] != ":LABEL":
            raise GraphError(f"{path.name}: not a Neo4j bulk-import node header: {head}")
        for r in rows[1:]:
            labels[r[-1]] = labels.get(r[-1], 0) + 1
    for path in sorted(folder.glob("relationships_*.csv")):
        with open(path, newline="", encoding="utf-8") as fh:
            rows = list(csv.reader(fh))
        if rows[0][:3] != [":START_ID", ":END_ID", ":TYPE"]:
            raise GraphError(f"{path.name}: not a Neo4j bulk-import relationship header: {rows[0]}")
        for r in rows[1:]:
            types[r[2]] = types.get(r[2], 0) + 1
    return {"nodes": sum(labels.values()), "relationships": sum(types.values()), "labels": labels, "types": types}


def export(kg: KnowledgeGraph, fmt: str, path: Path, statuses: Optional[dict[str, dict[str, Any]]] = None) -> dict[str, Any]:
    """Write the graph in `fmt` to `path` (a folder for csv); returns what was written. RDF carries the
    mandates' `statuses` when given."""
    fmt = fmt.lower()
    writers: dict[str, Callable[[], Any]] = {}
    path = Path(path)
    if fmt not in FORMATS:
        raise GraphError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if fmt == "csv":
        files = write_csv(kg, path)
        return {"format": fmt, "path": str(path), **files, "nodes": kg.g.number_of_nodes(), "relationships": kg.g.number_of_edges()}
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "graphml":
        nx.write_graphml(_graphml_graph(kg), str(path), encoding="utf-8", named_key_ids=True)
    else:
        rdf = to_rdf(kg, statuses)
        rdf.serialize(destination=str(path), format="turtle" if fmt == "ttl" else "json-ld", encoding="utf-8")
    del writers
    return {"format": fmt, "path": str(path), "nodes": kg.g.number_of_nodes(), "relationships": kg.g.number_of_edges()}
