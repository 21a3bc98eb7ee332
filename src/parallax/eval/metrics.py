"""Clustering metrics: B-cubed, pairwise F1, ARI and V-measure."""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Sequence


def bcubed(gold: Sequence[Hashable], pred: Sequence[Hashable]) -> tuple[float, float, float]:
    """B-cubed precision, recall and F1 (Bagga and Baldwin 1998)."""
    n = len(gold)
    if n == 0:
        return 0.0, 0.0, 0.0
    g, p, both = Counter(gold), Counter(pred), Counter(zip(gold, pred))
    precision = sum(c * c / p[b] for (_a, b), c in both.items()) / n
    recall = sum(c * c / g[a] for (a, _b), c in both.items()) / n
    return precision, recall, _f1(precision, recall)


def pairwise(gold: Sequence[Hashable], pred: Sequence[Hashable]) -> tuple[float, float, float]:
    """Precision, recall and F1 over pairs of items put together."""
    def pairs(counter: Counter) -> int:
        return sum(c * (c - 1) // 2 for c in counter.values())

    together = pairs(Counter(zip(gold, pred)))
    gold_pairs, pred_pairs = pairs(Counter(gold)), pairs(Counter(pred))
    precision = together / pred_pairs if pred_pairs else 1.0
    recall = together / gold_pairs if gold_pairs else 1.0
    return precision, recall, _f1(precision, recall)


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def all_metrics(gold: Sequence[Hashable], pred: Sequence[Hashable]) -> dict[str, float]:
    from sklearn.metrics import adjusted_rand_score, v_measure_score

    bp, br, bf = bcubed(gold, pred)
    _pp, _pr, pf = pairwise(gold, pred)
    return {
        "b3_precision": bp, "b3_recall": br, "b3_f1": bf, "pairwise_f1": pf,
        "ari": float(adjusted_rand_score(gold, pred)),
        "v_measure": float(v_measure_score(gold, pred)),
        "clusters_gold": len(set(gold)), "clusters_pred": len(set(pred)),
    }
