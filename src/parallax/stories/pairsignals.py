"""The pair mode's signals: what each article brings, which articles are compared, and each
compared pair's signals (``stories.pairwise`` weighs them with the pair model).

- cosines of content words, names, numbers, word bigrams, the lead's words and names, and
  the lead's names (TF-IDF over the archive);
- overlap of the years the two texts mention, and whether they mention only different years;
- 'local' cosines, whose IDF is counted among each article's nearest articles: a name the
  whole topic shares weighs little there, a name only one event's reports share weighs much.

Cost, bounded whatever the texts share: an article's candidates are its TOP_K best articles by
content cosine (on their PROBE_TERMS heaviest terms, above CANDIDATE) times the time factor, so
an archive of n articles has at most n x TOP_K pairs, and a recurring kind of event (the same
wire text on many dates) does not fill an article's candidates with other dates' reports.
Similarities are computed a block of rows against the archive at a time (BLOCK_CELLS at
most), pair signals PAIR_CHUNK pairs at a time.

The work that grows with the archive runs on an engine (``engines``: this process, or Dask
workers), a block of articles or a chunk of pairs per task: each article's features, the
candidate search, the neighbour search with the local cosines, and the cosine signals. The
client counts the vocabularies, builds the vectors and keeps the pairs. Every value is the
same on every engine.
"""

from __future__ import annotations

import re
from array import array
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..engines import Engine, LocalEngine
from .features import _WORD, Doc, _term, names, terms
from .online import ClusterParams
from .rebuild import Progress

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
FEATURE_CHUNK = 64  # articles whose features one task computes
LEAD_SENTENCES = 3
SIGNALS = ("content", "names", "numbers", "bigrams", "lead", "lead_names", "years_overlap",
           "years_disjoint", "local_mean", "local_min")
# How short a pair's texts are (headlines, snippets): 1 - sqrt(terms of the shorter / SHORT_TERMS),
# 0 for full reports. Not a model signal: it moves the pair's threshold (PairModel.comparable),
# because two headlines of one event share fewer words than two reports of it.
SHORT_TERMS = 80


# -- one article -------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Features:
    """What the pair signals read of one article (counts of each kind of term)."""

    words: Counter
    names: Counter
    numbers: Counter
    bigrams: Counter
    lead: Counter  # the lead's words and names
    lead_names: Counter
    years: Counter


def lead(text: str) -> str:
    """The first sentences of the body (the text after a first line, which is the title)."""
    return " ".join(_SENT.split(text.split("\n", 1)[-1].strip())[:LEAD_SENTENCES])


def joined(words: Counter, name_counts: Counter) -> Counter:
    """Content words and names in one vector (names prefixed, so 'paris' the word stays apart)."""
    return words + Counter({"n:" + k: v for k, v in name_counts.items()})


def article_features(text: str) -> Features:
    """One pass over the words gives the content terms (``features.terms``) and their bigrams."""
    toks = [t for t in (_term(w) for w in _WORD.findall(text.lower())) if t]
    first = lead(text)
    first_names = names(first)
    return Features(Counter(toks), names(text), Counter(_NUM.findall(text)),
                    Counter(a + "_" + b for a, b in zip(toks, toks[1:])),
                    joined(terms(first), first_names), first_names,
                    Counter(set(_YEAR.findall(text))))


def _features_of(texts: list[str]) -> list[Features]:
    return [article_features(t) for t in texts]


# -- vectors -----------------------------------------------------------------------------

class CountBuilder:
    """Rows of counts added one at a time and kept packed (a rebuild holds several such
    matrices for its whole archive, not a dict per article); ``matrix`` orders the vocabulary
    as DictVectorizer does (sorted), so the values do not depend on the order terms came in."""

    def __init__(self):
        self.vocab: dict[str, int] = {}
        self.indices = array("i")
        self.data = array("d")
        self.indptr = array("q", [0])

    def add(self, counts: Counter) -> None:
        vocab = self.vocab  # a new term takes the next id (len is read before it is added)
        self.indices.extend([vocab.setdefault(k, len(vocab)) for k in counts])
        self.data.extend(counts.values())
        self.indptr.append(len(self.indices))

    def matrix(self):
        """The rows so far (a vocabulary no row has is one all-zero column)."""
        from scipy.sparse import csr_matrix

        terms_ = list(self.vocab)
        rank = np.empty(len(terms_), dtype=np.int32)
        rank[sorted(range(len(terms_)), key=terms_.__getitem__)] = np.arange(len(terms_))
        indices = rank[np.frombuffer(self.indices, dtype=np.int32)] if len(self.indices) \
            else np.zeros(0, dtype=np.int32)
        m = csr_matrix((np.frombuffer(self.data, dtype=float).copy(), indices,
                        np.frombuffer(self.indptr, dtype=np.int64).copy()),
                       shape=(len(self.indptr) - 1, max(1, len(terms_))))
        m.sort_indices()
        return m


