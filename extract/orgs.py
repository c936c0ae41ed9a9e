"""Named organisations and initiatives not in the vocabulary, found by the shape of their names (English).

A run of capitalised words whose head is an organisation word ("... University",
"Institute of ...", "Ministry of ...", "... Foundation", "Government of ..."), with up to
three "of/for/in/on (the) ..." complements: "Desert Research Center of the Ministry of
Agriculture of Egypt", "Federal University of Ceará", "Kubuqi Global Desert Institute".
Ids are `actor:<slug of the name>`; names ending in Initiative, Alliance, Challenge or
Partnership are initiatives (`initiative:<slug>`).  The gazetteer wins where both match.
"""

from __future__ import annotations

import re

from .citations import Found
from .vocab import slug

INITIATIVE_HEADS = {"Initiative", "Alliance", "Challenge", "Partnership", "Fund"}
HEADS = (r"Initiative|Alliance|Challenge|Partnership|University|Institute|Center|Centre|Academy|Ministry|Administration|Foundation|Group|Bank|Fund|Agency|Organi[sz]ation"
         r"|Council|Commission|Coalition|Association|Society|Secretariat|Government|Department|College|Federation|Alliance")
_HEAD_END = r"University|Institute|Center|Centre|Academy|Foundation|Group|Bank|Fund|Agency|Council|Commission|Coalition|Association|Society|Secretariat|Department|College|Federation|Alliance"
_CAP = r"(?:[A-Z][\w’'\-]*|CICA|ADIZA)"
_COMPLEMENT = r"(?:,?\s+(?:of|for|in|on)\s+(?:the\s+)?" + _CAP + r"(?:\s+(?:and\s+)?" + _CAP + r"){0,5})"
ORG_RE = re.compile(r"(?<![\w’'])(?:" + _CAP + r"\s+(?:and\s+)?){0,6}(?:" + HEADS + r")\b" + _COMPLEMENT + r"{0,3}")
_STOP_FIRST = {"The", "A", "An", "In", "At", "By", "For", "Of", "And", "This", "That", "These", "Its", "Their", "All", "Such", "Each", "Every", "With", "From", "Under", "Including"}
_GENERIC = {"Government", "Secretariat", "Group", "Fund", "Bank", "Network", "Ministry", "Foundation", "Coalition", "Council", "Commission", "Center", "Centre", "Institute", "University", "Department"}


_COUNTRY_NAMES: set[str] = set()


def _countries() -> set[str]:
    if not _COUNTRY_NAMES:
        from .vocab import load

        _COUNTRY_NAMES.update(p.alias for p in load().patterns["en"] if p.type == "country")
    return _COUNTRY_NAMES


def find_orgs(text: str) -> list[Found]:
    if not re.search(HEADS, text):
        return []
    out: list[Found] = []
    for m in ORG_RE.finditer(text):
        s, e = m.span()
        name = m.group()
        words = name.split()
        while words and words[0] in _STOP_FIRST:
            s += len(words[0]) + 1
            words = words[1:]
        name = text[s:e].rstrip(" ,")
        # "... University in China": the place is not part of the name
        tail = re.search(r"\s+in\s+([A-Z][\w’'\-]+(?:\s+[A-Z][\w’'\-]+)?)$", name)
        if tail and tail.group(1) in _countries():
            name = name[: tail.start()]
        # "Beijing Forestry University and Inner Mongolia Agricultural University": two names
        parts, last = [], 0
        for sm in re.finditer(r"\b(?:" + _HEAD_END + r") and ", name):
            cut = sm.end() - len(" and ")
            parts.append((s + last, name[last:cut]))
            last = sm.end()
        parts.append((s + last, name[last:]))
        for ps, piece in parts:
            if len(piece.split()) < 2 or piece in _GENERIC or piece.split()[0].islower():
                continue
            head = next((w for w in piece.split() if w in INITIATIVE_HEADS), None)
            if head and piece.split()[-1] == head:
                # "Great Green Wall Initiative", "Global Soil Partnership": an initiative, not an organisation
                if text[max(0, ps - 4):ps].lower().strip() in ("on", "of", "for") or len(piece.split()) < 3 and piece.split()[0] in ("Global", "New", "The"):
                    continue
                out.append(Found(ps, ps + len(piece), "initiative", "initiative:" + slug(piece), piece))
                continue
            out.append(Found(ps, ps + len(piece), "actor", "actor:" + slug(piece), piece))
    return out
