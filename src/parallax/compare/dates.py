"""Event dates of statements: which dates a statement reports something on, whether two
statements date one thing alike, and whether a statement tells of an earlier event than the
story's ('In February, a quake killed 612' in a September report)."""

from __future__ import annotations

import re
from datetime import date

from .statements import Statement, memoised

BACKGROUND_DAYS = 14  # an event this long before its article's publication is background


@memoised
def event_times(s: Statement) -> list[dict]:
    """The statement's event dates: not references ('since 1996'), and not a date inside a
    quotation (the speaker's 'yesterday' is not the outlet's)."""
    quoted = [(q["start"], q["end"]) for q in s.quotes]
    return [t for t in s.times if t.get("kind", "event") == "event"
            and not any(a <= t["start"] < b for a, b in quoted)]


def compare_dates(a: Statement, b: Statement):
    """(agreeing pairs, disagreeing pairs, uncertain pairs): event dates of one precision;
    two unplaced expressions agree when they are the same words ('Tuesday' in two undated
    articles), and are uncertain only when one side is placed and the other is not."""
    agree, differ, unsure = [], [], []
    ta, tb = event_times(a), event_times(b)
    for x in ta:
        for y in tb:
            if _bare(x["text"]) == _bare(y["text"]):
                agree.append((x, y))  # the same words ('Nov. 8', 'Tuesday'), however placed
            elif x["value"] and y["value"]:
                if x["precision"] != y["precision"]:
                    continue
                if x["value"] == y["value"]:
                    agree.append((x, y))
                elif not _a_day_apart(x, y):
                    differ.append((x, y))
            elif x["value"] or y["value"]:
                unsure.append((x, y))
    if agree or len(ta) > 1 or len(tb) > 1:
        differ = []  # a shared date, or several: which one the fact is on is not clear
    return agree, differ, unsure


_DAY_WORD = re.compile(r"\b(?:today|yesterday|tomorrow|tonight|this (?:morning|afternoon|evening))\b", re.I)


def _a_day_apart(x: dict, y: dict) -> bool:
    """'today' against 'Monday' a day apart: the outlets' publication days differ by their
    time zones ('10am today' in a Melbourne paper is Monday in Michigan), no disagreement."""
    if x["precision"] != "day" or not (_DAY_WORD.search(x["text"]) or _DAY_WORD.search(y["text"])):
        return False
    dx, dy = _day(x["value"]), _day(y["value"])
    return dx is not None and dy is not None and abs((dx - dy).days) <= 1


_PREPOSITION = re.compile(r"^(?:on|in|at)\s+")


def _bare(text: str) -> str:
    return _PREPOSITION.sub("", text.lower().strip())


def _day(value: str) -> date | None:
    try:
        y, m, d = (value.split("-") + ["28", "28"])[:3]
        return date(int(y), int(m), int(d))
    except (ValueError, TypeError):
        return None


@memoised
def background(s: Statement) -> bool:
    """The statement dates what it tells well before its article was published: an earlier
    event the report recalls, not the story's own (a month precision counts from the month's
    end)."""
    if not s.date:
        return False
    published = _day(s.date[:10])
    if published is None:
        return False
    for t in event_times(s):
        if not t["value"] or t["precision"] not in ("day", "month"):
            continue
        when = _day(t["value"])
        if t["precision"] == "month" and when is not None:
            when = date(when.year + (when.month == 12), when.month % 12 + 1, 1)
        if when is not None and (published - when).days > BACKGROUND_DAYS:
            return True
    return False
