"""Time expressions placed on the calendar relative to the publication date, each with its
precision (day, month, year) and how it was resolved. Without a publication date, relative
expressions stay unresolved and say so; nothing is guessed silently."""

from __future__ import annotations

import re
from datetime import date, timedelta

from .numbers import WORDS as NUMBER_WORDS
from .records import TimeExpr

MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august",
          "september", "october", "november", "december"]
DAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_M = r"(January|February|March|April|May|June|July|August|September|October|November|December|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?)"
_D = r"(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
PATTERNS = [
    # a weekday before a date is part of it ('Friday, Sept. 14', 'Easter Sunday, April 8, 2012')
    ("wday_mdy", re.compile(rf"\b(?:Easter\s+|Palm\s+)?{_D},?\s+{_M}\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b")),
    ("wday_md", re.compile(rf"\b(?:Easter\s+|Palm\s+)?{_D},?\s+{_M}\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?!,?\s*\d{{4}})")),
    ("mdy", re.compile(rf"\b{_M}\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b")),
    ("dmy", re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_M},?\s+(\d{{4}})\b")),
    ("dmy2", re.compile(rf"\b(\d{{1,2}})\s+{_M}\s+(\d{{2}})\b(?![,.]?\d)(?!\s+(?:people|of|per|percent)\b)")),  # '10 Nov 11'
    ("iso", re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")),
    ("nine_eleven", re.compile(r"\b(?:Sept?\.?|September)\s+11(?:th)?\b(?=,?\s+(?:\d{4}\s+)?(?:terror(?:ist)?\s+attacks|attacks|hijackers|victims|families|commission|memorial|anniversary)\b)|\b9/11\b")),
    ("month_last_year", re.compile(rf"\b(?:[Ii]n\s+)?{_M}\s+(last|this|next)\s+year\b")),
    ("my", re.compile(rf"\b(?:[Ii]n\s+)?{_M}\s+(\d{{4}})\b")),
    ("md", re.compile(rf"\b{_M}\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?!,?\s*\d{{4}})")),
    ("dm", re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_M}\b(?!,?\s*\d{{4}})")),
    # a month alone after 'in' ('In February, a quake ...'): the latest such month on or
    # before publication (the next one in a sentence about the future); 'May' only capitalised
    ("in_month", re.compile(r"\b(?:[Ii]n|[Ee]arly|[Ll]ate|[Mm]id-?|(?:[Tt]he\s+)?(?:end|beginning|start|middle)\s+of)\s+(?:early\s+|late\s+|mid-?)?(January|February|March|April|June|July|August|September|October|November|December|(?-i:May))\b(?!\s*\d)")),
    ("weekday", re.compile(rf"\b(?:(on|this|last|next|[Oo]n|[Tt]his|[Ll]ast|[Nn]ext)\s+)?{_D}\b")),
    ("rel_unit", re.compile(r"\b(last|this|next|Last|This|Next)\s+(week|month|year)\b")),
    # a span counted from publication ('two days ago') or from another event ('two days after
    # Putin signed ...', 'a week later'): the latter is not placed (its anchor is not a date)
    ("offset", re.compile(r"(?<!-)(?<!\band )\b(a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
                          r"\d{1,2})\s+(day|week|month|year)s?\s+(ago|earlier|before|after|later)\b",
                          re.IGNORECASE)),
    ("day_word", re.compile(r"\b(yesterday|today|tomorrow|Yesterday|Today|Tomorrow)\b")),
    ("in_year", re.compile(r"\b(?:[Ii]n|[Ss]ince|[Bb]y|[Uu]ntil|[Ff]rom|[Tt]hrough)\s+(\d{4})\b")),
    # a year before a noun names the year of an event ('a 1997 Mississippi case', 'the 2005 attack')
    ("year_adj", re.compile(r"(?:(?<=\b[Aa] )|(?<=\b[Aa]n )|(?<=\b[Tt]he )|(?<=\b[Hh]is )|(?<=\b[Hh]er )|(?<=\b[Ii]ts )|(?<=\b[Tt]heir ))((?:19|20)\d\d)(?=\s+[A-Za-z])(?!\s+(?:percent|per|and|to|or)\b)")),
]


def month_index(token: str) -> int:
    t = token.lower().rstrip(".")
    for i, name in enumerate(MONTHS, start=1):
        if name.startswith(t[:3]):
            return i
    raise ValueError(token)


# What makes a date a bound or a point of comparison rather than the date of an event: the
# words right before it.
_REFERENCE = re.compile(r"(?:\b(?:since|until|till|through|thru|as\s+of|by|from|beginning\s+in|"
                        r"starting\s+in|dating\s+back\s+to|before)\s+(?:the\s+)?(?:on\s+)?)$", re.I)
# Words before a date that look forward from the publication date: 'until Feb. 15',
# 'through Feb. 8', 'next Monday', 'by Friday'.
_FORWARD = re.compile(r"\b(?:until|till|through|thru|by|starting|effective|next)\s+(?:on\s+)?$", re.I)
# A future tense governing the date: a marker at most six words before it, in its clause,
# outside quotation marks ('talks will resume on Monday', 'to be shown on Tuesday', 'Tuesday
# is the deadline').
_FUTURE = re.compile(r"\b(?:will|'ll|shall|is\s+(?:expected|scheduled|set|due|slated|to|heading|"
                     r"headed|going)|are\s+(?:expected|scheduled|set|due|slated|to|heading|headed|"
                     r"going)|to\s+be|plans?\s+to|"
                     r"planning\s+to|set\s+to|expected\s+to|poised\s+to|look(?:s|ing)?\s+forward|upcoming|"
                     r"(?:asked|invited|urged)\s+\w+(?:\s+\w+){0,4}\s+to\s+\w+|"
                     r"scheduled|slated)\b", re.I)
_DEADLINE = re.compile(r"\s*(?:is|was)?\s*(?:the\s+)?deadline\b", re.I)
_PAST_VERB = re.compile(r"\b(?:\w+ed|said|told|wrote|met|made|took|gave|went|came|began|won|"
                        r"lost|held|left|sent|spoke|saw|found|announced)\s+(?:on\s+)?$", re.I)
_NAME_AFTER = re.compile(r"(?:st|nd|rd|th)?\s+[A-Z][a-z]")
_CLAUSE_BREAK = re.compile(r"[;:“”\"()]|,\s+(?:but|and|while|after|before|when)\b")


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
            if kind == "day_word" and m.group(1)[0].isupper() and not _opens_sentence(text, m.start()):
                continue  # 'USA Today', 'the Today show', '(Wire Today)': a name
            s0 = sentence_span(m.start())[0] if sentence_span is not None else 0
            before = text[max(s0, m.start() - 40): m.start()]
            reference = bool(_REFERENCE.search(before)) or kind == "nine_eleven" or (
                kind == "in_year" and m.group(0).split()[0].lower() in ("since", "by", "until",
                                                                         "from", "through"))
            forward = bool(_FORWARD.search(before)) or (
                kind in ("md", "dm", "weekday", "wday_md", "in_month") and _is_future(text, s0, m))
            resolved = _resolve(kind, m, base, forward)
            if resolved is None:
                continue
            value, precision, relative = resolved
            if kind == "offset" and m.group(3).lower() != "ago":
                value, source = None, "unresolved: counted from another event, not from a date"
            elif relative:
                source = base_source if base else "unresolved: relative, and no publication date"
                if not base:
                    value, precision = None, precision
            else:
                source = "absolute"
            taken.append((m.start(), m.end()))
            out.append(TimeExpr(text=m.group(0), value=value, precision=precision,
                                resolved_from=source, sentence=sentence_of(m.start()),
                                start=m.start(), end=m.end(),
                                kind="reference" if reference else "event"))
    return sorted(out, key=lambda t: t.start)


def _opens_sentence(text: str, at: int) -> bool:
    """Whether the word at ``at`` starts a sentence (or a quotation, or the text)."""
    before = text[max(0, at - 3): at].rstrip(" \t“\"'‘(")
    return not before or before[-1] in ".!?\n:"


def _is_future(text: str, s0: int, m: re.Match) -> bool:
    """A future tense governs the date: a marker within the nine words before it in its
    clause, outside quotation marks, with no past-tense verb right before the date; or the
    date is called a deadline."""
    if _DEADLINE.match(text, m.end()):
        return True
    before = text[s0: m.start()]
    cut = max((b.end() for b in _CLAUSE_BREAK.finditer(before)), default=0)
    clause = before[cut:]
    if _PAST_VERB.search(clause):
        return False
    return bool(_FUTURE.search(" ".join(clause.split()[-9:])))


def _resolve(kind: str, m: re.Match, base: date | None, future: bool = False):
    """(value, precision, relative?) or None when the match is not a time."""
    if kind == "nine_eleven":
        return "2001-09-11", "day", False  # the attacks, not this year's September 11
    if kind in ("wday_mdy", "wday_md"):  # the date decides; the weekday is part of it
        kind = kind[5:]
        m = _Shifted(m)
    try:
        if kind == "mdy":
            return date(int(m.group(3)), month_index(m.group(1)), int(m.group(2))).isoformat(), "day", False
        if kind == "dmy":
            return date(int(m.group(3)), month_index(m.group(2)), int(m.group(1))).isoformat(), "day", False
        if kind == "dmy2":
            return date(2000 + int(m.group(3)), month_index(m.group(2)), int(m.group(1))).isoformat(), "day", False
        if kind == "iso":
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3))).isoformat(), "day", False
        if kind == "my":
            return f"{int(m.group(2)):04d}-{month_index(m.group(1)):02d}", "month", False
    except ValueError:
        return None
    if kind in ("in_year", "year_adj"):
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
    if kind == "in_month":
        mon = month_index(m.group(1))
        y = base.year
        if future and mon < base.month:
            y += 1
        elif not future and mon > base.month:
            y -= 1
        return f"{y:04d}-{mon:02d}", "month", True
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
    if kind == "offset":
        n, unit = _count(m.group(1)), m.group(2).lower()
        if unit in ("day", "week"):
            d = base - timedelta(days=n * (7 if unit == "week" else 1))
            return d.isoformat(), unit, True
        if unit == "month":
            y, mo = divmod(base.year * 12 + base.month - 1 - n, 12)
            return f"{y:04d}-{mo + 1:02d}", "month", True
        return f"{base.year - n:04d}", "year", True
    return None


def _count(word: str) -> int:
    """'two', '10', 'a': the count of an offset."""
    word = word.lower()
    return int(word) if word.isdigit() else 1 if word in ("a", "an") else NUMBER_WORDS[word]


class _Shifted:
    """A weekday-and-date match read as the date alone (its groups shifted by one)."""

    def __init__(self, m: re.Match):
        self.m = m

    def group(self, n: int):
        return self.m.group(n + 1)


def _precision(kind: str, m: re.Match) -> str:
    if kind in ("md", "dm", "weekday", "day_word", "wday_md"):
        return "day"
    if kind in ("month_last_year", "in_month"):
        return "month"
    if kind == "rel_unit":
        return {"week": "week", "month": "month", "year": "year"}[m.group(2)]
    if kind == "offset":
        return m.group(2).lower()
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
