"""Is this ELM data fit to publish: the fast LOQ SHACL engine (`engine`, `shapes`), one class per SHACL
constraint kind (`constraints`), messages and reports (`messages`, `report`, `profile`), EQF Annex VI
completeness scores and the ELM-content check.

Imports only `store.core`.
"""
