"""Metadata that sits inside the text: photo captions and credits, author bios and bylines,
"Source:" lines and wire-agency signatures. They leave the body and become metadata."""

from __future__ import annotations

import re

from ..textutil import PHOTO_CREDIT_RE
from .base import Change, Context, Line, nonblank, remove
from .boilerplate import strip_prompts
from .glue import repair_string

# Wire agencies, with the name to record for each spelling.
WIRES = {
    "EFE": "EFE", "Efe": "EFE", "Reuters": "Reuters", "AP": "AP", "Associated Press": "AP",
    "The Associated Press": "AP", "AFP": "AFP", "Agence France-Presse": "AFP",
    "Agence France Presse": "AFP", "dpa": "dpa", "DPA": "dpa", "ANSA": "ANSA",
    "Xinhua": "Xinhua", "TASS": "TASS", "Tass": "TASS", "PTI": "PTI",
    "Press Trust of India": "PTI", "IANS": "IANS", "ANI": "ANI", "UPI": "UPI", "Kyodo": "Kyodo",
    "Yonhap": "Yonhap", "Anadolu": "Anadolu", "Anadolu Agency": "Anadolu",
    "Interfax": "Interfax", "RIA Novosti": "RIA Novosti", "Sputnik": "Sputnik",
    "Europa Press": "Europa Press", "Bloomberg": "Bloomberg", "AAP": "AAP", "Bernama": "Bernama",
    "Antara": "Antara", "PA": "PA", "PA Media": "PA", "Canadian Press": "CP",
    "The Canadian Press": "CP", "Ukrinform": "Ukrinform", "Notimex": "Notimex",
}
_WIRE_ALT = "|".join(re.escape(w) for w in sorted(WIRES, key=len, reverse=True))
_WIRE_LINE = re.compile(
    rf"^[(\[—–-]*\s*(?:with|con|avec|mit|by)?\s*(?:{_WIRE_ALT})(?:\s*[/,&+]\s*(?:{_WIRE_ALT}))*"
    rf"\s*[)\]]?\s*\.?$")
_WIRE_NAMES = re.compile(rf"(?<![\w-])({_WIRE_ALT})(?![\w-])")
_WIRE_TAIL = re.compile(rf"(?<=[.!?”\"])\s+[(\[]?\s*(?:[-–—]\s*)?({_WIRE_ALT})\s*[)\]]?\s*$")
_DATELINE = re.compile(rf"^[A-Z][A-Za-z .,'-]{{1,40}}?(?:,?\s+\w+\.?\s+\d{{1,2}})?\s*\(\s*({_WIRE_ALT})\s*\)\s*[-–—:.]")
_SOURCE_LINE = re.compile(
    r"^(?:Source|Sources|Fuente|Fonte|Quelle|Credit|Courtesy|Originally published (?:by|in|at))"
    r"\s*[:—–-]\s*(.{2,80}?)\s*\.?$", re.IGNORECASE)
_NAME = r"[A-Z][\w'’.-]+(?:\s+(?:[A-Z][\w'’.-]+|de|da|van|von|der|del|di|le|la|bin|al))*"
_BYLINE = re.compile(rf"^(?:By|BY|Por|Written by|Reporting by)\s+({_NAME}(?:\s+(?:and|&)\s+{_NAME})?)\s*(?:[,|–—-].{{0,60}})?$")
_BIO = [
    re.compile(rf"^(?:I am|I'm|My name is)\s+({_NAME})\s*[,.]?\s.{{0,300}}?\b(?:journalist|reporter|writer|editor|author|correspondent|columnist|blogger|media|news)"),
    re.compile(rf"^({_NAME}) is an? (?:[\w-]+\s+){{0,6}}?(?:journalist|reporter|writer|editor|correspondent|columnist|contributor|freelancer|author)\b"),
    re.compile(r"^About the authors?\b", re.IGNORECASE),
]
TAIL = 4  # credits and bios are looked for in the last lines only
HEAD = 3  # bylines and captions of the lead photo in the first lines


def strip_captions(text: str, ctx: Context) -> list[Change]:
    changes = []
    captions = ctx.metadata.setdefault("captions", [])
    for line in nonblank(text):
        s = line.text.strip()
        if len(s) > 400 or not PHOTO_CREDIT_RE.search(s) or s.count('"') + s.count("“") >= 2:
            continue
        captions.append(split_caption(s))
        changes.append(remove(line))
    if not captions:
        del ctx.metadata["captions"]
    return changes


