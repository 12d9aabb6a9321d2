"""Is this ELM data fit to publish: the fast LOQ SHACL engine (`engine`, `shapes`), its messages and reports
(`messages`, `report`, `profile`), one class per SHACL constraint kind (`constraints`), EQF Annex VI completeness scores and the ELM-content check.

Imports only `store.core`.
"""
