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
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.corpora import load, split_of  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"
GOLD = ROOT / "tests" / "fixtures" / "compare_gold.jsonl"
HELDOUT = ROOT / "tests" / "fixtures" / "compare_heldout.jsonl"
DEV_EXTRA = ROOT / "tests" / "fixtures" / "compare_dev_extra.jsonl"
OUT = Path(__file__).parent / "results"
BASIL_STORIES = 14
ECB_STORIES = 10


def chosen_rows(split: str = "test", basil_n: int = BASIL_STORIES,
                ecb_n: int = ECB_STORIES, ecb_split: str | None = None) -> dict[str, list[dict]]:
    """Gold story -> its corpus rows (with ``doc``: the corpus id), in a fixed order: the
    first ``basil_n`` BASIL stories of the split by story id, the ``ecb_n`` ECB+ stories of
    the split with the least text (the dev set: BASIL's dev half, ECB+'s dev split)."""
    out: dict[str, list[dict]] = {}
    basil = load("basil/articles.jsonl")
    by_story = defaultdict(list)
    for i, r in enumerate(basil):
        if split_of(r, i) == split:
            by_story[r["story"]].append(r)
    for story in sorted(by_story)[:basil_n]:
        out[f"basil:{story[:8]}"] = [dict(r, doc=f"basil:{r['id']}") for r in by_story[story]]
    ecb = defaultdict(list)
    for r in load("ecbplus/articles.jsonl"):
        if r["split"] == (ecb_split or split):
            ecb[r["story"]].append(r)
    small = sorted(ecb, key=lambda s: (sum(len(r["text"]) for r in ecb[s]), s))[:ecb_n]
    for story in sorted(small):
        out[f"ecb:{story}"] = [dict(r, doc=f"ecb:{r['id']}") for r in ecb[story]]
    return out


def stories_of(split: str, wide: bool = False) -> dict[str, list[dict]]:
    """The test stories; the dev set (6 BASIL dev stories and 4 ECB+ dev stories); ``wide``:
    every BASIL dev story, 40 ECB+ train stories and the ECB+ train/dev stories with the most
    casualty figures and numbers (for the rarer findings: conflicts)."""
    if split == "test":
        return chosen_rows(split)
    if split == "heldout":  # every other test story: 38 BASIL, the 10 ECB+ with the most text
        first = chosen_rows("test")
        return {k: v for k, v in chosen_rows("test", 1000, 1000).items() if k not in first}
    if split == "devextra":  # the ECB+ train/dev stories the wide dev set leaves out (the longest)
        wide = stories_of("dev", True)
        rows = {**chosen_rows("train", 0, 1000, "train"), **chosen_rows("dev", 0, 1000, "dev")}
        return {k: v for k, v in rows.items() if k not in wide}
    if not wide:
        return chosen_rows(split, 6, 4)
    return {**chosen_rows(split, 60, 40, "train"), **toll_rows(), **number_rows()}


def write_sheet(path: str, lines: list[str], items: list[dict]) -> Path:
    """A sheet to judge (``path``: one item per paragraph) and its items beside it (.jsonl),
    which ``gold`` turns into judgements."""
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out.with_suffix(".jsonl").write_text("".join(json.dumps(i, ensure_ascii=False) + "\n" for i in items))
    return out


@contextmanager
def ingested(stories: dict[str, list[dict]], with_seeds: bool = False, **overrides):
    """The stories' rows (and the seeds) ingested into a fresh store, each article with its
    real outlet: (store, settings, articles, doc_of), ``doc_of`` mapping a stored article id
    to its corpus document."""
    from parallax.pipeline import ingest
    from parallax.settings import Settings
    from parallax.store import SQLiteStore

    tmp = Path(tempfile.mkdtemp())
    db = str(tmp / "gold.db")
    src = tmp / "stories.jsonl"
    with src.open("w", encoding="utf-8") as fh:
        for rows in stories.values():
            for r in rows:
                fh.write(json.dumps({"id": r["doc"], "title": r.get("title"), "text": r["text"],
                                     "date": r.get("date"), "source": r.get("source")}) + "\n")
    settings = Settings(db=db, **overrides)
    with SQLiteStore(db) as store:
        ingest([str(SEEDS), str(src)] if with_seeds else [str(src)], store, settings)
        arts = list(store.iter_articles())
        doc_of = {a.id: a.metadata.get("id") or "seed:" + Path(a.origin).name.split("_")[0] for a in arts}
        yield store, settings, arts, doc_of


