"""Operations: a relative store path, one snapshot per request, a full disk during `nqdb dump`."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask, Response, jsonify, request
from flask.testing import FlaskClient

from portal import create_app
from portal.web.storage import get_store
from store.core.triplestore import Store
from store.opendata import describe, dumps
from tests.conftest import BASE, copy_store
from tests.open_data import dumped_template
from tests.small_stores import publish_dataset, small_store

QUALIFICATION = f"{BASE}/id/qualification/DEMO-0001"
NEW_TITLE = "Title published in the middle of a request"


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory, demo_template: Path) -> Path:
    return dumped_template(tmp_path_factory, demo_template)


def assert_every_dump_is_served(client: FlaskClient, folder: Path) -> None:
    response = client.get("/dumps/latest/manifest.json")
    assert response.status_code == 200, response.get_data(as_text=True)
    manifest = json.loads(response.get_data())
    response.close()
    assert manifest["files"]
    for entry in manifest["files"]:
        response = client.get(f"/dumps/latest/{entry['name']}")
        body = response.get_data()
        response.close()
        assert response.status_code == 200, (entry["name"], response.get_data(as_text=True))
        assert hashlib.sha256(body).hexdigest() == entry["sha256"] == response.headers["ETag"].strip('"')
    assert (folder / "latest").is_symlink()


# -- case 21 ---------------------------------------------------------------------------------------

def test_case_21_dumps_are_served_from_a_relative_store(template: Path, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 9 case 21: STORE="nqdb-store" (the default, relative) serves the manifest and every dump file."""
    copy_store(template, tmp_path / "run" / "nqdb-store")
    monkeypatch.chdir(tmp_path / "run")
    app = create_app({"TESTING": True, "STORE": "nqdb-store", "PUBLIC_BASE_URL": BASE})
    with app.test_client() as client:
        assert_every_dump_is_served(client, tmp_path / "run" / "nqdb-store" / "dumps")
        monkeypatch.chdir(tmp_path)  # resolved once, at start: a later change of directory changes nothing
        assert_every_dump_is_served(client, tmp_path / "run" / "nqdb-store" / "dumps")
        assert client.get("/downloads").status_code == 200
    assert app.config["STORE"] == str(tmp_path / "run" / "nqdb-store")


