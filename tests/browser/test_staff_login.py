"""The staff sign-in in Chromium (issue 11, "The staff pages"): keyboard only, visible focus, no CSP violation.

axe-core is not vendored in this repository (nor available offline here), so no automated accessibility audit
runs; the checks below are the ones a test can make without it: labels, focus order, a visible focus ring.
"""

from __future__ import annotations

from typing import Any

import pytest

from store.core.triplestore import Store
from store.registry import accounts
from store.registry.database import open_database
from tests.browser.test_qualification_page import CHROMIUM_ARGS
from tests.browser.test_security_headers import RECORD_VIOLATIONS
from tests.live.conftest import LiveServer, live_server  # noqa: F401 (fixture)

pytestmark = pytest.mark.browser
EMAIL, PASSWORD = "reviewer@authority.example", "correct horse battery"


def _tab_to(page: Any, selector: str, limit: int = 30) -> None:
    """Press Tab until `selector` has the focus, as a keyboard user would; its focus ring must show."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.locator(f"{selector}:focus").count():
            outline = page.locator(":focus").evaluate("element => getComputedStyle(element).outlineStyle")
            assert outline not in ("", "none"), f"{selector} has no visible focus"
            return
    raise AssertionError(f"Tab never reached {selector}")


def test_sign_in_and_out_with_the_keyboard(live_server: LiveServer, demo_store: Store) -> None:  # noqa: F811
    sync_api = pytest.importorskip("playwright.sync_api")
    connection = open_database(demo_store.path)
    accounts.add_user(connection, EMAIL, "reviewer", name="Rev Iewer", password=PASSWORD,
                      by=accounts.operator("tester"))
    connection.close()
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(locale="en-GB")
            page.add_init_script(RECORD_VIOLATIONS)
            page.goto(f"{live_server.url}/staff/")  # not signed in: sent to the login page
            assert page.url.startswith(f"{live_server.url}/staff/login")
            assert page.get_by_label("Email").count() == 1 and page.get_by_label("Password").count() == 1
            _tab_to(page, "#email")
            page.keyboard.type(EMAIL)
            _tab_to(page, "#password")
            page.keyboard.type("not the password")
            page.keyboard.press("Enter")
            page.locator("#login-error").wait_for()
            assert page.locator("#password").get_attribute("aria-describedby") == "login-error"
            assert page.evaluate("window.__violations") == []
            _tab_to(page, "#password")
            page.keyboard.type(PASSWORD)
            page.keyboard.press("Enter")
            page.get_by_role("heading", name="Dashboard").wait_for()
            assert page.url == f"{live_server.url}/staff/"
            assert page.locator("#role").inner_text() == "reviewer" and "Rev Iewer" in page.content()
            assert page.evaluate("window.__violations") == []
            _tab_to(page, "header form.logout button")
            page.keyboard.press("Enter")
            page.get_by_text("You are signed out.").wait_for()
            page.goto(f"{live_server.url}/staff/")
            assert page.url.startswith(f"{live_server.url}/staff/login")
            assert page.evaluate("window.__violations") == []
        finally:
            browser.close()
