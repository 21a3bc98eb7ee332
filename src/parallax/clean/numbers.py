"""Numbers split by a stray space, as text rebuilt from tokens writes them ('$1, 099',
'4. 6 magnitude', '2: 09 a. m.'): read as they stand, '$1, 099' is a dollar and 99 more, and
'3. 0' the number 0. Only patterns that cannot be two numbers are joined (a day of a month
before a count stays: 'Jan. 1, 100 people')."""

from __future__ import annotations

import re

from .base import Change, Context

_PATTERNS = (
    # '$1, 099', '$2, 199' (a currency amount with a split thousands group)
    (re.compile(r"(?<=[$€£]\d)(, )(?=\d{3}\b)|(?<=[$€£]\d\d)(, )(?=\d{3}\b)|(?<=[$€£]\d\d\d)(, )(?=\d{3}\b)"), ","),
    # '4. 6 magnitude', '3. 0 ports', '2. 7GHz', '1. 2 miles' (a decimal point before a
    # lower-case word, a unit or a hyphen; never before a capital that opens a sentence)
    (re.compile(r"(?<=(?<![\d.])\d)(\. )(?=\d{1,2}(?:\s?(?:[a-z%-]|GHz|MHz|GB|TB|MB)|$))|"
                r"(?<=(?<![\d.])\d\d)(\. )(?=\d{1,2}(?:\s?(?:[a-z%-]|GHz|MHz|GB|TB|MB)|$))"), "."),
    # '2: 09', '11: 51' (a time of day)
    (re.compile(r"(?<=\b\d)(: )(?=\d\d\b)|(?<=\b\d\d)(: )(?=\d\d\b)"), ":"),
    # 'a. m.', 'p. m.', 'U. S.', 'U. N.'
    (re.compile(r"(?<=\b[apAP]\.)( )(?=[mM]\.)|(?<=\bU\.)( )(?=[SN]\.)"), ""),
)


_CHAIN = re.compile(r"(?<![\d,])\d{1,3}(?:, \d{3}){2,}\b")  # '5, 184, 000'
# one split thousands group: '230, 000 people', 'about 1, 500 houses', '2, 129 points'; not a
# height and weight ('5 - foot - 11, 220 pounds'), a day of a month ('Jan. 1, 100 people'), a
# decimal or a list of numbers ('1, 2, 3'; '11, 220' after a hyphen)
_GROUP = re.compile(r"(?<![\w,.$€£-])(?<!- )(\d{1,3})(, )(?=\d{3}\b(?![,.]\s?\d))")
_MONTH_BEFORE = re.compile(r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s$", re.I)


def join_spaced_numbers(text: str, ctx: Context) -> list[Change]:
    changes: dict[int, Change] = {}
    for m in _CHAIN.finditer(text):  # a chain of thousands groups: one number
        for sep in re.finditer(r", ", m.group()):
            changes[m.start() + sep.start()] = Change(m.start() + sep.start(), m.start() + sep.end(), ",")
    for m in _GROUP.finditer(text):
        if not _MONTH_BEFORE.search(text[max(0, m.start() - 12):m.start()]):
            changes[m.start(2)] = Change(m.start(2), m.end(2), ",")
    for pattern, repl in _PATTERNS:
        for m in pattern.finditer(text):
            g = next(i for i in range(1, (m.lastindex or 0) + 1) if m.group(i) is not None) \
                if m.lastindex else 0
            start, end = m.span(g)
            if not any(c.start < end and start < c.end for c in changes.values()):
                changes[start] = Change(start, end, repl)
    return list(changes.values())
