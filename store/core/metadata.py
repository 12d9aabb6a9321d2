"""Portal metadata about datasets and qualifications, kept in its own graph, never on ELM nodes."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from store.core import graphs
from store.core.namespaces import DCAT, DCT, NQDB, RDF, XSD
from store.core.terms import Text
from store.core.writer import Writer

STATUS_PUBLISHED = "published"


@dataclass(frozen=True)
class DatasetRecord:
    """What NQDB records about one imported dataset."""

    dataset_id: str
    title: str
    source: str
    sha256: str
    triples: int
    qualifications: int
    conforms: bool
    nonconforming: frozenset[str]
    annex_vi_score: float | None
    imported: datetime


def dataset_node(dataset_id: str) -> str:
    """The metadata subject for a dataset (its graph name)."""
    return graphs.dataset_graph(dataset_id)


def sha256_of(path: Path) -> str:
    """SHA-256 of a file, streamed."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def now() -> datetime:
    """The current time in UTC, to the second."""
    return datetime.now(UTC).replace(microsecond=0)


def _typed(value: object, datatype: str) -> Text:
    return Text(str(value), datatype=XSD + datatype)


def forget_dataset(writer: Writer, dataset_id: str) -> None:
    """Remove a dataset's record and its per-qualification entries from the metadata graph."""
    node = dataset_node(dataset_id)
    entries = list(writer.subjects_with(NQDB + "inDataset", node, graphs.METADATA_GRAPH))
    writer.remove_subjects([node, *entries], graphs.METADATA_GRAPH)


def record_dataset(writer: Writer, record: DatasetRecord, issued: datetime | None = None) -> None:
    """Write a dataset's record (replacing an older one) and mark non-conforming qualifications."""
    forget_dataset(writer, record.dataset_id)
    node = dataset_node(record.dataset_id)
    stamp = _typed(record.imported.isoformat(), "dateTime")
    triples: list[tuple[str, str, str | Text]] = [
        (node, RDF + "type", DCAT + "Dataset"),
        (node, DCT + "identifier", Text(record.dataset_id)),
        (node, DCT + "title", Text(record.title)),
        (node, DCT + "source", Text(record.source)),
        (node, DCT + "issued", _typed((issued or record.imported).isoformat(), "dateTime")),
        (node, DCT + "modified", stamp),
        (node, NQDB + "sha256", Text(record.sha256)),
        (node, NQDB + "status", Text(STATUS_PUBLISHED)),
        (node, NQDB + "triples", _typed(record.triples, "integer")),
        (node, NQDB + "qualifications", _typed(record.qualifications, "integer")),
        (node, NQDB + "conforms", _typed(str(record.conforms).lower(), "boolean")),
    ]
    if record.annex_vi_score is not None:
        triples.append((node, NQDB + "annexVIScore", _typed(round(record.annex_vi_score, 4), "decimal")))
    for qualification in sorted(record.nonconforming):
        triples += [(qualification, NQDB + "inDataset", node),
                    (qualification, NQDB + "europassReady", _typed("false", "boolean"))]
    writer.add(triples, graphs.METADATA_GRAPH)
