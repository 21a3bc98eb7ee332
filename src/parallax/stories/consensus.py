"""Batch mode: stories that do not depend on the order the archive arrived in.

One online pass depends on arrival order: the two similar events of a topic sit near the join
and merge thresholds, and which of them merge depends on what came first (a shuffled ECB+ moves
B-cubed F1 by 0.03). The batch mode therefore clusters the archive several times, each in date
order with ties broken (and undated articles dealt in) by a different fixed seed over a
canonical order (date, then article id), refines each run, and keeps the pairs of articles
that a majority of runs put together; the stories are the connected groups of those pairs.
Nothing here reads the order the archive came in, so a rebuild gives the same stories however
it was fed.
"""

from __future__ import annotations

import random
from array import array
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from ..engines import Engine, LocalEngine
from ..errors import ConfigError
from .features import Doc
from .online import ClusterParams, OnlineClusterer


@dataclass(frozen=True, slots=True)
class Member:
    """What a batch run needs of one article: its id, date, words and names (see
    ``online.doc_counts``) and its embedding (or None). The counts are kept packed (a tuple
    of interned terms and an array of counts: 40% of a Counter's memory), since
    a rebuild holds one per article of the archive; ``counts`` unpacks them in their order."""

    id: str
    date: str | None
    words: tuple[str, ...]
    word_counts: array
    names: tuple[str, ...]
    name_counts: array
    embedding: Any = None
    text: str | None = None  # kept for the 'pairs' batch mode only

    @classmethod
    def of(cls, id: str, date: str | None, counts: tuple[Counter[str], Counter[str]],
           embedding: Any = None, text: str | None = None) -> "Member":
        words, names = counts
        return cls(id, date, tuple(words), array("I", words.values()), tuple(names),
                   array("I", names.values()), embedding, text)

    @property
    def counts(self) -> tuple[Counter[str], Counter[str]]:
        return (Counter(dict(zip(self.words, self.word_counts))),
                Counter(dict(zip(self.names, self.name_counts))))

    def doc(self) -> Doc:
        return Doc(self.id, self.text or "", self.date, embedding=self.embedding)


def batch_member(doc: Doc, counts: tuple[Counter[str], Counter[str]], mode: str,
                 seen: int = 0) -> Member:
    """What the batch pass keeps of an article (``seen``: members kept before it): its text
    only where the pair mode may run (see ``keeps_text``)."""
    return Member.of(doc.id, doc.date, counts, doc.embedding,
                     doc.text if keeps_text(mode, seen + 1) else None)


def keeps_text(mode: str, members: int) -> bool:
    """Whether a batch pass over ``members`` articles in ``mode`` may need their texts."""
    return mode == "pairs" or (mode == "auto" and members <= PAIRS_MAX_ARTICLES)


def add_member(members: list[Member], member: Member, mode: str) -> None:
    """Append one member; once an 'auto' archive outgrows the pair mode, the texts kept so
    far are dropped (the consensus runs do not read them)."""
    members.append(member)
    if mode == "auto" and len(members) == PAIRS_MAX_ARTICLES + 1:
        members[:] = [replace(m, text=None) for m in members]


def run_orders(members: Sequence[Member], runs: int) -> list[list[int]]:
    """The arrival orders of the runs. Each shuffles the canonical order (date, then id) with
    the run's number as the seed, keeps the dated articles in date order (the shuffle breaks
    ties) and deals the undated ones in at random places, as a stream would bring them."""
    canon = sorted(range(len(members)), key=lambda i: (members[i].date or "", members[i].id))
    orders = []
    for seed in range(runs):
        rnd = random.Random(seed)
        order = canon[:]
        rnd.shuffle(order)
        dated = sorted((i for i in order if members[i].date), key=lambda i: members[i].date[:10])
        undated = [i for i in order if not members[i].date]
        orders.append(_riffle(dated, undated, rnd))
    return orders


def _riffle(first: list[int], second: list[int], rnd: random.Random) -> list[int]:
    """A uniformly random interleaving of two sequences, each kept in its order."""
    out: list[int] = []
    a = b = 0
    while a < len(first) or b < len(second):
        left_a, left_b = len(first) - a, len(second) - b
        if left_b == 0 or (left_a and rnd.random() * (left_a + left_b) < left_a):
            out.append(first[a])
            a += 1
        else:
            out.append(second[b])
            b += 1
    return out


def one_run(members: Sequence[Member], order: list[int], params: ClusterParams) -> list[int]:
    """Cluster in one order and refine; returns each member's group number."""
    clusterer = OnlineClusterer(params, keep_vectors=True)
    for i in order:
        member = members[i]
        clusterer.add(member.doc(), member.counts)
    clusterer.refine([members[i].id for i in order])
    story_of = clusterer.assignments()
    numbers: dict[str, int] = {}
    return [numbers.setdefault(story_of[m.id], len(numbers)) for m in members]


def _run_in_order(order: list[int], members: Sequence[Member], params: ClusterParams) -> list[int]:
    return one_run(members, order, params)


