"""The sentence-pair model (issue 22), measured.

    python bench/pair_model_bench.py ecb [--split dev|test]   # as a pair classifier
    python bench/pair_model_bench.py ecb --split dev --dump bench/out/dev.npz   # keep the scores
    python bench/pair_model_bench.py seeds                    # the seeds' paraphrase pairs
    python bench/pair_model_bench.py speed                    # scoring cost on one core
    python bench/pair_model_bench.py install                  # what the model adds to an install

ecb: the cross-article sentence pairs of ECB+ that bench/align_ceiling.py judges (a pair is
  positive when the two sentences mention one event chain; a sentence split into clauses scores
  as its best clause pair), scored by the model: the best recall at precision >= 0.85, beside
  the word coverage alone (the same pairs, the same rule). Test is reported; dev is what the
  model's epoch was chosen on.
seeds: the model's score for the three paraphrase pairs of issue 22 and for pairs that must
  stay apart.
speed: pairs per second on one core (onnxruntime, one thread), and the load time.
install: the megabytes the model and its runtime add to an install (each distribution's files
  as its RECORD lists them), and what running the same network without onnxruntime would cost:
  its matrix products alone in float32 numpy on one core, for the mean length of the seed
  pairs (the floor of any numpy runtime), against onnxruntime's whole int8 model.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from itertools import combinations
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.align_ceiling import best_recall, coverage_matrix, one_per_article_bound  # noqa: E402
from bench.compare_bench import ecb_stories, sentence_statements  # noqa: E402
from bench.corpora import load  # noqa: E402
from parallax.compare.pairmodel import load as load_model  # noqa: E402

OUT = Path(__file__).parent / "results"
PRECISION = 0.85


def ecb(args) -> dict:
    model = load_model(args.model)
    flags, cell_row, cell_cov, cell_model = [], [], [], []
    t = time.perf_counter()
    split_of = {r["id"]: r["split"] for r in load("ecbplus/articles.jsonl")}
    # 'dev' in ecb_stories is every story outside test; the model trained on train, so dev
    # here is ECB+'s dev split alone
    stories = [(sts, gold) for sts, gold in ecb_stories("test" if args.split == "test" else "dev")
               if sts and split_of[sts[0].source] == args.split]
    for sts, gold in stories:
        cov = coverage_matrix(sts)
        at = sentence_statements(sts)
        jobs = []
        for a, b in combinations(sorted(gold), 2):
            if a[0] == b[0] or a not in at or b not in at:
                continue
            for i in at[a]:
                for j in at[b]:
                    cell_row.append(len(flags))
                    cell_cov.append(cov[i, j])
                    jobs.append((sts[i].text, sts[j].text))
            flags.append(bool(gold[a] & gold[b]))
        cell_model += [float(x) for x in (model.score(jobs) if jobs else [])]
    cells = {"row": np.array(cell_row), "coverage": np.array(cell_cov), "model": np.array(cell_model)}
    _bound, gold_pairs = one_per_article_bound(stories)  # every gold pair, as align_ceiling counts
    if args.dump:
        np.savez(args.dump, flags=np.array(flags), gold_pairs=gold_pairs, **cells)
    report = {"split": args.split, "judged_pairs": len(flags), "gold_pairs": gold_pairs,
              "statement_pairs_scored": len(cell_row), "seconds": round(time.perf_counter() - t, 1),
              f"recall_at_precision_{PRECISION}": recalls(np.array(flags), cells, gold_pairs)}
    return _write(report, f"pair_model_ecb_{args.split}.json")


def per_pair(cells: dict, values: np.ndarray, n: int) -> np.ndarray:
    """A sentence pair's score: its best clause pair's."""
    out = np.full(n, -np.inf)
    np.maximum.at(out, cells["row"], values)
    return out


def recalls(flags: np.ndarray, cells: dict, gold_pairs: int) -> dict:
    n = len(flags)
    out = {"word_coverage": best_recall(flags, per_pair(cells, cells["coverage"], n), gold_pairs),
           "pair_model": best_recall(flags, per_pair(cells, cells["model"], n), gold_pairs)}
    return out


SEED_PAIRS = [
    # (EFE, La Voz de Galicia, the same fact?)
    ("At the meeting, Blinken asked his Russian counterpart to sign the “New START” treaty",
     "Blinken, Secretary of State of the United States, asked the interlocutor to review Russia’s "
     "involvement in the Treaty on Strategic Offensive Weapons (STAR-3).", True),
    ("Blinken said this Wednesday for his part in Uzbekistan, before traveling to India, he did not "
     "plan to meet Lavrov at the G20", "Despite the fact that just a few days ago, the American "
     "diplomat said that he did not plan to speak with Lavrov in New Delhi", True),
    ("The American Secretary of State, Antony Blinken, and the Russian Foreign Minister, Segéi "
     "Lavrov, had a brief conversation on the sidelines of the G20 summit",
     "The heads of Russian and American diplomacy met face to face for less than ten minutes g20 "
     "summit in India.", True),
    ("The treaty limited the number of strategic nuclear weapons with a maximum of 1,550 nuclear "
     "warheads and 700 ballistic systems for each of the two powers.",
     "The meeting attended by the foreign ministers of the G20 countries ended without an agreement.", False),
    ("“This is not a negotiation or a meeting,” Russian Foreign Affairs spokeswoman Maria Zakharova "
     "told reporters.", "Criticism of international law and multilateralism is part of Russia’s usual "
     "strategy in approaching international organizations.", False),
]


def seeds(args) -> dict:
    model = load_model(args.model)
    got = model.score([(a, b) for a, b, _ in SEED_PAIRS])
    threshold = model.card.get("threshold")
    rows = [{"a": a[:70], "b": b[:70], "same": same, "score": round(float(s), 4),
             "right": bool((s >= threshold) == same) if threshold else None}
            for (a, b, same), s in zip(SEED_PAIRS, got)]
    return _write({"threshold": threshold, "pairs": rows}, "pair_model_seeds.json")


def speed(args) -> dict:
    t = time.perf_counter()
    model = load_model(args.model, threads=1)
    loaded = time.perf_counter() - t
    pairs = [(a, b) for a, b, _ in SEED_PAIRS] * 40
    model.score(pairs[:8])
    t = time.process_time()
    model.score(pairs)
    seconds = time.process_time() - t
    return _write({"load_seconds": round(loaded, 2), "pairs": len(pairs),
                   "pairs_per_second_one_core": round(len(pairs) / seconds, 1)}, "pair_model_speed.json")


# the distributions the model needs that the rest of Parallax does not
MODEL_DISTS = ("onnxruntime", "flatbuffers", "protobuf", "tokenizers", "huggingface_hub", "hf-xet")
MINILM = {"layers": 6, "hidden": 384, "ffn": 1536}  # all-MiniLM-L6-v2, the model's shape


def install(args) -> dict:
    import os
    from importlib.metadata import PackageNotFoundError, distribution

    from parallax.compare.pairmodel import model_dir

    sizes = {}
    for name in MODEL_DISTS:
        try:
            sizes[name] = round(sum(f.size or 0 for f in distribution(name).files or []) / 1e6, 1)
        except PackageNotFoundError:
            sizes[name] = None
    folder = model_dir(args.model)
    sizes["model files"] = round(sum(os.path.getsize(f) for f in folder.iterdir()) / 1e6, 1)
    model = load_model(args.model, threads=1)
    pairs = [(a, b) for a, b, _ in SEED_PAIRS]
    tokens = int(np.mean([len(e.ids) for e in model.tokenizer.encode_batch(pairs)]))
    rng = np.random.default_rng(0)
    h, f = MINILM["hidden"], MINILM["ffn"]
    x = rng.standard_normal((tokens, h), dtype=np.float32)
    square = rng.standard_normal((h, h), dtype=np.float32)
    up, down = rng.standard_normal((h, f), dtype=np.float32), rng.standard_normal((f, h), dtype=np.float32)
    runs = 50
    t = time.process_time()
    for _ in range(runs):
        for _layer in range(MINILM["layers"]):
            for _qkvo in range(4):
                x @ square
            (x @ up) @ down
    numpy_ms = (time.process_time() - t) / runs * 1000
    t = time.process_time()
    for _ in range(5):
        model.score(pairs)
    ort_ms = (time.process_time() - t) / (5 * len(pairs)) * 1000
    return _write({"megabytes": sizes,
                   "model_and_onnxruntime_mb": round(sizes["model files"] + (sizes["onnxruntime"] or 0), 1),
                   "all_mb": round(sum(v for v in sizes.values() if v), 1),
                   "mean_tokens_per_pair": tokens,
                   "numpy_float32_matmuls_ms_per_pair_one_core": round(numpy_ms, 1),
                   "onnxruntime_int8_whole_model_ms_per_pair_one_core": round(ort_ms, 1)},
                  "pair_model_install.json")


def _write(report: dict, name: str) -> dict:
    print(json.dumps(report, indent=2))
    OUT.mkdir(exist_ok=True)
    (OUT / name).write_text(json.dumps(report, indent=2) + "\n")
    return report


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("what", choices=["ecb", "seeds", "speed", "install"])
    ap.add_argument("--split", default="test", choices=["train", "dev", "test"])
    ap.add_argument("--model", default="builtin", help="'builtin' or a model directory")
    ap.add_argument("--dump", default="", help="write the scored pairs to this .npz")
    args = ap.parse_args()
    {"ecb": ecb, "seeds": seeds, "speed": speed, "install": install}[args.what](args)


if __name__ == "__main__":
    main()
