"""A 300-article story's web page: time (cold: the comparison; warm: cached) and size.

    python bench/story_page_bench.py [--articles 300]

The story: every article of the largest ECB+ gold story, resampled with light edits (one
sentence dropped, a few words swapped) and spread over 60 outlets, until there are
``--articles`` of them; ingested into a temporary store as a user would, then all made one
story (the clusterer rightly splits a topic's distinct events; the page is measured here). Writes
bench/results/story_page.json (target: under 300 ms and under 1 MB). As `parallax ingest`
does, stories of `report_precompute_size` articles or more are compared after the ingest, so
even the first view of the page reads a saved report.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))

from bench.corpora import load  # noqa: E402


def variants(n: int, seed: int = 3) -> list[dict]:
    rows = load("ecbplus/articles.jsonl")
    by_story = defaultdict(list)
    for r in rows:
        by_story[r["story"]].append(r)
    base = max(by_story.values(), key=len)
    rng = random.Random(seed)
    out = []
    for i in range(n):
        r = base[i % len(base)]
        sentences = r["text"].split(". ")
        if len(sentences) > 3:
            sentences.pop(rng.randrange(len(sentences)))
        words = ". ".join(sentences).split()
        for _ in range(3):
            j = rng.randrange(len(words) - 1)
            words[j], words[j + 1] = words[j + 1], words[j]
        out.append({"title": r.get("title"), "text": " ".join(words), "date": r.get("date"),
                    "source": f"outlet{i % 60}.example", "url": f"https://outlet{i % 60}.example/{i}"})
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=300)
    args = ap.parse_args()
    from fastapi.testclient import TestClient

    from parallax.pipeline import ingest, update_stories
    from parallax.reports import precompute_reports
    from parallax.settings import Settings
    from parallax.store import SQLiteStore
    from parallax.web import create_app

    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "story.jsonl"
        src.write_text("".join(json.dumps(a) + "\n" for a in variants(args.articles)))
        db = str(Path(tmp) / "s.db")
        settings = Settings(db=db)
        t = time.perf_counter()
        with SQLiteStore(db) as store:
            ingest([str(src)], store, settings)
            update_stories(store, settings)
            clustered = sorted((s.size for s in store.list_stories()), reverse=True)
            # One story of all of them (the clusterer may rightly split a topic's events):
            # this bench measures the page of a story this large, not the clustering.
            store.save_assignments([replace(x, story_id="s-large") for x in store.assignments()],
                                   {"s-large": "A 300-article story"}, replace_all=True)
            story = store.get_story("s-large")
            ingest_s = time.perf_counter() - t
            t = time.perf_counter()  # what `parallax ingest` does after updating stories
            precompute_reports(store, settings, min_size=settings.report_precompute_size)
            precompute_s = time.perf_counter() - t
        with TestClient(create_app(settings)) as client:
            t = time.perf_counter()
            page = client.get(f"/stories/{story.id}")
            cold = time.perf_counter() - t
            warm = []
            for _ in range(5):
                t = time.perf_counter()
                page = client.get(f"/stories/{story.id}")
                warm.append(time.perf_counter() - t)
            api = client.get(f"/api/stories/{story.id}")
    out = {"articles": args.articles, "story_size": story.size, "clustered_sizes": clustered[:5],
           "independent_sources": story.independent_sources, "ingest_s": round(ingest_s, 1),
           "compared_at_ingest_s": round(precompute_s, 1),
           "page_first_view_ms": round(1000 * cold, 1), "page_warm_ms": round(1000 * min(warm), 1),
           "page_warm_worst_ms": round(1000 * max(warm), 1), "page_bytes": len(page.content),
           "api_bytes": len(api.content), "facts_on_page": page.text.count('class="fact '),
           "facts": len(api.json()["facts"]),
           "max_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}
    (ROOT / "bench" / "results" / "story_page.json").write_text(json.dumps(out, indent=2) + "\n")
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
