"""schema.org EducationalOccupationalCredential JSON-LD for search engines, embedded in qualification pages.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

from markupsafe import Markup

from portal.web.language import Picked
from store.core.namespaces import SCHEMA_CONTEXT


def _text(value: object) -> str | None:
    return value.text if isinstance(value, Picked) else None


def _labels(links: object) -> list[str]:
    if not isinstance(links, list):
        return []
    return [label.text for link in links if isinstance(label := link.get("label"), Picked)]


def credential_json_ld(view: Mapping[str, object], iri: str) -> Markup:
    """The credential as a <script>-safe JSON string ('<', '>' and '&' escaped as \\u003c etc.)."""
    bodies = view.get("awarding_bodies")
    document: dict[str, object] = {
        "@context": SCHEMA_CONTEXT,
        "@type": "EducationalOccupationalCredential",
        "@id": iri,
        "url": iri,
        "name": _text(view.get("title")),
        "description": _text(view.get("description")),
        "credentialCategory": "qualification",
        "educationalLevel": ", ".join(_labels(view.get("eqf")) + _labels(view.get("nqf"))) or None,
        "about": _labels(view.get("field")) or None,
        "inLanguage": _labels(view.get("languages")) or None,
        "recognizedBy": [{"@type": "Organization", "@id": link["iri"], "name": label.text}
                         for link in bodies if isinstance(label := link.get("label"), Picked)]
        if isinstance(bodies, list) else None,
        "competencyRequired": [text.text for _, group in _groups(view) for o in group
                               if isinstance(text := o.get("text"), Picked)] or None,
    }
    compact = {k: v for k, v in document.items() if v not in (None, [], "")}
    text = json.dumps(compact, ensure_ascii=False)
    return Markup(text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e"))


def _groups(view: Mapping[str, object]) -> list[tuple[str, list[dict[str, object]]]]:
    groups = view.get("outcomes")
    return groups if isinstance(groups, list) else []