def build(settings_overrides: dict | None = None, split: str = "test", raw: bool = False,
          wide: bool = False):
    """A store holding the seeds and the chosen stories; yields (story, report, doc_of,
    articles) with ``doc_of``: stored article id -> corpus document (``raw``: the store and
    the assignments instead of the report)."""
    yield from build_stories(stories_of(split, wide), settings_overrides, with_seeds=split == "test",
                             raw=raw)


def build_stories(stories: dict[str, list[dict]], settings_overrides: dict | None = None,
                  with_seeds: bool = False, raw: bool = False):
    """``build`` over the given stories (gold story -> corpus rows)."""
    from parallax.compare import compare
    from parallax.pipeline import update_stories

    with ingested(stories, with_seeds, **(settings_overrides or {})) as (store, settings, arts, doc_of):
        update_stories(store, settings)
        members = {"seeds": [a for a in arts if doc_of[a.id].startswith("seed:")]} \
            if with_seeds else {}
        for story, rows in stories.items():
            docs = {r["doc"] for r in rows}
            members[story] = [a for a in arts if doc_of[a.id] in docs]
        lineage = {x.article_id: x for x in store.assignments()}
        for story, articles in members.items():
            assignments = [lineage[a.id] for a in articles if a.id in lineage]
            if raw:
                yield story, (store, assignments), doc_of, articles
            else:
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


def lead_evidence(fact: dict) -> dict:
    """The evidence entry of the statement standing for a fact (the fact's own text)."""
    ev = fact["evidence"]
    return next((e for e in ev if " ".join(e["text"].split()) == " ".join(fact["text"].split())), ev[0])


