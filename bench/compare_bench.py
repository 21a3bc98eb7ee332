"""Comparison benchmarks.

    python bench/compare_bench.py ecb      [--split dev|test|all] [--threshold T]
    python bench/compare_bench.py claimdiff
    python bench/compare_bench.py basil
    python bench/compare_bench.py speed

ecb: alignment against ECB+ event chains: within each gold story, precision and recall of
  cross-article sentence pairs that the fact groups put together. Only sentences annotated in
  some chain can be judged, so pairs are counted among them.
claimdiff: each pair of claims becomes two statements from two sources; Parallax's verdict
  (a conflict -> weaken; aligned without conflict -> strengthen; else neither) against the gold
  label, with the confusion matrix.
basil: recall of the informational spans (bias == "inf", one outlet's choice to include a fact)
  inside facts Parallax marks single_source, comparing each gold story's three articles.
speed: stories per second, and the time to compare a 20-article story.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import Counter, defaultdict
from itertools import combinations
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.corpora import load, write_source  # noqa: E402
from parallax.compare.align import align  # noqa: E402
from parallax.compare.checks import is_conflict  # noqa: E402
from parallax.compare.relate import StoryWeights, coverage, relate  # noqa: E402
from parallax.compare.report import facts  # noqa: E402
from parallax.compare import align_params, pair_model, story_statements  # noqa: E402
from parallax.compare.statements import Statement  # noqa: E402
from parallax.understand.records import sentence_index  # noqa: E402
from parallax.pipeline import ingest  # noqa: E402
from parallax.settings import Settings  # noqa: E402
from parallax.store import SQLiteStore  # noqa: E402

OUT = Path(__file__).parent / "results"


def stored_corpus(rows: list[dict], name: str) -> str:
    """Ingest rows (outlet = the row id, so each article is its own source) into a store."""
    tmp = Path(tempfile.mkdtemp())
    src = write_source(rows, tmp / f"{name}.jsonl")
    db = str(tmp / f"{name}.db")
    with SQLiteStore(db) as store:
        ingest([src], store, Settings(db=db))
    return db


def doc_statements(store, ids: list[str], by_doc: dict[str, str]) -> list[Statement]:
    """A gold story's statements, each document its own source (and lineage group)."""
    docs = [doc for doc in ids if doc in by_doc]
    return story_statements(store, [store.get_article(by_doc[d]) for d in docs], docs, docs)


def ecb_stories(split: str) -> list[tuple[list[Statement], dict[tuple[str, int], set[str]]]]:
    """Per gold ECB+ story of the split: its statements (each document its own source) and the
    gold event chains of each judged (document, sentence index). A chain mention is placed in
    the stored sentence where its sentence's text begins."""
    rows = [r for r in load("ecbplus/articles.jsonl")
            if split == "all" or (r["split"] == "test") == (split == "test")]
    chains = [c for c in load("ecbplus/event_chains.jsonl") if c["kind"] == "event"]
    db = stored_corpus(rows, "ecb")
    out = []
    with SQLiteStore(db) as store:
        stored = {a.outlet: a for a in store.iter_articles()}
        gold: dict[tuple[str, int], set[str]] = defaultdict(set)
        for c in chains:
            for m in c["mentions"]:
                art = stored.get(m["doc"])
                at = art.text.find(m["sentence_text"][:50]) if art else -1
                if at >= 0:
                    starts = [s["start"] for s in art.analysis["sentences"]]
                    gold[(m["doc"], sentence_index(starts, at))].add(c["chain_id"])
        by_story = defaultdict(list)
        for r in rows:
            by_story[r["story"]].append(r["id"])
        by_doc = {doc: art.id for doc, art in stored.items()}
        for docs in by_story.values():
            out.append((doc_statements(store, docs, by_doc),
                        {k: v for k, v in gold.items() if k[0] in docs}))
    return out


def sentence_statements(sts: list[Statement]) -> dict[tuple[str, int], list[int]]:
    """(document, sentence) -> the indices of its statements: one, or one per clause where the
    sentence carries several facts."""
    at: dict[tuple[str, int], list[int]] = defaultdict(list)
    for i, s in enumerate(sts):
        at[(s.source, s.sentence)].append(i)
    return at


