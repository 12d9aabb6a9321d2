"""Every named query parses, documents itself and runs against the demo data."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from store.core import queries
from store.core.triplestore import Store
from tests.conftest import BASE

# Sample values for the parameters that named queries declare in their "Binds:" header.
SAMPLES: dict[str, str] = {
    "graph": "urn:nqdb:dataset:demo",
    "dataset": "urn:nqdb:dataset:demo",
}


@pytest.mark.parametrize("name", queries.names())
def test_query_parses_and_documents_itself(name: str) -> None:
    named = queries.describe(name)
    assert named.title, f"{name}.rq needs a '# {name}.rq — Title.' first line"
    ox.Store().query(named.text)  # raises SyntaxError on a broken query


@pytest.mark.parametrize("name", queries.names())
def test_query_runs_on_the_demo(demo_store: Store, name: str) -> None:
    named = queries.describe(name)
    bindings = {p: SAMPLES.get(p, f"{BASE}/id/qualification/DEMO-0001") for p in named.parameters}
    text = named.text.lstrip()
    body = "\n".join(line for line in text.splitlines() if not line.startswith("#")).upper()
    if "ASK" in body.split("{")[0]:
        demo_store.ask(name, **bindings)
    elif "CONSTRUCT" in body.split("{")[0] or "DESCRIBE" in body.split("{")[0]:
        demo_store.construct(name, "text/turtle", **bindings)
    else:
        demo_store.select(name, **bindings)


def test_binds_header_is_read_once_with_each_kind() -> None:
    """'# Binds:' is parsed when the file is loaded; later calls return that same description."""
    named = queries.describe("example_learning_outcomes_mentioning")
    assert named.parameter_kinds() == {"term": "literal"}
    assert queries.describe("example_qualifications_by_eqf_level").parameter_kinds() == {"eqfLevel": "IRI"}
    assert queries.describe("feed_page_since").parameter_kinds() == {"since": "IRI"}  # no (IRI|literal) given
    assert queries.describe("example_learning_outcomes_mentioning") is named
