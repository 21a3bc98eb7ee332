"""What the pages and the API ask of the store: story listing with search, filters, sorting and
pagination; one story with its sources by lineage; one article with its edits as a diff."""

from __future__ import annotations

import json
import threading
import time
from collections import Counter, OrderedDict
from contextlib import nullcontext
from weakref import WeakKeyDictionary
from dataclasses import dataclass
from typing import Any

from .. import views
from ..records import Article
from ..reports import story_report
from ..store import Store, StoryFilter
from ..stories.features import names

SORTS = ("recent", "size", "sources")


@dataclass(frozen=True)
class StoryQuery:
    q: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    outlet: str | None = None
    entity: str | None = None
    sort: str = "recent"
    page: int = 1
    per_page: int = 20


def list_stories(store: Store, query: StoryQuery) -> dict[str, Any]:
    """One page of stories: the store filters, sorts and pages (``Store.query_stories``);
    ``q`` and ``entity`` must both match one article of the story."""
    text = " ".join(t for t in (query.q, query.entity) if t) or None
    total, stories = store.query_stories(StoryFilter(
        text=text, outlet=query.outlet, date_from=query.date_from, date_to=query.date_to,
        sort=query.sort, offset=(query.page - 1) * query.per_page, limit=query.per_page))
    return {"total": total, "page": query.page, "per_page": query.per_page,
            "items": [views.story_summary(s) for s in stories]}


def story_entities(store: Store, article_ids: list[str], limit: int = 15) -> list[dict[str, Any]]:
    """Canonical entities named by the most articles of the story (names found by the simple
    capitalisation rule when the articles were not analysed)."""
    counts: Counter[tuple[str, str]] = Counter()
    for aid in article_ids:
        links = store.article_entity_ids(aid)
        counts.update({(c.name, c.label) for c in links.values()
                       if c.label in ("PERSON", "ORG", "GPE", "LOC", "LAW", "EVENT", "NORP")})
    if not counts:
        return top_names(store.get_articles(article_ids), limit)
    return [{"name": n, "label": label, "articles": c}
            for (n, label), c in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]]


def encode(value: Any) -> bytes:
    """JSON as FastAPI's JSONResponse writes it, for answers encoded once and kept."""
    return json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode()


class AnswerCache:
    """API answers (encoded JSON), each kept with the store's data version when it was made
    (`Store.data_version`); an ingest through this server bumps ``generation``. Under load
    most requests repeat a listing page or a search, and are answered from here. Where the
    store's versions are one number for every connection (`Store.versions_shared`: PostgreSQL)
    the server's requests share one cache; otherwise (SQLite: each connection counts its own)
    each open store keeps its own (a store serves one request at a time)."""

    def __init__(self, size: int = 256):
        self.size = size
        self.generation = 0
        self._per_store: WeakKeyDictionary = WeakKeyDictionary()
        self._shared: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def _items(self, store: Store) -> tuple[OrderedDict, threading.Lock | None]:
        if store.versions_shared:
            return self._shared, self._lock
        with self._lock:
            items = self._per_store.get(store)
            if items is None:
                items = self._per_store[store] = OrderedDict()
        return items, None

    def get(self, store: Store, key: tuple) -> bytes | None:
        items, lock = self._items(store)
        with lock or nullcontext():
            hit = items.get(key)
        if hit is None or hit[0] != (store.data_version(), self.generation):
            return None
        return hit[1]

    def put(self, store: Store, key: tuple, body: bytes) -> None:
        items, lock = self._items(store)
        version = (store.data_version(), self.generation)
        with lock or nullcontext():
            items[key] = (version, body)
            while len(items) > self.size:
                items.popitem(last=False)

    def answer(self, store: Store, key: tuple, make) -> bytes:
        body = self.get(store, key)
        if body is None:
            body = encode(make())
            self.put(store, key, body)
        return body


@dataclass
class CachedReport:
    made: float
    data: dict[str, Any]
    body: bytes | None = None  # the API's JSON of it, encoded on first use


class ReportCache:
    """Story reports kept between requests (the comparison is the expensive part of a page):
    keyed by the story's members and their lineage, so a story that gains or loses an article
    is compared again; entries also expire after ``ttl`` seconds (a `relink` changes analyses
    without changing members). Least recently used entries go first (512 kept: a few hundred
    MB at most)."""

    def __init__(self, size: int = 512, ttl: float = 300.0):
        self.size, self.ttl = size, ttl
        self._items: OrderedDict[tuple, CachedReport] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple) -> CachedReport | None:
        with self._lock:
            hit = self._items.get(key)
            if hit is None or time.monotonic() - hit.made > self.ttl:
                return None
            self._items.move_to_end(key)
            return hit

    def put(self, key: tuple, data: dict[str, Any]) -> CachedReport:
        entry = CachedReport(time.monotonic(), data)
        with self._lock:
            self._items[key] = entry
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return entry


