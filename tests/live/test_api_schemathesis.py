"""The write API answers as its OpenAPI document says (issue 11): schemathesis against a real server.

Every operation of /api/v1/openapi.json, loaded over HTTP from a portal on 127.0.0.1, gets at most
MAX_EXAMPLES generated requests with a valid editor token; each response must not be a 5xx and must
conform to the document (status code, content type, body schema).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from werkzeug.serving import make_server

from portal import create_app
from store.core.triplestore import Store
from store.registry import accounts, tokens
from store.registry.database import open_database
from tests.conftest import BASE
from tests.record_content import ORG_A

MAX_EXAMPLES = 25
CHECKS = [not_a_server_error, response_schema_conformance, status_code_conformance, content_type_conformance]
ORG = ORG_A


@pytest.fixture
def api_server(empty_store: Store) -> Iterator[tuple[str, str]]:
    """(root URL, editor token) of a portal served over HTTP with a register of one body."""
    connection = open_database(empty_store.path)
    operator = accounts.operator("test")
    accounts.add_organisation(connection, ORG, "Body A", by=operator)
    _, secret = tokens.create_token(connection, "fuzzer", organisations=[ORG], by=operator)
    connection.close()
    app = create_app({"TESTING": True, "STORE": str(empty_store.path), "PUBLIC_BASE_URL": BASE,
                      "API_RATE_LIMIT": 0})
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", secret
    finally:
        server.shutdown()
        thread.join(timeout=5)


@pytest.mark.live
def test_every_operation_answers_as_documented(api_server: tuple[str, str]) -> None:
    url, secret = api_server
    schema = schemathesis.openapi.from_url(f"{url}/api/v1/openapi.json")
    headers = {"Authorization": f"Bearer {secret}"}
    examples: dict[str, int] = {}
    operations = [result.ok() for result in schema.get_all_operations()]
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=MAX_EXAMPLES, deadline=None, phases=[Phase.generate], database=None,
                  suppress_health_check=list(HealthCheck))
        def run(case: schemathesis.Case) -> None:
            examples[case.operation.label] = examples.get(case.operation.label, 0) + 1
            case.call_and_validate(base_url=f"{url}/api/v1", headers=headers, checks=CHECKS, timeout=30)

        run()
    # the 11 record operations (loaded over HTTP, schemathesis leaves out GET /openapi.json, the public document
    # itself; tests/test_api_parts.py counts all 12 from the document)
    assert set(examples) == {operation.label for operation in operations} and len(operations) >= 11, examples
    print(f"schemathesis: {len(examples)} operations, {sum(examples.values())} examples: {examples}")
