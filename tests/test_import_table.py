"""`nqdb import-table` and `nqdb template`: the worked example, one transaction, dry runs, row errors."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from click.testing import CliRunner

from nqdb.cli import main
from portal import create_app
from store.core.triplestore import Store

BASE = "http://nqdb.test"
EXAMPLE = Path(__file__).parent / "data" / "register-example"
REGISTER, MAPPING = str(EXAMPLE / "certifications.csv"), str(EXAMPLE / "mapping.yaml")
KEYS = {"CQ-2019-0412", "CQ-2020-0107", "CQ-2018-0033", "CQ-2021-0250", "CQ-2017-0008"}


def nqdb(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def stats(store: Store) -> dict[str, object]:
    code, output = nqdb("stats", "--store", str(store.path), "--json")
    assert code == 0, output
    data: dict[str, object] = json.loads(output)
    return data


def test_worked_example_imports_conforms_and_is_served(empty_store: Store) -> None:
    code, output = nqdb("import-table", REGISTER, "--mapping", MAPPING,
                        "--dataset", "registre", "--base", BASE, "--strict", "--store", str(empty_store.path),
                        "--json")
    assert code == 0, output
    result = json.loads(output)
    assert (result["qualifications"], result["conforms"]) == (5, True)
    assert result["table"]["learningOutcomes"] == 15
    assert stats(empty_store)["qualifications"] == 5
    app = create_app({"TESTING": True, "STORE": str(empty_store.path), "PUBLIC_BASE_URL": BASE})
    query = "SELECT ?q WHERE { ?q a <http://data.europa.eu/snb/model/elm/Qualification> }"
    response = app.test_client().get("/sparql", query_string={"query": query},
                                     headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 200
    served = {b["q"]["value"].rsplit("/", 1)[1] for b in response.get_json()["results"]["bindings"]}
    assert served == KEYS
    page = app.test_client().get("/id/qualification/CQ-2019-0412", headers={"Accept": "text/html"})
    assert page.status_code == 200
    assert "aide-soignant" in page.get_data(as_text=True)


def test_row_errors_load_nothing(empty_store: Store, tmp_path: Path) -> None:
    folder = tmp_path / "register"
    shutil.copytree(EXAMPLE, folder)
    text = (folder / "certifications.csv").read_text(encoding="utf-8")
    (folder / "certifications.csv").write_text(text.replace("Niveau 5", "Niveau 12"), encoding="utf-8")
    code, output = nqdb("import-table", str(folder / "certifications.csv"), "--mapping",
                        str(folder / "mapping.yaml"), "--store", str(empty_store.path), "--json")
    assert code == 1
    rows = json.loads(output)["rows"]
    assert [(r["table"], r["row"], r["column"], r["value"]) for r in rows] == [
        ("certifications.csv", 3, "niveau_cec", "Niveau 12")]
    assert stats(empty_store)["qualifications"] == 0


def test_skip_invalid_loads_the_valid_rows(empty_store: Store, tmp_path: Path) -> None:
    folder = tmp_path / "register"
    shutil.copytree(EXAMPLE, folder)
    text = (folder / "operateurs.csv").read_text(encoding="utf-8")
    (folder / "operateurs.csv").write_text(text.replace("UMEUSE;", "UMEUSE-X;"), encoding="utf-8")
    code, output = nqdb("import-table", str(folder / "certifications.csv"), "--mapping",
                        str(folder / "mapping.yaml"), "--store", str(empty_store.path), "--skip-invalid",
                        "--json")
    assert code == 0, output
    skipped = json.loads(output)["table"]["skipped"]
    assert [(s["row"], s["column"], s["value"]) for s in skipped] == [(5, "operateur", "UMEUSE")]
    assert "not in the organisations table" in skipped[0]["message"]
    assert stats(empty_store)["qualifications"] == 4


def test_dry_run_writes_turtle_and_report_without_a_store(tmp_path: Path) -> None:
    output = tmp_path / "out.ttl"
    code, text = nqdb("import-table", REGISTER, "--mapping", MAPPING,
                      "--dry-run", "-o", str(output), "--store", str(tmp_path / "store"), "--json")
    assert code == 0, text
    assert json.loads(text)["conforms"] is True
    assert "elm:Qualification" in output.read_text(encoding="utf-8")
    assert not (tmp_path / "store").exists()


def test_template_then_import(empty_store: Store, tmp_path: Path) -> None:
    code, output = nqdb("template", "--dir", str(tmp_path / "tpl"))
    assert code == 0, output
    code, output = nqdb("import-table", str(tmp_path / "tpl" / "register.xlsx"), "--store",
                        str(empty_store.path), "--base", BASE, "--quiet")
    assert code == 0, output
    assert stats(empty_store)["qualifications"] == 1


def test_replace_is_needed_for_an_existing_dataset(empty_store: Store) -> None:
    args = ["import-table", REGISTER, "--mapping", MAPPING, "--store", str(empty_store.path), "--quiet"]
    assert nqdb(*args)[0] == 0
    code, output = nqdb(*args)
    assert code == 1 and "--replace" in output
    assert nqdb(*args, "--replace")[0] == 0
