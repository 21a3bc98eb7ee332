"""How far any comparison without an inference model can go on ClaimDiff's `weaken` pairs.

    python bench/claimdiff_ceiling.py

The target (compare_bench.py claimdiff) is `weaken` recall >= 0.5 at precision >= 0.5. This
bound gives a supervised classifier every advantage Parallax's structured comparison does not
have: it is fitted on ClaimDiff train itself (five folds grouped by topic, so each pair is
scored by a model that did not see its topic, but all tuning is on the evaluation corpus),
over the words and word pairs of both claims (every contrast or hedge cue Parallax could name)
and structured features: word overlap, negation and contrast counts on each side, shared and
differing numbers, quotation marks, lengths. It reports, for each regularisation, the best
`weaken` recall at precision >= 0.5 and the best F1 at any threshold.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.corpora import load  # noqa: E402

OUT = Path(__file__).parent / "results"
PRECISION = 0.5
CUES = re.compile(r"\b(?:not|no|never|n't|deny|denied|denies|refuse[sd]?|reject(?:ed|s)?|"
                  r"dispute[sd]?|false|but|however|although|despite|claim(?:ed|s)?|argue[sd]?|"
                  r"critic\w*|accus\w*|allege[sd]?)\b", re.I)
NUMBER = re.compile(r"\d[\d.,]*")
WORD = re.compile(r"\w+")


def structured(a: str, b: str) -> list[float]:
    wa, wb = set(WORD.findall(a.lower())), set(WORD.findall(b.lower()))
    na, nb = set(NUMBER.findall(a)), set(NUMBER.findall(b))
    ca, cb = len(CUES.findall(a)), len(CUES.findall(b))
    return [len(wa & wb) / max(1, len(wa | wb)), ca, cb, abs(ca - cb), len(na & nb),
            len(na ^ nb), float('"' in a), float('"' in b), len(wa) / 50, len(wb) / 50]


def out_of_fold(pairs: list[dict], c: float) -> np.ndarray:
    from scipy.sparse import csr_matrix, hstack
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GroupKFold

    a = np.array([p["claim_a"] for p in pairs], dtype=object)
    b = np.array([p["claim_b"] for p in pairs], dtype=object)
    dense = np.array([structured(p["claim_a"], p["claim_b"]) for p in pairs])
    y = np.array([p["label"] == "weaken" for p in pairs])
    scores = np.zeros(len(pairs))
    for train, test in GroupKFold(5).split(dense, y, [p["topic"] for p in pairs]):
        va = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True).fit(a[train])
        vb = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True).fit(b[train])

        def features(idx):
            return hstack([va.transform(a[idx]), vb.transform(b[idx]),
                           csr_matrix(dense[idx])]).tocsr()

        model = LogisticRegression(C=c, max_iter=2000, class_weight="balanced")
        scores[test] = model.fit(features(train), y[train]).predict_proba(features(test))[:, 1]
    return scores


def main() -> None:
    from sklearn.metrics import precision_recall_curve

    pairs = [p for p in load("claimdiff/pairs.jsonl") if p["split"] == "train"]
    y = np.array([p["label"] == "weaken" for p in pairs])
    report = {"pairs": len(pairs), "weaken": int(y.sum()), "by_regularisation": {}}
    for c in (0.3, 1.0, 3.0, 10.0):
        precision, recall, _ = precision_recall_curve(y, out_of_fold(pairs, c))
        ok = recall[precision >= PRECISION]
        f1 = 2 * precision * recall / np.maximum(precision + recall, 1e-9)
        report["by_regularisation"][str(c)] = {
            f"best_recall_at_precision_{PRECISION}": round(float(ok.max()) if len(ok) else 0.0, 4),
            "best_f1": round(float(f1.max()), 4)}
    print(json.dumps(report, indent=2))
    OUT.mkdir(exist_ok=True)
    (OUT / "claimdiff_ceiling.json").write_text(json.dumps(report, indent=2) + "\n")


if __name__ == "__main__":
    main()
