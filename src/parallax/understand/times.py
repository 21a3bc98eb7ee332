"""Time expressions placed on the calendar relative to the publication date, each with its
precision (day, month, year) and how it was resolved. Without a publication date, relative
expressions stay unresolved and say so; nothing is guessed silently."""

from __future__ import annotations

import re
from datetime import date, timedelta

from .records import TimeExpr

MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august",
          "september", "october", "november", "december"]
DAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_M = r"(January|February|March|April|May|June|July|August|September|October|November|December|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?)"
_D = r"(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
PATTERNS = [
    ("mdy", re.compile(rf"\b{_M}\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b")),
    ("dmy", re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_M},?\s+(\d{{4}})\b")),
    ("iso", re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")),
    ("month_last_year", re.compile(rf"\b(?:[Ii]n\s+)?{_M}\s+(last|this|next)\s+year\b")),
    ("my", re.compile(rf"\b(?:[Ii]n\s+)?{_M}\s+(\d{{4}})\b")),
    ("md", re.compile(rf"\b{_M}\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?!,?\s*\d{{4}})")),
    ("dm", re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_M}\b(?!,?\s*\d{{4}})")),
    ("weekday", re.compile(rf"\b(?:(on|this|last|next|[Oo]n|[Tt]his|[Ll]ast|[Nn]ext)\s+)?{_D}\b")),
    ("rel_unit", re.compile(r"\b(last|this|next|Last|This|Next)\s+(week|month|year)\b")),
    ("day_word", re.compile(r"\b(yesterday|today|tomorrow|Yesterday|Today|Tomorrow)\b")),
    ("in_year", re.compile(r"\b(?:[Ii]n|[Ss]ince|[Bb]y|[Uu]ntil|[Ff]rom)\s+(\d{4})\b")),
]


def month_index(token: str) -> int:
    t = token.lower().rstrip(".")
    for i, name in enumerate(MONTHS, start=1):
        if name.startswith(t[:3]):
            return i
    raise ValueError(token)


_FUTURE = re.compile(r"\b(?:will|'ll|is (?:expected|scheduled|set|due|heading|going)|are (?:expected|"
                     r"scheduled|set|due|heading|going)|to take place|upcoming)\b", re.I)
_NAME_AFTER = re.compile(r"(?:st|nd|rd|th)?\s+[A-Z][a-z]")


def extract(text: str, sentence_of, base: date | None, base_source: str,
            sentence_span=None) -> list[TimeExpr]:
    """``base``: the publication date (or an inferred one, then ``base_source`` says so).
    ``sentence_span(offset)``: (start, end) of the sentence around an offset, to read its
    tense: a weekday or a date without a year in a sentence about the future is the coming
    one, otherwise the latest one on or before publication."""
    taken: list[tuple[int, int]] = []
    out: list[TimeExpr] = []
    for kind, pattern in PATTERNS:
        for m in pattern.finditer(text):
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            if kind in ("md", "dm") and _NAME_AFTER.match(text, m.end()):
                continue  # 'September 11th Advocates': part of a name
            future = False
            if sentence_span is not None and kind in ("md", "dm", "weekday"):
                s0, s1 = sentence_span(m.start())
                future = bool(_FUTURE.search(text[s0:s1]))
            resolved = _resolve(kind, m, base, future)
            if resolved is None:
                continue
            value, precision, relative = resolved
            if relative:
                source = base_source if base else "unresolved: relative, and no publication date"
                if not base:
                    value, precision = None, precision
            else:
                source = "absolute"
            taken.append((m.start(), m.end()))
            out.append(TimeExpr(text=m.group(0), value=value, precision=precision,
                                resolved_from=source, sentence=sentence_of(m.start()),
                                start=m.start(), end=m.end()))
    return sorted(out, key=lambda t: t.start)


def _resolve(kind: str, m: re.Match, base: date | None, future: bool = False):
    """(value, precision, relative?) or None when the match is not a time."""
    try:
        if kind == "mdy":
            return date(int(m.group(3)), month_index(m.group(1)), int(m.group(2))).isoformat(), "day", False
        if kind == "dmy":
            return date(int(m.group(3)), month_index(m.group(2)), int(m.group(1))).isoformat(), "day", False
        if kind == "iso":
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3))).isoformat(), "day", False
        if kind == "my":
            return f"{int(m.group(2)):04d}-{month_index(m.group(1)):02d}", "month", False
    except ValueError:
        return None
    if kind == "in_year":
        year = int(m.group(1))
        return (f"{year:04d}", "year", False) if 1900 <= year <= 2100 else None
    if base is None:
        return None, _precision(kind, m), True
    if kind == "month_last_year":
        year = base.year + {"last": -1, "this": 0, "next": 1}[m.group(2).lower()]
        return f"{year:04d}-{month_index(m.group(1)):02d}", "month", True
    if kind in ("md", "dm"):
        mon, day = (m.group(1), m.group(2)) if kind == "md" else (m.group(2), m.group(1))
        try:
            d = date(base.year, month_index(mon), int(day))
        except ValueError:
            return None
        if future and d < base - timedelta(days=1):
            d = d.replace(year=base.year + 1)  # 'will take place from October 16'
        elif not future and d > base + timedelta(days=7):  # 'February 21' in a March article
            d = d.replace(year=base.year - 1)
        return d.isoformat(), "day", True
    if kind == "weekday":
        modifier = (m.group(1) or "").lower()
        target = DAYS.index(m.group(2).lower())
        delta = (base.weekday() - target) % 7
        if modifier == "next" or (future and modifier != "last"):
            d = base + timedelta(days=(target - base.weekday()) % 7 or (7 if modifier == "next" else 0))
        elif modifier == "last" and delta == 0:
            d = base - timedelta(days=7)
        else:  # news reports the recent past: the latest such day on or before publication
            d = base - timedelta(days=delta)
        return d.isoformat(), "day", True
    if kind == "rel_unit":
        step = {"last": -1, "this": 0, "next": 1}[m.group(1).lower()]
        unit = m.group(2)
        if unit == "week":
            return (base + timedelta(weeks=step)).isoformat(), "week", True
        if unit == "month":
            y, mo = divmod(base.year * 12 + base.month - 1 + step, 12)
            return f"{y:04d}-{mo + 1:02d}", "month", True
        return f"{base.year + step:04d}", "year", True
    if kind == "day_word":
        step = {"yesterday": -1, "today": 0, "tomorrow": 1}[m.group(1).lower()]
        return (base + timedelta(days=step)).isoformat(), "day", True
    return None


def _precision(kind: str, m: re.Match) -> str:
    if kind in ("md", "dm", "weekday", "day_word"):
        return "day"
    if kind == "month_last_year":
        return "month"
    if kind == "rel_unit":
        return {"week": "week", "month": "month", "year": "year"}[m.group(2)]
    return "day"


_DATELINE = re.compile(rf"^\W*(?:{_D},?\s+)?(?:{_M}\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})|(\d{{1,2}})\s+{_M},?\s+(\d{{4}}))")


def infer_publication_date(text: str) -> dict | None:
    """A dateline at the very top ('July 03, 2013 6: 22AM', 'Tuesday, July 2nd, 2013') is
    strong evidence of the publication date. Returns {'value', 'evidence', 'confidence'}."""
    m = _DATELINE.match(text[:80])
    if not m:
        return None
    try:
        if m.group(2):
            d = date(int(m.group(4)), month_index(m.group(2)), int(m.group(3)))
        else:
            d = date(int(m.group(7)), month_index(m.group(6)), int(m.group(5)))
    except ValueError:
        return None
    return {"value": d.isoformat(), "evidence": m.group(0).strip(), "confidence": 0.8}