def test_case_21_a_relative_dumps_dir_is_resolved_at_start(template: Path, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 9 case 21: a relative DUMPS_DIR is read against the directory the server started in."""
    copy_store(template, tmp_path / "run" / "nqdb-store")
    os.rename(tmp_path / "run" / "nqdb-store" / "dumps", tmp_path / "run" / "public-dumps")
    monkeypatch.chdir(tmp_path / "run")
    app = create_app({"TESTING": True, "STORE": "nqdb-store", "DUMPS_DIR": "public-dumps",
                      "PUBLIC_BASE_URL": BASE})
    with app.test_client() as client:
        assert_every_dump_is_served(client, tmp_path / "run" / "public-dumps")
        monkeypatch.chdir(tmp_path)
        assert_every_dump_is_served(client, tmp_path / "run" / "public-dumps")
    assert app.config["DUMPS_DIR"] == str(tmp_path / "run" / "public-dumps")


def test_case_21_nqdb_dump_with_a_relative_store(tmp_path: Path) -> None:
    """Issue 9 case 21: `nqdb dump --store nqdb-store` run in a directory writes and names absolute paths."""
    small_store(tmp_path / "nqdb-store")
    done = subprocess.run([sys.executable, "-m", "nqdb.cli", "dump", "--json", "--store", "nqdb-store"],
                          cwd=tmp_path, capture_output=True, text=True, check=False, timeout=300)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["directory"] == str(tmp_path / "nqdb-store" / "dumps")


# -- case 22 ---------------------------------------------------------------------------------------

def retitle(store_path: str) -> None:
    """Publish a new snapshot in which DEMO-0001 has another English title (as another process would)."""
    with Store(store_path).write() as writer:
        writer.ox.update(f"""
            PREFIX dct: <http://purl.org/dc/terms/>
            DELETE {{ GRAPH ?g {{ <{QUALIFICATION}> dct:title ?old }} }}
            INSERT {{ GRAPH ?g {{ <{QUALIFICATION}> dct:title "{NEW_TITLE}"@en }} }}
            WHERE {{ GRAPH ?g {{ <{QUALIFICATION}> dct:title ?old FILTER(lang(?old) = "en") }} }}""")


@pytest.fixture
def publishing_app(app: Flask) -> Iterator[Flask]:
    """The demo app with a test-only hook: the request marked `X-Publish-Meanwhile` publishes a new
    snapshot after it has first read the store, before its view runs; and a test-only route that
    publishes between two of its own reads."""
    @app.before_request
    def publish_meanwhile() -> None:
        if "X-Publish-Meanwhile" in request.headers:
            assert get_store().version is not None  # the request's first read of the store
            retitle(app.config["STORE"])

    @app.get("/test-only/two-reads")
    def two_reads() -> Response:
        first = get_store().version
        retitle(app.config["STORE"])
        store = get_store()
        return jsonify(first=first, then=store.version, published=describe.published_at(store).isoformat(),
                       exists=store.exists(QUALIFICATION))

    yield app


def get(client: FlaskClient, url: str, **headers: str) -> tuple[str, str, str]:
    response = client.get(url, headers=headers)
    assert response.status_code == 200
    return response.headers["ETag"], response.headers["Last-Modified"], response.get_data(as_text=True)


def test_case_22_a_publish_during_a_request_does_not_mix_two_snapshots(publishing_app: Flask) -> None:
    """Issue 9 case 22: ETag, Last-Modified and body come from the snapshot the request started with."""
    url = "/id/qualification/DEMO-0001.ttl"
    with publishing_app.test_client() as client:
        before = get(client, url)
        assert NEW_TITLE not in before[2]
        during = get(client, url, **{"X-Publish-Meanwhile": "1"})
        assert during == before  # same version: same ETag, same Last-Modified, same body
        after = get(client, url)
        assert NEW_TITLE in after[2] and after[0] != before[0]  # the next request sees the new snapshot


def test_case_22_every_read_of_a_request_sees_one_version(publishing_app: Flask) -> None:
    """Issue 9 case 22: two reads of the store in one view, a publish between them: both see one version."""
    with publishing_app.test_client() as client:
        answer = client.get("/test-only/two-reads").get_json()
        assert answer["first"] == answer["then"] and answer["exists"]
        second = client.get("/test-only/two-reads").get_json()
        assert second["first"] == second["then"] > answer["first"]  # the next request pinned the newer one
        assert second["published"] >= answer["published"]


def test_case_22_views_share_readers_and_release_them(demo_store: Store) -> None:
    """Issue 9 case 22: a pinned view opens no reader of its own and holds none once released."""
    view = demo_store.pinned()
    assert view.snapshot() is demo_store.snapshot() and view == demo_store and hash(view) == hash(demo_store)
    version = view.version
    publish_dataset(Store(demo_store.path), "another")
    assert view.version == version and view.snapshot().version == version
    assert demo_store.version != version
    view.release()
    assert view.version == demo_store.version


# -- case 18 (dumps) -------------------------------------------------------------------------------

@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 4 MiB tmpfs mounted for the test (skipped where mounting is not permitted)."""
    mount = tmp_path / "small-disk"
    mount.mkdir()
    if shutil.which("mount") is None or os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root and mount(8)")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mount)], capture_output=True,
                          text=True, check=False)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def fill(disk: Path, leave: int) -> None:
    """Fill the disk until it is full, then free `leave` bytes."""
    filler = disk / "filler"
    with open(filler, "wb") as handle:
        try:
            while True:
                handle.write(b"\0" * 65536)
                handle.flush()
        except OSError:
            pass
        size = handle.tell()
    os.truncate(filler, max(0, size - leave))


def nqdb_dump(store: Store, dumps_dir: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "nqdb.cli", "dump", "--quiet", "--store", str(store.path),
                           "--dumps-dir", str(dumps_dir)], capture_output=True, text=True, check=False,
                          timeout=300)


def test_case_18_disk_full_during_nqdb_dump_keeps_latest(tmp_path: Path, small_disk: Path) -> None:
    """Issue 9 case 18: a full disk: a message naming the dumps directory, exit 1, `latest` intact, no debris."""
    store = small_store(tmp_path / "store")
    dumps_dir = small_disk / "dumps"
    first = nqdb_dump(store, dumps_dir)
    assert first.returncode == 0, first.stderr
    before = dumps.latest(dumps_dir)
    assert before is not None
    target = os.readlink(dumps_dir / "latest")
    publish_dataset(store, "second")
    fill(small_disk, leave=12 * 1024)
    failed = nqdb_dump(store, dumps_dir)
    assert failed.returncode == 1
    assert "Traceback" not in failed.stderr + failed.stdout
    assert str(dumps_dir) in failed.stderr and "is full" in failed.stderr, failed.stderr
    assert os.readlink(dumps_dir / "latest") == target and dumps.latest(dumps_dir) == before
    for entry in before.files:  # the previous generation is still whole
        assert hashlib.sha256((dumps_dir / "latest" / entry.name).read_bytes()).hexdigest() == entry.sha256
    assert sorted(p.name for p in dumps_dir.iterdir()) == ["generate.lock", "latest", "versions"]
    assert dumps.versions(dumps_dir) == [before.version]
    assert not (store.path / "readers").exists() or not any((store.path / "readers").iterdir())
