"""Coverage: which outlets covered which stories, how much each outlet published, and the
volume over time (a chart drawn here as positions for a server-side SVG). Outlets are counted
as readers name them: one outlet however its articles spell it (``parallax.outlets``)."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from .outlets import display_name, outlet_key
from .store import Store, StoryFilter

TOP_OUTLETS = 15
TOP_STORIES = 25


def coverage(store: Store, *, outlets: int = TOP_OUTLETS, stories: int = TOP_STORIES) -> dict[str, Any]:
    """Per outlet: articles, stories, first and last month; the stories most outlets covered
    against the outlets that published most (article counts); articles per month."""
    names: dict[str, str] = {}
    articles: Counter[str] = Counter()
    story_sets: dict[str, set[str]] = defaultdict(set)
    months: dict[str, list[str]] = defaultdict(list)
    cells: Counter[tuple[str, str]] = Counter()
    volume: Counter[str] = Counter()
    undated = 0
    for row in store.coverage():
        name = display_name(row.outlet, row.credited_source)
        key = outlet_key(name) or name
        names.setdefault(key, name)
        articles[key] += row.articles
        if row.story_id:
            story_sets[key].add(row.story_id)
            cells[(row.story_id, key)] += row.articles
        if row.month and len(row.month) == 7:
            months[key].append(row.month)
            volume[row.month] += row.articles
        else:
            undated += row.articles
    table = sorted(articles, key=lambda k: (-articles[k], names[k].casefold()))
    per_outlet = [{"outlet": names[k], "articles": articles[k], "stories": len(story_sets[k]),
                   "first_month": min(months[k]) if months[k] else None,
                   "last_month": max(months[k]) if months[k] else None} for k in table]
    top = table[:outlets]
    _total, top_stories = store.query_stories(StoryFilter(sort="sources", limit=stories))
    matrix = {"outlets": [names[k] for k in top],
              "rows": [{"story_id": s.id, "title": s.title, "independent_sources": s.independent_sources,
                        "counts": [cells.get((s.id, k), 0) for k in top]} for s in top_stories]}
    return {"outlets": per_outlet, "matrix": matrix, "volume": volume_chart(volume),
            "articles": sum(articles.values()), "undated_articles": undated,
            "stories": store.count_stories()}


def volume_chart(volume: Counter[str], width: int = 860, height: int = 160) -> dict[str, Any] | None:
    """Bars for articles per month, to scale: one slot per calendar month from the first to
    the last (months without articles stay empty), bar heights proportional to counts."""
    if not volume:
        return None
    first, last = min(volume), max(volume)
    span = _month_index(last) - _month_index(first) + 1
    margin, top = 40, 10
    slot = (width - 2 * margin) / span
    peak = max(volume.values())
    bars = []
    for month, n in sorted(volume.items()):
        i = _month_index(month) - _month_index(first)
        h = (height - top - 30) * n / peak
        bars.append({"month": month, "articles": n, "x": round(margin + i * slot, 1),
                     "width": round(max(1.0, slot * 0.8), 1), "y": round(height - 30 - h, 1),
                     "height": round(h, 1)})
    labels: list[dict[str, Any]] = []
    for b in [bars[0], *bars[1:-1:max(1, len(bars) // 8)], bars[-1]]:
        if not labels or b["x"] - labels[-1]["x"] >= 56:  # labels never overlap
            labels.append({"month": b["month"], "x": b["x"]})
        elif b is bars[-1]:
            labels[-1] = {"month": b["month"], "x": b["x"]}  # the last month always shows
    return {"width": width, "height": height, "bars": bars, "peak": peak,
            "baseline": height - 30, "labels": labels, "first": first, "last": last}


def _month_index(month: str) -> int:
    year, mon = month.split("-")
    return int(year) * 12 + int(mon) - 1
