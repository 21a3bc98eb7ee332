"""Scale benchmark for the clustering stage: a stream of up to 200,000 articles made by
resampling real articles (ECB+, BASIL) with perturbed dates and light edits. Reports time per
article and memory at 10k, 50k and 200k, beside scikit-learn agglomerative clustering on the
sizes it can handle.

    python bench/scale_bench.py [--sizes 10000,50000,200000] [--sklearn 2000,5000,10000]
    python bench/scale_bench.py --store 1000,10000,50000     # the stored, incremental path
    python bench/scale_bench.py --batch 10000,50000          # the batch mode (cluster --rebuild)
    python bench/scale_bench.py --batch 10000,50000 --batch-method pairs   # the pair mode

The stream: each real story gets several "incarnations" (the same kind of event recurring on
another date, like the twin events of ECB+); each article is a real article of the story, dated
within two days of one incarnation, with one sentence dropped and a few words swapped. The
stream arrives in date order over ten years, as news does.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import random
import resource
import sys
import time
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.corpora import load  # noqa: E402
from parallax.stories import OnlineClusterer, params_from  # noqa: E402
from parallax.stories.online import doc_counts  # noqa: E402
from parallax.stories.features import Doc  # noqa: E402


def stream(n: int, seed: int = 7, gold: list[str] | None = None):
    """Yield ``n`` articles in date order. Only (date, base article, edit seed) triples are
    held in memory; each text is made when it is yielded. Each gold story recurs on 5 to 60
    dates over ten years; an article reports one of those recurrences (its date +-2 days),
    so the true event is (story, recurrence): appended to ``gold``, when given, as each
    article is yielded."""
    rng = random.Random(seed)
    rows = load("ecbplus/articles.jsonl") + load("basil/articles.jsonl")
    by_story = defaultdict(list)
    for i, r in enumerate(rows):
        by_story[r["story"]].append(i)
    stories = sorted(by_story)
    start = date(2015, 1, 1)
    incarnations = {s: [start + timedelta(days=rng.randrange(3650)) for _ in range(rng.randint(5, 60))]
                    for s in stories}
    plan = []
    for i in range(n):
        s = rng.choice(stories)
        recurrence = rng.choice(incarnations[s])
        when = recurrence + timedelta(days=rng.randint(-2, 2))
        plan.append((when, i, rng.choice(by_story[s]), rng.randrange(1 << 30), f"{s}@{recurrence}"))
    plan.sort()  # news arrives in time order
    for when, i, base_index, edit_seed, event in plan:
        if gold is not None:
            gold.append(event)
        base, er = rows[base_index], random.Random(edit_seed)
        sentences = base["text"].split(". ")
        if len(sentences) > 3:
            sentences.pop(er.randrange(len(sentences)))
        words = ". ".join(sentences).split()
        for _ in range(3):
            if len(words) > 4:
                j = er.randrange(len(words) - 1)
                words[j], words[j + 1] = words[j + 1], words[j]
        yield Doc(f"a{i}", f"{base.get('title') or ''}\n{' '.join(words)}", when.isoformat())


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_online(sizes: list[int], workers: int) -> list[dict]:
    """Feature counting runs in ``workers`` processes, assignment in this one. At each mark,
    besides time and memory, B-cubed quality of the stories so far against the stream's true
    events (see ``stream``), scored outside the timed window."""
    from parallax.eval.metrics import all_metrics

    clusterer = OnlineClusterer(params_from(None), keep_vectors=False)
    results, marks = [], set(sizes)
    window = 5000  # time per article is the mean over the last 5,000 before each mark
    pool = multiprocessing.Pool(workers) if workers > 1 else None
    gold: list[str] = []
    ids: list[str] = []
    labels: list[list[str]] = []
    docs = stream(max(sizes), gold=gold)
    counted = pool.imap(_counted, docs, chunksize=64) if pool else map(_counted, docs)
    t_window = time.perf_counter()
    t0 = time.perf_counter()
    for i, (doc, counts) in enumerate(counted, start=1):
        clusterer.add(doc, counts)
        ids.append(doc.id)
        if i % window == 0:
            now = time.perf_counter()
            per = (now - t_window) / window
            if i in marks:
                results.append({"articles": i, "ms_per_article": per * 1000,
                                "articles_per_second": 1 / per, "stories": len(clusterer.stories),
                                "max_rss_mb": rss_mb(), "elapsed_s": now - t0})
                print(json.dumps(results[-1]), flush=True)
                labels.append([clusterer.story_of[a] for a in ids])  # scored at the end
            t_window = time.perf_counter()
    for row, pred in zip(results, labels):  # after the run: scoring needs memory of its own
        quality = all_metrics(gold[:len(pred)], pred)
        row.update(events=quality["clusters_gold"],
                   **{k: round(quality[k], 4) for k in ("b3_precision", "b3_recall", "b3_f1")})
        print(json.dumps({"quality": row}), flush=True)
    return results


def _counted(doc: Doc):
    return doc, doc_counts(doc)


def run_sklearn(sizes: list[int]) -> list[dict]:
    import numpy as np
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.feature_extraction.text import TfidfVectorizer

    out = []
    for n in sizes:
        docs = list(stream(n))
        t0 = time.perf_counter()
        X = TfidfVectorizer(sublinear_tf=True, stop_words="english").fit_transform(d.text for d in docs)
        D = 1 - (X @ X.T).toarray()
        np.clip(D, 0, None, out=D)
        AgglomerativeClustering(n_clusters=None, metric="precomputed", linkage="average",
                                distance_threshold=0.8).fit(D)
        el = time.perf_counter() - t0
        out.append({"articles": n, "ms_per_article": 1000 * el / n, "seconds": el,
                    "max_rss_mb": rss_mb()})
        print(json.dumps({"sklearn": out[-1]}), flush=True)
    return out


def run_batch(sizes: list[int], method: str = "consensus") -> list[dict]:
    """The batch mode (``cluster --rebuild``: an online pass, then the majority of
    ``story_rebuild_runs`` refined runs, or with ``method = "pairs"`` the pair mode), features
    counted in this process; each size in a fresh process, so its peak memory is its own."""
    out = []
    for n in sizes:
        with multiprocessing.get_context("spawn").Pool(1) as pool:
            row = pool.apply(_batch_once, (n, method))
        out.append(row)
        print(json.dumps({"batch": out[-1]}), flush=True)
    return out


def _batch_once(n: int, method: str) -> dict:
    from parallax.eval.metrics import all_metrics
    from parallax.settings import Settings
    from parallax.stories import cluster_docs

    gold: list[str] = []
    docs = list(stream(n, gold=gold))
    t0 = time.perf_counter()
    got = cluster_docs(docs, Settings(story_batch=method), rebuild=True)
    el = time.perf_counter() - t0
    quality = all_metrics(gold, [got[d.id] for d in docs])
    return {"articles": n, "method": method, "ms_per_article": 1000 * el / n, "seconds": el,
            "articles_per_second": n / el, "stories": len(set(got.values())),
            "events": quality["clusters_gold"], "max_rss_mb": rss_mb(),
            **{k: round(quality[k], 4) for k in ("b3_precision", "b3_recall", "b3_f1")}}


def run_store(sizes: list[int], replay_upto: int) -> list[dict]:
    """The stored path, as ingest runs it: a SQLite store grows in batches of 1,000 articles
    (a day of a busy feed), and stories are updated after each batch, resumed from the saved
    state. At each mark: the update cost per article of the last batch, the cost of updating
    after one more article, the saved state's size, and (up to ``replay_upto`` articles) what a
    replay of the whole archive costs, the path every ingest took before the state was saved."""
    import tempfile

    from parallax.records import Article, article_id
    from parallax.settings import Settings
    from parallax.stories import assign_stories
    from parallax.stories.assign import STATE_NAME
    from parallax.store import SQLiteStore

    settings = Settings(understand=0)
    out, marks, batch = [], sorted(sizes), 1000
    with tempfile.TemporaryDirectory() as tmp, SQLiteStore(Path(tmp) / "scale.db") as store:
        docs = stream(marks[-1] + len(marks), seed=11)

        def put(n: int) -> None:
            with store.transaction():
                for _ in range(n):
                    d = next(docs)
                    title, text = d.text.split("\n", 1)
                    store.add_article(Article(id=article_id(text + d.id, None, "bench"), text=text,
                                              raw_text=text, origin="bench", title=title or None,
                                              outlet=f"outlet{int(d.id[1:]) % 50}", date=d.date))

        stored = 0
        for mark in marks:
            while stored < mark:
                n = min(batch, mark - stored)
                put(n)
                stored += n
                t = time.perf_counter()
                assign_stories(store, settings)
                per_batch = (time.perf_counter() - t) / n
            put(1)
            stored += 1
            t = time.perf_counter()
            assign_stories(store, settings)
            one = time.perf_counter() - t
            row = {"articles": stored, "update_ms_per_article_in_batch": 1000 * per_batch,
                   "update_after_one_article_s": one,
                   "state_kb": len(store.get_state(STATE_NAME) or b"") / 1024,
                   "stories": len(store.list_stories()), "max_rss_mb": rss_mb()}
            if stored <= replay_upto + len(marks):
                store.put_state(STATE_NAME, b"")  # an unreadable state is never trusted
                t = time.perf_counter()
                assign_stories(store, settings)
                row["replay_s"] = time.perf_counter() - t
            out.append(row)
            print(json.dumps({"store": row}), flush=True)
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="10000,50000,200000")
    ap.add_argument("--sklearn", default="2000,5000,10000")
    ap.add_argument("--out", default=None)
    ap.add_argument("--workers", type=int, default=2, help="processes counting features")
    ap.add_argument("--store", default="", help="sizes for the stored, incremental path "
                    "(e.g. 1000,10000,50000); skips the in-memory stream unless --sizes is given")
    ap.add_argument("--replay-upto", type=int, default=10000)
    ap.add_argument("--batch", default="", help="sizes for the batch mode (e.g. 10000,50000); "
                    "runs only that")
    ap.add_argument("--batch-method", default="consensus", choices=("consensus", "pairs"))
    args = ap.parse_args()
    report = {}
    if args.batch:
        report["batch"] = run_batch([int(x) for x in args.batch.split(",")], args.batch_method)
        if args.out:
            Path(args.out).write_text(json.dumps(report, indent=2) + "\n")
        return
    if args.store:
        report["store"] = run_store([int(x) for x in args.store.split(",")], args.replay_upto)
        if args.out:
            Path(args.out).write_text(json.dumps(report, indent=2) + "\n")
        return
    sizes = [int(x) for x in args.sizes.split(",")]
    report["online"] = run_online(sizes, args.workers)
    if args.sklearn:
        report["sklearn_average_link"] = run_sklearn([int(x) for x in args.sklearn.split(",")])
    if args.out:
        Path(args.out).write_text(json.dumps(report, indent=2) + "\n")


if __name__ == "__main__":
    main()
