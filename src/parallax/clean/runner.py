"""Placeholder runner (replaced by the rule set of the cleaning issue)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..records import Edit


@dataclass(frozen=True)
class CleanResult:
    text: str
    edits: tuple[Edit, ...] = ()
    metadata: dict[str, Any] = field(default_factory=dict)


def rule_names() -> list[str]:
    return []


def clean_text(text: str, *, title: str | None = None, disabled=()) -> CleanResult:
    return CleanResult(text=text)
