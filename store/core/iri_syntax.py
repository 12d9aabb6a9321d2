"""Is a string an IRI the store can hold? The same rule pyoxigraph applies (RFC 3987 absolute IRIs, any scheme).

The portal asks before it looks an IRI up (`/resource?iri=`), so a malformed one is the client's error
(400), never a failure inside a query.
"""

from __future__ import annotations

import pyoxigraph as ox


def is_absolute_iri(value: str) -> bool:
    """True for an absolute IRI of any scheme (http:, urn:uuid:, tag:, ...); False for anything else."""
    try:
        ox.NamedNode(value)
    except ValueError:
        return False
    return True
