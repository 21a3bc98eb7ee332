"""The comparison of one 20-article story (ECB+ topics 1, 12 and 13 stored; their largest
story), timed on one core for the code at a given checkout, so that two versions can be
measured in one session (issue 21's target: within 1.2x of the comparison before it):

    git worktree add /tmp/before 5795cb2
    .venv/bin/python bench/compare_small_story.py /tmp/before
    .venv/bin/python bench/compare_small_story.py .

Prints the minimum and median process time of ``compare()`` over --runs runs (the report
cache is not involved; words alone: ``pair_model = "none"`` where the setting exists; the
online stories, ``story_settle_max = 0``, so that every version compares the same story).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parents[1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("checkout", help="the repository whose src/parallax is timed")
    ap.add_argument("--runs", type=int, default=60)
    args = ap.parse_args()
    sys.path.insert(0, str(Path(args.checkout).resolve() / "src"))
    sys.path.insert(1, str(HERE))
    from bench.corpora import load, write_source
    from parallax.compare import compare
    from parallax.pipeline import ingest, update_stories
    from parallax.settings import Settings
    from parallax.store import SQLiteStore

    rows = [r for r in load("ecbplus/articles.jsonl") if r["topic"] in ("1", "12", "13")]
    tmp = Path(tempfile.mkdtemp())
    src, db = write_source(rows, tmp / "small.jsonl"), str(tmp / "small.db")
    settings = Settings(db=db)
    if hasattr(settings, "pair_model"):
        settings = Settings(db=db, pair_model="none")
    if hasattr(settings, "story_settle_max"):  # the online stories, as before settling existed
        settings = Settings(db=db, pair_model="none", story_settle_max=0)
    with SQLiteStore(db) as store:
        ingest([src], store, settings)
        update_stories(store, settings)
        big = max(store.list_stories(), key=lambda s: (s.size, s.id))
        articles = [store.get_article(a) for a in big.article_ids]
        assignments = store.assignments(big.id)
        compare(store, articles, assignments, settings)  # warm-up
        times = []
        for _ in range(args.runs):
            t = time.process_time()
            compare(store, articles, assignments, settings)
            times.append(time.process_time() - t)
    times.sort()
    print(f"{args.checkout}: {big.size} articles, min {times[0]:.4f} s, "
          f"median {times[len(times) // 2]:.4f} s")


if __name__ == "__main__":
    main()
