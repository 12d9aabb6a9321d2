"""The register published in bulk and described: dumps, researcher tables, the DCAT-AP catalogue, VoID and
resource descriptions for dereferencing.

Imports only `store.core`.
"""
