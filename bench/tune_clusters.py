"""Choose the story clustering defaults on ECB+ train+dev (never on test or BASIL), or score
the shipped defaults on one split.

    python bench/tune_clusters.py                 # grid on train+dev
    python bench/tune_clusters.py --split test    # the shipped defaults on the test split
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.corpora import load  # noqa: E402
from parallax.eval.clusters import evaluate  # noqa: E402
from parallax.settings import Settings  # noqa: E402

GRID = {
    "story_threshold": [0.20, 0.22, 0.25, 0.28, 0.30],
    "story_entity_weight": [0.3, 0.5],
    "story_merge_threshold": [0.5, 0.7],
    "story_time_bonus": [1.0, 1.3, 1.6],
}


def split_file(split: str) -> str:
    rows = [r for r in load("ecbplus/articles.jsonl")
            if (r["split"] == "test") == (split == "test")]
    tmp = Path(tempfile.mkdtemp()) / f"ecbplus-{split}.jsonl"
    tmp.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return str(tmp)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--split", choices=["dev", "test"], default="dev")
    args = ap.parse_args()
    path = split_file(args.split)
    if args.split == "test":
        for rebuild in (False, True):
            r = evaluate(path, rebuild=rebuild)
            print(json.dumps({"split": "test", "rebuild": rebuild,
                              **{k: round(v, 4) for k, v in r.items()}}))
        return
    best = None
    for values in itertools.product(*GRID.values()):
        params = dict(zip(GRID, values))
        r = evaluate(path, settings=Settings(**params))
        print(json.dumps({**params, "b3_f1": round(r["b3_f1"], 4)}), flush=True)
        if best is None or r["b3_f1"] > best[1]:
            best = (params, r["b3_f1"])
    print("best on train+dev:", json.dumps(best[0]), round(best[1], 4))


if __name__ == "__main__":
    main()
