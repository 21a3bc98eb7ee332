"""SQLite against PostgreSQL in the same run (issue 26): the ingest of N articles (real ECB+
and BASIL articles resampled with light edits, as bench/fault_bench.py writes them), then the
JSON API under 50 concurrent clients on each store.

    python bench/store_bench.py [--articles 10000 --clients 50 --seconds 30 --workers 2]

PostgreSQL is a server this bench starts (initdb in a temporary folder, fsync on, the
defaults otherwise; as root it runs as the postgres user). Writes bench/results/store.json.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))

from bench.fault_bench import (PARALLAX, RESULTS, _hammer, _write_jsonl, load_paths,  # noqa: E402
                               serving)
from parallax.store import open_store  # noqa: E402
from tests.pg import Cluster  # noqa: E402


def ingest(db: str, src: Path) -> dict:
    t = time.perf_counter()
    done = subprocess.run([*PARALLAX, "--db", db, "-q", "ingest", "--json", str(src)],
                          capture_output=True, text=True)
    wall = time.perf_counter() - t
    report = json.loads(done.stdout)
    return {"exit_code": done.returncode, "stored": report["counts"]["stored"],
            "wall_s": round(wall, 1)}


def ingest_both(stores: dict[str, str], src: Path, parts: int) -> dict[str, dict]:
    """The input in ``parts`` slices, each ingested into every store in turn (the first store
    alternating), so that a busy moment of this shared machine falls on both alike."""
    lines = src.read_text().splitlines(keepends=True)
    size = -(-len(lines) // parts)
    out = {name: {"exit_codes": [], "stored": 0, "wall_s": 0.0} for name in stores}
    names = list(stores)
    for k in range(parts):
        part = src.with_name(f"part{k}.jsonl")
        part.write_text("".join(lines[k * size:(k + 1) * size]))
        for name in (names if k % 2 == 0 else names[::-1]):
            got = ingest(stores[name], part)
            out[name]["exit_codes"].append(got["exit_code"])
            out[name]["stored"] += got["stored"]
            out[name]["wall_s"] = round(out[name]["wall_s"] + got["wall_s"], 1)
        print(k, {n: out[n]["wall_s"] for n in names}, flush=True)
    return out


def load(db: str, clients: int, seconds: float, workers: int) -> dict:
    """The fault bench's request mix on ``db``, without an ingest beside it."""
    with open_store(db) as store:
        ids = sorted(x.id for x in store.list_stories())
    paths, story_pages = load_paths(random.Random(3).sample(ids, min(200, len(ids))))
    with serving(db, workers, story_pages) as base:
        return _hammer(base, paths, clients, seconds)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=10_000)
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=30)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--parts", type=int, default=10)
    ap.add_argument("--load-only", nargs=2, metavar=("SQLITE_DB", "POSTGRESQL_URL"),
                    help="only the load test, on two stores an earlier run filled")
    args = ap.parse_args()
    if args.load_only:
        stores = dict(zip(("sqlite", "postgresql"), args.load_only))
        result = {name: load(db, args.clients, args.seconds, args.workers)
                  for name, db in stores.items()}
        result["stories_p99_pg_over_sqlite"] = round(
            result["postgresql"]["by_endpoint"]["/api/stories"]["p99_ms"]
            / result["sqlite"]["by_endpoint"]["/api/stories"]["p99_ms"], 2)
        (RESULTS / "store-load.json").write_text(json.dumps(result, indent=2) + "\n")
        print(json.dumps(result, indent=2))
        return
    RESULTS.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="store-bench-"))
    src = work / "articles.jsonl"
    distinct = _write_jsonl(src, args.articles)
    cluster = Cluster(durable=True)
    try:
        stores = {"sqlite": str(work / "bench.db"), "postgresql": cluster.new_database("bench")}
        result: dict = {"articles": args.articles, "distinct": distinct, "parts": args.parts}
        for name, got in ingest_both(stores, src, args.parts).items():
            result[name] = {"ingest": got}
        for name, db in stores.items():
            result[name]["load"] = load(db, args.clients, args.seconds, args.workers)
            print(name, json.dumps(result[name]["load"]), flush=True)
    finally:
        cluster.stop()
    s, p = result["sqlite"], result["postgresql"]
    result["ratios"] = {
        "ingest_time_pg_over_sqlite": round(p["ingest"]["wall_s"] / s["ingest"]["wall_s"], 2),
        "stories_p99_pg_over_sqlite": round(
            p["load"]["by_endpoint"]["/api/stories"]["p99_ms"]
            / s["load"]["by_endpoint"]["/api/stories"]["p99_ms"], 2)}
    result["clients"], result["workers"], result["seconds"] = args.clients, args.workers, args.seconds
    (RESULTS / "store.json").write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result["ratios"]))


if __name__ == "__main__":
    main()