_CREDIT_TAIL = re.compile(
    r"\s*(?:((?:[A-Z][\w'’.-]+\s){1}[A-Z][\w'’.-]+)\s*\|\s*(.+)"  # "Name Surname | Reuters"
    r"|\((\w[\w ]*(?:Photo)?(?:/[^)]*)?)\)"  # "(AP Photo/Jane Doe)"
    r"|(?:Photo|Foto|Image|Picture|Credit)s?\s*(?::|by)\s*(.+))\s*$", re.IGNORECASE)


def split_caption(s: str) -> dict[str, str]:
    m = _CREDIT_TAIL.search(s)
    if not m:
        return {"text": s, "credit": ""}
    credit = s[m.start():].strip()
    return {"text": s[: m.start()].strip(), "credit": credit}


def strip_bios(text: str, ctx: Context) -> list[Change]:
    """Author bios at the end, bylines at the top: the name becomes the author."""
    changes = []
    rows = nonblank(text)
    for line in rows[:HEAD]:
        m = _BYLINE.match(line.text.strip())
        if m and len(line.text.split()) <= 14:
            ctx.metadata.setdefault("author", m.group(1))
            ctx.metadata["byline"] = line.text.strip()
            changes.append(remove(line))
            break
    tail = rows[-TAIL:] if len(rows) > TAIL else rows[1:]
    for i, line in enumerate(tail):
        s = line.text.strip()
        for pattern in _BIO:
            m = pattern.match(s)
            if m:
                if m.groups():
                    ctx.metadata["author"] = m.group(1)
                ctx.metadata["author_bio"] = "\n".join(x.text.strip() for x in tail[i:])
                return changes + [remove(x) for x in tail[i:]]
    return changes


def strip_credits(text: str, ctx: Context) -> list[Change]:
    """"Source: ..." lines and wire signatures (start or end) become the credited source;
    'Read more', share and subscribe lines go too."""
    changes = strip_prompts(text, ctx)
    taken = {c.start for c in changes}
    rows = [ln for ln in nonblank(text) if ln.start not in taken]
    if not rows:
        return changes
    for line in rows[-TAIL:]:
        s = line.text.strip()
        m = _SOURCE_LINE.match(s)
        if m:
            ctx.metadata["credited_source"] = repair_string(m.group(1).strip(), ctx.lexicon)
            changes.append(remove(line))
        elif _WIRE_LINE.match(s):
            _record_wires(ctx, s)
            changes.append(remove(line))
    first = rows[0]
    if _WIRE_LINE.match(first.text.strip()) and len(rows) > 1:
        _record_wires(ctx, first.text)
        changes.append(remove(first))
    else:
        m = _DATELINE.match(first.text.strip())
        if m:  # "MOSCOW (Reuters) - ...": keep the text as published, record the wire
            _record_wires(ctx, m.group(1))
    last = rows[-1]
    if not any(c.start == last.start for c in changes):
        m = _WIRE_TAIL.search(last.text)
        if m:
            _record_wires(ctx, m.group(1))
            changes.append(Change(last.start + m.start(), last.start + len(last.text), ""))
    if "wire" in ctx.metadata and "credited_source" not in ctx.metadata:
        ctx.metadata["credited_source"] = ctx.metadata["wire"]
    return changes


def _record_wires(ctx: Context, s: str) -> None:
    names = []
    for m in _WIRE_NAMES.finditer(s):
        name = WIRES[m.group(1)]
        if name not in names:
            names.append(name)
    if names:
        ctx.metadata["wire"] = "/".join(names)


def strip_repeated(text: str, ctx: Context) -> list[Change]:
    """A paragraph that appears again later (scrapers duplicate blocks): keep the first."""
    seen: set[str] = set()
    changes = []
    for line in nonblank(text):
        key = " ".join(line.text.split()).casefold()
        if len(key) < 40:
            continue
        if key in seen:
            changes.append(remove(line))
        seen.add(key)
    return changes


def _squash(s: str) -> str:
    return re.sub(r"[\W_]+", "", s.casefold())


def strip_title(text: str, ctx: Context) -> list[Change]:
    """The headline repeated as the first line of the body."""
    if not ctx.title:
        return []
    rows = nonblank(text)
    for line in rows[:2]:
        if _squash(line.text) == _squash(ctx.title):
            return [remove(line)]
    return []


__all__ = ["strip_captions", "strip_bios", "strip_credits", "strip_repeated", "strip_title",
           "split_caption", "WIRES", "Line"]