def lead_and_members(fact: dict, doc_of: dict) -> tuple[dict, list[dict]]:
    """The statement standing for a fact and its other members (each with its source and
    whether it is listed as agreeing)."""
    ev = fact["evidence"]
    lead_ev = lead_evidence(fact)
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
        for a, b, why in ([] if args.shown_only else candidates(articles, doc_of)):
            add({"kind": "candidate", "story": story, "a": a, "b": b, "what": why},
                f"CANDIDATE ({why})\n   A [{a['source']}] {a['text']}\n   B [{b['source']}] {b['text']}")
    print(f"{len(items)} items -> {write_sheet(args.out, lines, items)}")


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
    glued words, closes '3 p. m.' up): (start, end) or None."""
    needle = "".join(text.split())
    if not needle:
        return None
    where = [i for i, c in enumerate(raw) if not c.isspace()]
    at = "".join(raw[i] for i in where).find(needle)
    if at < 0:
        return None
    return where[at], where[at + len(needle) - 1] + 1


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
        found = self.pair(a, b)
        if values and any(r["label"] in REAL and r.get("values") and same_values(r["values"], values)
                          for r in found):
            return "real"  # the judge named these very quantities
        for r in found:
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


def _value_of(said: str) -> float | None:
    m = re.search(r"\d[\d,]*(?:\.\d+)?", said)
    return float(m.group().replace(",", "")) if m else None


def shown_disagreements(fact: dict, doc_of: dict) -> list[tuple[dict, dict, str, tuple | None]]:
    """Every pair of statements a fact shows disagreeing on a number or a date: each member
    listed as conflicting (``differs_on`` 'number: X / Y', X the fact's, Y the member's)
    against each member listed as stating the fact with X (the fact's own statement, and
    those whose ``agrees_on`` names X). One conflict is shown per fact, with every member's
    difference beside it: a reader sees the conflicting outlet against all of these."""
    ev = fact.get("evidence") or []
    if not ev:
        return []
    lead, out = lead_evidence(fact), []
    for m in ev:
        if m.get("role") != "conflicts":
            continue
        for d in m.get("differs_on") or []:
            typ, _, said = d.partition(": ")
            if typ not in ("number", "date") or " / " not in said:
                continue
            x, y = said.split(" / ", 1)
            values = None
            if typ == "number":
                vx, vy = _value_of(x), _value_of(y)
                if vx is None or vy is None:
                    continue
                values = (vx, vy)
            for e in ev:
                if e is m or e.get("role") not in ("states", "repeats"):
                    continue
                if e is lead or f"{typ}: {x}" in (e.get("agrees_on") or []):
                    out.append((key(doc_of[e["article"]], e["text"]), key(doc_of[m["article"]], m["text"]),
                                typ, values))
    return out


def conflicts_of(fact: dict) -> list[dict]:
    if fact.get("conflicts") is not None:
        return fact["conflicts"]
    return [fact["conflict"]] if fact.get("conflict") else []


DEV_GOLDS = ("compare_dev.jsonl", "compare_dev_tolls.jsonl", "compare_dev_conflicts.jsonl",
             "compare_dev_numbers.jsonl")


# each set to score: its judgement files, and where its result is written
SETS = {"test": ([GOLD], "compare_gold.json"),
        "dev": ([ROOT / "tests" / "fixtures" / f for f in DEV_GOLDS], "compare_gold_dev.json"),
        "heldout": ([HELDOUT], "compare_gold_heldout.json"),
        "devextra": ([DEV_EXTRA], "compare_gold_devextra.json")}


def score(args) -> dict:
    texts = corpus_texts()
    which = getattr(args, "set", "test")
    dev = which == "dev"
    files, result_name = SETS[which]
    gold = Gold([json.loads(x) for f in files if f.exists() for x in f.read_text().splitlines()
                 if x.strip()], texts)
    corr = {"facts": 0, "judged": 0, "correct": 0}
    conf = {"shown": 0, "judged": 0, "real": 0, "self": 0}
    unjudged: list[str] = []
    to_judge: list[dict] = []  # the unjudged members, as a sheet's items (judged after)
    wrong: list[str] = []
    found_pairs: list[tuple[dict, dict, str, tuple | None]] = []
    outlets_ok = outlets_total = 0
    overrides = {"pair_model": args.pair_model} if getattr(args, "pair_model", None) else {}
    if getattr(args, "model_threshold", 0.0):
        overrides["pair_model_threshold"] = args.model_threshold
    for story, rep, doc_of, articles in build(overrides, split=which, wide=dev):
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
            # the conflicting members against the members stating the fact (recall only: the
            # precision above is of the conflicts shown)
            found_pairs.extend(shown_disagreements(f, doc_of))
            for c in f.get("revisions") or []:  # found (a copy's or an update's change), not a conflict
                if c.get("a") and c.get("b"):
                    values = (c["a"].get("value"), c["b"].get("value")) if c.get("revised") == "number" else None
                    found_pairs.append((key(doc_of[c["a"]["article"]], c["a"]["text"]),
                                        key(doc_of[c["b"]["article"]], c["b"]["text"]),
                                        "number" if values else "date", values))
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
                for m, v in zip(agree, verdicts):
                    if v is None:
                        to_judge.append({"item": f"a{len(to_judge):04d}", "kind": "member", "story": story,
                                         "lead": {k: lead[k] for k in ("doc", "text")},
                                         "member": {k: m[k] for k in ("doc", "text")}})
            else:
                corr["judged"] += 1
                corr["correct"] += 1
    gold_diffs = [r for r in gold.rows if r["kind"] == "candidate" and r["label"] == "D"]
    found = 0
    missed: list[str] = []
    for r in gold_diffs:
        for a, b, typ, values in found_pairs:
            if typ not in ("number", "date"):
                continue
            same_pair = ((same_statement(r["a"], a) and same_statement(r["b"], b)) or
                         (same_statement(r["a"], b) and same_statement(r["b"], a)))
            # one disagreement of two articles is shown once (a headline and a sentence that
            # give the same two numbers): the same articles and the same values count
            same_docs = {r["a"]["doc"], r["b"]["doc"]} == {a["doc"], b["doc"]} and bool(r.get("values"))
            if (same_pair or same_docs) and (not r.get("values") or (values and same_values(r["values"], values))):
                found += 1
                break
        else:
            missed.append(f"[{r['story']}] {r['id']} {r.get('values')}\n   A {r['a']['doc']} {r['a']['text']}\n"
                          f"   B {r['b']['doc']} {r['b']['text']}")
    singles = [r for r in gold.rows if r["kind"] == "single"]
    result = {
        "stories": len(stories_of(which, dev)) + (which == "test"),
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
    out = Path(args.out or OUT / result_name)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n")
    sheet_dir = Path(__file__).parent / "out"
    sheet_dir.mkdir(exist_ok=True)
    tag = "" if which == "test" else f"_{which}"
    (sheet_dir / f"unjudged{tag}.txt").write_text("\n".join(unjudged) + "\n", encoding="utf-8")
    (sheet_dir / f"wrong{tag}.txt").write_text("\n".join(wrong) + "\n", encoding="utf-8")
    (sheet_dir / f"missed{tag}.txt").write_text("\n".join(missed) + "\n", encoding="utf-8")
    (sheet_dir / f"unjudged{tag}.jsonl").write_text(
        "".join(json.dumps(i, ensure_ascii=False) + "\n" for i in to_judge), encoding="utf-8")
    print(json.dumps(result, indent=2))
    print(f"unjudged items: bench/out/unjudged{tag}.txt ({len(unjudged)}); "
          f"wrong ones: bench/out/wrong{tag}.txt ({len(wrong)})")
    return result


def _ratio(a: int, b: int) -> float | None:
    return round(a / b, 3) if b else None


# -- the dev judgements (thresholds are chosen on them) -----------------------------------------

DEV_GOLD = ROOT / "tests" / "fixtures" / "compare_dev.jsonl"


def dev_pairs(split: str = "dev"):
    """Every pair of statements of two voices in the dev stories that the relation has to
    decide on (a covered weight of 0.3 or more, two words in common), with its features."""
    from parallax.compare import story_statements, story_voices, source_name
    from parallax.compare.relate import RelateParams, StoryWeights, coverage, relate

    for story, (store, assignments), doc_of, articles in build(split=split, raw=True):
        voice = story_voices(articles, assignments)
        sts = story_statements(store, articles, [source_name(a) for a in articles],
                               [voice[a.id] for a in articles])
        w = StoryWeights(sts)
        for i, a in enumerate(sts):
            for j in range(i + 1, len(sts)):
                b = sts[j]
                if a.group == b.group:
                    continue
                cov = coverage(w, i, j, a, b)
                if cov[0] < 0.3 or cov[2] < 2:
                    continue
                rel = relate(a, b, cov, RelateParams(same_thing=0.3, agree_small=0.3, agree_large=0.0,
                                                     agree_terms=2), w.content(a, b), w.said_words(a, b))
                small, large = (a, b) if w.mass[i] <= w.mass[j] else (b, a)
                yield story, small, large, cov, rel, doc_of, (w.content(a, b), w.said_words(a, b))


def dev_sheet(args) -> None:
    """A stratified sample of dev pairs to judge: for each, does the larger statement state
    what the smaller states (S), part of it (P), not (N), or the same thing differently (C)?"""
    rng = random.Random(7)
    bins: dict[tuple[str, int], list] = defaultdict(list)
    for story, small, large, cov, rel, doc_of, _c in dev_pairs():
        bins[(story, min(3, int((cov[0] - 0.3) / 0.15)))].append((story, small, large, cov, rel, doc_of))
    lines, items = [], []
    for key_ in sorted(bins):
        pool = bins[key_]
        for story, small, large, cov, rel, doc_of in rng.sample(pool, min(args.per_bin, len(pool))):
            item = {"item": f"d{len(items):04d}", "kind": "member", "story": story,
                    "lead": key(doc_of[small.article], small.text),
                    "member": key(doc_of[large.article], large.text)}
            items.append(item)
            lines.append(f"[{item['item']}] {story} cov {cov[0]:.2f}/{cov[1]:.2f} common {cov[2]} "
                         f"-> {rel.kind} {rel.agrees_on} {rel.differs_on}\n"
                         f"   A [{small.source}] {small.text}\n   B [{large.source}] {large.text}")
    print(f"{len(items)} pairs -> {write_sheet(args.out, lines, items)}")


def heldout_sheet(args) -> None:
    """Every conflict the comparison shows on the held-out test stories (those the gold of 25
    leaves out; ``--set devextra``: the ECB+ train/dev stories the wide dev set leaves out),
    once per pair of statements and quantities, to judge R, F or U."""
    lines, items, seen = [], [], set()
    prefix = "h" if args.set == "heldout" else "e"
    for story, rep, doc_of, _articles in build(split=args.set):
        for f in rep["facts"]:
            for c in conflicts_of(f):
                a = key(doc_of[c["a"]["article"]], c["a"]["text"])
                b = key(doc_of[c["b"]["article"]], c["b"]["text"])
                if (a["text"], b["text"], c["why"]) in seen:
                    continue
                seen.add((a["text"], b["text"], c["why"]))
                item = {"item": f"{prefix}{len(items):04d}", "kind": "conflict", "story": story, "a": a, "b": b,
                        "type": c["type"], "what": c["why"]}
                items.append(item)
                lines.append(f"[{item['item']}] {story} {c['why']}\n   A {a['doc']} {a['text']}\n"
                             f"   B {b['doc']} {b['text']}")
    print(f"{len(items)} conflicts -> {write_sheet(args.out, lines, items)}")


def dev_conflict_sheet(args) -> None:
    """The dev stories' candidate number/date disagreements (drawn as for the test gold) and
    the conflicts the comparison shows there, to judge: D (a real disagreement, with
    values=A|B), N or U."""
    lines, items = [], []
    for story, rep, doc_of, articles in build(split="dev", wide=args.wide):
        seen = set()
        for f in rep["facts"]:
            for c in f.get("conflicts") or []:
                a, b = key(doc_of[c["a"]["article"]], c["a"]["text"]), key(doc_of[c["b"]["article"]], c["b"]["text"])
                seen.add((a["text"], b["text"]))
                item = {"item": f"c{len(items):04d}", "kind": "candidate", "story": story, "a": a, "b": b,
                        "what": c["why"]}
                items.append(item)
                lines.append(f"[{item['item']}] SHOWN {c['why']}\n   A {a['text']}\n   B {b['text']}")
        for a, b, why in ([] if args.shown_only else candidates(articles, doc_of)):
            if (a["text"], b["text"]) in seen:
                continue
            item = {"item": f"c{len(items):04d}", "kind": "candidate", "story": story, "a": a, "b": b, "what": why}
            items.append(item)
            lines.append(f"[{item['item']}] ({why})\n   A [{a['source']}] {a['text']}\n   B [{b['source']}] {b['text']}")
    print(f"{len(items)} pairs -> {write_sheet(args.out, lines, items)}")


TOLL_STORIES = ("18_ecb", "19_ecb", "22_ecbplus", "3_ecb", "18_ecbplus", "25_ecb", "16_ecbplus",
                "19_ecbplus", "21_ecb", "20_ecbplus")  # ECB+ train/dev stories with the most tolls
_TOLL = re.compile(r"(?:kill\w*|dead|death toll|died|injur\w*|wound\w*|hurt|casualt\w*)\W+(?:\w+\W+){0,3}?"
                   r"(\d[\d,.]*|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|dozens?)\b|"
                   r"\b(\d[\d,.]*|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|dozens?)"
                   r"\W+(?:\w+\W+){0,3}?(?:kill\w*|dead|died|injur\w*|wound\w*|hurt)", re.I)


NUMBER_STORIES = ("29_ecbplus", "26_ecbplus", "5_ecbplus", "13_ecbplus", "33_ecbplus", "7_ecbplus",
                  "12_ecbplus", "5_ecb", "29_ecb")  # ECB+ train/dev stories with the most numbers


def number_rows() -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = defaultdict(list)
    for r in load("ecbplus/articles.jsonl"):
        if r["story"] in NUMBER_STORIES and r["split"] != "test":
            out[f"ecb:{r['story']}"].append(dict(r, doc=f"ecb:{r['id']}"))
    return dict(out)


def number_sheet(args) -> None:
    """The candidate number/date disagreements of the ECB+ train/dev stories with the most
    numbers, drawn exactly as the test gold's candidates were: the dev set for recall."""
    stories = number_rows()
    lines, items = [], []
    with ingested(stories) as (_store, _settings, arts, doc_of):
        for story, rows in sorted(stories.items()):
            docs = {r["doc"] for r in rows}
            for a, b, why in candidates([x for x in arts if doc_of[x.id] in docs], doc_of):
                item = {"item": f"n{len(items):04d}", "kind": "candidate", "story": story,
                        "a": a, "b": b, "what": why}
                items.append(item)
                lines.append(f"[{item['item']}] {story} ({why})\n   A [{a['source']}] {a['text']}\n"
                             f"   B [{b['source']}] {b['text']}")
    print(f"{len(items)} pairs -> {write_sheet(args.out, lines, items)}")


