"""Whitespace: trailing spaces, runs of spaces, more than one blank line, leading and trailing
blank lines. Runs last so that removed lines leave no holes."""

from __future__ import annotations

import re

from .base import Change, Context

_PATTERNS = (
    (re.compile(r"[ \t\u00a0]+(?=\n)|[ \t\u00a0]+\Z"), ""),  # trailing spaces
    (re.compile(r"(?<=\S)[ \t]{2,}(?=\S)"), " "),  # runs of spaces inside a line
    (re.compile(r"\n{3,}"), "\n\n"),  # at most one blank line
    (re.compile(r"\A\s+"), ""),  # leading blank space
    (re.compile(r"\s+\Z"), ""),  # trailing blank space
)


def normalize_whitespace(text: str, ctx: Context) -> list[Change]:
    changes: dict[int, Change] = {}
    for pattern, repl in _PATTERNS:
        for m in pattern.finditer(text):
            if m.group() != repl and not any(c.start < m.end() and m.start() < c.end for c in changes.values()):
                changes[m.start()] = Change(m.start(), m.end(), repl)
    return list(changes.values())
