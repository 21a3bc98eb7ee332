"""HTML pages through trafilatura: main text, title, date, author and site name."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

from ..errors import InputError
from ..records import RawArticle
from ..textutil import normalize_date
from .base import ReadItem, Reader

# trafilatura finds dates in meta tags, JSON-LD and the page text; it is usually right but
# can pick an update or a related-article date.
HTML_DATE_CONFIDENCE = 0.8


class HtmlReader(Reader):
    kind = "html"

    def parse(self, text: str, origin: str, *, url: str | None = None) -> Iterator[ReadItem]:
        import trafilatura

        doc = trafilatura.bare_extraction(
            text, url=url, with_metadata=True, include_comments=False, include_tables=False,
            favor_precision=True,
        )
        body = (getattr(doc, "text", None) or "").strip() if doc is not None else ""
        if not body:
            raise InputError(origin, "no article text found in this HTML page", code="E109",
                             advice="is it an index or a login page?")
        date = normalize_date(doc.date) if doc.date else None
        page_url = url or doc.url
        outlet = doc.sitename or doc.hostname or (urlsplit(page_url).hostname if page_url else None)
        yield RawArticle(
            text=body, origin=origin, raw=text, raw_format="html", title=doc.title or None,
            url=page_url, outlet=outlet, author=doc.author or None,
            date=date[0] if date else None, date_source="html" if date else None,
            date_confidence=HTML_DATE_CONFIDENCE if date else None,
            lang=getattr(doc, "language", None) or None,
            metadata={k: v for k, v in (("description", doc.description),
                                        ("categories", doc.categories),
                                        ("tags", doc.tags)) if v},
        )
