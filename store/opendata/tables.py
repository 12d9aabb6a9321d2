"""Researcher tables: CSV files with one row per entity, described by a Frictionless Data Package.

Each table comes from queries/table_<name>.rq, which returns long (entity, field, value) rows, each
entity's rows together; they are pivoted here one entity at a time (memory: one entity). Multilingual
text fields get one column per configured language (title_en, title_fr); multi-valued fields are
joined with " | ". Cells that a spreadsheet would run as a formula are defused with a leading "'".
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from store.core import execute
from store.core.formats import CSV, JSON, ZIP
from store.core.graphs import DATASET_PREFIX

SEPARATOR = " | "
ZIP_NAME = "nqdb-tables.zip"
PACKAGE_NAME = "datapackage.json"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # a spreadsheet evaluates cells starting so


@dataclass(frozen=True)
class Column:
    """One field of a table as documented in datapackage.json and docs/open-data.md."""

    name: str
    description: str
    type: str = "string"        # Frictionless field type
    multilingual: bool = False  # one column per language: <name>_<lang>


@dataclass(frozen=True)
class Table:
    """One CSV file."""

    name: str
    title: str
    key: str | None             # the column holding the entity IRI, or None (the key is the row)
    columns: tuple[Column, ...]
    vocabularies: bool = False  # needs the vocabulary graphs (labels); others read dataset graphs only
    grouped: bool = True        # the query yields each entity's rows together; if not, rows are sorted


@dataclass(frozen=True)
class WrittenFile:
    """A file written by write_tables, with its checksum."""

    name: str
    title: str
    media_type: str
    bytes: int
    sha256: str


TABLES: tuple[Table, ...] = (
    Table("qualifications", "Qualifications", "iri", (
        Column("iri", "IRI of the qualification (dereferenceable).", "string"),
        Column("identifier", "National identifier(s) (adms:identifier/skos:notation)."),
        Column("title", "Title (dct:title).", multilingual=True),
        Column("description", "Description (dct:description).", multilingual=True),
        Column("eqf_level", "EQF level concept IRI (elm:EQFLevel); labels in levels.csv."),
        Column("nqf_level", "NQF level concept IRI(s) (elm:NQFLevel)."),
        Column("isced_f_code", "ISCED-F 2013 field concept IRI(s) (elm:ISCEDFCode)."),
        Column("language", "Language(s) of instruction, EU language authority IRIs (dct:language)."),
        Column("awarding_body", "Awarding organisation IRI(s); see organisations.csv."),
        Column("homepage", "Homepage URL(s) (foaf:homepage/elm:contentUrl)."),
        Column("volume_of_learning", "Notional learning time, ISO 8601 duration (elm:volumeOfLearning)."),
        Column("credit_points", "Credit points (elm:creditPoint/elm:point)."),
        Column("credit_framework", "Credit system concept IRI (ECTS, ECVET...)."),
        Column("learning_outcome", "Learning outcome IRIs; see learning_outcomes.csv."),
        Column("modified", "Last modification date given by the provider (dct:modified)."),
        Column("identifier_scheme", "Scheme of the national identifier (adms:identifier/elm:schemeName)."),
        Column("entry_requirement", "Entry requirements (elm:entryRequirement/elm:noteLiteral).",
               multilingual=True),
        Column("publisher", "IRI of the organisation publishing the record (dct:publisher)."),
        Column("awarding_country", "Country IRI(s) where it is awarded (elm:awardingOpportunity/elm:location/"
               "elm:address/elm:countryCode): the awarding body's location."),
        Column("accreditation_type", "Quality-assurance accreditation type concept IRI "
               "(elm:accreditation/dct:type, Europass accreditation types)."),
        Column("accreditation_title", "Title of the accreditation (elm:accreditation/dct:title).",
               multilingual=True),
        Column("accrediting_agent", "IRI of the accrediting organisation (elm:accreditingAgent)."),
        Column("accreditation_issued", "Date the accreditation was issued (dct:issued)."),
        Column("accreditation_expiry", "Date the accreditation expires (elm:expiryDate)."),
    )),
    Table("learning_outcomes", "Learning outcomes", "iri", (
        Column("iri", "IRI of the learning outcome."),
        Column("qualification", "IRI(s) of the qualification(s) with this outcome."),
        Column("title", "Statement of the outcome (dct:title).", multilingual=True),
        Column("skill_type", "Knowledge, skill or autonomy concept IRI (dct:type)."),
        Column("reusability_level", "Skill reuse level concept IRI (elm:reusabilityLevel)."),
        Column("esco_skill", "Related ESCO skill IRIs; see esco_links.csv."),
        Column("domain", "EQF element: knowledge, skill or responsibility and autonomy (a skill-typed "
               "outcome with the eqf-responsibility-and-autonomy note, see docs/elm-profile.md)."),
    )),
    Table("organisations", "Organisations", "iri", (
        Column("iri", "IRI of the organisation."),
        Column("legal_name", "Legal name (rov:legalName).", multilingual=True),
        Column("alternative_name", "Other names (skos:altLabel).", multilingual=True),
        Column("homepage", "Homepage URL(s)."),
        Column("country", "Country IRI(s) of its address (EU country authority)."),
        Column("awards", "IRIs of the qualifications it awards."),
        Column("city", "Place name of its location (elm:location/elm:geographicName).", multilingual=True),
        Column("address", "Full postal address (elm:location/elm:address/elm:fullAddress/elm:noteLiteral).",
               multilingual=True),
    )),
    Table("levels", "EQF and NQF levels", "iri", (
        Column("iri", "IRI of the level concept."),
        Column("framework", "EQF or NQF."),
        Column("notation", "Notation of the level (skos:notation)."),
        Column("label", "Label (skos:prefLabel).", multilingual=True),
        Column("scheme", "Concept scheme IRI (skos:inScheme)."),
        Column("qualifications", "Number of published qualifications at this level.", "integer"),
    ), vocabularies=True, grouped=False),
    Table("esco_links", "Links from learning outcomes to ESCO skills", None, (
        Column("qualification", "IRI(s) of the qualification(s) with the outcome."),
        Column("learning_outcome", "IRI of the learning outcome."),
        Column("esco_skill", "IRI of the ESCO skill."),
        Column("skill_label", "Preferred label of the ESCO skill.", multilingual=True),
    ), vocabularies=True, grouped=False),
)


def header(table: Table, languages: Sequence[str]) -> list[str]:
    """The CSV header of a table: multilingual columns expand to <name>_<lang>."""
    names: list[str] = []
    for column in table.columns:
        names += [f"{column.name}_{lang}" for lang in languages] if column.multilingual else [column.name]
    return names


def defuse(cell: str) -> str:
    """A cell a spreadsheet will not evaluate: values starting with = + - @ tab or CR get a leading "'"."""
    return "'" + cell if cell.startswith(FORMULA_START) else cell


class NotGrouped(RuntimeError):
    """The query engine returned an entity's rows apart; the caller falls back to sorting."""


