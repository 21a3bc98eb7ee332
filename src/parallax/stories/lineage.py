"""Lineage: copies and light rewrites of one report (syndicated wire copy) form one group, and
one article of the group is its origin. A story counts each group once as a source.

Near-duplicates are found with MinHash over word 5-shingles and LSH (datasketch). The origin
is the earliest published member; among equally dated or undated members, the one whose outlet
is the source the others credit ("Source: X", a wire signature); else the fullest text.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from datasketch import MinHash, MinHashLSH

from ..records import Article

SHINGLE = 5
NUM_PERM = 64
_WORDS = re.compile(r"\w+")


@dataclass
class Group:
    id: str  # the id of the group's first article
    members: list[Article] = field(default_factory=list)
    origin: str = ""

    @property
    def credit(self) -> str | None:
        """The source the members credit most often (a wire, a 'Source:' line)."""
        credits = Counter(a.credited_source for a in self.members if a.credited_source)
        return credits.most_common(1)[0][0] if credits else None


def minhash(text: str) -> MinHash:
    words = _WORDS.findall(text.lower())
    shingles = {" ".join(words[i:i + SHINGLE]) for i in range(max(1, len(words) - SHINGLE + 1))}
    m = MinHash(num_perm=NUM_PERM, seed=1)
    m.update_batch([s.encode("utf-8") for s in sorted(shingles)])
    return m


class Lineage:
    def __init__(self, threshold: float = 0.5):
        self.lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
        self.groups: dict[str, Group] = {}
        self._group_of: dict[str, str] = {}

    def add(self, article: Article) -> Group:
        m = minhash(article.text)
        found = sorted({self._group_of[k] for k in self.lsh.query(m)},
                       key=lambda gid: list(self.groups).index(gid))
        if found:
            group = self.groups[found[0]]
            for other in found[1:]:  # the new article bridges two groups: one lineage
                group.members.extend(self.groups[other].members)
                for a in self.groups.pop(other).members:
                    self._group_of[a.id] = group.id
        else:
            group = Group(article.id)
            self.groups[group.id] = group
        group.members.append(article)
        self._group_of[article.id] = group.id
        self.lsh.insert(article.id, m)
        group.origin = choose_origin(group.members)
        return group

    def group_of(self, article_id: str) -> Group:
        return self.groups[self._group_of[article_id]]


def choose_origin(members: list[Article]) -> str:
    dated = [a.date for a in members if a.date]
    earliest = min(dated) if dated else None
    pool = [a for a in members if a.date == earliest] if earliest else list(members)
    credited = {a.credited_source.casefold() for a in members if a.credited_source}
    by_credit = [a for a in pool if a.outlet and a.outlet.casefold() in credited]
    if by_credit:
        pool = by_credit
    return max(pool, key=lambda a: (len(a.text), -members.index(a))).id
