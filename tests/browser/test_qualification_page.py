"""Chromium opens a qualification page, switches to French, finds the French title and learning outcomes."""

from __future__ import annotations

import pytest

from tests.live.conftest import LiveServer, live_server  # noqa: F401 (fixture)

pytestmark = pytest.mark.browser

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def test_switch_qualification_page_to_french(live_server: LiveServer) -> None:  # noqa: F811
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(locale="en-GB")
            page.goto(f"{live_server.url}/id/qualification/DEMO-0041")
            assert page.locator("h1").inner_text() == "Bachelor of Nursing (General Care)"
            page.get_by_role("navigation", name="Language").get_by_role("link", name="Français").click()
            page.wait_for_url("**lang=fr")
            assert page.locator("h1").inner_text() == "Bachelier infirmier responsable de soins généraux"
            assert page.locator("html").get_attribute("lang") == "fr"
            outcomes = page.get_by_role("region", name="Acquis d'apprentissage")
            assert outcomes.get_by_role("heading", name="Savoirs").is_visible()
            assert outcomes.get_by_role("heading", name="Responsabilité et autonomie").is_visible()
            assert "Connaît les principes des soins infirmiers" in outcomes.inner_text()
        finally:
            browser.close()
