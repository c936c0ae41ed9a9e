"""Is a Cypher query read-only? A tokenizer that reads it as the server does.

Why a tokenizer: the old check stripped comments with a regex before string
literals, so `'http://x'` hid the rest of its line (`WITH 'http://x' AS u CREATE
...` passed), and `'/*' ... '*/'` hid everything between two strings. Here the
query is read left to right once: single- and double-quoted strings (with
backslash escapes, as Neo4j and FalkorDB read them), backtick-quoted names
(a doubled backtick is a backtick), `//` and `/* */` comments, words and
punctuation. Only words outside strings, names and comments count. Anything
the tokenizer cannot close (an unterminated string, name or comment) is
refused, and so is a second statement after `;`.

This is the first guard; the server's own read-only mode (Neo4j READ access
mode, FalkorDB's GRAPH.RO_QUERY) is the second.
"""

from __future__ import annotations

from dataclasses import dataclass

from unkg.errors import GraphError

#: clauses and commands that change the graph, the schema or the server
WRITE_WORDS = frozenset({
    "CREATE", "MERGE", "DELETE", "DETACH", "SET", "REMOVE", "DROP", "FOREACH", "LOAD", "GRANT", "DENY",
    "REVOKE", "ALTER", "RENAME", "TRANSACTIONS", "TERMINATE", "USE", "INSERT", "START", "STOP", "ENABLE",
    "DISABLE", "DEALLOCATE", "REALLOCATE", "COPY",
})

#: procedures that only read (lower case); anything else after CALL is refused
READ_PROCEDURES = ("db.labels", "db.relationshiptypes", "db.propertykeys", "db.indexes", "db.constraints",
                   "db.schema.visualization", "db.schema.nodetypeproperties", "db.schema.reltypeproperties",
                   "dbms.components", "algo.bfs", "algo.sppaths", "algo.sspaths", "algo.pagerank", "algo.wcc",
                   "algo.betweenness", "db.idx.fulltext.querynodes")


@dataclass(frozen=True)
class Token:
    kind: str  # word | name (backtick-quoted) | string | number | param | punct
    text: str  # a word as written, a name or string unquoted
    pos: int


def tokenize(query: str) -> list[Token]:
    """The tokens of a Cypher query, comments dropped. Raises GraphError on anything left open."""
    out: list[Token] = []
    i, n = 0, len(query)
    while i < n:
        c = query[i]
        if c.isspace():
            i += 1
        elif query.startswith("//", i):
            j = query.find("\n", i)
            i = n if j < 0 else j + 1
        elif query.startswith("/*", i):
            j = query.find("*/", i + 2)
            if j < 0:
                raise GraphError(f"unterminated /* comment at character {i}")
            i = j + 2
        elif c in "'\"":
            j, buf = i + 1, []
            while j < n and query[j] != c:
                if query[j] == "\\":
                    if j + 1 >= n:
                        break
                    buf.append(query[j : j + 2])
                    j += 2
                else:
                    buf.append(query[j])
                    j += 1
            if j >= n:
                raise GraphError(f"unterminated string starting at character {i}")
            out.append(Token("string", "".join(buf), i))
            i = j + 1
        elif c == "`":
            j, buf = i + 1, []
            while True:
                k = query.find("`", j)
                if k < 0:
                    raise GraphError(f"unterminated `name` starting at character {i}")
                buf.append(query[j:k])
                if query.startswith("``", k):
                    buf.append("`")
                    j = k + 2
                    continue
                j = k + 1
                break
            out.append(Token("name", "".join(buf), i))
            i = j
        elif c == "$":
            j = i + 1
            while j < n and (query[j].isalnum() or query[j] == "_"):
                j += 1
            out.append(Token("param", query[i + 1 : j], i))
            i = j
        elif c.isdigit():
            j = i + 1
            while j < n and (query[j].isalnum() or query[j] in "._"):
                j += 1
            out.append(Token("number", query[i:j], i))
            i = j
        elif c.isalpha() or c == "_":
            j = i + 1
            while j < n and (query[j].isalnum() or query[j] == "_"):
                j += 1
            out.append(Token("word", query[i:j], i))
            i = j
        else:
            out.append(Token("punct", c, i))
            i += 1
    return out


def _procedure_name(tokens: list[Token], i: int) -> str:
    """The dotted name after CALL at tokens[i] (words or backtick names joined by dots)."""
    parts: list[str] = []
    while i < len(tokens) and tokens[i].kind in ("word", "name"):
        parts.append(tokens[i].text)
        if i + 1 < len(tokens) and tokens[i + 1].kind == "punct" and tokens[i + 1].text == ".":
            i += 2
            continue
        break
    return ".".join(parts)


def check_read_only(query: str) -> None:
    """Raise GraphError unless `query` only reads: no write clause, no LOAD CSV, only read procedures, one statement."""
    if not query.strip():
        raise GraphError("empty Cypher query")
    tokens = tokenize(query)
    if not tokens:
        raise GraphError("empty Cypher query (only comments)")
    for i, t in enumerate(tokens):
        prev = tokens[i - 1] if i else None
        if t.kind == "punct" and t.text == ";" and i != len(tokens) - 1:
            raise GraphError("one statement at a time: text after ';' is refused")
        if t.kind != "word":
            continue
        # a property key (`n.set`) or label (`:Create`) may spell a keyword; a clause never follows '.' or ':'
        if prev is not None and prev.kind == "punct" and prev.text in ".:":
            continue
        word = t.text.upper()
        if word in WRITE_WORDS:
            raise GraphError(f"only read queries are allowed here ({word} changes the graph or the server); "
                             "use `unkg graph sync` to write")
        if word == "CALL":
            nxt = tokens[i + 1] if i + 1 < len(tokens) else None
            if nxt is not None and nxt.kind == "punct" and nxt.text == "{":
                continue  # a subquery: its own words are checked as they come
            proc = _procedure_name(tokens, i + 1)
            if proc.lower() not in READ_PROCEDURES:
                raise GraphError(f"procedure {proc or '(none)'} is not on the read-only list ({', '.join(READ_PROCEDURES)})")
