"""Where the batch work runs: in this process (``local``, the default) or on a Dask cluster
(``dask``). Engines are chosen by name from a registry (like stores and embedders); a stage
asks its engine to ``map`` a function over items and gets the results back in the items'
order, so a stage's output does not depend on the engine that computed it.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from ..errors import ConfigError


class Engine(ABC):
    name = "engine"
    local = True  # functions run in this process (they may be given live objects)

    @abstractmethod
    def map(self, fn: Callable[..., Any], items: Iterable[Any], *, chunk: int = 1,
            ahead: int | None = None, **shared: Any) -> Iterator[Any]:
        """``fn(item, **shared)`` for each item, yielded in the items' order. Items are taken
        from ``items`` as the work goes on (a stream is never read whole); ``chunk`` items
        go to a worker at a time, at most ``ahead`` chunks in flight per worker thread (the
        engine's default when None: fewer for large items); ``shared`` values are sent to
        each worker once."""

    def describe(self) -> str:
        """One line for the user: where the work runs (a dashboard link for Dask)."""
        return self.name

    def close(self) -> None:
        pass

    def __enter__(self) -> "Engine":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class LocalEngine(Engine):
    """Everything in this process, one item after the other, as each result is asked for."""

    name = "local"

    def map(self, fn, items, *, chunk: int = 1, ahead: int | None = None, **shared):
        return (fn(item, **shared) for item in items)


def _dask(scheduler: str | None = None, workers: int | None = None) -> Engine:
    from .dask import DaskEngine  # dask is an optional dependency

    return DaskEngine(scheduler=scheduler, workers=workers)


ENGINES: dict[str, Callable[..., Engine]] = {
    "local": lambda scheduler=None, workers=None: LocalEngine(),
    "dask": _dask,
}


def open_engine(name: str = "local", *, scheduler: str | None = None,
                workers: int | None = None) -> Engine:
    factory = ENGINES.get(name)
    if factory is None:
        raise ConfigError(f"--engine: unknown engine {name!r}",
                          advice=f"use one of: {', '.join(sorted(ENGINES))}", code="E003")
    if scheduler and name != "dask":
        raise ConfigError("--scheduler is for --engine dask", code="E003")
    return factory(scheduler=scheduler, workers=workers)
