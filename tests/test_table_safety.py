"""`nqdb import-table` on hostile spreadsheets: bombs, lying archives, DTDs, unsafe ids (issue 9 cases 5, 6, 18)."""

from __future__ import annotations

import resource
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from nqdb.cli import main
from store.core.triplestore import Store
from tests import table_files as tf
from tests.test_bad_inputs import quads

ROOT = Path(__file__).resolve().parents[1]
CHILD_MEMORY = 768 << 20  # the CLI itself needs ~350 MiB of address space; a bomb would need gigabytes
MAX_CELL_CHARS = 32_767  # store.ingest.mapping.limits.MAX_CELL_CHARS (Excel's own limit)
EXAMPLE = ROOT / "tests" / "data" / "register-example"
KEY_ONLY = """mapping: 1
qualifications:
  sheet: Qualifications
  key: id
  fields:
    title: {column: title_en, language: en}
"""


def nqdb(*args: str) -> tuple[int, str]:
    """Run the CLI in-process; an exception other than SystemExit fails the test."""
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.output


def nqdb_capped(*args: str, cwd: Path) -> tuple[int, str]:
    """Run the CLI in a child process whose address space is capped at CHILD_MEMORY."""
    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (CHILD_MEMORY, CHILD_MEMORY))

    child = subprocess.run([sys.executable, "-m", "nqdb.cli", *args], capture_output=True, text=True,
                           preexec_fn=cap, cwd=cwd, timeout=300, check=False,
                           env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)})
    return child.returncode, child.stdout + child.stderr


def mapping(folder: Path) -> Path:
    path = folder / "mapping.yaml"
    path.write_text(KEY_ONLY, encoding="utf-8")
    return path


def refused(code: int, output: str, path: Path, *fragments: str) -> None:
    assert code == 1, output
    assert "Traceback" not in output and "MemoryError" not in output, output
    assert path.name in output, output
    for fragment in fragments:
        assert fragment.lower() in output.lower(), output


def test_xlsx_bomb_is_refused_before_reading_within_bounded_memory(empty_store: Store, tmp_path: Path) -> None:
    """Issue 9 case 5: a 0.5 MB workbook of 10 million identical cells (151 MB unzipped) is refused from the
    zip directory, under a 768 MiB address-space cap, with the part and the ratio named."""
    bomb = tf.rewrite(tf.workbook(tmp_path / "w.xlsx"), tmp_path / "bomb.xlsx",
                      {tf.SHEET: tf.sheet_of(tf.identical_cells(100_000, 100))})
    assert bomb.stat().st_size < 1 << 20
    before = quads(empty_store.path)
    code, output = nqdb_capped("import-table", str(bomb), "--mapping", str(mapping(tmp_path)), "--strict",
                               "--store", str(empty_store.path), cwd=tmp_path)
    refused(code, output, bomb, "compression ratio", tf.SHEET, "--max-ratio")
    assert quads(empty_store.path) == before


def test_xlsx_over_the_cell_limit_is_refused_while_reading(tmp_path: Path) -> None:
    """Issue 9 case 5: a workbook that compresses normally but holds more cells than --max-cells is refused
    by counting its cells as the sheet streams (never held in memory), with the limit named."""
    book = tf.rewrite(tf.workbook(tmp_path / "w.xlsx"), tmp_path / "many.xlsx",
                      {tf.SHEET: tf.sheet_of(tf.counted_cells(3_000, 50))})
    code, output = nqdb_capped("import-table", str(book), "--mapping", str(mapping(tmp_path)), "--dry-run",
                               "--max-cells", "100000", cwd=tmp_path)
    refused(code, output, book, "more than 100,000 cells", "--max-cells")


def test_xlsx_rows_past_the_data_count_against_the_cell_limit(tmp_path: Path) -> None:
    """Issue 9 case 5: a sheet whose only other cell sits on row 1,000,000 makes openpyxl yield a million
    empty rows; each counts, so NQDB_TABLE_MAX_CELLS stops it at the limit."""
    far = iter([b'<row r="1000000"><c r="A1000000"><v>1</v></c></row>'])
    book = tf.rewrite(tf.workbook(tmp_path / "w.xlsx"), tmp_path / "far.xlsx", {tf.SHEET: tf.sheet_of(far)})
    result = CliRunner(env={"NQDB_TABLE_MAX_CELLS": "50000"}).invoke(
        main, ["import-table", str(book), "--mapping", str(mapping(tmp_path)), "--dry-run"])
    refused(result.exit_code, result.output, book, "more than 50,000 cells (at row")


