"""The comparison against a hand-judged gold (issue 21): is "corroborated" true, are conflicts
real, are the number and date disagreements of a story found?

    python bench/compare_gold.py sheet [--out bench/out/judge.txt]   # what there is to judge
    python bench/compare_gold.py gold LABELS.tsv                       # judgements -> the gold file
    python bench/compare_gold.py score [--out bench/results/compare_gold.json]

The gold is ``tests/fixtures/compare_gold.jsonl``; how it was judged is in
``tests/fixtures/compare_gold.README.md``. The 25 stories are the seeds, the first 14 BASIL
test stories (by story id; BASIL's split is ``bench.corpora.split_of``) and the 10 ECB+ test
stories with the least text. Each is compared as its gold story (the clustering is not under
test here), every article with its real outlet, lineage from the stories stage.

Statements are keyed by the corpus document and a span of its text (the gold file holds no
news text: BASIL's is copyrighted; the spans are resolved against ../shared at run time), so
a judgement survives a change of the code: a statement of the new output matches a judged one
of the same document when one text holds the other. An item the gold does not cover is
reported as unjudged (judge it, add it, score again), never counted either way.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.corpora import load, split_of  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"
GOLD = ROOT / "tests" / "fixtures" / "compare_gold.jsonl"
OUT = Path(__file__).parent / "results"
BASIL_STORIES = 14
ECB_STORIES = 10


def chosen_rows() -> dict[str, list[dict]]:
    """Gold story -> its corpus rows (with ``doc``: the corpus id), in a fixed order."""
    out: dict[str, list[dict]] = {}
    basil = load("basil/articles.jsonl")
    by_story = defaultdict(list)
    for i, r in enumerate(basil):
        if split_of(r, i) == "test":
            by_story[r["story"]].append(r)
    for story in sorted(by_story)[:BASIL_STORIES]:
        out[f"basil:{story[:8]}"] = [dict(r, doc=f"basil:{r['id']}") for r in by_story[story]]
    ecb = defaultdict(list)
    for r in load("ecbplus/articles.jsonl"):
        if r["split"] == "test":
            ecb[r["story"]].append(r)
    small = sorted(ecb, key=lambda s: (sum(len(r["text"]) for r in ecb[s]), s))[:ECB_STORIES]
    for story in sorted(small):
        out[f"ecb:{story}"] = [dict(r, doc=f"ecb:{r['id']}") for r in ecb[story]]
    return out


def build(settings_overrides: dict | None = None):
    """A store holding the seeds and the chosen stories; yields (story, report, doc_of) with
    ``doc_of``: stored article id -> corpus document."""
    from parallax.compare import compare
    from parallax.pipeline import ingest, update_stories
    from parallax.settings import Settings
    from parallax.store import SQLiteStore

    tmp = Path(tempfile.mkdtemp())
    db = str(tmp / "gold.db")
    stories = chosen_rows()
    src = tmp / "stories.jsonl"
    with src.open("w", encoding="utf-8") as fh:
        for rows in stories.values():
            for r in rows:
                fh.write(json.dumps({"id": r["doc"], "title": r.get("title"), "text": r["text"],
                                     "date": r.get("date"), "source": r.get("source")}) + "\n")
    settings = Settings(db=db, **(settings_overrides or {}))
    with SQLiteStore(db) as store:
        ingest([str(SEEDS), str(src)], store, settings)
        update_stories(store, settings)
        arts = list(store.iter_articles())
        doc_of = {}
        for a in arts:
            doc_of[a.id] = a.metadata.get("id") or "seed:" + Path(a.origin).name.split("_")[0]
        members = {"seeds": [a for a in arts if doc_of[a.id].startswith("seed:")]}
        for story, rows in stories.items():
            docs = {r["doc"] for r in rows}
            members[story] = [a for a in arts if doc_of[a.id] in docs]
        lineage = {x.article_id: x for x in store.assignments()}
        for story, articles in members.items():
            assignments = [lineage[a.id] for a in articles if a.id in lineage]
            yield story, compare(store, articles, assignments, settings), doc_of, articles


# -- statement keys ------------------------------------------------------------------------

def norm(text: str) -> str:
    """Quotes made one, whitespace dropped (the cleaner splits glued words: 'Whelanan' in the
    corpus is 'Whelan an' in a statement), lower case."""
    return "".join(re.sub(r"[“”\"‘’']", "'", text).split()).lower()


def key(doc: str, text: str) -> dict:
    return {"doc": doc, "text": " ".join(text.split())}


def same_statement(a: dict, b: dict) -> bool:
    """One document, and one text within the other (a clause within its sentence)."""
    if a["doc"] != b["doc"]:
        return False
    x, y = norm(a["text"]), norm(b["text"])
    return x == y or (min(len(x), len(y)) >= 20 and (x in y or y in x))


def lead_and_members(fact: dict, doc_of: dict) -> tuple[dict, list[dict]]:
    """The statement standing for a fact and its other members (each with its source and
    whether it is listed as agreeing)."""
    ev = fact["evidence"]
    lead_ev = next((e for e in ev if " ".join(e["text"].split()) == " ".join(fact["text"].split())), ev[0])
    lead = dict(key(doc_of[lead_ev["article"]], lead_ev["text"]), source=lead_ev["source"])
    others = [dict(key(doc_of[e["article"]], e["text"]), source=e["source"],
                   agrees=e.get("agrees", True)) for e in ev if e is not lead_ev]
    return lead, others


# -- the sheet to judge -----------------------------------------------------------------------

def sheet(args) -> None:
    """Every corroborated fact (each member against the fact's statement), every conflict, a
    sample of single-source facts (with each other outlet's closest sentences) and the
    candidate number/date disagreements of each story, numbered for judging."""
    rng = random.Random(21)
    lines: list[str] = []
    items: list[dict] = []

    def add(item: dict, text: str) -> None:
        item["item"] = f"i{len(items):04d}"
        items.append(item)
        lines.append(f"[{item['item']}] {text}")

    for story, rep, doc_of, articles in build():
        lines.append(f"\n######## {story}: {len(articles)} articles, "
                     f"{len({a.source_name for a in articles})} outlets")
        for f in rep["facts"]:
            if f["status"] != "corroborated" and f["status"] != "conflict":
                continue
            lead, others = lead_and_members(f, doc_of)
            lines.append(f"\n== {f['status'].upper()} fact: [{lead['source']}] {lead['text']}")
            if f.get("conflict"):
                c = f["conflict"]
                add({"kind": "conflict", "story": story, "type": c["type"],
                     "a": key(doc_of[c["a"]["article"]], c["a"]["text"]),
                     "b": key(doc_of[c["b"]["article"]], c["b"]["text"]),
                     "sources": [c["a"]["source"], c["b"]["source"]], "why": c["why"]},
                    f"CONFLICT {c['type']}: {c['why']}\n   A [{c['a']['source']}] {c['a']['text']}\n"
                    f"   B [{c['b']['source']}] {c['b']['text']}")
            for m in others:
                add({"kind": "member", "story": story, "status": f["status"], "lead": key(lead["doc"], lead["text"]),
                     "member": key(m["doc"], m["text"]), "sources": [lead["source"], m["source"]]},
                    f"member [{m['source']}] {m['text']}")
        singles = [f for f in rep["facts"] if f["status"] == "single_source"]
        for f in rng.sample(singles, min(4, len(singles))):
            lead, _ = lead_and_members(f, doc_of)
            add({"kind": "single", "story": story, "statement": key(lead["doc"], lead["text"]),
                 "source": lead["source"]},
                f"SINGLE [{lead['source']}] {lead['text']}\n" + _closest(lead, articles, doc_of))
        for a, b, why in candidates(articles, doc_of):
            add({"kind": "candidate", "story": story, "a": a, "b": b, "what": why},
                f"CANDIDATE ({why})\n   A [{a['source']}] {a['text']}\n   B [{b['source']}] {b['text']}")
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out.with_suffix(".jsonl").write_text("".join(json.dumps(i, ensure_ascii=False) + "\n" for i in items))
    print(f"{len(items)} items -> {out}")


def _sentences(article, doc_of) -> list[dict]:
    an = article.analysis or {"sentences": []}
    return [dict(key(doc_of[article.id], s["text"]), source=article.source_name, index=s["index"],
                 article=article.id)
            for s in an["sentences"]]


def _words(text: str) -> set[str]:
    from parallax.stories.features import terms

    return set(terms(text))


def _closest(lead: dict, articles, doc_of, k: int = 3) -> str:
    """Each other outlet's ``k`` sentences closest in content words to ``lead``."""
    mine = _words(lead["text"])
    out = []
    for a in articles:
        if a.source_name == lead["source"]:
            continue
        scored = sorted(_sentences(a, doc_of), key=lambda s: -len(mine & _words(s["text"])))[:k]
        for s in scored:
            out.append(f"   ? [{s['source']}] {s['text']}")
    return "\n".join(out)


def candidates(articles, doc_of) -> list[tuple[dict, dict, str]]:
    """Pairs of sentences of two outlets that might disagree on a number or a date: both carry
    a number of one kind (its unit, or a counted word in common) or a date of one precision,
    and they share at least two content words. Broad on purpose: the judge says which are
    real disagreements, so recall is measured against more than the comparison finds."""
    per = []
    for a in articles:
        an = a.analysis or {}
        for s in _sentences(a, doc_of):
            nums = [n for n in an.get("numbers", []) if n["sentence"] == s["index"]]
            times = [t for t in an.get("times", []) if t["sentence"] == s["index"] and t["value"]]
            if nums or times:
                per.append((s, nums, times, _words(s["text"])))
    out = []
    for i, (s, nums, times, w) in enumerate(per):
        for t2, nums2, times2, w2 in per[i + 1:]:
            if s["source"] == t2["source"] or len(w & w2) < 2:
                continue
            why = _number_kind(nums, nums2) or _date_kind(times, times2)
            if why:
                out.append((s, t2, why))
    return out


def _number_kind(xs, ys) -> str | None:
    for x in xs:
        for y in ys:
            if x["value"] == y["value"]:
                continue
            cx, cy = set((x.get("counted") or "").lower().split()), set((y.get("counted") or "").lower().split())
            if (x.get("unit") and x.get("unit") == y.get("unit")) or (cx & cy):
                return f"numbers {x['text']!r} / {y['text']!r}"
    return None


def _date_kind(xs, ys) -> str | None:
    for x in xs:
        for y in ys:
            if x["value"] != y["value"] and x["precision"] == y["precision"]:
                return f"dates {x['text']!r}={x['value']} / {y['text']!r}={y['value']}"
    return None


# -- the gold file -----------------------------------------------------------------------------

REAL = {"R", "U", "D", "C"}  # a real difference between the two sides (U: explained by time)
LABELS = {"member": "SPNCU", "conflict": "RFU", "single": "TA", "candidate": "DNU"}


def corpus_texts() -> dict[str, str]:
    """Corpus document -> its text as the corpus has it (the seeds: the file)."""
    out = {f"basil:{r['id']}": r["text"] for r in load("basil/articles.jsonl")}
    out.update({f"ecb:{r['id']}": r["text"] for r in load("ecbplus/articles.jsonl")})
    for path in SEEDS.glob("*.txt"):
        out["seed:" + path.name.split("_")[0]] = path.read_text(encoding="utf-8")
    return out


def locate(raw: str, text: str) -> tuple[int, int] | None:
    """Where ``text`` is in ``raw``, whatever the whitespace (cleaning joins lines, splits
    glued words): (start, end) or None."""
    words = text.split()
    if not words:
        return None
    m = re.search(r"\s*".join(re.escape(w) for w in words), raw)
    return (m.start(), m.end()) if m else None


def to_span(ref: dict, texts: dict[str, str]) -> dict:
    span = locate(texts[ref["doc"]], ref["text"])
    if span is None:
        raise SystemExit(f"cannot find {ref['text'][:60]!r} in {ref['doc']}")
    return {"doc": ref["doc"], "span": list(span)}


def resolve(ref: dict, texts: dict[str, str]) -> dict:
    """A gold reference with its text read from the corpus."""
    a, b = ref["span"]
    return {"doc": ref["doc"], "text": " ".join(texts[ref["doc"]][a:b].split())}


def make_gold(args) -> None:
    """Judged items (the sheet's jsonl) and their labels (a TSV: item, label, note, and
    ``values=A|B`` for a number disagreement) -> tests/fixtures/compare_gold.jsonl."""
    items = {i["item"]: i for i in map(json.loads, Path(args.items).read_text().splitlines())}
    texts = corpus_texts()
    out = []
    latest = {}  # a later line for the same item corrects an earlier one
    for line in Path(args.labels).read_text(encoding="utf-8").splitlines():
        latest[line.split("\t", 1)[0]] = line
    for line in latest.values():
        item, label, *rest = line.split("\t")
        it = items[item]
        if label not in LABELS[it["kind"]]:
            raise SystemExit(f"{item}: label {label!r} is not one of {LABELS[it['kind']]}")
        row = {"id": item, "kind": it["kind"], "story": it["story"], "label": label,
               "judged": args.phase}
        for k in ("lead", "member", "a", "b", "statement"):
            if k in it:
                row[k] = to_span(it[k], texts)
        for extra in rest:
            if extra.startswith("values="):
                row["values"] = [float(v) for v in extra[7:].split("|")]
            elif extra:
                row["note"] = extra
        if it["kind"] == "conflict":
            row["type"] = it["type"]
        out.append(row)
    Path(args.out).write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in out))
    print(f"{len(out)} judgements -> {args.out}")


