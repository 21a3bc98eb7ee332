"""Online story clustering: each article joins the most similar story or starts a new one.

Similarity of an article to a story = (1 - w) * cosine of content words + w * cosine of names,
times a time factor (1 inside the window, decaying outside it). Candidate stories come from an
inverted index over each story's heaviest terms, with bounded postings, so the cost of one
article does not grow with the archive. A story that grows close to another is merged into the
older one, whose id survives: ids stay stable as articles arrive.
"""

from __future__ import annotations

import hashlib
import math
from collections import Counter, defaultdict, deque
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np

from .features import Doc, Vocabulary, add_into, cosine, names, terms


@dataclass(frozen=True)
class ClusterParams:
    threshold: float = 0.28  # join a story at this similarity or more
    entity_weight: float = 0.5  # weight of names against content words
    window_days: float = 7.0  # no time penalty within this distance
    time_scale_days: float = 30.0  # beyond the window the factor decays with this scale
    time_bonus: float = 1.6  # both dated and inside the window: similarity multiplied by this
    merge_threshold: float = 0.7  # two stories this similar become one
    # Short texts (a headline, a snippet) share fewer words with their story's other reports,
    # so an article with fewer than this many distinct content terms joins at a lower
    # similarity: threshold x sqrt(terms / short_terms). 0 = one threshold for every article.
    short_terms: int = 80
    keep_terms: int = 80  # terms kept per article vector
    keep_centroid: int = 200  # terms kept per story centroid
    probe_terms: int = 10  # heaviest terms of an article used to find candidates
    max_candidates: int = 12  # stories compared per article (those sharing most index terms)
    max_postings: int = 64  # most recent stories kept per index term
    # A dated story this many days older than every article of the last RECENT dated arrivals
    # is closed: its vectors are dropped (an article that far away cannot reach the threshold:
    # the time factor is below 0.02), which keeps memory and time per article flat on an
    # endless stream.
    close_after_days: float = 150.0
    # Dense embeddings, optional (stories.embeddings): the registry name of the embedder
    # ('' = none), and the weight of embedding cosine against the words-and-names similarity.
    embedder: str = ""
    embedding_weight: float = 0.3


CLOSE_EVERY = 1000  # arrivals between two looks for stories to close
# Dated arrivals whose oldest date is the horizon of closing: few enough that a stream in date
# order closes its stories days after they go quiet (the horizon trails the newest date by
# what RECENT articles span), many enough that an old archive ingested among new articles
# keeps its stories open.
RECENT = 200


def gap_factor(gap: float, p: ClusterParams) -> float:
    """The time factor of two dated things ``gap`` days apart: the bonus within the window
    (published close together: evidence of one event), an exponential decay beyond it."""
    if gap <= p.window_days:
        return p.time_bonus
    return math.exp(-(gap - p.window_days) / p.time_scale_days)


def doc_counts(doc: Doc) -> tuple[Counter[str], Counter[str]]:
    """Content-word and name counts of one article: the part of clustering that needs no
    shared state, so it can run in other processes."""
    return terms(doc.text), Counter(doc.entities) if doc.entities else names(doc.text)


def story_id_for(article_id: str) -> str:
    """A story's id comes from its founding article, so it stays stable as articles arrive."""
    return "s" + hashlib.sha256(article_id.encode()).hexdigest()[:11]