def bench_settings(args) -> Settings:
    return Settings(align_threshold=args.threshold, pair_model=args.pair_model,
                    pair_model_threshold=args.model_threshold)


def resolve(args) -> None:
    """Once per run: ``args.model``, the sentence-pair model ``--pair-model`` names ('builtin',
    a directory, or 'none'), and ``args.params``, the shipped alignment parameters with
    ``--threshold`` as the coverage a statement needs to state another's fact and
    ``--model-threshold`` the pair-model score."""
    args.model = pair_model(bench_settings(args))[0]
    args.params = align_params(bench_settings(args), args.model)


def ecb(args) -> dict:
    """A pair of sentences counts as put together when a fact group holds a statement of each
    (a clause of a sentence that carries several facts is enough)."""
    tp = fp = fn = 0
    for sts, gold in ecb_stories(args.split):
        groups = align(sts, args.params, args.model)
        group_of = list(range(len(sts), 2 * len(sts)))  # a statement in no fact: its own group
        for gi, g in enumerate(groups):
            for i in g.indices("states"):
                group_of[i] = gi
        at = sentence_statements(sts)
        groups_at = {k: {group_of[i] for i in v} for k, v in at.items()}
        for a, b in combinations(sorted(gold), 2):
            if a[0] == b[0]:
                continue
            same_gold = bool(gold[a] & gold[b])
            same_pred = bool(groups_at.get(a, set()) & groups_at.get(b, set()))
            tp += same_gold and same_pred
            fp += same_pred and not same_gold
            fn += same_gold and not same_pred
    return {"split": args.split, "threshold": args.threshold, "pairs_predicted": tp + fp,
            "pairs_gold": tp + fn, "precision": tp / (tp + fp) if tp + fp else None,
            "recall": tp / (tp + fn) if tp + fn else None}


def claimdiff(args) -> dict:
    from parallax.understand import analyze

    pairs = load("claimdiff/pairs.jsonl")
    conf: Counter = Counter()
    for p in pairs:
        sts = []
        for side, text in (("a", p["claim_a"]), ("b", p["claim_b"])):
            an = analyze(text, published=p.get("date"))
            st = Statement(f"{side}", side, side, side, 0, 0, len(text), text)
            st.date = p.get("date")
            from parallax.stories.features import terms
            from dataclasses import asdict

            st.terms = dict(terms(text))
            st.entities = {e.key for e in an.entities}
            st.numbers = [asdict(n) for n in an.numbers]
            st.times = [asdict(t) for t in an.times]
            st.quotes = [asdict(q) for q in an.quotes]
            from parallax.compare.statements import NEGATION

            st.negated = bool(NEGATION.search(text))
            sts.append(st)
        w = StoryWeights(sts)
        rel = relate(sts[0], sts[1], coverage(w, 0, 1, sts[0], sts[1]), args.params.relate,
                     w.content(sts[0], sts[1]), w.said_words(sts[0], sts[1]))
        if rel.kind == "conflict" and is_conflict(rel.finding):
            pred = "weaken"
        elif rel.kind == "agree":
            pred = "strengthen"
        else:
            pred = "neither"
        conf[(p["label"], pred)] += 1
    labels = ["strengthen", "weaken", "neither"]
    report = {"pairs": len(pairs), "confusion": {g: {q: conf[(g, q)] for q in labels} for g in labels}}
    for lab in labels:
        tp = conf[(lab, lab)]
        pred_n = sum(conf[(g, lab)] for g in labels)
        gold_n = sum(conf[(lab, q)] for q in labels)
        pr = tp / pred_n if pred_n else 0.0
        rc = tp / gold_n if gold_n else 0.0
        report[lab] = {"precision": pr, "recall": rc, "f1": 2 * pr * rc / (pr + rc) if pr + rc else 0.0}
    return report


