"""Self-contained reports of one story: Markdown, HTML (inline CSS, no scripts) and JSON; and
tables of stories, facts and articles as CSV or Parquet (``parallax.tables``)."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from .compare.report import brief_flag, date_flag, findings_shown, similar_label, status_label


def as_json(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _cites(citations: list[dict]) -> str:
    return ", ".join(f"{c['source']} (article {c['article']}"
                     + (f", sentence {c['sentence']}" if c.get("sentence") is not None else "") + ")"
                     for c in citations)


MATRIX_MARK = {"states": "●", "conflicts": "✕", "differs": "≠", "silent": "·"}


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def markdown(d: dict[str, Any]) -> str:
    lines = [f"# {d['title']}", "",
             f"{d['size']} articles, {d['independent_sources']} independent sources, "
             f"{d['first_date'] or 'undated'} – {d['last_date'] or 'undated'}.", ""]
    lines += [f"> {n['text']}" for n in d.get("notices") or []]
    lines += [""] * bool(d.get("notices")) + ["## Brief", ""]
    for b in d["brief"]:
        flag = f" ({brief_flag(b)})" if b.get("flag") else ""
        lines.append(f"- {b['text']} [{_cites(b['citations'])}]{flag}")
    lines += ["", "## Facts", ""]
    for f in d["facts"]:
        badge = status_label(f)
        lines.append(f"- **{badge}**: {f['text']} — {', '.join(f['sources'])}")
        for finding in findings_shown(f):
            lines.append(f"  - {finding['type']}: {finding['why']}")
            lines.append(f"    - {finding['a']['source']}: {finding['a']['text']}")
            lines.append(f"    - {finding['b']['source']}: {finding['b']['text']}")
        for near in f.get("told_similarly") or []:
            lines.append(f"  - {similar_label(near)}: {near['source']}: {near['text']}")
    m = d.get("matrix")
    if m and m["rows"] and len(m["sources"]) > 1:
        lines += ["", "## Which outlet said what", "",
                  "states: ●, tells it otherwise: ✕, dates it differently: ≠, silent: ·", "",
                  "| fact | " + " | ".join(_md_cell(x) for x in m["sources"]) + " |",
                  "|---|" + "---|" * len(m["sources"])]
        lines += ["| " + _md_cell(r["text"]) + " | " + " | ".join(MATRIX_MARK[c] for c in r["cells"])
                  + " |" for r in m["rows"]]
        if m["more"]:
            lines.append(f"\n{m['more']} more facts, each from one source.")
    lines += ["", "## Timeline", ""]
    for t in d["timeline"]:
        label = date_flag(t)
        flag = f" ({label})" if label else ""
        lines.append(f"- {t['date']} ({t['precision']}){flag}: {t['text']} [{_cites(t['citations'])}]")
    lines += ["", "## Sources", ""]
    for a in d["articles"]:
        lines.append(f"- {a['id']}: {a['outlet'] or a['credited_source'] or a['origin']}, "
                     f"{a['date'] or 'undated'}, {a['display_title']}")
    return "\n".join(lines) + "\n"


CSS = ("body{font:16px/1.5 system-ui,sans-serif;max-width:900px;margin:2em auto;padding:0 1em;color:#1b1f23}"
       ".b{display:inline-block;padding:0 8px;border-radius:10px;font-size:13px;font-weight:600}"
       ".corroborated{background:#e7f3ea;color:#1a7f37}.single_source{background:#fff4d6;color:#7a5a00}"
       ".conflict{background:#ffe3e3;color:#8a1f1f}.differs{background:#f3e5f5;color:#6a1b9a}.cite{color:#5c6670;font-size:13px}"
       "td{vertical-align:top;padding:4px 8px;border-bottom:1px solid #d8dde3}"
       ".matrix td.states{color:#1a7f37;text-align:center}.matrix td.conflicts{color:#c62828;text-align:center}"
       ".matrix td.differs{color:#6a1b9a;text-align:center}.matrix td.silent{color:#9aa4ae;text-align:center}")


def html(d: dict[str, Any]) -> str:
    """A self-contained HTML report (inline CSS, no scripts) from ``templates/report.html``;
    Jinja2 escapes every value, so a source's text can never become markup."""
    return _template().render(d=d, css=CSS, cites=_cites, date_flag=date_flag,
                              findings_shown=findings_shown, similar_label=similar_label,
                              status_label=status_label, marks=MATRIX_MARK) + "\n"


@lru_cache(maxsize=1)
def _template():
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    env = Environment(loader=FileSystemLoader(Path(__file__).with_name("templates")),
                      autoescape=select_autoescape(default=True), keep_trailing_newline=False)
    return env.get_template("report.html")
