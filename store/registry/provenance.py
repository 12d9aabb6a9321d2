"""Record events as PROV-O in the private database, so a record's history is queryable with SPARQL.

Each register action is one prov:Activity (named after its audit entry, so the two agree) in the graph
`graphs.PROVENANCE_GRAPH`: prov:wasAssociatedWith the acting agent (user or token), prov:used the graph it
read (the working copy, or the version it withdraws), prov:generated the version graph it made, its
prov:startedAtTime and the reason. Written in the same store.write() as the change it describes.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

import pyoxigraph as ox

from store.core import execute, graphs
from store.core.namespaces import NQDB, PROV, RDF, XSD
from store.core.writer import Writer

ACTIVITY_PREFIX = "urn:nqdb:activity:"
AGENT_PREFIX = "urn:nqdb:agent:"


@dataclass(frozen=True)
class Activity:
    """One recorded action on a record, as read back from the private database."""

    activity: str
    action: str
    agent: str
    started: str
    used: str | None
    generated: str | None
    reason: str | None


def agent_iri(actor: str) -> str:
    """The prov:Agent IRI of an actor ("user:<email>" or "token:<id>")."""
    return AGENT_PREFIX + quote(actor, safe=":@")


def record_activity(writer: Writer, *, audit_id: int, record_iri: str, action: str, actor: str, at: str,
                    used: str | None = None, generated: str | None = None, reason: str | None = None) -> str:
    """Add one prov:Activity to the private provenance graph; returns its IRI."""
    activity, agent = ox.NamedNode(f"{ACTIVITY_PREFIX}{audit_id:012d}"), ox.NamedNode(agent_iri(actor))
    target, a = ox.NamedNode(graphs.PROVENANCE_GRAPH), ox.NamedNode(RDF + "type")
    quads = [ox.Quad(activity, a, ox.NamedNode(PROV + "Activity"), target),
             ox.Quad(agent, a, ox.NamedNode(PROV + "Agent"), target),
             ox.Quad(activity, ox.NamedNode(PROV + "wasAssociatedWith"), agent, target),
             ox.Quad(activity, ox.NamedNode(PROV + "startedAtTime"),
                     ox.Literal(at, datatype=ox.NamedNode(XSD + "dateTime")), target),
             ox.Quad(activity, ox.NamedNode(NQDB + "action"), ox.Literal(action), target),
             ox.Quad(activity, ox.NamedNode(NQDB + "record"), ox.NamedNode(record_iri), target)]
    if used is not None:
        quads.append(ox.Quad(activity, ox.NamedNode(PROV + "used"), ox.NamedNode(used), target))
    if generated is not None:
        quads += [ox.Quad(activity, ox.NamedNode(PROV + "generated"), ox.NamedNode(generated), target),
                  ox.Quad(ox.NamedNode(generated), ox.NamedNode(PROV + "wasGeneratedBy"), activity, target)]
    if reason:
        quads.append(ox.Quad(activity, ox.NamedNode(NQDB + "reason"), ox.Literal(reason), target))
    writer.private.extend(quads)
    return activity.value


def activities(private: ox.Store, record_iri: str) -> list[Activity]:
    """The activities of one record, oldest first, from a private database (a snapshot's or a writer's)."""
    rows = execute.select(private, "record_activities", {"record": record_iri})
    return [Activity(r["activity"].value, r["action"].value, r["agent"].value, r["started"].value,
                     r["used"].value if "used" in r else None,
                     r["generated"].value if "generated" in r else None,
                     r["reason"].value if "reason" in r else None) for r in rows]
