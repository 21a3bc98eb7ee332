"""The evaluation gate of the understanding stage: the hand-checked cases of
tests/fixtures/understand_gold.jsonl (ECB+ and BASIL sentences, as spans of the corpora in
../shared/data) with recorded floors."""

from __future__ import annotations

from parallax.understand import analyze
from parallax.understand.names import tokens

from .conftest import FIXTURES, corpus_cases

# The cases point into ../shared/data (BASIL's text is copyrighted and stays out of the repository)
CASES = corpus_cases(FIXTURES / "understand_gold.jsonl")
# understand_heldout.jsonl: 27 more quote cases labelled after the rules were written, to check
# they generalise (24/27 right when added; 64/68 = 0.94 with the first set).
CASES += corpus_cases(FIXTURES / "understand_heldout.jsonl")
# Floors: the targets. Measured 0.941 (quotes) and 0.970 (times) when recorded;
# 0.912 and 0.970 since a place is never a speaker (the gold's 'Israel said' case now has none,
# on purpose) and a weekday before a date belongs to the date's expression.
QUOTE_FLOOR, TIME_FLOOR = 0.90, 0.95


def test_enough_cases():
    assert len(CASES) >= 100
    assert {c["kind"] for c in CASES} == {"quote", "time"}
    assert {c["source"].split(":")[0] for c in CASES} == {"ecbplus", "basil"}


def test_quote_speakers_floor():
    quotes = [c for c in CASES if c["kind"] == "quote"]
    right = 0
    for c in quotes:
        found = [q for q in analyze(c["text"]).quotes if q.text[:30] == c["quote"][:30]]
        speaker = found[0].speaker if found else None
        right += bool(speaker) and tokens(speaker)[-1:] == tokens(c["speaker"])[-1:]
    assert right / len(quotes) >= QUOTE_FLOOR


def test_time_resolution_floor():
    times = [c for c in CASES if c["kind"] == "time"]
    right = 0
    for c in times:
        # a weekday before a date is part of the date's expression ('Thursday, March 14, 2013')
        found = [t for t in analyze(c["text"], published=c["published"]).times if c["expr"] in t.text]
        got = (found[0].value, found[0].precision) if found else (None, None)
        right += got == (c["value"], c["precision"])
    assert right / len(times) >= TIME_FLOOR


def test_no_silent_resolution_without_a_publication_date():
    """The same sentences with no publication date: every relative expression stays
    unresolved and says so; only absolute dates get a value."""
    for c in (c for c in CASES if c["kind"] == "time"):
        for t in analyze(c["text"], published=None).times:
            if t.value is not None:
                assert t.resolved_from in ("absolute",) or t.resolved_from.startswith("inferred")
            else:
                assert t.resolved_from.startswith("unresolved")
