"""Fit the pair model of the batch mode ``pairs`` on ECB+ train+dev (never test, never BASIL)
and write it to ``src/parallax/stories/pair_model.json``. It learns from three forms of the
same articles: the full text, the headlines alone and the first paragraphs alone (as
``bench/story_variants.py`` makes them), so that short texts are told apart on their own terms.

    python bench/train_pair_model.py                      # ~40 s
    python bench/train_pair_model.py --search             # the trees' settings, ~4 min
    python bench/train_pair_model.py --fit-on text        # fitted on full texts only (until 2026-12-07, latest)
    python bench/train_pair_model.py --learner logistic --fit-on text   # the model until 2026-12-07

Gradient-boosted trees (scikit-learn's ``HistGradientBoostingClassifier``, fixed seed, no
early stopping: the same file on every run) over the signals of ``parallax.stories.pairwise``,
written as arrays that ``parallax.stories.pairtrees`` reads; or, with ``--learner logistic``,
a logistic regression over the standardised signals. The model is fitted on the pairs of all
three forms (``--fit-on all``, the default), or of the full texts only (``--fit-on text``);
the trees' settings (TREES_BY_FIT) are the best mean out-of-fold B-cubed F1 over the three forms in
a grid (``--search``), for each. The
average-link threshold is the one that maximises B-cubed F1 on train+dev clustered with
out-of-fold probabilities (five folds grouped by topic: a topic's pairs are never scored by a
model fitted on them), each multiplied by the shipped time factor as the batch mode does; the
threshold maximises the mean of the three forms.
"""

from __future__ import annotations

import argparse
import itertools
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
from parallax.stories.pairtrees import TreeEnsemble  # noqa: E402
from parallax.stories.pairwise import (SIGNALS, PairModel, PairSignals, average_link,  # noqa: E402
                                       time_factors)

OUT = Path(__file__).resolve().parents[1] / "src" / "parallax" / "stories" / "pair_model.json"
THRESHOLDS = [round(x, 3) for x in np.arange(0.3, 0.9, 0.025)]
# The forms whose pairs the model is fitted on (--fit-on): all three by default (the best
# out-of-fold mean, 0.856 against 0.843 fitted on the full texts only, 2026-12-07 latest; with
# the logistic regression the full texts only were kept). Every form chooses the thresholds.
FIT_CHOICES = {"all": ("text", "headlines", "leads"), "text": ("text",)}
TEXT_SLACK = 0.01  # the short-text threshold may cost full texts at most this much B-cubed F1
SHORT_THRESHOLDS = [round(x, 3) for x in np.arange(0.5, 1.3, 0.05)]
# chosen by --search (2026-12-07, latest): out-of-fold text / headlines / leads 0.933 / 0.904 /
# 0.731 fitted on all three forms; fitted on the full texts only, the best was 200 trees, rate
# 0.05, 15 leaves (0.918 / 0.891 / 0.719)
TREES_BY_FIT = {
    "all": {"max_iter": 100, "learning_rate": 0.1, "max_leaf_nodes": 31, "min_samples_leaf": 20},
    "text": {"max_iter": 200, "learning_rate": 0.05, "max_leaf_nodes": 15, "min_samples_leaf": 20}}
SEARCH = [{"max_iter": it, "learning_rate": lr, "max_leaf_nodes": leaves, "min_samples_leaf": least}
          for it, lr, leaves, least in itertools.product([100, 200, 400], [0.05, 0.1],
                                                         [7, 15, 31], [20, 100])]


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


class Learner:
    """Fits the pair classifier on the pairs of the forms named by ``fit_on`` (a key of
    FIT_CHOICES): ``scores(X)`` of the fitted model, ``json()`` its part of pair_model.json."""

    def __init__(self, kind: str, fit_on: str = "all", trees: dict | None = None):
        self.kind, self.fit_on = kind, FIT_CHOICES[fit_on]
        self.settings = trees or TREES_BY_FIT[fit_on]

    def fit_forms(self, forms: dict[str, "Variant"]) -> "Learner":
        """Fitted on all the pairs of its forms."""
        fitted = [forms[k] for k in self.fit_on]
        return self.fit(np.vstack([v.X for v in fitted]), np.concatenate([v.y for v in fitted]))

    def fit(self, X, y) -> "Learner":
        if self.kind == "logistic":
            self.scaler, self.lr = fit(X, y)
        else:
            from sklearn.ensemble import HistGradientBoostingClassifier

            self.trees = TreeEnsemble.from_sklearn(HistGradientBoostingClassifier(
                early_stopping=False, random_state=0, **self.settings).fit(X, y))
        return self

    def scores(self, X) -> np.ndarray:
        if self.kind == "logistic":
            return self.lr.predict_proba(self.scaler.transform(X))[:, 1]
        return self.trees.probability(X)

    def json(self) -> dict:
        if self.kind == "logistic":
            return {"about": "parallax.stories.pairwise: logistic regression on ECB+ train+dev "
                             "(bench/train_pair_model.py --learner logistic)",
                    "mean": self.scaler.mean_.round(6).tolist(),
                    "scale": self.scaler.scale_.round(6).tolist(),
                    "coef": self.lr.coef_[0].round(6).tolist(),
                    "intercept": round(float(self.lr.intercept_[0]), 6)}
        return {"about": "parallax.stories.pairwise: gradient-boosted trees "
                         "(HistGradientBoostingClassifier) on ECB+ train+dev "
                         "(bench/train_pair_model.py)", "learner": "trees",
                "settings": self.settings}


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


