"""The graph schema: node labels, relationship types, properties and id rules.

Everything that reaches Neo4j, RDF, GraphML or CSV goes through this module:
labels and relationship types come from the allow-lists below (never from user
text) and every id is derived from content, so a rebuild or a second sync gives
the same ids and `MERGE` never duplicates. docs/graph-schema.md documents the
same rules for people.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Optional

from unkg.corpus.identifiers import (  # noqa: F401  (one normalization, re-exported for the graph)
    BODY_CODES, DECISION_ANY as _DECISION_ANY, RESOLUTION as _RESOLUTION, body_code, decision_parts, decision_session,
    normalize_decision, session_id, session_name, slug,
)
from unkg.errors import GraphError

#: bump when the build rules change: every document is rebuilt and re-synced
GRAPH_VERSION = "3"

#: node labels, each with the prefix its ids carry
LABELS: dict[str, str] = {
    "Document": "document:",
    "Paragraph": "para:",
    "Decision": "decision:",  # also resolutions ("resolution:62/193", kind=resolution)
    "Session": "session:",
    "Mandate": "mandate:",
    "Actor": "actor:",
    "Country": "country:",
    "Initiative": "initiative:",
    "Target": "sdg:",  # also LDN and other targets ("target:...")
    "Quantity": "quantity:",
}

#: labels whose nodes belong to exactly one document (deleted with it)
OWNED_LABELS = frozenset({"Document", "Paragraph", "Mandate", "Quantity"})
#: labels whose nodes are shared between documents (kept while any document names them)
SHARED_LABELS = frozenset(set(LABELS) - OWNED_LABELS)

#: relationship types: (allowed source labels, allowed target labels, meaning)
REL_TYPES: dict[str, tuple[frozenset, frozenset, str]] = {
    "HAS_PARAGRAPH": (frozenset({"Document"}), frozenset({"Paragraph"}), "a document holds a paragraph"),
    "PART_OF": (frozenset({"Paragraph", "Initiative"}), frozenset({"Paragraph", "Initiative"}), "a sub-paragraph sits under its chapeau or heading; an initiative is part of a larger one"),
    "CITES": (frozenset({"Paragraph"}), frozenset({"Decision", "Document", "Target"}), "a paragraph cites a decision, resolution, document or SDG target"),
    "ADOPTED_AT": (frozenset({"Decision"}), frozenset({"Session"}), "a decision was adopted at a session (from its number)"),
    "FOR_SESSION": (frozenset({"Document"}), frozenset({"Session"}), "a document was prepared for a session"),
    "CONTAINS_MANDATE": (frozenset({"Paragraph", "Decision"}), frozenset({"Mandate"}), "a paragraph (and the decision it quotes) holds a mandate"),
    "ADDRESSED_TO": (frozenset({"Mandate"}), frozenset({"Actor", "Country"}), "who a mandate asks to act"),
    "MENTIONS": (frozenset({"Paragraph"}), frozenset({"Actor", "Country", "Initiative", "Target", "Quantity", "Session"}), "a paragraph names an entity"),
    "LAUNCHED_BY": (frozenset({"Initiative"}), frozenset({"Actor", "Country"}), "an initiative was launched or set up by an actor"),
    "FUNDED_BY": (frozenset({"Initiative"}), frozenset({"Actor", "Country"}), "an initiative is funded by an actor"),
    "PARTNER_OF": (frozenset({"Initiative", "Actor", "Country"}), frozenset({"Initiative", "Actor", "Country"}), "an actor works with an initiative (in cooperation, in partnership)"),
    "ORGANIZED_BY": (frozenset({"Initiative"}), frozenset({"Actor", "Country"}), "an initiative (a forum) is (co-)organised by an actor"),
    "SUPPORTS": (frozenset({"Initiative"}), frozenset({"Actor", "Country"}), "an initiative enables or funds an actor's work"),
    "PARTICIPATES_IN": (frozenset({"Country", "Actor"}), frozenset({"Initiative"}), "a country takes part in an initiative"),
    "ADOPTED_BY": (frozenset({"Initiative"}), frozenset({"Initiative", "Actor", "Country", "Session"}), "a plan was adopted by a forum or body"),
    "CONTRIBUTES_TO": (frozenset({"Initiative"}), frozenset({"Target"}), "an initiative supports a target"),
    "TRANSLATION_OF": (frozenset({"Paragraph", "Document"}), frozenset({"Paragraph", "Document"}), "the same text in another language"),
    "RESPONDS_TO": (frozenset({"Document"}), frozenset({"Mandate", "Decision"}), "a report answers a mandate"),
    "FOLLOWS_UP": (frozenset({"Decision"}), frozenset({"Decision"}), "a later decision on the same line of work"),
}

#: synonyms the extraction may use for initiative facts, mapped onto REL_TYPES
FACT_RELATIONS = {
    "launched_by": "LAUNCHED_BY", "launched": "LAUNCHED_BY", "established_by": "LAUNCHED_BY", "initiated_by": "LAUNCHED_BY",
    "created_by": "LAUNCHED_BY", "developed_by": "LAUNCHED_BY",
    "funded_by": "FUNDED_BY", "financed_by": "FUNDED_BY", "funds": "FUNDED_BY",
    "partner_of": "PARTNER_OF", "partner": "PARTNER_OF", "organized_by": "ORGANIZED_BY", "organised_by": "ORGANIZED_BY",
    "co_organized_by": "ORGANIZED_BY", "co-organized_by": "ORGANIZED_BY", "enabled": "SUPPORTS", "supports": "SUPPORTS",
    "in_partnership_with": "PARTNER_OF", "implemented_by": "PARTNER_OF", "participates_in": "PARTICIPATES_IN",
    "adopted_by": "ADOPTED_BY", "part_of": "PART_OF",
    "contributes_to": "CONTRIBUTES_TO", "supports_target": "CONTRIBUTES_TO",
}

ENTITY_LABELS = {"actor": "Actor", "country": "Country", "initiative": "Initiative", "target": "Target",
                 "quantity": "Quantity", "document": "Document"}

_GA_DECISION = re.compile(r"^decision:(\d+)/(\d+)$")  # a General Assembly decision ("decision 79/571")


def check_label(label: str) -> str:
    """The label if it is on the allow-list; raises otherwise (it will be put into Cypher text)."""
    if label not in LABELS:
        raise GraphError(f"{label!r} is not a graph label; allowed: {', '.join(LABELS)}")
    return label


def check_rel_type(rel: str) -> str:
    if rel not in REL_TYPES:
        raise GraphError(f"{rel!r} is not a relationship type; allowed: {', '.join(REL_TYPES)}")
    return rel


def label_for_id(node_id: str) -> Optional[str]:
    """The node label an id belongs to, from its prefix (None if the id has no known prefix)."""
    if node_id.startswith(("sdg:", "target:", "ldn:")):
        return "Target"
    if node_id.startswith("resolution:"):
        return "Decision"
    head = node_id.split(":", 1)[0] + ":"
    for label, prefix in LABELS.items():
        if prefix == head:
            return label
    return None
















def decision_name(decision: str) -> str:
    kind, _, rest = decision.partition(":")
    return f"{kind} {rest}" if rest else decision


@lru_cache(maxsize=65536)  # pure: every question sorting mandates asks it of the same few thousand decisions
def sort_key_decision(decision: str) -> tuple:
    """Chronological order of decisions: by session number, then decision number."""
    parts = decision_parts(decision)
    if parts:
        return (parts[1], parts[2], parts[0])
    m = _RESOLUTION.match(decision.removeprefix("resolution:")) or _GA_DECISION.match(decision)
    if m:  # General Assembly resolutions and decisions: by session, then number
        return ("~res", int(m.group(1)), int(m.group(2)))
    return ("~", 0, 0)


# -- ids of nodes owned by one document ---------------------------------------

def document_node_id(doc_id: str) -> str:
    return f"document:{doc_id}"


def entity_node(etype: str, eid: str) -> tuple[str, Optional[str]]:
    """The graph node (id, label) an extracted entity of this type and id becomes (label None: not a node)."""
    if label_for_id(eid):
        node_id = eid
    else:
        prefix = {"actor": "actor:", "country": "country:", "initiative": "initiative:", "target": "target:",
                  "document": "document:"}.get(etype, f"{etype}:")
        node_id = prefix + slug(eid)
    label = ENTITY_LABELS.get(etype) if etype != "target" else "Target"
    if label is None or label_for_id(node_id) not in (label, None):
        label = label_for_id(node_id) or label
    return node_id, label


def paragraph_node_id(block_id: str) -> str:
    return f"para:{block_id}"


def mandate_node_id(block_id: str, index: int) -> str:
    return f"mandate:{block_id}/{index}"


def quantity_node_id(block_id: str, start: int) -> str:
    return f"quantity:{block_id}@{start}"


def edge_key(rel: str, src: str, dst: str, paragraph: Optional[str] = None) -> str:
    """Stable relationship key: type, ends and the paragraph it came from (one edge per paragraph)."""
    return f"{rel}|{src}|{dst}|{paragraph or ''}"


# -- SDG targets --------------------------------------------------------------

_SDG = re.compile(r"^sdg:(goal|target|indicator):([0-9]{1,2})(?:\.([0-9a-z]{1,2}))?(?:\.([0-9]{1,2}))?$", re.I)


def sdg_parts(node_id: str) -> Optional[tuple[str, str]]:
    """('target', '15.3') for `sdg:target:15.3`."""
    m = _SDG.match(node_id)
    if not m:
        return None
    code = ".".join(p for p in m.group(2, 3, 4) if p)
    return m.group(1).lower(), code


def sdg_kos_iri(node_id: str) -> Optional[str]:
    """The UN SDG KOS IRI of a goal, target or indicator (http://metadata.un.org/sdg/15.3)."""
    parts = sdg_parts(node_id)
    if not parts:
        return None
    kind, code = parts
    if kind in ("goal", "target"):
        return f"http://metadata.un.org/sdg/{code}"
    g, t, i = (code.split(".") + ["", "", ""])[:3]
    if not (g and t and i):
        return None
    return f"http://metadata.un.org/sdg/C{int(g):02d}{t.zfill(2)}{int(i):02d}"


def target_name(node_id: str) -> str:
    parts = sdg_parts(node_id)
    if parts:
        return f"SDG {parts[0]} {parts[1]}"
    return node_id.split(":", 1)[-1].replace("-", " ")


def default_name(node_id: str) -> str:
    """A readable name for an id when the text gave none."""
    label = label_for_id(node_id)
    if label == "Decision":
        return decision_name(node_id)
    if label == "Session":
        return session_name(node_id)
    if label == "Target":
        return target_name(node_id)
    rest = node_id.split(":", 1)[-1]
    if label == "Country":
        return rest
    return rest.replace("-", " ")
