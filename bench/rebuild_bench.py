"""`cluster --rebuild --engine dask` on a large archive (issue 26): wall time, a per-stage
profile, peak memory of the client and of each worker, and (for the consensus runs) a
projection to more workers from the measured per-run costs.

    python bench/rebuild_bench.py [--articles 50000 --workers 2 --method consensus|pairs|auto]

The archive: real ECB+ and BASIL articles resampled with perturbed dates and light edits (the
scale bench's stream, as bench/fault_bench.py writes it), ingested into a SQLite store with
cleaning only (`understand = 0`: the stories stage reads titles and texts). The Dask cluster
(a scheduler and N single-threaded worker processes on 127.0.0.1) is started here, so its
workers' memory can be read at the end. Writes bench/results/rebuild-<N>.json.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))

from bench.fault_bench import PARALLAX, RESULTS, _write_jsonl  # noqa: E402


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _store_direct(db: str, n: int) -> int:
    """The stream's articles (as ``_write_jsonl`` writes them) stored without the ingest's
    reader and with every cleaning rule off: the texts are corpus text, already clean, and the
    ingest's own cost is measured by bench/engine_bench.py. Returns the number stored."""
    from bench.fault_bench import _articles
    from parallax.clean.runner import rule_names
    from parallax.pipeline import build_article
    from parallax.records import RawArticle
    from parallax.settings import Settings
    from parallax.store import Outcome, open_store

    settings = Settings(understand=0, clean_disabled=tuple(rule_names()))
    stored = 0
    with open_store(db) as store:
        batch: list = []

        def flush() -> None:
            nonlocal stored
            with store.transaction():
                for article in batch:
                    stored += store.add_article(article).outcome == Outcome.STORED
            batch.clear()

        for i, row in enumerate(_articles(n)):
            raw = RawArticle(text=row["text"], origin=f"stream:{i + 1}", title=row["title"],
                             date=row["date"], outlet=row["source"])
            batch.append(build_article(raw, settings))
            if len(batch) == 10_000:
                flush()
                print(f"stored {stored:,} of {n:,}", flush=True)
        flush()
    return stored


