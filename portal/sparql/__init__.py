"""The SPARQL 1.1 Protocol endpoint, its query page and the named queries served over HTTP."""
