"""Which addresses from the data may become links: only http, https and mailto (issue 9 case 7).

Imported data is not ours: a `foaf:homepage` or `elm:contentUrl` of `javascript:alert(1)` (or `data:`,
`vbscript:`, ...) must never become a live `href`. Templates ask `{% if url is web_link %}`; anything else
is shown as text. static/sparql.js applies the same rule to SPARQL results (its `webLink` function).
"""

from __future__ import annotations

import re

from flask import Flask

# Matched on the raw value from its first character: a browser strips leading spaces and control characters
# and removes tabs and newlines anywhere before it reads the scheme, so " javascript:" or "java\tscript:" do
# not match here and stay text, while anything that does match has exactly this scheme for the browser too.
_WEB_LINK = re.compile(r"(?:https?://|mailto:)[^\s\x00-\x1f\x7f]", re.IGNORECASE)


def is_web_link(value: object) -> bool:
    """True if `value` is an http(s) or mailto address, safe as an href; anything else is shown as text."""
    return isinstance(value, str) and _WEB_LINK.match(value) is not None


def init_app(app: Flask) -> None:
    """Make the rule available to templates as the Jinja test `web_link`."""
    app.jinja_env.tests["web_link"] = is_web_link