def toll_rows() -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = defaultdict(list)
    for r in load("ecbplus/articles.jsonl"):
        if r["story"] in TOLL_STORIES and r["split"] != "test":
            out[f"ecb:{r['story']}"].append(dict(r, doc=f"ecb:{r['id']}"))
    return dict(out)


def toll_sheet(args) -> None:
    """Every pair of sentences of two outlets in the ECB+ train/dev stories with the most
    casualty figures where each gives a different number beside a casualty word ('killing
    10', 'three people killed'): the dev set for toll disagreements (D, N or U)."""
    stories = toll_rows()
    lines, items = [], []
    with ingested(stories) as (_store, _settings, arts, doc_of):
        for story, rows in sorted(stories.items()):
            docs = {r["doc"] for r in rows}
            per = []
            for a in arts:
                if doc_of[a.id] not in docs:
                    continue
                for sent in _sentences(a, doc_of):
                    vals = {m.group(1) or m.group(2) for m in _TOLL.finditer(sent["text"])}
                    if vals:
                        per.append((sent, {v.lower() for v in vals}))
            for i, (x, vx) in enumerate(per):
                for y, vy in per[i + 1:]:
                    if (x["source"] or x["doc"]) == (y["source"] or y["doc"]) or vx == vy:
                        continue
                    item = {"item": f"t{len(items):04d}", "kind": "candidate", "story": story,
                            "a": key(x["doc"], x["text"]), "b": key(y["doc"], y["text"]),
                            "what": f"{sorted(vx)} / {sorted(vy)}"}
                    items.append(item)
                    lines.append(f"[{item['item']}] {story} {item['what']}\n   A [{x['source']}] {x['text']}\n"
                                 f"   B [{y['source']}] {y['text']}")
    print(f"{len(items)} pairs -> {write_sheet(args.out, lines, items)}")


