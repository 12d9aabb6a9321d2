"""Import an RDF file as one dataset: parse, load into its own graph, validate, publish — atomically.

Each import happens on a private copy of the store (store/snapshots.py): a parse error, a rejected
validation or any crash deletes the copy, so the published store stays exactly as it was.
"""

from __future__ import annotations

import io
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO

from store import changes, execute, graphs, metadata
from store.completeness import CompletenessReport, annex_vi_completeness
from store.formats import RdfSyntax
from store.rdfinput import InputRejected, PreparedInput, detect_syntax, from_syntax_error, prepare
from store.triplestore import Store
from store.validation import ValidationReport, validate_graph
from store.writer import Writer

Progress = Callable[[int], None]  # called with the number of bytes read so far
Phase = Callable[[str], None]     # called with a short description when a new phase starts


class DatasetExists(ValueError):
    """A dataset with this id is already published and replacing it was not asked for."""


class ValidationFailed(ValueError):
    """A strict import found violations; nothing was written."""

    def __init__(self, file: str, report: ValidationReport) -> None:
        self.report = report
        bad = len(report.nonconforming_qualifications())
        super().__init__(f"{file}: {len(report.violations)} violation(s) in {bad} qualification(s); "
                         "nothing was imported (strict mode).")


@dataclass(frozen=True)
class ImportResult:
    """What one import did."""

    dataset_id: str
    file: str
    triples: int
    qualifications: int
    replaced: bool
    report: ValidationReport
    completeness: CompletenessReport
    seconds: float
    phases: dict[str, float]  # seconds spent copying, loading, validating, scoring and publishing


class _CountingReader(io.RawIOBase):
    """A read-through stream that reports progress in bytes."""

    def __init__(self, inner: IO[bytes], progress: Progress) -> None:
        self._inner, self._progress, self._done = inner, progress, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        data = self._inner.read(len(buffer))
        buffer[: len(data)] = data
        self._done += len(data)
        self._progress(self._done)
        return len(data)


def default_dataset_id(path: Path) -> str:
    """A dataset id from a file name: its stem with unsafe characters replaced."""
    stem = path.name.split(".")[0]
    return re.sub(r"[^A-Za-z0-9._-]+", "-", stem).strip("-.") or "dataset"


def import_file(store: Store, path: Path, dataset_id: str | None = None, *, title: str | None = None,
                replace: bool = False, strict: bool = False, media_type: str | None = None,
                progress: Progress | None = None, phase: Phase | None = None) -> ImportResult:
    """Import one RDF file as dataset `dataset_id` (default: the file's stem).

    Raises:
        InputRejected: unreadable, empty, unsafe or syntactically invalid input (file, line, column).
        DatasetExists: the dataset exists and `replace` is false.
        ValidationFailed: `strict` and the dataset does not conform to the LOQ profile.
    """
    clock = _Clock()
    dataset_id = dataset_id or default_dataset_id(path)
    if not graphs.is_valid_dataset_id(dataset_id):
        raise InputRejected(str(path), f"dataset id {dataset_id!r} is not valid: use letters, digits, "
                                       "'.', '_' and '-' (at most 100).")
    syntax = detect_syntax(path, media_type)
    prepared = prepare(path, syntax)
    graph = graphs.dataset_graph(dataset_id)
    with store.write() as writer:
        clock.lap("copy")
        replaced = writer.has_graph(graph)
        if replaced and not replace:
            raise DatasetExists(f"Dataset {dataset_id!r} already exists; pass --replace to replace it.")
        issued = _issued(writer, graph)
        before = changes.resource_hashes(writer.ox, graph) if replaced else {}  # for the change feed
        writer.drop_graph(graph)
        load_checked(writer, prepared, syntax, graph, str(path), progress)
        triples = writer.count(graph)
        if triples == 0:
            raise InputRejected(str(path), "the file contains no triples.")
        clock.lap("load")
        _announce(phase, "Validating against the LOQ profile")
        report = validate_graph(writer.ox, graph, writer.vocabulary_graphs())
        if strict and not report.conforms:
            raise ValidationFailed(str(path), report)
        clock.lap("validate")
        _announce(phase, "Scoring EQF Annex VI completeness")
        completeness = annex_vi_completeness(writer.ox, graph)
        clock.lap("annex_vi")
        _announce(phase, "Recording metadata and changes, publishing")
        record = metadata.DatasetRecord(
            dataset_id, title or dataset_id, path.name, metadata.sha256_of(path), triples,
            _count_qualifications(writer, graph), report.conforms, report.nonconforming_qualifications(),
            completeness.dataset_score, metadata.now())
        metadata.record_dataset(writer, record, issued)
        changes.record(writer, graph, before, changes.resource_hashes(writer.ox, graph), record.imported)
    clock.lap("publish")
    return ImportResult(dataset_id, str(path), triples, record.qualifications, replaced, report, completeness,
                        clock.total(), clock.phases)


def _announce(phase: Phase | None, text: str) -> None:
    if phase is not None:
        phase(text)


class _Clock:
    """Wall-clock time per named phase."""

    def __init__(self) -> None:
        self.started = self._last = time.perf_counter()
        self.phases: dict[str, float] = {}

    def lap(self, phase: str) -> None:
        now = time.perf_counter()
        self.phases[phase] = round(now - self._last, 4)
        self._last = now

    def total(self) -> float:
        return time.perf_counter() - self.started


def load_checked(writer: Writer, prepared: PreparedInput, syntax: RdfSyntax, graph: str, file: str,
                 progress: Progress | None) -> None:
    """Load a prepared input into `graph`, reporting bytes read; a parse error becomes InputRejected."""
    source = prepared.source
    if progress is not None and isinstance(source, Path):
        source = _CountingReader(open(source, "rb"), progress)  # type: ignore[assignment]
    try:
        writer.load(source, syntax, graph)
    except SyntaxError as error:
        raise from_syntax_error(file, error) from error
    finally:
        if hasattr(source, "close") and not isinstance(source, bytes | Path):
            source.close()


def _issued(writer: Writer, graph: str) -> datetime | None:
    rows = execute.select(writer.private, "dataset_issued", {"dataset": metadata.dataset_node(
        graphs.dataset_id_of(graph) or "")})
    return datetime.fromisoformat(rows[0]["issued"].value) if rows else None


def _count_qualifications(writer: Writer, graph: str) -> int:
    rows = execute.select(writer.ox, "count_qualifications_in_graph", {"graph": graph})
    return int(rows[0]["qualifications"].value) if rows else 0

