"""The write API's parts that stand without the record engine (issue 11): the rate-limit bucket, idempotency
keys in the register, the OpenAPI document."""

from __future__ import annotations

from pathlib import Path

import pytest
import schemathesis

from portal import create_app
from portal.api import openapi
from portal.api.rate_limit import TokenBuckets
from store.core.triplestore import Store
from store.registry import idempotency
from store.registry.database import open_database
from tests.register_state import rows


def test_the_bucket_refills_evenly() -> None:
    buckets = TokenBuckets(2, 10.0)
    assert [buckets.take("t", now=0.0) for _ in range(2)] == [0.0, 0.0]
    assert buckets.take("t", now=0.0) == pytest.approx(5.0)  # one request back every 5 s
    assert buckets.take("t", now=4.0) == pytest.approx(1.0)
    assert buckets.take("t", now=5.0) == 0.0
    assert buckets.take("other", now=5.0) == 0.0  # each key has its own bucket


def test_an_idempotency_key_replays_its_response_and_refuses_another_request(tmp_path: Path) -> None:
    connection = open_database(tmp_path)
    assert idempotency.recall(connection, "token:1", "k1", "hash-a") is None
    idempotency.remember(connection, "token:1", "k1", "hash-a", 201, '{"key": "Q-1"}')
    replay = idempotency.recall(connection, "token:1", "k1", "hash-a")
    assert replay == idempotency.StoredResponse(201, '{"key": "Q-1"}')
    assert idempotency.recall(connection, "token:2", "k1", "hash-b") is None  # keys are per actor
    before = rows(connection)
    with pytest.raises(idempotency.IdempotencyKeyReused, match="different request"):
        idempotency.recall(connection, "token:1", "k1", "hash-b")
    idempotency.remember(connection, "token:1", "k1", "hash-a", 500, "{}")  # the first answer stays
    assert rows(connection) == before
    connection.close()


def test_the_openapi_document_is_valid_and_every_error_is_a_problem(empty_store: Store) -> None:
    app = create_app({"TESTING": True, "STORE": str(empty_store.path)})
    with app.app_context():
        document = openapi.document()
    operations = list(schemathesis.openapi.from_dict(document).get_all_operations())
    assert len(operations) == 12 and all(result.ok() for result in operations)
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method == "parameters" or path == "/openapi.json":
                continue
            assert {"401", "429"} <= set(operation["responses"]), (path, method)
            for status, answer in operation["responses"].items():
                if int(status) >= 400:
                    schema = answer["content"]["application/problem+json"]["schema"]
                    assert schema == {"$ref": "#/components/schemas/Problem"}, (path, method, status)