def out_of_fold(forms: dict[str, Variant], learner: Learner) -> dict[str, np.ndarray]:
    """Each form's pair probabilities from models fitted on the other folds' pairs of the
    learner's forms (a topic's pairs are never scored by a model fitted on them), times the
    time factor."""
    fit_on = [forms[k] for k in learner.fit_on]
    X = np.vstack([v.X for v in forms.values()])
    y = np.concatenate([v.y for v in forms.values()])
    fi = np.concatenate([v.fi for v in forms.values()])
    fj = np.concatenate([v.fj for v in forms.values()])
    training = np.concatenate([np.full(len(v.y), v in fit_on) for v in forms.values()])
    oof, done = np.zeros(len(y)), np.zeros(len(y), bool)
    for f in range(5):
        on, score = (fi != f) & (fj != f) & training, ((fi == f) | (fj == f)) & ~done
        oof[score] = learner.fit(X[on], y[on]).scores(X[score])
        done |= score
    per_form, start = {}, 0
    for name, v in forms.items():
        per_form[name] = np.minimum(1.0, oof[start:start + len(v.y)] * v.prior)
        start += len(v.y)
    return per_form


def thresholds(forms: dict[str, Variant], per_form: dict[str, np.ndarray]):
    """The text threshold first (full reports, what most archives hold), then the threshold
    of the shortest pairs given it: the best mean over the three forms among those that cost
    full texts at most TEXT_SLACK. Returns (threshold, threshold_short, B-cubed F1 by form at
    each threshold_short)."""
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
    return threshold, threshold_short, by_form


def search(forms: dict[str, Variant], fit_on: str) -> None:
    """The trees' settings: out-of-fold B-cubed F1 of each in SEARCH (text, headlines, leads,
    mean), best mean last."""
    rows = []
    for settings in SEARCH:
        per_form = out_of_fold(forms, Learner("trees", fit_on, settings))
        th, short, by_form = thresholds(forms, per_form)
        got = by_form[short]
        rows.append((sum(got.values()) / 3, settings, th, short, got))
        print(json.dumps(settings), th, short,
              ", ".join(f"{v:.4f}" for v in got.values()), f"{rows[-1][0]:.4f}", flush=True)
    best = max(rows, key=lambda r: (round(r[0], 6), -r[1]["max_iter"]))
    print("best:", json.dumps(best[1]), f"{best[0]:.4f}")


def write(model: dict, trees: TreeEnsemble | None) -> None:
    """One key a line (the trees' arrays each on one line)."""
    items = list(model.items()) + ([("trees", trees.to_json())] if trees else [])
    OUT.write_text("{\n" + ",\n".join(f"  {json.dumps(k)}: {json.dumps(v, separators=(', ', ': '))}"
                                       for k, v in items) + "\n}\n")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--learner", choices=("trees", "logistic"), default="trees")
    ap.add_argument("--search", action="store_true", help="score the trees' settings in SEARCH")
    ap.add_argument("--fit-on", choices=tuple(FIT_CHOICES), default="all",
                    help="the forms whose pairs the model is fitted on")
    args = ap.parse_args()
    rows = sorted((r for r in load("ecbplus/articles.jsonl") if r["split"] != "test"),
                  key=lambda r: r["id"])
    forms = variants(rows)
    if args.search:
        search(forms, args.fit_on)
        return
    learner = Learner(args.learner, args.fit_on)
    threshold, threshold_short, by_form = thresholds(forms, out_of_fold(forms, learner))
    learner.fit_forms(forms)
    model = learner.json() | {
        "signals": list(SIGNALS), "fit_on": list(learner.fit_on), "threshold": threshold,
        "threshold_short": threshold_short,
        "train_dev_out_of_fold_b3_f1": {k: round(v, 4) for k, v in by_form[threshold_short].items()},
        "pairs": int(sum(len(v.y) for v in forms.values())),
        "positive_pairs": int(sum(v.y.sum() for v in forms.values()))}
    write(model, learner.trees if args.learner == "trees" else None)
    print(json.dumps(model))
    print("out-of-fold B-cubed F1 by the threshold of the shortest pairs (text, headlines, "
          "leads: mean):")
    for th, got in by_form.items():
        print(f"  {th}: " + ", ".join(f"{v:.4f}" for v in got.values())
              + f": {sum(got.values()) / len(got):.4f}")


if __name__ == "__main__":
    main()
