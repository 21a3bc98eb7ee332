"""Untrusted article text and metadata: escaped by Jinja2's autoescape, links only to http(s),
a strict Content-Security-Policy and no inline scripts; request bodies limited before parsing;
no traceback ever reaches a client."""

from __future__ import annotations

import json
import logging
from urllib.parse import urlsplit

from starlette.exceptions import HTTPException

log = logging.getLogger("parallax.web")

CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")


def safe_url(value: object) -> str | None:
    """The URL if it is http or https, else None (no javascript:, data:, relative tricks)."""
    if not isinstance(value, str):
        return None
    try:
        parts = urlsplit(value.strip())
    except ValueError:
        return None
    return value.strip() if parts.scheme in ("http", "https") and parts.netloc else None


HEADERS = [(b"content-security-policy", CSP.encode()), (b"x-content-type-options", b"nosniff"),
           (b"referrer-policy", b"no-referrer"), (b"x-frame-options", b"DENY")]


async def _send_error(send, status: int, code: str, message: str, advice: str = "") -> None:
    body = json.dumps({"error": {"code": code, "message": message, "advice": advice}}).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode()), *HEADERS]})
    await send({"type": "http.response.body", "body": body})


class SecurityHeaders:
    """The security headers on every response, errors included; an exception that escapes
    everything else becomes the one error shape (500), never a bare traceback page."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        started = False

        async def send_with_headers(message):
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                names = {name for name, _ in HEADERS}
                message["headers"] = [(k, v) for k, v in message.get("headers", [])
                                      if k.lower() not in names] + HEADERS
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except Exception:
            log.exception("unexpected error on %s", scope.get("path"))
            if started:
                raise
            await _send_error(send, 500, "E500", "internal error",
                              "the server log has the details; please report it")


class BodyLimit:
    """Refuses a request body over ``max_bytes`` before it is parsed: at once from its
    Content-Length, or as soon as a streamed body passes the limit (413)."""

    def __init__(self, app, max_bytes: int):
        self.app, self.max_bytes = app, max_bytes

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_bytes):
            return await _send_error(send, 413, "E413", "request body too large",
                                     f"send at most {self.max_bytes:,} bytes per request")
        seen = 0

        async def counted():
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    raise HTTPException(413, "request body too large")
            return message

        await self.app(scope, counted, send)
