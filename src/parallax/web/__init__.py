"""The web face: server-rendered pages and a JSON API over the same store and views."""

from .app import create_app

__all__ = ["create_app"]
