"""Typed checks between two aligned statements: number, date, attribution, quote, polarity,
and the milder 'wording' difference. Each returns the evidence a reader needs to see why."""

from __future__ import annotations

import re
from typing import Any

from ..understand.names import same_person
from .statements import Statement

_WORD = re.compile(r"[a-z0-9']+")
CONFLICT_TYPES = ("number", "date", "attribution", "quote", "polarity")


def is_conflict(finding: dict | None) -> bool:
    """A conflict: one of the conflict types, and certain (not a difference such as two dates
    one side could not place)."""
    return bool(finding) and finding["type"] in CONFLICT_TYPES and finding.get("certain", True)


def _words(text: str) -> set[str]:
    return set(_WORD.findall(text.lower()))


def _jaccard(a: str, b: str) -> float:
    wa, wb = _words(a), _words(b)
    return len(wa & wb) / len(wa | wb) if wa | wb else 0.0


def _side(s: Statement, value: Any = None) -> dict[str, Any]:
    return {"article": s.article, "sentence": s.sentence, "source": s.source, "text": s.text,
            "value": value}


def _versus(a: Statement, said_a: str, b: Statement, said_b: str) -> str:
    """Which source says what: 'EFE “last month” / La Voz de Galicia “two days”'."""
    return f"{a.source} “{said_a}” / {b.source} “{said_b}”"


def compatible_numbers(x: dict, y: dict) -> bool:
    """Equal within rounding (5%), or one is a bound the other respects ('less than ten
    minutes' and 'nine minutes')."""
    a, b = x["value"], y["value"]
    if abs(a - b) <= 0.05 * max(abs(a), abs(b)):
        return True
    for bound, other in ((x, b), (y, a)):
        if bound.get("upper") is not None and other <= bound["upper"]:
            return True
        if bound.get("lower") is not None and other >= bound["lower"]:
            return True
    return False


def same_quantity(x: dict, y: dict) -> bool:
    if x.get("unit") != y.get("unit"):
        return False
    cx, cy = x.get("counted"), y.get("counted")
    if cx and cy:
        return bool(_words(cx) & _words(cy))
    return x.get("unit") is not None


def number_conflict(a: Statement, b: Statement) -> dict | None:
    for x in a.numbers:
        for y in b.numbers:
            if same_quantity(x, y) and not compatible_numbers(x, y):
                what = x.get("counted") or x.get("unit")
                return {"type": "number",
                        "why": _versus(a, x["text"], b, y["text"]) + (f" ({what})" if what else ""),
                        "a": _side(a, x["value"]), "b": _side(b, y["value"])}
    return None


def date_conflict(a: Statement, b: Statement) -> dict | None:
    for x in a.times:
        for y in b.times:
            if x["value"] and y["value"] and x["precision"] == y["precision"] \
                    and x["value"] != y["value"] and x["precision"] in ("day", "month"):
                why = _versus(a, x["text"], b, y["text"]) + f" ({x['value']} / {y['value']})"
                return {"type": "date", "why": why, "a": _side(a, x["value"]),
                        "b": _side(b, y["value"])}
    return None


def quote_checks(a: Statement, b: Statement) -> dict | None:
    for x in a.quotes:
        for y in b.quotes:
            overlap = _jaccard(x["text"], y["text"])
            sx, sy = x.get("speaker"), y.get("speaker")
            if overlap >= 0.5 and sx and sy and not same_person(sx, sy) and sx != sy:
                return {"type": "attribution",
                        "why": f"the same words given to {sx} ({a.source}) and to {sy} ({b.source})",
                        "a": _side(a, sx), "b": _side(b, sy)}
            if sx and sy and (sx == sy or same_person(sx, sy)) and overlap < 0.9:
                kind = "quote" if _substance_differs(x["text"], y["text"]) else "wording"
                return {"type": kind, "why": f"{sx}: “{x['text']}” vs “{y['text']}”",
                        "a": _side(a, x["text"]), "b": _side(b, y["text"])}
    return None


def _substance_differs(x: str, y: str) -> bool:
    nx, ny = set(re.findall(r"\d+", x)), set(re.findall(r"\d+", y))
    neg = re.compile(r"\b(?:not|no|never|n't)\b", re.I)
    return (nx != ny and nx and ny) or bool(neg.search(x)) != bool(neg.search(y))


def polarity_conflict(a: Statement, b: Statement, similarity: float) -> dict | None:
    if a.negated != b.negated and similarity >= 0.45:
        yes, no = (b, a) if a.negated else (a, b)
        return {"type": "polarity", "why": f"{yes.source} affirms what {no.source} denies",
                "a": _side(yes, "affirms"), "b": _side(no, "denies")}
    return None


def wording_difference(a: Statement, b: Statement, similarity: float) -> dict | None:
    """Aligned, but each says something the other does not: shown to a reader, not a conflict."""
    wa, wb = set(a.terms), set(b.terms)
    only_a, only_b = wa - wb, wb - wa
    if similarity < 0.5 and len(only_a) >= 3 and len(only_b) >= 3:
        return {"type": "wording", "why": "the accounts differ: "
                + ", ".join(sorted(only_a)[:5]) + " / " + ", ".join(sorted(only_b)[:5]),
                "a": _side(a), "b": _side(b)}
    return None


def unclear_dates(a: Statement, b: Statement) -> dict | None:
    """Both place the fact in time but cannot be compared ('last month' against 'two days
    after'): not a conflict, a difference a reader should check."""
    ta, tb = _when(a), _when(b)
    if not ta or not tb:
        return None
    va = {t.get("value") for t in a.times if t.get("value")}
    vb = {t.get("value") for t in b.times if t.get("value")}
    if va and vb and va & vb:
        return None
    return {"type": "date", "certain": False,
            "why": _versus(a, ", ".join(x["text"] for x in ta), b, ", ".join(x["text"] for x in tb)),
            "a": _side(a), "b": _side(b)}


def _when(s: Statement) -> list[dict]:
    """What places a statement in time: its times, and spans of days to years ('two days')."""
    return s.times + [n for n in s.numbers if n.get("unit") in ("day", "week", "month", "year")]


def check_pair(a: Statement, b: Statement, similarity: float) -> dict | None:
    """The strongest finding for one aligned pair, or None."""
    return (number_conflict(a, b) or date_conflict(a, b) or quote_checks(a, b)
            or polarity_conflict(a, b, similarity) or unclear_dates(a, b)
            or wording_difference(a, b, similarity))