def story_detail(store: Store, story_id: str, settings=None,
                 cache: ReportCache | None = None) -> dict[str, Any]:
    """The story report, plus what only the page shows: entities and the timeline chart.
    With a ``cache``, a report made for the same members is reused: shared, read-only (the
    page templates and the API's serialisation only read it)."""
    if cache is None:
        return _made(store, story_id, settings)
    return _cached(store, story_id, settings, cache).data


def story_detail_json(store: Store, story_id: str, settings, cache: ReportCache) -> bytes:
    """The story detail as the API sends it, encoded once while it stays cached."""
    entry = _cached(store, story_id, settings, cache)
    if entry.body is None:
        entry.body = encode(entry.data)
    return entry.body


def _cached(store: Store, story_id: str, settings, cache: ReportCache) -> CachedReport:
    """The story's cache entry, made now if missing: one lookup of the story per request."""
    story = store.get_story(story_id)
    key = (story.id, story.article_ids, tuple(store.assignments(story.id)))
    return cache.get(key) or cache.put(key, _made(store, story.id, settings))


def _made(store: Store, story_id: str, settings) -> dict[str, Any]:
    data = story_report(store, story_id, settings)
    data["entities"] = story_entities(store, [a["id"] for a in data["articles"]])
    data["chart"] = timeline_chart(data["timeline"])
    return data


def timeline_chart(entries: list[dict[str, Any]], width: int = 860,
                   labels: int = 16) -> dict[str, Any] | None:
    """Positions for an SVG time axis, to scale (server-side: no script, no inline style):
    one point per date at its place in time, its radius growing with the sources citing that
    date (up to 8), red when one of its entries has a date finding; dates with month or year
    precision sit at the start of their period. Date labels are written under the axis where
    they do not overlap (at most ``labels``; the first and the last always); every point
    names its date on hover. ``breaks`` marks stretches of over a year with nothing, so a
    story that spans decades with a cluster at the end still reads."""
    from datetime import date

    def day(value: str) -> date | None:
        parts = value.split("-")
        try:
            return date(int(parts[0]), int(parts[1]) if len(parts) > 1 else 1,
                        int(parts[2]) if len(parts) > 2 else 1)
        except (ValueError, IndexError):
            return None

    by_date: dict[str, list[dict[str, Any]]] = {}
    for e in entries:
        if day(e["date"]):
            by_date.setdefault(e["date"], []).append(e)
    if not by_date:
        return None
    dates = sorted(by_date, key=lambda v: (day(v), len(v)))
    margin = 40
    first, last = day(dates[0]), day(dates[-1])
    xs, breaks = _scaled(dates, day, width, margin)
    out = []
    for value in dates:
        x = xs[value]
        sources = len({c["source"] for e in by_date[value] for c in e["citations"]})
        out.append({"x": round(x, 1), "y": 38, "label": value, "shown": False,
                    "conflict": any(e.get("conflict") for e in by_date[value]),
                    "entries": sum(e.get("kind") != "publication" for e in by_date[value]),
                    "sources": sources,
                    "r": 4 + min(8, sources)})  # a date many sources cite stays a dot
    # labels alternate between two rows: a label needs room from the one before (on the
    # other row) and from the one two before (on its own row)
    near, far = 30.0, max(64.0, 2 * (width - 2 * margin) / labels)

    def fits(p: dict, shown: list[dict]) -> bool:
        return (not shown or p["x"] - shown[-1]["x"] >= near) and \
            (len(shown) < 2 or p["x"] - shown[-2]["x"] >= far)

    shown: list[dict[str, Any]] = []
    for p in out:
        if fits(p, shown):
            shown.append(p)
    if shown[-1] is not out[-1]:
        while shown and not fits(out[-1], shown):
            shown.pop()
        shown.append(out[-1])
    for n, p in enumerate(shown):
        p["shown"], p["y"] = True, 38 + 14 * (n % 2)
    return {"width": width, "height": 90, "points": out, "first": first.isoformat(),
            "last": last.isoformat(), "margin": margin, "to_scale": True, "breaks": breaks}


GAP_DAYS = 365  # a longer stretch without a date is drawn as a break, not to scale
GAP_PX, CLUSTER_MIN_PX = 28, 36


