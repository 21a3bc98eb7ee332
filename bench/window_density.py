"""One time window of the 1,000,000-article stream, clustered by the pair mode with more or
fewer candidates per article: does ``TOP_K`` split events of ~160 reports?

    python bench/window_density.py [--articles 1000000 --window 25000 --top-k 50 150]

The stream is ``bench/rebuild_bench.py``'s (seed 11); the window is its first ``--window``
articles by date (a window as ``stories.windows`` cuts it). Prints B-cubed per top-k and
writes bench/results/window_density.json.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))

from bench.scale_bench import stream  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=1_000_000)
    ap.add_argument("--window", type=int, default=25_000)
    ap.add_argument("--top-k", type=int, nargs="+", default=[50, 150])
    args = ap.parse_args()
    from parallax.eval.metrics import all_metrics
    from parallax.settings import Settings
    from parallax.stories import params_from, pairsignals
    from parallax.stories.pairwise import pair_groups

    gold: list[str] = []
    docs = []
    for d in stream(args.articles, seed=11, gold=gold):  # in date order
        docs.append(d)
        if len(docs) == args.window:
            break
    gold = gold[:len(docs)]
    rows = []
    for k in args.top_k:
        pairsignals.TOP_K = k
        t = time.perf_counter()
        groups = pair_groups(docs, params_from(Settings()))
        story = {aid: n for n, g in enumerate(groups) for aid in g}
        m = all_metrics(gold, [story[d.id] for d in docs])
        rows.append({"top_k": k, "seconds": round(time.perf_counter() - t, 1),
                     "stories": len(groups), "events": m["clusters_gold"],
                     **{x: round(m[x], 3) for x in ("b3_precision", "b3_recall", "b3_f1")}})
        print(json.dumps(rows[-1]), flush=True)
    out = ROOT / "bench" / "results" / "window_density.json"
    out.write_text(json.dumps({"articles": args.articles, "window": args.window,
                               "rows": rows}, indent=2) + "\n")


if __name__ == "__main__":
    main()
