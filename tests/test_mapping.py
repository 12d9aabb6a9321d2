"""Table mapping: each mapping feature and each row error kind, on small registers written per test."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
import rdflib
from rdflib import Literal, URIRef

from store.ingest.file_validation import validate_file
from store.ingest.mapping import lookups, values
from store.ingest.mapping.build import build_turtle
from store.ingest.mapping.errors import CellError, MappingInvalid, RowsRejected, TableUnreadable
from store.ingest.mapping.mapping import DEFAULT_MAPPING, load_mapping
from store.ingest.mapping.template import write_template

BASE = "http://nqdb.test"
ELM = rdflib.Namespace("http://data.europa.eu/snb/model/elm/")
DCT = rdflib.Namespace("http://purl.org/dc/terms/")
Q1 = URIRef(f"{BASE}/id/qualification/Q1")
HEADER = ("id;title_en;title_fr;eqf_level;nqf_level;isced_f;language;credits;credit_system;volume;"
          "awarding_body;knowledge_en;knowledge_fr;skills_en;autonomy_en;valid_from;modified")
ROW = ('Q1;Plumbing;Plomberie;EQF 4;CFC Level 4;732;"fr; en";120;ECVET;2 years;ORG;'
       '"Knows pipes\nKnows valves";'
       '"Connaît les tuyaux\nConnaît les vannes";Installs pipes;Works alone;01/09/2025;2025-01-15')
ORGS = ("id,name_en,name_fr,country,city_en,address,homepage\n"
        "ORG,Institute,Institut,IE,Dublin,1 Main St,https://o.example\n")


def register(folder: Path, *rows: str, orgs: str = ORGS) -> Path:
    """A CSV register with the template's columns (semicolon-separated) and its organisations.csv."""
    (folder / "organisations.csv").write_text(orgs, encoding="utf-8")
    path = folder / "register.csv"
    path.write_text("\n".join((HEADER, *rows)) + "\n", encoding="utf-8-sig")
    return path


def build(path: Path, mapping: Path = DEFAULT_MAPPING, skip: bool = False) -> rdflib.Graph:
    out = path.with_suffix(".ttl")
    build_turtle(load_mapping(mapping), path, BASE, out, skip_invalid=skip)
    return rdflib.Graph().parse(out)


def rejected(path: Path, mapping: Path = DEFAULT_MAPPING) -> list[CellError]:
    with pytest.raises(RowsRejected) as caught:
        build_turtle(load_mapping(mapping), path, BASE, path.with_suffix(".ttl"))
    return caught.value.errors


def test_register_maps_every_feature_and_conforms(tmp_path: Path) -> None:
    graph = build(register(tmp_path, ROW))
    titles = {Literal("Plumbing", lang="en"), Literal("Plomberie", lang="fr")}
    assert set(graph.objects(Q1, DCT.title)) == titles
    assert graph.value(Q1, ELM.EQFLevel) == URIRef("http://data.europa.eu/snb/eqf/4")
    assert graph.value(Q1, ELM.NQFLevel) == URIRef("http://data.europa.eu/snb/qdr/c_baa10a4e")
    assert graph.value(Q1, ELM.ISCEDFCode) == URIRef("http://data.europa.eu/snb/isced-f/0732")
    languages = {str(o).rsplit("/", 1)[1] for o in graph.objects(Q1, DCT.language)}
    assert languages == {"FRA", "ENG"}  # multi-valued cell, ISO 639-1 codes
    assert str(graph.value(Q1, ELM.volumeOfLearning)) == "P2Y"
    assert len(set(graph.objects(Q1, ELM.learningOutcome))) == 4  # 2 knowledge lines + 1 skill + 1 R&A
    first = URIRef(f"{BASE}/id/learning-outcome/Q1-LO1")
    assert (first, DCT.title, Literal("Connaît les tuyaux", lang="fr")) in graph
    award = graph.value(Q1, ELM.awardingOpportunity)
    assert graph.value(award, ELM.awardingBody) == URIRef(f"{BASE}/id/organisation/ORG")
    period = graph.value(award, DCT.temporal)
    assert str(graph.value(period, ELM.startDate)).startswith("2025-09-01T00:00:00")
    address = graph.value(graph.value(URIRef(f"{BASE}/id/organisation/ORG"), ELM.location), ELM.address)
    assert graph.value(address, ELM.countryCode) == URIRef(
        "http://publications.europa.eu/resource/authority/country/IRL")
    report, _ = validate_file(tmp_path / "register.ttl")
    assert report.conforms, report.to_text()


