"""Alignment: statements from different independent sources that report the same fact.

Similarity = content-word cosine (TF-IDF over the story's statements) plus shared canonical
entities, plus a little for a shared number or date. Pairs inside one lineage group (copies of
one report) are never aligned: copies do not corroborate each other. Groups are built greedily
from the most similar pair down, at most one statement per article in a group."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .statements import Statement


@dataclass(frozen=True)
class AlignParams:
    threshold: float = 0.30  # chosen on ECB+ event chains, train+dev (bench/compare_bench.py)
    entity_weight: float = 0.3
    number_bonus: float = 0.1


def similarity_matrix(statements: list[Statement], p: AlignParams) -> np.ndarray:
    from sklearn.feature_extraction.text import TfidfVectorizer

    n = len(statements)
    if n == 0:
        return np.zeros((0, 0))
    docs = [" ".join(t for t, c in s.terms.items() for _ in range(int(c))) or "_" for s in statements]
    X = TfidfVectorizer(token_pattern=r"\S+", sublinear_tf=True, norm=None).fit_transform(docs)
    dot = (X @ X.T).toarray()
    sq = np.diag(dot).copy()
    sq[sq == 0] = 1.0
    cosine = dot / np.sqrt(np.outer(sq, sq))
    # A short statement wholly inside a longer one ('it was Blinken who requested the meeting'
    # within a sentence that goes on) is the same fact: containment, for statements of 6+ terms.
    containment = dot / np.minimum.outer(sq, sq)
    sizes = np.array([len(s.terms) for s in statements])
    big = np.minimum.outer(sizes, sizes) >= 6
    content = np.where(big, 0.5 * cosine + 0.5 * np.minimum(containment, 1.0), cosine)
    ents = np.zeros((n, n))
    for i in range(n):
        ei = statements[i].entities
        if not ei:
            continue
        for j in range(i + 1, n):
            ej = statements[j].entities
            if ej:
                ents[i, j] = ents[j, i] = len(ei & ej) / len(ei | ej)
    sim = (1 - p.entity_weight) * content + p.entity_weight * ents
    for i in range(n):
        vi = {x["value"] for x in statements[i].numbers} | {t["value"] for t in statements[i].times if t["value"]}
        if not vi:
            continue
        for j in range(i + 1, n):
            vj = {x["value"] for x in statements[j].numbers} | {t["value"] for t in statements[j].times if t["value"]}
            if vi & vj:
                sim[i, j] += p.number_bonus
                sim[j, i] += p.number_bonus
    return sim


def align(statements: list[Statement], p: AlignParams | None = None) -> tuple[list[list[int]], np.ndarray]:
    """Fact groups (lists of statement indices) and the similarity matrix."""
    p = p or AlignParams()
    sim = similarity_matrix(statements, p)
    n = len(statements)
    parent = list(range(n))
    articles = [{statements[i].article} for i in range(n)]

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    pairs = [(sim[i, j], i, j) for i in range(n) for j in range(i + 1, n)
             if sim[i, j] >= p.threshold and statements[i].group != statements[j].group]
    for _s, i, j in sorted(pairs, key=lambda x: (-x[0], x[1], x[2])):
        ri, rj = find(i), find(j)
        if ri == rj or articles[ri] & articles[rj]:
            continue
        parent[rj] = ri
        articles[ri] |= articles[rj]
    groups: dict[int, list[int]] = {}
    for i in range(n):
        groups.setdefault(find(i), []).append(i)
    return list(groups.values()), sim
