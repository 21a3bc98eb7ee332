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
- pair_scorer: the alignment's pair score (the coverage of the smaller statement) used as a pair classifier, each pair judged alone (no
  grouping, so no transitive errors): the best recall at precision >= 0.85 over all
  thresholds, chosen on the evaluation data itself. With ``--embedder``, the same for the
  embedding cosine and for the mean of the two.
- learned (``--learned``): a classifier fitted on the evaluation split itself (five folds
  grouped by story, so it is scored on stories it did not see, but tuned on the same corpus)
  over the alignment's coverage score and the overlap of the pair's verb and noun lemmas and
  canonical entities (spaCy's tagger and lemmatizer, which the shipped pipeline does not run):
  the best recall at precision >= 0.85 such a pair scorer reaches.
"""

from __future__ import annotations

import argparse
import json
import sys
from functools import lru_cache
from itertools import combinations
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.compare_bench import ecb_stories, sentence_statements  # noqa: E402
from parallax.compare.relate import StoryWeights, coverage  # noqa: E402


def coverage_matrix(sts) -> np.ndarray:
    """The pair score the comparison relates statements by: the smaller statement's share of
    informative words the other holds (compare/relate.py), for every pair."""
    w = StoryWeights(sts)
    n = len(sts)
    out = np.zeros((n, n))
    for i in range(n):
        for j in range(i + 1, n):
            out[i, j] = out[j, i] = coverage(w, i, j, sts[i], sts[j])[0]
    return out

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
    """Judged cross-article pairs: gold flag, alignment coverage, embedding cosine."""
    gold_flags, lexical, dense = [], [], []
    for sts, gold in stories:
        sim = coverage_matrix(sts)
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


LIGHT_VERBS = frozenset("be have do say tell make take get go come give include report add state "
                        "accord know see want use find show leave put become seem".split())


@lru_cache(maxsize=1)
def _tagger():
    """The English pipeline with its tagger and lemmatizer (the shipped stage leaves the
    lemmatizer out), loaded once for all stories."""
    import spacy

    from parallax.understand.nlp import FALLBACKS

    for name in ("en_core_web_sm", *FALLBACKS["en_core_web_sm"]):
        try:
            return spacy.load(name, disable=["ner", "parser"])
        except OSError:
            continue
    raise SystemExit("no English spaCy pipeline installed: run `make install`")


def lemma_sets(texts: list[str]) -> list[tuple[set[str], set[str]]]:
    """(verb lemmas but light and reporting verbs, noun lemmas) of each text."""
    out = []
    for doc in _tagger().pipe(texts, batch_size=256):
        out.append(({t.lemma_.lower() for t in doc if t.pos_ == "VERB"} - LIGHT_VERBS,
                    {t.lemma_.lower() for t in doc if t.pos_ == "NOUN"}))
    return out


def pair_features(stories):
    """Judged cross-article pairs: gold flag, story index, and features (best clause-pair
    similarity; shared verb, noun and entity counts and their Jaccard overlaps)."""
    flags, story_of, rows = [], [], []
    for n, (sts, gold) in enumerate(stories):
        if not sts:
            continue
        sim = coverage_matrix(sts)
        lemmas = lemma_sets([s.text for s in sts])
        at = sentence_statements(sts)

        def union(idx, k):
            return set().union(*[lemmas[i][k] for i in idx])

        for a, b in combinations(sorted(gold), 2):
            if a[0] == b[0] or a not in at or b not in at:
                continue
            ia, ib = at[a], at[b]
            va, vb, na, nb = union(ia, 0), union(ib, 0), union(ia, 1), union(ib, 1)
            ea = set().union(*[sts[i].entities for i in ia])
            eb = set().union(*[sts[i].entities for i in ib])
            rows.append([sim[np.ix_(ia, ib)].max(), len(va & vb), len(na & nb), len(ea & eb),
                         len(va & vb) / max(1, len(va | vb)), len(na & nb) / max(1, len(na | nb)),
                         len(ea & eb) / max(1, len(ea | eb))])
            flags.append(bool(gold[a] & gold[b]))
            story_of.append(n)
    return np.array(flags), np.array(story_of), np.array(rows)


def learned_scores(flags: np.ndarray, story_of: np.ndarray, X: np.ndarray) -> np.ndarray:
    """Out-of-fold probabilities of a logistic regression, five folds grouped by story."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GroupKFold

    scores = np.zeros(len(flags))
    for train, test in GroupKFold(5).split(X, flags, story_of):
        model = LogisticRegression(max_iter=2000).fit(X[train], flags[train])
        scores[test] = model.predict_proba(X[test])[:, 1]
    return scores


def best_recall(flags: np.ndarray, scores: np.ndarray, gold_pairs: int, at: float = PRECISION) -> dict:
    """The best recall over all gold pairs (a pair whose sentence has no statement counts as
    missed) at precision ``at`` or more, with that precision and the threshold giving it."""
    order = np.argsort(-scores, kind="stable")
    tp = np.cumsum(flags[order])
    precision = tp / np.arange(1, len(order) + 1)
    ok = np.nonzero(precision >= at)[0]
    if not len(ok):
        return {"recall": 0.0}
    k = ok[-1]
    return {"recall": round(float(tp[k] / gold_pairs), 4),
            "precision": round(float(precision[k]), 4), "threshold": round(float(scores[order][k]), 4)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--split", default="test", choices=["dev", "test"])
    ap.add_argument("--embedder", default="", help="e.g. sentence-transformers (needs `make embeddings`)")
    ap.add_argument("--learned", action="store_true",
                    help="also a classifier over similarity and lemma overlaps, fitted on the split")
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
    if args.learned:
        lflags, story_of, X = pair_features(stories)
        best = report[f"pair_scorer_at_precision_{PRECISION}"]
        best["learned_on_this_split"] = best_recall(lflags, learned_scores(lflags, story_of, X),
                                                    gold_pairs)
        best["learned_on_this_split"].pop("threshold", None)
    print(json.dumps(report, indent=2))
    OUT.mkdir(exist_ok=True)
    suffix = ("_emb" if embedder is not None else "") + ("_learned" if args.learned else "")
    (OUT / f"align_ceiling_{args.split}{suffix}.json").write_text(json.dumps(report, indent=2) + "\n")


if __name__ == "__main__":
    main()
