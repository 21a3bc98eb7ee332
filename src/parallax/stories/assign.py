"""Keep the stored stories up to date: lineage and clustering for the articles that arrived
since the last run, resumed from the state the last run saved.

The clusterer's state (vocabularies, story centroids, candidate index) is saved in the store
after each run; lineage keeps its band keys and groups in the store's tables. A run therefore
reads only the new articles, and gives exactly what a replay of the whole archive in arrival
order would give. The saved state is dropped and the archive replayed when it cannot be
trusted: no state yet, other clustering settings, or an article replaced by a newer version.
"""

from __future__ import annotations

import json
import zlib
from dataclasses import asdict
from itertools import islice
from typing import Any

from ..engines import Engine
from ..records import Article
from ..settings import Settings
from ..store import Store, StoryAssignment
from ..textutil import lede
from .embeddings import get_embedder, with_embeddings
from .features import Doc, day_of
from .lineage import Lineage
from .rebuild import (PAIRS_MIN_ARTICLES, Member, Progress, batch, batch_member, check_mode,
                      in_windows)
from .online import ClusterParams, OnlineClusterer, doc_counts
from .windows import Dated, recent, windowed_groups

STATE_NAME = "stories"
STATE_FORMAT = 1


def params_from(settings: Settings | None) -> ClusterParams:
    s = settings or Settings()
    check_mode(s.story_batch)
    threshold = s.story_embedding_threshold if s.story_embedder else s.story_threshold
    return ClusterParams(threshold=threshold, entity_weight=s.story_entity_weight,
                         window_days=s.story_time_window_days,
                         time_scale_days=s.story_time_scale_days,
                         time_bonus=s.story_time_bonus,
                         merge_threshold=s.story_merge_threshold,
                         short_terms=s.story_short_terms,
                         embedder=s.story_embedder,
                         embedding_weight=s.story_embedding_weight)


def article_doc(article: Article) -> Doc:
    """What clustering reads of an article: 'title\nbody'; a headline stored with no body
    (``metadata.headline_only``: its text is its title, as cleaning repaired it) reads as
    'title\n', a headline (``rebuild.headline_only``)."""
    if article.metadata.get("headline_only"):
        return Doc(article.id, f"{article.text}\n", article.date)
    return Doc(article.id, f"{article.title or ''}\n{article.text}", article.date)


def first_sentence(article: Article) -> str:
    """An untitled story's title: its founding article's first sentence, cut at 120 characters."""
    return lede(article.text, 120)


# A story's title as saved between runs (JSON): [arrival of the titled article, title], or
# [None, first sentence of the founding article] while no member has a title.
Title = list


def _merge_titles(keep: Title | None, drop: Title | None) -> Title | None:
    """Two stories became one: the earlier titled member names it, else the older story's."""
    if keep is None or (drop is not None and drop[0] is not None
                        and (keep[0] is None or drop[0] < keep[0])):
        return drop
    return keep


