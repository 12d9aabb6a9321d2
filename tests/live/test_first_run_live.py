"""README command 1 as a new user runs it: `nqdb serve` in some directory, with the default relative store,
and that directory happens to hold `store/` and `portal/` folders of its own (issue 9 cases 20 and 21)."""

from __future__ import annotations

import hashlib
import json
import os
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.small_stores import nqdb_script, poisoned_directory

pytestmark = pytest.mark.live
DEADLINE = 300.0  # seconds: the demo is loaded, then the first dumps generated (about a minute here)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def fetch(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def wait_for_dumps(url: str, server: subprocess.Popen[bytes], log: Path) -> dict[str, object]:
    """Poll /dumps/latest/manifest.json until it is 200 (503 while the first generation runs)."""
    deadline, last = time.monotonic() + DEADLINE, (0, b"")
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(f"nqdb serve exited with {server.returncode}:\n{log.read_text(errors='replace')}")
        try:
            last = fetch(url + "/dumps/latest/manifest.json")
        except OSError:
            last = (0, b"not listening yet")
        if last[0] == 200:
            found: dict[str, object] = json.loads(last[1])
            return found
        if last[0] not in (0, 503):
            break
        time.sleep(0.5)
    raise AssertionError(f"no dumps: last answer {last}\n{log.read_text(errors='replace')}")


def test_case_20_21_nqdb_serve_in_a_poisoned_directory_with_the_default_store_serves_dumps(
        tmp_path: Path) -> None:
    """Issue 9 case 21 (and 20): `nqdb serve` with the default relative store, started in a directory
    holding `store/` and `portal/` packages, generates its dumps and serves the manifest and every file."""
    script = nqdb_script()
    if script is None:
        pytest.skip("no installed `nqdb` console script beside this interpreter")
    cwd = poisoned_directory(tmp_path / "new-user")
    port, log = free_port(), tmp_path / "serve.log"
    environment = {k: v for k, v in os.environ.items() if not k.startswith("NQDB_")}
    environment["NQDB_DUMPS_WATCH_SECONDS"] = "0.5"
    with open(log, "wb") as output:
        server = subprocess.Popen([str(script), "serve", "--port", str(port), "--threads", "2"], cwd=cwd,
                                  env=environment, stdout=output, stderr=subprocess.STDOUT)
    try:
        url = f"http://127.0.0.1:{port}"
        manifest = wait_for_dumps(url, server, log)
        files = manifest["files"]
        assert isinstance(files, list) and files
        for entry in files:
            status, body = fetch(f"{url}/dumps/latest/{entry['name']}")
            assert status == 200, (entry["name"], body[:300])
            assert hashlib.sha256(body).hexdigest() == entry["sha256"]
        assert fetch(url + "/downloads")[0] == 200
        assert (cwd / "nqdb-store" / "dumps" / "latest").is_symlink()  # the store is where README says
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert "Traceback" not in log.read_text(errors="replace")
