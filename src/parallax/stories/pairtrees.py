"""Gradient-boosted trees over the pair signals, read from JSON and run without pickles.

``bench/train_pair_model.py`` fits scikit-learn's ``HistGradientBoostingClassifier`` and writes
its trees as plain arrays (each node: the signal it tests, the threshold, its two children,
or its leaf value). Here the trees score pairs again: a pair goes left where its signal is at
most the node's threshold, and its log-odds are the baseline plus each tree's leaf value,
added tree by tree in order (as scikit-learn adds them).

Two ways to run them, with the same values: scikit-learn's compiled tree predictor when this
scikit-learn has the one the trees were written for (fast: about 0.3 s for 100,000 pairs),
else a numpy walk of the arrays (about ten times slower). ``tests/test_stories_pairwise.py``
checks that both give the trained classifier's probabilities.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

__all__ = ["TreeEnsemble"]

CHUNK = 50_000  # pairs walked through the trees at a time (numpy path)


@dataclass(frozen=True, eq=False)
class TreeEnsemble:
    """Trees as flat arrays: node ``k`` of the ensemble tests ``feature[k] <= threshold[k]``
    and goes to ``left[k]`` or ``right[k]`` (indices into the same arrays), unless it is a
    leaf, whose ``value[k]`` is added to the log-odds; ``roots`` are the trees' first nodes."""

    feature: np.ndarray
    threshold: np.ndarray
    left: np.ndarray
    right: np.ndarray
    leaf: np.ndarray
    value: np.ndarray
    missing_left: np.ndarray
    roots: np.ndarray
    baseline: float
    _compiled: list = field(default_factory=list, repr=False)

    def __getstate__(self) -> dict:
        """Pickled (to an engine's worker) without the compiled predictors, built again there."""
        return {k: v for k, v in self.__dict__.items() if k != "_compiled"}

    def __setstate__(self, state: dict) -> None:
        for k, v in state.items():
            object.__setattr__(self, k, v)
        object.__setattr__(self, "_compiled", [])

    # -- from and to JSON -----------------------------------------------------------------
    @classmethod
    def from_json(cls, data: dict) -> "TreeEnsemble":
        return cls(np.asarray(data["feature"], dtype=np.int64),
                   np.asarray(data["threshold"], dtype=np.float64),
                   np.asarray(data["left"], dtype=np.int64),
                   np.asarray(data["right"], dtype=np.int64),
                   np.asarray(data["leaf"], dtype=bool),
                   np.asarray(data["value"], dtype=np.float64),
                   np.asarray(data["missing_left"], dtype=bool),
                   np.asarray(data["roots"], dtype=np.int64), float(data["baseline"]))

    def to_json(self) -> dict:
        return {"baseline": self.baseline, "roots": self.roots.tolist(),
                "feature": self.feature.tolist(), "threshold": self.threshold.tolist(),
                "left": self.left.tolist(), "right": self.right.tolist(),
                "leaf": [int(x) for x in self.leaf], "value": self.value.tolist(),
                "missing_left": [int(x) for x in self.missing_left]}

    @classmethod
    def from_sklearn(cls, model: Any) -> "TreeEnsemble":
        """The trees of a fitted binary ``HistGradientBoostingClassifier`` (numeric signals)."""
        parts, roots, offset = [], [], 0
        for (tree,) in model._predictors:
            nodes = tree.nodes
            roots.append(offset)
            parts.append(nodes)
            offset += len(nodes)
        cat = np.concatenate(parts)
        if cat["is_categorical"].any():
            raise ValueError("categorical splits are not supported")
        starts = np.repeat(roots, [len(p) for p in parts])
        leaf = cat["is_leaf"].astype(bool)
        left = np.where(leaf, -1, cat["left"].astype(np.int64) + starts)
        right = np.where(leaf, -1, cat["right"].astype(np.int64) + starts)
        return cls(cat["feature_idx"].astype(np.int64), cat["num_threshold"].astype(np.float64),
                   left, right, leaf, cat["value"].astype(np.float64),
                   cat["missing_go_to_left"].astype(bool), np.asarray(roots, dtype=np.int64),
                   float(np.ravel(model._baseline_prediction)[0]))

    # -- scoring ----------------------------------------------------------------------------
    def probability(self, X: np.ndarray) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-self.log_odds(X)))

    def log_odds(self, X: np.ndarray) -> np.ndarray:
        X = np.ascontiguousarray(X, dtype=np.float64)
        compiled = self._predictors()
        if compiled is not None:
            out = np.full(len(X), self.baseline)
            for predict in compiled:
                out += predict(X)
            return out
        return self.walk(X)

    def walk(self, X: np.ndarray) -> np.ndarray:
        """The numpy walk: every pair down every tree, a chunk of pairs at a time."""
        out = np.full(len(X), self.baseline)
        for s in range(0, len(X), CHUNK):
            x = X[s:s + CHUNK]
            rows = np.arange(len(x))
            for root in self.roots.tolist():
                node = np.full(len(x), root)
                inner = ~self.leaf[node]
                while inner.any():
                    at = node[inner]
                    v = x[rows[inner], self.feature[at]]
                    go_left = np.where(np.isnan(v), self.missing_left[at], v <= self.threshold[at])
                    node[inner] = np.where(go_left, self.left[at], self.right[at])
                    inner = ~self.leaf[node]
                out[s:s + CHUNK] += self.value[node]
        return out

    def _predictors(self) -> list | None:
        """scikit-learn's compiled predictor of each tree, or None where it cannot be built
        (another scikit-learn): the numpy walk gives the same values."""
        if self._compiled:
            return self._compiled[0]
        try:
            from sklearn.ensemble._hist_gradient_boosting.common import (
                PREDICTOR_RECORD_DTYPE, X_BITSET_INNER_DTYPE)
            from sklearn.ensemble._hist_gradient_boosting.predictor import TreePredictor

            empty = np.zeros((0, 8), dtype=X_BITSET_INNER_DTYPE)
            f_idx = np.zeros(int(self.feature.max(initial=0)) + 1, dtype=np.uint32)
            got = []
            ends = self.roots.tolist()[1:] + [len(self.feature)]
            for start, end in zip(self.roots.tolist(), ends):
                nodes = np.zeros(end - start, dtype=PREDICTOR_RECORD_DTYPE)
                leaf = self.leaf[start:end]
                nodes["feature_idx"] = self.feature[start:end]
                nodes["num_threshold"] = self.threshold[start:end]
                nodes["left"] = np.where(leaf, 0, self.left[start:end] - start)
                nodes["right"] = np.where(leaf, 0, self.right[start:end] - start)
                nodes["is_leaf"] = leaf
                nodes["value"] = self.value[start:end]
                nodes["missing_go_to_left"] = self.missing_left[start:end]
                tree = TreePredictor(nodes, empty, empty)
                got.append(lambda X, t=tree: t.predict(X, empty, f_idx, 1))
            probe = np.linspace(-1.0, 1.0, 7 * len(f_idx)).reshape(7, len(f_idx))
            if not np.array_equal(sum((p(probe) for p in got), np.full(7, self.baseline)),
                                  self.walk(probe)):
                got = None  # not the predictor the trees were written for
            self._compiled.append(got)
        except Exception:  # noqa: BLE001 - any other scikit-learn: the walk is the reference
            self._compiled.append(None)
        return self._compiled[0]
