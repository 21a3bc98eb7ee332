"""An experiment (issue 23, deliver 2): the pair model online, each new article scored against
its candidates as it arrives. Not shipped: on ECB+ train+dev it does not beat the online
default (docs/benchmarks.md, "The pair model online, tried"). Reproduce:

    .venv/bin/python bench/online_pairs.py          # ~4 min, bench/results/online_pairs.json

The batch pair mode (``stories.pairwise``) sees the whole archive at once: its IDF, every
article's nearest articles, average-link over all pairs. Online, an article meets only what
came before it, so each of those is kept as it grows:

- document frequencies of each kind of term (content words, names, numbers, bigrams, the
  lead's words and names), counted as articles arrive: a pair's cosines weigh terms by the IDF
  of the archive so far, as the batch weighs them by the archive's;
- each open article's nearest articles (``NEIGHBOURS``), updated when a nearer one arrives:
  the local cosines count their IDF there, as the batch does;
- an inverted index of each open article's heaviest terms (``PROBE_TERMS``, as the batch's
  search), whose postings are the candidates: the ``TOP_K`` best by cosine times time factor.

A new article joins the story whose members it is most like on average (the mean of the pair
model's probabilities over all the story's members, a member not among its candidates
counting 0: average-link's rule for a single article), when that mean reaches
``1 - threshold``; then any other story its candidates hold is merged in when the mean
probability over all pairs between the two reaches the same level (average-link's rule for two
stories). Otherwise it founds a story. The time factor, the short-text threshold and the
closing of old stories are those of the other modes.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

from parallax.eval.clusters import arrival_order, load_labelled  # noqa: E402
from parallax.eval.metrics import all_metrics  # noqa: E402
from parallax.stories.features import Doc  # noqa: E402
from parallax.stories.online import CLOSE_EVERY, RECENT, ClusterParams, story_id_for  # noqa: E402
from parallax.stories.pairsignals import (CANDIDATE, NEIGHBOURS, PROBE_TERMS,  # noqa: E402
                                          SHORT_TERMS, TOP_K, article_features, joined,
                                          time_factors)
from parallax.stories.pairwise import PairModel, shipped_model  # noqa: E402

KINDS = ("words", "names", "numbers", "bigrams", "lead", "lead_names", "joined")
TFIDF_SIGNALS = ("content", "names", "numbers", "bigrams", "lead", "lead_names")
MAX_POSTINGS = 2_000  # most recent open articles kept per index term


class _Terms:
    """One kind of term: ids and document frequencies that grow as articles arrive."""

    def __init__(self):
        self.ids: dict[str, int] = {}
        self.df = np.zeros(1024, dtype=np.float64)

    def encode(self, counts) -> tuple[np.ndarray, np.ndarray]:
        """An article's (sorted term ids, 1 + log counts); its terms' frequencies counted."""
        ids = self.ids
        idx = np.fromiter((ids.setdefault(t, len(ids)) for t in counts), dtype=np.int64,
                          count=len(counts))
        if len(ids) > len(self.df):
            self.df = np.concatenate([self.df, np.zeros(max(len(ids), len(self.df)))])
        tf = 1.0 + np.log(np.fromiter(counts.values(), dtype=np.float64, count=len(counts)))
        order = np.argsort(idx)
        idx, tf = idx[order], tf[order]
        self.df[idx] += 1.0
        return idx, tf


@dataclass(eq=False, slots=True)
class _Article:
    id: str
    num: int
    rows: tuple  # per kind: (sorted term ids, 1 + log counts)
    years: frozenset
    length: float
    day: float  # ordinal, NaN when undated
    probe: dict  # heaviest content terms -> weight (unit length), at arrival
    story: str = ""
    near: list = field(default_factory=list)  # [(cosine, num)], best first, at most NEIGHBOURS
    links: dict = field(default_factory=dict)  # num -> pair probability (comparable)


def _cos(a: tuple[np.ndarray, np.ndarray], b: tuple[np.ndarray, np.ndarray]) -> float:
    """Cosine of two weighted rows (sorted ids, weights)."""
    if not len(a[0]) or not len(b[0]):
        return 0.0
    _common, ia, ib = np.intersect1d(a[0], b[0], assume_unique=True, return_indices=True)
    if not len(ia):
        return 0.0
    na, nb = math.sqrt(float(a[1] @ a[1])), math.sqrt(float(b[1] @ b[1]))
    return float(a[1][ia] @ b[1][ib]) / (na * nb) if na and nb else 0.0


class OnlinePairClusterer:
    """Stories as articles arrive, by the pair model (see the module's text)."""

    def __init__(self, params: ClusterParams | None = None, model: PairModel | None = None,
                 level: float | None = None, merge: bool = True):
        """``level``: the mean probability a join needs (default: the batch's, 1 - the
        model's threshold); ``merge``: join two stories an article links (average-link)."""
        self.p = params or ClusterParams()
        self.model = model or shipped_model()
        self.level = 1.0 - self.model.threshold if level is None else level
        self.merge = merge
        self.kinds = {k: _Terms() for k in KINDS}
        self.n = 0  # articles whose terms are counted (the IDF's document count)
        self._num = 0  # articles placed
        self.articles: dict[int, _Article] = {}  # open articles by number
        self.postings: dict[int, deque] = {}
        self.stories: dict[str, list[int]] = {}  # open story -> member numbers
        self.story_of: dict[str, str] = {}  # every article id -> story id
        self.closed: dict[str, list[str]] = {}
        self.last_day: dict[str, float] = {}
        self.recent: deque = deque(maxlen=RECENT)
        self._since_close = 0

    # -- one article ------------------------------------------------------------------------
    def add(self, doc: Doc) -> str:
        """Place one article; returns its story id."""
        x = self._article(doc)
        cands = self._candidates(x)
        self._neighbours(x, cands)
        scored = self._score(x, [c for c, _ in cands[:TOP_K]])
        self._place(x, scored)
        self._index(x)
        self._close_old(x)
        return x.story

    def assignments(self) -> dict[str, str]:
        return dict(self.story_of)

    def _article(self, doc: Doc) -> _Article:
        f = article_features(doc.text)
        counts = (f.words, f.names, f.numbers, f.bigrams, f.lead, f.lead_names,
                  joined(f.words, f.names))
        rows = tuple(self.kinds[k].encode(c) for k, c in zip(KINDS, counts))
        self.n += 1
        idx, tf = rows[0]
        w = tf * self._idf("words", idx)
        keep = np.lexsort((idx, -w))[:PROBE_TERMS]
        norm = math.sqrt(float(w[keep] @ w[keep])) or 1.0
        probe = {int(t): float(v) / norm for t, v in zip(idx[keep], w[keep])}
        day = float(doc.day.toordinal()) if doc.day else math.nan
        self._num += 1
        return _Article(doc.id, self._num - 1, rows, frozenset(f.years),
                        float(min(len(f.words), SHORT_TERMS)), day, probe)

    def _idf(self, kind: str, idx: np.ndarray) -> np.ndarray:
        return np.log((1.0 + self.n) / (1.0 + self.kinds[kind].df[idx])) + 1.0

    def _candidates(self, x: _Article) -> list[tuple[_Article, float]]:
        """Open articles sharing a probe term with x and a probe cosine above CANDIDATE,
        with that cosine, best (cosine x time factor) first."""
        acc: dict[int, float] = {}
        for t, w in x.probe.items():
            for num, v in self.postings.get(t, ()):
                acc[num] = acc.get(num, 0.0) + w * v
        found = [(self.articles[num], c) for num, c in acc.items()
                 if c > CANDIDATE and num in self.articles]
        if not found:
            return []
        gaps = np.array([abs(x.day - a.day) for a, _ in found])
        rank = np.array([c for _, c in found]) * time_factors(gaps, self.p)
        order = sorted(range(len(found)), key=lambda k: (-rank[k], found[k][0].num))
        return [found[k] for k in order]

    def _neighbours(self, x: _Article, cands: list[tuple[_Article, float]]) -> None:
        """x's nearest articles (by probe cosine), and x among theirs where it is nearer."""
        best = sorted(cands, key=lambda ac: (-ac[1], ac[0].num))[:NEIGHBOURS - 1]
        x.near = [(c, a.num) for a, c in best]
        for a, c in cands:
            if len(a.near) < NEIGHBOURS - 1 or c > a.near[-1][0]:
                a.near.append((c, x.num))
                a.near.sort(key=lambda e: (-e[0], e[1]))
                del a.near[NEIGHBOURS - 1:]

    def _local(self, center: _Article, others: list[_Article]) -> np.ndarray:
        """Cosines of ``center`` with each of ``others`` (words and names, 1 + log counts)
        weighed by the IDF counted over center's nearest articles and itself."""
        top = [center.rows[6][0]] + [self.articles[num].rows[6][0] for _c, num in center.near
                                     if num in self.articles]
        terms, counts = np.unique(np.concatenate(top), return_counts=True)

        def weighted(a: _Article) -> tuple[np.ndarray, np.ndarray]:
            idx, tf = a.rows[6]
            pos = np.searchsorted(terms, idx)
            pos = np.minimum(pos, len(terms) - 1)
            cnt = np.where(terms[pos] == idx, counts[pos], 0)
            return idx, tf * np.log((1.0 + len(top)) / (1.0 + cnt))

        mine = weighted(center)
        return np.array([_cos(mine, weighted(b)) for b in others])

    def _score(self, x: _Article, cands: list[_Article]) -> list[tuple[_Article, float]]:
        """Each candidate with the pair model's probability (time factor and short-text
        threshold applied, as ``pairwise.pair_probabilities``)."""
        if not cands:
            return []
        f = {}
        for name, k, kind in zip(TFIDF_SIGNALS, range(6), KINDS):
            idx, tf = x.rows[k]
            mine = (idx, tf * self._idf(kind, idx))
            f[name] = np.array([_cos(mine, (b.rows[k][0], b.rows[k][1]
                                            * self._idf(kind, b.rows[k][0]))) for b in cands])
        overlap, disjoint = [], []
        for b in cands:
            if x.years and b.years:
                shared = len(x.years & b.years)
                overlap.append(shared / len(x.years | b.years))
                disjoint.append(float(shared == 0))
            else:
                overlap.append(-1.0)
                disjoint.append(0.0)
        f["years_overlap"], f["years_disjoint"] = np.array(overlap), np.array(disjoint)
        mine = self._local(x, cands)
        theirs = np.array([self._local(b, [x])[0] for b in cands])
        f["local_mean"], f["local_min"] = (mine + theirs) / 2.0, np.minimum(mine, theirs)
        X = np.column_stack([f[k] for k in self.model.signals])
        p = self.model.probability(X)
        gaps = np.array([abs(x.day - b.day) for b in cands])
        p = np.minimum(1.0, p * time_factors(np.nan_to_num(gaps, nan=-1.0), self.p))
        short = 1.0 - np.sqrt(np.minimum(x.length, np.array([b.length for b in cands]))
                              / SHORT_TERMS)
        p = self.model.comparable(p, short)
        return list(zip(cands, p.tolist()))

    # -- stories ----------------------------------------------------------------------------
    def _place(self, x: _Article, scored: list[tuple[_Article, float]]) -> None:
        self.articles[x.num] = x
        for b, p in scored:
            if p > 0:
                x.links[b.num] = p
                b.links[x.num] = p
        sums: dict[str, float] = {}
        for b, p in scored:
            sums[b.story] = sums.get(b.story, 0.0) + p
        means = {sid: s / len(self.stories[sid]) for sid, s in sums.items()}
        fits = sorted((sid for sid, m in means.items() if m >= self.level),
                      key=lambda sid: (-means[sid], sid))
        if not fits:
            x.story = story_id_for(x.id)
            self.stories[x.story] = [x.num]
        else:
            x.story = fits[0]
            self.stories[x.story].append(x.num)
            for other in fits[1:] if self.merge else ():
                if other in self.stories and self._mean_link(x.story, other) >= self.level:
                    self._merge(x.story, other)
        self.story_of[x.id] = x.story
        if not math.isnan(x.day):
            self.last_day[x.story] = max(self.last_day.get(x.story, x.day), x.day)

    def _mean_link(self, s: str, t: str) -> float:
        a, b = self.stories[s], self.stories[t]
        if len(a) > len(b):
            a, b = b, a
        inside = set(b)
        total = sum(p for num in a for other, p in self.articles[num].links.items()
                    if other in inside)
        return total / (len(a) * len(b))

    def _merge(self, keep: str, drop: str) -> None:
        """Story ``drop`` joins ``keep`` (the older founding article's id survives)."""
        if self.stories[drop][0] < self.stories[keep][0]:
            keep, drop = drop, keep
        for num in self.stories.pop(drop):
            a = self.articles[num]
            a.story = keep
            self.story_of[a.id] = keep
            self.stories[keep].append(num)
        self.stories[keep].sort()
        if drop in self.last_day:
            self.last_day[keep] = max(self.last_day.get(keep, -math.inf),
                                      self.last_day.pop(drop))

    # -- index and closing --------------------------------------------------------------------
    def _index(self, x: _Article) -> None:
        for t, w in x.probe.items():
            self.postings.setdefault(t, deque(maxlen=MAX_POSTINGS)).append((x.num, w))

    def _close_old(self, x: _Article) -> None:
        if not math.isnan(x.day):
            self.recent.append(x.day)
        self._since_close += 1
        if self._since_close < CLOSE_EVERY or not self.recent:
            return
        self._since_close = 0
        horizon = min(self.recent) - self.p.close_after_days
        for sid in [s for s, last in self.last_day.items() if last < horizon]:
            for num in self.stories.pop(sid, []):
                self.articles.pop(num, None)
            del self.last_day[sid]
        for t in list(self.postings):
            kept = [e for e in self.postings[t] if e[0] in self.articles]
            if kept:
                self.postings[t] = deque(kept, maxlen=MAX_POSTINGS)
            else:
                del self.postings[t]
        for a in self.articles.values():
            a.links = {k: v for k, v in a.links.items() if k in self.articles}


def online_pair_assignments(docs: Iterable[Doc], params: ClusterParams | None = None,
                            model: PairModel | None = None, **kw) -> dict[str, str]:
    """Article id -> story id, the articles taken in the order given."""
    clusterer = OnlinePairClusterer(params, model, **kw)
    for doc in docs:
        clusterer.add(doc)
    return clusterer.assignments()


def score(name: str, **kw) -> dict:
    """B-cubed of one corpus variant (``bench/story_variants.py``), in date order."""
    docs, gold = load_labelled(ROOT / "bench" / "out" / "variants" / f"{name}.jsonl")
    order = arrival_order(docs)
    t0 = time.perf_counter()
    got = online_pair_assignments([docs[i] for i in order], **kw)
    ms = (time.perf_counter() - t0) / len(docs) * 1000
    m = all_metrics([gold[i] for i in order], [got[docs[i].id] for i in order])
    return {"b3_f1": round(m["b3_f1"], 4), "b3_precision": round(m["b3_precision"], 4),
            "b3_recall": round(m["b3_recall"], 4), "stories": m["clusters_pred"],
            "ms_per_article": round(ms, 1)}


def main(argv: list[str] | None = None) -> None:
    from bench.story_variants import tuning_variants, variants, write

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--levels", nargs="*", type=float, default=[0.3, 0.35, 0.4, 0.5, 0.6])
    ap.add_argument("--out", default=str(ROOT / "bench" / "results" / "online_pairs.json"))
    args = ap.parse_args(argv)
    for made in (tuning_variants(), variants()):
        for name, rows in made.items():
            write(name, rows)
    out: dict = {"tuning": {}, "variants": {}}
    for merge in (True, False):  # chosen on ECB+ train+dev: text, headlines, first paragraphs
        for level in args.levels:
            key = f"level {level}, merge {merge}"
            got = {v: score(v, level=level, merge=merge)["b3_f1"]
                   for v in ("trdev", "trdev_titles", "trdev_lead")}
            got["mean"] = round(sum(got.values()) / 3, 4)
            out["tuning"][key] = got
            print(key, got, flush=True)
    best = max(out["tuning"], key=lambda k: out["tuning"][k]["mean"])
    level, merge = float(best.split()[1].rstrip(",")), best.endswith("True")
    out["chosen"] = {"level": level, "merge": merge}
    for name in variants():
        out["variants"][name] = score(name, level=level, merge=merge)
        print(name, out["variants"][name], flush=True)
    Path(args.out).write_text(json.dumps(out, indent=1) + "\n")


if __name__ == "__main__":
    main()
