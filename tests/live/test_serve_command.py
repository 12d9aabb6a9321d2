"""README command 1: `nqdb serve` on an empty store serves the demo portal on 127.0.0.1."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.live
def test_serve_seeds_an_empty_store_with_the_demo_and_serves_it(tmp_path: Path) -> None:
    port = free_port()
    log = tmp_path / "serve.log"
    with open(log, "wb") as output:
        server = subprocess.Popen([sys.executable, "-m", "nqdb.cli", "serve", "--port", str(port),
                                   "--store", str(tmp_path / "store"), "--threads", "2"],
                                  stdout=output, stderr=subprocess.STDOUT)
    try:
        home = _wait_for(f"http://127.0.0.1:{port}/", server, log)
        assert "Qualifications" in home
        stats = subprocess.run([sys.executable, "-m", "nqdb.cli", "stats", "--json",
                                "--store", str(tmp_path / "store")], capture_output=True, text=True, check=True)
        assert json.loads(stats.stdout)["qualifications"] >= 60
    finally:
        server.terminate()
        server.wait(timeout=10)


def _wait_for(url: str, server: subprocess.Popen[bytes], log: Path, seconds: float = 120) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            output = log.read_text(encoding="utf-8", errors="replace")
            raise AssertionError(f"nqdb serve exited with {server.returncode}:\n{output}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return str(response.read().decode("utf-8"))
        except OSError:
            time.sleep(0.5)
    raise AssertionError(f"{url} did not answer within {seconds} s")
