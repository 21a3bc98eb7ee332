"""Cleaning: small named rules in a fixed order; every change is kept as an Edit whose offsets
point into the raw text, so a reader can check everything Parallax changed."""

from __future__ import annotations

from .lexicon import Lexicon
from .runner import CleanResult, clean_text, rule_names

__all__ = ["CleanResult", "Lexicon", "clean_text", "rule_names"]
