"""API key for write endpoints and a per-client token-bucket rate limit."""

from __future__ import annotations

import hmac
import json
import math
import threading
import time
from typing import Optional

from fastapi import Request

from unkg.settings import Settings


class ApiError(Exception):
    """An error answered in the one error shape: {"error": {"status", "code", "message"}}."""

    def __init__(self, status: int, code: str, message: str, headers: Optional[dict[str, str]] = None) -> None:
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers or {}
        super().__init__(message)


def error_body(status: int, code: str, message: str) -> dict:
    return {"error": {"status": status, "code": code, "message": message}}


def require_api_key(request: Request) -> None:
    """Dependency of every write endpoint: the key from UNKG_API_KEY, in `X-API-Key` or `Authorization: Bearer`."""
    settings: Settings = request.app.state.settings
    expected = settings.api_key
    if not expected:
        raise ApiError(403, "writes_disabled",
                       "write endpoints are disabled on this server: start it with UNKG_API_KEY set to a secret "
                       "and send that key in the X-API-Key header")
    given = request.headers.get("x-api-key")
    if not given:
        auth = request.headers.get("authorization", "")
        if auth.lower().startswith("bearer "):
            given = auth[7:].strip()
    if not given:
        raise ApiError(401, "api_key_required", "this endpoint changes the store: send the server's API key in the X-API-Key header",
                       {"WWW-Authenticate": "Bearer"})
    if not hmac.compare_digest(given.encode(), expected.encode()):
        raise ApiError(401, "api_key_invalid", "the API key is not valid for this server", {"WWW-Authenticate": "Bearer"})


class TokenBucket:
    """`rate` tokens per second per client, at most `burst` saved up; at most `max_clients` remembered.

    The table is bounded: when full, clients whose buckets have filled up again are forgotten
    (they lose nothing), and if every bucket is still in use the least recently seen half goes;
    a flood of distinct addresses costs memory up to the bound, never more.
    """

    def __init__(self, rate: float, burst: int, max_clients: int = 10000) -> None:
        self.rate = float(rate)
        self.burst = max(1, int(burst))
        self.max_clients = max(2, max_clients)
        self._buckets: dict[str, tuple[float, float]] = {}  # insertion order = least recently seen first
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._buckets)

    def take(self, client: str) -> float:
        """0 if the request may go ahead, else the seconds until it may."""
        if self.rate <= 0:
            return 0.0
        now = time.monotonic()
        with self._lock:
            tokens, last = self._buckets.pop(client, (float(self.burst), now))
            tokens = min(float(self.burst), tokens + (now - last) * self.rate)
            if len(self._buckets) >= self.max_clients:
                self._forget(now)
            if tokens >= 1.0:
                self._buckets[client] = (tokens - 1.0, now)
                return 0.0
            self._buckets[client] = (tokens, now)
            return (1.0 - tokens) / self.rate

    def _forget(self, now: float) -> None:
        full = [c for c, (t, l) in self._buckets.items() if t + (now - l) * self.rate >= self.burst]
        for c in full:
            del self._buckets[c]
        if len(self._buckets) >= self.max_clients:
            for c in list(self._buckets)[: len(self._buckets) // 2]:
                del self._buckets[c]


def parse_proxies(spec: str) -> list:
    """UNKG_TRUSTED_PROXIES: comma-separated addresses or networks ('10.0.0.0/8, 127.0.0.1')."""
    import ipaddress

    nets = []
    for part in (spec or "").split(","):
        part = part.strip()
        if part:
            nets.append(ipaddress.ip_network(part, strict=False))
    return nets


def client_address(scope, trusted: list) -> str:
    """The client a request counts against: the peer, or, when the peer is a trusted proxy, the last
    address in X-Forwarded-For that is not itself a trusted proxy."""
    import ipaddress

    peer = (scope.get("client") or ("unknown", 0))[0]

    def is_trusted(addr: str) -> bool:
        try:
            ip = ipaddress.ip_address(addr.strip())
        except ValueError:
            return False
        return any(ip in net for net in trusted)

    if not trusted or not is_trusted(peer):
        return peer
    forwarded = [v.decode("latin-1") for k, v in scope.get("headers", []) if k == b"x-forwarded-for"]
    hops = [h.strip() for h in ",".join(forwarded).split(",") if h.strip()]
    for hop in reversed(hops):
        if not is_trusted(hop):
            try:
                return str(ipaddress.ip_address(hop))
            except ValueError:
                return peer  # garbage in the header: count it against the proxy
    return peer


class RateLimitMiddleware:
    """Pure ASGI middleware: refuses with 429 (the one error shape, Retry-After) before any work is done."""

    def __init__(self, app, bucket: TokenBucket, trusted_proxies: str = "") -> None:
        self.app = app
        self.bucket = bucket
        self.trusted = parse_proxies(trusted_proxies)

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        client = client_address(scope, self.trusted)
        scope.setdefault("state", {})["client_address"] = client
        wait = self.bucket.take(client)
        if wait <= 0:
            return await self.app(scope, receive, send)
        body = json.dumps(error_body(429, "rate_limited", f"too many requests from {client}: wait {math.ceil(wait)} s and try again")).encode()
        await send({"type": "http.response.start", "status": 429,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                                (b"retry-after", str(max(1, math.ceil(wait))).encode())]})
        await send({"type": "http.response.body", "body": body})
