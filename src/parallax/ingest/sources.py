"""Expand what the user named (paths, directories, globs, URLs, ``-``) into inputs, and read
each input's bytes into text: gzip, size cap, binary and encoding checks."""

from __future__ import annotations

import codecs
import glob
import gzip
import io
import os
import sys
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError
from ..records import Problem

SKIP_NAMES = {".DS_Store", "Thumbs.db"}
# Files that document a corpus folder rather than belong to it: skipped when walking a
# directory, read when named explicitly.
SKIP_STEMS = {"readme", "license", "licence", "credits", "copying", "notice"}


@dataclass(frozen=True, slots=True)
class Source:
    name: str  # what the user sees: a path, a URL or "<stdin>"
    kind: str  # file | url | stdin

    @property
    def inner_name(self) -> str:
        """The name without a trailing ``.gz``: it decides the reader."""
        return self.name[:-3] if self.name.lower().endswith(".gz") else self.name


def is_url(value: str) -> bool:
    return value.lower().startswith(("http://", "https://"))


def expand(inputs: Iterable[str]) -> Iterator[Source | Problem]:
    """Paths, directories (recursive, sorted, hidden files skipped), globs, URLs and ``-``."""
    for item in inputs:
        if item == "-":
            yield Source("<stdin>", "stdin")
        elif is_url(item):
            yield Source(item, "url")
        elif os.path.isdir(item):
            yield from _walk(Path(item))
        elif os.path.exists(item):
            yield Source(item, "file")
        elif glob.has_magic(item):
            matches = sorted(glob.glob(item, recursive=True))
            if not matches:
                yield Problem(item, "no file matches this pattern", code="E101")
            for match in matches:
                yield from (_walk(Path(match)) if os.path.isdir(match) else [Source(match, "file")])
        else:
            yield Problem(item, "no such file or directory", code="E101")


def _walk(root: Path) -> Iterator[Source]:
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            stem = name.split(".", 1)[0].lower()
            if not name.startswith(".") and name not in SKIP_NAMES and stem not in SKIP_STEMS:
                yield Source(str(Path(dirpath) / name), "file")


def read_bytes(source: Source, max_bytes: int) -> bytes:
    """The input's bytes, gunzipped, refusing more than ``max_bytes``."""
    try:
        if source.kind == "stdin":
            data = sys.stdin.buffer.read(max_bytes + 1)
        else:
            with open(source.name, "rb") as fh:
                data = fh.read(max_bytes + 1)
    except PermissionError:
        raise InputError(source.name, "permission denied", code="E102",
                         advice="check the file's permissions") from None
    except IsADirectoryError:
        raise InputError(source.name, "is a directory", code="E102") from None
    except OSError as exc:
        raise InputError(source.name, f"cannot read: {exc.strerror or exc}", code="E102") from None
    if data[:2] == b"\x1f\x8b":
        data = _gunzip(source.name, data, max_bytes)
    if len(data) > max_bytes:
        raise InputError(source.name, f"too large (over {max_bytes:,} bytes)", code="E104",
                         advice="raise max_bytes (PARALLAX_MAX_BYTES) if this is really one input")
    return data


def _gunzip(name: str, data: bytes, max_bytes: int) -> bytes:
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as gz:
            out = gz.read(max_bytes + 1)
    except (OSError, EOFError, zlib.error) as exc:
        raise InputError(name, f"broken gzip data: {exc}", code="E105") from None
    return out



_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16"))


def decode(name: str, data: bytes, encoding: str = "utf-8") -> str:
    """Bytes to text. Empty, binary and wrongly encoded inputs raise one clear InputError."""
    if not data.strip():
        raise InputError(name, "empty file" if data == b"" else "file holds only whitespace",
                         code="E103")
    for bom, enc in _BOMS:
        if data.startswith(bom):
            encoding = enc
            break
    else:
        if _looks_binary(data):
            raise InputError(name, "binary file, not text", code="E106",
                             advice="Parallax reads text, HTML, JSON, JSON Lines and feeds")
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise InputError(name, f"not valid {encoding} (byte 0x{data[exc.start]:02x} at offset "
                         f"{exc.start})", code="E107",
                         advice="re-save it as UTF-8 or pass --encoding (e.g. cp1252)") from None
    except LookupError:
        raise InputError(name, f"unknown encoding {encoding!r}", code="E107") from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _looks_binary(data: bytes) -> bool:
    head = data[:8192]
    if b"\x00" in head:
        return True
    control = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13, 27))
    return control > max(8, len(head) // 100)


def detect_kind(name: str, text: str, content_type: str | None = None) -> str:
    """Which reader handles an input: by content type, then extension, then a sniff."""
    ct = (content_type or "").lower()
    if any(t in ct for t in ("rss", "atom")):
        return "feed"
    if "json" in ct:
        return "json"
    if "html" in ct:
        return "html"
    lower = name.lower().split("?")[0]
    ext = os.path.splitext(lower)[1]
    by_ext = {".txt": "text", ".text": "text", ".md": "text", ".html": "html", ".htm": "html",
              ".json": "json", ".jsonl": "json", ".ndjson": "json", ".rss": "feed",
              ".atom": "feed"}
    if ext in by_ext:
        return by_ext[ext]
    head = text.lstrip()[:600].lower()
    if head.startswith(("{", "[")):
        return "json"
    if "<rss" in head or "<feed" in head or "<rdf:rdf" in head:
        return "feed"
    if head.startswith(("<!doctype html", "<html")) or "<body" in head or "xml" in ct:
        return "html" if "xml" not in ct else "feed"
    return "text"
