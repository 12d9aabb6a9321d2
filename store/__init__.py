"""NQDB store layer: the only code that talks to pyoxigraph; speaks plain Python to its callers.

Concerns, lowest first; a package imports only from packages before it in this list (tests/test_layers.py):

1. `store.core`: the triple store and its immutable snapshots, the writer, terms, names (namespaces, IRIs,
   graphs, media types), named SPARQL queries, the private metadata, the change log, statistics.
2. `store.validation`: the LOQ SHACL engine, shapes, messages, reports, EQF Annex VI completeness.
3. `store.sparql`: the public SPARQL service: query checks, worker processes, sandbox, result writers.
4. `store.opendata`: what is published in bulk: dumps, researcher tables, DCAT-AP catalogue, VoID, descriptions.
5. `store.ingest`: what comes in: RDF input, credentials, the importer, spreadsheets (mapping), bootstrap.
6. `store.registry`: the governed register: accounts, roles, tokens, the record lifecycle, versions, audit.
"""
