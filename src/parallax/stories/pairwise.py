"""Batch mode ``pairs``: a pair model scores every candidate pair of articles, and average-link
clustering over those scores makes the stories.

The online clusterer compares an article with story centroids under one hand-set similarity.
That similarity cannot tell two similar events of one kind apart well (two Oscar host
announcements, two MacBook Pro launches). This mode looks at pairs of articles with more
signals, weighed by a logistic regression learned on ECB+ train+dev
(``bench/train_pair_model.py`` writes ``pair_model.json``):

- cosines of content words, names, numbers, word bigrams, the lead's words and names, and
  the lead's names (TF-IDF over the archive);
- overlap of the years the two texts mention, and whether they mention only different years;
- 'local' cosines, whose IDF is counted among each article's nearest articles: a name the
  whole topic shares weighs little there, a name only one event's reports share weighs much.

The model's probability is multiplied by the online clusterer's time factor (bonus within the
window, decay beyond it; its settings, not learned here). Average-link then joins stories
while their mean pair probability is at least ``1 - threshold``. Every join needs one pair at
that level, so each connected group of such pairs is clustered on its own. Articles are taken
in a canonical order (article id), so the stories do not depend on arrival order.

Cost, bounded whatever the texts share: an article's candidates are its TOP_K best articles by
content cosine (on their heaviest terms, above 0.05) times the time factor, so an archive of n
articles has at most n x TOP_K pairs, and a recurring kind of event (the same wire text on
many dates) does not fill an article's candidates with other dates' reports. Candidates and
the local IDF's neighbours are searched on each article's PROBE_TERMS heaviest terms, so light
words every article shares do not make the search grow with the archive squared. Pair signals
are computed PAIR_CHUNK pairs at a time. Average-link needs a dense matrix per connected
group: a group larger than MAX_GROUP is first split at a stricter level (its weakest strong
pairs dropped) until each part fits, so memory stays within MAX_GROUP squared.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np

from .features import _WORD, Doc, _term, names, terms
from .online import ClusterParams

_NUM = re.compile(r"\b\d[\d,.]*\b")
_YEAR = re.compile(r"\b(19[5-9]\d|20[0-3]\d)\b")
_SENT = re.compile(r"(?<=[.!?])\s+")
CANDIDATE = 0.05  # content cosine above which a pair is scored at all
TOP_K = 50  # an article's candidates: its TOP_K most similar articles (memory: at most n x TOP_K pairs)
NEIGHBOURS = 30  # the local IDF is counted over this many nearest articles
BLOCK_CELLS = 4_000_000  # similarities computed at a time (rows x archive): bounded memory
# Candidates and neighbours are found on each article's PROBE_TERMS heaviest TF-IDF terms
# (renormalised): two articles sharing only light words are never compared, which keeps the
# search from growing with the archive squared on its common words.
PROBE_TERMS = 20
PAIR_CHUNK = 100_000  # pairs whose signals are computed at a time
MAX_GROUP = 4_000  # the largest group average-link clusters at once (a dense float64 square)
LEAD_SENTENCES = 3
SIGNALS = ("content", "names", "numbers", "bigrams", "lead", "lead_names", "years_overlap",
           "years_disjoint", "local_mean", "local_min")
# How short a pair's texts are (headlines, snippets): 1 - sqrt(terms of the shorter / SHORT_TERMS),
# 0 for full reports. Not a model signal: it moves the pair's threshold (PairModel.comparable),
# because two headlines of one event share fewer words than two reports of it.
SHORT_TERMS = 80


@dataclass(frozen=True)
class PairModel:
    """A logistic regression over standardised pair signals, and the average-link threshold
    (a distance: 1 - probability) chosen with it."""

    signals: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[float, ...]
    intercept: float
    threshold: float
    # The threshold for a pair of the shortest texts (shortness 1); between, it moves linearly
    # with the pair's ``short`` signal. Equal to ``threshold``: one threshold for all.
    threshold_short: float | None = None

    @classmethod
    def from_json(cls, data: dict) -> "PairModel":
        return cls(tuple(data["signals"]), tuple(data["mean"]), tuple(data["scale"]),
                   tuple(data["coef"]), float(data["intercept"]), float(data["threshold"]),
                   data.get("threshold_short"))

    def comparable(self, p: np.ndarray, short: np.ndarray) -> np.ndarray:
        """Probabilities rescaled so that one threshold serves every pair: a pair of short
        texts, whose own threshold is higher, has its distance (1 - p) shrunk in proportion."""
        if self.threshold_short is None or not len(p):
            return p
        own = self.threshold + (self.threshold_short - self.threshold) * short
        return 1.0 - (1.0 - p) * self.threshold / own

    def probability(self, X: np.ndarray) -> np.ndarray:
        z = (X - np.asarray(self.mean)) / np.asarray(self.scale) @ np.asarray(self.coef)
        return 1.0 / (1.0 + np.exp(-(z + self.intercept)))


@lru_cache(maxsize=1)
def shipped_model() -> PairModel:
    text = resources.files(__package__).joinpath("pair_model.json").read_text(encoding="utf-8")
    return PairModel.from_json(json.loads(text))


def _tfidf(counters: list[Counter]):
    """Unit TF-IDF rows; a signal no text has (no body, no digits, no names in the whole
    archive) is one all-zero column: its cosines are 0, never an error."""
    from scipy.sparse import csr_matrix
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.feature_extraction.text import TfidfTransformer
    from sklearn.preprocessing import normalize

    counts = DictVectorizer().fit_transform(counters)
    if counts.shape[1] == 0:
        return csr_matrix((len(counters), 1))
    return normalize(TfidfTransformer(sublinear_tf=True).fit_transform(counts)).tocsr()


def bigrams(text: str) -> Counter:
    toks = [t for t in (_term(w) for w in _WORD.findall(text.lower())) if t]
    return Counter(a + "_" + b for a, b in zip(toks, toks[1:]))


def lead(text: str) -> str:
    """The first sentences of the body (the text after a first line, which is the title)."""
    return " ".join(_SENT.split(text.split("\n", 1)[-1].strip())[:LEAD_SENTENCES])


def words_and_names(text: str) -> Counter:
    return joined(terms(text), names(text))


def joined(words: Counter, name_counts: Counter) -> Counter:
    """Content words and names in one vector (names prefixed, so 'paris' the word stays apart)."""
    return words + Counter({"n:" + k: v for k, v in name_counts.items()})


def _rowdot(A, iu: np.ndarray, ju: np.ndarray) -> np.ndarray:
    """A[i] . A[j] for each pair (rows of a sparse matrix), PAIR_CHUNK pairs at a time."""
    out = np.zeros(len(iu))
    for s in range(0, len(iu), PAIR_CHUNK):
        a, b = iu[s:s + PAIR_CHUNK], ju[s:s + PAIR_CHUNK]
        out[s:s + PAIR_CHUNK] = np.asarray(A[a].multiply(A[b]).sum(axis=1)).ravel()
    return out


class PairSignals:
    """The candidate pairs of a set of texts (``iu < ju``) and each pair's signals."""

    def __init__(self, docs: Sequence[Doc], params: ClusterParams | None = None, *,
                 exact: bool = False):
        """``exact``: candidates and neighbours searched on every term, by content alone (no
        time factor): how the shipped model's training pairs are found
        (``bench/train_pair_model.py``), whatever shortcuts the search takes when clustering."""
        texts = [d.text for d in docs]
        words, named = [terms(t) for t in texts], [names(t) for t in texts]
        content = _tfidf(words)
        days = day_numbers(docs)
        self.probe = None if exact else PROBE_TERMS
        if exact:
            self.iu, self.ju = candidate_pairs(content, TOP_K, CANDIDATE)
        else:
            self.iu, self.ju = candidate_pairs(heaviest(content, PROBE_TERMS), TOP_K, CANDIDATE,
                                               days, params or ClusterParams())
        iu, ju = self.iu, self.ju
        leads = [lead(t) for t in texts]
        f = {"content": _rowdot(content, iu, ju),
             "names": _rowdot(_tfidf(named), iu, ju),
             "numbers": _rowdot(_tfidf([Counter(_NUM.findall(t)) for t in texts]), iu, ju),
             "bigrams": _rowdot(_tfidf([bigrams(t) for t in texts]), iu, ju),
             "lead": _rowdot(_tfidf([words_and_names(x) for x in leads]), iu, ju),
             "lead_names": _rowdot(_tfidf([names(x) for x in leads]), iu, ju)}
        years = [set(_YEAR.findall(t)) for t in texts]
        pairs = list(zip(iu.tolist(), ju.tolist()))
        f["years_overlap"] = np.array([len(years[i] & years[j]) / len(years[i] | years[j])
                                       if years[i] and years[j] else -1.0 for i, j in pairs])
        f["years_disjoint"] = np.array([float(bool(years[i] and years[j])
                                              and not years[i] & years[j]) for i, j in pairs])
        f["local_mean"], f["local_min"] = self._local([joined(w, n) for w, n in zip(words, named)])
        length = np.array([min(len(w), SHORT_TERMS) for w in words], dtype=float)
        f["short"] = 1.0 - np.sqrt(np.minimum(length[iu], length[ju]) / SHORT_TERMS) \
            if len(iu) else np.zeros(0)
        self.f = f
        self.gap = np.nan_to_num(np.abs(days[iu] - days[ju]), nan=-1.0)  # -1: a date is unknown

    def _local(self, counts: list[Counter]) -> tuple[np.ndarray, np.ndarray]:
        """Per pair, the cosine under i's local IDF and under j's: their mean and minimum."""
        from sklearn.feature_extraction import DictVectorizer

        raw = DictVectorizer().fit_transform(counts).tocsr().astype(float)
        raw.data = 1.0 + np.log(raw.data)
        present = (raw > 0).astype(float).tocsr()
        if not len(self.iu):
            return np.zeros(0), np.zeros(0)
        g = _tfidf(counts)  # TF-IDF cosines pick the neighbours
        pairs_of: dict[int, list[int]] = {}
        for k, (i, j) in enumerate(zip(self.iu.tolist(), self.ju.tolist())):
            pairs_of.setdefault(i, []).append(k)
            pairs_of.setdefault(j, []).append(k)
        search = g if self.probe is None else heaviest(g, self.probe)
        nearest = top_neighbours(search, sorted(pairs_of), NEIGHBOURS)
        cos = np.zeros((2, len(self.iu)))  # row 0: under iu's IDF, row 1: under ju's
        for i, ks in pairs_of.items():
            top = nearest[i]
            if i not in top:
                top = np.append(top[: NEIGHBOURS - 1], i)
            w = np.log((1 + len(top)) / (1 + np.asarray(present[top].sum(axis=0)).ravel()))
            mine = raw[i].multiply(w).tocsr()
            others = [self.ju[k] if self.iu[k] == i else self.iu[k] for k in ks]
            theirs = raw[others].multiply(w).tocsr()
            norms = np.sqrt(np.asarray(theirs.multiply(theirs).sum(axis=1)).ravel())
            norms *= math.sqrt(mine.multiply(mine).sum())
            dots = np.asarray((theirs @ mine.T).todense()).ravel()
            side = (self.iu[ks] != i).astype(int)
            cos[side, ks] = dots / np.where(norms > 0, norms, 1.0)
        return cos.mean(axis=0), cos.min(axis=0)

    def matrix(self, names_: Sequence[str]) -> np.ndarray:
        return np.column_stack([self.f[k] for k in names_]) if len(self.iu) else \
            np.zeros((0, len(names_)))


