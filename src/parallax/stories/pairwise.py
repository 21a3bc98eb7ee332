"""Batch mode ``pairs``: a pair model scores every candidate pair of articles, and average-link
clustering over those scores makes the stories.

The online clusterer compares an article with story centroids under one hand-set similarity.
That similarity cannot tell two similar events of one kind apart well (two Oscar host
announcements, two MacBook Pro launches). This mode looks at pairs of articles with more
signals (``stories.pairsignals``: which pairs are compared, and their signals), weighed by
gradient-boosted trees learned on ECB+ train+dev (``stories.pairtrees``;
``bench/train_pair_model.py`` writes ``pair_model.json``; a logistic regression, the model
until 2026-12-07, is read too).

The model's probability is multiplied by the online clusterer's time factor (bonus within the
window, decay beyond it; its settings, not learned here). Average-link then joins stories
while their mean pair probability is at least ``1 - threshold``. Every join needs one pair at
that level, so each connected group of such pairs is clustered on its own. Articles are taken
in a canonical order (article id), so the stories do not depend on arrival order, nor on the
engine the signals were computed on.

Memory: at most n x TOP_K pairs (``pairsignals``). Average-link needs a dense matrix per
connected group: a group larger than MAX_GROUP is first split at a stricter level (its
weakest strong pairs dropped) until each part fits, so memory stays within MAX_GROUP squared.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np

from ..engines import Engine
from .features import Doc
from .online import ClusterParams
from .pairsignals import SIGNALS, PairSignals, time_factors
from .pairtrees import TreeEnsemble
from .rebuild import Progress

__all__ = ["PairModel", "PairSignals", "SIGNALS", "average_link", "bounded_parts",
           "pair_groups", "pair_probabilities", "shipped_model", "time_factors"]

MAX_GROUP = 4_000  # the largest group average-link clusters at once (a dense float64 square)


@dataclass(frozen=True)
class PairModel:
    """A pair classifier over the signals, and the average-link threshold (a distance:
    1 - probability) chosen with it. The classifier: ``trees`` when given (gradient-boosted
    trees), else a logistic regression over standardised signals (``mean``, ``scale``,
    ``coef``, ``intercept``)."""

    signals: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[float, ...]
    intercept: float
    threshold: float
    # The threshold for a pair of the shortest texts (shortness 1); between, it moves linearly
    # with the pair's ``short`` signal. Equal to ``threshold``: one threshold for all.
    threshold_short: float | None = None
    trees: TreeEnsemble | None = None

    @classmethod
    def from_json(cls, data: dict) -> "PairModel":
        trees = TreeEnsemble.from_json(data["trees"]) if data.get("trees") else None
        return cls(tuple(data["signals"]), tuple(data.get("mean", ())),
                   tuple(data.get("scale", ())), tuple(data.get("coef", ())),
                   float(data.get("intercept", 0.0)), float(data["threshold"]),
                   data.get("threshold_short"), trees)

    def comparable(self, p: np.ndarray, short: np.ndarray) -> np.ndarray:
        """Probabilities rescaled so that one threshold serves every pair: a pair of short
        texts, whose own threshold is higher, has its distance (1 - p) shrunk in proportion."""
        if self.threshold_short is None or not len(p):
            return p
        own = self.threshold + (self.threshold_short - self.threshold) * short
        return 1.0 - (1.0 - p) * self.threshold / own

    def probability(self, X: np.ndarray) -> np.ndarray:
        if self.trees is not None:
            return self.trees.probability(X) if len(X) else np.zeros(0)
        z = (X - np.asarray(self.mean)) / np.asarray(self.scale) @ np.asarray(self.coef)
        return 1.0 / (1.0 + np.exp(-(z + self.intercept)))


@lru_cache(maxsize=1)
def shipped_model() -> PairModel:
    text = resources.files(__package__).joinpath("pair_model.json").read_text(encoding="utf-8")
    return PairModel.from_json(json.loads(text))


def pair_probabilities(signals: PairSignals, model: PairModel,
                       params: ClusterParams) -> np.ndarray:
    p = model.probability(signals.matrix(model.signals))
    p = np.minimum(1.0, p * time_factors(signals.gap, params))
    return model.comparable(p, signals.f["short"]) if len(p) else p


def average_link(n: int, iu: np.ndarray, ju: np.ndarray, p: np.ndarray,
                 threshold: float) -> list[list[int]]:
    """Groups of indices: average-link over probabilities ``p`` (distance 1 - p, missing pairs
    0), joining while the distance is below ``threshold``, one connected group at a time
    (a group above MAX_GROUP split first, see ``bounded_parts``)."""
    from sklearn.cluster import AgglomerativeClustering

    groups: list[list[int]] = []
    for idx, ks in bounded_parts(n, iu, ju, p, 1.0 - threshold):
        if len(idx) == 1:
            groups.append(idx)
            continue
        pos = {i: k for k, i in enumerate(idx)}
        P = np.zeros((len(idx), len(idx)))
        for k in ks:
            a, b = pos[int(iu[k])], pos[int(ju[k])]
            P[a, b] = P[b, a] = p[k]
        np.fill_diagonal(P, 1.0)
        labels = AgglomerativeClustering(n_clusters=None, metric="precomputed",
                                         linkage="average",
                                         distance_threshold=threshold).fit_predict(1.0 - P)
        parts: dict[int, list[int]] = {}
        for i, lab in zip(idx, labels.tolist()):
            parts.setdefault(lab, []).append(i)
        groups.extend(parts.values())
    return groups


def bounded_parts(n: int, iu: np.ndarray, ju: np.ndarray, p: np.ndarray,
                  level: float) -> list[tuple[list[int], list[int]]]:
    """The connected groups of pairs with ``p >= level`` (each: its indices and the positions
    of all pairs inside it). Average-link never joins across them: every join needs a pair
    at that level. A group above MAX_GROUP is split again at a stricter level, halfway to 1,
    until every part fits (parts that still do not are cut in index order): an approximation
    only for such giant groups, and the price of memory bounded by MAX_GROUP squared."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    out: list[tuple[list[int], list[int]]] = []
    todo = [(list(range(n)), list(range(len(iu))), level)]
    while todo:
        idx, ks, lev = todo.pop()
        pos = {i: k for k, i in enumerate(idx)}
        a = np.array([pos[int(iu[k])] for k in ks], dtype=np.int64)
        b = np.array([pos[int(ju[k])] for k in ks], dtype=np.int64)
        strong = p[ks] >= lev if ks else np.zeros(0, dtype=bool)
        graph = coo_matrix((np.ones(int(strong.sum())), (a[strong], b[strong])),
                           shape=(len(idx), len(idx)))
        _count, comp = connected_components(graph, directed=False)
        members: dict[int, list[int]] = {}
        for k, c in enumerate(comp.tolist()):
            members.setdefault(c, []).append(idx[k])
        inside: dict[int, list[int]] = {}
        for k, x, y in zip(ks, a.tolist(), b.tolist()):
            if comp[x] == comp[y]:
                inside.setdefault(int(comp[x]), []).append(k)
        for c in sorted(members, reverse=True):
            part, part_ks = members[c], inside.get(c, [])
            if len(part) <= MAX_GROUP:
                out.append((part, part_ks))
            elif lev < 0.999:
                todo.append((part, part_ks, (lev + 1.0) / 2.0))
            else:
                out.extend(_cut(part, part_ks, iu, ju))
    return out