Solution = tuple[str, str, ox.NamedNode | ox.BlankNode | ox.Literal]


def solutions(handle: ox.Store, published: Sequence[ox.NamedNode], table: Table) -> Iterator[Solution]:
    """(entity, field, value) rows of a table's query, in the engine's order."""
    graphs = [g for g in published if table.vocabularies or g.value.startswith(DATASET_PREFIX)]
    found = execute.run(handle, f"table_{table.name}", {}, graphs)
    assert isinstance(found, ox.QuerySolutions)
    for solution in found:
        entity, field, value = solution["entity"], solution["field"], solution["value"]
        if entity is not None and field is not None and value is not None:
            yield entity.value, field.value, value


def rows(handle: ox.Store, published: Sequence[ox.NamedNode], table: Table, languages: Sequence[str],
         grouped: Iterable[Solution] | None = None) -> Iterator[list[str]]:
    """The CSV rows of one table (without header), one per entity, streamed.

    The queries have no ORDER BY (sorting 100k entities costs 5x the query): Oxigraph's nested-loop
    join yields each entity's rows together, which is checked here (NotGrouped if not).

    Raises:
        NotGrouped: an entity's rows were not contiguous.
    """
    columns = {c.name: c for c in table.columns}
    names = header(table, languages)
    entity: str | None = None
    cells: dict[str, list[str]] = {}
    done: set[str] = set()
    for current, field, value in grouped if grouped is not None else solutions(handle, published, table):
        if current != entity:
            if current in done:
                raise NotGrouped(f"{table.name}: rows of {current} are not contiguous.")
            if entity is not None:
                done.add(entity)
                yield _row(names, cells)
            entity, cells = current, {table.key: [current]} if table.key else {}
        column = columns.get(field)
        if column is None:
            continue
        name = _column_name(column, value, languages)
        if name is not None and value.value not in cells.setdefault(name, []):
            cells[name].append(value.value)
    if entity is not None:
        yield _row(names, cells)


