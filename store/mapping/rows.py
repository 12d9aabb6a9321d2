"""Register rows -> records of converted values, with one CellError per cell at fault."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from store.iris import is_valid_key
from store.mapping import values
from store.mapping.errors import CellError, TableUnreadable
from store.mapping.mapping import Field, TableMapping
from store.mapping.reader import Row, Table

LABELS = {"EQFLevel": "EQF level", "NQFLevel": "NQF level", "ISCEDFCode": "ISCED-F field",
          "legalName": "legal name", "altLabel": "alternative name", "entryRequirement": "entry requirement",
          "learningOutcomeSummary": "learning outcome summary", "creditPoints": "credit points",
          "creditSystem": "credit system", "volumeOfLearning": "volume of learning",
          "awardingBody": "awarding body", "accreditingAgent": "accrediting agent",
          "relatedESCOSkill": "ESCO skill", "reusabilityLevel": "reusability level"}


@dataclass
class Record:
    """One register row, converted: target -> values (see `convert` for each kind's value)."""

    table: str
    row: int
    key: str
    values: dict[str, list[Any]] = field(default_factory=dict)
    parent: str = ""  # learning-outcome rows: the key of their qualification
    errors: list[CellError] = field(default_factory=list)

    def first(self, target: str) -> Any:
        """The first value of `target`, or None."""
        found = self.values.get(target)
        return found[0] if found else None

    def fail(self, column: str | None, value: str | None, message: str) -> None:
        """Note a problem with this row."""
        self.errors.append(CellError(self.table, self.row, column, value, message))


def label(target: str) -> str:
    """A target's name in plain words."""
    return LABELS.get(target, target)


def check_columns(table: Table, mapping: TableMapping) -> None:
    """The key, join and required columns must be in the header (optional ones may be left out).

    Raises:
        TableUnreadable: naming the missing columns and the header found.
    """
    wanted = [c for f in mapping.fields.values() if f.required for c in f.columns().values()]
    wanted += [c for c in (mapping.key, mapping.qualification) if c]
    missing = [c for c in dict.fromkeys(wanted) if c not in table.columns]
    if missing:
        raise TableUnreadable(f"{table.name}: the mapping reads column(s) {', '.join(map(repr, missing))}, "
                              f"which are not in the header ({', '.join(table.columns)}).")


def record_of(table: Table, row: Row, mapping: TableMapping, key: str) -> Record:
    """Convert every mapped cell of `row`."""
    record = Record(table.name, row.number, key)
    for target, spec in mapping.fields.items():
        record.values[target] = _convert_field(record, row, spec)
    return record


def keyed_records(table: Table, mapping: TableMapping, progress: Callable[[int], None] | None = None
                  ) -> list[Record]:
    """Records of a table whose rows each carry a key; a missing, malformed or duplicate key is an error."""
    seen: dict[str, int] = {}
    records = []
    column = mapping.key or ""
    for count, row in enumerate(table.rows, start=1):
        key = row.get(column)
        record = record_of(table, row, mapping, key)
        if not key:
            record.fail(column, None, "missing key: every row needs one, it makes the stable IRI")
        elif not is_valid_key(key):
            record.fail(column, key, "an IRI, not a key: with key_from_iri, only IRIs of this kind minted "
                        "under the import's base URL become keys"
                        if "://" in key else "key may only contain letters, digits, '.', '_', '~' and '-'")
        elif key in seen:
            record.fail(column, key, f"duplicate key: row {seen[key]} already uses it")
        else:
            seen[key] = row.number
        records.append(record)
        if progress is not None and count % 500 == 0:
            progress(500)
    return records


def _convert_field(record: Record, row: Row, spec: Field) -> list[Any]:
    found: list[Any] = []
    for lang, column in (spec.columns() or {spec.language: ""}).items():
        cell = row.get(column) if column else ""
        cell = cell or spec.default or ""
        separator = spec.separator or ("\n" if spec.spec.kind == "outcomes" else None)
        parts = [p.strip() for p in cell.split(separator)] if separator else [cell]
        for position, part in enumerate((p for p in parts if p), start=1):
            try:
                found.append(_convert(spec, spec.values.get(part, part), lang, position))
            except values.CellProblem as problem:
                record.fail(column or None, part, str(problem))
    if spec.required and not found and not any(e.column in spec.columns().values() for e in record.errors):
        record.fail(next(iter(spec.columns().values()), None), None, f"missing {label(spec.target)}")
    return found


def _convert(spec: Field, text: str, lang: str | None, position: int) -> Any:
    kind = spec.spec.kind
    if kind in ("text", "notation", "organisation"):
        return (text, lang) if kind == "text" else text
    if kind == "outcomes":
        return (position, text, lang)
    if kind == "concept":
        return values.look_up(spec.lookup or "", text)
    if kind == "duration":
        return values.parse_duration(text)
    if kind == "date":
        return values.parse_date(text)
    if kind == "url":
        return values.parse_url(text)
    if kind == "number":
        return values.parse_credits(text)
    return values.parse_boolean(text)
