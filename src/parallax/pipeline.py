"""The only place that knows the order of the stages.

ingest (readers) -> clean -> understand -> store (and canonical entities) -> stories; a story
is compared on demand (``parallax.compare``). Each article is stored (committed) before it is
reported, so an interruption loses nothing that was reported as stored.
"""

from __future__ import annotations

from collections.abc import Callable, Container, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from .clean import clean_text
from .engines import Engine, LocalEngine
from .errors import ParallaxError, StoreError
from .ingest import Ingestor
from .ingest.sources import Source
from .records import Article, Problem, RawArticle, article_id
from .settings import Settings
from .store import AddResult, Outcome, Store
from .textutil import safe_text

# ("source", Source) | ("result", (AddResult, Article)) | ("problem", Problem) |
# ("skipped", article id: already stored) | ("position", (bytes read, bytes in all or None)) |
# ("inputs", how many inputs there are, before the first)
Listener = Callable[[str, object], None]


class Tally(list):
    """What an ingest met, in order: the first ``keep`` items are kept (an archive of
    millions stays in bounded memory), ``total`` counts them all."""

    def __init__(self, keep: int = 100_000):
        super().__init__()
        self.keep, self.total = keep, 0

    def append(self, item) -> None:
        self.total += 1
        if len(self) < self.keep:
            super().append(item)

    @property
    def truncated(self) -> bool:
        return self.total > len(self)


@dataclass
class IngestReport:
    stored: Tally = field(default_factory=Tally)
    duplicates: Tally = field(default_factory=Tally)
    new_versions: Tally = field(default_factory=Tally)
    problems: Tally = field(default_factory=Tally)
    interrupted: bool = False

    @property
    def failed(self) -> bool:
        return bool(self.problems) or self.interrupted


def build_article(raw: RawArticle, settings: Settings, lexicon: Container[str] = (), *,
                  understand: bool | None = None) -> Article:
    """Clean (and, unless ``understand`` is False or the setting is off, analyse) a RawArticle
    into the Article that is stored; metadata recovered by cleaning fills only what the reader
    did not find. ``lexicon``: words of the stored corpus."""
    cleaned = clean_text(raw.text, title=raw.title, disabled=settings.clean_disabled,
                         lexicon=lexicon)
    recovered = cleaned.metadata
    credited = raw.credited_source or recovered.get("credited_source")
    author = raw.author or recovered.get("author")
    meta = dict(raw.metadata)
    meta.update({k: v for k, v in recovered.items() if k not in ("credited_source", "author")})
    analysis = None
    if settings.understand if understand is None else understand:
        from .understand import analyze

        analysis = analyze(cleaned.text, published=raw.date, lang=raw.lang,
                           model=settings.spacy_model).as_dict()
    return Article(
        id=article_id(raw.text, raw.url, raw.outlet), text=cleaned.text, raw_text=raw.text,
        origin=raw.origin, raw=raw.raw or raw.text, raw_format=raw.raw_format, title=raw.title,
        url=raw.url, outlet=raw.outlet, credited_source=credited, author=author, date=raw.date,
        date_source=raw.date_source, date_confidence=raw.date_confidence,
        lang=raw.lang or (analysis or {}).get("lang"), metadata=meta, edits=cleaned.edits,
        analysis=analysis,
    )


def ingest(inputs: Iterable[str], store: Store, settings: Settings, *,
           field_map: Mapping[str, tuple[str, ...]] | None = None,
           listener: Listener | None = None, ingestor: Ingestor | None = None,
           engine: Engine | None = None) -> IngestReport:
    """Read, clean, understand and store every article of ``inputs``. Cleaning and
    understanding run on ``engine`` (here by default; on Dask workers with the Dask engine),
    in chunks; the articles are stored here, in input order, whatever the engine."""
    notify = listener or (lambda kind, payload: None)
    report = IngestReport()
    own = ingestor is None
    ingestor = ingestor or Ingestor(settings, field_map=field_map)
    engine = engine or LocalEngine()
    # the stored corpus as the cleaner asks of it: this store, or on workers their own view
    lexicon = store.vocabulary() if engine.local else StoreVocabulary(settings.db)
    try:
        sources = list(ingestor.sources(inputs))  # the total first: progress can show an ETA
        notify("inputs", sum(isinstance(x, Source) for x in sources))
        for item in sources:
            if isinstance(item, Problem):
                report.problems.append(item)
                notify("problem", item)
                continue
            notify("source", item)
            todo = _to_build(ingestor, item, store, report, notify)
            for read, built in engine.map(_build, todo, chunk=1 if engine.local else BUILD_CHUNK,
                                          settings=settings, lexicon=lexicon):
                if isinstance(built, Problem):  # a bug met by one article: the batch goes on
                    report.problems.append(built)
                    notify("problem", built)
                    continue
                try:
                    article, result = store_article(store, built)
                except StoreError:
                    raise
                except Exception as exc:
                    problem = internal_problem(read.origin, exc)
                    report.problems.append(problem)
                    notify("problem", problem)
                    continue
                {Outcome.STORED: report.stored, Outcome.DUPLICATE: report.duplicates,
                 Outcome.NEW_VERSION: report.new_versions}[result.outcome].append(result.article_id)
                notify("result", (result, article))
    except KeyboardInterrupt:
        report.interrupted = True
    finally:
        if own:
            ingestor.close()
    return report


BUILD_CHUNK = 16  # articles sent to a worker at a time (about a second of work)


