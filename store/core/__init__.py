"""The triple store: immutable published snapshots, the writer, terms and the names everything else uses.

Owns every pyoxigraph handle (`triplestore.Store`, `snapshots`, `writer`), the one table of media types
(`formats`), the namespaces and prefix map (`namespaces`), IRI minting and syntax (`iris`, `iri_syntax`), graph
names (`graphs`), named SPARQL text (`queries`, `execute`), private metadata, the change log and statistics.
Imports nothing else from `store`.
"""
