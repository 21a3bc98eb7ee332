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
from contextlib import contextmanager
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
        """The name without a compression suffix (``.gz``, ``.zst``): it decides the reader."""
        lower = self.name.lower()
        for ext in COMPRESSED:
            if lower.endswith(ext):
                return self.name[: -len(ext)]
        return self.name


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


COMPRESSED = (".gz", ".zst", ".zstd")
# A decompressed stream that grows this many times its compressed size, past BOMB_FLOOR bytes
# out, is a decompression bomb: real news archives compress 3-15 times.
BOMB_RATIO, BOMB_FLOOR = 200, 64_000_000
HEAD = 1 << 16  # bytes sniffed to choose the reader


@dataclass(frozen=True, slots=True)
class Opened:
    """An open input: its (decompressed) stream, and how far into the file it has read."""

    stream: io.BufferedReader
    counter: "_Counting"
    size: int | None  # the file's size (compressed), None for stdin

    @property
    def position(self) -> tuple[int, int | None]:
        return self.counter.count, self.size


@contextmanager
def open_input(source: Source) -> Iterator[Opened]:
    """The input's bytes as a stream, gunzipped or un-zstd'ed when they are compressed (by
    their magic bytes, whatever the name), guarded against decompression bombs."""
    try:
        raw = sys.stdin.buffer if source.kind == "stdin" else open(source.name, "rb")
    except PermissionError:
        raise InputError(source.name, "permission denied", code="E102",
                         advice="check the file's permissions") from None
    except IsADirectoryError:
        raise InputError(source.name, "is a directory", code="E102") from None
    except OSError as exc:
        raise InputError(source.name, f"cannot read: {exc.strerror or exc}", code="E102") from None
    try:
        counted = _Counting(raw)
        size = None if source.kind == "stdin" else _size(raw)
        buffered = io.BufferedReader(counted, HEAD)
        magic = _peek(source.name, buffered, 4)
        if magic[:2] == b"\x1f\x8b":
            inner = gzip.GzipFile(fileobj=buffered, mode="rb")
        elif magic == b"\x28\xb5\x2f\xfd":
            import zstandard

            inner = zstandard.ZstdDecompressor().stream_reader(buffered, read_across_frames=True)
        else:
            yield Opened(buffered, counted, size)
            return
        yield Opened(io.BufferedReader(_Guarded(source.name, inner, counted), HEAD), counted, size)
    finally:
        if source.kind != "stdin":
            raw.close()


def _size(fh) -> int | None:
    try:
        return os.fstat(fh.fileno()).st_size
    except (OSError, ValueError):
        return None


def _peek(name: str, stream: io.BufferedReader, n: int) -> bytes:
    try:
        return stream.peek(n)[:n]
    except OSError as exc:
        raise InputError(name, f"cannot read: {exc.strerror or exc}", code="E102") from None


def read_head(name: str, stream: io.BufferedReader) -> bytes:
    """Up to :data:`HEAD` bytes from the start of the stream, left in it."""
    try:
        head = stream.peek(HEAD)
        while len(head) < HEAD:  # a decompressing stream may hand out less than it can
            more = stream.peek(HEAD)
            if len(more) <= len(head):
                break
            head = more
    except InputError:
        raise
    except (OSError, EOFError, zlib.error) as exc:
        raise InputError(name, f"broken compressed data: {exc}", code="E105") from None
    except Exception as exc:  # zstandard.ZstdError
        raise InputError(name, f"broken compressed data: {exc}", code="E105") from None
    return head[:HEAD]


def read_capped(name: str, stream: io.BufferedReader, max_bytes: int) -> bytes:
    """All of a stream (one input that is read whole: text, HTML, a feed), refusing more
    than ``max_bytes``."""
    try:
        data = stream.read(max_bytes + 1)
    except InputError:
        raise
    except Exception as exc:  # gzip/zlib/zstd errors
        raise InputError(name, f"broken compressed data: {exc}", code="E105") from None
    if len(data) > max_bytes:
        raise InputError(name, f"too large (over {max_bytes:,} bytes)", code="E104",
                         advice="raise max_bytes (PARALLAX_MAX_BYTES) if this is really one "
                         "article; archives belong in JSON Lines, which has no size cap")
    return data


class _Counting(io.RawIOBase):
    """A raw stream that counts the bytes read from it (the compressed size)."""

    def __init__(self, raw):
        self.raw, self.count = raw, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self.raw.read(len(buffer))
        n = len(data)
        buffer[:n] = data
        self.count += n
        return n


class _Guarded(io.RawIOBase):
    """A decompressing stream that stops a decompression bomb and turns codec errors into
    one InputError."""

    def __init__(self, name: str, inner, compressed: _Counting):
        self.name, self.inner, self.compressed, self.out = name, inner, compressed, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        try:
            data = self.inner.read(len(buffer))
        except (OSError, EOFError, zlib.error) as exc:
            raise InputError(self.name, f"broken compressed data: {exc}", code="E105") from None
        except Exception as exc:  # zstandard.ZstdError
            raise InputError(self.name, f"broken compressed data: {exc}", code="E105") from None
        n = len(data)
        buffer[:n] = data
        self.out += n
        if self.out > BOMB_FLOOR and self.out > BOMB_RATIO * max(1, self.compressed.count):
            raise InputError(self.name, f"decompression bomb ({self.out:,} bytes out of "
                             f"{self.compressed.count:,} compressed)", code="E105")
        return n


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
        if looks_binary(data):
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


def looks_binary(data: bytes) -> bool:
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
              ".atom": "feed", ".xml": "feed"}
    if ext in by_ext:
        return by_ext[ext]
    head = text.lstrip()[:600].lower()
    if head.startswith(("{", "[")):
        return "json"
    if "<rss" in head or "<feed" in head or "<rdf:rdf" in head or head.startswith("<?xml"):
        return "feed"
    if head.startswith(("<!doctype html", "<html")) or "<body" in head or "xml" in ct:
        return "html" if "xml" not in ct else "feed"
    return "text"
