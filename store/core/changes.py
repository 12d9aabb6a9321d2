"""The change log behind the harvester feed: created / updated / withdrawn events per resource.

A resource is an IRI subject of a dataset graph; its description is its triples plus the blank nodes
they reach (a concise bounded description). On each import the importer hashes every description
before and after (`resource_hashes`) and `record` writes one event per difference into the graph
urn:nqdb:changes, in the same write as the data: events are atomic with what they describe. That graph
lives in the snapshot's private database, never in the public default graph (store/core/snapshots.py).

Events are grouped into immutable pages of at most PAGE_SIZE events; each import starts a new page,
so a page never changes once published and pages are in time order.
"""

from __future__ import annotations

import hashlib
import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from itertools import islice

import pyoxigraph as ox

from store.core import execute
from store.core.namespaces import AS, NQDB, RDF, XSD
from store.core.terms import Text
from store.core.triplestore import Store
from store.core.writer import Writer

CHANGES_GRAPH = "urn:nqdb:changes"
PAGE_PREFIX = "urn:nqdb:changes:page:"
EVENT_PREFIX = "urn:nqdb:changes:event:"
PAGE_SIZE = 100
BATCH = 200_000  # event quads per bulk_extend
CREATE, UPDATE, DELETE = "Create", "Update", "Delete"
_BNODE_OBJECT = re.compile(rb"^(.*) _:(\S+) \.\n$", re.S)
_MASK = (1 << 128) - 1


@dataclass(frozen=True)
class Event:
    """One change of one resource, as stored and as served."""

    sequence: int
    kind: str                   # Create, Update or Delete (Activity Streams 2.0 activity types)
    resource: str
    graph: str
    hash: str
    content: bytes | None       # N-Triples of the current description, when this is still its version


@dataclass(frozen=True)
class Page:
    """One page of the feed."""

    number: int
    published: str
    start: int
    events: tuple[Event, ...]


@dataclass(frozen=True)
class Summary:
    """The whole feed at a glance."""

    pages: int
    events: int
    updated: str | None


# -- hashing ----------------------------------------------------------------------------------------
def resource_hashes(handle: ox.Store, graph: str) -> dict[str, str]:
    """Content hash of every IRI subject's description in `graph` (blank-node labels do not matter)."""
    with tempfile.TemporaryFile() as dumped:
        handle.dump(dumped, ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(graph))
        dumped.seek(0)
        blank: dict[bytes, list[bytes]] = {}
        for line in dumped:
            if line.startswith(b"_:"):
                label, _, rest = line[2:].partition(b" ")
                blank.setdefault(label, []).append(rest)
        dumped.seek(0)
        sums: dict[bytes, int] = {}
        canon = _Canon(blank)
        for line in dumped:
            if line.startswith(b"<"):
                end = line.index(b"> ")
                subject = line[1:end]
                sums[subject] = (sums.get(subject, 0) + canon.digest(line[end + 2:])) & _MASK
    return {s.decode("utf-8"): f"{v:032x}" for s, v in sums.items()}


class _Canon:
    """Digests of description lines with blank-node objects replaced by their content hash.

    Blank nodes nest as deep as the data (an rdf:List of 10,000 items is a chain 10,000 deep), so the
    content hash is computed with an explicit stack, never by recursion (issue 9 case 17).
    """

    def __init__(self, blank: dict[bytes, list[bytes]]) -> None:
        self.blank, self.memo = blank, dict[bytes, bytes]()

    def digest(self, rest: bytes) -> int:
        """A 128-bit digest of '<p> <o> .\\n'; summing digests makes a description's hash order-free."""
        match = _BNODE_OBJECT.match(rest)
        if match:
            rest = match.group(1) + b" _:" + self.node(match.group(2)) + b" .\n"
        return _digest(rest)

    def node(self, label: bytes) -> bytes:
        """The content hash of one blank node; a blank-node cycle hashes its back edge as 'cycle'."""
        if label in self.memo:
            return self.memo[label]
        stack = [_Frame(label, self.blank.get(label, []))]
        open_labels = {label}
        while stack:
            frame = stack[-1]
            if frame.index == len(frame.lines):
                stack.pop()
                open_labels.discard(frame.label)
                self.memo[frame.label] = f"{frame.total & _MASK:032x}".encode()
                continue
            rest = frame.lines[frame.index]
            match = _BNODE_OBJECT.match(rest)
            if match:
                child = match.group(2)
                if child not in self.memo and child not in open_labels:
                    open_labels.add(child)
                    stack.append(_Frame(child, self.blank.get(child, [])))
                    continue  # this line is digested once the child's hash is known
                hashed = b"cycle" if child in open_labels else self.memo[child]
                rest = match.group(1) + b" _:" + hashed + b" .\n"
            frame.total += _digest(rest)
            frame.index += 1
        return self.memo[label]


@dataclass
class _Frame:
    """One blank node whose lines are being digested: the explicit stack's entry."""

    label: bytes
    lines: list[bytes]
    index: int = 0
    total: int = 0


def _digest(line: bytes) -> int:
    return int.from_bytes(hashlib.sha256(line).digest()[:16], "big")


def describe(handle: ox.Store, graph: str, resource: str) -> list[ox.Triple]:
    """The resource's triples in `graph` and those of the blank nodes they reach."""
    target, out, seen = ox.NamedNode(graph), list[ox.Triple](), set[str]()
    pending: list[ox.NamedNode | ox.BlankNode] = [ox.NamedNode(resource)]
    while pending:
        subject = pending.pop()
        for quad in handle.quads_for_pattern(subject, None, None, target):
            out.append(quad.triple)
            if isinstance(quad.object, ox.BlankNode) and quad.object.value not in seen:
                seen.add(quad.object.value)
                pending.append(quad.object)
    return out