def model_sheet(args) -> None:
    """The members the sentence-pair model joins to facts on the dev stories (at a low
    threshold, so the threshold can be chosen on them), a stratified sample by score to
    judge like any member: S, P, N or C."""
    rng = random.Random(11)
    bins: dict[int, list] = defaultdict(list)
    for story, rep, doc_of, _arts in build({"pair_model_threshold": args.floor}, split="dev", wide=args.wide):
        for f in rep["facts"]:
            lead = next(e for e in f["evidence"] if e["role"] == "states")
            for e in f["evidence"][1:]:
                if e.get("joined_by") == "model" and e["role"] == "states":
                    bins[min(9, int(e["score"] * 10))].append((story, lead, e, doc_of))
    lines, items = [], []
    for b in sorted(bins):
        for story, lead, e, doc_of in rng.sample(bins[b], min(args.per_bin, len(bins[b]))):
            item = {"item": f"m{len(items):04d}", "kind": "member", "story": story,
                    "lead": key(doc_of[lead["article"]], lead["text"]),
                    "member": key(doc_of[e["article"]], e["text"]), "score": e["score"]}
            items.append(item)
            lines.append(f"[{item['item']}] {story} score {e['score']:.3f}\n   A [{lead['source']}] {lead['text']}\n"
                         f"   B [{e['source']}] {e['text']}")
    out = write_sheet(args.out, lines, items)
    print(f"{len(items)} members -> {out} ({ {b: len(v) for b, v in sorted(bins.items())} })")