def test_xlsx_whose_directory_understates_a_part_is_refused(tmp_path: Path) -> None:
    """Issue 9 case 5: the zip directory's sizes are not trusted: a sheet declared as 2,000 bytes that
    inflates to megabytes is stream-read with a cap and refused (its data does not match the directory)."""
    book = tf.rewrite(tf.workbook(tmp_path / "w.xlsx"), tmp_path / "liar.xlsx",
                      {tf.SHEET: tf.sheet_of(tf.identical_cells(20_000, 20))})
    tf.understate_sizes(book, tf.SHEET, 2_000)
    code, output = nqdb("import-table", str(book), "--mapping", str(mapping(tmp_path)), "--dry-run")
    refused(code, output, book, tf.SHEET, "does not match the archive")


def test_xlsx_over_the_unzipped_size_limit_is_refused(tmp_path: Path) -> None:
    """Issue 9 case 5: NQDB_TABLE_MAX_BYTES bounds what a workbook may unzip to."""
    book = tf.rewrite(tf.workbook(tmp_path / "w.xlsx"), tmp_path / "big.xlsx",
                      {tf.SHEET: tf.sheet_of(tf.counted_cells(2_000, 20))})
    code, output = nqdb("import-table", str(book), "--mapping", str(mapping(tmp_path)), "--dry-run",
                        "--max-bytes", "100000")
    refused(code, output, book, "unzips to", "over the limit of 100,000 bytes")


def test_xlsx_row_wider_than_a_sheet_is_refused(tmp_path: Path) -> None:
    """Issue 9 case 5: one row of 20,000 cells (openpyxl would hold the row whole) is refused."""
    book = tf.rewrite(tf.workbook(tmp_path / "w.xlsx"), tmp_path / "wide.xlsx",
                      {tf.SHEET: tf.sheet_of(tf.counted_cells(1, 20_000))})
    code, output = nqdb("import-table", str(book), "--mapping", str(mapping(tmp_path)), "--dry-run")
    refused(code, output, book, "a row of more than 16,384 cells")


def test_csv_over_the_size_and_cell_limits_is_refused(tmp_path: Path) -> None:
    """Issue 9 case 5: a CSV larger than --max-bytes, one with more cells than --max-cells, and one with a
    cell longer than a spreadsheet cell are each refused with the file (and row, column) named."""
    folder = mapping(tmp_path).parent
    big = folder / "big.csv"
    big.write_text("id,title_en\n" + "".join(f"Q{n},Title {n}\n" for n in range(20_000)), encoding="utf-8")
    code, output = nqdb("import-table", str(big), "--mapping", str(folder / "mapping.yaml"), "--dry-run",
                        "--max-bytes", "100000")
    refused(code, output, big, "larger than the limit of 100,000 bytes")
    code, output = nqdb("import-table", str(big), "--mapping", str(folder / "mapping.yaml"), "--dry-run",
                        "--max-cells", "1000")
    refused(code, output, big, "more than 1,000 cells (at row 501)")
    long = folder / "long.csv"
    long.write_text(f"id,title_en\nQ1,{'x' * (MAX_CELL_CHARS + 1)}\n", encoding="utf-8")
    code, output = nqdb("import-table", str(long), "--mapping", str(folder / "mapping.yaml"), "--dry-run")
    refused(code, output, long, "row 2, column 'title_en'", "at most 32,767 characters")
    huge = folder / "huge.csv"
    huge.write_text(f"id,title_en\nQ1,{'x' * 200_000}\n", encoding="utf-8")
    code, output = nqdb("import-table", str(huge), "--mapping", str(folder / "mapping.yaml"), "--dry-run")
    refused(code, output, huge, "line 2", "at most 32,767 characters")


@pytest.mark.parametrize("part", ["xl/workbook.xml", tf.SHEET, "xl/styles.xml", "xl/_rels/workbook.xml.rels",
                                  "_rels/.rels", "[Content_Types].xml", "docProps/core.xml"])
def test_xlsx_with_a_dtd_in_any_part_is_refused(tmp_path: Path, part: str) -> None:
    """Issue 9 case 18: a DTD (with entities) in any XML part of the workbook is refused, the part named,
    by a real XML tokenizer (expat with DTD handlers that refuse), before openpyxl reads anything (the
    corpus file tests/data/bad-inputs/tables/dtd-in-workbook.xlsx checks the store is left as it was)."""
    book = tf.with_doctype(tf.workbook(tmp_path / "w.xlsx"), tmp_path / "dtd.xlsx", part)
    code, output = nqdb("import-table", str(book), "--mapping", str(mapping(tmp_path)), "--dry-run")
    refused(code, output, book, f"part {part}", "document type declaration")


