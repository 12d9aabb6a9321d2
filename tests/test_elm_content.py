"""Data that is not ELM 3.1 qualifications is named for what it is, and refused under --strict (issue 9 case 12)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from nqdb.cli import main
from store.core.triplestore import Store
from store.ingest import importer
from tests.conftest import DATA, MINIMAL
from tests.test_importer import content

CORPUS = DATA / "bad-inputs"


def earlier_namespace(tmp_path: Path, namespace: str = "http://data.europa.eu/snb/model/") -> Path:
    path = tmp_path / "older.ttl"
    path.write_text(MINIMAL.read_text(encoding="utf-8").replace("http://data.europa.eu/snb/model/elm/", namespace),
                    encoding="utf-8")
    return path


def test_skos_file_is_no_elm_qualification(empty_store: Store) -> None:
    """Issue 9 case 12: a SKOS file loads (non-strict) with zero qualifications and a note saying what it is."""
    result = importer.import_file(empty_store, CORPUS / "skos-only.ttl", "levels")
    assert result.qualifications == 0 and not result.has_qualifications
    assert len(result.notes) == 1 and result.notes[0].startswith("no ELM qualification in it")
    assert "2 skos:Concept, 1 skos:ConceptScheme" in result.notes[0]


def test_schema_org_frame_is_no_elm_qualification(empty_store: Store) -> None:
    """Issue 9 case 12: a schema.org JSON-LD frame is reported as holding no ELM qualification."""
    result = importer.import_file(empty_store, CORPUS / "schema-org-frame.jsonld", "frame")
    assert result.qualifications == 0
    assert "1 schema:EducationalOccupationalCredential" in result.notes[0]


@pytest.mark.parametrize("name", ["skos-only.ttl", "schema-org-frame.jsonld", "elm-earlier-namespace.ttl"])
def test_strict_refuses_what_is_not_elm(demo_store: Store, name: str) -> None:
    """Issue 9 case 12: --strict refuses a file that is not ELM 3.1 qualifications and changes nothing."""
    before, version = content(demo_store), demo_store.version
    with pytest.raises(importer.NotElmData) as error:
        importer.import_file(demo_store, CORPUS / name, "other", strict=True)
    assert str(CORPUS / name) in str(error.value) and "nothing was imported (strict mode)" in str(error.value)
    assert demo_store.version == version and content(demo_store) == before


def test_earlier_elm_namespace_is_named(empty_store: Store, tmp_path: Path) -> None:
    """Issue 9 case 12: the ELM namespace without elm/ is named as an earlier version, with an example IRI."""
    result = importer.import_file(empty_store, earlier_namespace(tmp_path), "older")
    assert result.qualifications == 0
    assert result.notes[0].startswith("no ELM qualification in it")
    assert result.notes[1].startswith("ELM namespace of an earlier version: http://data.europa.eu/snb/model/ "
                                      "(e.g. <http://data.europa.eu/snb/model/")
    assert "http://data.europa.eu/snb/model/elm/" in result.notes[1]


def test_elm_33_namespace_is_named(empty_store: Store, tmp_path: Path) -> None:
    """Issue 9 case 12: ELM 3.3's namespace is named as a later version."""
    result = importer.import_file(empty_store, earlier_namespace(tmp_path, "http://data.europa.eu/snb/model/ontology/"),
                                  "newer")
    assert any(n.startswith("ELM namespace of a later version (ELM 3.3)") for n in result.notes)


def test_elm_31_qualification_has_no_notes(empty_store: Store) -> None:
    """Issue 9 case 12: a real ELM 3.1 qualification carries no note."""
    result = importer.import_file(empty_store, MINIMAL, "minimal")
    assert result.notes == () and result.has_qualifications


def test_cli_says_what_the_file_is_and_never_conforms(empty_store: Store) -> None:
    """Issue 9 case 12: `nqdb load` says "no ELM qualification in it" and never prints "conforms" for it."""
    path = CORPUS / "skos-only.ttl"
    result = CliRunner().invoke(main, ["load", "--quiet", "--store", str(empty_store.path), str(path)])
    assert result.exit_code == 0, result.output
    assert f"Note: {path}: no ELM qualification in it" in " ".join(result.output.split())
    assert "conforms" not in result.output.lower()
    as_json = CliRunner().invoke(main, ["load", "--json", "--replace", "--store", str(empty_store.path), str(path)])
    payload = json.loads(as_json.output)[0]
    assert payload["qualifications"] == 0 and payload["notes"][0].startswith("no ELM qualification in it")
