"""The governed register: who may do what (accounts, roles, API tokens, sessions), the record lifecycle
(draft → submitted → approved → published → withdrawn / superseded) with immutable versions, and the audit log.

Relational state lives in one SQLite database beside the snapshots (`database`); the ELM content of drafts and
versions lives in the private Oxigraph database, published records in the public snapshot. The top store layer:
may import every other store package.
"""