def _score(store, n: int) -> dict:
    """B-cubed of the stored stories against the stream's gold events (story, recurrence)."""
    from bench.fault_bench import _articles
    from parallax.eval.metrics import bcubed
    from parallax.records import article_id

    gold: list[str] = []
    truth: dict[str, str] = {}
    for i, a in enumerate(_articles(n, gold=gold)):  # the articles the store was made of
        truth.setdefault(article_id(a["text"], None, a["source"]), gold[i])
    pred = {a.article_id: a.story_id for a in store.assignments()}
    ids = sorted(truth.keys() & pred.keys())
    p, r, f = bcubed([truth[i] for i in ids], [pred[i] for i in ids])
    return {"scored": len(ids), "b3_precision": round(p, 3), "b3_recall": round(r, 3),
            "b3_f1": round(f, 3)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=50_000)
    ap.add_argument("--workers", type=int, default=2,
                    help="Dask workers on this machine; 0: the local engine (no Dask)")
    ap.add_argument("--db", help="the store: made there if it does not exist, reused if it does")
    ap.add_argument("--direct", action="store_true",
                    help="make the store by storing the stream's articles directly, with the "
                         "cleaning rules off (0.3 ms an article against 9.3 for a clean-only "
                         "ingest: how a 1,000,000-article archive is made on 2 cores)")
    ap.add_argument("--method", default="consensus", choices=("auto", "consensus", "pairs"),
                    help="story_batch for the rebuild (the consensus runs are what scales "
                         "past 50,000 articles)")
    ap.add_argument("--score", action="store_true",
                    help="also score the stories against the stream's gold events (B-cubed)")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="rebuild-bench-"))
    db = args.db or str(work / "archive.db")
    result: dict = {"articles": args.articles, "workers": args.workers, "method": args.method}
    if not Path(db).exists() and args.direct:
        t = time.perf_counter()
        result["distinct"] = _store_direct(db, args.articles)
        result["stored_directly_s"] = round(time.perf_counter() - t, 1)
        print("stored", result, flush=True)
    elif not Path(db).exists():
        src = work / "archive.jsonl"
        result["distinct"] = _write_jsonl(src, args.articles)
        t = time.perf_counter()
        done = subprocess.run([*PARALLAX, "--db", db, "-q", "ingest", "--no-stories", str(src)],
                              env={**os.environ, "PARALLAX_UNDERSTAND": "0"})
        result["ingest_clean_only_s"] = round(time.perf_counter() - t, 1)
        assert done.returncode == 0
        print("ingested", result, flush=True)

    from parallax.engines import LocalEngine
    from parallax.pipeline import update_stories
    from parallax.settings import Settings
    from parallax.store import open_store

    cluster = None
    if args.workers:
        from distributed import LocalCluster

        cluster = LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True,
                               host="127.0.0.1", dashboard_address="127.0.0.1:0",
                               silence_logs=40)
    marks: dict[str, float] = {}
    runs: list[float] = []
    windows: list[float] = []

    method = ""

    def heard(kind: str, payload) -> None:
        nonlocal method
        now = time.perf_counter()
        if kind == "batch method":
            method = payload[0]
        elif kind == "clustered" and payload[0] == payload[1]:
            marks["online pass done"] = now
        elif kind == "batch run":
            runs.append(now)
        elif kind == "pair windows":
            windows.append(now)
            print(f"window {payload[0]} of {payload[1]} at {now - start:.0f} s, "
                  f"client {_peak_mb():.0f} MB", flush=True)

    try:
        if cluster is None:
            engine = LocalEngine()
        else:
            from parallax.engines.dask import DaskEngine

            engine = DaskEngine(scheduler=cluster.scheduler_address)
        settings = Settings(db=db, story_batch=args.method)
        with open_store(db) as store:
            start = time.perf_counter()
            update_stories(store, settings, rebuild=True, listener=heard, engine=engine)
            end = time.perf_counter()
            stories = store.count_stories()
            client_mb = _peak_mb()  # before the scoring, which is not the rebuild's
            if args.score:
                result["quality"] = _score(store, args.articles)
        workers_mb = {} if cluster is None else engine.client.run(
            lambda: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
        engine.close()
    finally:
        if cluster is not None:
            cluster.close()
    online = marks.get("online pass done", start) - start
    result.update({"stories": stories, "wall_s": round(end - start, 1),
                   "batch_method": method, "peak_mb": {
                       "client": round(client_mb),
                       "workers": sorted(round(v) for v in workers_mb.values())}})
    # the consensus's runs, or the windows of the pair mode past 100,000 articles, are the
    # units of work: a profile, one unit's cost on one worker and a projection to more workers
    units, unit, labels = (runs, "run", ("read, lineage and online pass (client)",
                                         "batch runs", "majority, titles and save (client)")) \
        if runs else (windows, "window", ("read and lineage (client)", "windows",
                                          "the recent articles' vectors, titles and save (client)"))
    if units:
        spread = units[-1] - marks.get("online pass done", start)
        workers = max(1, args.workers)
        per_unit = spread / len(units) * workers  # one unit's time on one worker
        last = end - units[-1]
        result.update({
            "profile_s": {labels[0]: round(online, 1),
                          f"{len(units)} {labels[1]} on {workers} worker(s)": round(spread, 1),
                          labels[2]: round(last, 1)},
            f"one_{unit}_on_one_worker_s": round(per_unit, 1),
            "projection_s": {str(w): round(online + per_unit * -(-len(units) // w) + last, 1)
                             for w in (1, 2, 16, 64)},
        })
    else:  # the pair mode: its blocks go to the workers, signals and average link stay here
        result["profile_s"] = {
            "read, lineage and online pass (client)": round(online, 1),
            f"pair mode on {args.workers} workers and the client, titles and save":
                round(end - start - online, 1)}
    RESULTS.mkdir(parents=True, exist_ok=True)
    suffix = ("" if args.method == "consensus" else f"-{args.method}") + \
        ("" if args.workers == 2 else f"-w{args.workers}")
    (RESULTS / f"rebuild-{args.articles}{suffix}.json").write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
