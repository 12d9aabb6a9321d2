"""Spreadsheets of a real register (an English awarding-body register): the options it needs (issue 9 case 24)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import rdflib
from click.testing import CliRunner
from rdflib import Literal, URIRef
from rdflib.compare import isomorphic

from nqdb.cli import main
from portal import create_app
from store.core import graphs
from store.core.iris import mint, parse
from store.core.triplestore import Store
from store.ingest.mapping.mapping import RESEARCHER_MAPPING
from store.opendata import tables
from tests.conftest import copy_store

BASE = "http://nqdb.test"
ELM = rdflib.Namespace("http://data.europa.eu/snb/model/elm/")
ROV = rdflib.Namespace("http://www.w3.org/ns/regorg#")
SKOS = rdflib.Namespace("http://www.w3.org/2004/02/skos/core#")
MAPPING = """mapping: 1
title: Register of regulated qualifications (extract)
identifier_scheme: Qualification Number
{options}
qualifications:
  key: qan
  fields:
    title: {{column: title, language: en, required: true}}
    EQFLevel: {{column: eqf, required: true}}
    NQFLevel: {{column: nqf, required: true}}
    ISCEDFCode: {{column: isced, required: true}}
    awardingBody: {{column: awarding_body, required: true}}
    knowledge: {{column: knowledge, language: en}}
organisations:
  file: organisations.csv
  key: id
  fields:
    legalName: {{column: name, language: en, required: true}}
    altLabel: {{column: acronym, language: en}}
    country: {{column: country, required: true}}
    city: {{column: town, language: en}}
    fullAddress: {{columns: [address_1, address_2, town, postcode], language: en}}
    homepage: website
