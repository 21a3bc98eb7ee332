"""Understanding: sentences, language, entities with aliases, quotes with speakers, numbers
with bounds, and time expressions on the calendar, each pointing at its sentence."""

from __future__ import annotations

from datetime import date

from . import entities as _entities
from . import numbers as _numbers
from . import quotes as _quotes
from . import times as _times
from .nlp import detect_language, load_spacy, main_pass_disabled, tag_windows
from .records import Analysis, Entity, Number, Quote, Sentence, TimeExpr, sentence_index

__all__ = ["analyze", "Analysis", "Entity", "Number", "Quote", "Sentence", "TimeExpr"]


def analyze(text: str, *, published: str | None = None, lang: str | None = None,
            model: str = "en_core_web_sm") -> Analysis:
    """Analyse one cleaned article. ``published``: its publication date (ISO), if known."""
    lang = lang or detect_language(text) or None
    nlp = load_spacy(model)
    # The strings spaCy adds for this article are freed after it (its vocabulary would
    # otherwise grow with every new word of an archive); nothing spaCy made outlives the zone.
    with nlp.memory_zone():
        return _analyze(nlp, text, published, lang)


def _analyze(nlp, text: str, published: str | None, lang: str | None) -> Analysis:
    english = lang in (None, "en")
    doc = nlp(text, disable=main_pass_disabled(nlp)) if english else nlp.make_doc(text)
    if english:
        sentences = _split_lines([(s.start_char, s.end_char) for s in doc.sents], text)
    else:
        sentences = _simple_sentences(text)
    starts = [s.start for s in sentences]

    def sentence_of(offset: int) -> int:
        return sentence_index(starts, offset)

    analysis = Analysis(lang=lang, entity_tagged=english, sentences=sentences)
    if english:
        analysis.entities = _entities.extract(doc, text, sentence_of)
        numbers = _numbers.extract(text, sentence_of)
        bounds = [(s.start, s.end) for s in sentences]
        tagged = tag_windows(nlp, doc, _numbers.needing_tags(numbers, text),
                             lambda offset: bounds[sentence_of(offset)] if bounds else None)
        analysis.numbers = _numbers.with_counted(numbers, text, tagged)
    analysis.quotes = _quotes.extract(text, sentences, analysis.entities, sentence_of)
    base, source = None, "publication date"
    if published:
        try:
            base = date.fromisoformat(published[:10])
        except ValueError:
            base = None
    if base is None:
        inferred = _times.infer_publication_date(text)
        if inferred:
            analysis.inferred_date = inferred
            base = date.fromisoformat(inferred["value"])
            source = f"inferred publication date ({inferred['evidence']!r})"
    def sentence_span(offset: int) -> tuple[int, int]:
        sent = sentences[sentence_of(offset)] if sentences else None
        return (sent.start, sent.end) if sent else (0, len(text))

    analysis.times = _times.extract(text, sentence_of, base, source, sentence_span)
    return analysis


def _split_lines(spans: list[tuple[int, int]], text: str) -> list[Sentence]:
    """Sentences never cross a line break (a paragraph, a caption line): split there too."""
    import re

    out: list[Sentence] = []
    for start, end in spans:
        for m in re.finditer(r"[^\n]+", text[start:end]):
            chunk = m.group(0)
            if chunk.strip():
                s0 = start + m.start() + (len(chunk) - len(chunk.lstrip()))
                s1 = start + m.end() - (len(chunk) - len(chunk.rstrip()))
                out.append(Sentence(len(out), s0, s1, text[s0:s1]))
    return out


def _simple_sentences(text: str) -> list[Sentence]:
    import re

    out = []
    for m in re.finditer(r".+?(?:[.!?](?=\s)|$)", text, re.S):
        chunk = m.group(0)
        if chunk.strip():
            start = m.start() + (len(chunk) - len(chunk.lstrip()))
            out.append(Sentence(len(out), start, m.end(), text[start:m.end()].strip()))
    return out