def _column_name(column: Column, value: object, languages: Sequence[str]) -> str | None:
    if not column.multilingual:
        return column.name
    language = value.language if isinstance(value, ox.Literal) else None
    if not language:
        return f"{column.name}_{languages[0]}"  # an untagged text counts as the default language
    primary = language.lower().split("-")[0]
    return f"{column.name}_{primary}" if primary in languages else None


def _row(names: Sequence[str], cells: dict[str, list[str]]) -> list[str]:
    return [defuse(SEPARATOR.join(sorted(cells.get(name, [])))) for name in names]


def package(languages: Sequence[str], license_url: str, base_url: str) -> dict[str, object]:
    """The Frictionless Data Package (tabular-data-package) describing every table."""
    resources = []
    for table in TABLES:
        fields = []
        for column in table.columns:
            for name in header(Table(table.name, "", None, (column,)), languages):
                suffix = f" Language: {name.rsplit('_', 1)[1]}." if column.multilingual else ""
                fields.append({"name": name, "type": column.type, "description": column.description + suffix})
        schema: dict[str, object] = {"fields": fields, "missingValues": [""]}
        if table.key:
            schema["primaryKey"] = [table.key]
        resources.append({"name": table.name.replace("_", "-"), "path": f"{table.name}.csv",
                          "title": table.title, "profile": "tabular-data-resource", "format": "csv",
                          "mediatype": CSV, "encoding": "utf-8", "schema": schema})
    return {"profile": "tabular-data-package", "name": "nqdb-tables", "title": "NQDB researcher tables",
            "homepage": f"{base_url.rstrip('/')}/downloads",
            "licenses": [{"path": license_url, "title": "Licence of the published data"}],
            "resources": resources}


def write_tables(handle: ox.Store, published: Sequence[ox.NamedNode], folder: Path, *,
                 languages: Sequence[str], base_url: str,
                 license_url: str = "https://creativecommons.org/licenses/by/4.0/") -> list[WrittenFile]:
    """Write every CSV, datapackage.json and the zip of them all into `folder`."""
    written = []
    for table in TABLES:
        path = folder / f"{table.name}.csv"
        try:
            if not table.grouped:
                raise NotGrouped(table.name)
            _write_csv(path, table, languages, rows(handle, published, table, languages))
        except NotGrouped:  # sorting is correct but holds the table's rows in memory
            ordered = sorted(solutions(handle, published, table), key=lambda s: s[0])
            _write_csv(path, table, languages, rows(handle, published, table, languages, ordered))
        written.append(_checksum(path, f"Table: {table.title} (CSV)", CSV))
    path = folder / PACKAGE_NAME
    path.write_text(json.dumps(package(languages, license_url, base_url), indent=2), encoding="utf-8")
    written.append(_checksum(path, "Data Package (Frictionless) describing the tables", JSON))
    zipped = folder / ZIP_NAME
    with zipfile.ZipFile(zipped, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for item in written:
            archive.write(folder / item.name, item.name)
    written.append(_checksum(zipped, "All tables and their Data Package, zipped", ZIP))
    return written


def _write_csv(path: Path, table: Table, languages: Sequence[str], body: Iterable[list[str]]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header(table, languages))
        writer.writerows(body)


def _checksum(path: Path, title: str, media_type: str) -> WrittenFile:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return WrittenFile(path.name, title, media_type, path.stat().st_size, digest.hexdigest())


def read_csv(data: bytes) -> list[dict[str, str]]:
    """Parse a table written here (for tests and tools)."""
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"))))
