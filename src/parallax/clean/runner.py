"""The rule runner: applies the rules in their fixed order and keeps the audit trail.

Each rule looks at the current text and proposes :class:`Change`s (start, end, replacement in
the current text). The runner applies them and records an :class:`~parallax.records.Edit` whose
offsets point into the *raw* text, thanks to a map from current to raw positions.
"""

from __future__ import annotations

from collections.abc import Container, Iterable
from dataclasses import dataclass, field
from typing import Any

from ..records import Edit
from .rules import RULES, Change, Context


@dataclass(frozen=True)
class CleanResult:
    text: str
    edits: tuple[Edit, ...] = ()
    metadata: dict[str, Any] = field(default_factory=dict)


def rule_names() -> list[str]:
    """The rules in the order they run."""
    return [r.name for r in RULES]


class _Doc:
    """Current text plus, for each position, the raw offset it came from."""

    def __init__(self, raw: str):
        self.text = raw
        self.origin = list(range(len(raw) + 1))

    def apply(self, rule: str, changes: Iterable[Change]) -> list[Edit]:
        """Apply one rule's changes, unless they would leave nothing of a text that had
        something: what a rule would remove whole ('Sources: Sox May Not Be Out Of Teixeira
        Chase', a headline stored as its own text, read as a credit line) is the article."""
        changes = sorted(changes, key=lambda c: (c.start, c.end))
        if not changes:
            return []
        text, origin = self.text, self.origin
        pieces: list[str] = []
        new_origin: list[int] = []
        edits: list[Edit] = []
        pos = 0
        for ch in changes:
            if ch.start < pos:  # overlapping proposals: the earlier one wins
                continue
            pieces.append(text[pos:ch.start])
            new_origin.extend(origin[pos:ch.start])
            edits.append(Edit(rule, origin[ch.start], origin[ch.end], text[ch.start:ch.end],
                              ch.replacement))
            pieces.append(ch.replacement)
            new_origin.extend([origin[ch.start]] * len(ch.replacement))
            pos = ch.end
        pieces.append(text[pos:])
        new_text = "".join(pieces)
        if text.strip() and not new_text.strip():
            return []
        new_origin.extend(origin[pos:])
        self.text = new_text
        self.origin = new_origin
        return edits


def clean_text(text: str, *, title: str | None = None, disabled: Iterable[str] = (),
               lexicon: Container[str] = frozenset()) -> CleanResult:
    """Run every enabled rule over ``text``.

    ``lexicon`` holds lower-cased words seen in the corpus (the store's vocabulary): a name
    spelled the same way elsewhere is strong evidence for glued-word repair."""
    off = set(disabled)
    unknown = off - set(rule_names())
    if unknown:
        from ..errors import ConfigError

        raise ConfigError(f"unknown cleaning rule(s): {', '.join(sorted(unknown))}",
                          advice=f"rules are {', '.join(rule_names())}")
    doc = _Doc(text)
    ctx = Context(title=title, lexicon=lexicon)
    edits: list[Edit] = []
    for rule in RULES:
        if rule.name in off:
            continue
        edits.extend(doc.apply(rule.name, rule.find(doc.text, ctx)))
    return CleanResult(text=doc.text, edits=tuple(edits), metadata=ctx.metadata)
