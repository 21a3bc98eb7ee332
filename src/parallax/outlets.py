"""Who speaks: the outlet of an article, and the independent voices of a story.

A story's articles are grouped into *voices*: articles of one outlet are one voice (its later
articles update it, they do not corroborate it), and copies of one report (one lineage group)
are one voice. An article without an outlet is named by the source it credits ('EFE'). A
credit line alone does not join two outlets ('The Associated Press contributed to this
report' is not a copy); copies are what lineage finds. The number of independent sources a
reader is shown is the number of voices, everywhere: the story list, the story page, the
comparison, the exports and the API.

An article with no known outlet (no outlet, no credited source) is its own voice: nothing says
it shares an outlet with another, and saying so would merge what may be two sources. It is
named 'unknown outlet' and marked as such.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

UNKNOWN = "unknown outlet"
_WWW = re.compile(r"^(?:https?://)?(?:www\d?\.|m\.|mobile\.)?", re.I)
_SPACES = re.compile(r"[\s_]+")


@dataclass(frozen=True, slots=True)
class Speaker:
    """What the voices are made of, for one article."""

    article: str
    outlet: str | None  # the publishing outlet (a name or a domain)
    credited: str | None  # a wire or source the text credits ('EFE', 'Source: Reuters')
    lineage: str | None  # the lineage group (copies of one report share it)


def outlet_key(name: str | None) -> str | None:
    """A comparable form of an outlet name: case, 'www.' and punctuation ignored
    ('www.NYTimes.com' and 'nytimes.com' are one)."""
    if not name:
        return None
    key = _WWW.sub("", name.strip().lower()).rstrip("/")
    key = _SPACES.sub(" ", key)
    return key or None


def display_name(outlet: str | None, credited: str | None) -> str:
    """The name a reader sees: the outlet, else the credited source, else 'unknown outlet'."""
    return outlet or credited or UNKNOWN


def voices(speakers: Sequence[Speaker]) -> dict[str, str]:
    """Article id -> voice id (the id of the voice's first article). Two articles are one
    voice when they share an outlet (the credited source standing in for a missing outlet) or
    a lineage group; the relation is closed over chains (an outlet's copy of another's report
    joins that outlet)."""
    parent = {s.article: s.article for s in speakers}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(a: str, b: str) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb, key=order.__getitem__)] = min(ra, rb, key=order.__getitem__)

    order = {s.article: n for n, s in enumerate(speakers)}
    first: dict[tuple[str, str], str] = {}
    for s in speakers:
        for kind, value in (("outlet", outlet_key(s.outlet or s.credited)),
                            ("lineage", s.lineage)):
            if value is None:
                continue
            seen = first.setdefault((kind, value), s.article)
            union(seen, s.article)
    return {s.article: find(s.article) for s in speakers}


def count_voices(speakers: Sequence[Speaker]) -> int:
    return len(set(voices(speakers).values()))


def outlet_names(speakers: Iterable[Speaker]) -> list[str]:
    """The distinct outlets a story's articles come from, as a reader names them (one name per
    outlet, however its articles spell it), sorted."""
    return sorted(outlet_counts(speakers), key=str.casefold)


def outlet_counts(speakers: Iterable[Speaker]) -> dict[str, int]:
    """Each outlet once, by the first name its articles use, with how many articles it has."""
    names: dict[str, str] = {}
    counts: dict[str, int] = {}
    for s in speakers:
        name = display_name(s.outlet, s.credited)
        name = names.setdefault(outlet_key(name) or name, name)
        counts[name] = counts.get(name, 0) + 1
    return counts
