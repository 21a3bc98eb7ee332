"""Stories on corpus variants (issue 23): the shipped clustering modes against a TF-IDF +
average-link baseline at one fixed threshold, on every labelled archive we can make.

Variants, made from ../shared/data (written under bench/out/variants/, never committed: BASIL's
text stays out of the repository):

- ``ecb``, ``ecb_test``, ``basil``: the corpora as they are;
- ``ecb_titles``, ``basil_titles``: headlines only (empty text), as a feed or an aggregator
  gives them; only the articles that have a headline (ECB+'s ecb half has none, and 63 ECB+
  "titles" are time stamps such as 'Friday, June 7, 2013', see ``is_headline``);
- ``ecb_lead``, ``basil_lead``: the first paragraph only (the first line of the text with at
  least eight words, so a bare date line or dateline is skipped), no headline: a snippet;
- ``mixed``: ECB+, BASIL and the two seed articles (ingested and cleaned by Parallax) in one
  archive, in date order;
- ``scenario``: the issue's user scenario, ECB+ topics 1-13 (312 articles, both pirate
  hijackings), BASIL and the seeds in one archive.

Each is scored with ``parallax eval clusters`` (the same code: ``eval.clusters.evaluate``) in
four modes: online (the online clusterer alone), ``--rebuild`` with the consensus batch, ``--rebuild`` with
``story_batch = "pairs"``, ``--rebuild`` with the default ``story_batch = "auto"`` (which runs one
of the two: the result says which); and the baseline: TF-IDF (sublinear tf, English stop words) over title
and text, cosine distance, average link cut at one threshold chosen on ECB+ train+dev (full text)
and kept for every variant.

    .venv/bin/python bench/story_variants.py                # all variants, ~10 min
    .venv/bin/python bench/story_variants.py --only ecb_titles basil_titles
    .venv/bin/python bench/story_variants.py --modes ingest --out bench/results/story_variants_ingest.json
        # the default path: `parallax ingest` into a new store, stories as stored (settled)
    .venv/bin/python bench/story_variants.py --modes stream --shuffles 2 \
        --out bench/results/story_variants_stream.json    # ~40 min
        # a feed: `parallax ingest` of 20 articles at a time, stories updated after each
    .venv/bin/python bench/story_variants.py --shuffles 3 --modes online consensus pairs \
        --out bench/results/story_variants_shuffled.json          # arrival order, ~15 min
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

from bench.corpora import DATA, load  # noqa: E402
from parallax.eval.clusters import arrival_order, evaluate, load_labelled  # noqa: E402
from parallax.eval.metrics import all_metrics  # noqa: E402
from parallax.settings import Settings  # noqa: E402

OUT = ROOT / "bench" / "out" / "variants"
SEEDS = DATA.parent / "seeds"
MODES = ("online", "consensus", "pairs", "auto")
BASELINE_GRID = np.round(np.arange(0.50, 0.951, 0.025), 3)


def lead_paragraph(text: str) -> str:
    lines = [ln.strip() for ln in (text or "").split("\n") if ln.strip()]
    for ln in lines:
        if len(ln.split()) >= 8:
            return ln
    return lines[0] if lines else ""


_STAMP_WORDS = re.compile(
    r"\b(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?"
    r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|mon(?:day)?|tue(?:sday)?|wed(?:nesday)?|thu(?:rsday)?"
    r"|fri(?:day)?|sat(?:urday)?|sun(?:day)?|[ap]\.? ?m|updated|last|posted|published|article|at|on"
    r"|gmt|ist|e[sd]t|et|bst|st|nd|rd|th)\b|[\d\W_]+", re.IGNORECASE)


def is_headline(title: str | None) -> bool:
    """A title with words besides a date and a time ('Updated Saturday, December 05, 2009 8: 28
    PM' is a time stamp that ECB+'s scrape took for a title, not a headline)."""
    return bool(title) and len(_STAMP_WORDS.sub(" ", title).split()) >= 2


def row(r: dict, *, title=None, text="") -> dict:
    return {"id": r["id"], "title": title, "text": text, "date": r.get("date"),
            "source": r.get("source"), "story": r["story"]}


def seed_rows() -> list[dict]:
    """The seeds as Parallax reads them: ingested (cleaned, no understanding) into a scratch store."""
    from parallax.pipeline import ingest
    from parallax.store import open_store

    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(str(Path(tmp) / "seeds.db"))
        try:
            ingest([str(SEEDS)], store, Settings(db=str(Path(tmp) / "seeds.db"), understand=0))
            return [{"id": a.id, "title": a.title, "text": a.text, "date": a.date,
                     "source": a.outlet, "story": "seeds:blinken-lavrov-g20"}
                    for a in store.iter_articles()]
        finally:
            store.close()


def variants() -> dict[str, list[dict]]:
    ecb = load("ecbplus/articles.jsonl")
    basil = load("basil/articles.jsonl")
    full = lambda rows: [row(r, title=r.get("title"), text=r["text"]) for r in rows]  # noqa: E731
    return {
        "ecb": full(ecb),
        "ecb_test": full([r for r in ecb if r.get("split") == "test"]),
        "basil": full(basil),
        "ecb_titles": [row(r, title=r["title"]) for r in ecb if is_headline(r.get("title"))],
        "basil_titles": [row(r, title=r["title"]) for r in basil if is_headline(r.get("title"))],
        "ecb_lead": [row(r, text=lead_paragraph(r["text"])) for r in ecb],
        "basil_lead": [row(r, text=lead_paragraph(r["text"])) for r in basil],
        "mixed": full(ecb) + full(basil) + seed_rows(),
        # the user scenario: a store of ~300 ECB+ articles (topics 1-13, the two
        # pirate hijackings among them), the 300 BASIL articles and the seeds
        "scenario": full([r for r in ecb if int(r["topic"]) <= 13]) + full(basil) + seed_rows(),
    }


def tuning_variants() -> dict[str, list[dict]]:
    """ECB+ train+dev as it is, as headlines and as first paragraphs: where the short-text
    setting (``story_short_terms``) is chosen. BASIL and ECB+ test stay out of it."""
    ecb = [r for r in load("ecbplus/articles.jsonl") if r.get("split") != "test"]
    return {
        "trdev": [row(r, title=r.get("title"), text=r["text"]) for r in ecb],
        "trdev_titles": [row(r, title=r["title"]) for r in ecb if is_headline(r.get("title"))],
        "trdev_lead": [row(r, text=lead_paragraph(r["text"])) for r in ecb],
    }


def tune(values: list[int]) -> dict:
    """B-cubed F1 of the online and consensus modes on the tuning variants, per value of
    ``story_short_terms``; the choice is the best mean over the three."""
    out: dict = {}
    for name, rows in tuning_variants().items():
        path = write(name, rows)
        for v in values:
            for mode in ("online", "consensus"):
                m = evaluate(path, settings=Settings(story_short_terms=v), rebuild=mode != "online")
                out.setdefault(f"{mode}:{v}", {})[name] = round(m["b3_f1"], 4)
                print(json.dumps({"tune": name, "short_terms": v, "mode": mode,
                                  "b3_f1": round(m["b3_f1"], 4)}), flush=True)
    for key, got in out.items():
        got["mean"] = round(sum(got.values()) / len(got), 4)
    return out


def write(name: str, rows: list[dict]) -> Path:
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"{name}.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def scored(m: dict) -> dict:
    return {"b3_f1": round(m["b3_f1"], 4), "b3_precision": round(m["b3_precision"], 4),
            "b3_recall": round(m["b3_recall"], 4), "stories": m["clusters_pred"],
            "gold_stories": m["clusters_gold"]}


# -- the baseline ------------------------------------------------------------------------

def baseline_labels(texts: list[str], threshold: float) -> list[str]:
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.feature_extraction.text import TfidfVectorizer

    if len(texts) < 2:
        return ["0"] * len(texts)
    X = TfidfVectorizer(sublinear_tf=True, stop_words="english").fit_transform(texts)
    D = np.clip(1.0 - (X @ X.T).toarray(), 0.0, None)
    return [str(x) for x in AgglomerativeClustering(
        n_clusters=None, metric="precomputed", linkage="average",
        distance_threshold=threshold).fit_predict(D)]


def baseline_threshold() -> float:
    """The cut that is best on ECB+ train+dev (full text), kept for every variant."""
    rows = [r for r in load("ecbplus/articles.jsonl") if r.get("split") != "test"]
    texts = [f"{r.get('title') or ''}\n{r['text']}" for r in rows]
    gold = [r["story"] for r in rows]
    best = max(BASELINE_GRID, key=lambda t: all_metrics(gold, baseline_labels(texts, t))["b3_f1"])
    return float(best)


def run_baseline(path: Path, threshold: float) -> dict:
    docs, gold = load_labelled(path)
    t0 = time.perf_counter()
    pred = baseline_labels([d.text for d in docs], threshold)
    return scored(all_metrics(gold, pred)) | {"seconds": round(time.perf_counter() - t0, 2)}


def run_ingest(path: Path) -> dict:
    """The default path as a user takes it: `parallax ingest` of the variant's file into a new
    store (cleaning, understanding, stories: online, or settled in batch, as the defaults
    say), scored from the stored stories."""
    from parallax.pipeline import ingest, update_stories
    from parallax.store import SQLiteStore

    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "variant.db")
        settings = Settings(db=db)
        heard: list = []
        with SQLiteStore(db) as store:
            t0 = time.perf_counter()
            ingest([str(path)], store, settings)
            t1 = time.perf_counter()
            update_stories(store, settings, listener=lambda kind, x: heard.append((kind, x))
                           if kind in ("settle", "batch method") else None)
            t2 = time.perf_counter()
            story = {x.article_id: x.story_id for x in store.assignments()}
            rows = [(a.metadata["story"], story[a.id]) for a in store.iter_articles()]
    m = all_metrics([g for g, _ in rows], [s for _, s in rows])
    return scored(m) | {"ingest_seconds": round(t1 - t0, 1), "stories_seconds": round(t2 - t1, 1),
                        "settled": [list(x) if isinstance(x, tuple) else x for _k, x in heard]}


STREAM_CHUNK = 20  # articles a stream ingests at a time


def run_stream(path: Path, shuffles: int = 0) -> dict:
    """The default path on a stream: `parallax ingest` of STREAM_CHUNK articles at a time, in
    date order (and in ``shuffles`` random orders), stories updated after each, as a feed
    brings them; scored from the stored stories at the end."""
    rows = [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]
    docs, _gold = load_labelled(path)
    orders = [arrival_order(docs)]
    for seed in range(1, shuffles + 1):
        order = list(range(len(rows)))
        random.Random(seed).shuffle(order)
        orders.append(order)
    runs = [_stream([rows[i] for i in order]) for order in orders]
    first, f1s = runs[0], [r["b3_f1"] for r in runs]
    if shuffles:
        first["shuffled_b3_f1"] = [round(x, 4) for x in f1s[1:]]
        first["shuffle_spread"] = round(max(f1s) - min(f1s), 4)
    return first


def _stream(rows: list[dict]) -> dict:
    from parallax.pipeline import ingest, update_stories
    from parallax.store import SQLiteStore

    settles = []
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "stream.db")
        settings = Settings(db=db)
        t0 = time.perf_counter()
        with SQLiteStore(db) as store:
            longest = 0.0  # the slowest update of the stories (a settle's batch, at most)
            for k in range(0, len(rows), STREAM_CHUNK):
                part = Path(tmp) / f"part{k}.jsonl"
                part.write_text("".join(json.dumps(r) + "\n" for r in rows[k:k + STREAM_CHUNK]),
                                encoding="utf-8")
                ingest([str(part)], store, settings)
                t = time.perf_counter()
                update_stories(store, settings, listener=lambda kind, x: settles.append(x)
                               if kind == "settle" else None)
                longest = max(longest, time.perf_counter() - t)
            story = {x.article_id: x.story_id for x in store.assignments()}
            pairs = [(a.metadata["story"], story[a.id]) for a in store.iter_articles()]
    m = all_metrics([g for g, _ in pairs], [s for _, s in pairs])
    shown = settles if len(settles) <= 8 else settles[:3] + ["..."] + settles[-3:]
    return scored(m) | {"seconds": round(time.perf_counter() - t0, 1),
                        "longest_update_seconds": round(longest, 2),
                        "settle_count": len(settles), "settles": shown}


def run_mode(path: Path, mode: str, shuffles: int = 0) -> dict:
    settings = Settings() if mode == "online" else Settings(story_batch=mode)
    m = evaluate(path, settings=settings, rebuild=mode != "online")
    got = scored(m) | {"seconds": round(m["seconds"], 2)}
    if mode == "auto":  # which method 'auto' ran, and why
        got["method"] = [m["batch_method"], m["batch_method_why"]]
    if shuffles:  # arrival in random orders (as `parallax eval clusters --shuffle N`)
        n = len(load_labelled(path)[0])
        f1s = []
        for seed in range(1, shuffles + 1):
            order = list(range(n))
            random.Random(seed).shuffle(order)
            f1s.append(evaluate(path, settings=settings, rebuild=mode != "online",
                                order=order)["b3_f1"])
        got["shuffled_b3_f1"] = [round(x, 4) for x in f1s]
        got["shuffle_spread"] = round(max(f1s + [m["b3_f1"]]) - min(f1s + [m["b3_f1"]]), 4)
    return got


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--only", nargs="*", help="variant names (default: all)")
    ap.add_argument("--modes", nargs="*", default=list(MODES) + ["baseline"])
    ap.add_argument("--shuffles", type=int, default=0,
                    help="also score this many random arrival orders (seeds 1..N) per mode")
    ap.add_argument("--tune", nargs="*", type=int,
                    help="sweep story_short_terms over these values on ECB+ train+dev variants")
    ap.add_argument("--out", default=str(ROOT / "bench" / "results" / "story_variants.json"))
    args = ap.parse_args(argv)

    if args.tune:
        result = tune(args.tune)
        Path(args.out).write_text(json.dumps(result, indent=1) + "\n")
        for key, got in result.items():
            print(key, got)
        return
    made = variants()
    names = args.only or list(made)
    threshold = baseline_threshold() if "baseline" in args.modes else None
    results: dict = {"baseline_threshold": threshold, "variants": {}}
    for name in names:
        path = write(name, made[name])
        res: dict = {"articles": len(made[name])}
        for mode in args.modes:
            res[mode] = run_baseline(path, threshold) if mode == "baseline" else \
                run_ingest(path) if mode == "ingest" else \
                run_stream(path, args.shuffles) if mode == "stream" else \
                run_mode(path, mode, args.shuffles)
            print(json.dumps({"variant": name, "mode": mode, **res[mode]}), flush=True)
        results["variants"][name] = res
    Path(args.out).write_text(json.dumps(results, indent=1) + "\n")
    print(f"{'variant':14} {'n':>5} " + " ".join(f"{m:>10}" for m in args.modes))
    for name, res in results["variants"].items():
        print(f"{name:14} {res['articles']:>5} "
              + " ".join(f"{res[m]['b3_f1']:>10.3f}" for m in args.modes))


if __name__ == "__main__":
    main()
