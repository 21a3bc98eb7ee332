"""What a finding is, and the one difference that is not a check of a fact: two sources
quoting one speaker in other words (a translation, a paraphrase)."""

from __future__ import annotations

from .relate import confident_speaker, jaccard
from .statements import Statement

CONFLICT_TYPES = ("number", "date", "attribution", "quote", "polarity")


def is_conflict(finding: dict | None) -> bool:
    """A conflict: one of the conflict types, and certain (not a difference such as two dates
    one side could not place)."""
    return bool(finding) and finding["type"] in CONFLICT_TYPES and finding.get("certain", True)


def _side(s: Statement, value=None) -> dict:
    return {"article": s.article, "sentence": s.sentence, "source": s.source, "text": s.text,
            "value": value}


def wording_of_quotes(lead: Statement, others: list[Statement]) -> dict | None:
    """Sources that state a fact quoting one speaker in other words ('for as long as it
    takes' / 'whatever is necessary'): shown beside the fact, not a conflict."""
    for other in others:
        for x in lead.quotes:
            for y in other.quotes:
                sx, sy = x.get("speaker"), y.get("speaker")
                if not sx or sx != sy or jaccard(x["text"], y["text"]) >= 0.9:
                    continue
                if not (confident_speaker(x) or confident_speaker(y)) and x.get("attribution") != "inferred":
                    continue
                return {"type": "wording", "why": f"{sx}: “{x['text']}” vs “{y['text']}”",
                        "a": _side(lead, x["text"]), "b": _side(other, y["text"]), "certain": False}
    return None
