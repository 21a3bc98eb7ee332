"""Alignment: statements from different independent sources that report the same fact.

Similarity (``similarity.py``): content words, shared canonical entities, and a little for a
shared number or date. Pairs inside one lineage group (copies of one report) are never
aligned: copies do not corroborate each other. Groups are built greedily from the most similar
pair down, at most one statement per article in a group."""

from __future__ import annotations

from dataclasses import dataclass

from .similarity import Similarity
from .statements import Statement


@dataclass(frozen=True)
class AlignParams:
    threshold: float = 0.30  # chosen on ECB+ event chains, train+dev (bench/compare_bench.py)
    entity_weight: float = 0.3
    number_bonus: float = 0.1


def align(statements: list[Statement],
          p: AlignParams | None = None) -> tuple[list[list[int]], Similarity]:
    """Fact groups (lists of statement indices) and the similarity (``sim[i, j]``, and each
    statement's ``closeness`` to the others)."""
    p = p or AlignParams()
    sim = Similarity(statements, p)
    pairs = sim.scan(p.threshold, [s.group for s in statements])
    n = len(statements)
    parent = list(range(n))
    articles = [{statements[i].article} for i in range(n)]

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, j in pairs:
        ri, rj = find(i), find(j)
        if ri == rj or articles[ri] & articles[rj]:
            continue
        parent[rj] = ri
        articles[ri] |= articles[rj]
    groups: dict[int, list[int]] = {}
    for i in range(n):
        groups.setdefault(find(i), []).append(i)
    return list(groups.values()), sim