def _cut(idx: list[int], ks: list[int], iu: np.ndarray,
         ju: np.ndarray) -> list[tuple[list[int], list[int]]]:
    """Parts of MAX_GROUP indices in index order, each with the pairs inside it."""
    out = []
    for s in range(0, len(idx), MAX_GROUP):
        part = set(idx[s:s + MAX_GROUP])
        out.append((sorted(part), [k for k in ks if int(iu[k]) in part and int(ju[k]) in part]))
    return out


def pair_groups(docs: Sequence[Doc], params: ClusterParams, model: PairModel | None = None,
                engine: Engine | None = None, notify: Progress | None = None) -> list[list[str]]:
    """The stories of the pair mode: lists of article ids, each in the order given, ordered
    by their first member. The result does not depend on the order given; ``engine`` runs
    the signals' per-article and per-block work, ``notify`` hears its progress."""
    model = model or shipped_model()
    canon = sorted(range(len(docs)), key=lambda k: docs[k].id)
    signals = PairSignals([docs[k] for k in canon], params, engine=engine, notify=notify)
    p = pair_probabilities(signals, model, params)
    groups = average_link(len(canon), signals.iu, signals.ju, p, model.threshold)
    given = [sorted(canon[i] for i in g) for g in groups]
    given.sort(key=lambda g: g[0])
    return [[docs[k].id for k in g] for g in given]
