"""Demonyms and their places: 'Russian counterpart' and 'Russia's involvement' speak of one
country. spaCy tags the first NORP and the second GPE, so linking gives them two canonical
entities; comparing statements, the demonym counts as its place when the story names it."""

from __future__ import annotations

from collections.abc import Iterable

from ..records import CanonicalEntity as Canonical

# Demonyms no suffix rule reaches, and the names their place goes by.
IRREGULAR = {
    "american": ("united states", "america", "us", "u.s.", "usa"),
    "british": ("united kingdom", "britain", "great britain", "uk", "u.k."),
    "english": ("england",), "scottish": ("scotland",), "welsh": ("wales",), "irish": ("ireland",),
    "french": ("france",), "dutch": ("netherlands",), "spanish": ("spain",),
    "polish": ("poland",), "swiss": ("switzerland",), "greek": ("greece",),
    "danish": ("denmark",), "swedish": ("sweden",), "finnish": ("finland",),
    "norwegian": ("norway",), "thai": ("thailand",), "filipino": ("philippines",),
    "lebanese": ("lebanon",), "emirati": ("united arab emirates", "uae"),
    "soviet": ("soviet union", "ussr"), "kiwi": ("new zealand",),
}
SUFFIXES = ("", "n", "an", "ian", "ean", "ese", "ish", "i", "ic")
PLACE_LABELS = frozenset({"GPE", "LOC"})


def stems(place: str) -> set[str]:
    """What a demonym of ``place`` starts with: 'russia' (Russian), 'ukrain' (Ukrainian),
    'chin' (Chinese), 'turk' (Turkish), 'uzbek' (Uzbekistan)."""
    out = {place}
    if place.endswith(("a", "e", "o", "y")):
        out.add(place[:-1])
    if place.endswith("ey"):
        out.add(place[:-2])
    for tail in ("istan", "stan"):
        if place.endswith(tail) and len(place) > len(tail) + 2:
            out.add(place[: -len(tail)])
    return out


def is_demonym_of(demonym: str, place: str) -> bool:
    """Whether ``demonym`` ('Russian', 'Russians', 'American') names the people of ``place``."""
    d, p = demonym.lower().strip(), place.lower().strip()
    if " " in d or len(d) < 4:
        return False
    if d.endswith("s") and not d.endswith("ss"):
        d = d[:-1]  # 'Russians', 'Israelis', 'Americans'
    if p in IRREGULAR.get(d, ()):
        return True
    return any(d.startswith(stem) and d[len(stem):] in SUFFIXES and len(stem) >= 4
               for stem in stems(p))


def demonym_links(entities: Iterable[Canonical]) -> dict[str, str]:
    """NORP entity id -> the id of the place it is the demonym of, among ``entities`` (one
    story's); a demonym that fits two places, or none, is left alone."""
    ents = {e.id: e for e in entities}
    places = [e for e in ents.values() if e.label in PLACE_LABELS]
    out = {}
    for e in ents.values():
        if e.label != "NORP":
            continue
        names = {e.name, *e.aliases}
        fits = sorted({p.id for p in places
                       if any(is_demonym_of(n, m) for n in names for m in (p.name, *p.aliases))})
        if len(fits) == 1:
            out[e.id] = fits[0]
    return out
