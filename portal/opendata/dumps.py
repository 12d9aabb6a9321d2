"""Open-data downloads: /downloads page and /dumps/<version>/<file> with checksums, ETag and Range.

Files come from store/opendata/dumps.py generations; a background thread regenerates them (in a `nqdb dump`
child) whenever the store publishes a new snapshot (another process such as `nqdb load` may have
written it), backing off when generations keep failing.
"""

from __future__ import annotations

import base64
import logging
import shutil
import subprocess
import sys
import threading
from datetime import datetime
from pathlib import Path

from flask import Blueprint, Flask, Response, render_template, send_file
from flask.blueprints import BlueprintSetupState
from werkzeug.exceptions import NotFound, ServiceUnavailable

from portal.web.site import dumps_directory, languages
from portal.web.storage import get_store
from store.core.formats import GZIP, HTML, JSON, PLAIN_TEXT
from store.core.triplestore import Store
from store.opendata import dumps

log = logging.getLogger(__name__)
bp = Blueprint("dumps", __name__)
WATCHER = "nqdb.dump-watcher"
MESSAGE_LIMIT = 500  # characters of the child's error kept in the log line


def generate_now(app: Flask) -> dumps.Manifest:
    """Generate the dumps of the app's current snapshot in this process (a no-op when `latest` has it)."""
    return dumps.generate(app.extensions["nqdb.store"], dumps_directory(app), wait=True,
                          base_url=str(app.config["PUBLIC_BASE_URL"]),
                          languages=list(languages(app)),
                          license_url=str(app.config["LICENSE_URL"]))


class GenerationFailed(RuntimeError):
    """The `nqdb dump` child exited with an error; the message is its last line (the reason)."""


def dump_command(app: Flask) -> list[str]:
    """The child's command line: `nqdb dump` for the app's store, isolated from the working directory.

    `-P` keeps the server's working directory (and the script's) off the child's sys.path, so a
    `store/` or `portal/` folder there is never imported instead of NQDB; the installed packages
    (a normal or an editable install) are found as in the server. Every path is absolute.
    """
    config = app.config
    store: Store = app.extensions["nqdb.store"]
    command = [sys.executable, "-P", "-m", "nqdb.cli", "dump", "--store", str(store.path), "--quiet",
               "--base", str(config["PUBLIC_BASE_URL"]), "--languages", str(config["LANGUAGES"]),
               "--license", str(config["LICENSE_URL"]), "--dumps-dir", str(dumps_directory(app))]
    nice = shutil.which("nice")
    return [nice, "-n", "10", *command] if nice else command


def generate_in_child(app: Flask) -> None:
    """Run `nqdb dump` for the app's store in a child process at low CPU priority.

    Generating the dumps of a large register takes minutes of CPU; in a thread of the web process it
    would hold the GIL against every request. The child runs on the other core, niced, in the store
    directory.

    Raises:
        GenerationFailed: the child failed; the message says why in one line.
    """
    store: Store = app.extensions["nqdb.store"]
    done = subprocess.run(dump_command(app), capture_output=True, text=True, check=False,
                          cwd=str(store.path), stdin=subprocess.DEVNULL)
    if done.returncode != 0:
        lines = [line.strip() for line in done.stderr.splitlines() if line.strip()]
        reason = lines[-1].removeprefix("Error: ") if lines else "no message"
        raise GenerationFailed(f"`nqdb dump` exited with {done.returncode}: {reason[:MESSAGE_LIMIT]}")


def retry_delay(failures: int, interval: float, longest: float) -> float:
    """Seconds before the next try after `failures` failed generations in a row: doubling, capped."""
    if failures <= 0:
        return interval
    doubled: float = interval * float(2 ** min(failures, 32))
    return min(max(longest, interval), doubled)


class DumpWatcher(threading.Thread):
    """Polls the store version (one readlink) and regenerates the dumps after every publish.

    A failed generation is logged in one line and retried later and later (DUMPS_RETRY_MAX_SECONDS caps
    the wait), never in a tight loop.
    """

    def __init__(self, app: Flask, interval: float, longest: float | None = None) -> None:
        super().__init__(name="nqdb-dump-watcher", daemon=True)
        self.app, self.interval, self.stopped = app, interval, threading.Event()
        self.longest = float(app.config["DUMPS_RETRY_MAX_SECONDS"]) if longest is None else longest
        self.failures = 0
        self.delay = interval  # the wait before the next poll

    def run(self) -> None:
        while not self.stopped.is_set():
            self.delay = self.poll()
            self.stopped.wait(self.delay)

    def poll(self) -> float:
        """One turn: regenerate when `latest` is behind the store; the seconds to wait before the next."""
        store: Store = self.app.extensions["nqdb.store"]
        directory = dumps_directory(self.app)
        try:
            if not store.is_initialised():
                return self.interval
            if not dumps.is_current(store, directory):
                generate_in_child(self.app)
        except Exception as error:  # a background thread must survive and say why, in one line
            self.failures += 1
            delay = retry_delay(self.failures, self.interval, self.longest)
            log.error("Dump generation into %s failed (%d in a row; next try in %.3g s): %s", directory,
                      self.failures, delay, error)
            return delay
        if self.failures:
            log.info("Dumps generated into %s again after %d failures.", directory, self.failures)
        self.failures = 0
        return self.interval

    def stop(self) -> None:
        """Ask the thread to finish after the current generation."""
        self.stopped.set()


