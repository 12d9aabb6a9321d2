"""Import an RDF file as one dataset: parse, load into its own graph, validate, publish — atomically.

Each import happens on a private copy of the store (store/core/snapshots.py): a parse error, a rejected
validation or any crash deletes the copy, so the published store stays exactly as it was.
"""

from __future__ import annotations

import errno
import io
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO

from store.core import changes, execute, graphs, metadata
from store.core.formats import RdfSyntax
from store.core.triplestore import Store
from store.core.writer import Writer
from store.ingest import personal_data
from store.ingest.rdfinput import InputRejected, PreparedInput, detect_syntax, from_syntax_error, prepare
from store.validation import elm_content
from store.validation.completeness import CompletenessReport, annex_vi_completeness
from store.validation.profile import ValidationReport, validate_graph

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


class PersonalDataRefused(InputRejected):
    """The file describes people or awards to them; nothing was imported (issue 9 case 11)."""

    def __init__(self, file: str, found: personal_data.PersonalData) -> None:
        self.found = found
        super().__init__(file, f"the file contains personal data: {found.describe()}. A qualifications "
                               "database publishes qualifications, never learners nor the credentials awarded "
                               "to them; nothing was imported. Remove them, or pass --strip-personal-data to "
                               "import the file without them (every person, award record and node reachable "
                               "only from them is left out and counted).")


class NotElmData(InputRejected):
    """A strict import of a file that is not ELM 3.1 qualifications; nothing was written (issue 9 case 12)."""

    def __init__(self, file: str, notes: list[str]) -> None:
        self.notes = tuple(notes)
        super().__init__(file, "; ".join(notes) + "; nothing was imported (strict mode).")


class WriteFailed(RuntimeError):
    """The store could not be written (disk full, I/O error); the published snapshot is unchanged."""


@dataclass(frozen=True)
class ImportResult:
    """What one import did."""

    dataset_id: str
    file: str
    triples: int
    qualifications: int       # elm:Qualification nodes published; 0 means there was nothing to judge
    replaced: bool
    report: ValidationReport
    completeness: CompletenessReport
    seconds: float
    phases: dict[str, float]  # seconds spent copying, loading, validating, scoring and publishing
    notes: tuple[str, ...] = ()  # what the file is when it is not ELM 3.1 qualifications (no "conforms" then)
    stripped: personal_data.Stripped | None = None  # persons and awards left out (--strip-personal-data)
    unwrapped: str | None = None  # what was done to the input before parsing (a credential envelope opened)

    @property
    def has_qualifications(self) -> bool:
        """False when the file held no ELM 3.1 qualification: a verdict would mean nothing."""
        return self.qualifications > 0


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
                strip_personal_data: bool = False, progress: Progress | None = None,
                phase: Phase | None = None) -> ImportResult:
    """Import one RDF file as dataset `dataset_id` (default: the file's stem).

    Raises:
        InputRejected: unreadable, empty, unsafe or syntactically invalid input (file, line, column); a
            PersonalDataRefused if it holds persons or awards and `strip_personal_data` is false; a
            NotElmData if `strict` and it is not ELM 3.1 qualifications.
        DatasetExists: the dataset exists and `replace` is false.
        ValidationFailed: `strict` and the dataset does not conform to the LOQ profile.
        WriteFailed: the store could not be written (disk full); nothing changed.
    """
    dataset_id = checked_dataset_id(path, dataset_id)
    syntax = detect_syntax(path, media_type)
    prepared = prepare(path, syntax)
    job = _Job(path, graphs.dataset_graph(dataset_id), strict, strip_personal_data, phase, _Clock())
    try:
        with store.write() as writer:
            job.clock.lap("copy")
            result = _import(writer, job, prepared, syntax, title or dataset_id, replace, progress)
    except OSError as error:  # ENOSPC and other I/O errors of RocksDB or the file system
        raise WriteFailed(f"{path}: the store at {store.path} could not be written ({_reason(error)}); "
                          "nothing was imported and the published data is unchanged.") from error
    job.clock.lap("publish")
    return ImportResult(dataset_id, str(path), result.triples, result.qualifications, result.replaced,
                        result.report, result.completeness, job.clock.total(), job.clock.phases,
                        result.notes, result.stripped, prepared.note)


