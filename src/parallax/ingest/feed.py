"""RSS and Atom feeds through feedparser; each entry's page is fetched and read as HTML."""

from __future__ import annotations

import time
from collections.abc import Iterator

from ..errors import FetchError, InputError
from ..records import Problem, RawArticle
from .base import ReadItem, Reader
from .fetch import Fetcher
from .html import HtmlReader

FEED_DATE_CONFIDENCE = 0.9  # a feed's <pubDate> is the publisher's own statement


class FeedReader(Reader):
    kind = "feed"

    def __init__(self, fetcher: Fetcher | None, decode_page):
        self.fetcher = fetcher
        self.decode_page = decode_page  # (url, bytes, content_type) -> str
        self.html = HtmlReader()

    def parse(self, text: str, origin: str, *, url: str | None = None) -> Iterator[ReadItem]:
        import feedparser

        parsed = feedparser.parse(text)
        if not any(e.get("link") for e in parsed.entries):
            if parsed.bozo:
                why = getattr(parsed, "bozo_exception", None)
                raise InputError(origin, "broken RSS/Atom feed" + (f": {why}" if why else ""),
                                 code="E120", advice="is the URL a feed?")
            if not parsed.entries:
                raise InputError(origin, "feed has no entries", code="E120")
        feed_title = parsed.feed.get("title")
        for n, entry in enumerate(parsed.entries, start=1):
            yield from self._entry(entry, n, origin, feed_title)

    def _entry(self, entry, n: int, origin: str, feed_title: str | None) -> Iterator[ReadItem]:
        link = entry.get("link")
        stamp = entry.get("published_parsed") or entry.get("updated_parsed")
        date = time.strftime("%Y-%m-%d", stamp) if stamp else None
        where = f"{origin} entry {n}"
        if not link:
            yield Problem(origin, f"entry {n} has no link", code="E121")
            return
        if self.fetcher is None:
            yield Problem(link, "fetching is switched off", code="E150")
            return
        try:
            page = self.fetcher.get(link)
            html = self.decode_page(page.url, page.body, page.content_type)
            articles = list(self.html.read(html, page.url, url=page.url))
        except (FetchError, InputError) as exc:
            yield Problem(link, f"{exc.message} (from {where})", code=exc.code)
            return
        for art in articles:
            if not isinstance(art, RawArticle):
                yield art
                continue
            yield _with_feed_metadata(art, entry, date, feed_title)


def _with_feed_metadata(art: RawArticle, entry, date: str | None, feed_title: str | None) -> RawArticle:
    from dataclasses import replace

    changes = {"title": art.title or entry.get("title"), "outlet": art.outlet or feed_title,
               "author": art.author or entry.get("author")}
    if date:  # the feed's own date beats a date found in the page
        changes.update(date=date, date_source="feed", date_confidence=FEED_DATE_CONFIDENCE)
    meta = dict(art.metadata)
    if entry.get("id"):
        meta["feed_entry_id"] = entry.get("id")
    return replace(art, metadata=meta, **changes)