def basil(args) -> dict:
    rows = load("basil/articles.jsonl")
    spans = [s for s in load("basil/bias_spans.jsonl") if s["bias"] == "inf"]
    raw = {r["id"]: r["text"] for r in rows}
    db = stored_corpus(rows, "basil")
    inside = total = 0
    with SQLiteStore(db) as store:
        by_doc = {a.outlet: a.id for a in store.iter_articles()}
        by_story = defaultdict(list)
        for r in rows:
            by_story[r["story"]].append(r["id"])
        single: dict[str, list[str]] = defaultdict(list)  # doc -> texts of single-source facts
        for docs in by_story.values():
            sts = doc_statements(store, docs, by_doc)
            for f in facts(sts, align(sts, args.params, args.model)):
                if f["status"] == "single_source":
                    for e in f["evidence"]:
                        single[e["source"]].append(e["text"])
        for s in spans:
            text = raw.get(s["article_id"], "")[s["start"]:s["end"]].strip()
            if len(text) < 8:
                continue
            total += 1
            probe = " ".join(text.split())[:60]
            inside += any(probe in " ".join(t.split()) for t in single.get(s["article_id"], []))
    return {"spans": total, "inside_single_source": inside, "recall": inside / total if total else None}


def speed(args) -> dict:
    from parallax.reports import story_report
    from parallax.pipeline import update_stories

    rows = [r for r in load("ecbplus/articles.jsonl") if r["topic"] in ("1", "12", "13")]
    db = stored_corpus(rows, "speed")
    settings = Settings(db=db, pair_model=args.pair_model, pair_model_threshold=args.model_threshold,
                        story_settle_max=0)  # the online stories, as this series was measured
    with SQLiteStore(db) as store:
        update_stories(store, settings)
        stories = store.list_stories()
        t = time.process_time()
        for s in stories:
            story_report(store, s.id, settings)
        per_story = (time.process_time() - t) / len(stories)
        big = sorted(stories, key=lambda s: -s.size)[0]
        t = time.process_time()
        story_report(store, big.id, settings)
        biggest = time.process_time() - t
    return {"stories": len(stories), "stories_per_second": 1 / per_story,
            "largest_story_articles": big.size, "largest_story_seconds": biggest,
            "long_articles": long_story_costs(settings=settings)}


def long_story_costs(sizes=(20, 100, 300), settings: Settings | None = None) -> list[dict]:
    """The comparison of N of BASIL's long articles (27 sentences each on average, against
    ECB+'s 6) as one story: seconds on one core, and the peak of memory it allocates
    (tracemalloc, a second run). The cost depends on the number of statements, not on
    whether the articles report one event."""
    import tracemalloc

    from parallax.compare import compare

    db = stored_corpus(load("basil/articles.jsonl"), "basil-long")
    out = []
    with SQLiteStore(db) as store:
        articles = list(store.iter_articles())
        compare(store, articles[:3], [], settings)  # imports, model load and warm-up
        for n in sizes:
            part = articles[:n]
            t = time.process_time()
            result = compare(store, part, [], settings)
            seconds = time.process_time() - t
            tracemalloc.start()
            compare(store, part, [], settings)
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
            out.append({"articles": n, "statements": sum(len(f["evidence"]) for f in result["facts"]),
                        "seconds": round(seconds, 3), "peak_mb": round(peak / 2**20, 1)})
            print(json.dumps(out[-1]), file=sys.stderr, flush=True)
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("task", choices=["ecb", "claimdiff", "basil", "speed"])
    ap.add_argument("--split", default="test", choices=["dev", "test", "all"])
    ap.add_argument("--threshold", type=float, default=Settings().align_threshold)
    ap.add_argument("--pair-model", default=Settings().pair_model,
                    help="'builtin' (shipped), a model directory, or 'none' (words alone)")
    ap.add_argument("--model-threshold", type=float, default=0.0, help="0: the model card's")
    args = ap.parse_args()
    resolve(args)
    result = {"ecb": ecb, "claimdiff": claimdiff, "basil": basil, "speed": speed}[args.task](args)
    print(json.dumps(result, indent=2))
    OUT.mkdir(exist_ok=True)
    name = args.task + (f"_{args.split}" if args.task == "ecb" else "")
    name += "_words" if args.model is None else ""
    result["pair_model"] = args.pair_model if args.model is not None else "none"
    (OUT / f"compare_{name}.json").write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
