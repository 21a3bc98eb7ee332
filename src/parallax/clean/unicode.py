"""Repair mojibake and broken entities with ftfy, keeping curly quotes and widths as published."""

from __future__ import annotations

import difflib
import re

import ftfy

from .base import Change, Context, lines

_CONFIG = ftfy.TextFixerConfig(
    uncurl_quotes=False,  # the outlet's typography is not an error
    fix_character_width=False,
    fix_latin_ligatures=False,
    fix_line_breaks=False,  # the runner sees lines; the reader normalised newlines
    normalization="NFC",
    explain=False,
)
_ENTITY = re.compile(r"&(?:[a-zA-Z]{2,8}|#\d{2,5}|#x[0-9a-fA-F]{2,4});")


def fix_unicode(text: str, ctx: Context) -> list[Change]:
    changes: list[Change] = []
    for line in lines(text):
        s = line.text
        if s.isascii() and "&" not in s:
            continue
        if s.isascii() and not _ENTITY.search(s):
            continue
        fixed = ftfy.fix_text(s, config=_CONFIG)
        if fixed == s:
            continue
        matcher = difflib.SequenceMatcher(None, s, fixed, autojunk=False)
        for op, i1, i2, j1, j2 in matcher.get_opcodes():
            if op != "equal":
                changes.append(Change(line.start + i1, line.start + i2, fixed[j1:j2]))
    return changes
