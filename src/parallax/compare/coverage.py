"""Which statement pairs of a story share enough to be about one thing, computed a block of
rows at a time (a 300-article story has about 8,000 statements: no n x n matrix is held).

For two statements, with each word weighed by its story IDF (``relate.StoryWeights``):
the *smaller* coverage is the share of the lighter statement's weight that the other holds,
the *larger* coverage the share of the heavier one's, and *common* the number of words they
share. :func:`relate.relate` decides from these and the checkable parts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .relate import StoryWeights
from .statements import Statement

BLOCK_CELLS = 1_000_000  # cells of one block (rows x statements): 8 MB per array


@dataclass(frozen=True, slots=True)
class Pair:
    i: int
    j: int  # i < j
    small: float
    large: float
    common: int

    @property
    def cov(self) -> tuple[float, float, int]:
        return self.small, self.large, self.common


def scan(statements: Sequence[Statement], weights: StoryWeights, min_small: float,
         min_common: int = 2, only: Sequence[int] | None = None) -> list[Pair]:
    """Every pair (i < j) whose smaller coverage is at least ``min_small`` with at least
    ``min_common`` words in common, most covered first (ties by i, then j); ``only``: among
    these statements (indices) alone."""
    from scipy.sparse import csr_matrix

    index = list(only) if only is not None else list(range(len(statements)))
    n = len(index)
    if n < 2:
        return []
    vocab: dict[str, int] = {}
    rows, cols, vals = [], [], []
    for r, s in enumerate(statements[k] for k in index):
        for t in s.terms:
            rows.append(r)
            cols.append(vocab.setdefault(t, len(vocab)))
            vals.append(weights.idf[t])
    shape = (n, max(1, len(vocab)))
    mass_all = weights.mass
    weighted = csr_matrix((np.array(vals, dtype=float), (rows, cols)), shape=shape)
    binary = csr_matrix((np.ones(len(rows)), (rows, cols)), shape=shape)
    mass = np.array([mass_all[k] for k in index], dtype=float)
    parts: list[tuple[np.ndarray, ...]] = []  # (i, j, small, large, common) of each block
    step = max(1, BLOCK_CELLS // n)
    for a in range(0, n, step):
        block = np.arange(a, min(n, a + step))
        shared = (weighted[block] @ binary.T).toarray()  # Σ idf of the words both hold
        common = (binary[block] @ binary.T).toarray()
        lo = np.minimum.outer(mass[block], mass)
        hi = np.maximum.outer(mass[block], mass)
        small = np.divide(shared, lo, out=np.zeros_like(shared), where=lo > 0)
        large = np.divide(shared, hi, out=np.zeros_like(shared), where=hi > 0)
        r, j = np.nonzero((small >= min_small) & (common >= min_common))
        keep = j > block[r]
        r, j = r[keep], j[keep]
        parts.append((block[r], j, small[r, j], large[r, j], common[r, j]))
    if not parts:
        return []
    i, j, small, large, common = (np.concatenate(x) for x in zip(*parts))
    pos = np.asarray(index)
    i, j = pos[i], pos[j]
    order = np.lexsort((j, i, -large, -small))  # most covered first, ties by i, then j
    return [Pair(int(x), int(y), float(s), float(g), int(c)) for x, y, s, g, c in
            zip(i[order].tolist(), j[order].tolist(), small[order].tolist(),
                large[order].tolist(), common[order].tolist())]


MAX_TOLL_STATEMENTS = 400  # a story's first statements with a toll compared pairwise


def toll_pairs(statements: Sequence[Statement], weights: StoryWeights,
               seen: set[tuple[int, int]]) -> list[Pair]:
    """Pairs of statements of two articles that each give a toll ('killing 10', 'three people
    killed') and are not in ``seen``: a story's tolls are compared whatever else the two
    statements say (at most the first MAX_TOLL_STATEMENTS of them)."""
    from .quantities import has_toll
    from .relate import coverage

    with_toll = [i for i, s in enumerate(statements) if s.numbers and has_toll(s)][:MAX_TOLL_STATEMENTS]
    out = []
    for n, i in enumerate(with_toll):
        for j in with_toll[n + 1:]:
            if (i, j) in seen or statements[i].article == statements[j].article:
                continue  # (one voice's two articles: a revision, when they differ)
            small, large, common = coverage(weights, i, j, statements[i], statements[j])
            out.append(Pair(i, j, small, large, common))
    return out