@dataclass(eq=False)
class Story:
    """A story's running state: sums of its members' vectors (pruned to the heaviest terms)
    and their norms, members and date range."""

    id: str
    seq: int  # creation order: the older story survives a merge
    content: dict[str, float] = field(default_factory=dict)
    entities: dict[str, float] = field(default_factory=dict)
    members: list[str] = field(default_factory=list)
    first: date | None = None
    last: date | None = None
    dense: Any = None  # sum of the members' embeddings (numpy), when an embedder is used
    words: int = 0  # sum of the members' distinct content terms (their length, for short texts)
    _norms: tuple[float, float, float] | None = None

    def norms(self) -> tuple[float, float, float]:
        """Lengths of the content, names and embedding sums (1 for an empty one), cached
        until the story changes."""
        if self._norms is None:
            self._norms = (math.sqrt(sum(v * v for v in self.content.values())) or 1.0,
                           math.sqrt(sum(v * v for v in self.entities.values())) or 1.0,
                           float(np.linalg.norm(self.dense)) or 1.0
                           if self.dense is not None else 1.0)
        return self._norms

    def add(self, content: dict[str, float], entities: dict[str, float], day: date | None,
            keep: int, sign: float = 1.0, dense: Any = None) -> None:
        add_into(self.content, content, sign)
        add_into(self.entities, entities, sign)
        if dense is not None:
            self.dense = sign * dense if self.dense is None else self.dense + sign * dense
        if len(self.content) > 2 * keep:
            self.content = _top(self.content, keep)
        if len(self.entities) > 2 * keep:
            self.entities = _top(self.entities, keep)
        self._norms = None
        if sign > 0:
            self._widen(day)

    def mean_words(self) -> float:
        """The mean number of distinct content terms of the story's articles."""
        return self.words / len(self.members) if self.members else 0.0

    def absorb(self, other: "Story", keep: int) -> None:
        """Take in another story: its vector sums, members and date range."""
        self.add(other.content, other.entities, None, keep, dense=other.dense)
        self.words += other.words
        self._widen(other.first)
        self._widen(other.last)
        self.members.extend(other.members)

    def _widen(self, day: date | None) -> None:
        if day:
            self.first = day if self.first is None or day < self.first else self.first
            self.last = day if self.last is None or day > self.last else self.last


def _array(values: list[float]) -> Any:
    return np.asarray(values, dtype=np.float32)


def _top(vec: dict[str, float], keep: int) -> dict[str, float]:
    return dict(sorted(vec.items(), key=lambda kv: (-kv[1], kv[0]))[:keep])


@dataclass
class _Vectors:
    content: dict[str, float]
    entities: dict[str, float]
    day: date | None
    dense: Any = None  # the article's unit embedding, or a story's mean direction


