"""Import: every format, one transaction, bad input rejected with file and line, store unchanged."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic

from store.core import graphs
from store.core.triplestore import Store
from store.ingest import importer
from store.ingest.rdfinput import InputRejected
from tests.conftest import MINIMAL
from tests.store_state import StoreState, state


def content(store: Store) -> StoreState:
    """What a failed write must leave as it was: the store's files and published quads (tests/store_state.py)."""
    return state(store)


def write(path: Path, text: str | bytes) -> Path:
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return path


@pytest.mark.parametrize("fmt", ["turtle", "nt", "xml", "json-ld", "trig", "nquads"])
def test_import_every_syntax_gives_the_same_graph(empty_store: Store, tmp_path: Path, fmt: str) -> None:
    graph = rdflib.Graph().parse(MINIMAL)
    extension = {"turtle": "ttl", "nt": "nt", "xml": "rdf", "json-ld": "jsonld", "trig": "trig",
                 "nquads": "nq"}[fmt]
    path = tmp_path / f"minimal.{extension}"
    if fmt in ("trig", "nquads"):
        named = ox.NamedNode("http://example.org/some-graph")
        quads = [ox.Quad(t.subject, t.predicate, t.object, named) for t in ox.parse(path=MINIMAL)]
        ox.serialize(quads, str(path), ox.RdfFormat.TRIG if fmt == "trig" else ox.RdfFormat.N_QUADS)
    else:
        path.write_bytes(graph.serialize(format=fmt, encoding="utf-8"))
    result = importer.import_file(empty_store, path, "minimal")
    assert result.triples == len(graph)
    assert result.qualifications == 1
    assert result.report.conforms, result.report.to_text()
    out = tmp_path / "out.nt"
    with open(out, "wb") as handle:
        empty_store.dump(handle, "application/n-triples", graphs.dataset_graph("minimal"))
    loaded = rdflib.Graph().parse(out)
    assert isomorphic(loaded, graph)


def test_gzip_input_is_streamed(empty_store: Store, tmp_path: Path) -> None:
    path = write(tmp_path / "minimal.ttl.gz", gzip.compress(MINIMAL.read_bytes()))
    assert importer.import_file(empty_store, path).dataset_id == "minimal"