def _scaled(dates: list[str], day, width: int, margin: int) -> tuple[dict[str, float], list[dict]]:
    """x for each date: to scale within runs of dates less than a year apart; runs share
    the width by their length in days (each at least ``CLUSTER_MIN_PX``), with a break of
    ``GAP_PX`` between runs (its title says how long the gap is)."""
    runs: list[list[str]] = [[dates[0]]]
    for value in dates[1:]:
        if (day(value) - day(runs[-1][-1])).days > GAP_DAYS:
            runs.append([value])
        else:
            runs[-1].append(value)
    spans = [max(0, (day(r[-1]) - day(r[0])).days) for r in runs]
    usable = width - 2 * margin - GAP_PX * (len(runs) - 1)
    spare = max(0.0, usable - CLUSTER_MIN_PX * len(runs))
    total = sum(spans) or 1
    xs: dict[str, float] = {}
    breaks = []
    x0 = float(margin)
    for n, (run, span) in enumerate(zip(runs, spans)):
        w = CLUSTER_MIN_PX + spare * span / total if len(runs) > 1 or span else usable
        for value in run:
            offset = (day(value) - day(run[0])).days
            xs[value] = round(x0 + (w * offset / span if span else w / 2), 1)
        x0 += w
        if n < len(runs) - 1:
            years = (day(runs[n + 1][0]) - day(run[-1])).days / 365.25
            breaks.append({"x": round(x0 + GAP_PX / 2, 1), "title": f"{years:.1f} years without a dated event"})
            x0 += GAP_PX
    return xs, breaks


def top_names(articles: list[Article], limit: int = 15) -> list[dict[str, Any]]:
    """Names mentioned by the most articles (a stand-in until canonical entities exist)."""
    per_article: Counter[str] = Counter()
    for a in articles:
        per_article.update(set(n for n in names(a.text) if "_" in n or len(n) > 3))
    return [{"name": n.replace("_", " ").title(), "articles": c}
            for n, c in per_article.most_common(limit)]


def article_detail(store: Store, article_id: str) -> dict[str, Any]:
    a = store.get_article(article_id)
    data = views.article_full(a, store.stories_of([a.id]).get(a.id), store.article_entity_ids(a.id))
    data["diff"] = diff_segments(a)
    data["marked"] = marked_sentences(a.text, data)
    return data


def marked_sentences(text: str, data: dict[str, Any]) -> list[dict[str, Any]]:
    """The cleaned text as sentences (each an anchor, ``#s3``), numbers and times marked inside
    them; a paragraph break before a sentence is kept."""
    if not data.get("sentences"):
        return [{"index": 0, "break": False, "parts": [{"kind": "text", "text": text}]}]
    marks = sorted([(n["start"], n["end"], "number", _number_title(n)) for n in data["numbers"]]
                   + [(t["start"], t["end"], "time", f"{t['value'] or '?'} ({t['resolved_from']})")
                      for t in data["times"]])
    out, prev_end = [], 0
    for sent in data["sentences"]:
        parts, pos = [], sent["start"]
        for start, end, kind, title in marks:
            if start < pos or start >= sent["end"] or end > sent["end"]:
                continue
            if start > pos:
                parts.append({"kind": "text", "text": text[pos:start]})
            parts.append({"kind": kind, "text": text[start:end], "title": title})
            pos = end
        if pos < sent["end"]:
            parts.append({"kind": "text", "text": text[pos:sent["end"]]})
        out.append({"index": sent["index"], "break": "\n" in text[prev_end:sent["start"]],
                    "parts": parts})
        prev_end = sent["end"]
    return out


def _number_title(n: dict[str, Any]) -> str:
    bound = "at most " if n.get("upper") is not None else "at least " if n.get("lower") is not None else ""
    what = " ".join(x for x in (n.get("unit"), n.get("counted")) if x)
    return f"{bound}{n['value']:g} {what}".strip()


def diff_segments(a: Article) -> list[dict[str, str]]:
    """The raw text as segments: kept text, removed text (with the rule) and inserted text."""
    segments: list[dict[str, str]] = []
    pos = 0
    raw = a.raw_text
    for e in sorted(a.edits, key=lambda e: (e.start, e.end)):
        if e.start < pos or e.rule == "whitespace":
            continue
        if e.start > pos:
            segments.append({"kind": "same", "text": raw[pos:e.start]})
        if e.end > e.start:
            segments.append({"kind": "removed", "text": raw[e.start:e.end], "rule": e.rule})
        if e.after:
            segments.append({"kind": "added", "text": e.after, "rule": e.rule})
        pos = e.end
    if pos < len(raw):
        segments.append({"kind": "same", "text": raw[pos:]})
    return segments
