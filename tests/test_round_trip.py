"""Round trip: the demo's researcher tables, re-imported with researcher-tables.yaml, give back the same graph."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
import rdflib
from click.testing import CliRunner
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from nqdb.cli import main
from store.core import graphs
from store.core.triplestore import Store
from store.ingest.mapping.build import build_turtle
from store.ingest.mapping.errors import RowsRejected
from store.ingest.mapping.mapping import RESEARCHER_MAPPING, load_mapping
from store.opendata import tables
from tests.conftest import copy_store

BASE = "http://nqdb.test"


def dataset_graph(store: Store, dataset_id: str = "demo") -> rdflib.Graph:
    out = io.BytesIO()
    store.dump(out, "application/n-triples", graphs.dataset_graph(dataset_id))
    return rdflib.Graph().parse(data=out.getvalue().decode("utf-8"), format="nt")


def differences(expected: rdflib.Graph, actual: rdflib.Graph) -> str:
    _, only_expected, only_actual = graph_diff(to_isomorphic(expected), to_isomorphic(actual))
    lines = ["only in the published graph:", *sorted(only_expected.serialize(format="nt").splitlines()),
             "only in the re-imported graph:", *sorted(only_actual.serialize(format="nt").splitlines())]
    return "\n".join(line for line in lines[:80] if line)


def write_demo_tables(store: Store, folder: Path) -> Path:
    snapshot = store.snapshot()
    tables.write_tables(snapshot.ox, snapshot.published, folder, languages=("en", "fr"), base_url=BASE)
    return folder / "qualifications.csv"


@pytest.fixture
def demo_tables(demo_store: Store, tmp_path: Path) -> Path:
    folder = tmp_path / "tables"
    folder.mkdir()
    return write_demo_tables(demo_store, folder)


@pytest.fixture
def fresh_store(tmp_path: Path, empty_template: Path) -> Store:
    """A vocabulary-only store beside demo_store (empty_store would take the same folder)."""
    copy_store(empty_template, tmp_path / "fresh")
    return Store(tmp_path / "fresh")


def test_researcher_tables_reimport_into_an_isomorphic_graph(demo_store: Store, demo_tables: Path,
                                                             fresh_store: Store) -> None:
    result = CliRunner().invoke(main, ["import-table", str(demo_tables), "--mapping", str(RESEARCHER_MAPPING),
                                       "--dataset", "demo", "--base", BASE, "--strict",
                                       "--store", str(fresh_store.path), "--json"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["qualifications"] == 64
    published, reimported = dataset_graph(demo_store), dataset_graph(fresh_store)
    assert len(published) > 4000
    assert isomorphic(published, reimported), differences(published, reimported)


def test_tables_carry_every_annex_vi_element_the_demo_uses(demo_tables: Path) -> None:
    folder = demo_tables.parent
    first = next(r for r in tables.read_csv(demo_tables.read_bytes()) if r["iri"].endswith("/DEMO-0001"))
    assert first["entry_requirement_en"] and first["entry_requirement_fr"]
    assert first["accreditation_type"].startswith("http://data.europa.eu/snb/accreditation/")
    assert first["accrediting_agent"].startswith(f"{BASE}/id/organisation/")
    assert first["awarding_country"].endswith("/country/BEL")
    assert first["publisher"].startswith(f"{BASE}/id/organisation/")
    outcomes = tables.read_csv((folder / "learning_outcomes.csv").read_bytes())
    assert {r["domain"] for r in outcomes} == {"knowledge", "skill", "responsibility and autonomy"}
    organisations = tables.read_csv((folder / "organisations.csv").read_bytes())
    assert all(r["city_en"] and r["address_fr"] for r in organisations)


def test_iris_under_another_base_are_reported_not_guessed(demo_tables: Path, tmp_path: Path) -> None:
    path = demo_tables.parent / "organisations.csv"
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    rows[1][0] = rows[1][0].replace(BASE, "http://elsewhere.example")
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    with pytest.raises(RowsRejected) as rejected:
        build_turtle(load_mapping(RESEARCHER_MAPPING), demo_tables, BASE, tmp_path / "out.ttl")
    messages = [str(e) for e in rejected.value.errors]
    assert any("organisations.csv, row 2, column 'iri': an IRI, not a key" in m for m in messages), messages
    assert any("organisation id not in the organisations table" in m for m in messages), messages


@pytest.mark.parametrize("name", ["qualifications", "learning_outcomes", "organisations"])
def test_the_round_trip_tables_stay_on_the_streaming_path(demo_store: Store, name: str) -> None:
    """Their queries yield each entity's rows together (no in-memory sort fallback)."""
    table = next(t for t in tables.TABLES if t.name == name)
    snapshot = demo_store.snapshot()
    assert table.grouped
    assert list(tables.rows(snapshot.ox, snapshot.published, table, ("en", "fr")))


def test_formula_guard_is_undone_on_reimport(fresh_store: Store, tmp_path: Path, empty_template: Path) -> None:
    """A title a spreadsheet would run as a formula is guarded in the tables and comes back unchanged."""
    from store.ingest import importer
    from store.ingest.demo import demo_dataset_turtle

    turtle = demo_dataset_turtle(BASE).replace('"Certificate of Basic Education"@en',
                                               '"=Certificate of Basic Education"@en')
    assert "=Certificate of Basic Education" in turtle
    source = tmp_path / "demo.ttl"
    source.write_text(turtle, encoding="utf-8")
    importer.import_file(fresh_store, source, "demo")
    folder = tmp_path / "guarded"
    folder.mkdir()
    qualifications = write_demo_tables(fresh_store, folder)
    assert "'=Certificate of Basic Education" in qualifications.read_text(encoding="utf-8")
    copy_store(empty_template, tmp_path / "again")
    again = Store(tmp_path / "again")
    result = CliRunner().invoke(main, ["import-table", str(qualifications), "--mapping", str(RESEARCHER_MAPPING),
                                       "--dataset", "demo", "--base", BASE, "--store", str(again.path), "--quiet"],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    published, reimported = dataset_graph(fresh_store), dataset_graph(again)
    assert isomorphic(published, reimported), differences(published, reimported)
