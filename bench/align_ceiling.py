"""How far fact alignment can go on ECB+ event chains, measured with oracles.

    python bench/align_ceiling.py [--split dev|test] [--embedder sentence-transformers]

The alignment target (compare_bench.py ecb: precision >= 0.85, recall >= 0.60 over
cross-article sentence pairs that share a gold event chain) is measured against bounds no real
run can beat:

- all_in_one: every judged sentence of a story in one group. Its precision is the share of
  judged pairs that share a chain (the main event dominates), its recall 1.
- one_per_article: the most gold pairs any grouping with at most one statement per article in
  a group can hold (a maximum bipartite matching per pair of articles, an upper bound), as a
  share of all gold pairs.
- pair_scorer: the alignment similarity used as a pair classifier, each pair judged alone (no
  grouping, so no transitive errors): the best recall at precision >= 0.85 over all
  thresholds, chosen on the evaluation data itself. With ``--embedder``, the same for the
  embedding cosine and for the mean of the two.
"""

from __future__ import annotations

import argparse
import json
import sys
from itertools import combinations
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.compare_bench import ecb_stories  # noqa: E402
from parallax.compare.align import AlignParams, similarity_matrix  # noqa: E402

OUT = Path(__file__).parent / "results"
PRECISION = 0.85


def one_per_article_bound(stories) -> tuple[float, int]:
    """The bound, and the number of gold pairs (as compare_bench.ecb counts them)."""
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import maximum_bipartite_matching

    total = held = 0
    for _sts, gold in stories:
        keys = sorted(gold)
        docs = sorted({k[0] for k in keys})
        for a, b in combinations(keys, 2):
            total += a[0] != b[0] and bool(gold[a] & gold[b])
        for d1, d2 in combinations(docs, 2):
            left = [k for k in keys if k[0] == d1]
            right = [k for k in keys if k[0] == d2]
            m = np.array([[1 if gold[x] & gold[y] else 0 for y in right] for x in left])
            if m.sum():
                held += int((maximum_bipartite_matching(csr_matrix(m), perm_type="column") >= 0).sum())
    return held / total, total


def pair_scores(stories, embedder=None):
    """Judged cross-article pairs: gold flag, alignment similarity, embedding cosine."""
    gold_flags, lexical, dense = [], [], []
    for sts, gold in stories:
        sim = similarity_matrix(sts, AlignParams())
        if embedder is not None:
            from parallax.stories.embeddings import embed_docs

            vecs = embed_docs(embedder, [s.text for s in sts])
            cos = vecs @ vecs.T
        at = {(s.source, s.sentence): i for i, s in enumerate(sts)}
        for a, b in combinations(sorted(gold), 2):
            i, j = at.get(a), at.get(b)
            if a[0] == b[0] or i is None or j is None:
                continue
            gold_flags.append(bool(gold[a] & gold[b]))
            lexical.append(sim[i, j])
            dense.append(cos[i, j] if embedder is not None else 0.0)
    return np.array(gold_flags), np.array(lexical), np.array(dense)


def best_recall(flags: np.ndarray, scores: np.ndarray, gold_pairs: int) -> dict:
    """Recall over all gold pairs (a pair whose sentence has no statement counts as missed)."""
    order = np.argsort(-scores, kind="stable")
    tp = np.cumsum(flags[order])
    precision = tp / np.arange(1, len(order) + 1)
    ok = np.nonzero(precision >= PRECISION)[0]
    if not len(ok):
        return {"recall": 0.0}
    k = ok[-1]
    return {"recall": round(float(tp[k] / gold_pairs), 4),
            "precision": round(float(precision[k]), 4), "threshold": round(float(scores[order][k]), 4)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--split", default="test", choices=["dev", "test"])
    ap.add_argument("--embedder", default="", help="e.g. sentence-transformers (needs `make embeddings`)")
    args = ap.parse_args()
    stories = ecb_stories(args.split)
    embedder = None
    if args.embedder:
        from parallax.stories.embeddings import get_embedder

        embedder = get_embedder(args.embedder)
    flags, lexical, dense = pair_scores(stories, embedder)
    bound, gold_pairs = one_per_article_bound(stories)
    report = {"split": args.split, "gold_pairs": gold_pairs, "scored_pairs": int(len(flags)),
              "all_in_one": {"precision": round(float(flags.mean()), 4), "recall": 1.0},
              "one_per_article": {"recall_at_most": round(bound, 4)},
              f"pair_scorer_at_precision_{PRECISION}": {
                  "alignment_similarity": best_recall(flags, lexical, gold_pairs)}}
    if embedder is not None:
        best = report[f"pair_scorer_at_precision_{PRECISION}"]
        best["embedding_cosine"] = best_recall(flags, dense, gold_pairs)
        best["mean_of_both"] = best_recall(flags, (lexical + dense) / 2, gold_pairs)
    print(json.dumps(report, indent=2))
    OUT.mkdir(exist_ok=True)
    suffix = "_emb" if embedder is not None else ""
    (OUT / f"align_ceiling_{args.split}{suffix}.json").write_text(json.dumps(report, indent=2) + "\n")


if __name__ == "__main__":
    main()