def test_xlsx_dtd_in_shared_strings_is_refused(tmp_path: Path) -> None:
    """Issue 9 case 18: the shared strings part (written by Excel, not by openpyxl) is checked too."""
    source = tf.workbook(tmp_path / "w.xlsx")
    strings = (b'<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
               b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>&e;</t></si></sst>')
    book = tmp_path / "strings.xlsx"
    tf.rewrite(source, book, {})
    with zipfile.ZipFile(book, "a") as archive:
        archive.writestr("xl/sharedStrings.xml", strings)
    code, output = nqdb("import-table", str(book), "--mapping", str(mapping(tmp_path)), "--dry-run")
    refused(code, output, book, "part xl/sharedStrings.xml", "document type declaration")


@pytest.mark.parametrize("dataset", ["../x", "a/b", "/tmp/abs", ".hidden", "a\\b"])
def test_dataset_id_is_checked_before_anything_is_written(tmp_path: Path, dataset: str,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 9 case 6: `--dataset ../x` wrote its Turtle outside the temporary folder and `a/b` crashed;
    the id is now refused first: a clear message, no traceback, no store created, no file written."""
    work = tmp_path / "work"
    work.mkdir()
    before = set(tmp_path.rglob("*"))
    store = work / "store"
    monkeypatch.chdir(work)
    code, output = nqdb("import-table", str(EXAMPLE / "certifications.csv"), "--mapping",
                        str(EXAMPLE / "mapping.yaml"), "--dataset", dataset, "--store", str(store))
    refused(code, output, EXAMPLE / "certifications.csv", f"dataset id {dataset!r} is not valid")
    assert set(tmp_path.rglob("*")) == before
    assert not Path("/tmp/abs.ttl").exists() and not (tmp_path / "x.ttl").exists()


def test_dataset_id_is_checked_by_the_library_too(empty_store: Store, tmp_path: Path) -> None:
    """Issue 9 case 6: store.ingest.mapping.load.import_register checks the id before building any Turtle."""
    from store.ingest.mapping.load import import_register
    from store.ingest.rdfinput import InputRejected

    outside = Path(tempfile.gettempdir()) / "x.ttl"  # where `<tmp>/nqdb-table-*/../x.ttl` landed
    assert not outside.exists()
    with pytest.raises(InputRejected, match="dataset id '../x' is not valid"):
        import_register(empty_store, EXAMPLE / "certifications.csv", EXAMPLE / "mapping.yaml",
                        "http://nqdb.test", "../x")
    assert not outside.exists()


@pytest.mark.parametrize("sheet", ["../../outside", "a/b", ".secret"])
def test_sheet_names_that_would_be_paths_are_refused(tmp_path: Path, sheet: str) -> None:
    """Issue 9 case 6: a sheet name is used as a CSV file name for CSV registers; one with a path
    separator (or a leading '.') is refused in the mapping, before any table is read."""
    (tmp_path / "mapping.yaml").write_text(KEY_ONLY + f"organisations:\n  sheet: {sheet!r}\n  key: id\n"
                                           "  fields:\n    legalName: name\n", encoding="utf-8")
    register = tmp_path / "register.csv"
    register.write_text("id,title_en\nQ1,Plumbing\n", encoding="utf-8")
    code, output = nqdb("import-table", str(register), "--mapping", str(tmp_path / "mapping.yaml"),
                        "--dry-run")
    refused(code, output, tmp_path / "mapping.yaml", f"sheet name {sheet!r}")


def test_dry_run_output_may_not_overwrite_its_inputs(tmp_path: Path) -> None:
    """Issue 9 case 6: the dry run's -o is checked first: never over the register or the mapping, and a
    missing folder is a message, not a traceback."""
    register = tmp_path / "register.csv"
    register.write_text("id,title_en\nQ1,Plumbing\n", encoding="utf-8")
    text = register.read_text(encoding="utf-8")
    code, output = nqdb("import-table", str(register), "--mapping", str(mapping(tmp_path)), "--dry-run",
                        "-o", str(register))
    refused(code, output, register, "would overwrite an input")
    assert register.read_text(encoding="utf-8") == text
    code, output = nqdb("import-table", str(register), "--mapping", str(mapping(tmp_path)), "--dry-run",
                        "-o", str(tmp_path / "missing" / "out.ttl"))
    refused(code, output, tmp_path / "missing" / "out.ttl", "existing folder")
