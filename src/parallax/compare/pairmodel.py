"""The sentence-pair model: does this sentence report the same thing as that one, told in other
words? A cross-encoder fine-tuned here from all-MiniLM-L6-v2 on ECB+ event chains
(train/sentence_pairs.py), shipped as a quantised ONNX file with its tokenizer and run with
onnxruntime and tokenizers: no torch at run time.

``Settings.pair_model`` chooses it: 'builtin' (the shipped model, compare/model/), a directory
holding model.onnx and tokenizer.json (another model trained the same way), or '' / 'none'
(the word-coverage comparison alone). A model that cannot be loaded raises ModelError, one
line naming the file and the fix; the comparison then goes on without it and says so."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from ..errors import ModelError

BUILTIN = Path(__file__).with_name("model")
OFF = ("", "none", "off", "0")


@dataclass
class PairModel:
    path: Path
    session: object  # onnxruntime.InferenceSession
    tokenizer: object  # tokenizers.Tokenizer
    card: dict
    # One pair per run: the int8 model quantises its activations per run, over the whole
    # batch, so a pair batched with others would score differently (by up to 0.06) than alone.
    # One at a time, a pair's score never depends on what else the story holds, and on one
    # core it is as fast as batching (no padding).
    batch: int = 1

    def score(self, pairs: list[tuple[str, str]]) -> np.ndarray:
        """The probability that each pair reports one thing, in the order given; a pair's
        score does not depend on the others."""
        out = np.zeros(len(pairs), dtype=np.float32)
        order = sorted(range(len(pairs)), key=lambda i: (len(pairs[i][0]) + len(pairs[i][1]), i))
        for n in range(0, len(order), self.batch):
            idx = order[n:n + self.batch]
            enc = self.tokenizer.encode_batch([pairs[i] for i in idx])
            width = max(len(e.ids) for e in enc)
            ids = np.zeros((len(idx), width), dtype=np.int64)
            mask = np.zeros_like(ids)
            types = np.zeros_like(ids)
            for r, e in enumerate(enc):
                k = len(e.ids)
                ids[r, :k], mask[r, :k], types[r, :k] = e.ids, e.attention_mask, e.type_ids
            logits = self.session.run(["logit"], {"input_ids": ids, "attention_mask": mask,
                                                  "token_type_ids": types})[0]
            out[idx] = 1.0 / (1.0 + np.exp(-logits.astype(np.float64)))
        return out


def model_dir(setting: str) -> Path | None:
    """The directory a setting names, or None when the model is switched off."""
    if setting.strip().lower() in OFF:
        return None
    return BUILTIN if setting.strip().lower() == "builtin" else Path(setting).expanduser()


_LOCK = threading.Lock()


@lru_cache(maxsize=4)
def _load(path: str, threads: int) -> PairModel:
    folder = Path(path)
    model_file, tok_file = folder / "model.onnx", folder / "tokenizer.json"
    advice = ("reinstall Parallax (`make install`), point pair_model at a directory with "
              "model.onnx and tokenizer.json (train/sentence_pairs.py writes one), or set "
              "pair_model = 'none' to compare on words alone")
    for f in (model_file, tok_file):
        if not f.is_file():
            raise ModelError(f"{f}: sentence-pair model file missing", advice=advice, code="E301")
    try:
        import onnxruntime as ort
        from tokenizers import Tokenizer
    except ImportError as exc:
        raise ModelError(f"{model_file}: cannot run the sentence-pair model ({exc})",
                         advice="install onnxruntime and tokenizers (`make install`), or set "
                                "pair_model = 'none'", code="E302") from None
    try:
        card = json.loads((folder / "card.json").read_text(encoding="utf-8")) \
            if (folder / "card.json").is_file() else {}
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = threads
        opts.inter_op_num_threads = 1
        session = ort.InferenceSession(str(model_file), sess_options=opts,
                                       providers=["CPUExecutionProvider"])
        tokenizer = Tokenizer.from_file(str(tok_file))
        tokenizer.enable_truncation(max_length=int(card.get("max_length", 128)))
        tokenizer.no_padding()
    except Exception as exc:  # onnxruntime raises its own error types for a corrupt file
        raise ModelError(f"{model_file}: not a usable sentence-pair model ({type(exc).__name__}: "
                         f"{str(exc).splitlines()[0][:160] if str(exc) else ''})",
                         advice=advice, code="E303") from None
    return PairModel(folder, session, tokenizer, card)


def load(setting: str, threads: int = 1) -> PairModel | None:
    """The model a setting names (None when switched off); ModelError when it cannot be
    loaded. Loaded once per process."""
    folder = model_dir(setting)
    if folder is None:
        return None
    with _LOCK:
        return _load(str(folder.resolve()), threads)
