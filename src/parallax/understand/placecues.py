"""Words that tell a name as a place whatever the tagger said: 'the southern city of Khan
Younis', 'the Bureij refugee camp', 'a Bukit Sama village resident'. The small English
model tags many such names as people or organisations; a speaker or a count's subject is
never one of them."""

from __future__ import annotations

import re

# places smaller than a story's: a count told of one is a part of the event's
_LOCAL_NOUNS = r"camp|village|district|neighbou?rhood|suburb|regency"
_NOUNS = rf"city|town|province|region|county|state|capital|island|port|{_LOCAL_NOUNS}"


def _after(nouns: str) -> re.Pattern:
    """The words after a name that make it one of ``nouns``: ' refugee camp', ' district',
    ' Sama village' (a name the tagger cut short)."""
    return re.compile(rf"^(?:\s+[A-Z][\w'-]+){{0,2}}\s+(?:refugee\s+)?(?:{nouns})\b")


# the words before a name: 'the city of ', 'the province of '
BEFORE = re.compile(rf"\b(?:{_NOUNS}) of\s+$", re.I)
AFTER = _after(_NOUNS)
LOCAL = _after(_LOCAL_NOUNS)


def told_as_place(text: str, start: int, end: int) -> bool:
    """The name at ``text[start:end]`` is told as a place by the words around it."""
    return bool(BEFORE.search(text[max(0, start - 30):start]) or AFTER.match(text[end:end + 40]))


def told_as_local(text: str, start: int, end: int) -> bool:
    """The name at ``text[start:end]`` is a camp, a village, a district ('the Bureij refugee
    camp', 'Central Aceh district'): a part of where a story happens."""
    return bool(LOCAL.match(text[end:end + 40]))
