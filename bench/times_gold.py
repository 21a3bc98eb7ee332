"""Time expressions against a hand-judged sample of BASIL (issue 21): are the dates Parallax
places on the calendar right, and does it tell an event's date from a reference ('since
1996', 'until Feb. 15')?

    python bench/times_gold.py sheet [--n 100]   # a sample to judge (bench/out/times.txt)
    python bench/times_gold.py gold LABELS.tsv   # judgements -> tests/fixtures/times_gold.jsonl
    python bench/times_gold.py score             # the shipped stage against both golds

The sample is drawn (seed 21) from every time expression the understanding stage finds in
BASIL, each with its article's publication date. The gold file holds the corpus document and
the expression's span in it (no news text) with the judged value, precision and kind;
``tests/fixtures/times_gold.README.md`` says how it was judged. ``score`` also reports the
time cases of the understanding gold (tests/fixtures/understand_gold.jsonl).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.corpora import load  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "tests" / "fixtures" / "times_gold.jsonl"
OUT = Path(__file__).parent / "out"


def expressions() -> list[dict]:
    """Every time expression found in BASIL: document, span in the corpus text, sentence,
    publication date, and what the stage made of it."""
    from parallax.understand import analyze

    out = []
    for r in load("basil/articles.jsonl"):
        an = analyze(r["text"], published=r["date"])
        for t in an.times:
            sent = an.sentences[t.sentence]
            out.append({"doc": f"basil:{r['id']}", "span": [t.start, t.end], "text": t.text,
                        "sentence": sent.text, "published": r["date"], "value": t.value,
                        "precision": t.precision, "kind": getattr(t, "kind", None),
                        "resolved_from": t.resolved_from})
    return out


def sheet(args) -> None:
    found = expressions()
    rng = random.Random(21)
    sample = rng.sample(found, min(args.n, len(found)))
    OUT.mkdir(exist_ok=True)
    lines = []
    for n, t in enumerate(sample):
        t["item"] = f"t{n:03d}"
        lines.append(f"[{t['item']}] {t['text']!r} -> {t['value']} ({t['precision']}; "
                     f"{t['resolved_from']}; kind {t['kind']})  published {t['published']}\n"
                     f"      {t['sentence']}")
    (OUT / "times.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (OUT / "times.jsonl").write_text("".join(json.dumps(t) + "\n" for t in sample))
    print(f"{len(sample)} of {len(found)} expressions -> {OUT / 'times.txt'}")


def make_gold(args) -> None:
    """Labels: item, then the right value ('-' when the words are no time expression, '?'
    when the text cannot place it), its precision, its kind (event | reference), a note."""
    items = {t["item"]: t for t in map(json.loads, (OUT / "times.jsonl").read_text().splitlines())}
    rows = []
    for line in Path(args.labels).read_text(encoding="utf-8").splitlines():
        item, value, precision, kind, *note = line.split("\t") + [""]
        t = items[item]
        rows.append({"id": item, "doc": t["doc"], "span": t["span"], "published": t["published"],
                     "value": None if value in "-?" else value,
                     "placeable": value != "?", "is_time": value != "-",
                     "precision": None if precision == "-" else precision,
                     "kind": None if kind == "-" else kind, "note": note[0] or None,
                     "judged": args.phase})
    GOLD.write_text("".join(json.dumps(r) + "\n" for r in rows))
    print(f"{len(rows)} judgements -> {GOLD}")


def score(args) -> dict:
    from parallax.understand import analyze

    texts = {f"basil:{r['id']}": r for r in load("basil/articles.jsonl")}
    rows = [json.loads(x) for x in GOLD.read_text().splitlines() if x.strip()]
    placed = right = kinds = kinds_right = missed = 0
    wrong = []
    cache: dict[str, object] = {}
    for g in rows:
        r = texts[g["doc"]]
        an = cache.get(g["doc"]) or analyze(r["text"], published=r["date"])
        cache[g["doc"]] = an
        a, b = g["span"]
        hit = [t for t in an.times if t.start < b and a < t.end]
        if not hit or not hit[0].value:
            missed += g["value"] is not None
            continue
        t = hit[0]
        placed += 1
        ok = g["value"] is not None and t.value == g["value"]
        right += ok
        if not ok:
            wrong.append(f"{g['id']} {r['text'][a:b]!r}: {t.value} (gold {g['value']})")
        if g.get("kind") and getattr(t, "kind", None):
            kinds += 1
            kinds_right += t.kind == g["kind"]
    understand = understand_gold_times()
    result = {"basil_sample": {"judged": len(rows), "placed": placed, "right": right,
                               "precision": round(right / placed, 3) if placed else None,
                               "gold_dates_not_placed": missed,
                               "kind_judged": kinds, "kind_right": kinds_right},
              "understand_gold": understand, "wrong": wrong}
    out = Path(args.out)
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))
    return result


def understand_gold_times() -> dict:
    """Precision of placed dates on the time cases of the understanding gold."""
    from parallax.understand import analyze

    cases = [json.loads(x) for x in (ROOT / "tests" / "fixtures" / "understand_gold.jsonl")
             .read_text().splitlines() if x.strip()]
    texts = {f"{corpus}:{r['id']}": r["text"] for corpus in ("basil", "ecbplus")
             for r in load(f"{corpus}/articles.jsonl")}
    for c in cases:  # the gold holds spans of the corpora, not their text
        c["text"] = texts[c["source"]][c["span"][0]:c["span"][1]]
    placed = right = 0
    wrong = []
    for c in cases:
        if c["kind"] != "time":
            continue
        an = analyze(c["text"], published=c["published"])
        hit = [t for t in an.times if c["expr"] in t.text or t.text in c["expr"]]
        if not hit or not hit[0].value:
            continue
        placed += 1
        ok = hit[0].value == c["value"]
        right += ok
        if not ok:
            wrong.append(f"{c['expr']!r}: {hit[0].value} (gold {c['value']})")
    return {"placed": placed, "right": right,
            "precision": round(right / placed, 3) if placed else None, "wrong": wrong}


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("sheet")
    s.add_argument("--n", type=int, default=100)
    g = sub.add_parser("gold")
    g.add_argument("labels")
    g.add_argument("--phase", default="before")
    c = sub.add_parser("score")
    c.add_argument("--out", default=str(Path(__file__).parent / "results" / "times_gold.json"))
    args = p.parse_args()
    {"sheet": sheet, "gold": make_gold, "score": score}[args.cmd](args)


if __name__ == "__main__":
    main()