def description_hash(triples: list[ox.Triple]) -> str:
    """The hash resource_hashes gives the same description."""
    text = ox.serialize(triples, None, ox.RdfFormat.N_TRIPLES) or b""
    blank: dict[bytes, list[bytes]] = {}
    total = 0
    lines = text.splitlines(keepends=True)
    for line in lines:
        if line.startswith(b"_:"):
            label, _, rest = line[2:].partition(b" ")
            blank.setdefault(label, []).append(rest)
    canon = _Canon(blank)
    for line in lines:
        if line.startswith(b"<"):
            total = (total + canon.digest(line[line.index(b"> ") + 2:])) & _MASK
    return f"{total:032x}"


# -- recording --------------------------------------------------------------------------------------
def diff(before: dict[str, str], after: dict[str, str]) -> list[tuple[str, str, str]]:
    """(kind, resource, new hash) for every created, updated and withdrawn resource, by IRI."""
    out = []
    for resource in sorted(before.keys() | after.keys()):
        old, new = before.get(resource), after.get(resource)
        if old is None and new is not None:
            out.append((CREATE, resource, new))
        elif new is None and old is not None:
            out.append((DELETE, resource, old))
        elif old != new and new is not None:
            out.append((UPDATE, resource, new))
    return out


def record(writer: Writer, graph: str, before: dict[str, str], after: dict[str, str], when: datetime) -> int:
    """Append the events of one import to the change log, in new pages; returns how many."""
    events = diff(before, after)
    if not events:
        return 0
    rows = execute.select(writer.private, "feed_summary", {})
    pages = int(rows[0]["pages"].value) if rows else 0
    total = int(rows[0]["events"].value) if rows else 0
    stamp = ox.Literal(when.isoformat(), datatype=ox.NamedNode(XSD + "dateTime"))
    quads = _event_quads(events, graph, pages, total, stamp)
    while batch := list(islice(quads, BATCH)):  # one bulk_extend of every event held them all (~1 GB at 40k)
        writer.private.bulk_extend(batch)
    last_page = pages + -(-len(events) // PAGE_SIZE)
    writer.remove_subjects([CHANGES_GRAPH], CHANGES_GRAPH)
    root, target = ox.NamedNode(CHANGES_GRAPH), ox.NamedNode(CHANGES_GRAPH)
    writer.private.extend([ox.Quad(root, ox.NamedNode(NQDB + "pages"), _integer(last_page), target),
                      ox.Quad(root, ox.NamedNode(NQDB + "events"), _integer(total + len(events)), target),
                      ox.Quad(root, ox.NamedNode(NQDB + "updated"), stamp, target)])
    return len(events)


def _integer(value: int) -> ox.Literal:
    return ox.Literal(str(value), datatype=ox.NamedNode(XSD + "integer"))


def _event_quads(events: list[tuple[str, str, str]], graph: str, pages: int, total: int,
                 stamp: ox.Literal) -> Iterator[ox.Quad]:
    g = ox.NamedNode(CHANGES_GRAPH)
    a, published = ox.NamedNode(RDF + "type"), ox.NamedNode(AS + "published")
    for index, (kind, resource, digest) in enumerate(events):
        sequence = total + index + 1
        page = ox.NamedNode(f"{PAGE_PREFIX}{pages + index // PAGE_SIZE + 1:08d}")
        if index % PAGE_SIZE == 0:
            yield ox.Quad(page, a, ox.NamedNode(AS + "OrderedCollectionPage"), g)
            yield ox.Quad(page, published, stamp, g)
            yield ox.Quad(page, ox.NamedNode(AS + "startIndex"), _integer(sequence - 1), g)
        event = ox.NamedNode(f"{EVENT_PREFIX}{sequence:012d}")
        yield ox.Quad(event, a, ox.NamedNode(AS + kind), g)
        yield ox.Quad(event, ox.NamedNode(NQDB + "page"), page, g)
        yield ox.Quad(event, ox.NamedNode(AS + "object"), ox.NamedNode(resource), g)
        yield ox.Quad(event, ox.NamedNode(AS + "target"), ox.NamedNode(graph), g)
        yield ox.Quad(event, published, stamp, g)
        yield ox.Quad(event, ox.NamedNode(NQDB + "hash"), ox.Literal(digest), g)


# -- reading ----------------------------------------------------------------------------------------
def summary(store: Store) -> Summary:
    """Pages, events and last change time of the published snapshot."""
    rows = store.select_private("feed_summary")
    if not rows:
        return Summary(0, 0, None)
    return Summary(int(rows[0]["pages"]), int(rows[0]["events"]), rows[0]["updated"])


def page(store: Store, number: int) -> Page | None:
    """One page with, for each event still current, the resource's description as N-Triples."""
    rows = store.select_private("feed_page", page=f"{PAGE_PREFIX}{number:08d}")
    if not rows:
        return None
    handle = store.snapshot().ox
    events = []
    for row in rows:
        kind = row["type"].rsplit("#", 1)[-1]
        content = None
        if kind != DELETE:
            triples = describe(handle, row["graph"], row["resource"])
            if triples and description_hash(triples) == row["hash"]:
                content = ox.serialize(triples, None, ox.RdfFormat.N_TRIPLES) or b""
        events.append(Event(int(row["event"][len(EVENT_PREFIX):]), kind, row["resource"], row["graph"],
                            row["hash"], content))
    return Page(number, rows[0]["published"], int(rows[0]["start"]), tuple(events))


def page_since(store: Store, since: datetime) -> int | None:
    """The number of the first page published at or after `since`, or None."""
    rows = store.select_private("feed_page_since", since=Text(since.isoformat(), datatype=XSD + "dateTime"))
    return int(rows[0]["page"][len(PAGE_PREFIX):]) if rows else None
