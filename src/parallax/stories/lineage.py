"""Lineage: copies and light rewrites of one report (syndicated wire copy) form one group, and
one article of the group is its origin. A story counts each group once as a source.

Near-duplicates are found with MinHash over word 5-shingles and LSH (datasketch). The origin
is the earliest published member; among equally dated or undated members, the one whose outlet
is the source the others credit ("Source: X", a wire signature); else the fullest text.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from datasketch import MinHash, MinHashLSH

from ..records import Article, LineageMember
from ..store.lineage import LineageIndex, MemoryLineageIndex

SHINGLE = 5
NUM_PERM = 64
_WORDS = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class LineageUpdate:
    """What adding one article did: its group, the group's origin, and the articles whose
    group or origin flag may have changed (the new one; all members when groups merged or the
    origin moved)."""

    group_id: str
    origin: str
    changed: tuple[str, ...]


def minhash(text: str) -> MinHash:
    words = _WORDS.findall(text.lower())
    shingles = {" ".join(words[i:i + SHINGLE]) for i in range(max(1, len(words) - SHINGLE + 1))}
    m = MinHash(num_perm=NUM_PERM, seed=1, permutations=_TEMPLATE.permutations,
                scheme=_TEMPLATE.scheme)
    m.update_batch([s.encode("utf-8") for s in sorted(shingles)])
    return m


_TEMPLATE = MinHash(num_perm=NUM_PERM, seed=1)  # its permutations are made once, not per article


def member_of(article: Article, arrival: int) -> LineageMember:
    return LineageMember(article.id, arrival, article.date, article.outlet,
                         article.credited_source, len(article.text))


class Lineage:
    """MinHash LSH over word shingles (datasketch's MinHash and band layout); the bands and
    groups live in a :class:`LineageIndex`: memory for a batch, the store's tables for an
    archive that grows one ingest at a time."""

    def __init__(self, threshold: float = 0.5, index: LineageIndex | None = None):
        self.index = index if index is not None else MemoryLineageIndex()
        self.ranges = MinHashLSH(threshold=threshold, num_perm=NUM_PERM).hashranges
        self._arrivals = 0

    def band_keys(self, text: str) -> list[int]:
        values = minhash(text).hashvalues
        return [int.from_bytes(hashlib.blake2b(values[a:b].tobytes(), digest_size=8).digest(),
                               "big", signed=True) for a, b in self.ranges]

    def add(self, article: Article, arrival: int | None = None) -> LineageUpdate:
        """Put one article into its group (``arrival``: its place in arrival order; by default
        the order of calls). Joining one group reads only what its origin is chosen from
        (``LineageIndex.origin_pool`` and ``credited``), so a group of thousands of copies
        costs a new member a few rows; bridging groups reads their members."""
        self._arrivals += 1
        member = member_of(article, self._arrivals if arrival is None else arrival)
        keys = self.band_keys(article.text)
        found = self.index.candidate_groups(keys)
        if len(found) > 1:
            return self._bridge(found, member, keys)
        gid = next(iter(found)) if found else article.id
        pool = self.index.origin_pool(gid) if found else []
        credited = self.index.credited(gid) if found else set()
        self.index.insert(member, keys, gid)
        if member.credited_source:
            credited.add(member.credited_source.casefold())
        origin = _pick_origin(pool + [member], credited)
        if origin != self.index.origin(gid):
            self.index.set_origin(gid, origin)
            return LineageUpdate(gid, origin, tuple(self.index.member_ids(gid)))
        return LineageUpdate(gid, origin, (article.id,))

    def _bridge(self, found: set[str], member: LineageMember, keys: list[int]) -> LineageUpdate:
        """The new article bridges several groups: the oldest survives, one lineage."""
        members_of = {gid: self.index.members(gid) for gid in found}
        ordered = sorted(found, key=lambda gid: members_of[gid][0].arrival)
        gid = ordered[0]
        for other in ordered[1:]:
            self.index.regroup(other, gid)
        members = sorted((m for g in ordered for m in members_of[g]), key=lambda m: m.arrival)
        members.append(member)
        self.index.insert(member, keys, gid)
        origin = choose_origin(members)
        self.index.set_origin(gid, origin)
        return LineageUpdate(gid, origin, tuple(m.article_id for m in members))


def choose_origin(members: list[LineageMember]) -> str:
    """The earliest published member; among equally dated (or undated) ones, the outlet the
    others credit; then the fullest text; then the first to arrive."""
    return _pick_origin(members, {a.credited_source.casefold() for a in members
                                  if a.credited_source})


def _pick_origin(members: list[LineageMember], credited: set[str]) -> str:
    """``choose_origin`` given the sources every member of the group credits: ``members``
    need only hold the earliest-dated ones (``LineageIndex.origin_pool``)."""
    dated = [a.date for a in members if a.date]
    earliest = min(dated) if dated else None
    pool = [a for a in members if a.date == earliest] if earliest else list(members)
    by_credit = [a for a in pool if a.outlet and a.outlet.casefold() in credited]
    if by_credit:
        pool = by_credit
    return max(pool, key=lambda a: (a.length, -a.arrival)).article_id