class OnlineClusterer:
    def __init__(self, params: ClusterParams | None = None, *, keep_vectors: bool = True,
                 track_changes: bool = False):
        """``keep_vectors``: remember each article's vectors (needed by :meth:`refine`; a
        long-running stream can switch it off to keep memory flat). ``track_changes``: record
        what :meth:`take_changes` returns (for a caller that saves only what changed)."""
        self.p = params or ClusterParams()
        self.keep_vectors = keep_vectors
        self.content_vocab = Vocabulary()
        self.entity_vocab = Vocabulary()
        self.stories: dict[str, Story] = {}
        self.story_of: dict[str, str] = {}  # article id -> story id
        self.vectors: dict[str, _Vectors] = {}
        self.index: dict[str, deque[str]] = defaultdict(lambda: deque(maxlen=self.p.max_postings))
        self._seq = 0
        # the dates of the last RECENT dated arrivals: a story is closed only when it is far
        # older than all of them (an archive ingested out of date order keeps its stories)
        self.recent: deque[date] = deque(maxlen=RECENT)
        self._since_close = 0
        # What changed since the last take_changes(): articles whose story changed, and the
        # stories merged away (dropped id -> surviving id), so a caller saves only those.
        self.track_changes = track_changes
        self.changed: set[str] = set()
        self.absorbed: list[tuple[str, str]] = []

    # -- saved state ----------------------------------------------------------------------------
    def state(self) -> dict:
        """Everything needed to go on where this clusterer stopped (JSON-ready). Article
        vectors are not part of it: a clusterer that keeps them is a batch, not a stream."""
        return {
            "content_vocab": self.content_vocab.state(),
            "entity_vocab": self.entity_vocab.state(),
            "stories": [[st.id, st.seq, st.content, st.entities, st.members,
                         st.first.isoformat() if st.first else None,
                         st.last.isoformat() if st.last else None,
                         None if st.dense is None else [round(float(x), 6) for x in st.dense],
                         st.words]
                        for st in self.stories.values()],
            "index": {key: kept for key, postings in self.index.items()
                      if (kept := [sid for sid in postings if self._open(sid)])},
            "seq": self._seq,
            "since_close": self._since_close,
            "recent": [d.isoformat() for d in self.recent],
        }

    @classmethod
    def from_state(cls, state: dict, params: ClusterParams | None = None) -> "OnlineClusterer":
        self = cls(params, keep_vectors=False, track_changes=True)
        self.content_vocab = Vocabulary.from_state(state["content_vocab"])
        self.entity_vocab = Vocabulary.from_state(state["entity_vocab"])
        for sid, seq, content, entities, members, first, last, *rest in state["stories"]:
            dense = rest[0] if rest else None
            # a state saved before story lengths were kept: its stories count as full texts
            words = rest[1] if len(rest) > 1 else len(members) * self.p.keep_terms
            story = Story(sid, seq, content, entities, members,
                          date.fromisoformat(first) if first else None,
                          date.fromisoformat(last) if last else None,
                          _array(dense) if dense is not None else None, words)
            self.stories[sid] = story
            for aid in members:
                self.story_of[aid] = sid
        for key, postings in state["index"].items():
            self.index[key].extend(postings)
        self._seq = state["seq"]
        self._since_close = state["since_close"]
        self.recent.extend(date.fromisoformat(d) for d in state.get("recent", ()))
        return self

    @classmethod
    def from_groups(cls, params: ClusterParams, groups: list[list[str]],
                    days: dict[str, date | None], recent: list[Doc]) -> "OnlineClusterer":
        """A stream clusterer whose stories are ``groups`` (each in arrival order, ordered by
        their first member; named after it), as a windowed rebuild leaves them without a
        vector per article: only the ``recent`` articles (given in arrival order) are
        vectorised, with a vocabulary counted over them; a story with none of them is closed
        (its members and dates kept, nothing to compare with), as old stories of a stream
        are. ``days``: every member's day."""
        self = cls(params, keep_vectors=False, track_changes=True)
        vectors = {doc.id: self._vectorize(doc) for doc in recent}
        self.recent.extend(v.day for v in vectors.values() if v.day)
        for group in groups:
            story = self._new_story(group[0])
            for aid in group:
                vec = vectors.get(aid)
                if vec is None:
                    story._widen(days.get(aid))
                    story.members.append(aid)
                    self.story_of[aid] = story.id
                    self.changed.add(aid)
                else:
                    self._join(aid, vec, story)
        return self

    def take_changes(self) -> tuple[set[str], list[tuple[str, str]]]:
        changed, absorbed = self.changed, self.absorbed
        self.changed, self.absorbed = set(), []
        return changed, absorbed

    # -- public ---------------------------------------------------------------------------------
    def add(self, doc: Doc, counts: tuple[Counter[str], Counter[str]] | None = None) -> str:
        """Assign one article; returns its story id (which may later be merged away: read
        ``story_of`` for the current assignment). ``counts``: the article's (terms, names)
        when computed elsewhere (see :func:`doc_counts`, which parallelises)."""
        vec = self._vectorize(doc, counts)
        if vec.day:
            self.recent.append(vec.day)
        self._since_close += 1
        if self._since_close >= CLOSE_EVERY:
            self._close_old_stories()
        candidates = self._candidates(vec)
        best, best_sim = None, 0.0
        for story in candidates:
            sim = self.similarity(vec, story)
            if sim >= self.threshold_for(vec, story) and sim >= best_sim:
                best, best_sim = story, sim
        if best is None:
            best = self._new_story(doc.id)
        self._join(doc.id, vec, best)
        size = len(best.members)
        if size >= 2 and size & (size - 1) == 0:  # each time a story doubles, look for twins
            self._maybe_merge(best, candidates)
        return self.story_of[doc.id]

    def threshold_for(self, vec: _Vectors, story: Story | None = None) -> float:
        """The similarity at which this article joins ``story``: lower when the article and the
        story's articles are short texts (headlines, snippets), which share fewer words with
        the other reports of their event."""
        short = self.p.short_terms
        if short <= 0:
            return self.p.threshold
        # both must be short: a headline is held to the full threshold against a story of
        # full reports, whose every article it would otherwise reach too easily
        n = max(len(vec.content), story.mean_words() if story is not None else 0)
        if n >= short:
            return self.p.threshold
        return self.p.threshold * math.sqrt(max(n, 1) / short)

    def similarity(self, vec: _Vectors, story: Story) -> float:
        factor = self.time_factor(vec.day, story.first, story.last)
        if factor < self.threshold_for(vec) or not story.content:
            return 0.0  # too far apart in time to reach the threshold whatever the words
        cn, en, dn = story.norms()
        w = self.p.entity_weight
        sim = (1 - w) * cosine(vec.content, story.content) / cn
        if vec.entities:
            sim += w * cosine(vec.entities, story.entities) / en
        if vec.dense is not None and story.dense is not None:
            d = self.p.embedding_weight
            sim = (1 - d) * sim + d * float(vec.dense @ story.dense) / dn
        return sim * factor

    def time_factor(self, day: date | None, first: date | None, last: date | None) -> float:
        """> 1 when both are dated close together, 1 when a date is unknown, < 1 when far."""
        if day is None or first is None:
            return 1.0
        gap = (first - day).days if day < first else (day - last).days if day > last else 0
        return gap_factor(gap, self.p)

    def refine(self, order: list[str], passes: int = 2) -> int:
        """Batch improvement: move each article to the story it fits best now that every story
        is complete, then merge converged stories. Returns the number of moves."""
        moves = 0
        for _ in range(passes):
            changed = 0
            for aid in order:
                vec = self.vectors[aid]
                own = self.stories[self.story_of[aid]]
                if len(own.members) == 1:
                    continue
                own.add(vec.content, vec.entities, None, self.p.keep_centroid, -1.0,
                        vec.dense)  # leave one out
                own_sim = self.similarity(vec, own)
                best, best_sim = own, own_sim
                for story in self._candidates(vec):
                    if story is own:
                        continue
                    sim = self.similarity(vec, story)
                    if sim > best_sim + 1e-9 and sim >= self.threshold_for(vec, story):
                        best, best_sim = story, sim
                own.add(vec.content, vec.entities, None, self.p.keep_centroid, 1.0, vec.dense)
                if best is not own:
                    self._move(aid, own, best)
                    changed += 1
            for sid in list(self.stories):
                story = self.stories.get(sid)
                if story is not None:
                    self._maybe_merge(story, self._candidates(self._centroid(story)))
            moves += changed
            if not changed:
                break
        return moves

    def adopt(self, groups: list[list[str]]) -> int:
        """Batch: make the stories exactly ``groups`` (article ids, each group in arrival
        order, groups ordered by their first member), as ``stories.consensus`` decides them.
        A group keeps the id of the story holding most of its members (the older on a tie)
        unless an earlier group took it; else it is named after its first member. Story sums,
        dates and the candidate index are rebuilt from the members' vectors. Returns the
        number of articles that changed story."""
        old = {sid: story.seq for sid, story in self.stories.items()}
        taken: set[str] = set()
        new_of: dict[str, str] = {}
        stories: dict[str, Story] = {}
        for group in groups:
            held = Counter(self.story_of[aid] for aid in group)
            ranked = sorted(held, key=lambda s: (-held[s], old[s]))
            free = [sid for sid in ranked if sid not in taken]
            sid = free[0] if free else self._fresh_id(group[0], taken)
            taken.add(sid)
            story = Story(sid, old.get(sid) or self._next_seq())
            for aid in group:
                new_of[aid] = sid
                vec = self.vectors[aid]
                story.add(vec.content, vec.entities, vec.day, self.p.keep_centroid, dense=vec.dense)
                story.members.append(aid)
                story.words += len(vec.content)
            stories[sid] = story
        moves = sum(self.story_of[aid] != sid for aid, sid in new_of.items())
        if self.track_changes:
            self.changed.update(aid for aid, sid in new_of.items() if self.story_of[aid] != sid)
        self.stories = dict(sorted(stories.items(), key=lambda kv: kv[1].seq))
        self.story_of.update(new_of)
        self.index.clear()
        for story in self.stories.values():
            for aid in story.members:
                self._post(self.vectors[aid], story.id)
        return moves

    def _next_seq(self) -> int:
        self._seq += 1
        return self._seq

    def _fresh_id(self, article_id: str, taken: set[str]) -> str:
        sid, n = story_id_for(article_id), 0
        while sid in taken or sid in self.stories:
            n += 1
            sid = story_id_for(f"{article_id}#{n}")
        return sid

    def assignments(self) -> dict[str, str]:
        return dict(self.story_of)

    def _close_old_stories(self) -> None:
        self._since_close = 0
        if not self.recent or self.keep_vectors:
            return  # nothing dated yet; or a batch run, which keeps everything for refine
        # the oldest date arriving lately: in a stream in date order they are days apart; an
        # old archive ingested after a new one keeps its stories open while its articles arrive
        horizon = min(self.recent)
        for story in self.stories.values():
            if story.last and (horizon - story.last).days > self.p.close_after_days \
                    and story.content:
                story.content, story.entities, story._norms, story.dense = {}, {}, None, None

    # -- internals ------------------------------------------------------------------------------
    def _vectorize(self, doc: Doc, counts=None) -> _Vectors:
        content, ents = counts if counts is not None else doc_counts(doc)
        self.content_vocab.add(content)
        self.entity_vocab.add(ents)
        vec = _Vectors(self.content_vocab.weigh(content, self.p.keep_terms),
                       self.entity_vocab.weigh(ents, self.p.keep_terms), doc.day,
                       doc.embedding)
        if self.keep_vectors:
            self.vectors[doc.id] = vec
        return vec

    def _probe(self, vec: _Vectors) -> list[str]:
        top_c = sorted(vec.content, key=lambda t: (-vec.content[t], t))[: self.p.probe_terms]
        top_e = sorted(vec.entities, key=lambda t: (-vec.entities[t], t))[: self.p.probe_terms // 2]
        return ["c:" + t for t in top_c] + ["e:" + t for t in top_e]

    def _candidates(self, vec: _Vectors) -> list[Story]:
        hits: Counter[str] = Counter()
        for key in self._probe(vec):
            postings = self.index.get(key)
            if postings:
                hits.update(sid for sid in set(postings) if self._open(sid))
        ranked = sorted(hits, key=lambda sid: (-hits[sid], self.stories[sid].seq))
        return [self.stories[sid] for sid in ranked[: self.p.max_candidates]]

    def _open(self, sid: str) -> bool:
        """A story that can still take articles: not merged away, not closed for age. Only
        these are candidates (closed ones would take the places of open ones: on a long
        stream that cost a third of the recall, bench/scale_bench.py)."""
        story = self.stories.get(sid)
        return story is not None and bool(story.content)

    def _new_story(self, article_id: str) -> Story:
        story = Story(story_id_for(article_id), self._next_seq())
        self.stories[story.id] = story
        return story

    def _join(self, aid: str, vec: _Vectors, story: Story) -> None:
        story.add(vec.content, vec.entities, vec.day, self.p.keep_centroid, dense=vec.dense)
        story.members.append(aid)
        story.words += len(vec.content)
        self.story_of[aid] = story.id
        if self.track_changes:
            self.changed.add(aid)
        self._post(vec, story.id)

    def _post(self, vec: _Vectors, sid: str) -> None:
        """Index story ``sid`` under the probe terms of ``vec`` (an article or a centroid)."""
        for key in self._probe(vec):
            postings = self.index[key]
            if not postings or postings[-1] != sid:
                postings.append(sid)

    def _move(self, aid: str, src: Story, dst: Story) -> None:
        vec = self.vectors[aid]
        src.add(vec.content, vec.entities, None, self.p.keep_centroid, -1.0, vec.dense)
        src.members.remove(aid)
        src.words -= len(vec.content)
        self._recompute_dates(src)
        self._join(aid, vec, dst)

    def _recompute_dates(self, story: Story) -> None:
        days = [self.vectors[a].day for a in story.members if self.vectors[a].day]
        story.first = min(days) if days else None
        story.last = max(days) if days else None

    def _centroid(self, story: Story) -> _Vectors:
        cn, en, dn = story.norms()
        dense = story.dense / dn if story.dense is not None else None
        return _Vectors({t: v / cn for t, v in story.content.items()},
                        {t: v / en for t, v in story.entities.items()}, None, dense)

    def _maybe_merge(self, story: Story, candidates: list[Story]) -> None:
        """Merge ``story`` with any candidate it has grown close to (the older id survives)."""
        if story.id not in self.stories:
            return
        probe = self._centroid(story)
        for other in candidates:
            if other is story or other.id not in self.stories:
                continue
            sim = self.similarity(probe, other) * self.time_factor(story.first, other.first,
                                                                   other.last)
            if sim >= self.p.merge_threshold:
                keep, drop = (story, other) if story.seq < other.seq else (other, story)
                self._absorb(keep, drop)
                story = keep
                probe = self._centroid(story)

    def _absorb(self, keep: Story, drop: Story) -> None:
        keep.absorb(drop, self.p.keep_centroid)
        for aid in drop.members:
            self.story_of[aid] = keep.id
        if self.track_changes:
            self.changed.update(drop.members)
            self.absorbed.append((drop.id, keep.id))
        del self.stories[drop.id]
        self._post(self._centroid(keep), keep.id)  # find the merged story by its terms

