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

from .features import Doc, Vocabulary, add_into, cosine, names, normalized, terms


@dataclass(frozen=True)
class ClusterParams:
    threshold: float = 0.25  # join a story at this similarity or more
    entity_weight: float = 0.3  # weight of names against content words
    window_days: float = 7.0  # no time penalty within this distance
    time_scale_days: float = 30.0  # beyond the window the factor decays with this scale
    time_bonus: float = 1.3  # both dated and inside the window: similarity multiplied by this
    merge_threshold: float = 0.7  # two stories this similar become one
    keep_terms: int = 80  # terms kept per article vector
    keep_centroid: int = 200  # terms kept per story centroid
    probe_terms: int = 12  # heaviest terms of an article used to find candidates
    max_candidates: int = 30  # stories compared per article
    max_postings: int = 64  # most recent stories kept per index term


def story_id_for(article_id: str) -> str:
    """A story's id comes from its founding article, so it stays stable as articles arrive."""
    return "s" + hashlib.sha256(article_id.encode()).hexdigest()[:11]


@dataclass
class Story:
    id: str
    seq: int  # creation order: the older story survives a merge
    content_sum: dict[str, float] = field(default_factory=dict)
    entity_sum: dict[str, float] = field(default_factory=dict)
    members: list[str] = field(default_factory=list)
    first: date | None = None
    last: date | None = None
    _content: dict[str, float] | None = None
    _entities: dict[str, float] | None = None

    def centroids(self, p: ClusterParams) -> tuple[dict[str, float], dict[str, float]]:
        if self._content is None:
            self._content = normalized(self.content_sum, p.keep_centroid)
            self._entities = normalized(self.entity_sum, p.keep_centroid)
        return self._content, self._entities  # type: ignore[return-value]

    def add(self, content: dict[str, float], entities: dict[str, float], day: date | None,
            sign: float = 1.0) -> None:
        add_into(self.content_sum, content, sign)
        add_into(self.entity_sum, entities, sign)
        self._content = self._entities = None
        if day and sign > 0:
            self.first = day if self.first is None or day < self.first else self.first
            self.last = day if self.last is None or day > self.last else self.last


@dataclass
class _Vectors:
    content: dict[str, float]
    entities: dict[str, float]
    day: date | None