class StoryRun:
    """One pass of lineage and clustering over articles in arrival order."""

    def __init__(self, store: Store, settings: Settings, clusterer: OnlineClusterer,
                 titles: dict[str, Title], *, full: bool, windows: tuple[str, str] | None = None):
        """``windows``: a rebuild in time windows (``rebuild.in_windows``: the method and why),
        whose pass keeps only each article's day and title; its stories come in ``refine``."""
        self.store, self.settings, self.full = store, settings, full
        self.clusterer = clusterer
        self.lineage = Lineage(settings.lineage_threshold, store.lineage_index())
        self.titles = titles
        self.dirty: set[str] = set()  # articles whose assignment must be saved
        self.touched: set[str] = set()  # stories whose title must be saved
        self.first_seen: dict[str, tuple[int, str | None, str]] = {}  # full runs: per article
        self.members: list[Member] = []  # what the batch pass needs (a batch clusterer only)
        self.windows = windows
        self.dated: list[Dated] = []  # a rebuild in windows: each article's day and arrival
        self.batch_count = 0  # the store's articles when a batch pass (rebuild, settle) last ran

    def add(self, seq: int, article: Article, doc: Doc | None = None) -> None:
        """One article in arrival order; ``doc``: what the clusterer sees of it, when made
        beforehand (with its embedding)."""
        self.dirty.update(self.lineage.add(article, arrival=seq).changed)
        if self.windows:  # no vectors: the windows read the texts again (refine)
            self.dated.append(Dated(day_of(article.date), seq, article.id))
            self.first_seen[article.id] = (seq, article.title, first_sentence(article))
            return
        doc = doc or article_doc(article)
        counts = doc_counts(doc)
        self.clusterer.add(doc, counts)
        if self.clusterer.keep_vectors:
            self.members.append(batch_member(doc, counts, self.settings.story_batch))
        self._collect()
        sid = self.clusterer.story_of[article.id]
        sentence = first_sentence(article)
        self._note_title(sid, seq, article.title, sentence)
        self.touched.add(sid)
        if self.full:
            self.first_seen[article.id] = (seq, article.title, sentence)

    def _note_title(self, sid: str, seq: int, title: str | None, sentence: str) -> None:
        """A member arrived (in arrival order): it names the story if it is the first member,
        or the first one with a title."""
        own = self.titles.get(sid)
        if own is None:
            self.titles[sid] = [seq, title] if title else [None, sentence]
        elif own[0] is None and title:
            self.titles[sid] = [seq, title]

    def refine(self, notify: Progress | None = None, engine: Engine | None = None) -> None:
        """The batch pass (``stories.rebuild``) over every article seen; its work on
        ``engine``."""
        if self.windows:
            self._refine_in_windows(notify, engine)
        else:
            batch(self.clusterer, self.members, self.settings.story_rebuild_runs, notify,
                  self.settings.story_batch, engine=engine)
        self.members = []
        self._collect()
        self.titles = {}  # articles moved between stories: titles from scratch
        for aid, (seq, title, sentence) in self.first_seen.items():  # in arrival order
            self._note_title(self.clusterer.story_of[aid], seq, title, sentence)
        self.touched = set(self.titles)

    def _refine_in_windows(self, notify: Progress | None, engine: Engine | None) -> None:
        """The pair mode window by window (``stories.windows``); the stream goes on from a
        clusterer that holds the recent articles' vectors, older stories closed."""
        if notify:
            notify("batch method", self.windows)
        params = self.clusterer.p

        def fetch(ids):
            return [article_doc(a) for a in self.store.get_articles(ids)]

        groups = windowed_groups(self.dated, fetch, params, engine, notify)
        days = {a.id: a.day for a in self.dated}
        latest = fetch([a.id for a in recent(self.dated, params.close_after_days)])
        self.dated = []
        self.clusterer = OnlineClusterer.from_groups(params, groups, days, latest)

    def _collect(self) -> None:
        changed, absorbed = self.clusterer.take_changes()
        self.dirty.update(changed)
        for drop, keep in absorbed:
            self.titles[keep] = _merge_titles(self.titles.get(keep), self.titles.pop(drop, None))
            self.touched.add(keep)
            self.touched.discard(drop)

    def assignments(self, ids: set[str] | None = None) -> list[StoryAssignment]:
        ids = sorted(self.dirty if ids is None else ids)
        index = self.lineage.index
        groups = index.groups_of(ids)
        origins = {gid: index.origin(gid) for gid in set(groups.values())}
        return [StoryAssignment(aid, self.clusterer.story_of[aid], groups.get(aid),
                                origins.get(groups.get(aid)) == aid) for aid in ids]

    def story_titles(self) -> dict[str, str]:
        return {sid: self.titles[sid][1] for sid in sorted(self.touched) if sid in self.titles}

    def dump(self, seq: int, count: int) -> bytes:
        state = {"format": STATE_FORMAT, "fingerprint": fingerprint(self.settings), "seq": seq,
                 "count": count, "batch_count": self.batch_count,
                 "clusterer": self.clusterer.state(), "titles": self.titles}
        return zlib.compress(json.dumps(state, separators=(",", ":")).encode(), 1)


def fingerprint(settings: Settings) -> dict[str, Any]:
    """The settings a saved state was made with: other settings, other stories."""
    return {"params": asdict(params_from(settings)), "lineage": settings.lineage_threshold}


def _resume(store: Store, settings: Settings) -> tuple[StoryRun, int, int] | None:
    """The run the saved state left, the last article it saw and the store's count then."""
    blob = store.get_state(STATE_NAME)
    if blob is None:
        return None
    try:
        state = json.loads(zlib.decompress(blob))
    except (zlib.error, ValueError):
        return None
    if state.get("format") != STATE_FORMAT or state.get("fingerprint") != fingerprint(settings):
        return None
    if store.count_articles(upto=state["seq"]) != state["count"]:
        return None  # an article was replaced by a newer version since: replay
    clusterer = OnlineClusterer.from_state(state["clusterer"], params_from(settings))
    run = StoryRun(store, settings, clusterer, state["titles"], full=False)
    # a state of before 2026-12-07 counts from its own last run
    run.batch_count = state.get("batch_count", state["count"])
    return run, state["seq"], state["count"]


EMBED_BATCH = 64  # articles embedded together (when an embedder is configured)
# an update settles when the articles new since the last batch are 1/SETTLE_SHARE of the store,
# or 1/SMALL_SETTLE_SHARE of a store of up to story_settle_small articles
SETTLE_SHARE = 4
SMALL_SETTLE_SHARE = 100