def dev_model(args) -> None:
    """The sentence-pair model's threshold on the dev judgements: for the judged dev pairs,
    precision and recall of 'states the fact' when the comparison decides with the model's
    score (compare/relate.py: a score at the threshold stands in for the word coverage; the
    numbers, dates, speakers and polarity still decide), over a grid of thresholds."""
    from parallax.compare.pairmodel import load as load_model
    from parallax.compare.relate import RelateParams, relate

    model = load_model(args.pair_model)
    texts = corpus_texts()
    gold = Gold([json.loads(x) for x in DEV_GOLD.read_text().splitlines() if x.strip()], texts)
    judged = []
    for _s, small, large, cov, _r, doc_of, c in dev_pairs():
        verdict = gold.states(key(doc_of[small.article], small.text), key(doc_of[large.article], large.text))
        if verdict is not None:
            judged.append((small, large, cov, c, verdict == "yes"))
    sig = model.score([(a.text, b.text) for a, b, *_ in judged])
    print(f"{len(judged)} judged pairs, {sum(v for *_, v in judged)} state the fact")
    base = RelateParams()
    for floor in args.floors:
        for tau in (None, 0.5, 0.7, 0.8, 0.9, 0.95, 0.97, 0.98, 0.985, 0.99, 0.995):
            tp = fp = fn = 0
            for (small, large, cov, c, yes), v in zip(judged, sig):
                p = RelateParams(agree_small=base.agree_small, model_agree=tau or 2.0)
                score = float(v) if tau and cov[0] >= floor else None
                said = relate(small, large, cov, p, *c, score).kind == "agree"
                tp += said and yes
                fp += said and not yes
                fn += yes and not said
            print(f"coverage >= {floor}, threshold {tau}: P {tp / (tp + fp) if tp + fp else 0:.3f} "
                  f"R {tp / (tp + fn) if tp + fn else 0:.3f} (tp {tp} fp {fp} fn {fn})")


