"""Score the cleaner's output against the injected truth, from its public output only
(cleaned text and the audit trail of edits)."""

from __future__ import annotations

import re
from collections import Counter

_SENT = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“])")


def squash(s: str) -> str:
    return re.sub(r"\s+", "", s)


def _token_at(text: str, pos: int) -> str:
    a = b = pos
    while a > 0 and text[a - 1].isalpha():
        a -= 1
    while b < len(text) and text[b].isalpha():
        b += 1
    return text[a:b]


def load_natural(path) -> dict[str, frozenset[str]]:
    out: dict[str, set[str]] = {}
    for line in open(path, encoding="utf-8"):
        if line.startswith("#") or not line.strip():
            continue
        aid, token, verdict = line.rstrip("\n").split("\t")
        if verdict == "correct":
            out.setdefault(aid, set()).add(token)
    return {k: frozenset(v) for k, v in out.items()}


class Scorer:
    def __init__(self):
        self.c = Counter()

    def add(self, damaged, cleaned_text: str, edits: list[dict],
            natural: frozenset[str] = frozenset()) -> None:
        """``natural``: tokens of this article glued in the source itself, judged by hand as
        rightly split (bench/natural_glue.tsv)."""
        c = self.c
        out = squash(cleaned_text)
        # Injected lines: gone from the output?
        for kind, line in damaged.lines:
            c[f"{kind}_injected"] += 1
            present = out.count(squash(line))
            expected_present = 1 if kind == "repeated" else 0  # the first copy stays
            if present <= expected_present:
                c[f"{kind}_removed"] += 1
        # Genuine body sentences lost (glue repairs only add spaces: compare without spaces).
        for para in damaged.original.split("\n"):
            for sent in _SENT.split(para.strip()):
                if len(sent) < 20:
                    continue
                c["body_sentences"] += 1
                if squash(sent) not in out:
                    c["body_sentences_lost"] += 1
        # Glue: exact positions.
        truth = set(damaged.glue)
        made = {e["start"] for e in edits if e["rule"] == "glued_words" and e["after"] == " "}
        c["glue_injected"] += len(truth)
        c["glue_tp"] += len(truth & made)
        c["glue_fp"] += len(made - truth)
        for pos in made - truth:
            c["glue_fp_natural_correct"] += _token_at(damaged.text, pos) in natural
        # Mojibake.
        for para in damaged.mojibake:
            c["mojibake_injected"] += 1
            c["mojibake_fixed"] += squash(para) in out

    def report(self) -> dict:
        c = self.c
        r = {}
        for kind in ("caption", "credit", "bio", "share", "repeated"):
            if c[f"{kind}_injected"]:
                r[f"{kind}_recall"] = c[f"{kind}_removed"] / c[f"{kind}_injected"]
        lines_inj = sum(c[f"{k}_injected"] for k in ("caption", "credit", "bio", "share", "repeated"))
        lines_rem = sum(c[f"{k}_removed"] for k in ("caption", "credit", "bio", "share", "repeated"))
        r["boilerplate_recall"] = lines_rem / lines_inj if lines_inj else None
        r["body_sentences_lost_rate"] = c["body_sentences_lost"] / max(1, c["body_sentences"])
        tp, fp = c["glue_tp"], c["glue_fp"]
        r["glue_precision"] = tp / (tp + fp) if tp + fp else None
        r["glue_recall"] = tp / c["glue_injected"] if c["glue_injected"] else None
        nat = c["glue_fp_natural_correct"]
        r["glue_precision_adjudicated"] = (tp + nat) / (tp + fp) if tp + fp else None
        if c["mojibake_injected"]:
            r["mojibake_recall"] = c["mojibake_fixed"] / c["mojibake_injected"]
        r["counts"] = dict(c)
        return r
