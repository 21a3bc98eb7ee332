"""``parallax`` commands. Exit codes: 0 ok, 1 some inputs failed (the rest was stored),
2 usage or configuration error, 3 store error or not found, 130 interrupted."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console

from .. import __version__, views
from ..errors import ConfigError, InputError, ParallaxError, StoreError
from ..settings import Settings
from ..store import Store, backend_of, open_store, shown_name
from . import render

app = typer.Typer(add_completion=False, no_args_is_help=True, rich_markup_mode=None,
                  help="Parallax: group news articles into stories and compare their sources.")
out = Console(soft_wrap=True, width=None if sys.stdout.isatty() else 160)
err = Console(stderr=True, soft_wrap=True)

EXIT_OK, EXIT_INPUT, EXIT_USAGE, EXIT_STORE, EXIT_INTERRUPTED = 0, 1, 2, 3, 130


class State:
    db: Optional[str] = None
    config: Optional[str] = None
    quiet: bool = False

    def settings(self, **overrides) -> Settings:
        return Settings.load(self.config, db=self.db, **overrides)

    def store(self, settings: Settings | None = None, *, create: bool = False) -> Store:
        """The store; unless ``create`` (ingest), a database that does not exist is an error
        (a typo in --db must not make an empty file)."""
        settings = settings or self.settings()
        if not create:
            require_existing(settings.db)
        return open_store(settings.db)


EngineOpt = Annotated[Optional[str], typer.Option("--engine", help="Where batch work runs: local (default) or dask.")]
SchedulerOpt = Annotated[Optional[str], typer.Option("--scheduler", help="A Dask scheduler, tcp://HOST:8786 (default: a local cluster).")]


def open_engine_for(settings: Settings, *, quiet: bool):
    """The engine the settings name; with Dask, one line says where it runs (the dashboard)."""
    from ..engines import open_engine

    engine = open_engine(settings.engine, scheduler=settings.scheduler or None,
                         workers=settings.engine_workers or None)
    if not quiet and not engine.local:
        err.print(engine.describe(), markup=False, highlight=False)
    return engine


def require_existing(db: str) -> None:
    if backend_of(db) != "sqlite":
        return  # a server's database: opening it says whether it exists (E212)
    path = db[len("sqlite:///"):] if db.startswith("sqlite:///") else db
    if path == ":memory:":
        return
    if not Path(path).expanduser().exists():
        raise StoreError(f"{db}: no such database", code="E203",
                         advice="check --db (or PARALLAX_DB); `parallax ingest` creates one")


def require_articles(store: Store) -> None:
    """Listings on an empty store say so in one line (exit 3) instead of an empty table."""
    if store.count_articles(latest_only=False) == 0:
        raise StoreError("the store holds no articles yet", code="E207",
                         advice="add some with `parallax ingest FILES`")


state = State()
DbOpt = Annotated[Optional[str], typer.Option("--db", help="SQLite file (default parallax.db, or PARALLAX_DB).")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]


@app.callback()
def _global(
    db: DbOpt = None,
    config: Annotated[Optional[str], typer.Option("--config", help="TOML settings file.")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress or summaries.")] = False,
    version: Annotated[bool, typer.Option("--version", help="Show the version.")] = False,
) -> None:
    if version:
        out.print(f"parallax {__version__}")
        raise typer.Exit()
    state.db, state.config, state.quiet = db, config, quiet


GLOBAL_VALUE_OPTIONS = ("--db", "--config")
GLOBAL_FLAGS = ("--quiet", "-q")


def hoist_global_options(argv: list[str]) -> list[str]:
    """Global options wherever they are written: ``parallax ingest --db x.db f`` is read as
    ``parallax --db x.db ingest f`` (as sqlite-utils takes them). Nothing after ``--`` moves."""
    front: list[str] = []
    rest: list[str] = []
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg == "--":
            rest += argv[i:]
            break
        name = arg.split("=", 1)[0]
        if name in GLOBAL_VALUE_OPTIONS and "=" in arg:
            front.append(arg)
        elif name in GLOBAL_VALUE_OPTIONS and i + 1 < len(argv):
            front += [arg, argv[i + 1]]
            i += 1
        elif arg in GLOBAL_FLAGS:
            front.append(arg)
        else:
            rest.append(arg)
        i += 1
    return front + rest


def main() -> None:
    try:
        app(args=hoist_global_options(sys.argv[1:]), prog_name="parallax", standalone_mode=True)
    except KeyboardInterrupt:  # pragma: no cover - interactive
        err.print("interrupted")
        sys.exit(EXIT_INTERRUPTED)


def fail(exc: ParallaxError) -> typer.Exit:
    err.print(f"error: {exc.one_line()}", markup=False, highlight=False)
    if isinstance(exc, ConfigError):
        return typer.Exit(EXIT_USAGE)
    if isinstance(exc, StoreError):
        return typer.Exit(EXIT_STORE)
    return typer.Exit(EXIT_INPUT)


def print_json(data) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


@app.command()
def ingest(
    inputs: Annotated[list[str], typer.Argument(help="Files, directories, globs, URLs or - for stdin.")],
    field_map: Annotated[Optional[str], typer.Option("--map", help="JSON field names, e.g. text=body,date=pubDate.")] = None,
    encoding: Annotated[Optional[str], typer.Option("--encoding", help="Text encoding of files (default utf-8).")] = None,
    no_stories: Annotated[bool, typer.Option("--no-stories", help="Do not update stories after ingesting.")] = False,
    allow_private: Annotated[bool, typer.Option("--allow-private", help="Fetch URLs on private, loopback and link-local addresses too (your own intranet feeds).")] = False,
    engine_name: EngineOpt = None,
    scheduler: SchedulerOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """Read articles and store them; report every bad input in one line and go on."""
    from ..ingest import parse_field_map
    from ..pipeline import ingest as run_ingest, update_stories

    try:
        settings = state.settings(encoding=encoding, allow_private_urls=1 if allow_private else None,
                                  engine=engine_name, scheduler=scheduler)
        fields = parse_field_map(field_map)
        store = state.store(settings, create=True)
        engine = open_engine_for(settings, quiet=state.quiet or json_out)
    except ParallaxError as exc:
        raise fail(exc)
    with store, engine:
        with render.IngestProgress(err, quiet=state.quiet or json_out) as progress:
            report = run_ingest(inputs, store, settings, field_map=fields, listener=progress.event,
                                engine=engine)
        # Stories for what this run stored, and for articles an interrupted run left without one.
        stories = render.StoriesProgress(err, quiet=state.quiet or json_out)
        if not no_stories and not report.interrupted and (
                report.stored or report.new_versions or store.count_unassigned()):
            with stories:
                update_stories(store, settings, listener=stories.event, engine=engine)
            from ..reports import precompute_reports

            with render.CountProgress(err, "comparing large stories",
                                      quiet=state.quiet or json_out) as progress:
                precompute_reports(store, settings, min_size=settings.report_precompute_size,
                                   listener=progress.event)
    if json_out:
        # Each list holds its first 100,000 items; "counts" has them all, "truncated" says
        # which lists were cut.
        lists = {"stored": report.stored, "duplicates": report.duplicates,
                 "new_versions": report.new_versions, "problems": report.problems}
        print_json({"stored": report.stored, "duplicates": report.duplicates,
                    "new_versions": report.new_versions,
                    "problems": [{"source": p.source, "line": p.line, "message": p.message,
                                  "code": p.code} for p in report.problems],
                    "counts": {k: v.total for k, v in lists.items()},
                    "truncated": sorted(k for k, v in lists.items() if v.truncated),
                    "interrupted": report.interrupted,
                    "stories_settled": stories.settle_json()})
    elif not state.quiet:
        render.ingest_summary(err, report)
        stories.say_settled()
    if report.interrupted:
        raise typer.Exit(EXIT_INTERRUPTED)
    if report.problems:
        raise typer.Exit(EXIT_INPUT)


@app.command()
def articles(
    limit: Annotated[int, typer.Option(help="How many (0 = all).")] = 50,
    offset: Annotated[int, typer.Option(help="Skip this many.")] = 0,
    search: Annotated[Optional[str], typer.Option("--search", "-s", help="Full-text query.")] = None,
    all_versions: Annotated[bool, typer.Option("--all-versions", help="Include superseded versions.")] = False,
    json_out: JsonOpt = False,
) -> None:
    """List stored articles, newest first (or the best matches of --search)."""
    try:
        with state.store() as store:
            require_articles(store)
            if search:
                hits = store.search_articles(search, limit=(offset + limit + 1) if limit else 100_000,
                                             full=False)
                found, total = hits[offset:offset + limit] if limit else hits[offset:], None
                more = bool(limit) and len(hits) > offset + limit
            else:
                total = store.count_articles(latest_only=not all_versions)
                found = store.list_articles(limit=limit or None, offset=offset,
                                            latest_only=not all_versions, full=False)
                more = offset + len(found) < total
            story_of = store.stories_of([a.id for a in found])
    except ParallaxError as exc:
        raise fail(exc)
    rows = [views.article_summary(a, story_of.get(a.id)) for a in found]
    if json_out:
        print_json(page(rows, total, offset, limit, more))
    else:
        render.articles_table(out, rows, total, offset=offset, more=more)


def page(items: list, total: int | None, offset: int, limit: int, more: bool) -> dict:
    """A listing for scripts: its items and whether the list was cut (``more``); ``total``
    is null where counting would cost a second search."""
    return {"total": total, "offset": offset, "limit": limit, "returned": len(items),
            "more": more, "items": items}


@app.command()
def article(
    article_id: Annotated[str, typer.Argument(help="Article id (or a unique prefix).")],
    json_out: JsonOpt = False,
) -> None:
    """Show one article in full: metadata, cleaned text and the cleaner's edits."""
    try:
        with state.store() as store:
            a = store.get_article(article_id)
            story_of = store.stories_of([a.id])
            canonical = store.article_entity_ids(a.id)
    except ParallaxError as exc:
        raise fail(exc)
    data = views.article_full(a, story_of.get(a.id), canonical)
    if json_out:
        print_json(data)
    else:
        render.article_detail(out, data)


