"""Cheap exact pre-checks for costly regular expressions.

A regex can only match a text that holds one of its *required literals*: the strings one of which every
match contains, read from the parsed pattern ("(?:are|is)\\s+(?:encouraged|invited)" needs "encouraged" or
"invited").  `Prefiltered(rx)` answers `search`, `finditer` and `sub` like `rx`, but first looks for those
literals with `str.__contains__` (a C loop), and skips the regex when none is there.  Python's regex engine
gets no fast scan for a pattern that opens with a look-behind, a word boundary or case-insensitive letters,
so most of the time spent on such patterns was spent on texts they cannot match.

The check never changes an answer: for a case-insensitive pattern the text is lower-cased, and a text holding a
character that `re.IGNORECASE` folds differently from `str.lower` (the long s "ſ" matches "s", "İ" matches "i")
is always handed to the regex.
"""

from __future__ import annotations

import re
from typing import Iterator, Optional

try:  # Python >= 3.11
    from re import _casefix, _constants as _C, _parser as _P
except ImportError:  # pragma: no cover
    import sre_constants as _C  # type: ignore
    import sre_parse as _P  # type: ignore

    _casefix = None

_REPEATS = {_C.MAX_REPEAT, _C.MIN_REPEAT} | ({_C.POSSESSIVE_REPEAT} if hasattr(_C, "POSSESSIVE_REPEAT") else set())


def _required(items) -> Optional[set[str]]:
    """The best set of strings one of which every match of the sequence `items` contains (None: no such set)."""
    candidates: list[set[str]] = []
    run: list[str] = []
    for op, av in items:
        if op is _C.LITERAL:
            run.append(chr(av))
            continue
        if run:
            candidates.append({"".join(run)})
            run = []
        sub: Optional[set[str]] = None
        if op is _C.SUBPATTERN:
            sub = _required(av[-1].data)
        elif op is _C.BRANCH:
            alts = [_required(a.data) for a in av[1]]
            sub = None if any(a is None for a in alts) else set().union(*alts)
        elif op in _REPEATS and av[0] >= 1:
            sub = _required(av[2].data)
        elif getattr(_C, "ATOMIC_GROUP", None) is op:
            sub = _required(av.data)
        if sub:
            candidates.append(sub)
    if run:
        candidates.append({"".join(run)})
    if not candidates:
        return None
    # the most selective set: its shortest string as long as possible, then the fewest strings
    return max(candidates, key=lambda s: (min(map(len, s)), -len(s)))


def required_literals(pattern: str, flags: int = 0) -> Optional[frozenset[str]]:
    """Strings one of which every match of `pattern` contains, or None when the pattern has none."""
    try:
        req = _required(_P.parse(pattern, flags).data)
    except Exception:  # pragma: no cover - a pattern this module does not understand is never filtered
        return None
    return frozenset(req) if req and all(req) else None


def _fold_exceptions(literals) -> str:
    """Characters `re.IGNORECASE` matches to a letter of `literals` while `str.lower` maps them elsewhere."""
    out = {"\u0130"}  # "İ": sre's simple lower case is "i", str.lower gives "i̇"
    extra = getattr(_casefix, "_EXTRA_CASES", {}) if _casefix else {}
    for c in set("".join(literals)):
        out.update(chr(x) for x in extra.get(ord(c), ()))
    return "".join(sorted(out))


class Prefiltered:
    """A compiled regex behind its literal pre-check (same answers, less time on texts it cannot match)."""

    __slots__ = ("rx", "pattern", "flags", "literals", "_ci", "_odd")

    def __init__(self, rx: re.Pattern):
        self.rx, self.pattern, self.flags = rx, rx.pattern, rx.flags
        self._ci = bool(rx.flags & re.IGNORECASE)
        lits = required_literals(rx.pattern, rx.flags)
        self.literals = tuple(sorted({s.lower() for s in lits} if lits and self._ci else lits or ()))
        self._odd = re.compile("[" + re.escape(_fold_exceptions(self.literals)) + "]") if self.literals and self._ci else None

    def possible(self, text: str) -> bool:
        """False only when the regex cannot match anywhere in `text`."""
        if not self.literals:
            return True
        if self._ci:
            if self._odd.search(text):
                return True
            text = text.lower()
        return any(s in text for s in self.literals)

    def search(self, text: str, *args):
        return self.rx.search(text, *args) if self.possible(text) else None

    def finditer(self, text: str, *args) -> Iterator[re.Match]:
        return self.rx.finditer(text, *args) if self.possible(text) else iter(())

    def findall(self, text: str, *args) -> list:
        return self.rx.findall(text, *args) if self.possible(text) else []

    def sub(self, repl, text: str, count: int = 0) -> str:
        return self.rx.sub(repl, text, count) if self.possible(text) else text

    def match(self, text: str, *args):
        return self.rx.match(text, *args)


def prefiltered(pattern: str | re.Pattern, flags: int = 0) -> Prefiltered:
    """`re.compile(pattern, flags)` behind its literal pre-check."""
    return Prefiltered(pattern if isinstance(pattern, re.Pattern) else re.compile(pattern, flags))
