"""Helpers for issue 9 case 4: `nqdb serve` in a child process, and a swarm of slow-header sockets.

Used by tests/live/test_slow_clients.py and tests/bench/bench_slow_clients.py. Everything listens and
connects on loopback only; every socket and process is closed on exit.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

SLOW_SOURCE = "127.0.0.2"  # another loopback address: the per-client cap must not hit 127.0.0.1


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass(frozen=True)
class Served:
    """A running `nqdb serve`: its root URL and process."""

    url: str
    process: subprocess.Popen[bytes]


@contextmanager
def nqdb_serve(store: Path, log: Path, settings: Mapping[str, str] | None = None,
               threads: int = 4) -> Iterator[Served]:
    """Run `python -m nqdb.cli serve` on 127.0.0.1 over `store` until it answers; stop it afterwards."""
    port = free_port()
    env = {**os.environ, **(settings or {})}
    with open(log, "wb") as output:
        process = subprocess.Popen([sys.executable, "-m", "nqdb.cli", "serve", "--port", str(port),
                                    "--store", str(store), "--threads", str(threads), "--no-demo"],
                                   stdout=output, stderr=subprocess.STDOUT, env=env)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_serving(url, process, log)
        yield Served(url, process)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def wait_until_serving(url: str, process: subprocess.Popen[bytes], log: Path, attempts: int = 240) -> None:
    """Poll `url` until it answers (the server prints nothing we could wait on more precisely)."""
    for _ in range(attempts):
        if process.poll() is not None:
            raise AssertionError(f"nqdb serve exited with {process.returncode}:\n"
                                 f"{log.read_text(encoding='utf-8', errors='replace')}")
        try:
            with urllib.request.urlopen(f"{url}/", timeout=5) as response:
                response.read()
                return
        except OSError:
            time.sleep(0.5)  # polling a child's start-up: there is no event to wait on
    raise AssertionError(f"{url} never answered")


def timed_get(url: str, timeout: float) -> float:
    """GET `url` from 127.0.0.1 and read the whole answer; the seconds it took."""
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=timeout) as response:
        response.read()
        assert response.status == 200
    return time.perf_counter() - started


class SlowClients:
    """`count` sockets from `source` that each send a request's headers one byte at a time, never finishing.

    A background thread sends the next byte on every open socket every `interval` seconds, and notes the
    sockets the server no longer holds: closed (a read of b"" or a reset) or answered (a 503 refusal).
    """

    def __init__(self, port: int, count: int, source: str = SLOW_SOURCE, interval: float = 1.0) -> None:
        self.port, self.count, self.source, self.interval = port, count, source, interval
        self.sockets: list[socket.socket] = []
        self.closed_by_server: set[int] = set()
        self.refused = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._drip, daemon=True)

    def __enter__(self) -> SlowClients:
        for _ in range(self.count):
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            sock.bind((self.source, 0))
            sock.settimeout(10)
            try:
                sock.connect(("127.0.0.1", self.port))
                sock.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            except OSError:
                self.refused += 1
                sock.close()
                continue
            sock.setblocking(False)
            self.sockets.append(sock)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=10)
        for sock in self.sockets:
            sock.close()

    def open_count(self) -> int:
        """Sockets the server still holds (as far as the last drip saw)."""
        return len(self.sockets) - len(self.closed_by_server)

    def _drip(self) -> None:
        while not self._stop.wait(self.interval):
            for index, sock in enumerate(self.sockets):
                if index not in self.closed_by_server and not self._still_open(sock):
                    self.closed_by_server.add(index)

    @staticmethod
    def _still_open(sock: socket.socket) -> bool:
        try:
            sock.recv(4096)
            return False  # closed (b""), or answered: a request that never ended can only get a refusal
        except BlockingIOError:
            pass
        except OSError:
            return False
        try:
            sock.send(b"X")
        except BlockingIOError:
            return True
        except OSError:
            return False
        return True