SORTS = ("sources", "size", "recent")


@app.command()
def stories(
    limit: Annotated[int, typer.Option(help="How many (0 = all).")] = 50,
    offset: Annotated[int, typer.Option(help="Skip this many.")] = 0,
    outlet: Annotated[Optional[str], typer.Option(help="Only stories an outlet (a part of its name) covered.")] = None,
    entity: Annotated[Optional[str], typer.Option(help="Only stories with an article naming this (full-text).")] = None,
    since: Annotated[Optional[str], typer.Option(help="Only stories reaching this date (YYYY[-MM[-DD]]) or later.")] = None,
    until: Annotated[Optional[str], typer.Option(help="Only stories starting by this date.")] = None,
    sort: Annotated[str, typer.Option(help="sources (independent sources), size or recent.")] = "sources",
    min_sources: Annotated[int, typer.Option("--min-sources", help="At least this many independent sources.")] = 0,
    json_out: JsonOpt = False,
) -> None:
    """List stories, most independent sources first; filter, sort and page them."""
    from ..store import StoryFilter

    try:
        if sort not in SORTS:
            raise ConfigError(f"--sort: unknown order {sort!r}", advice="use " + ", ".join(SORTS))
        since, until = _date_option("--since", since), _date_option("--until", until, end=True)
        with state.store() as store:
            require_articles(store)
            query = StoryFilter(text=entity, outlet=outlet, date_from=since, date_to=until,
                                sort=sort, offset=offset, limit=limit or 10**9,
                                min_sources=min_sources)
            total, found = store.query_stories(query)
            if not total:
                _explain_empty(store, outlet, entity)
    except ParallaxError as exc:
        raise fail(exc)
    rows = [views.story_summary(s) for s in found]
    more = offset + len(rows) < total
    if json_out:
        print_json(page(rows, total, offset, limit, more))
    else:
        render.stories_table(out, rows, total=total, offset=offset)


