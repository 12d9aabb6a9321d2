"""Researcher tables: a row per entity, a column per language, formula-safe, described by datapackage.json."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pyoxigraph as ox
import pytest

from store.core import statistics
from store.core.triplestore import Store
from store.opendata import tables
from tests.open_data import dumped_template, store_copy

ELM = "http://data.europa.eu/snb/model/elm/"
DCT = "http://purl.org/dc/terms/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory, demo_template: Path) -> Store:
    template = dumped_template(tmp_path_factory, demo_template)
    return store_copy(template, tmp_path_factory.mktemp("tables") / "store")


@pytest.fixture(scope="module")
def folder(store: Store) -> Path:
    return store.path / "dumps" / "latest"


def read(folder: Path, name: str) -> list[dict[str, str]]:
    return tables.read_csv((folder / f"{name}.csv").read_bytes())


def test_headers_match_the_data_package(folder: Path) -> None:
    package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    assert package["profile"] == "tabular-data-package"
    for resource in package["resources"]:
        header = (folder / resource["path"]).read_text(encoding="utf-8").splitlines()[0].split(",")
        assert header == [f["name"] for f in resource["schema"]["fields"]]
        assert all(f["description"] for f in resource["schema"]["fields"])


def test_one_row_per_qualification_with_a_column_per_language(folder: Path, store: Store) -> None:
    rows = read(folder, "qualifications")
    assert len(rows) == len({r["iri"] for r in rows}) == statistics.summary(store).qualifications
    first = next(r for r in rows if r["iri"].endswith("/DEMO-0001"))
    assert first["title_en"] == "Certificate of Basic Education"
    assert first["title_fr"] == "Certificat d'études de base"
    assert first["eqf_level"] == "http://data.europa.eu/snb/eqf/1"


def test_organisations_levels_outcomes_and_esco_links(folder: Path, store: Store) -> None:
    organisations = read(folder, "organisations")
    assert len(organisations) == statistics.summary(store).organisations
    assert all(r["legal_name_en"] for r in organisations)
    levels = {r["iri"]: r for r in read(folder, "levels")}
    eqf = sum(int(r["qualifications"]) for r in levels.values() if r["framework"] == "EQF")
    assert eqf == statistics.summary(store).qualifications
    outcomes = read(folder, "learning_outcomes")
    assert all(r["qualification"] for r in outcomes)
    links = read(folder, "esco_links")
    linked = sum(len(r["esco_skill"].split(tables.SEPARATOR)) for r in outcomes if r["esco_skill"])
    assert len(links) == linked and all(r["skill_label_en"] for r in links)


def test_zip_holds_every_table_and_the_package(folder: Path) -> None:
    with zipfile.ZipFile(folder / tables.ZIP_NAME) as archive:
        names = set(archive.namelist())
        assert names == {f"{t.name}.csv" for t in tables.TABLES} | {tables.PACKAGE_NAME}
        assert archive.read("qualifications.csv") == (folder / "qualifications.csv").read_bytes()


@pytest.mark.parametrize("cell", ["=1+1", "+1", "-1+2", "@SUM(A1)", "\t=1", "\r=1"])
def test_formula_starts_are_defused(cell: str) -> None:
    assert tables.defuse(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["Plumbing", "http://x", "", "1"])
def test_ordinary_cells_are_untouched(cell: str) -> None:
    assert tables.defuse(cell) == cell


def test_a_malicious_title_is_written_inert() -> None:
    handle, graph = ox.Store(), ox.NamedNode("urn:nqdb:dataset:evil")
    q = ox.NamedNode("https://example.org/q/1")
    handle.extend([
        ox.Quad(q, ox.NamedNode(RDF_TYPE), ox.NamedNode(ELM + "Qualification"), graph),
        ox.Quad(q, ox.NamedNode(DCT + "title"), ox.Literal('=HYPERLINK("http://evil","x")', language="en"),
                graph),
        ox.Quad(q, ox.NamedNode(DCT + "title"), ox.Literal("Titre", language="fr"), graph),
        ox.Quad(q, ox.NamedNode(DCT + "description"), ox.Literal("untagged"), graph),
    ])
    rows = list(tables.rows(handle, [graph], tables.TABLES[0], ["en", "fr"]))
    header = tables.header(tables.TABLES[0], ["en", "fr"])
    row = dict(zip(header, rows[0], strict=True))
    assert row["title_en"] == '\'=HYPERLINK("http://evil","x")' and row["title_fr"] == "Titre"
    assert row["description_en"] == "untagged"  # untagged text goes to the default language


def test_rows_apart_are_detected_and_sorting_fixes_them() -> None:
    q1, q2, title = "https://example.org/q/1", "https://example.org/q/2", "title"
    apart = [(q1, title, ox.Literal("A", language="en")), (q2, title, ox.Literal("B", language="en")),
             (q1, title, ox.Literal("A2", language="fr"))]
    table = tables.TABLES[0]
    with pytest.raises(tables.NotGrouped):
        list(tables.rows(ox.Store(), [], table, ["en", "fr"], apart))
    ordered = sorted(apart, key=lambda s: s[0])
    rows = list(tables.rows(ox.Store(), [], table, ["en", "fr"], ordered))
    assert [r[:4] for r in rows] == [[q1, "", "A", "A2"], [q2, "", "B", ""]]