def count_matrix(counters: Sequence[Counter]):
    """Rows of counts over the vocabulary in sorted order (what DictVectorizer makes, without
    its per-value checks)."""
    rows = CountBuilder()
    for c in counters:
        rows.add(c)
    return rows.matrix()


def tfidf(counters: Sequence[Counter]):
    """Unit TF-IDF rows (sublinear tf, smoothed idf: scikit-learn's TfidfTransformer); a
    signal no text has (no body, no digits, no names in the whole archive) gives cosines of
    0, never an error."""
    return unit_tfidf(count_matrix(counters))


def unit_tfidf(m):
    """``tfidf`` of a count matrix (which it takes over)."""
    from scipy.sparse import diags
    from sklearn.preprocessing import normalize

    m.data = np.log(m.data) + 1.0
    df = np.bincount(m.indices, minlength=m.shape[1])
    idf = np.log((1.0 + m.shape[0]) / (1.0 + df)) + 1.0
    return normalize(m @ diags(idf)).tocsr()


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


def _rowdot(A, iu: np.ndarray, ju: np.ndarray) -> np.ndarray:
    """A[i] . A[j] for each pair (rows of a sparse matrix), PAIR_CHUNK pairs at a time."""
    out = np.zeros(len(iu))
    for s in range(0, len(iu), PAIR_CHUNK):
        a, b = iu[s:s + PAIR_CHUNK], ju[s:s + PAIR_CHUNK]
        out[s:s + PAIR_CHUNK] = np.asarray(A[a].multiply(A[b]).sum(axis=1)).ravel()
    return out


def _rowdot_span(span: tuple[int, int], A, iu: np.ndarray, ju: np.ndarray) -> np.ndarray:
    return _rowdot(A, iu[span[0]:span[1]], ju[span[0]:span[1]])


def _cosines(A, iu: np.ndarray, ju: np.ndarray, engine: Engine) -> np.ndarray:
    """``_rowdot`` of every pair, PAIR_CHUNK pairs a task on the engine."""
    if not len(iu):
        return np.zeros(0)
    spans = [(s, min(s + PAIR_CHUNK, len(iu))) for s in range(0, len(iu), PAIR_CHUNK)]
    return np.concatenate(list(engine.map(_rowdot_span, spans, A=A, iu=iu, ju=ju)))


# -- searching a block of rows against the archive ----------------------------------------

