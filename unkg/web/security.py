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
    """`rate` tokens per second per client, at most `burst` saved up."""

    def __init__(self, rate: float, burst: int, max_clients: int = 10000) -> None:
        self.rate = float(rate)
        self.burst = max(1, int(burst))
        self.max_clients = max_clients
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def take(self, client: str) -> float:
        """0 if the request may go ahead, else the seconds until it may."""
        if self.rate <= 0:
            return 0.0
        now = time.monotonic()
        with self._lock:
            tokens, last = self._buckets.get(client, (float(self.burst), now))
            tokens = min(float(self.burst), tokens + (now - last) * self.rate)
            if tokens >= 1.0:
                self._buckets[client] = (tokens - 1.0, now)
                return 0.0
            self._buckets[client] = (tokens, now)
            if len(self._buckets) > self.max_clients:  # forget clients whose buckets are full again
                full = [c for c, (t, l) in self._buckets.items() if t + (now - l) * self.rate >= self.burst]
                for c in full:
                    self._buckets.pop(c, None)
            return (1.0 - tokens) / self.rate


class RateLimitMiddleware:
    """Pure ASGI middleware: refuses with 429 (the one error shape, Retry-After) before any work is done."""

    def __init__(self, app, bucket: TokenBucket) -> None:
        self.app = app
        self.bucket = bucket

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        client = (scope.get("client") or ("unknown", 0))[0]
        wait = self.bucket.take(client)
        if wait <= 0:
            return await self.app(scope, receive, send)
        body = json.dumps(error_body(429, "rate_limited", f"too many requests from {client}: wait {math.ceil(wait)} s and try again")).encode()
        await send({"type": "http.response.start", "status": 429,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                                (b"retry-after", str(max(1, math.ceil(wait))).encode())]})
        await send({"type": "http.response.body", "body": body})
