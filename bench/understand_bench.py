"""Understanding stage benchmark on ECB+: cross-document entity linking against the gold entity
chains (named mentions only), and articles per second for cleaning + understanding.

    python bench/understand_bench.py [--limit N] [--out bench/results/understand.json]

A gold pair is two named mentions of one chain in two different documents; a predicted pair is
two named mentions in different documents that Parallax gives the same canonical entity.
A mention is "named" when it is a person, organisation or place (ECB+ tags HUMAN_PART_PER,
_ORG, _GPE, LOC_GEO, LOC_FAC), starts with a capital letter, is not a pronoun, and has a word
that ECB+ writes as a name (capitalised inside sentences at least as often as in lower case):
ECB+ does not mark names apart from common nouns, and 'Police said' or 'Prosecutors showed'
capitalise a common noun only because it opens the sentence. (The first version of this
bench counted those too; its numbers are reported beside, under
"with_sentence_initial_common_nouns".) A gold mention
Parallax did not tag as an entity counts against recall; a mention in a title (Parallax
analyses the body) or in a sentence the cleaner changed cannot be aligned and is not scored
(the count is reported).
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Container
from itertools import combinations
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.corpora import load, write_source  # noqa: E402
from parallax.pipeline import build_article, ingest  # noqa: E402
from parallax.records import RawArticle  # noqa: E402
from parallax.settings import Settings  # noqa: E402
from parallax.store import SQLiteStore  # noqa: E402

PRONOUNS = {"He", "She", "It", "They", "We", "I", "You", "His", "Her", "Their", "Its", "This",
            "That", "These", "Those", "The", "A", "An", "Who", "Which"}
# Named-entity kinds of ECB+: people, organisations, places (not times, objects or generics).
ENTITY_TAGS = {"HUMAN_PART_PER", "HUMAN_PART_ORG", "HUMAN_PART_GPE", "LOC_GEO", "LOC_FAC"}


def named(mention: str, tag: str = "HUMAN_PART_PER", name_words: Container[str] | None = None) -> bool:
    """A named mention: a person, organisation or place, capitalised, not a pronoun, and (with
    ``name_words``) with a word the corpus writes as a name: 'Police said' or 'Prosecutors
    showed' open a sentence with a common noun, which ECB+ annotates like a name."""
    first = mention.split()[0].split("'")[0].split("’")[0] if mention.split() else ""
    if not (tag in ENTITY_TAGS and mention[:1].isupper() and first not in PRONOUNS):
        return False
    if name_words is None:
        return True
    words = [w for w in (_core(w).lower() for w in mention.split()) if w and w not in FILLER]
    return any(w in name_words for w in words)


FILLER = {"of", "the", "and", "a", "an", "-"}


def _core(word: str) -> str:
    return re.sub(r"^\W+|\W+$", "", word)


def name_words(texts) -> set[str]:
    """Words the texts capitalise inside sentences at least as often as they write them in
    lower case ('Colts', 'Microsoft', 'President'; not 'police', 'woman', 'driver')."""
    lower: Counter = Counter()
    capital: Counter = Counter()
    for text in texts:
        prev = "."
        for w in text.split():
            core = _core(w)
            if core and core[0].isalpha():
                if core[0].islower():
                    lower[core.lower()] += 1
                elif not re.search(r"[.!?:\"“”]$", prev):
                    capital[core.lower()] += 1
            prev = w
    return {w for w, n in capital.items() if n >= lower[w]}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--limit", type=int, default=0, help="only the first N topics' documents")
    ap.add_argument("--out", default=None)
    ap.add_argument("--repeat", type=int, default=3, help="timed runs of the stage (median kept)")
    ap.add_argument("--misses", default=None, help="write the chains losing most gold pairs here")
    args = ap.parse_args()
    rows = every = load("ecbplus/articles.jsonl")
    chains = [c for c in load("ecbplus/event_chains.jsonl") if c["kind"] == "entity"]
    if args.limit:
        topics = sorted({r["topic"] for r in rows}, key=int)[: args.limit]
        rows = [r for r in rows if r["topic"] in topics]
    keep = {r["id"] for r in rows}
    tmp = Path(tempfile.mkdtemp())
    src = write_source(rows, tmp / "ecb.jsonl")
    settings = Settings(db=str(tmp / "u.db"))
    # The stage alone (clean + understand, what build_article does), then the whole ingest
    # (also storing, full-text indexing and cross-article linking).
    raws = [RawArticle(text=r["text"], origin=r["id"], title=r["title"], date=r["date"],
                       outlet=r["id"]) for r in rows]
    build_article(raws[0], settings)  # load the model outside the timing
    from parallax.clean import clean_text  # and every word list the glue repair consults
    clean_text("warm up the caches: Whelanan, La Vozde Galicia", title=None)
    runs = []
    for _ in range(args.repeat):  # the median of a few runs: shared machines are noisy
        start = time.process_time()
        for raw in raws:
            build_article(raw, settings)
        runs.append(time.process_time() - start)
    stage_elapsed = statistics.median(runs)
    with SQLiteStore(settings.db) as store:
        start = time.process_time()
        report = ingest([src], store, settings)
        elapsed = time.process_time() - start
        spans = {}  # doc id -> (text, [(start, end, canonical id)])
        for a in store.iter_articles():
            canonical = store.article_entity_ids(a.id)
            doc_id = a.outlet
            ents = []
            for e in (a.analysis or {}).get("entities", []):
                c = canonical.get(e["key"])
                for _s, s0, s1 in e["mentions"]:
                    ents.append((s0, s1, c.id if c else None))
            spans[doc_id] = (a.text, ents)
        labels = dict(store.conn.execute("SELECT id, label || ':' || name FROM entities"))
    names = name_words(r["text"] for r in every)  # how all of ECB+ writes its words
    mentions, unaligned = gold_mentions(chains, keep, spans, names)
    by_chain, by_pred, gold_pairs, pred_pairs, correct = score(mentions)
    # the first definition of a named mention (capitalised, not a pronoun), for comparison
    loose = score(gold_mentions(chains, keep, spans, None)[0])
    result = {
        "articles": len(rows), "stored": len(report.stored),
        "named_mentions": len(mentions), "tagged_mentions": sum(1 for m in mentions if m[2]),
        "unaligned_mentions_not_scored": unaligned,
        "gold_pairs": gold_pairs, "predicted_pairs": pred_pairs, "correct_pairs": correct,
        "pairwise_precision": correct / pred_pairs if pred_pairs else None,
        "pairwise_recall": correct / gold_pairs if gold_pairs else None,
        "with_sentence_initial_common_nouns": {
            "gold_pairs": loose[2], "pairwise_precision": loose[4] / loose[3],
            "pairwise_recall": loose[4] / loose[2]},
        "stage_articles_per_second_one_core": len(rows) / stage_elapsed,
        "stage_runs_articles_per_second": [round(len(rows) / r, 2) for r in runs],
        "ingest_articles_per_second_one_core": len(rows) / elapsed,
    }
    print(json.dumps(result, indent=2))
    if args.misses:
        write_misses(args.misses, by_chain, by_pred, labels, gold_pairs)
    if args.out:
        Path(args.out).write_text(json.dumps(result, indent=2) + "\n")


