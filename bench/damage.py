"""Inject realistic scraping damage into clean articles, with the truth of what was injected.

Independent of the cleaner: it only knows what real scraped pages look like (the seeds are the
model: a photo caption with its credit at the top, 'Source:' and wire lines, an author bio,
share prompts, duplicated paragraphs, mojibake, words glued at former link boundaries).
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field

AGENCIES = ["Reuters", "AP", "AFP", "Getty Images", "EPA", "EFE", "Xinhua", "Bloomberg"]
WIRES = ["EFE", "AFP", "Reuters", "(AP)", "(AFP)", "dpa", "Xinhua", "EFE/AFP", "ANSA"]
OUTLETS = ["La Voz de Galicia", "The Daily Courier", "El País", "Der Spiegel", "Le Monde",
           "Example News", "The Hindu", "Al Jazeera", "The Straits Times"]
FIRST = ["Amelia", "Olivier", "Maria", "John", "Priya", "Lucas", "Chen", "Fatima", "Jonas", "Ana"]
LAST = ["James", "Douliery", "Garcia", "Smith", "Raman", "Silva", "Wei", "Haddad", "Berg", "Costa"]
SHARE = ["Share this article", "Share on Facebook", "Share", "Read more: {headline}",
         "Related: {headline}", "Subscribe to our newsletter", "Follow us on Twitter",
         "Sign up for our daily briefing", "Advertisement", "Home | World | Politics | Business | Sport",
         "© 2019 {outlet}. All rights reserved.", "Click here to subscribe", "Facebook Twitter Email",
         "Skip to main content", "Most Read", "Don't miss: {headline}"]
BIOS = ["I am {name}, a passionate journalist with a deep-rooted interest in current affairs. "
        "I have more than {n} years of experience in the media industry.",
        "{name} is a senior reporter covering politics and foreign affairs for {outlet}.",
        "{name} is a freelance journalist based in {city}. She has written for {outlet}.",
        "About the author: {name} has covered international news for {n} years."]
MARK = "\x00"  # where a space was removed (the text never contains NUL)
CITIES = ["Madrid", "Delhi", "Berlin", "Nairobi", "Lima", "Jakarta"]


@dataclass
class Damaged:
    text: str
    original: str
    lines: list[tuple[str, str]] = field(default_factory=list)  # (kind, injected line)
    glue: list[tuple[int, int]] = field(default_factory=list)  # (position in text, n) - space to reinsert
    mojibake: list[str] = field(default_factory=list)  # paragraphs that must come back fixed


_WORD = re.compile(r"[A-Za-z]+(?:['’][a-z]+)?")


def _glue_candidates(text: str, rng: random.Random) -> list[int]:
    """Positions of spaces where a link boundary near a name could glue two words.

    A link's text is usually a name ('Paul Whelan'), so glue happens at the edge of a name:
    the name and the next word ('Whelanan'), the previous word and the name ('withRussia'),
    and sometimes between two ordinary words within three words of a name ('weaponswith').
    Never inside a name: a link does not end between a first name and a surname.
    """
    words = list(_WORD.finditer(text))
    caps = [w.group()[0].isupper() and w.group() != "I" for w in words]
    out = []
    for i in range(len(words) - 1):
        a, b = words[i], words[i + 1]
        if text[a.end(): b.start()] != " " or "'" in a.group() or "’" in a.group():
            continue
        if caps[i] and caps[i + 1]:
            continue  # inside a name (or a headline)
        near = any(caps[j] for j in range(max(0, i - 2), min(len(words), i + 4)))
        if caps[i] or caps[i + 1]:
            out.append(a.end())
        elif near and rng.random() < 0.25:
            out.append(a.end())
    return out


def damage(article: dict, rng: random.Random, others: list[dict]) -> Damaged:
    text = article["text"].strip()
    paras = [p for p in text.split("\n") if p.strip()]
    d = Damaged(text="", original=text)
    headline = (rng.choice(others).get("title") or "More on this story").strip()
    outlet = rng.choice(OUTLETS)
    name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"

    # Glue: up to 3 boundaries near names; glue first so positions are in the body.
    body = "\n".join(paras)
    cands = _glue_candidates(body, rng)
    rng.shuffle(cands)
    chosen = sorted(cands[: rng.randint(1, 3)])
    chosen = [p for i, p in enumerate(chosen) if i == 0 or p - chosen[i - 1] > 12]
    for p in reversed(chosen):  # a sentinel marks each glue point until the end
        body = body[:p] + MARK + body[p + 1:]
    paras = body.split("\n")

    # Mojibake: one paragraph with non-ASCII characters decoded the wrong way.
    if rng.random() < 0.25:
        idx = [i for i, p in enumerate(paras) if not p.isascii()]
        if idx:
            i = rng.choice(idx)
            fixed = paras[i]
            try:
                paras[i] = fixed.encode("utf-8").decode("cp1252")
                d.mojibake.append(fixed.replace(MARK, ""))
            except UnicodeDecodeError:
                pass

    # Duplicated paragraph (a scraper repeating a block).
    if rng.random() < 0.2 and len(paras) >= 3:
        long = [p for p in paras if len(p) >= 60]
        if long:
            dup = rng.choice(long)
            at = rng.randint(paras.index(dup) + 1, len(paras))
            paras.insert(at, dup.replace(MARK, ""))  # the copy is glued too, but not a target
            d.lines.append(("repeated", dup.replace(MARK, "")))

    # Share / navigation / subscription lines anywhere.
    for _ in range(rng.choice([0, 0, 1, 1, 2, 3])):
        line = rng.choice(SHARE).format(headline=headline, outlet=outlet)
        at = rng.choice([0, len(paras), rng.randint(0, len(paras))])
        paras.insert(at, line)
        d.lines.append(("share", line))

    # Photo caption with its credit at the top.
    if rng.random() < 0.3 and others:
        src = rng.choice(others)["text"].split(". ")[0][:160].strip().rstrip(".")
        credit = rng.choice([f"{name} | {rng.choice(AGENCIES)}", f"({rng.choice(['AP', 'AFP', 'Reuters'])} Photo/{name})",
                             f"Photo: {name}/{rng.choice(AGENCIES)}"])
        line = f"{src} {credit}"
        paras.insert(0, line)
        d.lines.append(("caption", line))

    # Credit lines at the end.
    if rng.random() < 0.3:
        line = rng.choice([f"Source: {outlet}", rng.choice(WIRES)])
        paras.append(line)
        d.lines.append(("credit", line))

    # Author bio at the very end.
    if rng.random() < 0.2:
        line = rng.choice(BIOS).format(name=name, n=rng.randint(3, 20), outlet=outlet,
                                        city=rng.choice(CITIES))
        paras.append(line)
        d.lines.append(("bio", line))

    text = "\n".join(paras)
    pieces = text.split(MARK)
    pos = 0
    for piece in pieces[:-1]:
        pos += len(piece)
        d.glue.append(pos)
    d.text = "".join(pieces)
    return d
