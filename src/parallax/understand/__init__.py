"""Understanding: sentences, language, entities with aliases, quotes with speakers, numbers
with bounds, and time expressions on the calendar, each pointing at its sentence."""

from __future__ import annotations

from bisect import bisect_right
from datetime import date

from . import entities as _entities
from . import numbers as _numbers
from . import quotes as _quotes
from . import times as _times
from .nlp import detect_language, load_spacy, main_pass_disabled, tag
from .records import Analysis, Entity, Number, Quote, Sentence, TimeExpr

__all__ = ["analyze", "Analysis", "Entity", "Number", "Quote", "Sentence", "TimeExpr"]


def analyze(text: str, *, published: str | None = None, lang: str | None = None,
            model: str = "en_core_web_sm") -> Analysis:
    """Analyse one cleaned article. ``published``: its publication date (ISO), if known."""
    lang = lang or detect_language(text) or None
    nlp = load_spacy(model)
    english = lang in (None, "en")
    doc = nlp(text, disable=main_pass_disabled(nlp)) if english else nlp.make_doc(text)
    if english:
        sentences = _split_lines([(s.start_char, s.end_char) for s in doc.sents], text)
    else:
        sentences = _simple_sentences(text)
    starts = [s.start for s in sentences]

    def sentence_of(offset: int) -> int:
        return max(0, bisect_right(starts, offset) - 1)

    analysis = Analysis(lang=lang, entity_tagged=english, sentences=sentences)
    if english:
        analysis.entities = _entities.extract(doc, text, sentence_of)
        analysis.numbers = _numbers.extract(_window_tagger(nlp, doc, sentences, sentence_of),
                                            text, sentence_of)
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


def _window_tagger(nlp, doc, sentences, sentence_of):
    """``offsets -> (offset -> (tagged Doc around it, that Doc's shift from the text))``.

    Part-of-speech tags are needed only for the words right after a number, so only a window
    of words around each such offset (four before, eight after, inside its sentence) is tagged,
    all windows joined into one Doc and tagged in one call. The tagger's features reach four
    words either side, so the first words after the number get the tags they get inside the
    whole article."""
    from spacy.tokens import Doc

    def for_offsets(offsets: list[int]):
        from bisect import bisect_left

        from spacy.attrs import IDX

        starts = doc.to_array(IDX).tolist()
        ranges: list[list[int]] = []  # [lo, hi) token windows, overlapping ones merged
        owner: dict[int, int] = {}
        for offset in sorted(set(offsets)):
            i = bisect_left(starts, offset)  # the first word at or after the offset
            if i >= len(doc):
                continue
            lo, hi = max(0, i - 4), min(len(doc), i + 8)
            if sentences:  # stay inside the sentence
                sent = sentences[sentence_of(offset)]
                lo = max(lo, bisect_left(starts, sent.start))
                hi = min(hi, bisect_left(starts, sent.end))
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
            part = doc[lo:hi]
            shifts.append(part.start_char - at)
            for tok in part:
                words.append(tok.text)
                spaces.append(bool(tok.whitespace_))
                at += len(tok.text_with_ws)
            if spaces[-1] is False:
                spaces[-1] = True  # one space between windows
                at += 1
        joined = tag(nlp, Doc(nlp.vocab, words=words, spaces=spaces))
        return lambda offset: ((joined, shifts[owner[offset]]) if offset in owner
                               else (None, 0))

    return for_offsets


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

    out, pos = [], 0
    for m in re.finditer(r".+?(?:[.!?](?=\s)|$)", text, re.S):
        chunk = m.group(0)
        if chunk.strip():
            start = m.start() + (len(chunk) - len(chunk.lstrip()))
            out.append(Sentence(len(out), start, m.end(), text[start:m.end()].strip()))
    return out
