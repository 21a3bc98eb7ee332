"""How far can story clustering on these features go on ECB+? Upper bounds with oracles.

    python bench/cluster_ceiling.py        # writes bench/results/cluster_ceiling.json

Each bound uses the features the shipped clusterer uses (content-word terms and name runs
from ``parallax.stories.features``, TF-IDF weighted) and lets an oracle choose what no real
run can know:

- ``global_threshold``: average-link agglomerative clustering of all 982 articles with the
  distance threshold that maximises B-cubed F1 on the evaluation data itself;
- ``gold_topics_bisect``: the gold topics given, each split recursively in two (k-means on
  TF-IDF weighted inside the topic) while the halves' centroids are less similar than a
  threshold, again the best threshold on the evaluation data;
- ``gold_topics_two_each``: the gold topics given and the oracle count of two stories per
  topic (k-means, k=2, inside each topic).

The shipped online clusterer gets 0.869 and the batch mode 0.873 (docs/benchmarks.md).
"""

from __future__ import annotations

import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from bench.corpora import load  # noqa: E402
from parallax.eval.metrics import all_metrics  # noqa: E402
from parallax.stories.features import names, terms  # noqa: E402

OUT = Path(__file__).parent / "results" / "cluster_ceiling.json"


def tfidf(counters: list[Counter]):
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.feature_extraction.text import TfidfTransformer
    from sklearn.preprocessing import normalize

    return normalize(TfidfTransformer(sublinear_tf=True).fit_transform(
        DictVectorizer().fit_transform(counters)))


def features(texts: list[str]) -> list[Counter]:
    return [Counter({"c:" + k: v for k, v in terms(t).items()})
            + Counter({"n:" + k: v for k, v in names(t).items()}) for t in texts]


def scored(gold: list[str], pred: list[str]) -> dict:
    m = all_metrics(gold, pred)
    return {k: round(m[k], 4) for k in ("b3_precision", "b3_recall", "b3_f1")} | {
        "clusters_pred": len(set(pred))}


def global_threshold(feats, gold) -> dict:
    from sklearn.cluster import AgglomerativeClustering

    X = tfidf(feats)
    dist = np.maximum(0.0, 1.0 - (X @ X.T).toarray())
    best = None
    for th in np.arange(0.5, 0.96, 0.025):
        lab = AgglomerativeClustering(n_clusters=None, metric="precomputed", linkage="average",
                                      distance_threshold=th).fit_predict(dist)
        r = scored(gold, [str(x) for x in lab]) | {"oracle_threshold": round(float(th), 3)}
        if best is None or r["b3_f1"] > best["b3_f1"]:
            best = r
    return best


def two_means(X):
    from sklearn.cluster import KMeans

    return KMeans(2, n_init=10, random_state=0).fit_predict(X)


def bisect(idx, feats, limit):
    if len(idx) < 4:
        return [idx]
    X = tfidf([feats[i] for i in idx])
    lab = two_means(X)
    halves = [[i for i, lb in zip(idx, lab) if lb == k] for k in (0, 1)]
    if min(map(len, halves)) < 2:
        return [idx]
    ca, cb = (np.asarray(X[lab == k].mean(0)).ravel() for k in (0, 1))
    if ca @ cb / (np.linalg.norm(ca) * np.linalg.norm(cb)) >= limit:
        return [idx]
    return bisect(halves[0], feats, limit) + bisect(halves[1], feats, limit)


def gold_topics(feats, gold, topics, mode) -> dict:
    by_topic = defaultdict(list)
    for i, t in enumerate(topics):
        by_topic[t].append(i)
    best = None
    for limit in ([None] if mode == "two" else [0.2, 0.3, 0.4, 0.5, 0.6]):
        pred = [""] * len(gold)
        for t, idx in by_topic.items():
            if mode == "two":
                lab = two_means(tfidf([feats[i] for i in idx]))
                parts = [[i for i, lb in zip(idx, lab) if lb == k] for k in (0, 1)]
            else:
                parts = bisect(idx, feats, limit)
            for k, part in enumerate(parts):
                for i in part:
                    pred[i] = f"{t}_{k}"
        r = scored(gold, pred) | ({"oracle_threshold": limit} if limit else {})
        if best is None or r["b3_f1"] > best["b3_f1"]:
            best = r
    return best


def main() -> None:
    rows = load("ecbplus/articles.jsonl")
    feats = features([f"{r.get('title') or ''}\n{r['text']}" for r in rows])
    gold = [r["story"] for r in rows]
    topics = [r["topic"] for r in rows]
    result = {
        "corpus": "ecbplus (982 articles, 86 gold stories in 43 topics)",
        "global_threshold": global_threshold(feats, gold),
        "gold_topics_bisect": gold_topics(feats, gold, topics, "bisect"),
        "gold_topics_two_each": gold_topics(feats, gold, topics, "two"),
    }
    OUT.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