def _to_build(ingestor: Ingestor, source: Source, store: Store, report: IngestReport,
              notify: Listener) -> Iterator[RawArticle]:
    """The articles of one source that need building: problems are reported and articles
    already stored skipped here, as they are read."""
    for read in ingestor.read(source):
        position = ingestor.position()
        if position is not None:
            notify("position", position)
        if isinstance(read, Problem):
            report.problems.append(read)
            notify("problem", read)
            continue
        known = article_id(read.text, read.url, read.outlet)
        if store.has_article(known):  # a re-run: nothing to clean or understand
            report.duplicates.append(known)
            notify("skipped", known)
            continue
        yield read


def _build(read: RawArticle, settings: Settings, lexicon: Container[str]
           ) -> tuple[RawArticle, Article | Problem]:
    """One article built (cleaned and understood), or the one-line problem it met; runs
    wherever the engine runs it."""
    try:
        return read, build_article(read, settings, lexicon)
    except Exception as exc:
        return read, internal_problem(read.origin, exc)


class StoreVocabulary:
    """A store's vocabulary that travels to a worker by the database's name and is opened
    there once per process; where the database cannot be reached (a SQLite file on another
    machine) the corpus is empty, and cleaning uses its built-in word lists alone."""

    _opened: dict[str, Container[str]] = {}

    def __init__(self, db: str):
        self.db = db

    def _vocabulary(self) -> Container[str]:
        found = self._opened.get(self.db)
        if found is None:
            from .store import backend_of, open_store

            reachable = backend_of(self.db) != "sqlite" or Path(self.db).expanduser().exists()
            try:
                found = open_store(self.db).vocabulary() if reachable else frozenset()
            except ParallaxError:
                found = frozenset()
            self._opened[self.db] = found
        return found

    def __contains__(self, word: object) -> bool:
        return word in self._vocabulary()

    def cases(self, word: str) -> tuple[int, int]:
        vocabulary = self._vocabulary()
        return vocabulary.cases(word) if hasattr(vocabulary, "cases") else (0, 0)


def internal_problem(origin: str, exc: Exception) -> Problem:
    """An unexpected error met by one article, as one line (the batch goes on)."""
    what = safe_text(str(exc).splitlines()[0][:200]) if str(exc) else ""
    return Problem(safe_text(origin), f"could not process this article ({exc.__class__.__name__}"
                   f"{': ' + what if what else ''}); please report it with the input",
                   code="E190")


def store_article(store: Store, article: Article) -> tuple[Article, AddResult]:
    """Store an understood article: names the store already knows found again where the
    tagger missed them, then the article, then its entities' canonical ids."""
    article, entities = recall_known_names(store, article)
    result = store.add_article(article)
    if result.outcome != Outcome.DUPLICATE and article.analysis:
        link_entities(store, article.id, entities)
    return article, result


def recall_known_names(store: Store, article: Article) -> tuple[Article, list]:
    """The article with mentions of stored names the tagger missed (``understand.known``),
    and its entities (the article itself, unchanged, when nothing was found)."""
    from .understand.known import known_entities, lookup_in, with_known, without_known
    from .understand.records import Analysis

    if not article.analysis:
        return article, []
    analysis = Analysis.from_dict(article.analysis)
    if not analysis.entity_tagged:
        return article, analysis.entities
    tagged = without_known(analysis.entities)  # a relink finds them again from scratch
    found = known_entities(article.text, analysis.sentences, tagged,
                           lookup_in(store.entity_candidates), store.entity_cooccurrence)
    entities = with_known(tagged, found)
    if entities == analysis.entities:
        return article, entities
    analysis.entities = entities
    return replace(article, analysis=analysis.as_dict()), entities


@dataclass
class RelinkReport:
    articles: int = 0
    analyses_changed: int = 0
    entities_before: int = 0
    entities_after: int = 0


def relink(store: Store, listener: Listener | None = None) -> RelinkReport:
    """Recompute every canonical entity and link, articles in the order they were stored, as
    ingesting them again would (after an upgrade that changed how names are linked). The
    articles' texts and stories stay; known-name mentions are found again. One transaction:
    an interruption leaves the store as it was."""
    notify = listener or (lambda kind, payload: None)
    report = RelinkReport(entities_before=store.count_entities())
    upto = store.last_seq()
    total = store.count_articles(upto=upto)
    with store.transaction():
        store.clear_reports()  # saved reports hold the old names
        store.clear_entity_links()
        for _seq, article in store.iter_articles_since(0, upto=upto):
            again, entities = recall_known_names(store, article)
            if again is not article:
                store.update_analysis(article.id, again.analysis)
                report.analyses_changed += 1
            if again.analysis:
                link_entities(store, article.id, entities)
            report.articles += 1
            notify("relinked", (report.articles, total))
    report.entities_after = store.count_entities()
    return report


def link_entities(store: Store, article_id: str, entities: list) -> None:
    """Give an article's entities their canonical ids across the store."""
    from .understand.linking import link_article

    link_article(store, article_id, entities)


def update_stories(store: Store, settings: Settings, *, rebuild: bool = False,
                   listener: Listener | None = None, engine: Engine | None = None):
    """Assign every article not yet in a story (or all of them with ``rebuild``, whose batch
    runs go to ``engine``); ``listener`` hears ("clustered", (done, total)) and, in a
    rebuild, ("batch method", (method, why)) and the method's progress, (done, total) under
    its stage's name (``stories.rebuild.Progress``)."""
    from .stories import assign_stories

    return assign_stories(store, settings, rebuild=rebuild, notify=listener, engine=engine)
