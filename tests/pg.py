"""A real PostgreSQL server for the tests: ``initdb`` in a temporary folder, a free port on
127.0.0.1, stopped at the end. As root (CI), the server runs as the unprivileged ``postgres``
user (``initdb`` refuses root)."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from itertools import count

_ids = count(1)


def pg_bin(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    for path in sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True):
        return path
    return None


def available() -> bool:
    return pg_bin("initdb") is not None and pg_bin("pg_ctl") is not None


class Cluster:
    def __init__(self, *, durable: bool = False) -> None:
        """``durable``: fsync and full page writes on, as a real server has them (benches);
        the tests turn them off."""
        self.root = tempfile.mkdtemp(prefix="parallax-pg-")
        self.data = os.path.join(self.root, "data")
        self.port = _free_port()
        self.user = "parallax"
        self.as_root = os.geteuid() == 0
        if self.as_root:
            shutil.chown(self.root, "postgres", "postgres")
        self._run(pg_bin("initdb"), "-D", self.data, "-U", self.user, "--auth=trust",
                  "-E", "UTF8", "--locale=C", "--no-sync")
        fast = "" if durable else "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
        options = (f"-c listen_addresses=127.0.0.1 -c port={self.port} {fast}"
                   f"-c max_connections=300 -c unix_socket_directories={self.root}")
        self._run(pg_bin("pg_ctl"), "-D", self.data, "-l", os.path.join(self.root, "log"),
                  "-o", options, "-w", "-t", "60", "start")

    @property
    def base(self) -> str:
        return f"postgresql://{self.user}@127.0.0.1:{self.port}"

    def new_database(self, prefix: str = "t") -> str:
        """A fresh empty database; returns its URL."""
        import psycopg

        name = f"{prefix}{os.getpid()}_{next(_ids)}"
        with psycopg.connect(f"{self.base}/postgres", autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}" TEMPLATE template0')
        return f"{self.base}/{name}"

    def drop_database(self, url: str) -> None:
        import psycopg

        from parallax.store.postgres import close_pool

        close_pool(url)
        name = url.rsplit("/", 1)[1]
        with psycopg.connect(f"{self.base}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def stop(self) -> None:
        try:
            self._run(pg_bin("pg_ctl"), "-D", self.data, "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def _run(self, *cmd: str) -> None:
        if self.as_root:
            cmd = ("runuser", "-u", "postgres", "--", *cmd)
        subprocess.run(cmd, check=True, capture_output=True, cwd=self.root)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(predicate, timeout: float = 30.0, step: float = 0.1) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(step)
    return False
