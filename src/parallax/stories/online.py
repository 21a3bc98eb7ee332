"""Online story clustering: each article joins the most similar story or starts a new one."""

from __future__ import annotations

import hashlib
import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date

from .features import cosine, terms, tfidf


@dataclass
class _Story:
    id: str
    centroid: dict[str, float] = field(default_factory=dict)
    size: int = 0
    dates: list[date] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Doc:
    id: str
    text: str
    date: str | None = None


def story_id_for(article_id: str) -> str:
    """A story's id comes from its founding article, so it stays stable as articles arrive."""
    return "s" + hashlib.sha256(article_id.encode()).hexdigest()[:11]


class OnlineClusterer:
    def __init__(self, threshold: float, time_window_days: float, candidate_terms: int = 25):
        self.threshold = threshold
        self.window = time_window_days
        self.candidate_terms = candidate_terms
        self.df: Counter[str] = Counter()
        self.n_docs = 0
        self.stories: dict[str, _Story] = {}
        self.index: dict[str, set[str]] = defaultdict(set)

    def add(self, doc: Doc) -> str:
        counts = terms(doc.text)
        self.n_docs += 1
        self.df.update(counts.keys())
        vec = tfidf(counts, self.df, self.n_docs)
        when = _parse(doc.date)
        top = sorted(vec, key=lambda t: (-vec[t], t))[: self.candidate_terms]
        candidates = sorted({sid for t in top for sid in self.index.get(t, ())})
        best, best_sim = None, self.threshold
        for sid in candidates:
            story = self.stories[sid]
            sim = cosine(vec, story.centroid) * self._time_factor(when, story)
            if sim >= best_sim:
                best, best_sim = story, sim
        if best is None:
            best = _Story(story_id_for(doc.id))
            self.stories[best.id] = best
        self._absorb(best, vec, when)
        return best.id

    def _time_factor(self, when: date | None, story: _Story) -> float:
        if when is None or not story.dates:
            return 1.0
        gap = min(abs((when - d).days) for d in story.dates)
        return 1.0 if gap <= self.window else math.exp(-(gap - self.window) / self.window)

    def _absorb(self, story: _Story, vec: dict[str, float], when: date | None) -> None:
        n = story.size
        merged = {t: w * n for t, w in story.centroid.items()}
        for t, w in vec.items():
            merged[t] = merged.get(t, 0.0) + w
        norm = math.sqrt(sum(v * v for v in merged.values())) or 1.0
        story.centroid = {t: v / norm for t, v in merged.items()}
        story.size += 1
        if when:
            story.dates.append(when)
        for t in sorted(vec, key=lambda t: (-vec[t], t))[: self.candidate_terms]:
            self.index[t].add(story.id)


def _parse(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None
