"""Fit the pair model of the batch mode ``pairs`` on ECB+ train+dev (never test, never BASIL)
and write it to ``src/parallax/stories/pair_model.json``. It learns from three forms of the
same articles: the full text, the headlines alone and the first paragraphs alone (as
``bench/story_variants.py`` makes them), so that short texts are told apart on their own terms.

    python bench/train_pair_model.py      # ~20 s

A logistic regression over the signals of ``parallax.stories.pairwise`` (standardised). The
average-link threshold is the one that maximises B-cubed F1 on train+dev clustered with
out-of-fold probabilities (five folds grouped by topic: a topic's pairs are never scored by a
model fitted on them), each multiplied by the shipped time factor as the batch mode does; the
threshold maximises the mean of the three forms.
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
from parallax.stories.pairwise import (SIGNALS, PairModel, PairSignals, average_link,  # noqa: E402
                                       time_factors)

OUT = Path(__file__).resolve().parents[1] / "src" / "parallax" / "stories" / "pair_model.json"
THRESHOLDS = [round(x, 3) for x in np.arange(0.3, 0.9, 0.025)]
# The model is fitted on the full texts only (fitted on all three forms it loses BASIL:
# 0.962-0.965 against 0.980); the short forms choose the short-text threshold.
FIT_ON = ("text",)
TEXT_SLACK = 0.01  # the short-text threshold may cost full texts at most this much B-cubed F1
SHORT_THRESHOLDS = [round(x, 3) for x in np.arange(0.5, 1.3, 0.05)]


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


class Variant:
    """One form of the train+dev articles (full text, headlines, first paragraphs): its pairs,
    their signals, labels and folds."""

    def __init__(self, rows: list[dict], text):
        self.rows = [r for r in rows if text(r) is not None]
        sig = PairSignals([Doc(r["id"], text(r), r.get("date")) for r in self.rows],
                          exact=True)
        self.sig, self.X = sig, sig.matrix(SIGNALS)
        self.gold = [r["story"] for r in self.rows]
        self.y = np.array([self.gold[i] == self.gold[j] for i, j in zip(sig.iu, sig.ju)], bool)
        self.prior = time_factors(sig.gap, params_from(None))
        fold = {t: k % 5 for k, t in enumerate(sorted({r["topic"] for r in rows}))}
        self.fi = np.array([fold[self.rows[i]["topic"]] for i in sig.iu], int)
        self.fj = np.array([fold[self.rows[j]["topic"]] for j in sig.ju], int)

    def b3(self, p: np.ndarray, th: float) -> float:
        return b3(self.gold, average_link(len(self.rows), self.sig.iu, self.sig.ju, p, th))


def variants(rows: list[dict]) -> dict[str, Variant]:
    from bench.story_variants import is_headline, lead_paragraph

    return {"text": Variant(rows, lambda r: f"{r.get('title') or ''}\n{r['text']}"),
            "headlines": Variant(rows, lambda r: f"{r['title']}\n" if is_headline(r.get("title"))
                                 else None),
            "leads": Variant(rows, lambda r: f"\n{lead_paragraph(r['text'])}")}


def main() -> None:
    rows = sorted((r for r in load("ecbplus/articles.jsonl") if r["split"] != "test"),
                  key=lambda r: r["id"])
    forms = variants(rows)
    fit_on = [forms[k] for k in FIT_ON]
    X = np.vstack([v.X for v in forms.values()])
    y = np.concatenate([v.y for v in forms.values()])
    fi = np.concatenate([v.fi for v in forms.values()])
    fj = np.concatenate([v.fj for v in forms.values()])
    training = np.concatenate([np.full(len(v.y), v in fit_on) for v in forms.values()])
    oof, done = np.zeros(len(y)), np.zeros(len(y), bool)
    for f in range(5):
        on, score = (fi != f) & (fj != f) & training, ((fi == f) | (fj == f)) & ~done
        scaler, lr = fit(X[on], y[on])
        oof[score] = lr.predict_proba(scaler.transform(X[score]))[:, 1]
        done |= score
    per_form, start = {}, 0
    for name, v in forms.items():
        per_form[name] = np.minimum(1.0, oof[start:start + len(v.y)] * v.prior)
        start += len(v.y)
    # the text threshold first (full reports, what most archives hold), then the threshold of
    # the shortest pairs given it: the best mean over the three forms among those that cost
    # full texts at most TEXT_SLACK
    text = forms["text"]
    threshold = max(THRESHOLDS, key=lambda th: (text.b3(per_form["text"], th), -th))
    by_form = {}
    for short in [th for th in SHORT_THRESHOLDS if th >= threshold]:
        probe = PairModel((), (), (), (), 0.0, threshold, short)
        by_form[short] = {name: v.b3(probe.comparable(per_form[name], v.sig.f["short"]), threshold)
                          for name, v in forms.items()}
    scores = {th: sum(got.values()) / len(got) for th, got in by_form.items()}
    best_text = text.b3(per_form["text"], threshold)
    kept = [th for th, got in by_form.items() if got["text"] >= best_text - TEXT_SLACK]
    threshold_short = max(kept, key=lambda th: (scores[th], -th))
    scaler, lr = fit(X[training], y[training])
    model = {"about": "parallax.stories.pairwise: logistic regression on ECB+ train+dev "
                      "(bench/train_pair_model.py)",
             "signals": list(SIGNALS), "mean": scaler.mean_.round(6).tolist(),
             "scale": scaler.scale_.round(6).tolist(), "coef": lr.coef_[0].round(6).tolist(),
             "intercept": round(float(lr.intercept_[0]), 6), "threshold": threshold,
             "threshold_short": threshold_short,
             "train_dev_out_of_fold_b3_f1": {k: round(v, 4)
                                             for k, v in by_form[threshold_short].items()},
             "pairs": int(len(y)), "positive_pairs": int(y.sum())}
    OUT.write_text(json.dumps(model, indent=2) + "\n")
    print(json.dumps({k: v for k, v in model.items() if k not in ("mean", "scale")}))
    print("out-of-fold B-cubed F1 by the threshold of the shortest pairs (text, headlines, "
          "leads: mean):")
    for th, got in by_form.items():
        print(f"  {th}: " + ", ".join(f"{v:.4f}" for v in got.values()) + f": {scores[th]:.4f}")


if __name__ == "__main__":
    main()
