"""JSON (an object, an array, or {"articles": [...]}) and JSON Lines, with field mapping."""

from __future__ import annotations

import codecs
import io
import json
from collections.abc import Iterator, Mapping
from typing import Any

import ijson

from ..errors import ConfigError, InputError
from ..records import Problem, RawArticle
from ..textutil import normalize_date
from . import jsonstream
from .base import ReadItem, Reader
from .sanitize import sanitize
from .sources import looks_binary, read_head

DEFAULT_FIELDS: dict[str, tuple[str, ...]] = {
    "title": ("title", "headline"),
    "text": ("text", "body", "content", "article", "maintext"),
    "date": ("date", "published", "published_at", "publish_date", "pubdate", "date_publish"),
    "outlet": ("source", "outlet", "site", "source_domain", "domain", "publisher"),
    "url": ("url", "link"),
    "lang": ("lang", "language"),
    "author": ("author", "authors", "byline"),
    "credited_source": ("credit", "credited_source", "wire"),
}
TARGETS = tuple(DEFAULT_FIELDS)


def parse_field_map(spec: str | None) -> dict[str, tuple[str, ...]]:
    """``"text=article_body,date=pubDate"`` -> field aliases with the mapped names first."""
    fields = dict(DEFAULT_FIELDS)
    if not spec:
        return fields
    for part in spec.split(","):
        if not part.strip():
            continue
        target, sep, name = part.partition("=")
        target, name = target.strip(), name.strip()
        if not sep or not name:
            raise ConfigError(f"--map: cannot read {part!r}", advice="use TARGET=FIELD pairs, "
                              "e.g. --map text=article_body,date=pubDate")
        if target not in fields:
            raise ConfigError(f"--map: unknown target {target!r}",
                              advice=f"targets are {', '.join(TARGETS)}")
        fields[target] = (name,)
    return fields


JSON_LINES_EXT = (".jsonl", ".ndjson")
# ijson's pure-Python backend: the C one turns a lone surrogate into '?' unseen (the reader
# boundary must see it to repair it in the open); ~100 MB/s, far above the pipeline's speed.
_IJSON = ijson.get_backend("python")
MAX_DEPTH = 64  # deeper records are refused (no article is nested so; recursion stays safe)
MAX_BAD_START = 50  # a "JSON Lines" input whose first this many lines are all bad is refused


# A record with no text is stored as a headline when its title has this many words or more
# ('Lindsay Lohan checks into Betty Ford Center'); 'Sports' or 'Live updates' stand for no
# report (1% of ECB+'s real headlines are shorter, mostly section names).
HEADLINE_MIN_WORDS = 4


