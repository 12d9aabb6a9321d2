"""The IRI policy: every resource NQDB mints lives at <PUBLIC_BASE_URL>/id/<kind>/<key>.

This is the one place that builds and reads those IRIs; the demo data, the table importer and
the portal's resource pages all call it.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote, unquote

# URL path segment -> ELM class local name (documented in README "IRI patterns").
KINDS: dict[str, str] = {
    "qualification": "Qualification",
    "learning-outcome": "LearningOutcome",
    "organisation": "Organisation",
    "accreditation": "Accreditation",
    "awarding-opportunity": "AwardingOpportunity",
    "credit-point": "CreditPoint",
    "identifier": "Identifier",
    "note": "Note",
    "web-resource": "WebResource",
    "location": "Location",
    "address": "Address",
    "contact-point": "ContactPoint",
    "dataset": "Dataset",
}



@dataclass(frozen=True)
class MintedIri:
    """A parsed NQDB IRI."""

    kind: str
    key: str


def normalise_base(base_url: str) -> str:
    """The base URL without a trailing slash."""
    return base_url.rstrip("/")


def mint(base_url: str, kind: str, key: str) -> str:
    """The IRI of resource `key` of `kind` under `base_url`."""
    if kind not in KINDS:
        raise ValueError(f"Unknown resource kind {kind!r}; expected one of {', '.join(KINDS)}.")
    return f"{normalise_base(base_url)}/id/{kind}/{quote(key, safe='')}"


def parse(base_url: str, iri: str) -> MintedIri | None:
    """The kind and key of an IRI minted under `base_url`, or None if it is not one of ours."""
    prefix = normalise_base(base_url) + "/id/"
    if not iri.startswith(prefix):
        return None
    kind, _, key = iri[len(prefix):].partition("/")
    if kind not in KINDS or not key or "/" in key:
        return None
    return MintedIri(kind, unquote(key))
