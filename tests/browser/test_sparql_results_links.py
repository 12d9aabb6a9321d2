"""Issue 9 case 7 in the browser: the SPARQL results table links only http, https and mailto IRIs."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from portal import create_app
from store.core.triplestore import Store
from store.ingest import importer
from tests.browser.test_qualification_page import CHROMIUM_ARGS
from tests.conftest import BASE
from tests.live.conftest import LiveServer, start_server
from tests.test_untrusted_links import hostile_dataset

pytestmark = pytest.mark.browser

QUERY = """SELECT ?link WHERE {
  { <https://example.org/nqd/accreditation/Q-0001> <http://purl.org/dc/terms/source> ?link }
  UNION { ?page <http://data.europa.eu/snb/model/elm/contentUrl> ?url BIND(IRI(STR(?url)) AS ?link) }
  UNION { VALUES ?link { <mailto:info@example.org> <data:text/html,hello> } }
} ORDER BY ?link"""


@pytest.fixture
def hostile_server(tmp_path: Path, empty_store: Store) -> Iterator[LiveServer]:
    """A live portal over a store holding javascript:, data: and https addresses (tests/test_untrusted_links.py)."""
    importer.import_file(empty_store, hostile_dataset(tmp_path), "hostile")
    app = create_app({"TESTING": True, "STORE": str(empty_store.path), "PUBLIC_BASE_URL": BASE})
    server, thread = start_server(app)
    try:
        yield LiveServer(f"http://127.0.0.1:{server.server_port}", app)
    finally:
        server.shutdown()
        thread.join(timeout=5)


def test_case_7_sparql_results_show_javascript_iris_as_text(hostile_server: LiveServer) -> None:
    """Issue 9 case 7: javascript: and data: IRIs in results are text; https and mailto IRIs are links."""
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            dialogs: list[str] = []

            def on_dialog(dialog: Any) -> None:  # an alert() from a javascript: link would land here
                dialogs.append(dialog.message)
                dialog.dismiss()

            page.on("dialog", on_dialog)
            page.goto(f"{hostile_server.url}/sparql")
            page.locator("#query").fill(QUERY)
            page.get_by_role("button", name="Run query").click()
            page.locator("#status").filter(has_text="rows").wait_for()  # locators: no eval under the CSP
            hrefs = page.eval_on_selector_all("#results a", "links => links.map(a => a.getAttribute('href'))")
            assert sorted(hrefs) == ["https://nqa.example.org/", "https://qa.example.org/report",
                                    "mailto:info@example.org"]
            texts = page.eval_on_selector_all("#results code.not-a-link", "cells => cells.map(c => c.textContent)")
            assert "javascript:alert('resource')" in texts and "JavaScript:alert(document.domain)" in texts
            assert any(text.startswith("data:text/html") for text in texts)
            for cell in page.locator("#results code.not-a-link").all():
                cell.click()
            assert dialogs == []
        finally:
            browser.close()