class JsonReader(Reader):
    """JSON read whole (:meth:`read`, for pages and the API) or streamed from a file
    (:meth:`read_stream`: JSON Lines line by line, documents through ijson), in constant
    memory whatever the input's size."""

    kind = "json"

    def __init__(self, field_map: Mapping[str, tuple[str, ...]] | None = None):
        self.fields = dict(field_map or DEFAULT_FIELDS)

    def parse(self, text: str, origin: str, *, url: str | None = None) -> Iterator[ReadItem]:
        if not text.strip():
            return
        if not origin.lower().endswith(JSON_LINES_EXT):
            try:
                data = json.loads(text)
            except RecursionError:
                raise InputError(origin, f"nested more than {MAX_DEPTH} levels deep",
                                 code="E110") from None
            except json.JSONDecodeError as exc:
                if exc.msg != "Extra data":
                    raise InputError(origin, f"malformed JSON: {exc.msg}", line=exc.lineno,
                                     code="E110") from None
            else:
                yield from self._records(data, origin, None, origin)
                return
        stream = io.BufferedReader(io.BytesIO(text.encode("utf-8", "surrogatepass")))
        yield from self._lines(stream, origin, "utf-8", len(text) * 4 + 1, errors="surrogatepass")

    def read_stream(self, stream: io.BufferedReader, origin: str, *, name: str | None = None,
                    encoding: str = "utf-8", max_record: int = 10_000_000) -> Iterator[ReadItem]:
        """Articles from a binary stream; ``name`` (the input's name without a compression
        suffix) says whether it is JSON Lines; a record over ``max_record`` bytes is skipped."""
        for item in self._stream(stream, origin, name=name, encoding=encoding,
                                 max_record=max_record):
            yield sanitize(item)

    def _stream(self, stream: io.BufferedReader, origin: str, *, name: str | None,
                encoding: str, max_record: int) -> Iterator[ReadItem]:
        head = read_head(origin, stream)
        if not head.strip():
            raise InputError(origin, "empty file" if not head else "file holds only whitespace",
                             code="E103")
        if (name or origin).lower().endswith(JSON_LINES_EXT) or _first_line_complete(head):
            if looks_binary(head) \
                    and not any(_parses(ln) for ln in head.split(b"\n")[:-1]):
                raise InputError(origin, "binary file, not JSON Lines", code="E106")
            yield from self._lines(stream, origin, encoding, max_record)
        else:
            yield from self._document(stream, origin, max_record)

    def _lines(self, stream: io.BufferedReader, origin: str, encoding: str, max_record: int,
               errors: str = "strict") -> Iterator[ReadItem]:
        read_any, bad = False, 0
        for lineno, line in _numbered_lines(stream, origin, max_record):
            if line is None:
                yield Problem(origin, f"record over {max_record:,} bytes, skipped (max_record_bytes)",
                              line=lineno, code="E104")
                continue
            if lineno == 1:
                line = line.removeprefix(codecs.BOM_UTF8)
            if not line.strip():
                continue
            try:
                obj = json.loads(line.decode(encoding, errors))
            except UnicodeDecodeError as exc:
                problem = Problem(origin, f"not valid {encoding} (byte 0x{line[exc.start]:02x} "
                                  f"at column {exc.start + 1})", line=lineno, code="E107")
            except json.JSONDecodeError as exc:
                problem = Problem(origin, f"malformed JSON line: {exc.msg} (column {exc.colno})",
                                  line=lineno, code="E110")
            except RecursionError:
                problem = Problem(origin, f"nested more than {MAX_DEPTH} levels deep", line=lineno,
                                  code="E110")
            else:
                read_any = True
                yield from self._records(obj, origin, lineno, f"{origin}:{lineno}")
                continue
            yield problem
            bad += 1
            if not read_any and bad >= MAX_BAD_START:
                raise InputError(origin, f"not JSON Lines: its first {bad} lines are not JSON",
                                 code="E110")

    def _document(self, stream: io.BufferedReader, origin: str,
                  max_record: int) -> Iterator[ReadItem]:
        index = 0
        try:
            events = _IJSON.basic_parse(stream, multiple_values=True, use_float=True)
            for obj in jsonstream.records(events, max_record):
                if obj is jsonstream.TOO_BIG:
                    yield Problem(f"{origin}[{index}]", f"record over {max_record:,} bytes "
                                  f"(max_record_bytes) or nested over {MAX_DEPTH} levels, "
                                  "skipped", code="E104")
                else:
                    yield from self._records(obj, origin, None, f"{origin}[{index}]")
                index += 1
        except RecursionError:
            raise InputError(origin, f"nested more than {MAX_DEPTH} levels deep",
                             code="E110") from None
        except (ijson.JSONError, ijson.IncompleteJSONError, UnicodeDecodeError,
                ValueError) as exc:
            why = str(exc).splitlines()[0][:200] if str(exc) else exc.__class__.__name__
            if index == 0:
                raise InputError(origin, f"malformed JSON: {why}", code="E110") from None
            yield Problem(origin, f"malformed JSON after record {index} ({why}); the records "
                          "before it were read", code="E110")

    def _records(self, obj: Any, origin: str, line: int | None, where: str) -> Iterator[ReadItem]:
        """One object, or each of a list or of ``{"articles": [...]}`` on one line."""
        if not _shallow(obj):
            yield Problem(origin if line is not None else where,
                          f"nested more than {MAX_DEPTH} levels deep", line=line, code="E110")
            return
        inner = obj
        if isinstance(obj, dict):
            inner = obj.get("articles") if self._get(obj, self.fields["text"]) is None else None
        if isinstance(inner, list):
            for i, one in enumerate(inner):
                yield from self._records(one, origin, line, f"{where}[{i}]")
        else:
            yield self._article(obj, origin, line, where)

    def _article(self, obj: Any, origin: str, line: int | None, where: str) -> ReadItem:
        if not isinstance(obj, dict):
            return Problem(origin, f"expected a JSON object, got {type(obj).__name__}",
                           line=line, code="E110")
        found = {target: self._get(obj, names) for target, names in self.fields.items()}
        body, headline = found["text"], _str(found["title"])
        headline_only = not isinstance(body, str) or not body.strip()
        if headline_only:
            if not headline or len(headline.split()) < HEADLINE_MIN_WORDS:
                return Problem(origin, "no article text, and no title of "
                               f"{HEADLINE_MIN_WORDS} words or more to stand for one (looked for "
                               f"{', '.join(self.fields['text'])}; use --map text=FIELD)",
                               line=line, code="E111")
            body = headline  # a headline with no body (a feed's or an aggregator's item)
        date = normalize_date(found["date"])
        used = {name for names in self.fields.values() for name in names}
        extra = {k: v for k, v in obj.items() if k not in used}
        if headline_only:
            extra["headline_only"] = True
        if found["date"] not in (None, "") and date is None:
            extra["unparsed_date"] = found["date"]
        if date and date[1]:
            extra["published_at"] = str(found["date"])
        return RawArticle(
            text=body.replace("\r\n", "\n"), origin=where, raw=json.dumps(obj, ensure_ascii=False),
            raw_format="json", title=_str(found["title"]), url=_str(found["url"]),
            outlet=_str(found["outlet"]), author=_str(found["author"]),
            credited_source=_str(found["credited_source"]), lang=_str(found["lang"]),
            date=date[0] if date else None, date_source="json" if date else None,
            date_confidence=1.0 if date else None, metadata=extra,
        )

    @staticmethod
    def _get(obj: dict[str, Any], names: tuple[str, ...]) -> Any:
        for name in names:
            value = obj
            for part in name.split("."):  # nested fields: --map text=content.body
                value = value.get(part) if isinstance(value, dict) else None
            if value not in (None, "", []):
                return value
        return None