# -- scoring ------------------------------------------------------------------------------------

class Gold:
    """The judgements, looked up by the statements they are about."""

    def __init__(self, rows: list[dict], texts: dict[str, str]):
        self.rows = rows
        self.by_docs: dict[frozenset, list[dict]] = defaultdict(list)
        for r in rows:
            for k in ("lead", "member", "a", "b", "statement"):
                if k in r:
                    r[k] = resolve(r[k], texts)
            sides = [r[k] for k in ("lead", "member", "a", "b") if k in r]
            if sides:
                self.by_docs[frozenset(s["doc"] for s in sides)].append(r)

    def pair(self, x: dict, y: dict) -> list[dict]:
        """Judgements about the statements ``x`` and ``y`` (either order)."""
        found = []
        for r in self.by_docs.get(frozenset((x["doc"], y["doc"])), []):
            one, two = (r["lead"], r["member"]) if r["kind"] == "member" else (r["a"], r["b"])
            if (same_statement(one, x) and same_statement(two, y)) or \
                    (same_statement(one, y) and same_statement(two, x)):
                found.append(r)
        return found

    def states(self, lead: dict, member: dict) -> str | None:
        """'yes', 'no' or None (unjudged): does ``member`` state the fact ``lead`` states?"""
        verdicts = set()
        for r in self.pair(lead, member):
            if r["kind"] == "member":
                forward = same_statement(r["lead"], lead)
                if r["label"] == "S" or (r["label"] == "P" and not forward and False):
                    verdicts.add("yes")
                elif r["label"] == "P" and forward:
                    verdicts.add("no")  # the member holds only part of the fact
                elif r["label"] in "NCU":
                    verdicts.add("no")
            elif r["label"] in ("D", "U"):
                verdicts.add("no")  # they differ on a number or a date
        if "no" in verdicts:
            return "no"
        return "yes" if verdicts else None

    def real(self, a: dict, b: dict, values: tuple | None) -> str | None:
        """'real', 'spurious' or None: is a conflict shown between ``a`` and ``b`` a real
        disagreement about one thing (with ``values``, the quantities shown)?"""
        verdict = None
        for r in self.pair(a, b):
            if r["kind"] == "candidate" and r["label"] == "N":
                return "spurious"
            if r["label"] in REAL:
                if r.get("values") and values and not same_values(r["values"], values):
                    return "spurious"  # the right sentences, the wrong quantities
                verdict = "real"
            elif r["kind"] == "conflict" and r["label"] == "F":
                return "spurious"
            elif r["kind"] == "member" and r["label"] in "SPN":
                return "spurious"
        return verdict


