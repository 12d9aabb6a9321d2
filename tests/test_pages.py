"""Resource and browse pages: Annex VI content, languages, escaping, schema.org, links from the home page."""

from __future__ import annotations

import json
import re
from collections import deque
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from flask.testing import FlaskClient

from portal import create_app
from store.core.triplestore import Store
from store.ingest import importer
from tests.conftest import BASE, MINIMAL

HTML = {"Accept": "text/html"}
QUALIFICATION = "/id/qualification/DEMO-0041"


def test_qualification_page_shows_annex_vi_elements(client: FlaskClient) -> None:
    page = client.get(QUALIFICATION, headers=HTML).get_data(as_text=True)
    for heading in ("EQF level", "NQF level", "Field of education", "Country or region", "Awarding body",
                    "Credit points", "Quality assurance", "Entry requirements", "Ways to acquire",
                    "ESCO skills",
                    "Knowledge", "Skills", "Responsibility and autonomy"):
        assert heading in page, heading
    assert "Bachelor of Nursing" in page
    assert 'href="/id/organisation/university-college"' in page
    for media_type in ("text/turtle", "application/ld+json", "application/rdf+xml", "application/n-triples"):
        assert f'rel="alternate" type="{media_type}"' in page


def test_french_from_accept_language_and_switch_with_visible_fallback(client: FlaskClient) -> None:
    headers = {**HTML, "Accept-Language": "fr-BE,fr;q=0.9"}
    french = client.get(QUALIFICATION, headers=headers).get_data(as_text=True)
    assert "Bachelier infirmier responsable de soins généraux" in french and "Savoirs" in french
    assert '<html lang="fr">' in french
    assert "Non disponible en français" in french  # EQF level labels exist only in English
    switched = client.get(QUALIFICATION + "?lang=fr", headers=HTML).get_data(as_text=True)
    assert "Bachelier infirmier" in switched
    english = client.get(QUALIFICATION + "?lang=en", headers={**HTML, "Accept-Language": "fr"})
    assert "Bachelor of Nursing" in english.get_data(as_text=True)


def test_schema_org_credential_is_embedded(client: FlaskClient) -> None:
    page = client.get(QUALIFICATION, headers=HTML).get_data(as_text=True)
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert block is not None
    data = json.loads(block.group(1))
    assert data["@type"] == "EducationalOccupationalCredential" and data["name"].startswith("Bachelor")


def test_title_with_script_is_escaped(tmp_path: Path, empty_store: Store) -> None:
    evil = MINIMAL.read_text(encoding="utf-8").replace(
        '"Certificate in Plumbing"@en', '"<script>alert(1)</script> Plumbing"@en')
    (tmp_path / "evil.ttl").write_text(evil, encoding="utf-8")
    importer.import_file(empty_store, tmp_path / "evil.ttl", "evil")
    app = create_app({"TESTING": True, "STORE": str(empty_store.path), "PUBLIC_BASE_URL": BASE})
    client = app.test_client()
    iri = "https://example.org/nqd/qualification/Q-0001"
    page = client.get("/resource", query_string={"iri": iri}, headers=HTML).get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Plumbing" in page
    assert "\\u003cscript\\u003e" in page  # inside the schema.org block too
    listing = client.get("/browse/qualifications", headers=HTML).get_data(as_text=True)
    assert "<script>alert" not in listing and "&lt;script&gt;" in listing


def test_organisation_concept_and_dataset_pages(client: FlaskClient) -> None:
    organisation = client.get("/id/organisation/university-college", headers=HTML).get_data(as_text=True)
    assert "Two Rivers University College" in organisation
    assert 'href="/id/qualification/DEMO-0041"' in organisation
    level = client.get("/resource?iri=http://data.europa.eu/snb/eqf/6", headers=HTML).get_data(as_text=True)
    assert "Level 6" in level and 'href="/id/qualification/DEMO-0041"' in level
    dataset = client.get("/id/dataset/demo", headers=HTML)
    assert dataset.status_code == 200 and "Demo national qualifications" in dataset.get_data(as_text=True)


def test_every_qualification_organisation_and_level_is_reachable_from_home(client: FlaskClient,
                                                                          demo_store: Store) -> None:
    seen: set[str] = set()
    queue = deque(["/"])
    while queue:
        path = queue.popleft()
        response = client.get(path, headers=HTML)
        assert response.status_code == 200, path
        for href in re.findall(r'href="([^"#]+)"', response.get_data(as_text=True)):
            target = urljoin(path, href.replace("&amp;", "&"))
            parts = urlsplit(target)
            if parts.netloc or target in seen or "lang=" in parts.query:
                continue
            if not parts.path.startswith(("/browse", "/id/", "/resource")):
                continue
            if re.search(r"\.(ttl|jsonld|rdf|nt)$", parts.path):
                continue
            seen.add(target)
            queue.append(target)
    reached = {urlsplit(s).path for s in seen} | {s for s in seen if s.startswith("/resource")}
    for row in demo_store.select("list_qualifications"):
        assert row["qualification"].removeprefix(BASE) in reached
    for row in demo_store.select("list_organisations"):
        assert row["organisation"].removeprefix(BASE) in reached
    for level in range(1, 9):
        concept = f"/snb/eqf/{level}"
        assert any(s.startswith("/resource?") and unquote(s).endswith(concept) for s in seen), level