def basil_model_sample(args) -> None:
    """The corroborations the sentence-pair model adds on BASIL's test stories (members it
    joined to a fact, that words alone would not; ``--threshold`` opts in, the shipped card
    adds none), or with ``--similar`` the statements it shows as told similarly, 30 sampled to
    judge by hand (issue 22): does B state the fact of A (S), part of it (P), or not (N)?"""
    rng = random.Random(5)
    stories = chosen_rows("test", 100, 0)
    found = []
    overrides = {"pair_model_threshold": args.threshold} if args.threshold else {}
    for story, rep, doc_of, _arts in build_stories(stories, overrides):
        for f in rep["facts"]:
            lead = next(e for e in f["evidence"] if e["role"] == "states")
            if args.similar:  # what the model shows as told similarly
                found += [(story, lead, dict(n, role="similar"), doc_of) for n in f["told_similarly"]]
                continue
            if f["status"] != "corroborated":
                continue
            for e in f["evidence"][1:]:
                if e.get("joined_by") == "model" and e["role"] == "states":
                    found.append((story, lead, e, doc_of))
    lines = []
    for n, (story, lead, e, doc_of) in enumerate(rng.sample(found, min(args.n, len(found)))):
        lines.append(f"[b{n:02d}] {story} score {e['score']:.3f}\n"
                     f"   A {key(doc_of[lead['article']], lead['text'])['doc']} [{lead['source']}] {lead['text']}\n"
                     f"   B {key(doc_of[e['article']], e['text'])['doc']} [{e['source']}] {e['text']}")
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(found)} {'hints' if args.similar else 'members joined'} by the model on {len(stories)} BASIL test stories; "
          f"{len(lines)} sampled -> {out}")


