"""Publish one register record into the public snapshot incrementally: cost what changed, not what exists.

Every published record lives in one dataset graph, `graphs.dataset_graph(graphs.REGISTER_DATASET)`. A new
version removes exactly the quads of the previous one (known from its private version graph) and adds its own;
a quad about a shared node (an awarding body, a concept stub) stays while another published record still
states it. The dataset record's counts and score are adjusted, not recomputed, and the change feed gets events
for this record's resources only. Withdrawn and superseded records keep their last published description and
gain `elm:status` (a Europass status IRI as xsd:string, as the LOQ shapes want) and an `elm:additionalNote`
saying since when, why and what replaces them (docs/lifecycle.md says why not dct:isReplacedBy).
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

import pyoxigraph as ox

from store.core import changes, graphs, metadata
from store.core.namespaces import ELM, EUROPASS_STATUS, NQDB, RDF, XSD
from store.core.writer import Writer
from store.registry.content import owns
from store.validation.completeness import annex_vi_completeness

REGISTER_GRAPH = graphs.dataset_graph(graphs.REGISTER_DATASET)
RELEASED, OBSOLETE, NOT_PUBLISHED_ANYMORE = (EUROPASS_STATUS + s for s in ("released", "obsolete",
                                                                          "not-published-anymore"))
LIFECYCLE_NOTE = "#lifecycle"  # fragment of the owned elm:Note that says why a record ended
_STATUS, _NOTE = ox.NamedNode(ELM + "status"), ox.NamedNode(ELM + "additionalNote")


@dataclass(frozen=True)
class Published:
    """What one incremental publication changed in the public register graph."""

    added: int      # quads added
    removed: int    # quads removed
    events: int     # change-feed events written


def publish_version(writer: Writer, record_iri: str, key: str, version: int, new: Sequence[ox.Triple],
                    old: Sequence[ox.Triple] | None, other_live_graphs: Collection[str], when: datetime) -> Published:
    """Replace the record's previous public version (`old`, None on first publish) by `new`, in place."""
    resources = _resources([*new, *(old or ())])
    before = _hashes(writer, resources)
    removed = _remove(writer, record_iri, old or (), set(new), other_live_graphs)
    added = _add(writer, new)
    events = changes.record(writer, REGISTER_GRAPH, before, _hashes(writer, resources), when)
    _adjust_dataset(writer, key, version, added - removed, first=old is None, when=when,
                    scores=(_score(old) if old is not None else None, _score(new)))
    return Published(added, removed, events)


def mark_ended(writer: Writer, record_iri: str, key: str, status: str, note: str, when: datetime) -> Published:
    """Keep the record's public description and state that it ended: `status` and a note in plain words."""
    subject, note_node = ox.NamedNode(record_iri), ox.NamedNode(record_iri + LIFECYCLE_NOTE)
    target = ox.NamedNode(REGISTER_GRAPH)
    resources = [record_iri, note_node.value]
    before = _hashes(writer, resources)
    stale = [q for q in writer.ox.quads_for_pattern(subject, _STATUS, None, target)]
    stale += writer.ox.quads_for_pattern(note_node, None, None, target)
    for quad in stale:
        writer.ox.remove(quad)
    ended = [ox.Triple(subject, _STATUS, ox.Literal(status, datatype=ox.NamedNode(XSD + "string"))),
             ox.Triple(subject, _NOTE, note_node),
             ox.Triple(note_node, ox.NamedNode(RDF + "type"), ox.NamedNode(ELM + "Note")),
             ox.Triple(note_node, ox.NamedNode(ELM + "noteLiteral"), ox.Literal(note, language="en"))]
    added = _add(writer, ended)
    events = changes.record(writer, REGISTER_GRAPH, before, _hashes(writer, resources), when)
    _adjust_dataset(writer, key, None, added - len(stale), first=False, when=when, scores=None)
    return Published(added, len(stale), events)


def _resources(triples: Iterable[ox.Triple]) -> list[str]:
    return sorted({t.subject.value for t in triples if isinstance(t.subject, ox.NamedNode)})


