"""The story page stays readable for a large story: single-source facts fold away when there
are many, and the timeline chart has one point per date with a bounded number of labels."""

from __future__ import annotations

from parallax.web.pages import templates
from parallax.web.queries import timeline_chart


def entry(date: str, source: str = "A", sentence: int = 0, conflict: bool = False) -> dict:
    return {"date": date, "precision": "day", "text": f"on {date}",
            "citations": [{"source": source, "article": source.lower() * 4, "sentence": sentence}],
            "conflict": {"type": "date", "why": "x", "certain": True} if conflict else None}


def test_chart_has_one_point_per_date_and_few_labels():
    entries = [entry(f"2023-{m:02d}-{d:02d}") for m in range(1, 13) for d in (1, 15)]  # 24 dates
    entries += [entry("2023-03-01", "B", 4), entry("2023-03-01", "C", 2, conflict=True)]
    chart = timeline_chart(entries, labels=6)
    points = chart["points"]
    assert [p["label"] for p in points] == sorted({e["date"] for e in entries})
    march = next(p for p in points if p["label"] == "2023-03-01")
    assert march["entries"] == 3 and march["sources"] == 3 and march["conflict"]
    # a day's publications are a source on the chart, not an event
    published = dict(entry("2023-03-01", "D"), kind="publication", text="Published by D")
    (again,) = [p for p in timeline_chart(entries + [published])["points"]
                if p["label"] == "2023-03-01"]
    assert again["entries"] == 3 and again["sources"] == 4
    assert not any(p["conflict"] for p in points if p is not march)
    shown = [p["label"] for p in points if p["shown"]]
    assert len(shown) <= 7 and shown[0] == "2023-01-01" and shown[-1] == "2023-12-15"
    xs = [p["x"] for p in points]
    assert xs == sorted(xs) and xs[0] == chart["margin"]


def test_chart_radius_is_bounded():
    many = [entry("2023-01-01", f"S{n}", n) for n in range(40)]
    (point,) = timeline_chart(many)["points"]
    assert point["sources"] == 40 and point["r"] == 12 and point["entries"] == 40


def fact(n: int, status: str) -> dict:
    return {"text": f"fact {n}", "status": status, "sources": ["A"], "independent_sources": 1,
            "evidence": [{"article": "aaaa", "sentence": n, "source": "A", "text": f"fact {n}"}],
            "conflict": None, "difference": None}


def page(facts: list[dict]) -> str:
    story = {"id": "s1", "title": "A story", "size": 2, "independent_sources": 2,
             "first_date": None, "last_date": None, "outlets": ["A"], "brief": [],
             "facts": facts, "timeline": [], "chart": None, "entities": [], "sources": [],
             "articles": []}
    return templates.env.get_template("story.html").render(story=story)


def test_single_source_facts_fold_away_when_many():
    few = page([fact(0, "corroborated")] + [fact(n, "single_source") for n in range(1, 6)])
    assert '<details class="single-facts" open>' in few
    assert "5 facts reported by one source only" in few
    many = page([fact(0, "corroborated")] + [fact(n, "single_source") for n in range(1, 200)])
    assert '<details class="single-facts">' in many and "199 facts reported by one source only" in many
    # the shared facts come first, in an open group, before the fold
    assert many.index("fact 0") < many.index('<details class="single-facts"')
    assert '<details class="agree-group" open>' in many
    assert 'class="single-facts"' not in page([fact(0, "corroborated")])
