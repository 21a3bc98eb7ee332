"""One exception tree. Each error has a code, a message and advice, and prints as one line.

    ParallaxError
    ├── ConfigError            bad settings or options                 E0xx
    ├── InputError             a file, line or URL that cannot be read E1xx
    │   └── FetchError         network problems                        E15x
    ├── StoreError             the database                            E2xx
    │   └── NotFoundError      no such article or story                E204
    └── ModelError             a model file that cannot be loaded      E3xx
"""

from __future__ import annotations


class ParallaxError(Exception):
    code = "E000"
    advice = ""

    def __init__(self, message: str, *, advice: str | None = None, code: str | None = None):
        super().__init__(message)
        self.message = message
        if advice is not None:
            self.advice = advice
        if code is not None:
            self.code = code

    def one_line(self) -> str:
        tail = f" ({self.advice})" if self.advice else ""
        return f"{self.message}{tail} [{self.code}]"

    def __str__(self) -> str:
        return self.one_line()


class ConfigError(ParallaxError):
    code = "E001"


class InputError(ParallaxError):
    """An input that cannot be read. ``source`` is a path or URL, ``line`` is 1-based."""

    code = "E100"

    def __init__(self, source: str, message: str, *, line: int | None = None,
                 advice: str | None = None, code: str | None = None):
        super().__init__(message, advice=advice, code=code)
        self.source = source
        self.line = line

    def one_line(self) -> str:
        where = f"{self.source}:{self.line}" if self.line is not None else self.source
        return f"{where}: {super().one_line()}"


class FetchError(InputError):
    code = "E150"


class StoreError(ParallaxError):
    code = "E200"


class NotFoundError(StoreError):
    code = "E204"


class ModelError(ParallaxError):
    """A model (a file Parallax runs, such as the sentence-pair model) that cannot be used."""

    code = "E300"