BAD_INPUTS: dict[str, tuple[str, bytes, str]] = {
    "truncated turtle": ("bad.ttl", MINIMAL.read_bytes()[:2500], "bad.ttl:"),
    "malformed rdf/xml": ("bad.rdf", b'<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf='
                          b'"http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n<rdf:Description>\n</rdf:RDF>',
                          "bad.rdf:"),
    "external entity": ("xxe.rdf", b'<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY x SYSTEM '
                        b'"file:///etc/passwd">]>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax'
                        b'-ns#"><rdf:Description rdf:about="http://a"><rdf:value>&x;</rdf:value>'
                        b'</rdf:Description></rdf:RDF>', "entities are not accepted"),
    "entity expansion": ("laughs.rdf", b'<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY a "aaaaaaaaaa">'
                         b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>\n<rdf:RDF/>', "entities are not accepted"),
    "remote json-ld context": ("remote.jsonld", json.dumps({"@context": "https://example.org/context.jsonld",
                               "@id": "http://a", "name": "x"}).encode(), "never fetches contexts"),
    "empty file": ("empty.ttl", b"", "empty"),
    "not utf-8": ("latin1.ttl", '<http://a> <http://b> "caf\u00e9" .\n'.encode("latin-1"), "latin1.ttl:1"),
    "no triples": ("comments.ttl", b"# nothing here\n", "no triples"),
    "unknown extension": ("data.xyz", b"<a> <b> <c> .", "unknown RDF format"),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_is_rejected_and_changes_nothing(demo_store: Store, tmp_path: Path, case: str) -> None:
    name, data, expected = BAD_INPUTS[case]
    before, version = content(demo_store), demo_store.version
    with pytest.raises(InputRejected) as error:
        importer.import_file(demo_store, write(tmp_path / name, data), "broken")
    assert expected in str(error.value)
    assert str(tmp_path / name) in str(error.value)
    assert demo_store.version == version
    assert content(demo_store) == before


def test_the_unchanged_check_sees_a_change(demo_store: Store, tmp_path: Path) -> None:
    """content() is not blind: an import changes it, and so does a byte added to a file of the current version."""
    before = content(demo_store)
    importer.import_file(demo_store, MINIMAL, "minimal")
    after = content(demo_store)
    assert after != before and after.version != before.version
    # a stray file in the current version (the file check sees what the quad counts cannot)
    (demo_store.snapshot_path() / "000999.log").write_bytes(b"\0")
    assert content(demo_store) != after


def test_syntax_error_names_line_and_column(empty_store: Store, tmp_path: Path) -> None:
    path = write(tmp_path / "bad.ttl", '@prefix a: <http://a/> .\na:x a:y a:z .\na:x a:y "open .\n')
    with pytest.raises(InputRejected) as error:
        importer.import_file(empty_store, path)
    assert error.value.line == 3 and error.value.column is not None
    assert str(error.value).startswith(f"{path}:3:")


def test_strict_rejects_nonconforming_dataset_and_changes_nothing(demo_store: Store, tmp_path: Path) -> None:
    text = MINIMAL.read_text().replace("elm:EQFLevel <http://data.europa.eu/snb/eqf/4> ;", "")
    path = write(tmp_path / "no-eqf.ttl", text)
    before = content(demo_store)
    with pytest.raises(importer.ValidationFailed) as error:
        importer.import_file(demo_store, path, strict=True)
    assert any(v.path == "http://data.europa.eu/snb/model/elm/EQFLevel" for v in error.value.report.violations)
    assert content(demo_store) == before


def test_nonconforming_dataset_is_imported_and_marked_not_europass_ready(empty_store: Store,
                                                                         tmp_path: Path) -> None:
    text = MINIMAL.read_text().replace("elm:EQFLevel <http://data.europa.eu/snb/eqf/4> ;", "")
    result = importer.import_file(empty_store, write(tmp_path / "no-eqf.ttl", text))
    assert not result.report.conforms
    private = ox.Store.read_only(str(empty_store.private_snapshot_path()))
    marked = list(private.quads_for_pattern(ox.NamedNode("https://example.org/nqd/qualification/Q-0001"),
                                           ox.NamedNode("urn:nqdb:vocab:europassReady"), None,
                                           ox.NamedNode(graphs.METADATA_GRAPH)))
    assert [q.object.value for q in marked if isinstance(q.object, ox.Literal)] == ["false"]
    # metadata never lands in the public database, let alone on ELM nodes in the dataset graph
    public = ox.Store.read_only(str(empty_store.snapshot_path()))
    assert not list(public.quads_for_pattern(None, ox.NamedNode("urn:nqdb:vocab:europassReady"), None, None))


def test_existing_dataset_is_replaced_only_when_asked(empty_store: Store) -> None:
    first = importer.import_file(empty_store, MINIMAL, "q")
    assert not first.replaced
    with pytest.raises(importer.DatasetExists):
        importer.import_file(empty_store, MINIMAL, "q")
    again = importer.import_file(empty_store, MINIMAL, "q", replace=True)
    assert again.replaced and again.triples == first.triples
    assert empty_store.count_quads(graphs.dataset_graph("q")) == first.triples


def test_invalid_dataset_id_is_rejected(empty_store: Store) -> None:
    with pytest.raises(InputRejected, match="dataset id"):
        importer.import_file(empty_store, MINIMAL, "../escape")


def test_known_jsonld_context_resolves_offline(empty_store: Store, tmp_path: Path) -> None:
    document = {"@context": "http://data.europa.eu/snb/model/context/edc-ap",
                "@id": "http://example.org/org/1", "@type": "Organisation",
                "legalName": {"en": "Example Authority"}}
    path = write(tmp_path / "org.jsonld", json.dumps(document))
    result = importer.import_file(empty_store, path)
    assert result.triples >= 2


@pytest.mark.parametrize("dataset_id", ["../x", "a/b", "", "-x"])
def test_load_checks_the_dataset_id_before_writing_anything(tmp_path: Path, demo_store: Store,
                                                            dataset_id: str) -> None:
    """Issue 9 case 6: `nqdb load --dataset ../x` (or a/b) is refused with a message before anything is written."""
    from click.testing import CliRunner

    from nqdb.cli import main

    runner, fresh = CliRunner(), tmp_path / "new-store"
    refused = runner.invoke(main, ["load", "--store", str(fresh), "--dataset", dataset_id, str(MINIMAL)])
    assert refused.exit_code == 1 and isinstance(refused.exception, SystemExit), refused.output
    assert "Traceback" not in refused.output and f"dataset id {dataset_id!r} is not valid" in refused.output
    assert not fresh.exists() and not (tmp_path / "x").exists()  # not even a store was created
    before = content(demo_store)
    again = runner.invoke(main, ["load", "--store", str(demo_store.path), "--dataset", dataset_id, str(MINIMAL)])
    assert again.exit_code == 1 and content(demo_store) == before