def test_autonomy_outcomes_are_typed_skill_with_the_shared_note(tmp_path: Path) -> None:
    graph = build(register(tmp_path, ROW))
    outcome = URIRef(f"{BASE}/id/learning-outcome/Q1-LO4")
    assert graph.value(outcome, DCT.type) == URIRef("http://data.europa.eu/snb/skill-type/skill")
    shared = URIRef(f"{BASE}/id/note/eqf-responsibility-and-autonomy")
    assert graph.value(outcome, ELM.additionalNote) == shared


def test_vocabulary_concepts_are_not_embedded(tmp_path: Path) -> None:
    graph = build(register(tmp_path, ROW))
    assert not list(graph.subjects(None, URIRef("http://www.w3.org/2004/02/skos/core#Concept")))


def test_xlsx_template_round_trips(tmp_path: Path) -> None:
    written = write_template(tmp_path)
    assert {p.name for p in written} == {"register.csv", "organisations.csv", "register.xlsx", "mapping.yaml"}
    for name in ("register.csv", "register.xlsx"):
        graph = build(tmp_path / name, tmp_path / "mapping.yaml")
        assert len(set(graph.subjects(None, ELM.Qualification))) == 1
        report, _ = validate_file(tmp_path / "register.ttl")
        assert report.conforms, report.to_text()


