"""The `nqdb` command as operators and scripts use it: exit codes, --json, --store and NQDB_STORE."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from nqdb.cli import main
from tests.conftest import MINIMAL

EQF = "    elm:EQFLevel <http://data.europa.eu/snb/eqf/4> ;\n"
NQF = "    elm:NQFLevel <http://data.europa.eu/snb/qdr/c_38f52397> ;\n"
LOS = "    elm:learningOutcome lo:Q-0001-1 , lo:Q-0001-2 ;\n"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_validate_says_conforms_for_the_minimal_record(runner: CliRunner) -> None:
    result = runner.invoke(main, ["validate", str(MINIMAL)])
    assert result.exit_code == 0, result.output
    assert "conform" in result.output.lower()


@pytest.mark.parametrize(("removed", "field"), [(EQF, "EQF level"), (NQF, "NQF level"),
                                                (LOS, "learning outcome")])
def test_validate_names_exactly_the_missing_field(runner: CliRunner, tmp_path: Path, removed: str,
                                                  field: str) -> None:
    text = MINIMAL.read_text(encoding="utf-8")
    assert removed in text
    broken = tmp_path / "broken.ttl"
    broken.write_text(text.replace(removed, ""), encoding="utf-8")
    result = runner.invoke(main, ["validate", str(broken), "--json"])
    assert result.exit_code == 1
    report = json.loads(result.output)
    assert report["conforms"] is False
    fields = {v["field"].lower() for v in report["violations"]}
    assert fields == {field.lower()} or all(field.lower() in f for f in fields), fields


def test_validate_turtle_report_is_a_shacl_report(runner: CliRunner) -> None:
    import rdflib

    result = runner.invoke(main, ["validate", str(MINIMAL), "--report", "turtle"])
    graph = rdflib.Graph().parse(data=result.output, format="turtle")
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    assert (None, rdflib.RDF.type, sh.ValidationReport) in graph


def test_load_and_stats_with_json(runner: CliRunner, tmp_path: Path) -> None:
    store = tmp_path / "store"
    loaded = runner.invoke(main, ["load", str(MINIMAL), "--store", str(store), "--json"])
    assert loaded.exit_code == 0, loaded.output
    [result] = json.loads(loaded.output)
    assert result["dataset"] == "qualification-minimal" and result["qualifications"] == 1
    stats = runner.invoke(main, ["stats", "--json"], env={"NQDB_STORE": str(store)})
    assert stats.exit_code == 0, stats.output
    summary = json.loads(stats.output)
    assert summary["qualifications"] == 1
    assert [d["dataset_id"] for d in summary["datasets"]] == ["qualification-minimal"]


def test_load_of_a_bad_file_fails_with_its_line(runner: CliRunner, tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text('@prefix a: <http://a/> .\na:x a:y "unterminated .\n', encoding="utf-8")
    result = runner.invoke(main, ["load", str(bad), "--store", str(tmp_path / "store"), "--json"])
    assert result.exit_code == 1
    assert f"{bad}:2:" in json.loads(result.output)["error"]


def test_existing_dataset_needs_replace(runner: CliRunner, tmp_path: Path) -> None:
    args = ["load", str(MINIMAL), "--store", str(tmp_path / "store"), "--quiet"]
    assert runner.invoke(main, args).exit_code == 0
    second = runner.invoke(main, args)
    assert second.exit_code == 1 and "--replace" in second.output
    assert runner.invoke(main, [*args, "--replace"]).exit_code == 0


def test_stats_on_a_missing_store_fails(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["stats", "--store", str(tmp_path / "none")])
    assert result.exit_code == 1 and "nqdb init" in result.output


@pytest.mark.parametrize("command", ["init", "load", "validate", "stats", "serve", "demo"])
def test_every_command_has_help(runner: CliRunner, command: str) -> None:
    result = runner.invoke(main, [command, "--help"])
    assert result.exit_code == 0 and "Usage:" in result.output


def test_text_report_says_each_problem_once(runner: CliRunner, tmp_path: Path) -> None:
    broken = tmp_path / "no-eqf.ttl"
    broken.write_text(MINIMAL.read_text(encoding="utf-8").replace(EQF, ""), encoding="utf-8")
    result = runner.invoke(main, ["validate", str(broken), "--quiet"])
    assert result.exit_code == 1
    assert result.output.count("EQF level is missing") == 1, result.output
