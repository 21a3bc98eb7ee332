"""Cleaning: small named rules in a fixed order; every change is kept as an Edit."""

from __future__ import annotations

from .runner import CleanResult, clean_text, rule_names

__all__ = ["CleanResult", "clean_text", "rule_names"]
