"""Issue 9 case 7: addresses from imported data become links only when they are http, https or mailto."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from portal import create_app
from portal.web.link_safety import is_web_link
from store.core.triplestore import Store
from store.ingest import importer
from tests.conftest import BASE, MINIMAL

HTML = {"Accept": "text/html"}
QUALIFICATION = "https://example.org/nqd/qualification/Q-0001"
ORGANISATION = "https://example.org/nqd/org/NQA"
ACCREDITATION = "https://example.org/nqd/accreditation/Q-0001"
HOSTILE = ("javascript:", "data:", "vbscript:", "jav", "\tjavascript:", " javascript:")
EXTRA = """
org:NQA foaf:homepage web:NQA-1 , web:NQA-2 .
web:NQA-1 a elm:WebResource ; elm:contentUrl " javascript:alert('org')"^^xsd:anyURI .
web:NQA-2 a elm:WebResource ; elm:contentUrl "https://nqa.example.org/"^^xsd:anyURI .
lo:Q-0001-1 elm:relatedESCOSkill <javascript:alert('esco')> .
accr:Q-0001 dct:source <javascript:alert('resource')> , <https://qa.example.org/report> .
"""


def hostile_dataset(folder: Path) -> Path:
    """The minimal qualification with javascript:, data: and mailto: addresses where pages show links."""
    text = MINIMAL.read_text(encoding="utf-8")
    text = text.replace('"https://example.org/qualifications/Q-0001"^^xsd:anyURI',
                        '"JavaScript:alert(document.domain)"^^xsd:anyURI')
    text = text.replace('"https://example.org/qualifications/Q-0001/supplement.pdf"^^xsd:anyURI',
                        '"data:text/html,<script>alert(1)</script>"^^xsd:anyURI')
    path = folder / "hostile.ttl"
    path.write_text(text + EXTRA, encoding="utf-8")
    return path


@pytest.fixture
def hostile_client(tmp_path: Path, empty_store: Store) -> FlaskClient:
    importer.import_file(empty_store, hostile_dataset(tmp_path), "hostile")
    app: Flask = create_app({"TESTING": True, "STORE": str(empty_store.path), "PUBLIC_BASE_URL": BASE})
    return app.test_client()


def hrefs(page: str) -> list[str]:
    """Every href of a page, as the browser reads it (entities decoded)."""
    return [html.unescape(value) for value in re.findall(r'href="([^"]*)"', page)]


def assert_no_hostile_href(page: str) -> None:
    for href in hrefs(page):
        assert not href.strip().lower().startswith(HOSTILE), href


def page_of(client: FlaskClient, iri: str) -> str:
    response = client.get("/resource", query_string={"iri": iri}, headers=HTML)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_case_7_qualification_page_shows_javascript_addresses_as_text(hostile_client: FlaskClient) -> None:
    """Issue 9 case 7: a javascript: homepage, a data: supplement and a javascript: ESCO link are text."""
    page = page_of(hostile_client, QUALIFICATION)
    assert_no_hostile_href(page)
    assert "<code>JavaScript:alert(document.domain)</code>" in page
    assert "<code>data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;</code>" in page
    assert "<code>javascript:alert(&#39;esco&#39;)</code>" in page


def test_case_7_organisation_page_links_only_web_addresses(hostile_client: FlaskClient) -> None:
    """Issue 9 case 7: the organisation's javascript: homepage is text, its https homepage a link."""
    page = page_of(hostile_client, ORGANISATION)
    assert_no_hostile_href(page)
    assert "https://nqa.example.org/" in hrefs(page)
    assert "<code> javascript:alert(&#39;org&#39;)</code>" in page


def test_case_7_generic_resource_page_shows_javascript_iri_as_text(hostile_client: FlaskClient) -> None:
    """Issue 9 case 7: on the generic resource page an IRI object javascript:... is text, https a link."""
    page = page_of(hostile_client, ACCREDITATION)
    assert_no_hostile_href(page)
    assert "https://qa.example.org/report" in hrefs(page)
    assert "<code>javascript:alert(&#39;resource&#39;)</code>" in page


@pytest.mark.parametrize(("value", "expected"), [
    ("https://example.org/", True), ("HTTP://example.org/", True), ("mailto:info@example.org", True),
    ("javascript:alert(1)", False), ("JavaScript:alert(1)", False), (" javascript:alert(1)", False),
    ("\x01javascript:alert(1)", False), ("java\tscript:alert(1)", False), ("data:text/html,x", False),
    ("vbscript:x", False), ("urn:uuid:1", False), ("/relative", False), ("https://", False), ("", False),
    ("https:\t//x", False), (None, False),
])
def test_case_7_only_http_https_and_mailto_are_web_links(value: object, expected: bool) -> None:
    """Issue 9 case 7: the one rule the templates use."""
    assert is_web_link(value) is expected
