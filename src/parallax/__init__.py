"""Parallax: turn many outlets' reports of one event into stories and compare their facts."""

__version__ = "0.1.0"