def same_values(gold: list[float], shown: tuple) -> bool:
    def close(x, y):
        return abs(x - y) <= 0.02 * max(abs(x), abs(y), 1e-9)
    try:
        shown = [float(v) for v in shown]
    except (TypeError, ValueError):
        return False
    return len(shown) == 2 and ((close(gold[0], shown[0]) and close(gold[1], shown[1]))
                                or (close(gold[0], shown[1]) and close(gold[1], shown[0])))


def fact_members(fact: dict, doc_of: dict) -> tuple[dict, list[dict], list[dict]]:
    """The fact's statement, the members listed as stating it, and those listed as
    disagreeing (an older output lists every member as agreeing)."""
    lead, others = lead_and_members(fact, doc_of)
    agree = [m for m in others if m.get("agrees", True)]
    differ = [m for m in others if not m.get("agrees", True)]
    return lead, agree, differ


def conflicts_of(fact: dict) -> list[dict]:
    if fact.get("conflicts") is not None:
        return fact["conflicts"]
    return [fact["conflict"]] if fact.get("conflict") else []


def score(args) -> dict:
    texts = corpus_texts()
    gold = Gold([json.loads(x) for x in GOLD.read_text().splitlines() if x.strip()], texts)
    corr = {"facts": 0, "judged": 0, "correct": 0}
    conf = {"shown": 0, "judged": 0, "real": 0, "self": 0}
    unjudged: list[str] = []
    wrong: list[str] = []
    found_pairs: list[tuple[dict, dict, str, tuple | None]] = []
    outlets_ok = outlets_total = 0
    for story, rep, doc_of, articles in build():
        outlet_count = len({a.outlet or a.credited_source or a.id for a in articles})
        if story.startswith("basil:"):
            outlets_total += 1
            outlets_ok += rep.get("independent_outlets", rep.get("independent_sources")) == outlet_count
        for f in rep["facts"]:
            for c in conflicts_of(f):
                a = key(doc_of[c["a"]["article"]], c["a"]["text"])
                b = key(doc_of[c["b"]["article"]], c["b"]["text"])
                values = (c["a"].get("value"), c["b"].get("value")) if c["type"] == "number" else None
                found_pairs.append((a, b, c["type"], values))
                conf["shown"] += 1
                conf["self"] += c["a"]["source"] == c["b"]["source"]
                verdict = gold.real(a, b, values)
                if verdict is None:
                    unjudged.append(f"[{story}] CONFLICT {c['type']}: {c['why']}\n   A {a['doc']} {a['text']}\n"
                                    f"   B {b['doc']} {b['text']}")
                    continue
                conf["judged"] += 1
                conf["real"] += verdict == "real"
                if verdict != "real":
                    wrong.append(f"[{story}] spurious {c['type']}: {c['why']}")
            if f["status"] != "corroborated":
                continue
            corr["facts"] += 1
            lead, agree, _differ = fact_members(f, doc_of)
            verdicts = [gold.states(lead, m) for m in agree]
            if "no" in verdicts:
                corr["judged"] += 1
                bad = [m for m, v in zip(agree, verdicts) if v == "no"]
                wrong.append(f"[{story}] corroborated ×{f['independent_sources']}: {lead['text'][:90]}\n"
                             + "\n".join(f"     not stated by {m['source']}: {m['text'][:90]}" for m in bad))
            elif None in verdicts:
                unjudged.append(f"[{story}] CORROBORATED [{lead['source']}] {lead['text']}\n" + "\n".join(
                    f"   member [{m['source']}] {m['text']}" for m, v in zip(agree, verdicts) if v is None))
            else:
                corr["judged"] += 1
                corr["correct"] += 1
    gold_diffs = [r for r in gold.rows if r["kind"] == "candidate" and r["label"] == "D"]
    found = 0
    for r in gold_diffs:
        kind = "date" if r.get("what", "").startswith("date") or not r.get("values") else "number"
        for a, b, typ, values in found_pairs:
            if typ not in ("number", "date"):
                continue
            if ((same_statement(r["a"], a) and same_statement(r["b"], b)) or
                    (same_statement(r["a"], b) and same_statement(r["b"], a))) and \
                    (not r.get("values") or (values and same_values(r["values"], values))):
                found += 1
                break
    singles = [r for r in gold.rows if r["kind"] == "single"]
    result = {
        "stories": len(chosen_rows()) + 1,
        "corroborated": dict(corr, precision=_ratio(corr["correct"], corr["judged"]),
                             unjudged=corr["facts"] - corr["judged"]),
        "conflicts": dict(conf, precision=_ratio(conf["real"], conf["judged"]),
                          unjudged=conf["shown"] - conf["judged"]),
        "disagreements": {"gold": len(gold_diffs), "found": found,
                          "recall": _ratio(found, len(gold_diffs))},
        "basil_outlet_counts_right": f"{outlets_ok}/{outlets_total}",
        "single_source_sample": {"judged": len(singles),
                                 "truly_single": sum(r["label"] == "T" for r in singles)},
    }
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n")
    sheet_dir = Path(__file__).parent / "out"
    sheet_dir.mkdir(exist_ok=True)
    (sheet_dir / "unjudged.txt").write_text("\n".join(unjudged) + "\n", encoding="utf-8")
    (sheet_dir / "wrong.txt").write_text("\n".join(wrong) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))
    print(f"unjudged items: bench/out/unjudged.txt ({len(unjudged)}); "
          f"wrong ones: bench/out/wrong.txt ({len(wrong)})")
    return result


def _ratio(a: int, b: int) -> float | None:
    return round(a / b, 3) if b else None


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("sheet")
    s.add_argument("--out", default=str(Path(__file__).parent / "out" / "judge.txt"))
    g = sub.add_parser("gold")
    g.add_argument("labels")
    g.add_argument("--items", default=str(Path(__file__).parent / "out" / "judge.jsonl"))
    g.add_argument("--phase", default="before")
    g.add_argument("--out", default=str(GOLD))
    c = sub.add_parser("score")
    c.add_argument("--out", default=str(OUT / "compare_gold.json"))
    args = p.parse_args()
    {"sheet": sheet, "gold": make_gold, "score": score}[args.cmd](args)


if __name__ == "__main__":
    main()
