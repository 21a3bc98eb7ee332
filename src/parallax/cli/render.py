"""Rich rendering for the CLI. Untrusted text is always printed with markup off."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.progress import (BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn,
                           TimeRemainingColumn)
from rich.table import Table

from ..store import Outcome


class IngestProgress:
    """Progress over inputs and, for a streamed archive over 1 MB, over its bytes with an
    ETA; problems are printed as they happen, one line each."""

    def __init__(self, console: Console, *, quiet: bool):
        self.console = console
        self.quiet = quiet
        self.progress = Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
                                 TextColumn("{task.fields[amount]}"), TimeRemainingColumn(),
                                 TextColumn("{task.fields[counts]}"), console=console,
                                 transient=True, disable=quiet or not console.is_terminal)
        self.task = None
        self.bytes_task = None
        self.inputs = 0
        self.total = 0
        self.stored = 0
        self.skipped = 0

    def __enter__(self) -> "IngestProgress":
        self.progress.__enter__()
        self.task = self.progress.add_task("reading", total=None, counts="", amount="")
        return self

    def __exit__(self, *exc) -> None:
        self.progress.__exit__(*exc)

    def event(self, kind: str, payload) -> None:
        if kind == "problem":
            self.console.print(f"skipped: {payload}", markup=False, highlight=False, style="yellow")
        elif kind == "inputs":
            self.total = payload
            self.progress.update(self.task, total=payload or None)
        elif kind == "source":
            self.inputs += 1
            of = f"/{self.total}" if self.total else ""
            self.progress.update(self.task, description=_short(payload.name),
                                 amount=f"input {self.inputs}{of}", completed=self.inputs - 1)
            if self.bytes_task is not None:
                self.progress.remove_task(self.bytes_task)
                self.bytes_task = None
        elif kind == "position":
            done, total = payload
            if self.bytes_task is None and total and total > 1_000_000:
                self.bytes_task = self.progress.add_task("  read", total=total, counts="",
                                                         amount="")
            if self.bytes_task is not None:
                self.progress.update(self.bytes_task, completed=min(done, total),
                                     amount=f"{done / 1e6:,.1f}/{total / 1e6:,.1f} MB")
        elif kind == "skipped":
            self.skipped += 1
            self._counts()
        elif kind == "result":
            result, _article = payload
            if result.outcome != Outcome.DUPLICATE:
                self.stored += 1
            self._counts()

    def _counts(self) -> None:
        skipped = f", {self.skipped} already stored" if self.skipped else ""
        self.progress.update(self.task, counts=f"{self.stored} stored{skipped}")


class CountProgress:
    """A progress bar for work over a known number of items ('relinked', (done, total))."""

    def __init__(self, console: Console, description: str, *, quiet: bool):
        self.description = description
        self.progress = Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
                                 MofNCompleteColumn(), console=console, transient=True,
                                 disable=quiet or not console.is_terminal)
        self.task = None

    def __enter__(self) -> "CountProgress":
        self.progress.__enter__()
        self.task = self.progress.add_task(self.description, total=None)
        return self

    def __exit__(self, *exc) -> None:
        self.progress.__exit__(*exc)

    def event(self, kind: str, payload) -> None:
        """(done, total) of the work named ``kind`` (the bar takes that name)."""
        done, total = payload
        self.progress.update(self.task, completed=done, total=total, description=kind)


class StoriesProgress(CountProgress):
    """The stories stage's progress, and what it said besides (``stories.assign``): which
    batch method ran and why, and why an update settled."""

    def __init__(self, console: Console, *, quiet: bool = False):
        super().__init__(console, "clustering", quiet=quiet)
        self.method: tuple[str, str] | None = None
        self.settled: str | None = None

    def event(self, kind: str, payload) -> None:
        if kind == "batch method":
            self.method = tuple(payload)
        elif kind == "settle":
            self.settled = payload
        else:
            super().event(kind, payload)

    def how(self) -> str:
        """' (batch: METHOD; WHY)', with what settled the stories when they were; '' when
        no batch ran."""
        if not self.method:
            return ""
        settled = f"settled in batch: {self.settled}; " if self.settled else ""
        return f" ({settled}batch: {self.method[0]}; {self.method[1]})"

    def settle_json(self) -> dict | None:
        """``stories_settled`` of ``ingest --json``: why, and the batch method that ran."""
        if not self.settled:
            return None
        return {"why": self.settled, "method": self.method[0], "method_why": self.method[1]}

    def say_settled(self) -> None:
        """The line an ingest prints when the stories were settled in batch."""
        if self.settled:
            method, why = self.method
            self.progress.console.print(f"stories settled in batch ({self.settled}; batch: {method}; {why}); "
                               "`parallax cluster --rebuild` does it on demand",
                               markup=False, highlight=False)


def _short(name: str, width: int = 40) -> str:
    return escape(name if len(name) <= width else "…" + name[-width + 1:])


def ingest_summary(console: Console, report) -> None:
    parts = [f"{report.stored.total} stored"]
    if report.new_versions:
        parts.append(f"{report.new_versions.total} new version(s)")
    dup = report.duplicates.total
    parts.append(f"{dup} already stored" if dup else "0 already stored")
    parts.append(f"{report.problems.total} problem(s)")
    line = ", ".join(parts)
    if dup and not report.stored and not report.new_versions:
        line += " — nothing new: every article was already in the store"
    if report.interrupted:
        line = "interrupted; " + line + " (everything counted as stored is safe)"
    console.print(line, markup=False, highlight=False)


def articles_table(console: Console, rows: list[dict], total: int | None, *, offset: int = 0,
                   more: bool = False) -> None:
    if total is not None:
        title = f"{len(rows)} of {total} articles" + (f" (from {offset + 1})" if offset else "")
    else:
        title = f"{len(rows)} matching articles" + (" (more: raise --limit)" if more else "")
    table = Table(title=title, title_justify="left")
    table.add_column("id", no_wrap=True, min_width=16)
    table.add_column("date", no_wrap=True, min_width=10)
    table.add_column("outlet", max_width=24, overflow="ellipsis", no_wrap=True)
    table.add_column("credited", max_width=20, overflow="ellipsis", no_wrap=True)
    table.add_column("title", max_width=70, overflow="ellipsis", no_wrap=True)
    for r in rows:
        date = r["date"] or "—"
        if r["date"] and r["date_source"]:
            date += f" ({r['date_source']})"
        table.add_row(escape(r["id"]), escape(date), escape(r["outlet"] or "—"),
                      escape(r["credited_source"] or "—"), escape(r["display_title"]))
    console.print(table)


def article_detail(console: Console, a: dict) -> None:
    console.rule(escape(a["display_title"]))
    for key in ("id", "outlet", "credited_source", "author", "url", "date", "date_source",
                "lang", "version", "origin", "story"):
        if a.get(key) not in (None, ""):
            console.print(f"[bold]{key}[/]: {escape(str(a[key]))}")
    extra = {k: v for k, v in a["metadata"].items()}
    for key, value in extra.items():
        console.print(f"[bold]{escape(key)}[/]: {escape(str(value))}")
    console.print()
    console.print(a["text"], markup=False, highlight=False)
    if a["edits"]:
        console.print()
        console.rule(f"{len(a['edits'])} edit(s) by the cleaner")
        print_edits(console, a["edits"], a["raw_text"])
    if a.get("analysed"):
        understanding(console, a)


def _sref(item: dict) -> str:
    """'[s3]': the sentence an item comes from (escaped for Rich)."""
    return escape(f"[s{item['sentence']}]")


def understanding(console: Console, a: dict) -> None:
    console.print()
    console.rule(f"{len(a['sentences'])} sentences · language {a.get('lang') or '?'}"
                 + ("" if a["entity_tagged"] else " · not entity-tagged"))
    if a["entities"]:
        console.print("[bold]entities[/]")
        for e in a["entities"]:
            others = [x for x in e["aliases"] if x != e["name"]]
            console.print(f"  {escape(e['label']):<8} {escape(e['name'])}"
                          + (f"  [dim]aka {escape('; '.join(others))}[/]" if others else ""))
    if a["quotes"]:
        console.print("[bold]quotes[/]")
        for q in a["quotes"]:
            who = q["speaker"] or "unknown speaker"
            if q["role"]:
                who = f"{q['role']} {who}"
            how = "inferred" if q["attribution"] != "explicit" else (q["verb"] or "")
            console.print(f"  {_sref(q)} {escape(who)} ({escape(how)}): “{escape(_clip(q['text'], 90))}”")
    if a["numbers"]:
        console.print("[bold]numbers[/]")
        for n in a["numbers"]:
            bound = " (at most)" if n["upper"] is not None else " (at least)" if n["lower"] is not None else ""
            what = " ".join(x for x in (n["unit"], n["counted"]) if x)
            console.print(f"  {_sref(n)} {n['value']:g}{escape(bound)} {escape(what)}  [dim]{escape(n['text'])}[/]")
    if a["times"]:
        console.print("[bold]times[/]")
        for t in a["times"]:
            console.print(f"  {_sref(t)} {escape(t['text'])} -> {t['value'] or '?'} "
                          f"({t['precision'] or '?'}; {escape(t['resolved_from'])})")


def print_edits(console: Console, edits: list[dict], raw_text: str = "") -> None:
    """One line per edit: where, which rule, and the change in its context in the raw text,
    marked like wdiff: [-removed-] {+added+}."""
    for e in edits:
        before, after = e["before"], e["after"]
        if len(before) <= 40 and raw_text:
            left = raw_text[max(0, e["start"] - 25): e["start"]].rsplit("\n", 1)[-1]
            right = raw_text[e["end"]: e["end"] + 25].split("\n", 1)[0]
            change = escape(left)
            if before:
                change += f"[red]\\[-{escape(_show(before))}-][/]"
            if after:
                change += f"[green]{{+{escape(_show(after))}+}}[/]"
            change += escape(right)
        else:
            change = f"[red]\\[-{escape(_clip(_show(before)))}-][/]"
            if after:
                change += f" [green]{{+{escape(_clip(_show(after)))}+}}[/]"
        console.print(f"[dim]{e['start']:>6}-{e['end']:<6}[/] [cyan]{escape(e['rule']):<12}[/] {change}")


def _show(text: str) -> str:
    """Make invisible edits visible: newlines as ⏎, an inserted space as ␣."""
    return text.replace("\n", "⏎") if text.strip() else text.replace(" ", "␣").replace("\n", "⏎")


def _clip(text: str, width: int = 100) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def stories_table(console: Console, rows: list[dict], *, total: int | None = None,
                  offset: int = 0) -> None:
    total = len(rows) if total is None else total
    title = f"{len(rows)} of {total} stories" + (f" (from {offset + 1})" if offset else "")
    table = Table(title=title, title_justify="left")
    table.add_column("id", no_wrap=True, min_width=12)
    table.add_column("size", justify="right", no_wrap=True, min_width=4)
    table.add_column("sources", justify="right", no_wrap=True, min_width=7)
    table.add_column("dates", no_wrap=True, min_width=23)
    table.add_column("outlets", max_width=24, overflow="ellipsis", no_wrap=True)
    table.add_column("title", min_width=30, max_width=70, overflow="ellipsis", no_wrap=True)
    for r in rows:
        dates = r["first_date"] or "—"
        if r["last_date"] and r["last_date"] != r["first_date"]:
            dates += f" … {r['last_date']}"
        table.add_row(r["id"], str(r["size"]), str(r["independent_sources"]), dates,
                      escape(", ".join(r["outlets"])), escape(r["title"]))
    console.print(table)


CELLS = {"states": ("●", "green"), "conflicts": ("✕", "red"), "differs": ("≠", "magenta"),
         "silent": ("·", "dim")}


MATRIX_SINGLE = 8  # single-source rows `show` keeps in the matrix (the facts list has them all)


def outlet_matrix(console: Console, m: dict) -> None:
    """Which outlet said what: facts x sources, ● states, ✕ conflicts, ≠ differs, · silent."""
    table = Table(title="Which outlet said what  (● states  ✕ tells it otherwise  ≠ dates "
                  "it differently  · silent)", title_justify="left", show_lines=False)
    table.add_column("fact", max_width=60, overflow="ellipsis", no_wrap=True)
    for src in m["sources"]:
        table.add_column(escape(src), justify="center", max_width=14, overflow="ellipsis", no_wrap=True)
    rows = [r for r in m["rows"] if r["status"] != "single_source"]
    rows += [r for r in m["rows"] if r["status"] == "single_source"][:MATRIX_SINGLE]
    for row in rows:
        cells = [f"[{CELLS[c][1]}]{CELLS[c][0]}[/]" for c in row["cells"]]
        table.add_row(escape(row["text"]), *cells)
    console.print()
    console.print(table)
    more = m["more"] + len(m["rows"]) - len(rows)
    if more:
        console.print(f"  [dim]… {more} more facts, each from one source (listed above; --json has the matrix)[/]")


BADGES = {"corroborated": "green", "single_source": "yellow", "conflict": "red", "differs": "magenta"}
SINGLE_FACTS = 40  # single-source facts `show` lists unless --all


def story_detail(console: Console, s: dict, *, single_limit: int | None = SINGLE_FACTS) -> None:
    """A story as text. At most ``single_limit`` single-source facts are listed (None: all);
    the rest are counted, never dropped silently."""
    # Here, not at the top: a lookup (`article`, `stories`) must not import the comparison.
    from ..compare.report import brief_flag, date_flag, findings_shown, similar_label, status_label

    console.rule(escape(s["title"]))
    console.print(f"[bold]id[/]: {s['id']}   [bold]articles[/]: {s['size']}   "
                  f"[bold]independent sources[/]: {s['independent_sources']}   "
                  f"[bold]dates[/]: {s['first_date'] or '—'} … {s['last_date'] or '—'}")
    for n in s.get("notices") or []:
        console.print(f"[yellow]note[/]: {escape(n['text'])}")
    if s.get("brief"):
        console.print("\n[bold]Brief[/]")
        for b in s["brief"]:
            cites = ", ".join(sorted({c["source"] for c in b["citations"]}))
            flag = f" [bold yellow]({escape(brief_flag(b))})[/]" if b.get("flag") else ""
            console.print(f"  {escape(b['text'])} [dim]\\[{escape(cites)}][/]{flag}")
    if s.get("facts"):
        console.print("\n[bold]Facts[/]")
        single = 0
        for f in s["facts"]:
            if f["status"] == "single_source":
                single += 1
                if single_limit is not None and single > single_limit:
                    continue
            badge = status_label(f)
            console.print(f"  [{BADGES.get(f['status'], 'white')}]{badge:<16}[/] {escape(_clip(f['text'], 110))} "
                          f"[dim]{escape(', '.join(f['sources']))}[/]")
            for finding in findings_shown(f):
                console.print(f"      [bold]{escape(finding['type'])}[/]: {escape(finding['why'])}")
                console.print(f"        {escape(finding['a']['source'])}: {escape(_clip(finding['a']['text'], 100))}")
                console.print(f"        {escape(finding['b']['source'])}: {escape(_clip(finding['b']['text'], 100))}")
            for near in f.get("told_similarly") or []:
                console.print(f"      [dim]{escape(similar_label(near))}: {escape(near['source'])}: "
                              f"{escape(_clip(near['text'], 90))}[/]")
        if single_limit is not None and single > single_limit:
            console.print(f"  [dim]… and {single - single_limit} more reported by one source only "
                          "(--all lists them)[/]")
    if s.get("matrix") and s["matrix"]["rows"] and len(s["matrix"]["sources"]) > 1:
        outlet_matrix(console, s["matrix"])
    if s.get("timeline"):
        console.print("\n[bold]Timeline[/]")
        for t in s["timeline"]:
            cites = ", ".join(sorted({c["source"] for c in t["citations"]}))
            label = date_flag(t)
            color = "red" if label and t["conflict"]["certain"] else "yellow"
            flag = f" [{color}]({escape(label)})[/]" if label else ""
            console.print(f"  {t['date']:<10} [dim]{t['precision']:<5}[/] {escape(_clip(t['text'], 90))} "
                          f"[dim]\\[{escape(cites)}][/]{flag}")
    console.print("\n[bold]Sources[/]")
    for n, members in enumerate((g["articles"] for g in s["sources"]), start=1):
        console.print(f"  source {n}" + (f" ({len(members)} articles: one outlet, or copies of one report)" if len(members) > 1 else ""))
        for a in members:
            console.print(f"    {a['id']}  {escape(a['date'] or '—')}  "
                          f"{escape(a['outlet'] or a['credited_source'] or a['origin'])}  "
                          f"{escape(a['display_title'])}")


def cleaning(console: Console, r: dict) -> None:
    console.rule(escape(r["metadata"].get("title") or r["origin"]))
    console.print(r["text"], markup=False, highlight=False)
    console.print()
    meta = {k: v for k, v in r["metadata"].items() if k != "title"}
    if meta:
        console.rule("recovered metadata")
        for key, value in meta.items():
            console.print(f"[bold]{escape(key)}[/]: {escape(str(value))}")
    console.rule(f"{len(r['edits'])} edit(s)")
    print_edits(console, r["edits"], r["raw_text"])


def metrics(console: Console, data: dict, title: str) -> None:
    table = Table(title=escape(title), title_justify="left")
    table.add_column("metric")
    table.add_column("value", justify="right")
    for key, value in data.items():
        table.add_row(key, f"{value:.3f}" if isinstance(value, float) else str(value))
    console.print(table)
