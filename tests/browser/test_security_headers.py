"""Issue 9 case 8: every page satisfies its Content-Security-Policy in Chromium, and carries the headers."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.test_qualification_page import CHROMIUM_ARGS
from tests.live.conftest import LiveServer, live_server  # noqa: F401 (fixture)

pytestmark = pytest.mark.browser

# Runs before any page script, on every navigation; Playwright injects it outside the page's CSP.
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", function (event) {
  window.__violations.push(event.violatedDirective + " " + (event.blockedURI || "inline"));
});
"""
PAGES = ("/", "/id/qualification/DEMO-0041", "/browse", "/id/organisation/university-college", "/downloads",
         "/resource?iri=http://data.europa.eu/snb/eqf/6", "/id/qualification/NO-SUCH-THING")


def _headers_ok(headers: dict[str, str]) -> None:
    policy = headers.get("content-security-policy", "")
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy, policy
    assert "unsafe-inline" not in policy
    assert headers.get("x-content-type-options") == "nosniff"
    assert headers.get("x-frame-options") == "DENY"
    assert headers.get("referrer-policy") == "strict-origin-when-cross-origin"


def test_case_8_pages_satisfy_the_content_security_policy(live_server: LiveServer) -> None:  # noqa: F811
    """Issue 9 case 8: home, a qualification page (JSON-LD block), /sparql with a query run, /downloads and an
    error page load under the CSP without one violation; an injected inline script is refused."""
    sync_api = pytest.importorskip("playwright.sync_api")
    console: list[str] = []
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.add_init_script(RECORD_VIOLATIONS)
            page.on("console", lambda message: console.append(f"{message.type}: {message.text}"))
            for path in PAGES:
                response = page.goto(f"{live_server.url}{path}")
                assert response is not None
                _headers_ok(response.headers)
                page.wait_for_load_state("load")
                assert page.evaluate("window.__violations") == [], path
            assert page.goto(f"{live_server.url}/id/qualification/DEMO-0041") is not None
            assert page.locator('script[type="application/ld+json"]').count() == 1
            _run_a_query(page, live_server)
            assert page.evaluate("window.__violations") == []
            assert not [line for line in console if "Content Security Policy" in line], console
            _inline_script_is_refused(page)
        finally:
            browser.close()


def _run_a_query(page: Any, server: LiveServer) -> None:
    response = page.goto(f"{server.url}/sparql")
    assert response is not None
    _headers_ok(response.headers)
    page.get_by_role("button", name="Run query").click()
    page.locator("#status").filter(has_text="rows").wait_for()  # locators: no eval under the CSP
    assert page.locator("#results table tbody tr").count() == 20
    page.locator("button.example").first.click()  # the examples' handlers are in static/sparql.js
    assert page.locator("#query").input_value() != ""


def _inline_script_is_refused(page: Any) -> None:
    """The policy is enforced (not only sent): a script element with inline code does not run."""
    page.evaluate("""() => { const s = document.createElement("script");
                             s.textContent = "window.__inline = true"; document.body.appendChild(s); }""")
    page.evaluate("""() => new Promise(done => {
      const check = () => window.__violations.length ? done(true) : setTimeout(check, 20); check(); })""")
    assert page.evaluate("window.__inline === undefined")
    assert page.evaluate("window.__violations[0]").startswith("script-src")
