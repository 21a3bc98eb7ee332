"""Self-contained reports of one story: Markdown, HTML (inline CSS, no scripts) and JSON."""

from __future__ import annotations

import html as _html
import json
from typing import Any

from .compare.report import date_flag


def as_json(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _cites(citations: list[dict]) -> str:
    return ", ".join(f"{c['source']} (article {c['article']}"
                     + (f", sentence {c['sentence']}" if c.get("sentence") is not None else "") + ")"
                     for c in citations)


def markdown(d: dict[str, Any]) -> str:
    lines = [f"# {d['title']}", "",
             f"{d['size']} articles, {d['independent_sources']} independent sources, "
             f"{d['first_date'] or 'undated'} – {d['last_date'] or 'undated'}.", "", "## Brief", ""]
    for b in d["brief"]:
        lines.append(f"- {b['text']} [{_cites(b['citations'])}]")
    lines += ["", "## Facts", ""]
    for f in d["facts"]:
        badge = f["status"] + (f" ({f['independent_sources']} sources)" if f["status"] == "corroborated" else "")
        lines.append(f"- **{badge}**: {f['text']} — {', '.join(f['sources'])}")
        finding = f["conflict"] or f.get("difference")
        if finding:
            lines.append(f"  - {finding['type']}: {finding['why']}")
            lines.append(f"    - {finding['a']['source']}: {finding['a']['text']}")
            lines.append(f"    - {finding['b']['source']}: {finding['b']['text']}")
    lines += ["", "## Timeline", ""]
    for t in d["timeline"]:
        flag = f" ({date_flag(t)})" if date_flag(t) else ""
        lines.append(f"- {t['date']} ({t['precision']}){flag}: {t['text']} [{_cites(t['citations'])}]")
    lines += ["", "## Sources", ""]
    for a in d["articles"]:
        lines.append(f"- {a['id']}: {a['outlet'] or a['credited_source'] or a['origin']}, "
                     f"{a['date'] or 'undated'}, {a['title'] or '(untitled)'}")
    return "\n".join(lines) + "\n"


CSS = ("body{font:16px/1.5 system-ui,sans-serif;max-width:900px;margin:2em auto;padding:0 1em;color:#1b1f23}"
       ".b{display:inline-block;padding:0 8px;border-radius:10px;font-size:13px;font-weight:600}"
       ".corroborated{background:#e7f3ea;color:#1a7f37}.single_source{background:#fff4d6;color:#7a5a00}"
       ".conflict{background:#ffe3e3;color:#8a1f1f}.cite{color:#5c6670;font-size:13px}"
       "td{vertical-align:top;padding:4px 8px;border-bottom:1px solid #d8dde3}")


def html(d: dict[str, Any]) -> str:
    e = _html.escape
    parts = [f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{e(d['title'])}</title>"
             f"<style>{CSS}</style></head><body><h1>{e(d['title'])}</h1>",
             f"<p>{d['size']} articles · {d['independent_sources']} independent sources · "
             f"{e(d['first_date'] or 'undated')} – {e(d['last_date'] or 'undated')}</p><h2>Brief</h2><ul>"]
    for b in d["brief"]:
        parts.append(f"<li>{e(b['text'])} <span class='cite'>[{e(_cites(b['citations']))}]</span></li>")
    parts.append("</ul><h2>Facts</h2><ul>")
    for f in d["facts"]:
        parts.append(f"<li><span class='b {f['status']}'>{e(f['status'])}"
                     f"{' ×' + str(f['independent_sources']) if f['status'] == 'corroborated' else ''}</span> "
                     f"{e(f['text'])} <span class='cite'>{e(', '.join(f['sources']))}</span>")
        finding = f["conflict"] or f.get("difference")
        if finding:
            parts.append(f"<table><tr><td colspan='2'><b>{e(finding['type'])}</b>: {e(finding['why'])}</td></tr>"
                         f"<tr><td>{e(finding['a']['source'])}: {e(finding['a']['text'])}</td>"
                         f"<td>{e(finding['b']['source'])}: {e(finding['b']['text'])}</td></tr></table>")
        parts.append("</li>")
    parts.append("</ul><h2>Timeline</h2><ul>")
    for t in d["timeline"]:
        flag = f" <span class='b conflict'>{e(date_flag(t))}</span>" if date_flag(t) else ""
        parts.append(f"<li><b>{e(t['date'])}</b> ({e(t['precision'])}){flag}: {e(t['text'])} "
                     f"<span class='cite'>[{e(_cites(t['citations']))}]</span></li>")
    parts.append("</ul><h2>Sources</h2><ul>")
    for a in d["articles"]:
        parts.append(f"<li>{e(a['outlet'] or a['credited_source'] or a['origin'])}, "
                     f"{e(a['date'] or 'undated')}: {e(a['title'] or '(untitled)')}</li>")
    parts.append("</ul></body></html>\n")
    return "".join(parts)
