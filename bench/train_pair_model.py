"""Fit the pair model of the batch mode ``pairs`` on ECB+ train+dev (never test, never BASIL)
and write it to ``src/parallax/stories/pair_model.json``.

    python bench/train_pair_model.py      # ~20 s

A logistic regression over the signals of ``parallax.stories.pairwise`` (standardised). The
average-link threshold is the one that maximises B-cubed F1 on train+dev clustered with
out-of-fold probabilities (five folds grouped by topic: a topic's pairs are never scored by a
model fitted on them), each multiplied by the shipped time factor as the batch mode does.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from bench.corpora import load  # noqa: E402
from parallax.eval.metrics import all_metrics  # noqa: E402
from parallax.stories import params_from  # noqa: E402
from parallax.stories.features import Doc  # noqa: E402
from parallax.stories.pairwise import SIGNALS, PairSignals, average_link, time_factors  # noqa: E402

OUT = Path(__file__).resolve().parents[1] / "src" / "parallax" / "stories" / "pair_model.json"
THRESHOLDS = [round(x, 3) for x in np.arange(0.3, 0.9, 0.025)]


def b3(gold: list[str], groups: list[list[int]]) -> float:
    pred = [""] * len(gold)
    for k, g in enumerate(groups):
        for i in g:
            pred[i] = str(k)
    return all_metrics(gold, pred)["b3_f1"]


def fit(X, y):
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    scaler = StandardScaler().fit(X)
    return scaler, LogisticRegression(max_iter=3000).fit(scaler.transform(X), y)


def main() -> None:
    rows = sorted((r for r in load("ecbplus/articles.jsonl") if r["split"] != "test"),
                  key=lambda r: r["id"])
    sig = PairSignals([Doc(r["id"], f"{r.get('title') or ''}\n{r['text']}", r.get("date"))
                       for r in rows])
    X, gold = sig.matrix(SIGNALS), [r["story"] for r in rows]
    y = np.array([gold[i] == gold[j] for i, j in zip(sig.iu, sig.ju)])
    prior = time_factors(sig.gap, params_from(None))
    fold = {t: k % 5 for k, t in enumerate(sorted({r["topic"] for r in rows}))}
    fi = np.array([fold[rows[i]["topic"]] for i in sig.iu])
    fj = np.array([fold[rows[j]["topic"]] for j in sig.ju])
    oof, done = np.zeros(len(y)), np.zeros(len(y), bool)
    for f in range(5):
        on, score = (fi != f) & (fj != f), ((fi == f) | (fj == f)) & ~done
        scaler, lr = fit(X[on], y[on])
        oof[score] = lr.predict_proba(scaler.transform(X[score]))[:, 1]
        done |= score
    oof = np.minimum(1.0, oof * prior)
    scores = {th: b3(gold, average_link(len(rows), sig.iu, sig.ju, oof, th)) for th in THRESHOLDS}
    threshold = max(scores, key=lambda th: (scores[th], -th))
    scaler, lr = fit(X, y)
    model = {"about": "parallax.stories.pairwise: logistic regression on ECB+ train+dev "
                      "(bench/train_pair_model.py)",
             "signals": list(SIGNALS), "mean": scaler.mean_.round(6).tolist(),
             "scale": scaler.scale_.round(6).tolist(), "coef": lr.coef_[0].round(6).tolist(),
             "intercept": round(float(lr.intercept_[0]), 6), "threshold": threshold,
             "train_dev_out_of_fold_b3_f1": round(scores[threshold], 4),
             "pairs": int(len(y)), "positive_pairs": int(y.sum())}
    OUT.write_text(json.dumps(model, indent=2) + "\n")
    print(json.dumps({k: v for k, v in model.items() if k not in ("mean", "scale")}))
    print("out-of-fold B-cubed F1 by threshold:",
          json.dumps({str(k): round(v, 4) for k, v in scores.items()}))


if __name__ == "__main__":
    main()
