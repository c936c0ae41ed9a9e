"""The keys a node is found by: its name, symbol and aliases, normalized, and acronyms of long names.

One rule for both graph forms: `graph.query.resolve` looks these keys up in memory (networkx)
or in the store's name table (`graph.table_graph`), so a name finds the same node either way.
"""

from __future__ import annotations

import re
from typing import Any, Optional


def norm(s: str) -> str:
    return re.sub(r"\s+", " ", s.strip().lower())


def acronym(name: str) -> Optional[str]:
    """"LDN Target Setting Programme 2.0" -> "LDN TSP 2.0"; "Kubuqi International Desert Forum" -> "KIDF"."""
    out: list[str] = []
    run = ""
    for tok in re.findall(r"[\w.\-]+", name):
        if tok.isupper() or any(c.isdigit() for c in tok):
            if run:
                out.append(run)
                run = ""
            out.append(tok)
        elif tok[:1].isupper():
            run += tok[0]
        elif tok.lower() in ("of", "for", "the", "and", "on", "to", "in"):
            continue
        else:
            return None
    if run:
        out.append(run)
    acr = " ".join(out)
    return acr if acr != name and len(acr) >= 3 else None


def name_keys(label: str, attrs: dict[str, Any]) -> list[str]:
    """The look-up keys of one node (none for paragraphs: they are found by id)."""
    if label == "Paragraph":
        return []
    keys: list[str] = []
    for name in [attrs.get("name"), attrs.get("symbol"), *(attrs.get("aliases") or [])]:
        if name:
            keys.append(norm(str(name)))
            if label in ("Initiative", "Actor"):
                acr = acronym(str(name))
                if acr:
                    keys.append(norm(acr))
    return list(dict.fromkeys(keys))
