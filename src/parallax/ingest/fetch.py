"""Polite HTTP fetching with httpx: timeouts, retries with backoff, a clear User-Agent,
a per-host delay and a size cap."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpcore
import httpx

from ..errors import FetchError
from ..settings import Settings
from .netguard import (Address, BlockedAddress, Unresolvable, guarded_transport, is_public,
                       resolve)

RETRY_STATUS = {429, 500, 502, 503, 504}
_PRIVATE_ADVICE = ("only public addresses are fetched; for your own intranet feeds pass "
                   "--allow-private (allow_private_urls)")


@dataclass(frozen=True, slots=True)
class Fetched:
    url: str  # final URL after redirects
    body: bytes
    content_type: str | None


class Fetcher:
    """GETs with retries, politeness and caps. Unless ``settings.allow_private_urls``, only
    public addresses are reached (:mod:`.netguard`); ``allowed`` replaces that check (tests)."""

    def __init__(self, settings: Settings, *, sleep=time.sleep, clock=time.monotonic,
                 allowed: Callable[[Address], bool] | None = None):
        self.settings = settings
        self._sleep = sleep
        self._clock = clock
        self._last: dict[str, float] = {}
        self._allowed = None if settings.allow_private_urls and allowed is None \
            else (allowed or is_public)
        self._client = httpx.Client(
            timeout=httpx.Timeout(settings.fetch_timeout),
            headers={"User-Agent": settings.user_agent, "Accept": "text/html,application/xhtml+xml,"
                     "application/rss+xml,application/atom+xml,application/json,text/plain;q=0.9,*/*;q=0.5"},
            follow_redirects=True, max_redirects=10,
            transport=None if self._allowed is None else guarded_transport(self._allowed),
        )

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> "Fetcher":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def get(self, url: str) -> Fetched:
        s = self.settings
        parts = urlsplit(url)
        if parts.scheme.lower() not in ("http", "https"):
            raise FetchError(url, "only http and https URLs are fetched", code="E153")
        if self._allowed is not None:  # refused at once, without a politeness wait; the
            self._check(url, parts)     # check at connect time stays the guarantee
        delay = s.fetch_backoff
        last_error = "no attempt"
        for attempt in range(s.fetch_retries + 1):
            if attempt:
                self._sleep(delay)
                delay *= 2
            self._wait_for_host(url)
            try:
                return self._get_once(url)
            except _Retryable as exc:
                last_error = str(exc)
        raise FetchError(url, f"{last_error} (after {s.fetch_retries + 1} tries)", code="E151",
                         advice="check the URL, or try again later")

    def _check(self, url: str, parts) -> None:
        try:
            host, port = parts.hostname, parts.port or (443 if parts.scheme == "https" else 80)
        except ValueError as exc:
            raise FetchError(url, f"invalid URL: {exc}", code="E153") from None
        if not host:
            raise FetchError(url, "invalid URL: no host", code="E153")
        try:
            resolve(host, port, self._allowed)
        except (Unresolvable, BlockedAddress) as exc:
            raise _refused(url, exc) from None
        except httpcore.ConnectError:
            pass  # a DNS hiccup: the request itself retries

    def _wait_for_host(self, url: str) -> None:
        host = urlsplit(url).netloc
        now = self._clock()
        last = self._last.get(host)
        if last is not None and now - last < self.settings.per_host_delay:
            self._sleep(self.settings.per_host_delay - (now - last))
        self._last[host] = self._clock()

    def _get_once(self, url: str) -> Fetched:
        cap = self.settings.max_bytes
        try:
            with self._client.stream("GET", url) as resp:
                if resp.status_code in RETRY_STATUS:
                    raise _Retryable(f"HTTP {resp.status_code}")
                if resp.status_code >= 400:
                    raise FetchError(url, f"HTTP {resp.status_code} {resp.reason_phrase}",
                                     code="E152")
                declared = resp.headers.get("content-length")
                if declared and declared.isdigit() and int(declared) > cap:
                    raise FetchError(url, f"too large ({int(declared):,} bytes, cap {cap:,})",
                                     code="E104")
                chunks, size = [], 0
                for chunk in resp.iter_bytes():
                    size += len(chunk)
                    if size > cap:
                        raise FetchError(url, f"too large (over {cap:,} bytes)", code="E104")
                    chunks.append(chunk)
                return Fetched(str(resp.url), b"".join(chunks), resp.headers.get("content-type"))
        except httpx.TimeoutException:
            raise _Retryable("timed out") from None
        except httpx.TransportError as exc:
            raise _Retryable(f"connection failed: {exc.__class__.__name__}") from None
        except httpx.InvalidURL as exc:
            raise FetchError(url, f"invalid URL: {exc}", code="E153") from None
        except httpx.TooManyRedirects:
            raise FetchError(url, "too many redirects", code="E152") from None
        except (Unresolvable, BlockedAddress) as exc:
            raise _refused(url, exc) from None


def _refused(url: str, exc: Unresolvable | BlockedAddress) -> FetchError:
    """A host that does not exist (E155) or is not public (E154): never retried."""
    if isinstance(exc, Unresolvable):
        return FetchError(url, str(exc), code="E155", advice="check the URL")
    return FetchError(url, f"refused: {exc}", code="E154", advice=_PRIVATE_ADVICE)


class _Retryable(Exception):
    pass
