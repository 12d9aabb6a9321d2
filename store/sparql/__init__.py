"""The public SPARQL 1.1 service: one query's course from protocol request to answer (`service`), query
inspection and dataset resolution (`engine`), federation refusal, isolated worker processes with time and
memory limits and their pipe messages (`workers`, `messages`, `sandbox`), result serialisation (`results`)
and the service description.

Imports only `store.core`.
"""