def _date_option(name: str, value: str | None, *, end: bool = False) -> str | None:
    """A --since/--until date as the ISO prefix stories are compared with; ``end``: the
    last day of a year or month (``2024-05`` until the end of May)."""
    import re

    if value is None:
        return None
    if not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", value.strip()):
        raise ConfigError(f"{name}: not a date {value!r}", advice="use YYYY, YYYY-MM or YYYY-MM-DD")
    from datetime import date

    parts = [int(x) for x in value.strip().split("-")]
    try:
        date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    except ValueError as exc:
        raise ConfigError(f"{name}: not a date {value!r} ({exc})") from None
    if end and len(parts) < 3:
        return value.strip() + ("-12-31" if len(parts) == 1 else "-31")
    return value.strip()


def _explain_empty(store: Store, outlet: str | None, entity: str | None) -> None:
    """An outlet or name no story has is a mistake to report (exit 2), not an empty list."""
    from ..store import StoryFilter

    if outlet and not store.query_stories(StoryFilter(outlet=outlet, limit=1))[0]:
        raise ConfigError(f"--outlet: no story has an outlet matching {outlet!r}",
                          advice="`parallax stories --json` lists each story's outlets")
    if entity and not store.search_articles(entity, limit=1):
        raise ConfigError(f"--entity: no article names {entity!r}",
                          advice="try another spelling, or `parallax search`")


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="Words that must all appear (full-text).")],
    limit: Annotated[int, typer.Option(help="How many stories and articles.")] = 10,
    json_out: JsonOpt = False,
) -> None:
    """Search stories and articles at once: stories with an article matching every word,
    then the best matching articles."""
    from ..store import StoryFilter

    try:
        with state.store() as store:
            require_articles(store)
            total, found = store.query_stories(StoryFilter(text=query, sort="sources", limit=limit))
            hits = store.search_articles(query, limit=limit + 1, full=False)
            story_of = store.stories_of([a.id for a in hits])
    except ParallaxError as exc:
        raise fail(exc)
    story_rows = [views.story_summary(s) for s in found]
    article_rows = [views.article_summary(a, story_of.get(a.id)) for a in hits[:limit]]
    if json_out:
        print_json({"query": query,
                    "stories": page(story_rows, total, 0, limit, len(story_rows) < total),
                    "articles": page(article_rows, None, 0, limit, len(hits) > limit)})
        return
    render.stories_table(out, story_rows, total=total, offset=0)
    render.articles_table(out, article_rows, None, offset=0, more=len(hits) > limit)