def test_outcomes_from_their_own_sheet(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Quals"
    sheet.append(["key", "title", "eqf"])
    sheet.append(["Q1", "Plumbing", 4.0])  # a number cell: read as "4"
    outcomes = book.create_sheet("Outcomes")
    outcomes.append(["qualification", "kind", "text"])
    outcomes.append(["Q1", "K", "Knows pipes"])
    outcomes.append(["Q1", "S", "Installs pipes"])
    book.save(tmp_path / "reg.xlsx")
    (tmp_path / "m.yaml").write_text(
        "mapping: 1\nqualifications: {sheet: Quals, key: key, fields: {title: {column: title, language: en},"
        " EQFLevel: eqf}}\nlearning_outcomes: {sheet: Outcomes, qualification: qualification,"
        " fields: {type: kind, title: {column: text, language: en}}}\n", encoding="utf-8")
    graph = build(tmp_path / "reg.xlsx", tmp_path / "m.yaml")
    types = {str(graph.value(o, DCT.type)).rsplit("/", 1)[1] for o in graph.objects(Q1, ELM.learningOutcome)}
    assert types == {"knowledge", "skill"}


@pytest.mark.parametrize(("cell", "column", "message"), [
    ("Q1;Plumbing;Plomberie;9;CFC Level 4;0732;fr;;;;ORG;K;;;;;", "eqf_level", "unknown EQF level"),
    ("Q1;;;4;CFC Level 4;0732;fr;;;;ORG;K;;;;;", "title_en", "missing title"),
    ("Q1;Plumbing;;4;CFC Level 4;0732;fr;;;;ORG;K;;;;31/02/2025;", "valid_from", "not a date"),
    ("Q1;Plumbing;;4;CFC Level 4;0732;fr;;;ten years;ORG;K;;;;;", "volume", "not a duration"),
    ("Q1;Plumbing;;4;CFC Level 4;0732;fr;;;;NOPE;K;;;;;", "awarding_body", "organisation id not in the"),
    ("Q1;Plumbing;;4;CFC Level 4;1234;fr;;;;ORG;K;;;;;", "isced_f", "unknown ISCED-F"),
    ("Q1;Plumbing;;4;CFC Level 4;0732;xx;;;;ORG;K;;;;;", "language", "unknown language code"),
    ("Q1;Plumbing;;4;Level Z;0732;fr;;;;ORG;K;;;;;", "nqf_level", "unknown NQF level"),
    ("Q1;Plumbing;;4;CFC Level 4;0732;fr;12;ABC;;ORG;K;;;;;", "credit_system", "unknown credit system"),
    ("Q 1;Plumbing;;4;CFC Level 4;0732;fr;;;;ORG;K;;;;;", "id", "key may only contain"),
])
def test_each_row_error_names_row_column_and_value(tmp_path: Path, cell: str, column: str,
                                                   message: str) -> None:
    errors = rejected(register(tmp_path, cell))
    assert [(e.row, e.column) for e in errors] == [(2, column)]
    assert message in str(errors[0]) and "row 2" in str(errors[0]) and repr(column) in str(errors[0])


def test_duplicate_key_names_both_rows(tmp_path: Path) -> None:
    errors = rejected(register(tmp_path, ROW, ROW))
    assert [(e.row, e.column, e.value) for e in errors] == [(3, "id", "Q1")]
    assert "duplicate key: row 2 already uses it" in str(errors[0])


def test_organisation_row_errors_are_reported_in_its_table(tmp_path: Path) -> None:
    errors = rejected(register(tmp_path, ROW, orgs="id,name_en,name_fr,country\nORG,Institute,,Atlantis\n"))
    assert ("organisations.csv", 2, "country") in [(e.table, e.row, e.column) for e in errors]
    assert any("organisations table has errors" in str(e) for e in errors)


def test_skip_invalid_keeps_the_valid_rows(tmp_path: Path) -> None:
    bad = ROW.replace("Q1;Plumbing", "Q2;").replace("EQF 4", "EQF 12")
    path = register(tmp_path, ROW, bad)
    result = build_turtle(load_mapping(DEFAULT_MAPPING), path, BASE, tmp_path / "out.ttl", skip_invalid=True)
    assert result.qualifications == 1
    assert [(e.row, e.column) for e in result.skipped] == [(3, "eqf_level")]


def test_missing_column_is_a_table_error(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text("id,title_en\nQ1,T\n", encoding="utf-8")
    with pytest.raises(TableUnreadable, match="eqf_level"):
        build_turtle(load_mapping(DEFAULT_MAPPING), path, BASE, tmp_path / "o.ttl")


def test_non_utf8_csv_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_bytes("id;titre\nQ1;Maçon\n".encode("latin-1"))
    with pytest.raises(TableUnreadable, match="not UTF-8"):
        build_turtle(load_mapping(DEFAULT_MAPPING), path, BASE, tmp_path / "o.ttl")


@pytest.mark.parametrize("text", [
    "mapping: 2\nqualifications: {key: id, fields: {}}\n",
    "mapping: 1\nqualifications: {key: id, fields: {colour: c}}\n",
    "mapping: 1\nqualifications: {key: id, fields: {title: {column: t, languages: [en]}}}\n",
    "mapping: 1\nqualifications: {key: id, fields: {title: {column: t, lookup: planets}}}\n",
])
def test_invalid_mapping_is_refused_with_its_place(tmp_path: Path, text: str) -> None:
    path = tmp_path / "m.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(MappingInvalid, match="m.yaml"):
        load_mapping(path)


@pytest.mark.parametrize(("function", "text", "expected"), [
    (lookups.eqf, "Niveau 5", "http://data.europa.eu/snb/eqf/5"),
    (lookups.isced_f, "0732", "http://data.europa.eu/snb/isced-f/0732"),
    (lookups.country, "IE", "http://publications.europa.eu/resource/authority/country/IRL"),
    (lookups.country, "IRL", "http://publications.europa.eu/resource/authority/country/IRL"),
    (lookups.nqf, "c_cf6bd5a1", "http://data.europa.eu/snb/qdr/c_cf6bd5a1"),
    (lookups.nqf, "cfc level 5", "http://data.europa.eu/snb/qdr/c_cf6bd5a1"),
    (lookups.language, "fre", "http://publications.europa.eu/resource/authority/language/FRA"),
    (lookups.credit_system, "ECTS", "http://data.europa.eu/snb/education-credit/6fcec5c5af"),
])
def test_code_lookups(function: object, text: str, expected: str) -> None:
    assert function(text) == expected  # type: ignore[operator]


@pytest.mark.parametrize(("text", "expected"), [
    ("1200 h", "PT1200H"), ("1200 heures", "PT1200H"), ("2 years", "P2Y"), ("3 ans", "P3Y"),
    ("18 mois", "P18M"), ("1,5 ans", "P18M"), ("6 weeks", "P42D"), ("P2Y", "P2Y"), ("pt30h", "PT30H"),
])
def test_durations(text: str, expected: str) -> None:
    assert values.parse_duration(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("2025-01-15", "2025-01-15T00:00:00Z"), ("15/01/2025", "2025-01-15T00:00:00Z"),
    ("15.01.2025", "2025-01-15T00:00:00Z"), ("2025-01-15T00:00:00Z", "2025-01-15T00:00:00Z"),
])
def test_dates(text: str, expected: str) -> None:
    assert values.parse_date(text) == expected
