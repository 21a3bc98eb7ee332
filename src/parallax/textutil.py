"""Small text helpers shared by several stages (no stage logic here)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Container
from datetime import date, datetime

# Photo agencies and wires that sign photo captions ("... Olivier Douliery | Reuters").
PHOTO_AGENCIES = (
    "Reuters", "AP", "AFP", "Getty Images", "Getty", "EPA", "EFE", "ANSA", "Xinhua", "TASS",
    "PTI", "dpa", "Bloomberg", "Shutterstock", "Alamy", "Sputnik", "Anadolu", "NurPhoto",
    "SOPA Images", "Europa Press", "IANS", "ANI", "Pool", "AP Photo", "AFP Photo", "EPA-EFE",
)
_AGENCY_ALT = "|".join(re.escape(a) for a in sorted(PHOTO_AGENCIES, key=len, reverse=True))
PHOTO_CREDIT_RE = re.compile(
    rf"(?:\|\s*(?:{_AGENCY_ALT})(?:\s*/\s*[\w .]+)?\s*$)"  # "... Name | Reuters"
    rf"|(?:^|\s)(?:Photo|Foto|Image|Picture|Credit)s?\s*(?::|by\b)"  # "Photo: ...", "Photo by"
    rf"|©"
    rf"|\((?:{_AGENCY_ALT})(?:\s+Photo\b[^)]*|/[^)]+)\)\s*$",  # "... (AP Photo/John Doe)"
    re.IGNORECASE,
)

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")


def looks_like_caption(line: str) -> bool:
    """A line that carries a photo credit: a caption, not a headline or body text."""
    return bool(PHOTO_CREDIT_RE.search(line.strip()))


def looks_like_title(line: str) -> bool:
    """A short line without sentence-final punctuation, which is not a caption."""
    s = line.strip()
    if not s or len(s) > 200:
        return False
    words = s.split()
    if not 2 <= len(words) <= 25:
        return False
    if s[-1] in ".,;:" or re.search(r"[.!?][\"”’']?\s+[A-Z]", s):
        return False
    return not looks_like_caption(s)


def normalize_date(value: object) -> tuple[str, bool] | None:
    """Parse a metadata date into (ISO date ``YYYY-MM-DD``, had_time). None if unparseable.

    Only metadata fields go through here (headers, JSON fields, HTML meta), never body text.
    """
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date().isoformat(), True
    if isinstance(value, date):
        return value.isoformat(), False
    if isinstance(value, (int, float)):
        if value > 10_000_000_000:  # milliseconds
            value = value / 1000
        try:
            return datetime.utcfromtimestamp(value).date().isoformat(), True
        except (OverflowError, OSError, ValueError):
            return None
    text = str(value).strip()
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
        return parsed.date().isoformat(), len(text) > 10
    except ValueError:
        pass
    from email.utils import parsedate_to_datetime

    try:
        return parsedate_to_datetime(text).date().isoformat(), True
    except (TypeError, ValueError, IndexError):
        pass
    try:
        from dateutil import parser as du_parser

        parsed = du_parser.parse(text, fuzzy=False)
    except (ValueError, OverflowError, TypeError):
        return None
    if not 1800 <= parsed.year <= 2200:
        return None
    return parsed.date().isoformat(), bool(parsed.hour or parsed.minute)


# a word inside a sentence: after a lower-case word (or a comma) and one space
_INSIDE = re.compile(r"(?<=[a-z,;] )([^\W\d_]+)")


def count_cases(text: str, words: Container[str] | None = None) -> tuple[Counter, Counter]:
    """How often each (lower-cased) word of ``text`` is written capitalised inside a sentence
    and how often in lower case (only the ``words`` given, when given)."""
    capital: Counter = Counter()
    lower: Counter = Counter()
    for m in _INSIDE.finditer(text):
        w = m.group(1)
        key = w.lower()
        if words is not None and key not in words:
            continue
        (capital if w[0].isupper() else lower)[key] += 1
    return capital, lower


# Code points no later stage can meet: NUL (SQLite's FTS and C libraries stop at it) and lone
# UTF-16 surrogates (json.loads makes them from "\ud800"; they cannot be encoded as UTF-8).
_UNSAFE = re.compile("[\x00\ud800-\udfff]")
REPLACEMENT = "\ufffd"


def scrub(text: str) -> tuple[str, int]:
    """``text`` with NULs and lone surrogates replaced by U+FFFD, and how many were replaced."""
    if not _UNSAFE.search(text):
        return text, 0
    return _UNSAFE.subn(REPLACEMENT, text)


def safe_text(text: str) -> str:
    """:func:`scrub` without the count: for names and query parameters."""
    return scrub(text)[0]


def lede(text: str, width: int = 120) -> str:
    """The first sentence of a text's first line, cut at ``width`` characters: what stands
    for a missing headline."""
    first = text.strip().split("\n", 1)[0]
    sentence = first.split(". ", 1)[0]
    return sentence if len(sentence) <= width else sentence[:width - 3].rsplit(" ", 1)[0] + "..."