class OnlineClusterer:
    def __init__(self, params: ClusterParams | None = None):
        self.p = params or ClusterParams()
        self.content_vocab = Vocabulary()
        self.entity_vocab = Vocabulary()
        self.stories: dict[str, Story] = {}
        self.story_of: dict[str, str] = {}  # article id -> story id
        self.vectors: dict[str, _Vectors] = {}
        self.index: dict[str, deque[str]] = defaultdict(lambda: deque(maxlen=self.p.max_postings))
        self._seq = 0

    # -- public ---------------------------------------------------------------------------------
    def add(self, doc: Doc) -> str:
        """Assign one article; returns its story id (which may later be merged away: read
        ``story_of`` for the current assignment)."""
        vec = self._vectorize(doc)
        candidates = self._candidates(vec)
        best, best_sim = None, self.p.threshold
        for story in candidates:
            sim = self.similarity(vec, story)
            if sim >= best_sim:
                best, best_sim = story, sim
        if best is None:
            best = self._new_story(doc.id)
        self._join(doc.id, vec, best)
        self._maybe_merge(best, candidates)
        return self.story_of[doc.id]

    def similarity(self, vec: _Vectors, story: Story) -> float:
        content, entities = story.centroids(self.p)
        w = self.p.entity_weight
        sim = (1 - w) * cosine(vec.content, content) + w * cosine(vec.entities, entities)
        return sim * self.time_factor(vec.day, story.first, story.last)

    def time_factor(self, day: date | None, first: date | None, last: date | None) -> float:
        """> 1 when both are dated close together, 1 when a date is unknown, < 1 when far."""
        if day is None or first is None:
            return 1.0
        gap = (first - day).days if day < first else (day - last).days if day > last else 0
        if gap <= self.p.window_days:
            return self.p.time_bonus  # published close together: evidence of one event
        return math.exp(-(gap - self.p.window_days) / self.p.time_scale_days)

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
                own.add(vec.content, vec.entities, None, -1.0)  # leave-one-out
                own_sim = self.similarity(vec, own)
                best, best_sim = own, own_sim
                for story in self._candidates(vec):
                    if story is own:
                        continue
                    sim = self.similarity(vec, story)
                    if sim > best_sim + 1e-9 and sim >= self.p.threshold:
                        best, best_sim = story, sim
                own.add(vec.content, vec.entities, None, 1.0)
                if best is not own:
                    self._move(aid, own, best)
                    changed += 1
            for sid in list(self.stories):
                story = self.stories.get(sid)
                if story is not None:
                    vec = _Vectors(*story.centroids(self.p), story.last)
                    self._maybe_merge(story, self._candidates(vec))
            moves += changed
            if not changed:
                break
        return moves

    def assignments(self) -> dict[str, str]:
        return dict(self.story_of)

    # -- internals ------------------------------------------------------------------------------
    def _vectorize(self, doc: Doc) -> _Vectors:
        content = terms(doc.text)
        ents = Counter(doc.entities) if doc.entities else names(doc.text)
        self.content_vocab.add(content)
        self.entity_vocab.add(ents)
        vec = _Vectors(self.content_vocab.weigh(content, self.p.keep_terms),
                       self.entity_vocab.weigh(ents, self.p.keep_terms), doc.day)
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
                hits.update(set(postings))
        ranked = sorted(hits, key=lambda sid: (-hits[sid], self.stories[sid].seq)
                        if sid in self.stories else (0, 0))
        out = []
        for sid in ranked:
            story = self.stories.get(sid)
            if story is not None and story not in out:
                out.append(story)
            if len(out) >= self.p.max_candidates:
                break
        return out

    def _new_story(self, article_id: str) -> Story:
        self._seq += 1
        story = Story(story_id_for(article_id), self._seq)
        self.stories[story.id] = story
        return story

    def _join(self, aid: str, vec: _Vectors, story: Story) -> None:
        story.add(vec.content, vec.entities, vec.day)
        story.members.append(aid)
        self.story_of[aid] = story.id
        for key in self._probe(vec):
            postings = self.index[key]
            if not postings or postings[-1] != story.id:
                postings.append(story.id)

    def _move(self, aid: str, src: Story, dst: Story) -> None:
        vec = self.vectors[aid]
        src.add(vec.content, vec.entities, None, -1.0)
        src.members.remove(aid)
        self._recompute_dates(src)
        self._join(aid, vec, dst)

    def _recompute_dates(self, story: Story) -> None:
        days = [self.vectors[a].day for a in story.members if self.vectors[a].day]
        story.first = min(days) if days else None
        story.last = max(days) if days else None

    def _maybe_merge(self, story: Story, candidates: list[Story]) -> None:
        if story.id not in self.stories:
            return
        content, entities = story.centroids(self.p)
        probe = _Vectors(content, entities, None)
        for other in candidates:
            if other is story or other.id not in self.stories:
                continue
            sim = self.similarity(probe, other) * self.time_factor(story.first, other.first, other.last)
            if sim >= self.p.merge_threshold:
                keep, drop = (story, other) if story.seq < other.seq else (other, story)
                self._absorb(keep, drop)
                story = keep
                content, entities = story.centroids(self.p)
                probe = _Vectors(content, entities, None)

    def _absorb(self, keep: Story, drop: Story) -> None:
        add_into(keep.content_sum, drop.content_sum)
        add_into(keep.entity_sum, drop.entity_sum)
        keep._content = keep._entities = None
        for aid in drop.members:
            self.story_of[aid] = keep.id
            self._join_index(aid, keep)
        keep.members.extend(drop.members)
        for day in (drop.first, drop.last):
            if day:
                keep.first = day if keep.first is None or day < keep.first else keep.first
                keep.last = day if keep.last is None or day > keep.last else keep.last
        del self.stories[drop.id]

    def _join_index(self, aid: str, story: Story) -> None:
        for key in self._probe(self.vectors[aid]):
            postings = self.index[key]
            if not postings or postings[-1] != story.id:
                postings.append(story.id)
