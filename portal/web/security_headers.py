"""Security headers on every response (issue 9 case 8): a Content-Security-Policy the pages satisfy, and more.

The pages run no inline script and no inline event handler (static/sparql.js is the only script, a file);
the JSON-LD `<script type="application/ld+json">` of a qualification page is a data block, which browsers
never execute, so `script-src 'self'` does not apply to it (tests/browser/test_security_headers.py checks
that Chromium reports no violation). Styles are files too. `frame-ancestors 'none'` and
`X-Frame-Options: DENY` (for browsers without CSP level 2) refuse framing (clickjacking); `nosniff` stops
a browser reading a dump or a SPARQL result as HTML or script.
"""

from __future__ import annotations

from flask import Flask, Response

CONTENT_SECURITY_POLICY = "; ".join((
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",   # the SPARQL page POSTs queries to /sparql
    "form-action 'self'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
))
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    # Other sites see where a visitor came from only as our origin, never a page's path or query.
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def add_security_headers(response: Response) -> Response:
    """Set each header unless the view chose its own value."""
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def init_app(app: Flask) -> None:
    """Add the headers to every response of `app`, error pages and static files included."""
    app.after_request(add_security_headers)
