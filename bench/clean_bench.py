"""Cleaning benchmark: damage clean real articles (BASIL, ECB+) with a fixed seed, clean them,
score per rule against the injected truth, and time the cleaner.

    python bench/clean_bench.py [--split dev|test|all] [--seed 13] [--limit N] [--show-fp]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.corpora import news_articles  # noqa: E402
from bench.damage import damage  # noqa: E402
from bench.score_clean import Scorer, load_natural  # noqa: E402
from parallax.clean import Lexicon, clean_text  # noqa: E402  (the public entry points only)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--split", default="test", choices=["dev", "test", "all"])
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--show-fp", action="store_true", help="print wrong glue splits and lost sentences")
    ap.add_argument("--out", default=None)
    ap.add_argument("--no-lexicon", dest="lexicon", action="store_false",
                    help="clean each article alone, without the corpus vocabulary")
    args = ap.parse_args()

    rows = news_articles(args.split)
    if args.limit:
        rows = rows[: args.limit]
    rng = random.Random(args.seed)
    damaged = [damage(r, rng, rows) for r in rows]
    titles = [r.get("title") for r in rows]

    # one-time loading outside the timing, as the model load is for the understanding bench:
    # the English word list, and the Spanish, Portuguese, French and Italian ones that a
    # Romance particle ('Vozde') consults
    clean_text("warm up the caches: Whelanan, La Vozde Galicia", title=None)
    scorer = Scorer()
    # The corpus lexicon, as the store gives it in production: words of the articles cleaned
    # before this one (incremental, in file order).
    lexicon = Lexicon()
    results, elapsed = [], 0.0
    for d, t in zip(damaged, titles):
        start = time.process_time()
        res = clean_text(d.text, title=t, lexicon=lexicon if args.lexicon else ())
        elapsed += time.process_time() - start
        results.append(res)
        if args.lexicon:
            lexicon.add(res.text)
    natural = load_natural(Path(__file__).with_name("natural_glue.tsv"))
    for row, d, res in zip(rows, damaged, results):
        edits = [e.as_dict() for e in res.edits]
        scorer.add(d, res.text, edits, natural.get(row["id"], frozenset()))
        if args.show_fp:
            truth = set(d.glue)
            for e in edits:
                if e["rule"] == "glued_words" and e["start"] not in truth:
                    print("FP glue:", repr(d.text[max(0, e["start"] - 30): e["start"] + 20]))
            made = {e["start"] for e in edits if e["rule"] == "glued_words"}
            for pos in truth - made:
                print("FN glue:", repr(d.text[max(0, pos - 30): pos + 20]))
            for e in edits:
                if e["rule"] not in ("glued_words", "whitespace") and len(e["before"]) > 20:
                    if e["before"].strip() not in {ln for _, ln in d.lines}:
                        print(f"REMOVED ({e['rule']}):", repr(e["before"][:150]))
    report = scorer.report()
    report.update(split=args.split, seed=args.seed, articles=len(rows),
                  ms_per_article=1000 * elapsed / len(rows), articles_per_second=len(rows) / elapsed)
    text = json.dumps(report, indent=2)
    print(text)
    if args.out:
        Path(args.out).write_text(text + "\n")


if __name__ == "__main__":
    main()
