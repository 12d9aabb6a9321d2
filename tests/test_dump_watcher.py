"""The background dump generator: isolated from the server's working directory, backing off on failure."""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask

from portal import create_app
from portal.opendata.dumps import DumpWatcher, retry_delay, start_watcher
from store.opendata import dumps
from tests.conftest import BASE
from tests.small_stores import poisoned_directory, small_store

DEADLINE = 180.0  # seconds; a generation of the small store takes about one


def wait_until(condition: Callable[[], bool], seconds: float = DEADLINE) -> bool:
    """Poll `condition` until it holds or the deadline passes (no fixed sleeps as synchronisation)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


@pytest.fixture
def stopped_watchers() -> Iterator[list[DumpWatcher]]:
    """Watchers started by a test, stopped and joined at its end whatever happens."""
    started: list[DumpWatcher] = []
    yield started
    for watcher in started:
        watcher.stop()
        watcher.join(timeout=120)


def small_app(tmp_path: Path, **config: object) -> Flask:
    store = small_store(tmp_path / "store")
    return create_app({"TESTING": True, "STORE": str(store.path), "PUBLIC_BASE_URL": BASE, **config})


def test_case_20_the_watcher_generates_dumps_from_a_poisoned_working_directory(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, stopped_watchers: list[DumpWatcher]) -> None:
    """Issue 9 case 20: the generator child never imports the server's cwd (`store/`, `portal/` there)."""
    app = small_app(tmp_path)
    monkeypatch.chdir(poisoned_directory(tmp_path / "cwd"))
    store = app.extensions["nqdb.store"]
    directory = dumps.dumps_dir(store)
    stopped_watchers.append(start_watcher(app, interval=0.1))
    assert wait_until(lambda: dumps.is_current(store, directory)), stopped_watchers[0].failures
    found = dumps.latest(directory)
    assert found is not None and found.version == store.version and found.file("nqdb.nq.gz") is not None


def test_case_20_a_failing_generation_backs_off_with_one_log_line_each(
        tmp_path: Path, caplog: pytest.LogCaptureFixture, stopped_watchers: list[DumpWatcher]) -> None:
    """Issue 9 case 20: a generation that keeps failing is retried later and later, one clear line each."""
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory\n", encoding="utf-8")
    app = small_app(tmp_path, DUMPS_DIR=str(blocker / "dumps"))  # cannot be created: a file is in the way
    caplog.set_level(logging.INFO, logger="portal.opendata.dumps")
    watcher = start_watcher(app, interval=0.05, longest=0.4)
    stopped_watchers.append(watcher)
    assert wait_until(lambda: watcher.failures >= 5)
    watcher.stop()
    watcher.join(timeout=120)
    lines = [r for r in caplog.records if r.name == "portal.opendata.dumps" and r.levelno >= logging.ERROR]
    assert len(lines) == watcher.failures
    for record in lines:
        message = record.getMessage()
        assert "\n" not in message and record.exc_info is None and "Traceback" not in message
        assert str(blocker / "dumps") in message and "Not a directory" in message
    delays = [float(re.search(r"next try in ([0-9.]+) s", r.getMessage()).group(1))  # type: ignore[union-attr]
              for r in lines]
    assert delays[:5] == [0.1, 0.2, 0.4, 0.4, 0.4]


def test_case_20_retry_delays_double_up_to_the_cap() -> None:
    """Issue 9 case 20: the back-off schedule (DUMPS_WATCH_SECONDS doubling, DUMPS_RETRY_MAX_SECONDS cap)."""
    assert [retry_delay(n, 10.0, 600.0) for n in range(8)] == [10, 20, 40, 80, 160, 320, 600, 600]
    assert retry_delay(10_000, 10.0, 600.0) == 600.0
    assert retry_delay(3, 10.0, 1.0) == 10.0  # never shorter than the poll interval
