"""How alike two statements of a story are, computed a block of rows at a time.

similarity = (1 - entity_weight) * content + entity_weight * entities (+ number_bonus)

- content: TF-IDF cosine over the story's statements. For two statements of 6+ terms it is
  averaged with containment, so a short statement wholly inside a longer one ('it was Blinken
  who requested the meeting' within a sentence that goes on) counts as the same fact.
- entities: Jaccard overlap of the canonical entities.
- number_bonus: added when the two share a number or a resolved date.

A story of 300 long articles has about 8,000 statements. A full matrix of them takes half a
gigabyte for each of the several arrays it is built from. So nothing here holds an n x n
matrix: rows are computed in blocks, and only what the grouping needs is kept (the pairs at
the threshold, each statement's closeness to the rest). A value does not depend on which block
computed it, so any pair asked for later (``sim[i, j]``) is the same number.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

import numpy as np

from .statements import Statement

if TYPE_CHECKING:
    from scipy.sparse import csr_matrix

    from .align import AlignParams

BLOCK_CELLS = 1_000_000  # cells of one block (rows x statements): 8 MB per array


def _incidence(sets: Sequence[set]) -> "csr_matrix":
    """A sparse 0/1 matrix: one row per set, one column per distinct member."""
    from scipy.sparse import csr_matrix  # here, not at import: the CLI starts without it

    ids: dict = {}
    rows, cols = [], []
    for r, members in enumerate(sets):
        for m in members:
            rows.append(r)
            cols.append(ids.setdefault(m, len(ids)))
    return csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(sets), max(1, len(ids))))


def _values(s: Statement) -> set:
    """The numbers and resolved dates of a statement."""
    return {x["value"] for x in s.numbers} | {t["value"] for t in s.times if t["value"]}


class Similarity:
    """The similarity of every pair of a story's statements, computed on demand by blocks.

    ``sim[i, j]`` is one value; ``block(rows, cols)`` a dense block; ``closeness`` the sum of
    each statement's similarity to all the others (computed by ``scan``)."""

    def __init__(self, statements: Sequence[Statement], p: "AlignParams") -> None:
        from scipy.sparse import csr_matrix
        from sklearn.feature_extraction.text import TfidfVectorizer

        self.n = len(statements)
        self.p = p
        docs = [" ".join(t for t, c in s.terms.items() for _ in range(int(c))) or "_"
                for s in statements]
        self.X = (TfidfVectorizer(token_pattern=r"\S+", sublinear_tf=True, norm=None)
                  .fit_transform(docs).tocsr() if self.n else csr_matrix((0, 1)))
        self.sizes = np.array([len(s.terms) for s in statements])
        self.E = _incidence([s.entities for s in statements])
        self.e_sizes = np.array([len(s.entities) for s in statements], dtype=float)
        self.V = _incidence([_values(s) for s in statements])
        own = np.asarray(self.X.multiply(self.X).sum(axis=1)).ravel()  # each row with itself
        self.sq = np.where(own == 0, 1.0, own)
        self.closeness: np.ndarray | None = None

    def _row_blocks(self) -> Iterator[np.ndarray]:
        step = max(1, BLOCK_CELLS // max(1, self.n))
        for a in range(0, self.n, step):
            yield np.arange(a, min(self.n, a + step))

    def block(self, rows: Sequence[int], cols: Sequence[int]) -> np.ndarray:
        """The similarities of ``rows`` x ``cols`` (a statement with itself: its content
        self-similarity, no entity or number part)."""
        rows, cols = np.asarray(rows, dtype=int), np.asarray(cols, dtype=int)
        X, p = self.X, self.p
        dot = (X[rows] @ X[cols].T).toarray()
        sq_r, sq_c = self.sq[rows], self.sq[cols]
        cosine = dot / np.sqrt(np.outer(sq_r, sq_c))
        containment = dot / np.minimum.outer(sq_r, sq_c)
        big = np.minimum.outer(self.sizes[rows], self.sizes[cols]) >= 6
        content = np.where(big, 0.5 * cosine + 0.5 * np.minimum(containment, 1.0), cosine)
        same = rows[:, None] == cols[None, :]
        inter = (self.E[rows] @ self.E[cols].T).toarray()
        inter[same] = 0
        union = np.add.outer(self.e_sizes[rows], self.e_sizes[cols]) - inter
        entities = np.divide(inter, union, out=np.zeros_like(inter), where=union > 0)
        sim = (1 - p.entity_weight) * content + p.entity_weight * entities
        shared = (self.V[rows] @ self.V[cols].T).toarray()
        shared[same] = 0
        sim += p.number_bonus * (shared > 0)
        return sim

    def within(self, groups: Sequence[Sequence[int]]) -> list[np.ndarray]:
        """``block(g, g)`` for each group, computed a batch of groups at a time (one block
        per batch: thousands of small groups cost a few matrix products, not thousands)."""
        out: list[np.ndarray] = []
        batch: list[Sequence[int]] = []
        size, limit = 0, max(1, int(BLOCK_CELLS ** 0.5))

        def flush() -> None:
            rows = [i for g in batch for i in g]
            whole = self.block(rows, rows)
            at = 0
            for g in batch:
                out.append(whole[at:at + len(g), at:at + len(g)])
                at += len(g)
            batch.clear()

        for g in groups:
            if batch and size + len(g) > limit:
                flush()
                size = 0
            batch.append(g)
            size += len(g)
        if batch:
            flush()
        return out

    def __getitem__(self, ij: tuple[int, int]) -> float:
        i, j = ij
        return float(self.block([i], [j])[0, 0])

    def matrix(self) -> np.ndarray:
        """The whole n x n matrix: for small stories (benches, tests) only."""
        everything = np.arange(self.n)
        return self.block(everything, everything)

    def scan(self, threshold: float, groups: Sequence[str]) -> list[tuple[int, int]]:
        """One pass over all rows: the pairs (i < j) at ``threshold`` or above whose statements
        come from different lineage ``groups``, most similar first (ties by i, then j); and
        ``closeness`` on the way."""
        labels = np.array(groups, dtype=object)
        everything = np.arange(self.n)
        closeness = np.zeros(self.n)
        found_i, found_j, found_s = [], [], []
        for rows in self._row_blocks():
            sim = self.block(rows, everything)
            closeness[rows] = sim.sum(axis=1) - sim[np.arange(len(rows)), rows]
            r, j = np.nonzero(sim >= threshold)
            i = rows[r]
            keep = (j > i) & (labels[i] != labels[j])
            found_i.append(i[keep])
            found_j.append(j[keep])
            found_s.append(sim[r[keep], j[keep]])
        self.closeness = closeness
        if not found_i:
            return []
        i, j, s = np.concatenate(found_i), np.concatenate(found_j), np.concatenate(found_s)
        return [(int(i[k]), int(j[k])) for k in np.lexsort((j, i, -s))]
