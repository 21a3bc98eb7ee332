"""Evaluation: clustering metrics and the harness behind ``parallax eval``. It reaches the
code it evaluates only through public entry points."""
