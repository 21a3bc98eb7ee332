"""The pair mode on an archive too large for one pair run: time windows.

Above ``rebuild.PAIRS_MAX_ARTICLES`` articles one pair run would outgrow a process's memory
(5.6 GB at 200,000 articles), and the consensus holds about 20 KB an article in every
process. Stories are bounded in time (an event's reports lie days apart, far less often
months), so the archive is cut by date into windows of at most ``WINDOW_ARTICLES`` articles,
and each window is a pair run of its own (``pairwise.pair_groups``), on the engine: a worker
holds one window, the client only ids, dates and the stories found so far.

A story that crosses a cut is kept whole by overlap: each window also clusters, as guests, the
articles of the first ``OVERLAP_DAYS`` days after it (they belong to the next window). A guest
grouped with this window's own articles joins their story to the story the next window gives
it (``stitch``). Undated articles come after the dated ones, in arrival order.

The result does not depend on the engine, and (articles ordered by date, then id) not on the
order the archive arrived in either.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from ..engines import Engine, LocalEngine
from .features import Doc
from .online import ClusterParams
from .rebuild import Progress

WINDOW_ARTICLES = 25_000  # a window's own articles: 1.2-1.5 GB for its pair run
OVERLAP_DAYS = 7  # the next window's first days, clustered by this one too (at most a
# quarter of a window: a burst of news just after a cut)


@dataclass(frozen=True, slots=True)
class Dated:
    """One article as the windows are planned: its day (None: undated), arrival and id."""

    day: date | None
    seq: int
    id: str


@dataclass(frozen=True, slots=True)
class Window:
    own: tuple[str, ...]  # the articles this window decides
    guests: tuple[str, ...] = ()  # the next window's first days, clustered here for overlap

    @property
    def ids(self) -> tuple[str, ...]:
        return self.own + self.guests


def plan_windows(articles: Iterable[Dated], size: int | None = None,
                 overlap_days: int | None = None, max_guests: int | None = None) -> list[Window]:
    """Cut the archive into windows: dated articles by (day, id), at most ``size`` (a day is
    not split unless it alone passes size + size/10), each with the next ``overlap_days``
    days as guests (at most ``max_guests``); then the undated ones in arrival order, ``size``
    at a time, with none. Defaults: the module's constants."""
    size = size or WINDOW_ARTICLES
    overlap_days = OVERLAP_DAYS if overlap_days is None else overlap_days
    max_guests = size // 4 if max_guests is None else max_guests
    items = list(articles)
    dated = sorted((a for a in items if a.day is not None), key=lambda a: (a.day, a.id))
    undated = sorted((a for a in items if a.day is None), key=lambda a: (a.seq, a.id))
    windows: list[Window] = []
    start = 0
    while start < len(dated):
        end = min(start + size, len(dated))
        while end < len(dated) and end < start + size + size // 10 \
                and dated[end].day == dated[end - 1].day:
            end += 1
        horizon = dated[end - 1].day + timedelta(days=overlap_days)
        stop = end
        while stop < len(dated) and stop < end + max_guests and dated[stop].day <= horizon:
            stop += 1
        windows.append(Window(tuple(a.id for a in dated[start:end]),
                              tuple(a.id for a in dated[end:stop])))
        start = end
    for s in range(0, len(undated), size):
        windows.append(Window(tuple(a.id for a in undated[s:s + size])))
    return windows


def window_stories(docs: list[Doc], params: ClusterParams) -> list[list[str]]:
    """One window's pair run (on whichever process the engine gives it)."""
    from .pairwise import pair_groups

    return pair_groups(docs, params)


def stitch(results: Iterable[tuple[Window, list[list[str]]]],
           order: Callable[[str], object]) -> list[list[str]]:
    """The archive's stories from each window's groups: a group joins its articles if it holds
    at least one of the window's own (a group of guests alone is the next window's to decide);
    stories are the connected parts (as ``consensus.majority_groups`` takes them). Each story
    in ``order`` (arrival), the stories ordered by their first member."""
    import numpy as np
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    index: dict[str, int] = {}
    heads, tails = array("q"), array("q")
    for window, groups in results:
        own = set(window.own)
        for group in groups:
            if any(aid in own for aid in group):
                head = index.setdefault(group[0], len(index))
                for aid in group:
                    heads.append(head)
                    tails.append(index.setdefault(aid, len(index)))
    n = len(index)
    graph = coo_matrix((np.ones(len(heads)), (np.frombuffer(heads, dtype=np.int64),
                                               np.frombuffer(tails, dtype=np.int64))),
                       shape=(n, n))
    _count, component = connected_components(graph, directed=False)
    stories: dict[int, list[str]] = {}
    for aid, k in index.items():
        stories.setdefault(int(component[k]), []).append(aid)
    out = [sorted(members, key=order) for members in stories.values()]
    out.sort(key=lambda g: order(g[0]))
    return out


def windowed_groups(articles: Sequence[Dated], fetch: Callable[[Sequence[str]], list[Doc]],
                    params: ClusterParams, engine: Engine | None = None,
                    notify: Progress | None = None) -> list[list[str]]:
    """The pair mode over ``articles`` window by window (``fetch``: the docs of some ids, read
    as each window goes out, so the client holds only the windows in flight), the windows'
    runs on ``engine``; ``notify`` hears ("pair windows", (done, total))."""
    engine = engine or LocalEngine()
    windows = plan_windows(articles)
    arrival = {a.id: (a.seq, a.id) for a in articles}

    def docs() -> Iterator[list[Doc]]:
        for window in windows:
            yield fetch(window.ids)

    def results() -> Iterator[tuple[Window, list[list[str]]]]:
        for k, (window, groups) in enumerate(zip(windows, engine.map(window_stories, docs(),
                                                                    ahead=1, params=params)), 1):
            if notify:
                notify("pair windows", (k, len(windows)))
            yield window, groups

    return stitch(results(), arrival.__getitem__)


def recent(articles: Sequence[Dated], days: float, cap: int | None = None) -> list[Dated]:
    """The articles a stream would still compare new ones with after a windowed rebuild:
    those dated within ``days`` of the newest (``ClusterParams.close_after_days``), at most
    ``cap`` of the newest (default: a window's size); in arrival order."""
    cap = cap or WINDOW_ARTICLES
    dated = sorted((a for a in articles if a.day is not None), key=lambda a: (a.day, a.id))
    if not dated:
        return []
    since = dated[-1].day - timedelta(days=days)
    kept = [a for a in dated[-cap:] if a.day >= since]
    return sorted(kept, key=lambda a: (a.seq, a.id))