def settles(settings: Settings, total: int, at_batch: int = 0,
            at_last_run: int | None = None) -> str | None:
    """Why this update clusters the whole store of ``total`` articles again in batch instead
    of placing its new articles online, or None. The store must hold PAIRS_MIN_ARTICLES to
    ``story_settle_max`` articles, some of them new since the batch pass last ran (when the
    store held ``at_batch``). Up to ``story_settle_small`` articles an update settles as
    soon as those are a SMALL_SETTLE_SHARE-th of the store (any update of a feed's items;
    articles posted one at a time to the API settle every tenth at 1,000 articles, so a
    batch costs each new article at most about SMALL_SETTLE_SHARE articles' clustering): a
    batch that small costs seconds, and the stories then do not depend on arrival order.
    Past it, the new articles must be at least a SETTLE_SHARE-th of the store: a
    folder or an archive ingested at once, or a stream whose articles placed online since
    the last batch have grown the store by a quarter (a feed's few new items are placed
    online, and each settle's batch is at most about SETTLE_SHARE times the articles that
    asked for it, so a stream's batches cost a few times its own articles in all). With
    ``at_last_run`` (the store's count when the previous update ran) the reason also says
    how many came in this update and how many were placed online before it."""
    limit = settings.story_settle_max
    if limit <= 0 or not PAIRS_MIN_ARTICLES <= total <= limit:
        return None
    new = total - at_batch
    share = SMALL_SETTLE_SHARE if total <= settings.story_settle_small else SETTLE_SHARE
    if new <= 0 or new * share < total:
        return None
    why = f"{new:,} new of {total:,} articles"
    if at_last_run is not None and at_last_run != at_batch:
        here = total - at_last_run
        why += f": {here:,} in this update, {new - here:,} placed online before"
    if new * SETTLE_SHARE < total:
        why += (f" (a store of up to {settings.story_settle_small:,} articles settles"
                f" once 1/{SMALL_SETTLE_SHARE} of it is new)")
    return why


def _batches(items, size: int):
    """Lists of ``size`` items (the last shorter)."""
    it = iter(items)
    return iter(lambda: list(islice(it, size)), [])


def assign_stories(store: Store, settings: Settings, *, rebuild: bool = False,
                   notify: Progress | None = None, engine: Engine | None = None) -> int:
    """Assign the articles stored since the last run (all of them with ``rebuild``, which
    also runs the batch pass, as does an update that ``settles``) and save story membership,
    titles and the stage state. Returns the number of articles whose story or lineage was
    saved anew. ``notify`` hears ("clustered", (done, total)), ("settle", why) when an
    update settles, and in a rebuild ("batch method", (method, why)) and the method's
    progress (``stories.rebuild.Progress``)."""
    with store.transaction():
        upto = store.last_seq()
        count = store.count_articles(upto=upto)  # assigning adds none: one count serves the run
        resumed = None if rebuild else _resume(store, settings)
        at_batch, at_last_run = (resumed[0].batch_count, resumed[2]) if resumed else (0, None)
        if not rebuild and (why := settles(settings, count, at_batch, at_last_run)):
            rebuild, resumed = True, None
            if notify:
                notify("settle", why)
        if resumed is None:
            store.lineage_index().clear()
            windows = in_windows(settings.story_batch, count,
                                 bool(settings.story_embedder)) if rebuild else None
            clusterer = OnlineClusterer(params_from(settings), keep_vectors=rebuild and not windows,
                                        track_changes=True)
            run = StoryRun(store, settings, clusterer, {}, full=True, windows=windows)
            since, before = 0, 0
        else:
            run, since, before = resumed
        embedder = None if run.windows else get_embedder(settings.story_embedder)
        total, done = count - before, 0
        for chunk in _batches(store.iter_articles_since(since, upto=upto), EMBED_BATCH):
            docs = with_embeddings([article_doc(a) for _s, a in chunk], embedder)
            for (seq, article), doc in zip(chunk, docs):
                run.add(seq, article, doc)
            done += len(chunk)
            if notify:
                notify("clustered", (done, total))
        if rebuild:
            run.refine(notify, engine)
            run.batch_count = count
        if run.full:  # rewrite every row: a replaced version leaves its story here
            fresh = run.assignments(set(run.first_seen))
            if rebuild:
                changed = fresh
            else:
                known = {x.article_id: x for x in store.assignments()}
                changed = [x for x in fresh if known.get(x.article_id) != x]
            store.save_assignments(fresh, run.story_titles(), replace_all=True)
        else:
            changed = run.assignments()
            store.save_assignments(changed, run.story_titles())
        store.put_state(STATE_NAME, run.dump(upto, count))
    return len(changed)