def _str(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or None
    if isinstance(value, dict):
        value = value.get("name") or value.get("title") or json.dumps(value)
    return str(value).strip() or None


def _numbered_lines(stream: io.BufferedReader, origin: str,
                    max_record: int) -> Iterator[tuple[int, bytes | None]]:
    """(line number, bytes) for each line; None for a line over ``max_record``, whose rest
    is read past in pieces, never held."""
    lineno = 0
    while True:
        try:
            line = stream.readline(max_record + 1)
        except InputError:
            raise
        except Exception as exc:  # a compressed stream that breaks part way
            raise InputError(origin, f"broken compressed data after line {lineno}: {exc}",
                             code="E105") from None
        if not line:
            return
        lineno += 1
        if len(line) > max_record and not line.endswith(b"\n"):
            while True:
                rest = stream.readline(1 << 20)
                if not rest or rest.endswith(b"\n"):
                    break
            yield lineno, None
            continue
        yield lineno, line


def _first_line_complete(head: bytes) -> bool:
    """The input starts with one whole JSON value on its first line (JSON Lines)."""
    head = head.removeprefix(codecs.BOM_UTF8).lstrip()
    first, newline, _rest = head.partition(b"\n")
    return bool(newline) and first.startswith(b"{") and _parses(first)


def _parses(line: bytes) -> bool:
    try:
        json.loads(line)
    except ValueError:
        return False
    return True


def _shallow(obj: Any, limit: int = MAX_DEPTH) -> bool:
    """``obj`` nests at most ``limit`` containers deep (checked without recursion)."""
    stack = [(obj, 0)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, (dict, list)):
            if depth >= limit:
                return False
            stack.extend((v, depth + 1) for v in (value.values() if isinstance(value, dict) else value))
    return True
