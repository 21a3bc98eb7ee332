"""How far fact alignment can go on ECB+ event chains, measured with oracles.

    python bench/align_ceiling.py [--split dev|test] [--embedder sentence-transformers]

The alignment target (compare_bench.py ecb: precision >= 0.85, recall >= 0.60 over
cross-article sentence pairs that share a gold event chain) is measured against bounds no real
run can beat:

- all_in_one: every judged sentence of a story in one group. Its precision is the share of
  judged pairs that share a chain (the main event dominates), its recall 1.
- one_per_article: the most gold pairs any grouping with at most one statement per article in
  a group can hold (a maximum bipartite matching per pair of articles, a sentence split into
  clauses counting once per clause: an upper bound), as a share of all gold pairs.
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

from bench.compare_bench import ecb_stories, sentence_statements  # noqa: E402
from parallax.compare.align import AlignParams  # noqa: E402
from parallax.compare.similarity import Similarity  # noqa: E402

OUT = Path(__file__).parent / "results"
PRECISION = 0.85


def one_per_article_bound(stories) -> tuple[float, int]:
    """The bound, and the number of gold pairs (as compare_bench.ecb counts them)."""
    total = held = 0
    for sts, gold in stories:
        keys = sorted(gold)
        docs = sorted({k[0] for k in keys})
        # a sentence split into clauses can sit in as many groups as it has clauses
        slots = {k: max(1, len(v)) for k, v in sentence_statements(sts).items()}
        for a, b in combinations(keys, 2):
            total += a[0] != b[0] and bool(gold[a] & gold[b])
        for d1, d2 in combinations(docs, 2):
            left = [k for k in keys if k[0] == d1]
            right = [k for k in keys if k[0] == d2]
            edges = [(x, y) for x in range(len(left)) for y in range(len(right))
                     if gold[left[x]] & gold[right[y]]]
            if edges:
                held += _most_pairs(edges, [slots.get(k, 1) for k in left],
                                    [slots.get(k, 1) for k in right])
    return held / total, total


def _most_pairs(edges, left_slots, right_slots) -> int:
    """The most gold pairs of two articles that groups can hold: a maximum flow where each
    pair is used once and each sentence in at most as many groups as it has statements."""
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import maximum_flow

    nl, nr = len(left_slots), len(right_slots)
    sink = 1 + nl + nr
    rows, cols, caps = [], [], []
    for x, c in enumerate(left_slots):
        rows.append(0), cols.append(1 + x), caps.append(c)
    for y, c in enumerate(right_slots):
        rows.append(1 + nl + y), cols.append(sink), caps.append(c)
    for x, y in edges:
        rows.append(1 + x), cols.append(1 + nl + y), caps.append(1)
    graph = csr_matrix((np.array(caps, dtype=np.int32), (rows, cols)), shape=(sink + 1, sink + 1))
    return int(maximum_flow(graph, 0, sink).flow_value)


def pair_scores(stories, embedder=None):
    """Judged cross-article pairs: gold flag, alignment similarity, embedding cosine."""
    gold_flags, lexical, dense = [], [], []
    for sts, gold in stories:
        sim = Similarity(sts, AlignParams()).matrix()
        if embedder is not None:
            from parallax.stories.embeddings import embed_docs

            vecs = embed_docs(embedder, [s.text for s in sts])
            cos = vecs @ vecs.T
        at = sentence_statements(sts)
        for a, b in combinations(sorted(gold), 2):
            if a[0] == b[0] or a not in at or b not in at:
                continue
            # a sentence split into clauses scores as its best-matching clause pair
            ij = np.ix_(at[a], at[b])
            gold_flags.append(bool(gold[a] & gold[b]))
            lexical.append(sim[ij].max())
            dense.append(cos[ij].max() if embedder is not None else 0.0)
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
