"""The public SPARQL 1.1 service: query inspection and dataset resolution (`engine`), federation refusal,
isolated worker processes with time and memory limits (`workers`, `sandbox`), result serialisation
(`results`) and the service description.

Imports only `store.core`.
"""
