"""The declarative table mapping: which register column feeds which ELM property, loaded and checked.

A mapping is a YAML (or JSON) file shaped as mapping.schema.json says; docs/mapping.md is its reference.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from store.ingest.mapping.errors import MappingInvalid

SCHEMA = Path(__file__).with_name("mapping.schema.json")
DEFAULT_MAPPING = Path(__file__).with_name("default-mapping.yaml")
RESEARCHER_MAPPING = Path(__file__).with_name("researcher-tables.yaml")


@dataclass(frozen=True)
class Target:
    """An ELM property a column can feed: what kind of value it takes and its default lookup."""

    kind: str  # text, concept, duration, date, url, organisation, number, outcomes, notation, boolean
    lookup: str | None = None
    multiple: bool = False


QUALIFICATION_TARGETS: dict[str, Target] = {
    "identifier": Target("notation"), "identifierScheme": Target("notation"),
    "title": Target("text"), "altLabel": Target("text", multiple=True), "description": Target("text"),
    "entryRequirement": Target("text"), "learningOutcomeSummary": Target("text"),
    "additionalNote": Target("text"),
    "EQFLevel": Target("concept", "eqf"), "NQFLevel": Target("concept", "nqf"),
    "ISCEDFCode": Target("concept", "isced-f", multiple=True),
    "language": Target("concept", "language", multiple=True),
    "creditPoints": Target("number"), "creditSystem": Target("concept", "credit-system"),
    "volumeOfLearning": Target("duration"), "maximumDuration": Target("duration"),
    "homepage": Target("url"), "supplementaryDocument": Target("url", multiple=True),
    "awardingBody": Target("organisation", multiple=True), "publisher": Target("organisation"),
    "accreditationType": Target("concept", "accreditation-type"), "accreditationTitle": Target("text"),
    "accreditingAgent": Target("organisation"), "accreditationIssued": Target("date"),
    "accreditationExpiry": Target("date"),
    "modified": Target("date"), "validFrom": Target("date"), "validUntil": Target("date"),
    "isPartialQualification": Target("boolean"),
    "knowledge": Target("outcomes", multiple=True), "skills": Target("outcomes", multiple=True),
    "autonomy": Target("outcomes", multiple=True),
}
OUTCOME_TARGETS: dict[str, Target] = {
    "title": Target("text"), "type": Target("concept", "outcome-type"),
    "reusabilityLevel": Target("concept", "reuse-level"),
    "relatedESCOSkill": Target("concept", "esco-skill", multiple=True),
}
ORGANISATION_TARGETS: dict[str, Target] = {
    "legalName": Target("text"), "altLabel": Target("text", multiple=True), "homepage": Target("url"),
    "country": Target("concept", "country"), "city": Target("text"), "fullAddress": Target("text"),
}


@dataclass(frozen=True)
class Field:
    """One ELM property fed by one column (or one column per language)."""

    target: str
    spec: Target
    column: str | None
    languages: tuple[str, ...] = ()
    language: str | None = None
    separator: str | None = None
    lookup: str | None = None
    values: dict[str, str] = field(default_factory=dict)
    required: bool = False
    default: str | None = None
    joined: tuple[str, ...] = ()  # `columns:` several columns joined into one value (an address's lines)
    join: str = ", "
    add_scheme: str | None = None  # url fields: scheme added to a web address written without one

    def columns(self) -> dict[str | None, str]:
        """The (first) column read for each language tag (None for an untagged column)."""
        return {lang: names[0] for lang, names in self.sources().items()}

    def sources(self) -> dict[str | None, tuple[str, ...]]:
        """Every column read for each language tag: the one column, or the joined ones in order."""
        names = self.joined or ((self.column,) if self.column is not None else ())
        if not names:
            return {}
        if self.languages:
            return {lang: tuple(n.replace("{lang}", lang) for n in names) for lang in self.languages}
        return {self.language: names}


@dataclass(frozen=True)
class TableMapping:
    """Where one table is and how its columns map."""

    file: Path | None
    sheet: str | None
    delimiter: str | None
    key: str | None
    fields: dict[str, Field]
    qualification: str | None = None  # learning outcomes only: the column joining to a qualification
    drop_alt_label_equal_to_name: bool = False  # an altLabel equal to the title / legal name is left out


@dataclass(frozen=True)
class Mapping:
    """A whole register mapping."""

    source: Path
    title: str
    identifier_scheme: str
    publisher: str | None
    qualifications: TableMapping
    learning_outcomes: TableMapping | None
    organisations: TableMapping | None
    key_from_iri: bool = False  # key, join and organisation columns hold NQDB IRIs, not keys
    formula_guard: bool = False  # cells carry the researcher tables' "'" guard against formulas: remove it
    add_url_scheme: str | None = None  # "https": www.example.org is read as https://www.example.org
    drop_alt_label_equal_to_name: bool = False


def load_mapping(path: Path) -> Mapping:
    """Read and check a mapping file.

    Raises:
        MappingInvalid: unreadable, not YAML/JSON, or not a valid mapping (the message says where).
    """
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise MappingInvalid(f"{path}: cannot read the mapping ({error}).") from error
    check_against_schema(path, document)
    options = _Options(path, document.get("add_url_scheme"), bool(document.get("drop_alt_label_equal_to_name")))
    outcomes, organisations = document.get("learning_outcomes"), document.get("organisations")
    return Mapping(
        path, document.get("title", path.stem), document.get("identifier_scheme", "National register"),
        document.get("publisher"),
        _table(options, "qualifications", document["qualifications"], QUALIFICATION_TARGETS),
        _table(options, "learning_outcomes", outcomes, OUTCOME_TARGETS) if outcomes else None,
        _table(options, "organisations", organisations, ORGANISATION_TARGETS) if organisations else None,
        bool(document.get("key_from_iri", False)), bool(document.get("formula_guard", False)),
        options.add_url_scheme, options.drop_alt_label)


@dataclass(frozen=True)
class _Options:
    """The mapping file and its top-level options that tables and fields inherit."""

    path: Path
    add_url_scheme: str | None
    drop_alt_label: bool


@cache
def _schema() -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(SCHEMA.read_text(encoding="utf-8"))
    return schema


def check_against_schema(path: Path, document: object) -> None:
    """Raise MappingInvalid naming the first place where `document` breaks mapping.schema.json."""
    import jsonschema

    validator = jsonschema.Draft202012Validator(_schema())
    error = next(iter(sorted(validator.iter_errors(document), key=lambda e: list(e.path))), None)
    if error is not None:
        where = "/".join(str(p) for p in error.absolute_path) or "(top level)"
        raise MappingInvalid(f"{path}: at {where}: {error.message}")


def _table(options: _Options, name: str, raw: dict[str, Any], targets: dict[str, Target]) -> TableMapping:
    path = options.path
    sheet = raw.get("sheet")
    if sheet is not None and not is_plain_name(sheet):
        raise MappingInvalid(f"{path}: {name}: sheet name {sheet!r} may not contain '/', '\\' or NUL, nor "
                             "start with '.' (a CSV register reads the sheet from a file of that name).")
    fields = {target: _field(options, name, target, spec, targets) for target, spec in raw["fields"].items()}
    return TableMapping(path.parent / raw["file"] if "file" in raw else None, sheet, raw.get("delimiter"),
                        raw.get("key"), fields, raw.get("qualification"), options.drop_alt_label)


def is_plain_name(name: str) -> bool:
    """A name that is one file name in a folder: no separator, no NUL, not '.', '..' or hidden."""
    return bool(name) and not any(c in name for c in "/\\\0") and not name.startswith(".")


def _field(options: _Options, table: str, target: str, raw: str | dict[str, Any], targets: dict[str, Target]
           ) -> Field:
    path = options.path
    if target not in targets:
        raise MappingInvalid(f"{path}: {table}: {target!r} is not a property NQDB can map here; "
                             f"use one of {', '.join(targets)}.")
    spec: dict[str, Any] = {"column": raw} if isinstance(raw, str) else raw
    joined = tuple(spec.get("columns", ()))
    column, languages = spec.get("column", joined[0] if joined else None), tuple(spec.get("languages", ()))
    if "column" in spec and joined:
        raise MappingInvalid(f"{path}: {table}.{target}: give 'column' or 'columns', not both.")
    if column is None and "default" not in spec:
        raise MappingInvalid(f"{path}: {table}.{target}: give a 'column' or a 'default'.")
    names = joined or ((column,) if column is not None else ())
    if names and any("{lang}" in n for n in names) != bool(languages):
        raise MappingInvalid(f"{path}: {table}.{target}: a column name with {{lang}} needs 'languages', "
                             "and 'languages' needs {lang} in the column name.")
    if joined and targets[target].kind != "text":
        raise MappingInvalid(f"{path}: {table}.{target}: 'columns' joins text columns; {target} is not text.")
    replacements: dict[str, Any] = spec.get("values", {})
    add_scheme = spec.get("add_scheme", options.add_url_scheme) if targets[target].kind == "url" else None
    return Field(target, targets[target], column, languages, spec.get("language"), spec.get("separator"),
                 spec.get("lookup", targets[target].lookup),
                 {str(k): str(v) for k, v in replacements.items()},
                 bool(spec.get("required", False)), spec.get("default"), joined, spec.get("join", ", "),
                 add_scheme)
