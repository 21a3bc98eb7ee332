"""The command-line face: parses, calls the pipeline and the store, renders with Rich."""

from .app import app, main

__all__ = ["app", "main"]