def majority_groups(labels: Sequence[Sequence[int]], n: int) -> list[list[int]]:
    """Connected groups of the pairs that more than half of the runs put together; each group
    in index order, groups ordered by their first index.

    Articles that every run labels alike (the same signature) are always together, so pairs
    are counted between signatures, not articles: a story of thousands that the runs agree
    on costs one unit, not millions of pairs."""
    units: dict[tuple[int, ...], int] = {}
    unit_of = [units.setdefault(tuple(run[i] for run in labels), len(units)) for i in range(n)]
    together: Counter[tuple[int, int]] = Counter()
    for r in range(len(labels)):
        by: dict[int, list[int]] = defaultdict(list)
        for sig, u in units.items():
            by[sig[r]].append(u)
        for group in by.values():
            for a in range(len(group)):
                for b in range(a + 1, len(group)):
                    together[(group[a], group[b])] += 1
    import numpy as np
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    kept = [pair for pair, count in together.items() if 2 * count > len(labels)]
    graph = coo_matrix((np.ones(len(kept)), ([a for a, _ in kept], [b for _, b in kept])),
                       shape=(len(units), len(units)))
    _count, component = connected_components(graph, directed=False)
    groups: dict[int, list[int]] = {}
    for i in range(n):
        groups.setdefault(int(component[unit_of[i]]), []).append(i)
    return list(groups.values())


Progress = Callable[[str, object], None]  # ("batch run", (done, runs))


def consensus_groups(members: Sequence[Member], params: ClusterParams, runs: int,
                     notify: Progress | None = None, engine: Engine | None = None
                     ) -> list[list[str]]:
    """The batch stories: lists of article ids, each in the given (arrival) order, ordered by
    their first member. The runs are independent: ``engine`` runs them (one after the other
    here; side by side on Dask workers, which are sent the members once); the majority is
    taken here."""
    labels = []
    engine = engine or LocalEngine()
    for run in engine.map(_run_in_order, run_orders(members, runs), members=members,
                          params=params):
        labels.append(run)
        if notify:
            notify("batch run", (len(labels), runs))
    return [[members[i].id for i in group] for group in majority_groups(labels, len(members))]


BATCH_MODES = ("auto", "consensus", "pairs")
# 'auto' (the default) runs the pair mode where it was measured to win, the consensus
# elsewhere. Chosen on ECB+ train+dev (docs/benchmarks.md, "The batch default"):
# - below PAIRS_MIN_ARTICLES the archive's IDF misleads the pair model: on archives of one
#   or two ECB+ topics (16-60 articles) consensus wins or ties, from four topics on (~90) the
#   pair mode wins;
# - an archive of headlines (more than HEADLINE_SHARE of its articles with no body) is
#   clustered better by the consensus runs (train+dev headlines 0.872 against 0.849), while
#   first paragraphs go to the pair mode (0.721 against 0.706);
# - above PAIRS_MAX_ARTICLES the pair mode's memory was measured beyond 4 GB
#   (bench/results/scale_pairs.json: 3.4 GB at 50k, 12.5 GB at 200k).
PAIRS_MIN_ARTICLES = 100
PAIRS_MAX_ARTICLES = 50_000
HEADLINE_SHARE = 0.5


def headline_only(member: Member) -> bool:
    """A member with a title and no body (its text is 'title\\nbody')."""
    return member.text is not None and not member.text.partition("\n")[2].strip()


def choose_method(mode: str, members: Sequence[Member]) -> tuple[str, str]:
    """The batch method a mode runs on these members, and why (said to the user)."""
    check_mode(mode)
    if mode != "auto":
        return mode, f"story_batch = {mode!r}"
    n = len(members)
    if n < PAIRS_MIN_ARTICLES:
        return "consensus", f"auto: {n} articles, fewer than {PAIRS_MIN_ARTICLES} for the pair model"
    if n > PAIRS_MAX_ARTICLES:
        return "consensus", f"auto: {n} articles, more than the pair mode's {PAIRS_MAX_ARTICLES}"
    heads = sum(headline_only(m) for m in members)
    if heads > HEADLINE_SHARE * n:
        return "consensus", f"auto: {heads} of {n} articles are headlines with no body"
    return "pairs", f"auto: {n} articles with texts"


def check_mode(mode: str) -> None:
    if mode not in BATCH_MODES:
        raise ConfigError(f"setting story_batch: unknown batch mode {mode!r}",
                          advice=f"use one of: {', '.join(BATCH_MODES)}")


def batch(clusterer: OnlineClusterer, members: list[Member], runs: int,
          notify: Progress | None = None, mode: str = "consensus",
          engine: Engine | None = None) -> int:
    """The batch pass over a clusterer that has seen ``members`` in arrival order. ``mode``
    'pairs': adopt the stories of the pair model (``stories.pairwise``; members carry their
    text). 'consensus': with one run, refine that order; with more, adopt the stories a
    majority of runs agree on. 'auto': one of the two, see ``choose_method``; ``notify``
    hears ("batch method", (method, why)). Returns the number of articles moved."""
    method, why = choose_method(mode, members)
    if notify:
        notify("batch method", (method, why))
    if method == "pairs":
        from .pairwise import pair_groups

        return clusterer.adopt(pair_groups([m.doc() for m in members], clusterer.p,
                                           engine=engine))
    if runs <= 1:
        return clusterer.refine([m.id for m in members])
    return clusterer.adopt(consensus_groups(members, clusterer.p, runs, notify, engine))