def checked_dataset_id(path: Path, dataset_id: str | None) -> str:
    """The dataset id to use (default: from the file name), checked before anything is written.

    Raises:
        InputRejected: the id is not a short path-safe name (`../x`, `a/b`).
    """
    chosen = default_dataset_id(path) if dataset_id is None else dataset_id
    if not graphs.is_valid_dataset_id(chosen):
        raise InputRejected(str(path), f"dataset id {chosen!r} is not valid: use letters, digits, "
                                       "'.', '_' and '-', starting with a letter or digit (at most 100).")
    return chosen


@dataclass(frozen=True)
class _Job:
    """The fixed inputs of one import."""

    path: Path
    graph: str
    strict: bool
    strip_personal_data: bool
    phase: Phase | None
    clock: _Clock


@dataclass(frozen=True)
class _Loaded:
    """What an import wrote into the unpublished copy."""

    triples: int
    qualifications: int
    replaced: bool
    report: ValidationReport
    completeness: CompletenessReport
    notes: tuple[str, ...]
    stripped: personal_data.Stripped | None


def _import(writer: Writer, job: _Job, prepared: PreparedInput, syntax: RdfSyntax, title: str,
            replace: bool, progress: Progress | None) -> _Loaded:
    """Load, check, validate, score and record one dataset on the writer's copy."""
    file, graph = str(job.path), job.graph
    replaced = writer.has_graph(graph)
    if replaced and not replace:
        raise DatasetExists(f"Dataset {graphs.dataset_id_of(graph)!r} already exists; pass --replace to "
                            "replace it.")
    issued = _issued(writer, graph)
    before = changes.resource_hashes(writer.ox, graph) if replaced else {}  # for the change feed
    writer.drop_graph(graph)
    load_checked(writer, prepared, syntax, graph, file, progress)
    if writer.count(graph) == 0:
        raise InputRejected(file, "the file contains no triples.")
    stripped = _keep_out_personal_data(writer, job)
    triples, qualifications = writer.count(graph), _count_qualifications(writer, graph)
    notes = elm_content.notes(writer.ox, graph, qualifications)
    if job.strict and notes:
        raise NotElmData(file, notes)
    job.clock.lap("load")
    _announce(job.phase, "Validating against the LOQ profile")
    report = validate_graph(writer.ox, graph, writer.vocabulary_graphs())
    if job.strict and not report.conforms:
        raise ValidationFailed(file, report)
    job.clock.lap("validate")
    _announce(job.phase, "Scoring EQF Annex VI completeness")
    completeness = annex_vi_completeness(writer.ox, graph)
    job.clock.lap("annex_vi")
    _announce(job.phase, "Recording metadata and changes, publishing")
    record = metadata.DatasetRecord(
        graphs.dataset_id_of(graph) or "", title, job.path.name, metadata.sha256_of(job.path), triples,
        qualifications, report.conforms, report.nonconforming_qualifications(), completeness.dataset_score,
        metadata.now())
    metadata.record_dataset(writer, record, issued)
    changes.record(writer, graph, before, changes.resource_hashes(writer.ox, graph), record.imported)
    return _Loaded(triples, qualifications, replaced, report, completeness, tuple(notes), stripped)


def _keep_out_personal_data(writer: Writer, job: _Job) -> personal_data.Stripped | None:
    """Refuse persons and awards, or strip them when asked; None when there were none."""
    found = personal_data.find(writer.ox, job.graph)
    if not found.found:
        return None
    if not job.strip_personal_data:
        raise PersonalDataRefused(str(job.path), found)
    stripped = personal_data.strip(writer.ox, job.graph, found)
    if writer.count(job.graph) == 0:
        raise InputRejected(str(job.path), f"nothing is left once the personal data is stripped "
                                           f"({found.describe()}); nothing was imported.")
    return stripped


def _reason(error: OSError) -> str:
    """A short cause: 'no space left on the device' for ENOSPC, else the error's own words."""
    text = str(error)
    if error.errno == errno.ENOSPC or "No space left" in text:
        return "no space left on the device; free some space and run the import again"
    return text or type(error).__name__


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
    except MemoryError as error:  # Oxigraph's parser bounds one term to 16 MiB and says so with MemoryError
        raise InputRejected(file, f"a term is larger than the parser accepts ({error}); NQDB does not import "
                                  "literals or IRIs of more than 16 MiB.") from error
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

