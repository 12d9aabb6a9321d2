"""Dumps: atomic versioned generations, checksums, and HTTP with ETag, 304, Range and Content-Disposition."""

from __future__ import annotations

import gzip
import hashlib
import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from nqdb.cli import main
from portal.opendata.dumps import generate_now
from store.core.triplestore import Store
from store.ingest import importer
from store.opendata import dumps
from tests.conftest import MINIMAL
from tests.open_data import dumped_template, open_data_app, store_copy


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory, demo_template: Path) -> Path:
    return dumped_template(tmp_path_factory, demo_template)


@pytest.fixture
def store(template: Path, tmp_path: Path) -> Store:
    return store_copy(template, tmp_path / "store")


@pytest.fixture
def client(store: Store) -> FlaskClient:
    return open_data_app(store).test_client()


def fetch(client: FlaskClient, url: str, **headers: str) -> TestResponse:
    """GET and close (file responses hold an open file until closed)."""
    response = client.get(url, headers=headers)
    response.get_data()
    response.close()
    return response


def test_latest_points_at_the_store_version_and_every_checksum_matches(store: Store) -> None:
    directory = dumps.dumps_dir(store)
    manifest = dumps.latest(directory)
    assert manifest is not None and manifest.version == store.version
    assert os.readlink(directory / "latest") == f"versions/{store.version}"
    assert not list(directory.glob("tmp-*"))
    for entry in manifest.files:
        data = (directory / "latest" / entry.name).read_bytes()
        assert len(data) == entry.bytes and hashlib.sha256(data).hexdigest() == entry.sha256


def test_every_format_and_dataset_has_a_dump(store: Store) -> None:
    manifest = dumps.latest(dumps.dumps_dir(store))
    assert manifest is not None
    names = {f.name for f in manifest.files}
    assert {f"nqdb.{ext}.gz" for ext in dumps.WHOLE_FORMATS} <= names
    assert {"dataset-demo.nq.gz", "dataset-demo.ttl.gz", "nqdb-tables.zip", "datapackage.json"} <= names


def test_a_new_snapshot_gets_a_new_version_and_the_old_one_stays(store: Store) -> None:
    old = store.version
    importer.import_file(store, MINIMAL, "minimal")
    app = open_data_app(store)
    manifest = generate_now(app)
    assert manifest.version == store.version != old
    assert dumps.versions(dumps.dumps_dir(store)) == [old, store.version]
    assert manifest.file("dataset-minimal.nq.gz") is not None
    client = app.test_client()
    assert fetch(client, f"/dumps/{old}/nqdb.nq.gz").status_code == 200
    assert generate_now(app) == manifest  # nothing new: nothing regenerated


def test_a_second_generator_is_refused_while_one_runs(store: Store) -> None:
    directory = dumps.dumps_dir(store)
    with dumps._generate_lock(directory, wait=False), pytest.raises(dumps.DumpBusy):
        dumps.generate(store, directory, base_url="x", languages=["en"], license_url="x")


def test_download_headers(client: FlaskClient, store: Store) -> None:
    response = fetch(client, "/dumps/latest/nqdb.nq.gz")
    manifest = dumps.latest(dumps.dumps_dir(store))
    assert manifest is not None
    entry = manifest.file("nqdb.nq.gz")
    assert entry is not None
    assert response.status_code == 200 and response.mimetype == "application/gzip"
    assert response.headers["ETag"] == f'"{entry.sha256}"'
    assert response.headers["Content-Disposition"] == "attachment; filename=nqdb.nq.gz"
    assert response.headers["Last-Modified"] and response.headers["Accept-Ranges"] == "bytes"
    assert int(response.headers["Content-Length"]) == entry.bytes
    assert gzip.decompress(response.data).startswith(b"<")


def test_conditional_requests_get_304(client: FlaskClient) -> None:
    first = fetch(client, "/dumps/latest/nqdb.nt.gz")
    etag = first.headers["ETag"]
    assert fetch(client, "/dumps/latest/nqdb.nt.gz", **{"If-None-Match": etag}).status_code == 304
    since = fetch(client, "/dumps/latest/nqdb.nt.gz", **{"If-Modified-Since": first.headers["Last-Modified"]})
    assert since.status_code == 304


def test_range_requests_resume_a_download(client: FlaskClient) -> None:
    whole = fetch(client, "/dumps/latest/nqdb.ttl.gz").data
    head = fetch(client, "/dumps/latest/nqdb.ttl.gz", Range="bytes=0-999")
    tail = fetch(client, "/dumps/latest/nqdb.ttl.gz", Range="bytes=1000-")
    assert head.status_code == tail.status_code == 206
    assert head.data + tail.data == whole


def test_versioned_urls_are_immutable_and_latest_revalidates(client: FlaskClient, store: Store) -> None:
    latest = fetch(client, "/dumps/latest/nqdb.nq.gz")
    pinned = fetch(client, f"/dumps/{store.version}/nqdb.nq.gz")
    assert pinned.data == latest.data
    assert "immutable" in pinned.headers["Cache-Control"]
    assert "must-revalidate" in latest.headers["Cache-Control"]


def test_manifest_and_sha256sums(client: FlaskClient) -> None:
    manifest = json.loads(fetch(client, "/dumps/latest/manifest.json").data)
    sums = client.get("/dumps/latest/SHA256SUMS").data.decode()
    for entry in manifest["files"]:
        assert f"{entry['sha256']}  {entry['name']}\n" in sums


@pytest.mark.parametrize("url", ["/dumps/latest/nothing.nq.gz", "/dumps/99999999/nqdb.nq.gz",
                                 "/dumps/..%2F..%2Fcurrent/nqdb.nq.gz", "/dumps/latest/..%2Fmanifest.json"])
def test_unknown_files_are_404_problems(client: FlaskClient, url: str) -> None:
    response = fetch(client, url)
    assert response.status_code == 404 and response.mimetype == "application/problem+json"


def test_before_the_first_generation_latest_is_503_with_retry_after(demo_store: Store) -> None:
    response = open_data_app(demo_store).test_client().get("/dumps/latest/nqdb.nq.gz")
    assert response.status_code == 503 and response.headers["Retry-After"] == "60"


def test_downloads_page_lists_every_file(client: FlaskClient, store: Store) -> None:
    page = client.get("/downloads", headers={"Accept": "text/html"}).data.decode()
    manifest = dumps.latest(dumps.dumps_dir(store))
    assert manifest is not None
    for entry in manifest.files:
        assert f'href="/dumps/latest/{entry.name}"' in page and f"{entry.bytes:,} bytes" in page


def test_cli_dump_json(store: Store) -> None:
    result = CliRunner().invoke(main, ["dump", "--store", str(store.path), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["version"] == store.version and len(report["files"]) >= 10