def dev_tune(args) -> None:
    """Precision and recall of 'agree' on the dev judgements over a grid of thresholds."""
    from parallax.compare.relate import RelateParams, relate

    texts = corpus_texts()
    gold = Gold([json.loads(x) for x in DEV_GOLD.read_text().splitlines() if x.strip()], texts)
    pairs = [(small, large, cov, doc_of, c) for _s, small, large, cov, _r, doc_of, c in dev_pairs()]
    judged = []
    for small, large, cov, doc_of, c in pairs:
        verdict = gold.states(key(doc_of[small.article], small.text), key(doc_of[large.article], large.text))
        if verdict is not None:
            judged.append((small, large, cov, c, verdict == "yes"))
    print(f"{len(judged)} judged pairs, {sum(v for *_, v in judged)} state the fact")
    rows = []
    for a_small in (0.5, 0.55, 0.6, 0.65, 0.7):
        for a_large in (0.0, 0.1, 0.15, 0.2, 0.3):
            for terms_ in (0.0, 0.4, 0.5, 0.6, 0.7):
                p = RelateParams(agree_small=a_small, agree_large=a_large, agree_content=terms_)
                tp = fp = fn = 0
                for small, large, cov, c, yes in judged:
                    said = relate(small, large, cov, p, *c).kind == "agree"
                    tp += said and yes
                    fp += said and not yes
                    fn += yes and not said
                prec = tp / (tp + fp) if tp + fp else 0.0
                rows.append((prec, tp / (tp + fn) if tp + fn else 0.0, a_small, a_large, terms_, tp, fp))
    rows.sort(key=lambda r: (-(r[0] >= 0.95), -r[1], -r[0]))
    for r in rows[:25]:
        print("P %.3f R %.3f small %.2f large %.2f content %.2f (tp %d fp %d)" % r)


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
    d = sub.add_parser("devsheet")
    d.add_argument("--out", default=str(Path(__file__).parent / "out" / "dev.txt"))
    d.add_argument("--per-bin", type=int, default=9)
    sub.add_parser("devtune")
    bm = sub.add_parser("basilmodel")
    bm.add_argument("--n", type=int, default=30)
    bm.add_argument("--threshold", type=float, default=0.0, help="pair_model_threshold (0: the card's)")
    bm.add_argument("--similar", action="store_true", help="sample the 'told similarly' hints instead")
    bm.add_argument("--out", default=str(Path(__file__).parent / "out" / "basil_model.txt"))
    dm = sub.add_parser("devmodel")
    dm.add_argument("--pair-model", default="builtin")
    dm.add_argument("--floors", type=float, nargs="+", default=[0.0],
                    help="word coverages below which the model is not asked")
    dc = sub.add_parser("devconflicts")
    dc.add_argument("--out", default=str(Path(__file__).parent / "out" / "devc.txt"))
    dc.add_argument("--wide", action="store_true", help="30 BASIL dev + 15 ECB+ train stories")
    dc.add_argument("--shown-only", action="store_true", help="only the conflicts shown")
    ms = sub.add_parser("modelsheet")
    ms.add_argument("--out", default=str(Path(__file__).parent / "out" / "model.txt"))
    ms.add_argument("--floor", type=float, default=0.3, help="the threshold to gather members at")
    ms.add_argument("--per-bin", type=int, default=12)
    ms.add_argument("--wide", action="store_true")
    ns = sub.add_parser("numsheet")
    ns.add_argument("--out", default=str(Path(__file__).parent / "out" / "numbers.txt"))
    t = sub.add_parser("tollsheet")
    t.add_argument("--out", default=str(Path(__file__).parent / "out" / "tolls.txt"))
    c = sub.add_parser("score")
    c.add_argument("--out", default=None)
    c.add_argument("--pair-model", default=None, help="'none' for the word comparison alone")
    c.add_argument("--model-threshold", type=float, default=0.0,
                   help="pair_model_threshold: the model counts a source from this score (opt-in)")
    c.add_argument("--set", choices=tuple(SETS), default="test",
                   help="test: the gold of 25 test stories; dev: the dev judgements (tuning); "
                        "heldout: the conflicts of the 48 other test stories; devextra: the "
                        "conflicts of the 16 ECB+ train/dev stories the dev set leaves out (tuning)")
    hs = sub.add_parser("heldoutsheet")
    hs.add_argument("--out", default=str(Path(__file__).parent / "out" / "heldout.txt"))
    hs.add_argument("--set", choices=("heldout", "devextra"), default="heldout")
    args = p.parse_args()
    {"sheet": sheet, "gold": make_gold, "score": score, "devsheet": dev_sheet,
     "devtune": dev_tune, "devconflicts": dev_conflict_sheet, "heldoutsheet": heldout_sheet,
     "tollsheet": toll_sheet, "numsheet": number_sheet, "modelsheet": model_sheet, "devmodel": dev_model, "basilmodel": basil_model_sample}[args.cmd](args)


if __name__ == "__main__":
    main()
