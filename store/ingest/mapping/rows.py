"""Register rows -> records of converted values, with one CellError per cell at fault."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from store.ingest.mapping import values
from store.ingest.mapping.errors import CellError, TableUnreadable
from store.ingest.mapping.iri_keys import KEY_RULE, is_register_key
from store.ingest.mapping.mapping import Field, TableMapping
from store.ingest.mapping.reader import Row, Table

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
    notices: list[CellError] = field(default_factory=list)  # cells read otherwise than written, and why

    def first(self, target: str) -> Any:
        """The first value of `target`, or None."""
        found = self.values.get(target)
        return found[0] if found else None

    def fail(self, column: str | None, value: str | None, message: str) -> None:
        """Note a problem with this row."""
        self.errors.append(CellError(self.table, self.row, column, value, message))

    def notice(self, column: str | None, value: str | None, message: str) -> None:
        """Note a cell that was read otherwise than written (a normalisation the mapping asked for)."""
        self.notices.append(CellError(self.table, self.row, column, value, message))


def label(target: str) -> str:
    """A target's name in plain words."""
    return LABELS.get(target, target)


def check_columns(table: Table, mapping: TableMapping) -> None:
    """The key, join and required columns must be in the header (optional ones may be left out).

    Raises:
        TableUnreadable: naming the missing columns and the header found.
    """
    wanted = [c for f in mapping.fields.values() if f.required for cs in f.sources().values() for c in cs]
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
    if mapping.drop_alt_label_equal_to_name:
        _drop_alt_labels_equal_to_name(record, mapping)
    return record


def _drop_alt_labels_equal_to_name(record: Record, mapping: TableMapping) -> None:
    """Leave out each alternative name that is the very literal of a name (LOQ: sh:disjoint)."""
    name = "legalName" if "legalName" in mapping.fields else "title"
    names = set(record.values.get(name, []))
    alt_spec = mapping.fields.get("altLabel")
    if alt_spec is None or not names:
        return
    kept = []
    for text, lang in record.values.get("altLabel", []):
        if (text, lang) in names:
            record.notice(alt_spec.columns().get(lang), text, f"alternative name equal to the {label(name)}: "
                          "left out (drop_alt_label_equal_to_name)")
        else:
            kept.append((text, lang))
    record.values["altLabel"] = kept


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
        elif not is_register_key(key):
            record.fail(column, key, "an IRI, not a key: with key_from_iri, only IRIs of this kind minted "
                        "under the import's base URL become keys" if "://" in key else KEY_RULE)
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
    for lang, columns in (spec.sources() or {spec.language: ()}).items():
        cell = spec.join.join(text for text in (row.get(c) for c in columns) if text)
        cell = cell or spec.default or ""
        column = " + ".join(columns) or None
        separator = spec.separator or ("\n" if spec.spec.kind == "outcomes" else None)
        parts = [p.strip() for p in cell.split(separator)] if separator else [cell]
        for position, part in enumerate((p for p in parts if p), start=1):
            text = spec.values.get(part, part)
            if spec.add_scheme and values.lacks_url_scheme(text):
                text = f"{spec.add_scheme}://{text}"
                record.notice(column, part, f"web address without a scheme: read as {text!r} (add_url_scheme)")
            try:
                found.append(_convert(spec, text, lang, position))
            except values.CellProblem as problem:
                record.fail(column, part, str(problem))
    if spec.required and not found and not any(e.column in _names(spec) for e in record.errors):
        record.fail(next(iter(_names(spec)), None), None, f"missing {label(spec.target)}")
    return found


def _names(spec: Field) -> list[str]:
    """The column names a field's errors are reported under."""
    return [" + ".join(columns) for columns in spec.sources().values()]


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