def _story_data(story_id: str) -> dict:
    from ..reports import story_report

    settings = state.settings()
    with state.store(settings) as store:
        return story_report(store, story_id, settings)


@app.command()
def show(
    story_id: Annotated[str, typer.Argument(help="Story id (or a unique prefix).")],
    all_facts: Annotated[bool, typer.Option(
        "--all", help=f"List every single-source fact (else the first {render.SINGLE_FACTS}).")] = False,
    json_out: JsonOpt = False,
) -> None:
    """Show one story: brief, facts with their status, conflicts, timeline and sources."""
    try:
        data = _story_data(story_id)
    except ParallaxError as exc:
        raise fail(exc)
    if json_out:
        print_json(data)
    else:
        render.story_detail(out, data, single_limit=None if all_facts else render.SINGLE_FACTS)


@app.command()
def export(
    story_id: Annotated[Optional[str], typer.Argument(help="Story id (or a unique prefix); tables may leave it out for every story.")] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="md, html or json (one story); csv or parquet (tables).")] = "md",
    output: Annotated[Optional[str], typer.Option("--output", "-o", help="File to write (default: stdout); for tables, a folder (default: .).")] = None,
) -> None:
    """Write a self-contained report of one story (brief, facts, timeline, sources), or the
    stories, facts and articles tables (csv, parquet) of one story or of all of them."""
    from .. import export as exporter

    if fmt in ("csv", "parquet"):
        return _export_tables(story_id, fmt, output or ".")
    if fmt not in ("md", "html", "json"):
        raise fail(ConfigError(f"unknown format {fmt!r}", advice="use md, html, json, csv or parquet"))
    if story_id is None:
        raise fail(ConfigError("which story?", advice="give a story id (`parallax stories` lists "
                               "them); only csv and parquet export every story"))
    try:
        data = _story_data(story_id)
    except ParallaxError as exc:
        raise fail(exc)
    text = {"md": exporter.markdown, "html": exporter.html, "json": exporter.as_json}[fmt](data)
    if output:
        with open(output, "w", encoding="utf-8") as fh:
            fh.write(text)
        if not state.quiet:
            err.print(f"wrote {output}")
    else:
        sys.stdout.write(text)