def row_blocks(n_rows: int, n_archive: int) -> list[tuple[int, int]]:
    """(start, stop) of blocks of rows, each at most BLOCK_CELLS similarities against the
    archive: memory bounded by the block, never by the archive squared."""
    size = max(1, BLOCK_CELLS // max(1, n_archive))
    return [(s, min(s + size, n_rows)) for s in range(0, n_rows, size)]


def _top_of_row(block, r: int, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Row r of a block: its (columns, values), best first (ties by column), at most k."""
    lo, hi = block.indptr[r], block.indptr[r + 1]
    cols, vals = block.indices[lo:hi], block.data[lo:hi]
    order = np.lexsort((cols, -vals))[:k]
    return cols[order], vals[order]


def day_numbers(docs: Sequence[Doc]) -> np.ndarray:
    """Each doc's date as a day number (NaN when undated)."""
    return np.array([d.day.toordinal() if d.day else np.nan for d in docs], dtype=float)


def time_factors(gaps: np.ndarray, params: ClusterParams) -> np.ndarray:
    """``online.gap_factor`` over an array of gaps in days; a gap that is NaN or negative
    (a side undated) gives 1."""
    gaps = np.asarray(gaps, dtype=float)
    with np.errstate(invalid="ignore", over="ignore"):
        f = np.where(gaps <= params.window_days, params.time_bonus,
                     np.exp(-(gaps - params.window_days) / params.time_scale_days))
    return np.where(np.isnan(gaps) | (gaps < 0), 1.0, f)


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


def _block_candidates(span: tuple[int, int], A, At, k: int, floor: float,
                      days: np.ndarray | None, params: ClusterParams | None) -> np.ndarray:
    """The candidate pairs (i < j, as rows of an array) of the rows in ``span``: each row's
    k best other rows (cosine above ``floor``, times the time factor when dates are given)."""
    rows = np.arange(*span)
    block = _ranked((A[rows] @ At).tocsr(), rows, floor, days, params)
    out = []
    for r, i in enumerate(rows.tolist()):
        cols, _vals = _top_of_row(block, r, k + 1)  # + 1: the row itself is among them
        cols = cols[cols != i]
        out.append(np.column_stack([np.minimum(cols, i), np.maximum(cols, i)]))
    return np.concatenate(out) if out else np.zeros((0, 2), dtype=np.int64)


def candidate_pairs(A, k: int, floor: float, days: np.ndarray | None = None,
                    params: ClusterParams | None = None, engine: Engine | None = None,
                    notify: Progress | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Pairs (i < j) where j is among i's k best rows of A, or i among j's, with a cosine
    above ``floor``; sorted. "Best" is the cosine times the time factor of the two dates
    when ``days`` are given (a report of the same text on another date ranks low). At most
    n x k pairs, whatever the texts share."""
    A = A.tocsr()
    At = A.T.tocsr()  # CSR: a CSR product would convert a CSC operand on every block
    engine = engine or LocalEngine()
    blocks = row_blocks(A.shape[0], A.shape[0])
    found = []
    for got in engine.map(_block_candidates, blocks, A=A, At=At, k=k, floor=floor, days=days,
                          params=params):
        found.append(got)
        if notify:
            notify("pair candidates", (len(found), len(blocks)))
    pairs = np.concatenate(found) if found else np.zeros((0, 2), dtype=np.int64)
    if not len(pairs):
        return np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.int32)
    pairs = np.unique(pairs.astype(np.int64), axis=0)  # sorted by (i, j), each pair once
    return pairs[:, 0].astype(np.int32), pairs[:, 1].astype(np.int32)


# -- the local cosines -------------------------------------------------------------------

@dataclass(frozen=True)
class _PairIndex:
    """Where each article appears among the pairs: positions ``at[start[i]:start[i + 1]]``
    of the pairs that have article i at one end."""

    iu: np.ndarray
    ju: np.ndarray
    at: np.ndarray
    start: np.ndarray

    @classmethod
    def of(cls, n: int, iu: np.ndarray, ju: np.ndarray) -> "_PairIndex":
        ends = np.concatenate([iu, ju]).astype(np.int64)
        ks = np.concatenate([np.arange(len(iu)), np.arange(len(ju))])
        order = np.argsort(ends, kind="stable")
        start = np.searchsorted(ends[order], np.arange(n + 1))
        return cls(iu, ju, ks[order], start)


def _block_local(span: tuple[int, int], raw, S, St, pairs: _PairIndex,
                 neighbours: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For each article of ``span`` in some pair: the cosines, under its local IDF, of it and
    each of its partners. Returns (pair positions, side: 0 when the article is the pair's
    first end, values)."""
    rows = [i for i in range(*span) if pairs.start[i + 1] > pairs.start[i]]
    ks_out, sides, vals = [], [], []
    if not rows:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), np.zeros(0)
    block = (S[rows] @ St).tocsr()
    scratch = np.zeros(raw.shape[1], dtype=np.int64), np.zeros(raw.shape[1])
    for r, i in enumerate(rows):
        top = _top_of_row(block, r, neighbours)[0]
        if i not in top:
            top = np.append(top[: neighbours - 1], i)
        ks = pairs.at[pairs.start[i]:pairs.start[i + 1]]
        first = pairs.iu[ks] == i
        others = np.where(first, pairs.ju[ks], pairs.iu[ks])
        ks_out.append(ks)
        sides.append((~first).astype(np.int64))
        vals.append(_local_cosines(raw, i, others, top, scratch))
    return np.concatenate(ks_out), np.concatenate(sides), np.concatenate(vals)


def _local_cosines(raw, i: int, others: np.ndarray, top: np.ndarray,
                   scratch: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
    """Cosines of article i with each of ``others`` (rows of log counts) weighed by the IDF
    counted over the articles ``top``; only the entries these rows have are computed.
    ``scratch``: two zeroed arrays over the vocabulary (counts, values), left zeroed."""
    counts, values = scratch
    sub = raw[np.concatenate(([i], others))]
    used = raw[top].indices  # each row has a column once: counts are document counts
    np.add.at(counts, used, 1)
    x = sub.data * np.log((1 + len(top)) / (1.0 + counts[sub.indices]))
    counts[used] = 0
    row = np.repeat(np.arange(sub.shape[0]), np.diff(sub.indptr))
    mine = slice(sub.indptr[0], sub.indptr[1])
    values[sub.indices[mine]] = x[mine]
    dots = np.bincount(row, weights=x * values[sub.indices], minlength=sub.shape[0])[1:]
    values[sub.indices[mine]] = 0.0
    sq = np.bincount(row, weights=x * x, minlength=sub.shape[0])
    norms = np.sqrt(sq[1:]) * np.sqrt(sq[0])
    return dots / np.where(norms > 0, norms, 1.0)


# -- the pairs and their signals -----------------------------------------------------------

class PairSignals:
    """The candidate pairs of a set of texts (``iu < ju``) and each pair's signals."""

    def __init__(self, docs: Sequence[Doc], params: ClusterParams | None = None, *,
                 exact: bool = False, engine: Engine | None = None,
                 notify: Progress | None = None):
        """``exact``: candidates and neighbours searched on every term, by content alone (no
        time factor): how the shipped model's training pairs are found
        (``bench/train_pair_model.py``), whatever shortcuts the search takes when clustering.
        ``engine``: where the per-article and per-block work runs; ``notify`` hears its
        progress: ("pair features" | "pair candidates" | "pair neighbours", (done, total))."""
        engine = engine or LocalEngine()
        texts = [d.text for d in docs]
        chunks = [texts[s:s + FEATURE_CHUNK] for s in range(0, len(texts), FEATURE_CHUNK)]
        kinds = ("words", "names", "numbers", "bigrams", "lead", "lead_names", "years")
        rows = {k: CountBuilder() for k in kinds + ("joined",)}
        length = np.zeros(len(texts))
        n = 0
        for part in engine.map(_features_of, chunks):  # packed as they come back
            if notify:
                notify("pair features", (n + len(part), len(texts)))
            for x in part:
                for k in kinds:
                    rows[k].add(getattr(x, k))
                rows["joined"].add(joined(x.words, x.names))
                length[n] = min(len(x.words), SHORT_TERMS)
                n += 1
        content = unit_tfidf(rows.pop("words").matrix())
        days = day_numbers(docs)
        if exact:
            self.iu, self.ju = candidate_pairs(content, TOP_K, CANDIDATE, engine=engine,
                                               notify=notify)
        else:
            self.iu, self.ju = candidate_pairs(heaviest(content, PROBE_TERMS), TOP_K, CANDIDATE,
                                               days, params or ClusterParams(), engine=engine,
                                               notify=notify)
        iu, ju = self.iu, self.ju
        f = {"content": _cosines(content, iu, ju, engine)}
        del content
        for name in ("names", "numbers", "bigrams", "lead", "lead_names"):
            f[name] = _cosines(unit_tfidf(rows.pop(name).matrix()), iu, ju, engine)
        f["years_overlap"], f["years_disjoint"] = self._years(rows.pop("years").matrix())
        f["local_mean"], f["local_min"] = self._local(rows.pop("joined").matrix(), exact,
                                                      engine, notify)
        f["short"] = 1.0 - np.sqrt(np.minimum(length[iu], length[ju]) / SHORT_TERMS) \
            if len(iu) else np.zeros(0)
        self.f = f
        self.gap = np.nan_to_num(np.abs(days[iu] - days[ju]), nan=-1.0)  # -1: a date is unknown

    def _years(self, Y) -> tuple[np.ndarray, np.ndarray]:
        """Per pair: the share of the years the two texts mention that both mention (-1 when
        a side mentions none), and whether both mention years but none in common (``Y``:
        each text's years, counted once)."""
        shared = _rowdot(Y, self.iu, self.ju)
        size = np.diff(Y.indptr).astype(float)
        both = (size[self.iu] > 0) & (size[self.ju] > 0)
        union = np.where(both, size[self.iu] + size[self.ju] - shared, 1.0)
        return np.where(both, shared / union, -1.0), (both & (shared == 0)).astype(float)

    def _local(self, counts, exact: bool, engine: Engine,
               notify: Progress | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Per pair, the cosine under i's local IDF and under j's: their mean and minimum
        (``counts``: each text's words and names; neighbours searched on every term when
        ``exact``, else on the PROBE_TERMS heaviest)."""
        if not len(self.iu):
            return np.zeros(0), np.zeros(0)
        n = counts.shape[0]
        raw = counts.copy()
        raw.data = 1.0 + np.log(raw.data)
        g = unit_tfidf(counts)  # TF-IDF cosines pick the neighbours
        search = (g if exact else heaviest(g, PROBE_TERMS)).tocsr()
        del g
        pairs = _PairIndex.of(n, self.iu, self.ju)
        cos = np.zeros((2, len(self.iu)))  # row 0: under iu's IDF, row 1: under ju's
        blocks = row_blocks(n, n)
        for done, (ks, side, vals) in enumerate(
                engine.map(_block_local, blocks, raw=raw, S=search, St=search.T.tocsr(),
                           pairs=pairs, neighbours=NEIGHBOURS), start=1):
            cos[side, ks] = vals
            if notify:
                notify("pair neighbours", (done, len(blocks)))
        return cos.mean(axis=0), cos.min(axis=0)

    def matrix(self, names_: Sequence[str]) -> np.ndarray:
        return np.column_stack([self.f[k] for k in names_]) if len(self.iu) else \
            np.zeros((0, len(names_)))
