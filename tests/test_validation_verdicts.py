"""Issue 9, cases 9, 13 and 14: one verdict for validate and load, honest summaries, both shape sets judged."""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from pyoxigraph import RdfFormat, Store, parse, serialize

from nqdb.cli import main
from store.core.graphs import dataset_graph
from store.core.triplestore import Store as NqdbStore
from store.ingest.demo import demo_dataset_turtle
from store.validation.messages import KNOWN_DEFECTS
from store.validation.profile import validate_graph
from tests.conftest import BASE

ESCO_SKILL_DEFECT = "http://data.europa.eu/snb/model/ap/loq-constraints-mdr/EscoSkillRestriction"
AUTHORITY = f"{BASE}/id/organisation/authority"
AUTHORITY_NAME = 'rov:legalName "National Qualifications Authority"@en , "Autorité nationale des certifications"@fr ;'


@pytest.fixture(autouse=True, scope="module")
def cache_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Keep the validate command's vocabulary cache out of the user's home."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))
        yield


@pytest.fixture(scope="module")
def demo_turtle() -> str:
    return demo_dataset_turtle(BASE)


def _shuffled_ntriples(turtle: str, path: Path) -> Path:
    triples = list(parse(turtle.encode("utf-8"), format=RdfFormat.TURTLE))
    random.Random(9).shuffle(triples)
    path.write_text("".join(f"{t} .\n" for t in triples), encoding="utf-8")
    return path


def _json_ld(turtle: str, path: Path) -> Path:
    triples = list(parse(turtle.encode("utf-8"), format=RdfFormat.TURTLE))
    random.Random(9).shuffle(triples)
    path.write_bytes(serialize(triples, format=RdfFormat.JSON_LD) or b"")
    return path


def _comparable(report: dict[str, object]) -> dict[str, object]:
    """A report with its violation lists in a fixed order (the verdict and every violation kept)."""
    out = {k: v for k, v in report.items() if k not in ("file", "annexVI")}
    out["violations"] = sorted(json.dumps(v, sort_keys=True) for v in report["violations"])  # type: ignore[attr-defined]
    return out


def _validate_json(path: Path) -> dict[str, object]:
    result = CliRunner().invoke(main, ["validate", str(path), "--report", "json"])
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def _strict_load_json(store: NqdbStore, path: Path) -> dict[str, object]:
    """The full report of `nqdb load --strict` (it prints the report when it refuses the file)."""
    result = CliRunner().invoke(main, ["load", str(path), "--strict", "--json", "--store", str(store.path)])
    assert result.exit_code == 1, result.output
    return json.loads(result.stdout)["validation"]  # type: ignore[no-any-return]


@pytest.mark.parametrize("form", ["shuffled N-Triples", "JSON-LD"])
def test_case_9_validate_and_load_agree_on_the_demo(empty_store: NqdbStore, demo_turtle: str, tmp_path: Path,
                                                     form: str) -> None:
    """Issue 9 case 9: validate gives load's verdict on the demo as shuffled N-Triples and as JSON-LD."""
    write = _shuffled_ntriples if form == "shuffled N-Triples" else _json_ld
    path = write(demo_turtle, tmp_path / ("demo.nt" if form == "shuffled N-Triples" else "demo.jsonld"))
    validated = _validate_json(path)
    loaded = CliRunner().invoke(main, ["load", str(path), "--json", "--store", str(empty_store.path)])
    assert loaded.exit_code == 0, loaded.output
    [imported] = json.loads(loaded.stdout)
    assert imported["conforms"] is True and imported["qualifications"] == 64
    assert validated["conforms"] is True, validated["summary"]
    assert validated["qualifications"] == 64 and validated["violations"] == []
    assert validated["summary"] == imported["summary"]


@pytest.mark.parametrize("form", ["shuffled N-Triples", "JSON-LD"])
def test_case_9_validate_and_strict_load_give_the_same_violations(empty_store: NqdbStore, demo_turtle: str,
                                                                  tmp_path: Path, form: str) -> None:
    """Issue 9 case 9: on a broken demo (shuffled, JSON-LD) validate and load report the same violations."""
    broken = demo_turtle.replace(AUTHORITY_NAME, "", 1)
    broken = broken.replace(f"<{BASE}/id/qualification/DEMO-0007> a elm:Qualification ;",
                            f"<{BASE}/id/qualification/DEMO-0007> a elm:Qualification ;\n"
                            "    elm:EQFLevel <http://data.europa.eu/snb/eqf/8> ;", 1)
    assert broken.count("http://data.europa.eu/snb/eqf/8") > demo_turtle.count("http://data.europa.eu/snb/eqf/8")
    write = _shuffled_ntriples if form == "shuffled N-Triples" else _json_ld
    path = write(broken, tmp_path / ("broken.nt" if form == "shuffled N-Triples" else "broken.jsonld"))
    validated, loaded = _validate_json(path), _strict_load_json(empty_store, path)
    assert validated["conforms"] is False
    assert validated["nonconforming_qualifications"] == [f"{BASE}/id/qualification/DEMO-0007"]
    assert validated["nonconforming_shared_nodes"] == [AUTHORITY]
    assert _comparable(validated) == _comparable(loaded)


