"""Issue 9 case 8: every response carries the security headers (pages, data, errors, static files)."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from portal.web.security_headers import CONTENT_SECURITY_POLICY


@pytest.mark.parametrize(("path", "accept"), [
    ("/", "text/html"), ("/id/qualification/DEMO-0041", "text/html"), ("/id/qualification/DEMO-0041", "text/turtle"),
    ("/sparql", "text/html"), ("/sparql?query=ASK%7B%7D", "application/sparql-results+json"),
    ("/downloads", "text/html"), ("/id/qualification/NOPE", "text/html"), ("/resource?iri=bad", "*/*"),
    ("/static/sparql.js", "*/*"),
])
def test_case_8_every_response_has_the_security_headers(client: FlaskClient, path: str, accept: str) -> None:
    """Issue 9 case 8: CSP with frame-ancestors 'none', nosniff, X-Frame-Options DENY and a Referrer-Policy."""
    response = client.get(path, headers={"Accept": accept})
    response.close()  # a static file is streamed from an open file
    assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_case_8_policy_allows_no_inline_script(client: FlaskClient) -> None:
    """Issue 9 case 8: the policy never allows inline or eval'd script, and pages carry no inline handlers."""
    assert "unsafe-inline" not in CONTENT_SECURITY_POLICY and "unsafe-eval" not in CONTENT_SECURITY_POLICY
    for path in ("/", "/id/qualification/DEMO-0041", "/sparql", "/downloads", "/browse"):
        page = client.get(path, headers={"Accept": "text/html"}).get_data(as_text=True)
        assert " onclick=" not in page and " onload=" not in page and "javascript:" not in page.lower()
        for tag in page.split("<script")[1:]:
            assert tag.lstrip().startswith(("src=", 'type="application/ld+json"')), tag[:80]
