"""A register (CSV/XLSX tables + a mapping) -> one ELM Turtle file, or the list of what is wrong."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from store.core.namespaces import ELM, PREFIXES
from store.ingest.mapping import rows as rowlib
from store.ingest.mapping.emit import A, Emitter
from store.ingest.mapping.errors import CellError, MappingInvalid, RowsRejected
from store.ingest.mapping.iri_keys import keys_from_iris
from store.ingest.mapping.limits import TableLimits
from store.ingest.mapping.mapping import Mapping, TableMapping
from store.ingest.mapping.qualification import qualification_triples
from store.ingest.mapping.reader import Table, read_table, undo_formula_guard
from store.ingest.mapping.rows import Record

_OUTCOME = ox.NamedNode(ELM + "LearningOutcome")
Progress = Callable[[int, int], None]  # (rows done, rows in all)


@dataclass
class BuildResult:
    """What a build produced, and the rows it left out (only with skip_invalid)."""

    output: Path
    rows: int
    qualifications: int
    learning_outcomes: int
    organisations: int
    triples: int
    skipped: list[CellError] = field(default_factory=list)
    notices: list[CellError] = field(default_factory=list)  # cells normalised as the mapping asked


@dataclass
class _Register:
    qualifications: list[Record]
    outcomes: list[Record]
    organisations: list[Record]

    def records(self) -> Iterator[Record]:
        yield from self.organisations
        yield from self.qualifications
        yield from self.outcomes


def build_turtle(mapping: Mapping, register: Path, base_url: str, output: Path, *, skip_invalid: bool = False,
                 progress: Progress | None = None, limits: TableLimits | None = None) -> BuildResult:
    """Read the register's tables, check every row, and write its ELM as Turtle to `output`.

    Raises:
        MappingInvalid, TableUnreadable: the mapping or a table cannot be used at all (TableTooLarge: over
            a limit).
        RowsRejected: some rows are wrong and `skip_invalid` is false (nothing is written).
    """
    tables = {name: _read(register, spec, name == "qualifications", limits or TableLimits())
              for name, spec in _specs(mapping).items()}
    if mapping.formula_guard:
        tables = {name: undo_formula_guard(table) for name, table in tables.items()}
    if mapping.key_from_iri:
        tables = {name: keys_from_iris(table, name, _specs(mapping)[name], base_url)
                  for name, table in tables.items()}
    total = sum(len(t.rows) for t in tables.values())
    done = 0

    def step(count: int) -> None:
        nonlocal done
        done += count
        if progress is not None:
            progress(done, total)

    data = _Register(
        rowlib.keyed_records(tables["qualifications"], mapping.qualifications, step),
        _outcome_records(tables.get("learning_outcomes"), mapping.learning_outcomes),
        rowlib.keyed_records(tables["organisations"], mapping.organisations) if mapping.organisations else [])
    _cross_check(mapping, data)
    errors = [e for r in data.records() for e in r.errors]
    notices = [n for r in data.records() for n in r.notices]
    if errors and not skip_invalid:
        raise RowsRejected(errors, notices)
    kept = _drop_invalid(data)
    emitter = Emitter(base_url, mapping.identifier_scheme, mapping.publisher)
    counter = _Counter()
    ox.serialize(counter.count(_triples(emitter, kept)), output, ox.RdfFormat.TURTLE, prefixes=PREFIXES)
    step(total - done)
    return BuildResult(output, total, len(kept.qualifications), counter.outcomes,
                       len(kept.organisations), counter.triples, errors, notices)


def _specs(mapping: Mapping) -> dict[str, TableMapping]:
    specs = {"qualifications": mapping.qualifications}
    if mapping.learning_outcomes is not None:
        specs["learning_outcomes"] = mapping.learning_outcomes
    if mapping.organisations is not None:
        specs["organisations"] = mapping.organisations
    return specs


def _read(register: Path, spec: TableMapping, main: bool, limits: TableLimits) -> Table:
    """A table: its own file, a sheet of the workbook, or for a CSV register the CSV named after the sheet."""
    path, sheet = spec.file or register, spec.sheet
    if spec.file is None and register.suffix.lower() not in (".xlsx", ".xlsm"):
        if sheet is not None and not main:
            path = register.with_name(f"{sheet.lower().replace(' ', '-')}.csv")
        sheet = None
    table = read_table(path, sheet, spec.delimiter, limits)
    rowlib.check_columns(table, spec)
    return table


def _outcome_records(table: Table | None, spec: TableMapping | None) -> list[Record]:
    if table is None or spec is None:
        return []
    records = (rowlib.keyed_records(table, spec) if spec.key
               else [rowlib.record_of(table, row, spec, "") for row in table.rows])
    for record, row in zip(records, table.rows, strict=True):
        record.parent = row.get(spec.qualification or "")
    return records


def _cross_check(mapping: Mapping, data: _Register) -> None:
    """Organisation ids must be in the organisations table; outcome rows must name a known qualification."""
    organisations = {o.key: not o.errors for o in data.organisations if o.key}
    if mapping.publisher and mapping.publisher not in organisations:
        raise MappingInvalid(f"{mapping.source}: publisher {mapping.publisher!r} is not in the organisations "
                             "table.")
    columns = {t: f for t, f in mapping.qualifications.fields.items() if f.spec.kind == "organisation"}
    for q in data.qualifications:
        for target, spec in columns.items():
            for org in q.values.get(target, []):
                if org not in organisations:
                    q.fail(spec.column, org, "organisation id not in the organisations table")
                elif not organisations[org]:
                    q.fail(spec.column, org, "this organisation's row in the organisations table has errors")
    known = {q.key for q in data.qualifications if q.key}
    column = mapping.learning_outcomes.qualification if mapping.learning_outcomes else None
    for outcome in data.outcomes:
        if not outcome.parent:
            outcome.fail(column, None, "missing qualification id")
        elif outcome.parent not in known:
            outcome.fail(column, outcome.parent, "qualification id not in the qualifications table")


def _drop_invalid(data: _Register) -> _Register:
    organisations = [o for o in data.organisations if not o.errors]
    qualifications = [q for q in data.qualifications if not q.errors]
    keys = {q.key for q in qualifications}
    outcomes = [o for o in data.outcomes if not o.errors and o.parent in keys]
    return _Register(qualifications, outcomes, organisations)


class _Counter:
    """Counts triples and learning outcomes as they stream to the serializer."""

    def __init__(self) -> None:
        self.triples = 0
        self.outcomes = 0

    def count(self, triples: Iterator[ox.Triple]) -> Iterator[ox.Triple]:
        for triple in triples:
            self.triples += 1
            if triple.object == _OUTCOME and triple.predicate == A:
                self.outcomes += 1
            yield triple


def _triples(out: Emitter, data: _Register) -> Iterator[ox.Triple]:
    by_qualification: dict[str, list[Record]] = {}
    for outcome in data.outcomes:
        by_qualification.setdefault(outcome.parent, []).append(outcome)
    for org in data.organisations:
        yield from out.organisation(org)
    for q in data.qualifications:
        yield from qualification_triples(out, q, by_qualification.get(q.key, []))
    yield from out.autonomy_note()