def _export_tables(story_id: str | None, fmt: str, folder: str) -> None:
    """stories, facts and articles tables: each story is compared once, a story at a time."""
    from ..reports import story_report
    from ..tables import TableWriter

    try:
        writer = TableWriter(folder, fmt)
        settings = state.settings()
        with state.store(settings) as store:
            require_articles(store)
            ids = [store.get_story(story_id).id] if story_id else \
                [s.id for s in store.query_stories(_all_stories())[1]]
            with render.CountProgress(err, "exporting", quiet=state.quiet) as progress:
                for n, sid in enumerate(ids, start=1):
                    writer.add(story_report(store, sid, settings))
                    progress.event("exporting", (n, len(ids)))
        paths = writer.close()
    except ParallaxError as exc:
        raise fail(exc)
    if not state.quiet:
        err.print(f"wrote {', '.join(str(p) for p in paths)} ({len(ids)} stories)")


def _all_stories():
    from ..store import StoryFilter

    return StoryFilter(sort="sources", limit=10**9)


eval_app = typer.Typer(help="Measure Parallax against labelled data.", no_args_is_help=True)
app.add_typer(eval_app, name="eval")


@eval_app.command("clusters")
def eval_clusters(
    path: Annotated[str, typer.Argument(help="JSON Lines articles with a gold label per line.")],
    gold: Annotated[str, typer.Option("--gold", help="The field holding the gold story.")] = "story",
    rebuild: Annotated[bool, typer.Option("--rebuild", help="Score the batch mode instead of the online one.")] = False,
    shuffle: Annotated[Optional[int], typer.Option("--shuffle", help="Arrive in a random order with this seed.")] = None,
    json_out: JsonOpt = False,
) -> None:
    """Cluster the articles in date order (file order when undated) and score against gold:
    B-cubed, pairwise F1, ARI, V-measure, cluster counts and speed."""
    import random

    from ..eval.clusters import evaluate, load_labelled

    try:
        settings = state.settings()
        order = None
        if shuffle is not None:
            order = list(range(len(load_labelled(path, gold)[0])))
            random.Random(shuffle).shuffle(order)
        result = evaluate(path, gold, settings=settings, order=order, rebuild=rebuild)
    except ParallaxError as exc:
        raise fail(exc)
    except OSError as exc:
        raise fail(InputError(path, f"cannot read: {exc.strerror or exc}", code="E102"))
    keys = ("b3_precision", "b3_recall", "b3_f1", "pairwise_f1", "ari", "v_measure",
            "clusters_gold", "clusters_pred", "docs", "docs_per_second")
    data = {k: result[k] for k in keys}
    if json_out:
        if rebuild:
            data.update(batch_method=result["batch_method"],
                        batch_method_why=result["batch_method_why"])
        print_json(data)
    else:
        how = f"batch: {result['batch_method']}" if rebuild else "online"
        render.metrics(out, data, title=f"{path} ({how})")
        if rebuild:
            err.print(f"batch method: {result['batch_method_why']}", markup=False,
                      highlight=False)


@app.command()
def clean(
    path: Annotated[str, typer.Argument(help="A file (or URL) to clean; nothing is stored.")],
    json_out: JsonOpt = False,
) -> None:
    """Show what the cleaner makes of a file: the cleaned text and every edit."""
    from ..ingest import Ingestor
    from ..pipeline import build_article
    from ..records import Problem

    try:
        settings = state.settings()
    except ParallaxError as exc:
        raise fail(exc)
    ingestor = Ingestor(settings)
    results, problems = [], []
    try:
        for source in ingestor.sources([path]):
            items = [source] if isinstance(source, Problem) else ingestor.read(source)
            for item in items:
                if isinstance(item, Problem):
                    problems.append(item)
                else:
                    results.append(views.cleaning(build_article(item, settings, understand=False)))
    finally:
        ingestor.close()
    for p in problems:
        err.print(f"skipped: {p}", markup=False, highlight=False)
    if json_out:
        print_json(results[0] if len(results) == 1 else results)
    else:
        for r in results:
            render.cleaning(out, r)
    if problems:
        raise typer.Exit(EXIT_INPUT)


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to bind (127.0.0.1: this machine only).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port.")] = 8000,
    workers: Annotated[int, typer.Option(help="Server processes (one per core serves many clients best).")] = 1,
) -> None:
    """Serve the web UI and the JSON API (OpenAPI docs at /docs)."""
    import os

    import uvicorn

    from ..web import create_app

    try:
        settings = state.settings()
        state.store(settings).close()  # fail early, in one line, on a bad database
    except ParallaxError as exc:
        raise fail(exc)
    if not state.quiet:
        err.print(f"Parallax on http://{host}:{port}/  (database {shown_name(settings.db)}, "
                  f"{workers} worker{'s' if workers > 1 else ''})")
    if workers <= 1:
        uvicorn.run(create_app(settings), host=host, port=port, log_level="warning")
        return
    # Each worker process builds its app from the same settings, passed on by environment.
    os.environ["PARALLAX_DB"] = settings.db
    if state.config:
        os.environ["PARALLAX_CONFIG"] = state.config
    uvicorn.run("parallax.web:create_app", factory=True, host=host, port=port,
                workers=workers, log_level="warning")


