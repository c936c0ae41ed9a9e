"""Decision, resolution and session identifiers: one normalization for every entry point.

"COP 15", "COP.15", "cop15" and "session:COP.15" are one session; "22/COP.15",
"decision 22/COP.15" and "第22/COP.15号决定" one decision; "80/251",
"A/RES/80/251" and "resolution 80/251" one resolution; "decision 79/571" (a
General Assembly decision) stays a decision. The CLI, the HTTP API, the graph
and search all call these, so a filter means the same everywhere.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Optional

DECISION_ANY = re.compile(r"^(\d+)/([A-Za-z][A-Za-z\-]*)\.?\s*(\d+)$")
RESOLUTION = re.compile(r"^(?:resolution:)?(\d+)/(\d+)$")
RES_SYMBOL = re.compile(r"^A/RES/(\d+)/(\d+)", re.I)
#: a title or heading that opens a decision ("Decision 22/COP.15", "第22/COP.15号决定")
DECISION_HEADING = re.compile(
    r"^\s*(?:decision|décision|decisión|решение|المقرر|第)\s*(\d+\s*/\s*[A-Z]{2,6}(?:\.\s*|\s*\(\s*)?\d+\)?)", re.I
)

BODY_CODES = {
    "unccd conference of the parties": "COP",
    "conference of the parties": "COP",
    "committee for the review of the implementation of the convention": "CRIC",
    "committee on science and technology": "CST",
    "un-habitat executive board": "HSP-EB",
    "un-habitat assembly": "HSP-HA",
    "general assembly": "GA",
}

_SESSION = re.compile(r"^(?:session:)?\s*([A-Za-z][A-Za-z\-]*?)[\s.\-]*(\d+)$")


def slug(text: str) -> str:
    s = re.sub(r"[^\w]+", "-", text.strip().lower(), flags=re.UNICODE).strip("-")
    return s or "x"


def body_code(body: Optional[str]) -> Optional[str]:
    """The short code of a body ("COP", "GA", "HSP-EB") from its name."""
    if not body:
        return None
    key = body.strip().lower()
    if key in BODY_CODES:
        return BODY_CODES[key]
    for name, code in BODY_CODES.items():
        if name in key:
            return code
    return slug(body).upper()


def session_id(body: str, number: str | int) -> str:
    """`session:COP.15` for the fifteenth session of the COP; `session:HSP-EB.2024` for a year-numbered board."""
    return f"session:{body}.{str(number).strip()}"


def session_name(sid: str) -> str:
    body, _, num = sid.removeprefix("session:").rpartition(".")
    return f"{body} {num}".strip()


@lru_cache(maxsize=65536)  # pure, and asked again for every mandate of a decision (a mandate question reads hundreds)
def normalize_decision(text: str) -> Optional[str]:
    """`22/COP.15`, `decision 22/COP.15`, `decision:22/COP.15` -> `decision:22/COP.15`;
    `62/193`, `A/RES/62/193`, `resolution 62/193` -> `resolution:62/193`; `decision 79/571` -> `decision:79/571`."""
    t = text.strip()
    m = RES_SYMBOL.match(t)
    if m:
        return f"resolution:{m.group(1)}/{m.group(2)}"
    said_decision = (re.match(r"^(decision|décision|decisión|решение|决定|第)", t, flags=re.I) is not None
                     or re.search(r"(号决定|號決定)$", t) is not None)
    t = re.sub(r"^(decision|décision|decisión|решение|决定|第)\s*:?\s*", "", t, flags=re.I)
    t = re.sub(r"\s*(号决定|號決定)$", "", t)
    if t.lower().startswith("resolution"):
        t = re.sub(r"^resolution\s*:?\s*", "", t, flags=re.I)
        m = RESOLUTION.match(t)
        return f"resolution:{m.group(1)}/{m.group(2)}" if m else None
    m = DECISION_ANY.match(t.replace(" ", ""))
    if m:
        return f"decision:{int(m.group(1))}/{m.group(2).upper()}.{int(m.group(3))}"
    m = RESOLUTION.match(t.replace(" ", ""))
    if m:
        return f"{'decision' if said_decision else 'resolution'}:{m.group(1)}/{m.group(2)}"
    return None


@lru_cache(maxsize=65536)
def decision_parts(decision: str) -> Optional[tuple[int, str, int]]:
    """(number, body, session) of `decision:22/COP.15`; None for resolutions and unparsable ids."""
    m = DECISION_ANY.match(decision.removeprefix("decision:"))
    if not m or not decision.startswith("decision:"):
        return None
    return int(m.group(1)), m.group(2).upper(), int(m.group(3))


def decision_session(decision: str) -> Optional[str]:
    """The session a decision or resolution was taken at: `session:COP.15`; `session:GA.80` for resolution 80/251."""
    parts = decision_parts(decision)
    if parts:
        return session_id(parts[1], parts[2])
    m = RESOLUTION.match(decision.removeprefix("resolution:"))
    if m and decision.startswith("resolution:"):
        return session_id("GA", m.group(1))
    return None


def normalize_session(text: str) -> Optional[str]:
    """`COP 15`, `COP.15`, `cop15`, `session:COP.15` -> `session:COP.15`; a bare number -> None (see session_matches)."""
    m = _SESSION.match(text.strip())
    if not m:
        return None
    return session_id(m.group(1).upper(), int(m.group(2)))


def session_matches(value: Optional[str], wanted: str) -> bool:
    """Whether the session id `value` is the session a user typed: a full id compares whole, a bare number
    ("15", "80") compares the number only."""
    if not value or not wanted.strip():
        return False
    w = wanted.strip()
    if w.isdigit():
        return value.rpartition(".")[2] == str(int(w))
    canon = normalize_session(w)
    return canon is not None and canon.upper() == value.upper()


def mandate_session(decision: Optional[str], doc_body: Optional[str], doc_session: Optional[str]) -> Optional[str]:
    """The session a mandate was given at: its decision's, else the document's."""
    if decision:
        sid = decision_session(decision)
        if sid:
            return sid
    code = body_code(doc_body)
    return session_id(code, doc_session) if code and doc_session else None