"""
QUALIFICATIONS = "qan,title,eqf,nqf,isced,awarding_body,knowledge\n"
ORGANISATIONS = "id,name,acronym,address_1,address_2,town,postcode,country,website\n"
PEARSON = "RN5160,Pearson Education Ltd,Pearson,80 Strand,,London,WC2R 0RL,GB,www.pearson.com/uk\n"


def register(folder: Path, qualifications: list[str], organisations: list[str], options: str = "") -> Path:
    """A register folder: qualifications.csv, organisations.csv and mapping.yaml (with top-level options)."""
    folder.mkdir(exist_ok=True)
    (folder / "mapping.yaml").write_text(MAPPING.format(options=options), encoding="utf-8")
    (folder / "organisations.csv").write_text(ORGANISATIONS + "".join(organisations), encoding="utf-8")
    path = folder / "qualifications.csv"
    path.write_text(QUALIFICATIONS + "".join(qualifications), encoding="utf-8")
    return path


def qualification(key: str, title: str = "Level 3 Diploma in Plumbing", body: str = "RN5160") -> str:
    return f"{key},{title},4,CFC Level 4,0732,{body},Knows the water regulations.\n"


def nqdb(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.output


def dry_run(path: Path, *extra: str) -> tuple[int, str, rdflib.Graph | None]:
    out = path.with_name("out.ttl")
    out.unlink(missing_ok=True)
    code, output = nqdb("import-table", str(path), "--mapping", str(path.with_name("mapping.yaml")), "--base",
                        BASE, "--dry-run", "-o", str(out), *extra)
    text = output if "--json" in extra else " ".join(output.split())  # the terminal wraps long lines
    return code, text, rdflib.Graph().parse(out) if out.exists() else None


def test_websites_without_a_scheme_are_normalised_and_reported_per_cell(tmp_path: Path) -> None:
    """Issue 9 case 24: `www.…` websites (174 of 210 in the register) get https:// with add_url_scheme,
    and each such cell is a notice naming its row and column, in the text output and in the JSON."""
    orgs = [PEARSON, "RN5196,City and Guilds,,1 Giltspur St,,London,EC1A 9DD,GB,https://cityandguilds.com\n"]
    path = register(tmp_path / "plain", [qualification("Q1")], orgs)
    code, output, _ = dry_run(path)
    assert code == 1 and "row 2, column 'website': not a web address" in output, output
    path = register(tmp_path / "normalised", [qualification("Q1")], orgs, "add_url_scheme: https")
    code, output, graph = dry_run(path)
    assert code == 0, output
    assert graph is not None
    urls = {str(o) for o in graph.objects(None, ELM.contentUrl)}
    assert urls == {"https://www.pearson.com/uk", "https://cityandguilds.com"}
    assert ("organisations.csv, row 2, column 'website': web address without a scheme: read as "
            "'https://www.pearson.com/uk'") in output, output
    code, output, _ = dry_run(path, "--json")
    notices = json.loads(output)["table"]["notices"]
    assert [(n["table"], n["row"], n["column"], n["value"]) for n in notices] == [
        ("organisations.csv", 2, "website", "www.pearson.com/uk")]


def test_register_keys_with_slashes_are_percent_encoded_and_round_trip(empty_store: Store, tmp_path: Path,
                                                                       empty_template: Path) -> None:
    """Issue 9 case 24: a key such as `603/0462/4` is allowed; it is minted as one percent-encoded path
    segment (`/id/qualification/603%2F0462%2F4`), parse() gives it back, and the researcher tables of the
    imported dataset re-import into an isomorphic graph (key_from_iri)."""
    path = register(tmp_path / "reg", [qualification("603/0462/4"), qualification("603/0463/6", "Other")],
                    [PEARSON], "add_url_scheme: https")
    code, output = nqdb("import-table", str(path), "--mapping", str(path.with_name("mapping.yaml")),
                        "--dataset", "ofqual", "--base", BASE, "--strict", "--store", str(empty_store.path),
                        "--quiet")
    assert code == 0, output
    iri = f"{BASE}/id/qualification/603%2F0462%2F4"
    assert mint(BASE, "qualification", "603/0462/4") == iri
    assert parse(BASE, iri) is not None and parse(BASE, iri).key == "603/0462/4"  # type: ignore[union-attr]
    published = _dataset(empty_store)
    assert (URIRef(iri), None, None) in published
    assert URIRef(f"{BASE}/id/identifier/603%2F0462%2F4") in set(published.subjects())
    notation = published.value(URIRef(f"{BASE}/id/identifier/603%2F0462%2F4"), SKOS.notation)
    assert notation == Literal("603/0462/4")
    folder = tmp_path / "tables"
    folder.mkdir()
    snapshot = empty_store.snapshot()
    tables.write_tables(snapshot.ox, snapshot.published, folder, languages=("en", "fr"), base_url=BASE)
    copy_store(empty_template, tmp_path / "again")
    again = Store(tmp_path / "again")
    code, output = nqdb("import-table", str(folder / "qualifications.csv"), "--mapping", str(RESEARCHER_MAPPING),
                        "--dataset", "ofqual", "--base", BASE, "--strict", "--store", str(again.path), "--quiet")
    assert code == 0, output
    assert isomorphic(published, _dataset(again))


def test_the_portal_serves_a_key_with_a_slash_at_its_encoded_iri(empty_store: Store, tmp_path: Path) -> None:
    """Issue 9 case 24: `/id/qualification/603%2F0462%2F4` is the page of the qualification `603/0462/4`."""
    path = register(tmp_path / "reg", [qualification("603/0462/4")], [PEARSON], "add_url_scheme: https")
    code, output = nqdb("import-table", str(path), "--mapping", str(path.with_name("mapping.yaml")),
                        "--base", BASE, "--store", str(empty_store.path), "--quiet")
    assert code == 0, output
    app = create_app({"TESTING": True, "STORE": str(empty_store.path), "PUBLIC_BASE_URL": BASE})
    response = app.test_client().get("/id/qualification/603%2F0462%2F4", headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    assert "603/0462/4" in response.get_data(as_text=True)


def test_an_address_is_built_from_several_columns(tmp_path: Path) -> None:
    """Issue 9 case 24: address lines, town and postcode from their own columns make the organisation's
    elm:fullAddress (empty cells skipped), the town its geographic name, the country its country code."""
    path = register(tmp_path / "reg", [qualification("Q1")], [PEARSON], "add_url_scheme: https")
    code, output, graph = dry_run(path)
    assert code == 0, output
    assert graph is not None
    note = graph.value(URIRef(f"{BASE}/id/address/RN5160"), ELM.fullAddress)
    assert graph.value(note, ELM.noteLiteral) == Literal("80 Strand, London, WC2R 0RL", lang="en")
    location = URIRef(f"{BASE}/id/location/RN5160")
    assert graph.value(location, ELM.geographicName) == Literal("London", lang="en")
    country = graph.value(URIRef(f"{BASE}/id/address/RN5160"), ELM.countryCode)
    assert str(country).endswith("/country/GBR")


def test_an_alternative_name_equal_to_the_legal_name_can_be_dropped(tmp_path: Path) -> None:
    """Issue 9 case 24: LOQ's OrganisationShape has skos:altLabel sh:disjoint rov:legalName; a register
    whose acronym column repeats the name fails LOQ, and drop_alt_label_equal_to_name leaves the
    repeated value out (a notice names the cell) while keeping real alternative names."""
    orgs = ["AQA,AQA,AQA,Devas St,,Manchester,M15 6EX,GB,https://www.aqa.org.uk\n", PEARSON]
    qualifications = [qualification("Q1", body="AQA"), qualification("Q2", body="RN5160")]
    path = register(tmp_path / "kept", qualifications, orgs, "add_url_scheme: https")
    code, output, _ = dry_run(path)
    assert code == 1 and "already used for legalName" in output, output
    options = "add_url_scheme: https\ndrop_alt_label_equal_to_name: true"
    path = register(tmp_path / "dropped", qualifications, orgs, options)
    code, output, graph = dry_run(path)
    assert code == 0, output
    assert graph is not None
    assert graph.value(URIRef(f"{BASE}/id/organisation/AQA"), SKOS.altLabel) is None
    assert graph.value(URIRef(f"{BASE}/id/organisation/RN5160"), SKOS.altLabel) == Literal("Pearson", lang="en")
    assert "row 2, column 'acronym': alternative name equal to the legal name: left out" in output, output


def test_every_row_error_is_reported_the_long_list_in_a_file(tmp_path: Path) -> None:
    """Issue 9 case 24: with 70 wrong rows the terminal shows the first 50 and names a file holding all
    70 (it used to stop at 50 with "--json lists them all"); the JSON lists all 70 too."""
    rows = [qualification(f"Q{n}", body="NOBODY") for n in range(70)]
    path = register(tmp_path / "reg", rows, [PEARSON], "add_url_scheme: https")
    code, output, _ = dry_run(path)
    assert code == 1
    full = path.with_name("qualifications.csv.errors.txt")
    assert f"all 70 are listed in {full}" in output, output
    listed = [line for line in full.read_text(encoding="utf-8").splitlines() if "organisation id not in" in line]
    assert len(listed) == 70
    assert "row 71, column 'awarding_body'" in listed[-1]
    code, output, _ = dry_run(path, "--json")
    assert len(json.loads(output)["rows"]) == 70


def _dataset(store: Store, dataset_id: str = "ofqual") -> rdflib.Graph:
    out = io.BytesIO()
    store.dump(out, "application/n-triples", graphs.dataset_graph(dataset_id))
    return rdflib.Graph().parse(data=out.getvalue().decode("utf-8"), format="nt")
