"""The consensus batch method: stories that do not depend on the order the archive arrived in.

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
from collections import Counter, defaultdict
from collections.abc import Sequence

from ..engines import Engine, LocalEngine
from .rebuild import Member, Progress
from .online import ClusterParams, OnlineClusterer


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
