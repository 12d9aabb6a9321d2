"""Import a register through the same code path as RDF: build Turtle, then store.importer.import_file."""

from __future__ import annotations

import dataclasses
import tempfile
from dataclasses import dataclass
from pathlib import Path

from store import importer
from store.completeness import CompletenessReport
from store.mapping.build import BuildResult, Progress, build_turtle
from store.mapping.mapping import load_mapping
from store.setup import validate_file
from store.triplestore import Store
from store.validation import ValidationReport


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
                    load: importer.Progress | None = None) -> tuple[BuildResult, importer.ImportResult]:
    """Build the register's ELM and import it as one dataset, in one transaction, validated like RDF.

    Raises:
        MappingInvalid, TableUnreadable, RowsRejected: the register or mapping is wrong; nothing was loaded.
        InputRejected, DatasetExists, ValidationFailed: as importer.import_file.
    """
    mapping = load_mapping(mapping_path)
    dataset_id = dataset_id or importer.default_dataset_id(register)
    with tempfile.TemporaryDirectory(prefix="nqdb-table-") as folder:
        turtle = Path(folder) / f"{dataset_id}.ttl"
        built = build_turtle(mapping, register, base_url, turtle, skip_invalid=skip_invalid, progress=rows)
        result = importer.import_file(store, turtle, dataset_id, title=title or mapping.title,
                                      replace=replace, strict=strict, progress=load)
    return built, dataclasses.replace(result, file=str(register))


def dry_run(register: Path, mapping_path: Path, base_url: str, output: Path, *, skip_invalid: bool = False,
            rows: Progress | None = None) -> DryRun:
    """Write the register's ELM Turtle to `output` and validate it against LOQ, without any store."""
    built = build_turtle(load_mapping(mapping_path), register, base_url, output, skip_invalid=skip_invalid,
                         progress=rows)
    report, completeness = validate_file(output)
    return DryRun(built, report, completeness)