def test_case_13_load_summary_names_the_shared_nodes_at_fault(empty_store: NqdbStore, demo_turtle: str,
                                                               tmp_path: Path) -> None:
    """Issue 9 case 13: qualifications all conform but an organisation does not: the text says so, as JSON."""
    path = tmp_path / "no-legal-name.ttl"
    path.write_text(demo_turtle.replace(AUTHORITY_NAME, "", 1), encoding="utf-8")
    text = CliRunner().invoke(main, ["load", str(path), "--store", str(empty_store.path), "--quiet"])
    assert text.exit_code == 0, text.output
    said = " ".join(text.output.split())
    assert "Every qualification conforms" not in said
    assert "All 64 qualifications conform, but 1 shared node does not" in said
    assert f"<{AUTHORITY}> (Organisation): legal name is missing" in said
    again = CliRunner().invoke(main, ["load", str(path), "--dataset", "again", "--json",
                                      "--store", str(empty_store.path)])
    [imported] = json.loads(again.stdout)
    assert imported["conforms"] is False and imported["nonconforming"] == []
    assert imported["nonconformingSharedNodes"] == [AUTHORITY]
    assert " ".join(imported["summary"][0].split()) in said


def test_case_13_no_qualification_is_never_said_to_conform(empty_store: NqdbStore, tmp_path: Path) -> None:
    """Issue 9 case 13: a file with no elm:Qualification is not reported as conforming, in text or JSON."""
    path = tmp_path / "skos.ttl"
    path.write_text("@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
                    "<https://example.org/c/1> a skos:Concept ; skos:prefLabel \"One\"@en .\n", encoding="utf-8")
    loaded = CliRunner().invoke(main, ["load", str(path), "--store", str(empty_store.path), "--quiet"])
    validated = CliRunner().invoke(main, ["validate", str(path), "--quiet"])
    for output in (loaded.output, validated.output):
        said = " ".join(output.split()).lower()
        assert "no elm qualification in it" in said, output
        assert "qualifications conform" not in said and "qualification conforms" not in said, output


def _demo_report(demo_store: NqdbStore) -> tuple[dict[str, object], str, str]:
    """The demo dataset's report as JSON, text and Turtle, judged on the demo store itself."""
    ox = Store.read_only(str(demo_store.snapshot_path()))
    vocabularies = sorted(g.value for g in ox.named_graphs() if g.value.startswith("urn:nqdb:vocabulary:"))
    report = validate_graph(ox, dataset_graph("demo"), vocabularies)
    return report.to_json(), report.to_text(), report.to_turtle()


def test_case_14_reports_the_official_verdict_and_the_esco_defect(demo_store: NqdbStore,
                                                                   demo_turtle: str) -> None:
    """Issue 9 case 14: the demo conforms under NQDB's shapes, not the official ones; the defect is named."""
    links = sum(1 for t in parse(demo_turtle.encode("utf-8"), format=RdfFormat.TURTLE)
                if t.predicate.value.endswith("/relatedESCOSkill"))
    assert links > 0
    report, text, turtle = _demo_report(demo_store)
    assert report["conforms"] is True and report["shapes"] == ["LOQ-constraints.ttl",
                                                               "LOQ-constraints-mdr.nqdb.ttl"]
    official = report["official"]
    assert isinstance(official, dict)
    assert official["conforms"] is False and official["violation_count"] == links
    assert official["shapes"] == ["LOQ-constraints.ttl", "LOQ-constraints-mdr.ttl"]
    assert official["only_official_count"] == links and official["only_nqdb_count"] == 0
    [defect] = official["defects"]
    assert defect["shape"] == ESCO_SKILL_DEFECT and defect["violations"] == links
    assert defect["defect"] == KNOWN_DEFECTS[ESCO_SKILL_DEFECT][0] == "ESCO skill scheme pattern"
    assert {v["path"] for v in official["only_official"]} == {"http://data.europa.eu/snb/model/elm/relatedESCOSkill"}
    assert {v["defect"] for v in official["only_official"]} == {ESCO_SKILL_DEFECT}
    for said in (text, turtle):
        flat = " ".join(said.split())
        assert "All 64 qualifications conform to the LOQ profile." in flat
        assert "LOQ-constraints-mdr.nqdb.ttl" in flat
        assert f"does not conform ({links} problems)" in flat
        assert f"ESCO skill scheme pattern ({links} results)" in flat


def test_case_14_load_json_carries_the_official_verdict(empty_store: NqdbStore, demo_turtle: str,
                                                       tmp_path: Path) -> None:
    """Issue 9 case 14: `nqdb load --json` says the official verdict too, with the defect counted."""
    path = tmp_path / "demo.ttl"
    path.write_text(demo_turtle, encoding="utf-8")
    loaded = CliRunner().invoke(main, ["load", str(path), "--json", "--store", str(empty_store.path)])
    [imported] = json.loads(loaded.stdout)
    assert imported["conforms"] is True
    assert imported["official"]["conforms"] is False
    assert list(imported["official"]["defects"]) == [ESCO_SKILL_DEFECT]
