"""How fast the CLI answers lookups on a large store (issue 25: under 1 s each).

    python bench/cli_bench.py [--db bench/results/fault-10k.db] [--repeat 5]

The store: the 10,000-article one `bench/fault_bench.py kill` leaves. Writes
bench/results/cli.json: the median and worst wall time of each command, process start included.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", default=str(ROOT / "bench" / "results" / "fault-10k.db"))
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    with sqlite3.connect(args.db) as c:
        articles = c.execute("SELECT count(*) FROM articles").fetchone()[0]
        aid = c.execute("SELECT id FROM articles ORDER BY seq DESC LIMIT 1").fetchone()[0]
        sid = c.execute("SELECT id FROM stories ORDER BY size DESC LIMIT 1").fetchone()[0]
    commands = {"article ID": ["article", aid[:10]], "stories --limit 20": ["stories", "--limit", "20"],
                "stories --outlet --json": ["stories", "--outlet", "outlet7", "--json"],
                "search": ["search", "police"], "articles": ["articles", "--limit", "20"],
                "show ID (largest story)": ["show", sid]}
    out = {"articles_in_store": articles, "commands": {}}
    for name, cmd in commands.items():
        times = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            proc = subprocess.run([sys.executable, "-m", "parallax", "--db", args.db, *cmd],
                                  capture_output=True, text=True)
            times.append(time.perf_counter() - t)
            assert proc.returncode == 0, proc.stderr
        out["commands"][name] = {"median_s": round(statistics.median(times), 3),
                                 "worst_s": round(max(times), 3)}
        print(name, out["commands"][name], flush=True)
    (ROOT / "bench" / "results" / "cli.json").write_text(json.dumps(out, indent=2) + "\n")


if __name__ == "__main__":
    main()
