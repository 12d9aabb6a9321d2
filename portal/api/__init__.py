"""The register's write API under /api/v1 (issue 11): records created, edited and moved through their lifecycle
by programs with a bearer token, and the OpenAPI 3.1 document that describes it (/api/v1/openapi.json).

`blueprint` wires the routes and the hooks every API response shares (no-store, body limit, problems);
`auth` turns a bearer token into a principal (and rate-limits it, `rate_limit`); `records` are the views;
`pagination` and `idempotency` are the cursor and `Idempotency-Key` rules; `openapi` is the document, built
in one place. The register itself (accounts, tokens, records, permissions) is `store.registry`; this package
only speaks HTTP. A blueprint package: imports `portal.web` and `store`, nothing above it.
"""
