"""Ingestion: turn paths, URLs and streams into RawArticles, reporting bad inputs as Problems.

Each input kind has its own :class:`Reader`: text, html, json (and JSON Lines), feed.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping

from ..errors import InputError
from ..records import Problem
from ..settings import Settings
from .base import ReadItem, Reader
from .feed import FeedReader
from .fetch import Fetcher
from .html import HtmlReader
from .json import JsonReader, parse_field_map
from .sanitize import sanitize
from .sources import Source, decode, detect_kind, expand, open_input, read_capped, read_head
from .text import TextReader

__all__ = ["Reader", "ReadItem", "Ingestor", "parse_field_map", "Source", "expand"]


class Ingestor:
    """Reads everything the user named, one input at a time, never stopping on a bad one."""

    def __init__(self, settings: Settings, *, field_map: Mapping[str, tuple[str, ...]] | None = None,
                 fetcher: Fetcher | None = None):
        self.settings = settings
        self.fetcher = fetcher if fetcher is not None else Fetcher(settings)
        self._opened = None  # the input being streamed
        self.readers: dict[str, Reader] = {
            "text": TextReader(),
            "html": HtmlReader(),
            "json": JsonReader(field_map),
            "feed": FeedReader(self.fetcher, self._decode_page),
        }

    def position(self) -> tuple[int, int | None] | None:
        """(bytes read, bytes in all) of the input being streamed, for progress; None when
        no input is being streamed."""
        return self._opened.position if self._opened is not None else None

    def close(self) -> None:
        self.fetcher.close()

    def sources(self, inputs: Iterable[str]) -> Iterator[Source | Problem]:
        return expand(inputs)

    def read(self, source: Source) -> Iterator[ReadItem]:
        """Articles and problems from one input. Never raises InputError."""
        try:
            if source.kind == "url":
                page = self.fetcher.get(source.name)
                text = self._decode_page(source.name, page.body, page.content_type)
                kind = detect_kind(page.url, text, page.content_type)
                yield from self.readers[kind].read(text, source.name, url=page.url)
            else:
                yield from self._read_local(source)
        except InputError as exc:
            yield sanitize(Problem(exc.source, exc.message, line=exc.line, code=exc.code))

    def _read_local(self, source: Source) -> Iterator[ReadItem]:
        """A file or stdin: JSON and feeds streamed record by record (no size cap but a
        per-record one); anything else read whole under ``max_bytes``."""
        s = self.settings
        with open_input(source) as opened:
            self._opened, stream = opened, opened.stream
            head = read_head(source.name, stream)
            kind = detect_kind(source.inner_name, head.decode(s.encoding, "replace"))
            reader = self.readers[kind]
            if isinstance(reader, JsonReader):
                yield from reader.read_stream(stream, source.name, name=source.inner_name,
                                              encoding=s.encoding, max_record=s.max_record_bytes)
                return
            if isinstance(reader, FeedReader):
                yield from reader.read_stream(stream, source.name, max_record=s.max_record_bytes)
                return
            data = read_capped(source.name, stream, s.max_bytes)
            self._opened = None
        text = decode(source.name, data, s.encoding)
        yield from reader.read(text, source.name)

    def _decode_page(self, url: str, body: bytes, content_type: str | None) -> str:
        charset = None
        if content_type and "charset=" in content_type:
            charset = content_type.split("charset=")[-1].split(";")[0].strip().strip('"')
        if charset:
            try:
                return decode(url, body, charset)
            except InputError:
                pass
        try:
            return decode(url, body, "utf-8")
        except InputError as exc:
            if exc.code != "E107":
                raise
            from charset_normalizer import from_bytes  # pages often lie about their charset

            best = from_bytes(body).best()
            if best is None:
                raise
            return str(best)
