"""Names of the graphs in the NQDB dataset.

Every imported dataset lives in its own named graph, every vocabulary in its own graph, and
portal metadata (source, checksum, import time, status, Europass readiness) in one metadata graph
that never mixes with ELM data. Graph names are URNs so that they stay stable when the public
base URL of the portal changes.
"""

from __future__ import annotations

import re

DATASET_PREFIX = "urn:nqdb:dataset:"
VOCABULARY_PREFIX = "urn:nqdb:vocabulary:"
METADATA_GRAPH = "urn:nqdb:metadata"
# The register (store/registry): record content and provenance live in the private database.
RECORD_PREFIX = "urn:nqdb:record:"
PROVENANCE_GRAPH = "urn:nqdb:provenance"
REGISTER_DATASET = "register"  # the dataset whose graph holds every published register record
# One record's quads copied into the public database only for the length of a validation inside one write;
# dropped before the write publishes (store/registry/records.py), so never part of a published snapshot.
SCRATCH_GRAPH = "urn:nqdb:scratch:validation"

_DATASET_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")


def is_valid_dataset_id(dataset_id: str) -> bool:
    """Dataset ids are short path-safe names: letters, digits, '.', '_' and '-'."""
    return bool(_DATASET_ID.match(dataset_id))


def dataset_graph(dataset_id: str) -> str:
    """The named graph that holds one published dataset."""
    return DATASET_PREFIX + dataset_id


def vocabulary_graph(name: str) -> str:
    """The named graph that holds one controlled vocabulary (file stem under ontology/vocabularies)."""
    return VOCABULARY_PREFIX + name


def record_working_graph(key: str) -> str:
    """The private graph holding the working copy (the next version) of register record `key`."""
    return f"{RECORD_PREFIX}{key}:working"


def record_version_graph(key: str, version: int) -> str:
    """The private graph holding immutable version `version` of register record `key`."""
    return f"{RECORD_PREFIX}{key}:v{version}"


def dataset_id_of(graph: str) -> str | None:
    """The dataset id of a dataset graph name, or None for any other graph."""
    return graph[len(DATASET_PREFIX):] if graph.startswith(DATASET_PREFIX) else None


def is_published_graph(graph: str) -> bool:
    """Graphs of the public database: datasets and vocabularies. Any other graph (metadata, change log,
    future drafts) lives in the snapshot's private database and can never leak into SPARQL or dumps."""
    return graph.startswith(DATASET_PREFIX) or graph.startswith(VOCABULARY_PREFIX)