@app.command()
def relink(json_out: JsonOpt = False) -> None:
    """Recompute canonical entities and links over the whole store, in the order articles
    were stored (after an upgrade that changed how names are linked). Texts and stories stay."""
    from ..pipeline import relink as run_relink

    try:
        settings = state.settings()
        with state.store(settings) as store:
            with render.CountProgress(err, "relinking", quiet=state.quiet or json_out) as progress:
                report = run_relink(store, listener=progress.event)
    except ParallaxError as exc:
        raise fail(exc)
    if json_out:
        print_json({"articles": report.articles, "analyses_changed": report.analyses_changed,
                    "entities_before": report.entities_before,
                    "entities_after": report.entities_after})
    elif not state.quiet:
        err.print(f"{report.articles} article(s) relinked ({report.analyses_changed} with names "
                  f"found again); {report.entities_before} -> {report.entities_after} entities")


@app.command()
def cluster(
    rebuild: Annotated[bool, typer.Option("--rebuild", help="Recluster every article from scratch.")] = False,
    engine_name: EngineOpt = None,
    scheduler: SchedulerOpt = None,
) -> None:
    """Assign articles to stories (new ones only, or all with --rebuild)."""
    from ..pipeline import update_stories

    try:
        settings = state.settings(engine=engine_name, scheduler=scheduler)
        with state.store(settings) as store, open_engine_for(settings, quiet=state.quiet) as engine:
            with render.StoriesProgress(err, quiet=state.quiet) as stories:
                n = update_stories(store, settings, rebuild=rebuild, listener=stories.event,
                                   engine=engine)
            count = store.count_stories()
    except ParallaxError as exc:
        raise fail(exc)
    if not state.quiet:
        err.print(f"{n} article(s) assigned; {count} stories{stories.how()}", markup=False,
                  highlight=False)


@app.command()
def migrate(
    source: Annotated[str, typer.Option("--from", help="The store to copy (a SQLite file or a postgresql:// URL).")],
    target: Annotated[str, typer.Option("--to", help="The new, empty store to copy into.")],
    json_out: JsonOpt = False,
) -> None:
    """Copy a whole store into another (SQLite to PostgreSQL and back), losing nothing: row
    counts of every table and a checksum of every article's text are compared at the end. One
    transaction on the target: an interrupted copy leaves it empty, and can be run again."""
    from ..store.copy import copy_store

    try:
        require_existing(source)
        with open_store(source) as src, open_store(target) as dst:
            with render.CountProgress(err, "copying rows", quiet=state.quiet or json_out) as progress:
                report = copy_store(src, dst, notify=progress.event)
    except ParallaxError as exc:
        raise fail(exc)
    if json_out:
        print_json({"same": report.same, "source_checksum": report.source_checksum,
                    "target_checksum": report.target_checksum,
                    "tables": {t: {"source": a, "target": b} for t, (a, b) in report.tables.items()}})
    elif not state.quiet:
        articles = report.tables["articles"]
        err.print(f"{articles[1]} article version(s) and {sum(b for _a, b in report.tables.values())}"
                  f" rows copied; checksum {report.target_checksum[:16]} "
                  f"{'matches' if report.same else 'DIFFERS from'} the source's")
    if not report.same:
        raise typer.Exit(EXIT_STORE)
