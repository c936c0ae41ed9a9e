"""FalkorDB's own read-only mode: GRAPH.RO_QUERY over the Redis protocol, with a server-side TIMEOUT.

Why: FalkorDB's Bolt endpoint has no read access mode (a READ session answers
from an empty graph) and no transaction timeout, so over Bolt the read-only
passthrough rests on the Cypher tokenizer alone, and a query the client gives
up on keeps running on the server. GRAPH.RO_QUERY makes the server itself
refuse any write, and its TIMEOUT argument makes the server stop the query.
Used when `UNKG_FALKORDB_REDIS` names the server's Redis port (host:port).

A small RESP2 client (no dependency): one command, one reply, one socket.
"""

from __future__ import annotations

import math
import re
import socket
from typing import Any, Optional

from unkg.errors import GraphError

_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class RespError(Exception):
    """An error reply from the server (`-ERR ...`)."""


def parse_address(spec: str) -> tuple[str, int]:
    """`host:port` or `redis://host:port[/]` -> (host, port)."""
    s = spec.strip()
    if "://" in s:
        s = s.split("://", 1)[1]
    s = s.rstrip("/").rsplit("@", 1)[-1]
    host, _, port = s.rpartition(":")
    if not host or not port.isdigit():
        raise GraphError(f"UNKG_FALKORDB_REDIS must be host:port (got {spec!r})")
    return host.strip("[]"), int(port)


def _encode(args: list[str]) -> bytes:
    out = [b"*%d\r\n" % len(args)]
    for a in args:
        b = a.encode("utf-8")
        out.append(b"$%d\r\n%s\r\n" % (len(b), b))
    return b"".join(out)


class _Reader:
    def __init__(self, sock: socket.socket) -> None:
        self.f = sock.makefile("rb")

    def line(self) -> bytes:
        ln = self.f.readline()
        if not ln.endswith(b"\r\n"):
            raise GraphError("the FalkorDB server closed the connection")
        return ln[:-2]

    def reply(self) -> Any:
        ln = self.line()
        kind, rest = ln[:1], ln[1:]
        if kind == b"+":
            return rest.decode("utf-8", "replace")
        if kind == b"-":
            raise RespError(rest.decode("utf-8", "replace"))
        if kind == b":":
            return int(rest)
        if kind == b"$":
            n = int(rest)
            if n < 0:
                return None
            data = self.f.read(n + 2)
            return data[:-2].decode("utf-8", "replace")
        if kind == b"*":
            n = int(rest)
            return None if n < 0 else [self.reply() for _ in range(n)]
        if kind == b",":  # RESP3 double, in case
            return float(rest)
        raise GraphError(f"unexpected reply from the FalkorDB server: {ln[:60]!r}")


def cypher_literal(v: Any) -> str:
    """A parameter value as a Cypher literal (strings escaped; map keys must be plain names)."""
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if not math.isfinite(v):
            raise GraphError("parameters must be finite numbers")
        return repr(v)
    if isinstance(v, str):
        return "'" + v.replace("\\", "\\\\").replace("'", "\\'") + "'"
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(cypher_literal(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{" + ", ".join(f"{_name(k)}: {cypher_literal(x)}" for k, x in v.items()) + "}"
    raise GraphError(f"parameter of type {type(v).__name__} is not supported")


def _name(k: Any) -> str:
    if not isinstance(k, str) or not _NAME.match(k):
        raise GraphError(f"parameter or map key {str(k)[:60]!r} is not a plain name (letters, digits, _)")
    return k


def _value(v: Any) -> Any:
    """A non-compact RO_QUERY value as JSON: nodes and edges (lists of [key, value] pairs) become dicts."""
    if isinstance(v, list) and v and all(isinstance(p, list) and len(p) == 2 and isinstance(p[0], str) for p in v):
        d = {p[0]: p[1] for p in v}
        if "properties" in d and ("labels" in d or "type" in d):
            out: dict[str, Any] = {}
            if "labels" in d:
                out["labels"] = sorted(d["labels"] or [])
            if "type" in d:
                out["type"] = d["type"]
            for k, x in d["properties"] or []:
                out[k] = _value(x)
            return out
        return {k: _value(x) for k, x in d.items()}
    if isinstance(v, list):
        return [_value(x) for x in v]
    return v


def _command(address: tuple[str, int], args: list[str], timeout: float) -> Any:
    with socket.create_connection(address, timeout=timeout) as sock:
        sock.sendall(_encode(args))
        return _Reader(sock).reply()


def graph_key(address: tuple[str, int], database: Optional[str]) -> str:
    """The graph the Bolt endpoint writes to: the database's name if the server has that graph, else its default.

    (FalkorDB 4.16's Bolt endpoint writes to 'falkordb' without a database name and to 'db' with one.)
    """
    try:
        names = _command(address, ["GRAPH.LIST"], 5.0) or []
    except (OSError, RespError) as exc:
        raise GraphError(f"cannot reach FalkorDB's Redis port at {address[0]}:{address[1]} (UNKG_FALKORDB_REDIS): {exc}") from None
    if database and database in names:
        return database
    if len(names) == 1:
        return names[0]
    return "falkordb" if not database or "falkordb" in names else "db"


def ro_query(address: tuple[str, int], graph: str, query: str, params: Optional[dict] = None,
             timeout: float = 10.0, limit: int = 1000) -> list[dict]:
    """Run `query` with GRAPH.RO_QUERY on `graph`; the server refuses writes and stops the query at `timeout`."""
    prefix = ""
    if params:
        prefix = "CYPHER " + " ".join(f"{_name(k)}={cypher_literal(v)}" for k, v in params.items()) + " "
    ms = max(1, int(timeout * 1000))
    try:
        reply = _command(address, ["GRAPH.RO_QUERY", graph, prefix + query, "TIMEOUT", str(ms)], timeout + 5)
    except RespError as exc:
        msg = str(exc)
        if "timed out" in msg.lower() or "timeout" in msg.lower():
            raise GraphError(f"the query ran past the {timeout:g} s time limit and the server stopped it; narrow it or raise --timeout") from None
        raise GraphError(f"the graph server refused the query: {msg[:300]}") from None
    except (OSError, socket.timeout) as exc:
        raise GraphError(f"cannot reach FalkorDB's Redis port at {address[0]}:{address[1]} (UNKG_FALKORDB_REDIS): {exc}") from None
    if not isinstance(reply, list) or len(reply) < 2 or not isinstance(reply[0], list):
        return []  # a statement without result set
    header = [h[1] if isinstance(h, list) else h for h in reply[0]]
    rows = []
    for row in reply[1][:limit]:
        rows.append({str(k): _value(v) for k, v in zip(header, row)})
    return rows