def heaviest(A, m: int):
    """Each row of a sparse matrix reduced to its m largest entries (ties by column), then
    L2-normalised."""
    from scipy.sparse import csr_matrix
    from sklearn.preprocessing import normalize

    A = A.tocsr()
    rows, cols, vals = [], [], []
    for r in range(A.shape[0]):
        lo, hi = A.indptr[r], A.indptr[r + 1]
        c, v = A.indices[lo:hi], A.data[lo:hi]
        if hi - lo > m:
            keep = np.lexsort((c, -v))[:m]
            c, v = c[keep], v[keep]
        rows.append(np.full(len(c), r))
        cols.append(c)
        vals.append(v)
    if not rows:
        return A
    out = csr_matrix((np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))),
                     shape=A.shape)
    return normalize(out)


def _row_blocks(A, rows: Sequence[int]):
    """(row indices, their similarities to every row of A) a block at a time, each block at
    most BLOCK_CELLS cells: memory bounded by the block, never by the archive squared."""
    size = max(1, BLOCK_CELLS // max(1, A.shape[0]))
    At = A.T.tocsr()  # CSR: a CSR product would convert a CSC operand on every block
    for start in range(0, len(rows), size):
        part = list(rows[start:start + size])
        yield part, (A[part] @ At).tocsr()


def _top_of_row(block, r: int, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Row r of a block: its (columns, values), best first (ties by column), at most k."""
    lo, hi = block.indptr[r], block.indptr[r + 1]
    cols, vals = block.indices[lo:hi], block.data[lo:hi]
    order = np.lexsort((cols, -vals))[:k]
    return cols[order], vals[order]


def day_numbers(docs: Sequence[Doc]) -> np.ndarray:
    """Each doc's date as a day number (NaN when undated)."""
    return np.array([d.day.toordinal() if d.day else np.nan for d in docs], dtype=float)


def candidate_pairs(A, k: int, floor: float, days: np.ndarray | None = None,
                    params: ClusterParams | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Pairs (i < j) where j is among i's k best rows of A, or i among j's, with a cosine
    above ``floor``; sorted. "Best" is the cosine times the time factor of the two dates
    when ``days`` are given (a report of the same text on another date ranks low). At most
    n x k pairs, whatever the texts share."""
    found: set[tuple[int, int]] = set()
    for part, block in _row_blocks(A, range(A.shape[0])):
        block = _ranked(block, np.asarray(part), floor, days, params)
        for r, i in enumerate(part):
            cols, _vals = _top_of_row(block, r, k + 1)  # + 1: the row itself is among them
            for j in cols[cols != i].tolist():
                found.add((i, j) if i < j else (j, i))
    if not found:
        return np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.int32)
    pairs = np.array(sorted(found), dtype=np.int32)
    return pairs[:, 0], pairs[:, 1]


def _ranked(block, rows: np.ndarray, floor: float, days: np.ndarray | None,
            params: ClusterParams | None):
    """A block of cosines (rows ``rows`` against the archive) with only those above ``floor``,
    each multiplied by its pair's time factor when dates are given."""
    from scipy.sparse import csr_matrix

    block = block.tocoo()
    keep = block.data > floor
    row, col, val = block.row[keep], block.col[keep], block.data[keep]
    if days is not None and params is not None:
        val = val * time_factors(np.abs(days[rows][row] - days[col]), params)
    return csr_matrix((val, (row, col)), shape=block.shape)


def top_neighbours(A, rows: Sequence[int], k: int) -> dict[int, np.ndarray]:
    """For each of ``rows``: the k rows of A most similar to it (best first, ties by index)."""
    out: dict[int, np.ndarray] = {}
    for part, block in _row_blocks(A, rows):
        for r, i in enumerate(part):
            out[i] = _top_of_row(block, r, k)[0]
    return out


def time_factors(gaps: np.ndarray, params: ClusterParams) -> np.ndarray:
    """``online.gap_factor`` over an array of gaps in days; a gap that is NaN or negative
    (a side undated) gives 1."""
    gaps = np.asarray(gaps, dtype=float)
    with np.errstate(invalid="ignore", over="ignore"):
        f = np.where(gaps <= params.window_days, params.time_bonus,
                     np.exp(-(gaps - params.window_days) / params.time_scale_days))
    return np.where(np.isnan(gaps) | (gaps < 0), 1.0, f)


def pair_probabilities(signals: PairSignals, model: PairModel,
                       params: ClusterParams) -> np.ndarray:
    p = model.probability(signals.matrix(model.signals))
    p = np.minimum(1.0, p * time_factors(signals.gap, params))
    return model.comparable(p, signals.f["short"]) if len(p) else p


def average_link(n: int, iu: np.ndarray, ju: np.ndarray, p: np.ndarray,
                 threshold: float) -> list[list[int]]:
    """Groups of indices: average-link over probabilities ``p`` (distance 1 - p, missing pairs
    0), joining while the distance is below ``threshold``, one connected group at a time
    (a group above MAX_GROUP split first, see ``bounded_parts``)."""
    from sklearn.cluster import AgglomerativeClustering

    groups: list[list[int]] = []
    for idx, ks in bounded_parts(n, iu, ju, p, 1.0 - threshold):
        if len(idx) == 1:
            groups.append(idx)
            continue
        pos = {i: k for k, i in enumerate(idx)}
        P = np.zeros((len(idx), len(idx)))
        for k in ks:
            a, b = pos[int(iu[k])], pos[int(ju[k])]
            P[a, b] = P[b, a] = p[k]
        np.fill_diagonal(P, 1.0)
        labels = AgglomerativeClustering(n_clusters=None, metric="precomputed",
                                         linkage="average",
                                         distance_threshold=threshold).fit_predict(1.0 - P)
        parts: dict[int, list[int]] = {}
        for i, lab in zip(idx, labels.tolist()):
            parts.setdefault(lab, []).append(i)
        groups.extend(parts.values())
    return groups


def bounded_parts(n: int, iu: np.ndarray, ju: np.ndarray, p: np.ndarray,
                  level: float) -> list[tuple[list[int], list[int]]]:
    """The connected groups of pairs with ``p >= level`` (each: its indices and the positions
    of all pairs inside it). Average-link never joins across them: every join needs a pair
    at that level. A group above MAX_GROUP is split again at a stricter level, halfway to 1,
    until every part fits (parts that still do not are cut in index order): an approximation
    only for such giant groups, and the price of memory bounded by MAX_GROUP squared."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    out: list[tuple[list[int], list[int]]] = []
    todo = [(list(range(n)), list(range(len(iu))), level)]
    while todo:
        idx, ks, lev = todo.pop()
        pos = {i: k for k, i in enumerate(idx)}
        a = np.array([pos[int(iu[k])] for k in ks], dtype=np.int64)
        b = np.array([pos[int(ju[k])] for k in ks], dtype=np.int64)
        strong = p[ks] >= lev if ks else np.zeros(0, dtype=bool)
        graph = coo_matrix((np.ones(int(strong.sum())), (a[strong], b[strong])),
                           shape=(len(idx), len(idx)))
        _count, comp = connected_components(graph, directed=False)
        members: dict[int, list[int]] = {}
        for k, c in enumerate(comp.tolist()):
            members.setdefault(c, []).append(idx[k])
        inside: dict[int, list[int]] = {}
        for k, x, y in zip(ks, a.tolist(), b.tolist()):
            if comp[x] == comp[y]:
                inside.setdefault(int(comp[x]), []).append(k)
        for c in sorted(members, reverse=True):
            part, part_ks = members[c], inside.get(c, [])
            if len(part) <= MAX_GROUP:
                out.append((part, part_ks))
            elif lev < 0.999:
                todo.append((part, part_ks, (lev + 1.0) / 2.0))
            else:
                out.extend(_cut(part, part_ks, iu, ju))
    return out


def _cut(idx: list[int], ks: list[int], iu: np.ndarray,
         ju: np.ndarray) -> list[tuple[list[int], list[int]]]:
    """Parts of MAX_GROUP indices in index order, each with the pairs inside it."""
    out = []
    for s in range(0, len(idx), MAX_GROUP):
        part = set(idx[s:s + MAX_GROUP])
        out.append((sorted(part), [k for k in ks if int(iu[k]) in part and int(ju[k]) in part]))
    return out


def pair_groups(docs: Sequence[Doc], params: ClusterParams,
                model: PairModel | None = None) -> list[list[str]]:
    """The stories of the pair mode: lists of article ids, each in the order given, ordered
    by their first member. The result does not depend on the order given."""
    model = model or shipped_model()
    canon = sorted(range(len(docs)), key=lambda k: docs[k].id)
    signals = PairSignals([docs[k] for k in canon], params)
    p = pair_probabilities(signals, model, params)
    groups = average_link(len(canon), signals.iu, signals.ju, p, model.threshold)
    given = [sorted(canon[i] for i in g) for g in groups]
    given.sort(key=lambda g: g[0])
    return [[docs[k].id for k in g] for g in given]