def start_watcher(app: Flask, interval: float | None = None, longest: float | None = None) -> DumpWatcher:
    """Start the background regenerator for `app` (once per app)."""
    if WATCHER not in app.extensions:
        seconds = interval if interval is not None else float(app.config["DUMPS_WATCH_SECONDS"])
        watcher = DumpWatcher(app, seconds, longest)
        app.extensions[WATCHER] = watcher
        watcher.start()
    watcher_: DumpWatcher = app.extensions[WATCHER]
    return watcher_


@bp.record_once
def _on_register(state: BlueprintSetupState) -> None:
    # Test apps (TESTING) start no thread; tests that want one call start_watcher themselves.
    if float(state.app.config["DUMPS_WATCH_SECONDS"]) > 0 and not state.app.testing:
        start_watcher(state.app)  # type: ignore[arg-type]


def _manifest(version: str) -> tuple[Path, dumps.Manifest]:
    folder = dumps.resolve(dumps_directory(), version)
    manifest = dumps.read_manifest(folder) if folder else None
    if folder is None or manifest is None:
        if version == "latest":
            raise ServiceUnavailable("The dumps are being generated for the first time; try again in a "
                                     "minute.", retry_after=60)
        raise NotFound(f"No dumps of version {version!r}; see /dumps/latest/manifest.json.")
    return folder, manifest


def _cache(response: Response, version: str) -> Response:
    # A versioned URL never changes; `latest` must be revalidated (cheap: ETag is the SHA-256).
    response.cache_control.public = True
    response.cache_control.no_cache = None
    if version == "latest":
        response.cache_control.max_age = 60
        response.cache_control.must_revalidate = True
    else:
        response.cache_control.max_age = 31536000
        response.cache_control.immutable = True
    return response


@bp.get("/dumps/<version>/manifest.json")
def manifest(version: str) -> Response:
    """The files of one generation with their sizes, SHA-256 checksums and media types."""
    folder, found = _manifest(version)
    response = send_file(folder / dumps.MANIFEST, mimetype=JSON, conditional=True,
                         last_modified=datetime.fromisoformat(found.generated), max_age=0)
    return _cache(response, version)


@bp.get("/dumps/<version>/SHA256SUMS")
def checksums(version: str) -> Response:
    """Checksums in the format of `sha256sum -c`."""
    _, found = _manifest(version)
    body = "".join(f"{f.sha256}  {f.name}\n" for f in found.files)
    return _cache(Response(body, mimetype=PLAIN_TEXT), version)


@bp.get("/dumps/<version>/<name>")
def download(version: str, name: str) -> Response:
    """One file: ETag (its SHA-256), Last-Modified, 304, Range and Content-Disposition."""
    folder, found = _manifest(version)
    entry = found.file(name)
    if entry is None:
        raise NotFound(f"No file {name!r} in the dumps; /downloads lists them all.")
    # The folder is resolved once: a swap of `latest` during the download cannot mix two versions.
    response = send_file(folder / name, mimetype=GZIP if entry.compressed else entry.media_type,
                         as_attachment=True, download_name=name, conditional=True, etag=entry.sha256,
                         last_modified=datetime.fromisoformat(found.generated))
    response.headers["Digest"] = f"sha-256={_b64(entry.sha256)}"
    response.headers["X-Dump-Version"] = found.version
    return _cache(response, version)


def _b64(hex_digest: str) -> str:
    return base64.b64encode(bytes.fromhex(hex_digest)).decode("ascii")


@bp.get("/downloads")
def downloads() -> Response:
    """Every dump and table with its size, date and checksum."""
    found = dumps.latest(dumps_directory())
    store = get_store()
    body = render_template("downloads.html", manifest=found,
                           stale=found is not None and found.version != store.version)
    return Response(body, mimetype=HTML)
