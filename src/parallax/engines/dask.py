"""The Dask engine: batch work on a Dask cluster (``--engine dask``).

With ``--scheduler tcp://HOST:PORT`` it joins a running cluster (``dask scheduler`` and
``dask worker`` on as many machines as there are); without, it starts a ``LocalCluster`` on
this machine (one single-threaded worker process per core: the stages are pure Python and
hold the GIL). Work goes out in chunks, a bounded number in flight, and comes back in the
order it went out. Dask recomputes the tasks of a worker that dies on another worker
(``distributed.scheduler.allowed-failures`` times), so a run survives a lost worker.
"""

from __future__ import annotations

import os
import warnings
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import Any

from ..errors import ConfigError
from . import Engine

IN_FLIGHT = 3  # chunks in flight per worker thread
CONNECT_TIMEOUT = "10s"


class _Box:
    """One shared value as one piece of data (``scatter`` would send a list's or a set's
    items one by one)."""

    __slots__ = ("value",)

    def __init__(self, value: Any):
        self.value = value


def _apply(fn: Callable[..., Any], chunk: list, shared: dict[str, _Box]) -> list:
    values = {k: box.value for k, box in shared.items()}
    return [fn(item, **values) for item in chunk]


class DaskEngine(Engine):
    name = "dask"
    local = False

    def __init__(self, scheduler: str | None = None, workers: int | None = None):
        try:
            from distributed import Client, LocalCluster
        except ImportError:
            raise ConfigError("Dask is not installed", code="E004",
                              advice="pip install 'parallax-news[dask]'") from None
        self.cluster = None
        try:
            if scheduler:
                self.client = Client(scheduler, timeout=CONNECT_TIMEOUT)
            else:
                self.cluster = LocalCluster(n_workers=workers or os.cpu_count() or 1,
                                            threads_per_worker=1, processes=True,
                                            host="127.0.0.1", dashboard_address="127.0.0.1:0",
                                            silence_logs=40)
                self.client = Client(self.cluster)
        except (OSError, TimeoutError) as exc:
            raise ConfigError(f"--scheduler {scheduler}: no Dask scheduler answered ({exc})",
                              code="E005", advice="start one with `dask scheduler` and point "
                              "--scheduler at the address it prints (tcp://HOST:8786)") from None

    def threads(self) -> int:
        return max(1, sum(self.client.nthreads().values()))

    def describe(self) -> str:
        where = "a local cluster" if self.cluster else self.client.scheduler.address
        link = self.client.dashboard_link
        return (f"Dask: {len(self.client.nthreads())} worker(s), {self.threads()} thread(s) on "
                f"{where}; dashboard {link}")

    def map(self, fn, items: Iterable[Any], *, chunk: int = 1, ahead: int | None = None,
            **shared) -> Iterator[Any]:
        # each shared value goes to every worker once (not once per task)
        sent = {k: self.client.scatter(_Box(v), broadcast=True, hash=False)
                for k, v in shared.items()}
        pending: deque = deque()
        source = iter(items)
        limit = (ahead or IN_FLIGHT) * self.threads()
        try:
            while True:
                while len(pending) < limit and (part := list(islice(source, chunk))):
                    with warnings.catch_warnings():  # a window of 25,000 texts is one item:
                        warnings.filterwarnings(  # sent once, as Dask's advice would send it
                            "ignore", message="Sending large graph", category=UserWarning)
                        pending.append(self.client.submit(_apply, fn, part, sent, pure=False))
                if not pending:
                    return
                yield from pending.popleft().result()
        finally:
            for future in pending:
                future.cancel()

    def close(self) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()
