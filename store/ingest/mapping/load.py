"""Import a register through the same code path as RDF: build Turtle, then store.ingest.importer.import_file."""

from __future__ import annotations

import dataclasses
import tempfile
from dataclasses import dataclass
from pathlib import Path

from store.core import graphs
from store.core.triplestore import Store
from store.ingest import importer
from store.ingest.file_validation import validate_file
from store.ingest.mapping.build import BuildResult, Progress, build_turtle
from store.ingest.mapping.limits import TableLimits
from store.ingest.mapping.mapping import load_mapping
from store.ingest.rdfinput import InputRejected
from store.validation.completeness import CompletenessReport
from store.validation.profile import ValidationReport


@dataclass(frozen=True)
class DryRun:
    """A register built and validated without a store."""

    build: BuildResult
    report: ValidationReport
    completeness: CompletenessReport


def import_register(store: Store, register: Path, mapping_path: Path, base_url: str,
                    dataset_id: str | None = None, *, title: str | None = None, replace: bool = False,
                    strict: bool = False,
                    skip_invalid: bool = False, rows: Progress | None = None,
                    load: importer.Progress | None = None, limits: TableLimits | None = None
                    ) -> tuple[BuildResult, importer.ImportResult]:
    """Build the register's ELM and import it as one dataset, in one transaction, validated like RDF.

    Raises:
        MappingInvalid, TableUnreadable, RowsRejected: the register or mapping is wrong; nothing was loaded.
        InputRejected, DatasetExists, ValidationFailed: as importer.import_file (InputRejected also for a
            dataset id that is not valid, before anything is read or written).
    """
    dataset_id = dataset_id or importer.default_dataset_id(register)
    check_dataset_id(register, dataset_id)
    mapping = load_mapping(mapping_path)
    with tempfile.TemporaryDirectory(prefix="nqdb-table-") as folder:
        turtle = Path(folder) / f"{register.name}.ttl"  # a file name (no separator): never the dataset id
        built = build_turtle(mapping, register, base_url, turtle, skip_invalid=skip_invalid, progress=rows,
                             limits=limits)
        result = importer.import_file(store, turtle, dataset_id, title=title or mapping.title,
                                      replace=replace, strict=strict, progress=load)
    return built, dataclasses.replace(result, file=str(register))


def check_dataset_id(register: Path, dataset_id: str) -> None:
    """Refuse a dataset id that is not a plain name (`../x`, `a/b`), before anything is written.

    Raises:
        InputRejected: naming the register and the id.
    """
    if not graphs.is_valid_dataset_id(dataset_id):
        raise InputRejected(str(register), f"dataset id {dataset_id!r} is not valid: use letters, digits, "
                                           "'.', '_' and '-', starting with a letter or digit (at most 100).")


def check_output(output: Path, register: Path, mapping_path: Path) -> None:
    """The dry run's Turtle goes to a new or regular file in an existing folder, never over its inputs.

    Raises:
        InputRejected: naming the output and why.
    """
    if output.resolve() in (register.resolve(), mapping_path.resolve()):
        raise InputRejected(str(output), "the output would overwrite an input of the import; give another -o.")
    if output.is_dir() or not output.parent.is_dir():
        raise InputRejected(str(output), "the output must be a file in an existing folder.")


def dry_run(register: Path, mapping_path: Path, base_url: str, output: Path, *, skip_invalid: bool = False,
            rows: Progress | None = None, limits: TableLimits | None = None) -> DryRun:
    """Write the register's ELM Turtle to `output` and validate it against LOQ in a temporary store (no
    real store is touched)."""
    built = build_turtle(load_mapping(mapping_path), register, base_url, output, skip_invalid=skip_invalid,
                         progress=rows, limits=limits)
    report, completeness = validate_file(output)
    return DryRun(built, report, completeness)
