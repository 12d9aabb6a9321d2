"""Issue 11: drafts and submissions appear on no public surface; once published they do."""

from __future__ import annotations

import gzip
import io
import json
import re
import zipfile
from pathlib import Path
from urllib.parse import urlparse

from flask.testing import FlaskClient

from portal import create_app
from store.core.triplestore import Store
from store.opendata import dumps
from store.registry import records
from store.registry.database import open_database
from store.registry.principals import Principal, Role
from tests.conftest import BASE
from tests.record_content import ORG_A, record_iri, record_turtle

MARKER = "ZQX-private-marker-7f3e9b"
TTL = "text/turtle"
EDITOR = Principal("user:ed@a.example", Role.EDITOR, frozenset({ORG_A}))
REVIEWER = Principal("user:rev@authority.example", Role.REVIEWER, frozenset())
SPARQL_JSON = {"Accept": "application/sparql-results+json"}
FIND_MARKER = """SELECT ?s ?o WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } }
                 FILTER(CONTAINS(STR(?o), "ZQX-private")) }"""


def _client(store: Store) -> FlaskClient:
    return create_app({"TESTING": True, "STORE": str(store.path), "PUBLIC_BASE_URL": BASE}).test_client()


def _public_surfaces(client: FlaskClient, keys: list[str]) -> dict[str, str]:
    """Every public page, listing, feed page, sitemap and query answer, by path."""
    paths = ["/", "/browse", "/browse/levels", "/browse/qualifications", "/browse/organisations", "/browse/fields",
             "/catalog", "/.well-known/void", "/sitemap.xml", "/changes", "/robots.txt"]
    paths += [urlparse(record_iri(key)).path for key in keys]
    seen = {path: client.get(path, headers={"Accept": "text/html"}).get_data(as_text=True) for path in paths}
    seen |= {f"{path} (turtle)": client.get(path, headers={"Accept": "text/turtle"}).get_data(as_text=True)
             for path in ("/catalog", "/.well-known/void", *paths[-len(keys):])}
    for number in re.findall(r"sitemap-(\d+)\.xml", seen["/sitemap.xml"]):
        seen[f"/sitemap-{number}.xml"] = client.get(f"/sitemap-{number}.xml").get_data(as_text=True)
    feed = json.loads(client.get("/changes", headers={"Accept": "application/activity+json"}).data)
    for number in range(1, int(feed.get("totalItems", 0)) // 100 + 2):
        seen[f"/changes/page/{number}"] = client.get(f"/changes/page/{number}").get_data(as_text=True)
    seen["/sparql"] = client.get("/sparql", query_string={"query": FIND_MARKER}, headers=SPARQL_JSON) \
        .get_data(as_text=True)
    return seen


def _dump_texts(store: Store, folder: Path) -> dict[str, str]:
    dumps.generate(store, folder, base_url=BASE, languages=["en"], license_url="https://example.org/licence")
    out = {}
    for path in folder.rglob("*"):
        if not path.is_file():
            continue
        data = path.read_bytes()
        if path.name.endswith(".gz"):
            data = gzip.decompress(data)
        if path.name.endswith(".zip"):
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                data = b"".join(archive.read(name) for name in archive.namelist())
        out[str(path.relative_to(folder))] = data.decode("utf-8", errors="replace")
    return out


def test_drafts_and_submissions_are_on_no_public_surface(demo_store: Store, tmp_path: Path) -> None:
    conn = open_database(demo_store.path)
    conn.execute("INSERT INTO organisations (iri, name, created) VALUES (?, 'A', '2025-01-01T00:00:00Z')", (ORG_A,))
    records.create_record(demo_store, conn, EDITOR, "REG-PUB", ORG_A, record_turtle("REG-PUB", "Published one"),
                          TTL, base_url=BASE)
    for step in (records.submit, records.approve, records.publish):
        step(demo_store, conn, EDITOR if step is records.submit else REVIEWER, "REG-PUB")
    records.create_record(demo_store, conn, EDITOR, "REG-DRAFT", ORG_A,
                          record_turtle("REG-DRAFT", f"Draft {MARKER}"), TTL, base_url=BASE)
    records.create_record(demo_store, conn, EDITOR, "REG-SUB", ORG_A, record_turtle("REG-SUB", f"Sent {MARKER}"),
                          TTL, base_url=BASE)
    records.submit(demo_store, conn, EDITOR, "REG-SUB")
    # A published record with a pending revision: the revision's text stays private too.
    pub = records.get_record(conn, EDITOR, "REG-PUB")
    records.update_record(demo_store, conn, EDITOR, "REG-PUB", record_turtle("REG-PUB", f"Next {MARKER}"), TTL,
                          pub.revision)

    client = _client(demo_store)
    surfaces = _public_surfaces(client, ["REG-PUB", "REG-DRAFT", "REG-SUB"])
    assert "Published one" in surfaces["/id/qualification/REG-PUB (turtle)"]  # the surfaces do show records
    leaks = [path for path, text in surfaces.items() if MARKER in text]
    assert leaks == []
    assert client.get("/id/qualification/REG-DRAFT", headers={"Accept": "text/turtle"}).status_code == 404
    assert json.loads(surfaces["/sparql"])["results"]["bindings"] == []
    dumped = _dump_texts(demo_store, tmp_path / "dumps")
    assert any("Published one" in text for text in dumped.values())
    assert [name for name, text in dumped.items() if MARKER in text] == []

    records.approve(demo_store, conn, REVIEWER, "REG-SUB")
    records.publish(demo_store, conn, REVIEWER, "REG-SUB")
    client = _client(demo_store)
    page = client.get("/id/qualification/REG-SUB", headers={"Accept": "text/turtle"})
    assert page.status_code == 200 and MARKER in page.get_data(as_text=True)
    answer = json.loads(client.get("/sparql", query_string={"query": FIND_MARKER}, headers=SPARQL_JSON).data)
    assert {b["s"]["value"] for b in answer["results"]["bindings"]} == {record_iri("REG-SUB")}
    conn.close()
