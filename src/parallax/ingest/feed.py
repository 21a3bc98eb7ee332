"""RSS and Atom feeds through feedparser; each entry's page is fetched and read as HTML."""

from __future__ import annotations

import time
from collections.abc import Iterator

from ..errors import FetchError, InputError
from ..records import Problem, RawArticle
from .base import ReadItem, Reader
from .sanitize import sanitize
from .fetch import Fetcher
from .html import HtmlReader

FEED_DATE_CONFIDENCE = 0.9  # a feed's <pubDate> is the publisher's own statement

# The element of one entry, by kind of feed, and the smallest feed feedparser reads it in.
_ENTRY_TAGS = {
    "item": '<rss version="2.0"><channel>{}</channel></rss>',
    "{http://purl.org/rss/1.0/}item": ('<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-'
                                       'syntax-ns#" xmlns="http://purl.org/rss/1.0/">{}</rdf:RDF>'),
    "{http://www.w3.org/2005/Atom}entry": '<feed xmlns="http://www.w3.org/2005/Atom">{}</feed>',
}


def _free(elem) -> None:
    """Drop an entry already read, and what came before it, from the tree being built."""
    elem.clear()
    parent = elem.getparent()
    if parent is not None:
        while elem.getprevious() is not None:
            del parent[0]


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

    def read_stream(self, stream, origin: str, *, max_record: int) -> Iterator[ReadItem]:
        """A feed file read entry by entry (lxml's iterparse; each entry handed to feedparser
        alone), in constant memory whatever the feed's size; entities are never expanded."""
        for item in self._stream(stream, origin, max_record):
            yield sanitize(item)

    def _stream(self, stream, origin: str, max_record: int) -> Iterator[ReadItem]:
        import feedparser
        from lxml import etree

        feed_title, n = None, 0
        events = etree.iterparse(stream, events=("end",), resolve_entities=False,
                                 no_network=True, huge_tree=False, load_dtd=False)
        try:
            for _event, elem in events:
                tag = elem.tag if isinstance(elem.tag, str) else ""
                local = tag.rsplit("}", 1)[-1]
                parent = elem.getparent()
                if local == "title" and parent is not None and \
                        str(parent.tag).rsplit("}", 1)[-1] in ("channel", "feed") and feed_title is None:
                    feed_title = (elem.text or "").strip() or None
                if tag not in _ENTRY_TAGS:
                    continue
                n += 1
                xml = etree.tostring(elem, encoding="unicode")
                _free(elem)
                if len(xml) > max_record:
                    yield Problem(origin, f"entry {n} over {max_record:,} bytes, skipped "
                                  "(max_record_bytes)", code="E104")
                    continue
                parsed = feedparser.parse(_ENTRY_TAGS[tag].format(xml))
                if not parsed.entries:
                    yield Problem(origin, f"entry {n} cannot be read", code="E121")
                    continue
                yield from self._entry(parsed.entries[0], n, origin, feed_title)
        except etree.XMLSyntaxError as exc:
            if not n:
                raise InputError(origin, f"broken RSS/Atom feed: {exc}", code="E120",
                                 advice="is it a feed?") from None
            yield Problem(origin, f"broken feed after entry {n} ({exc}); the entries before "
                          "it were read", code="E120")
            return
        if not n:
            raise InputError(origin, "feed has no entries", code="E120")

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