def _hashes(writer: Writer, resources: Iterable[str]) -> dict[str, str]:
    """Change-feed hashes of these resources' descriptions in the register graph (only those described)."""
    out = {}
    for resource in resources:
        described = changes.describe(writer.ox, REGISTER_GRAPH, resource)
        if described:
            out[resource] = changes.description_hash(described)
    return out


def _remove(writer: Writer, record_iri: str, old: Iterable[ox.Triple], keep: set[ox.Triple],
            other_live_graphs: Collection[str]) -> int:
    """Remove the previous version's quads, except shared statements another live record still makes."""
    target, removed = ox.NamedNode(REGISTER_GRAPH), 0
    for triple in old:
        if triple in keep:
            continue
        owned = isinstance(triple.subject, ox.NamedNode | ox.BlankNode) and owns(record_iri, triple.subject)
        if not owned and _stated_elsewhere(writer, triple, other_live_graphs):
            continue
        quad = ox.Quad(triple.subject, triple.predicate, triple.object, target)
        if quad in writer.ox:
            writer.ox.remove(quad)
            removed += 1
    return removed


def _stated_elsewhere(writer: Writer, triple: ox.Triple, other_live_graphs: Collection[str]) -> bool:
    pattern = writer.private.quads_for_pattern(triple.subject, triple.predicate, triple.object, None)
    return any(isinstance(q.graph_name, ox.NamedNode) and q.graph_name.value in other_live_graphs for q in pattern)


def _add(writer: Writer, triples: Iterable[ox.Triple]) -> int:
    target = ox.NamedNode(REGISTER_GRAPH)
    fresh = [ox.Quad(t.subject, t.predicate, t.object, target) for t in triples]
    fresh = [q for q in dict.fromkeys(fresh) if q not in writer.ox]
    writer.ox.extend(fresh)
    return len(fresh)


def _score(triples: Sequence[ox.Triple]) -> float:
    """The Annex VI score of one record, from its own triples (an in-memory store: no snapshot scan)."""
    handle, target = ox.Store(), ox.NamedNode(graphs.SCRATCH_GRAPH)
    handle.extend(ox.Quad(t.subject, t.predicate, t.object, target) for t in triples)
    return annex_vi_completeness(handle, graphs.SCRATCH_GRAPH).dataset_score


def _adjust_dataset(writer: Writer, key: str, version: int | None, delta: int, *, first: bool, when: datetime,
                    scores: tuple[float | None, float] | None) -> None:
    """Rewrite the register's dataset record from its previous values and this change (no graph scan)."""
    known = _dataset_values(writer)
    triples = int(known.get("triples", "0")) + delta
    count = int(known.get("qualifications", "0")) + (1 if first else 0)
    score = float(known["annexVIScore"]) if "annexVIScore" in known else None
    if scores is not None:
        old_score, new_score = scores
        total = (score or 0.0) * (count - (1 if first else 0)) - (old_score or 0.0) + new_score
        score = total / count if count else None
    chain = hashlib.sha256(f"{known.get('sha256', '')} {key} {version} {when.isoformat()}".encode()).hexdigest()
    issued = datetime.fromisoformat(known["issued"]) if "issued" in known else None
    record = metadata.DatasetRecord(graphs.REGISTER_DATASET, "Register of qualifications", "register", chain,
                                    triples, count, known.get("conforms", "true") == "true", frozenset(), score,
                                    when)
    metadata.record_dataset(writer, record, issued)


def _dataset_values(writer: Writer) -> dict[str, str]:
    """The register dataset record's current literal values by local name (triples, issued, sha256, ...)."""
    node = ox.NamedNode(metadata.dataset_node(graphs.REGISTER_DATASET))
    values = {}
    for quad in writer.private.quads_for_pattern(node, None, None, ox.NamedNode(graphs.METADATA_GRAPH)):
        name = quad.predicate.value.removeprefix(NQDB).rsplit("/", 1)[-1]
        if isinstance(quad.object, ox.Literal):
            values[name] = quad.object.value
    return values