def gold_mentions(chains, keep, spans, names):
    """(chain, doc, canonical id or None, mention text) of each named gold mention Parallax's
    text can be aligned with, and the count of those it cannot."""
    mentions = []
    unaligned = 0
    for chain in chains:
        for m in chain["mentions"]:
            if m["doc"] not in keep or not named(m["mention"], m["tag"], names):
                continue
            text, ents = spans.get(m["doc"], ("", []))
            where = text.find(m["sentence_text"][:60])
            if where < 0:
                unaligned += 1  # a title or a sentence the cleaner changed: not scored
                continue
            found = None
            at = text.find(m["mention"], where, where + len(m["sentence_text"]) + 5)
            if at >= 0:
                found = next((cid for s0, s1, cid in ents
                              if s0 < at + len(m["mention"]) and at < s1 and cid), None)
            mentions.append((chain["chain_id"], m["doc"], found, m["mention"]))
    return mentions, unaligned


def score(mentions):
    """Gold chains and predicted entities of the mentions, and the cross-document pair counts:
    (by_chain, by_pred, gold pairs, predicted pairs, correct pairs)."""
    by_chain = defaultdict(list)
    by_pred = defaultdict(list)
    for chain_id, doc, cid, mention in mentions:
        by_chain[chain_id].append((doc, cid, mention))
        if cid:
            by_pred[cid].append((doc, chain_id, mention))
    gold_pairs = sum(1 for items in by_chain.values()
                     for a, b in combinations(items, 2) if a[0] != b[0])
    pred_pairs = correct = 0
    for items in by_pred.values():
        for a, b in combinations(items, 2):
            if a[0] != b[0]:
                pred_pairs += 1
                correct += a[1] == b[1]
    return by_chain, by_pred, gold_pairs, pred_pairs, correct


def write_misses(path: str, by_chain, by_pred, labels: dict[str, str], gold_pairs: int) -> None:
    """For error analysis: the gold chains losing most pairs (``path``), the predicted
    entities joining several chains (``path.wrong``), the most frequent pairs of mentions of
    one chain given two entities (``path.split``), and the recall this tagging allows."""
    def cross(items):
        return ((a, b) for a, b in combinations(items, 2) if a[0] != b[0])

    tagged = sum(1 for items in by_chain.values() for a, b in cross(items) if a[1] and b[1])
    print("recall ceiling with this tagging:", tagged / gold_pairs, file=sys.stderr)
    lost = sorted(((sum(1 for a, b in cross(items) if not a[1] or a[1] != b[1]), chain, items)
                   for chain, items in by_chain.items()), reverse=True)
    with open(path, "w") as fh:
        for miss, chain, items in lost[:60]:
            groups = defaultdict(list)
            for _doc, cid, mention in items:
                groups[cid].append(mention)
            fh.write(f"{miss}\t{chain}\t" + " || ".join(
                f"{k}: {sorted(set(v))} x{len(v)}" for k, v in groups.items()) + "\n")
    split = defaultdict(int)
    for items in by_chain.values():
        for a, b in cross(items):
            if a[1] and b[1] and a[1] != b[1]:
                split[tuple(sorted((f"{a[2]}/{labels[a[1]]}", f"{b[2]}/{labels[b[1]]}")))] += 1
    with open(path + ".split", "w") as fh:
        for pair, n in sorted(split.items(), key=lambda kv: -kv[1])[:80]:
            fh.write(f"{n}\t{pair}\n")
    wrong = []
    for cid, items in by_pred.items():
        bad = sum(1 for a, b in cross(items) if a[1] != b[1])
        if bad:
            groups = defaultdict(set)
            for _doc, chain, mention in items:
                groups[chain].add(mention)
            wrong.append((bad, cid, {k: sorted(v) for k, v in groups.items()}))
    with open(path + ".wrong", "w") as fh:
        for bad, cid, groups in sorted(wrong, key=lambda w: -w[0])[:40]:
            fh.write(f"{bad}\t{cid}\t{groups}\n")


if __name__ == "__main__":
    main()
