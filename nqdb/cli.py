"""The `nqdb` command: set up a store, import and validate datasets, serve the portal, run the register's accounts."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from nqdb import console, register_commands
from nqdb.options import JSON_OPTION, PASSWORD_FILE_OPTION, QUIET_OPTION, STORE_OPTION, emit, fail
from store.core.snapshots import StoreLocked
from store.core.triplestore import Store
from store.ingest import importer
from store.ingest.mapping.limits import DEFAULT_MAX_BYTES, DEFAULT_MAX_CELLS, DEFAULT_MAX_RATIO, TableLimits
from store.ingest.rdfinput import InputRejected
from store.registry import accounts
from store.registry.accounts import AccountError


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="nqdb")
def main() -> None:
    """NQDB: a National Qualifications Database as linked open data (ELM v3, Oxigraph)."""


@main.command()
@click.option("--admin", "admin_email", metavar="EMAIL",
              help="Create the register's first admin with this email (skipped if the account exists).")
@PASSWORD_FILE_OPTION
@STORE_OPTION
@JSON_OPTION
def init(admin_email: str | None, password_file: Path | None, store_path: Path, as_json: bool) -> None:
    """Create the store (or refresh its vocabularies from ontology/) and its register database, migrated."""
    from store.ingest.bootstrap import initialise
    from store.registry.database import database_path

    password = None
    try:  # the email and the password are checked before anything is written
        if admin_email is not None:
            admin_email = accounts.check_email(admin_email)
            known = database_path(store_path).is_file() and register_commands.has_user(store_path, admin_email,
                                                                                          as_json)
            if not known:
                password = register_commands.new_password(password_file, as_json)
    except AccountError as error:
        fail(as_json, str(error))
    count = initialise(Store(store_path))
    with register_commands.open_register(store_path, as_json) as register:
        if admin_email is not None and password is not None:
            accounts.add_user(register, admin_email, "admin", password=password, by=register_commands.operator())
        admin = None if admin_email is None else accounts.get_user(register, admin_email)
    payload = {"store": str(store_path), "vocabularies": count, "admin": None if admin is None else admin.to_json(),
               "adminCreated": password is not None}
    text = f"Store ready at {store_path} with {count} vocabularies."
    if admin is not None:
        text += (f"\nAdmin {admin.email} created." if password is not None
                 else f"\n{admin.email} already exists ({admin.role}); unchanged.")
    emit(as_json, payload, text)


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--dataset", "dataset_id", help="Dataset id (default: the file name's stem).")
@click.option("--title", help="Dataset title (default: the id).")
@click.option("--replace", is_flag=True, help="Replace the dataset if it exists.")
@click.option("--strict", is_flag=True, help="Reject the dataset if any qualification violates the LOQ profile.")
@click.option("--format", "media_type", help="Media type of the input, if the extension does not tell.")
@click.option("--strip-personal-data", is_flag=True,
              help="Leave out persons, award records and what only they refer to (refused otherwise).")
@STORE_OPTION
@JSON_OPTION
@QUIET_OPTION
def load(files: tuple[Path, ...], dataset_id: str | None, title: str | None, replace: bool, strict: bool,
         media_type: str | None, strip_personal_data: bool, store_path: Path, as_json: bool,
         quiet: bool) -> None:
    """Import RDF files (Turtle, N-Triples, N-Quads, TriG, RDF/XML, JSON-LD; .gz too), one dataset each.

    Each import is one transaction: on any error the store is left exactly as it was. Files describing
    people or the credentials awarded to them are refused unless --strip-personal-data leaves them out.
    """
    if dataset_id is not None and len(files) > 1:
        raise click.UsageError("--dataset names one dataset; give one file with it.")
    try:  # every id is checked before anything is written, even the store's first snapshot
        for path in files:
            importer.checked_dataset_id(path, dataset_id)
        store = Store(store_path)
        if not store.is_initialised():
            from store.ingest.bootstrap import initialise

            initialise(store)
    except InputRejected as error:
        fail(as_json, str(error))
    except OSError as error:
        fail(as_json, f"{store_path}: cannot create the store ({error.strerror or error}).")
    results = []
    for path in files:
        with console.byte_progress(f"Importing {path.name}", path, quiet or as_json) as progress:
            try:
                result = importer.import_file(store, path, dataset_id, title=title, replace=replace,
                                              strict=strict, media_type=media_type,
                                              strip_personal_data=strip_personal_data,
                                              progress=progress.bytes_read, phase=progress.phase)
            except importer.ValidationFailed as error:
                fail(as_json, str(error), report=error.report)
            except (InputRejected, importer.DatasetExists, importer.WriteFailed, StoreLocked) as error:
                fail(as_json, str(error))
        results.append(result)
        if not as_json:
            console.print_import(result)
            if result.unwrapped is not None:
                click.echo(f"Note: {result.file}: {result.unwrapped}")
            for note in result.notes:  # what the file is when it is not ELM 3.1 qualifications
                click.echo(f"Note: {result.file}: {note}.")
            if result.stripped is not None:
                click.echo(f"Left out as personal data: {result.stripped.found.describe()} — "
                           f"{result.stripped.nodes} node(s), {result.stripped.triples} triple(s).")
    if as_json:
        click.echo(json.dumps([{**console.import_json(r), "notes": list(r.notes), "unwrapped": r.unwrapped,
                                "strippedPersonalData": None if r.stripped is None else {
                                    "persons": len(r.stripped.found.persons) + r.stripped.found.blank_persons,
                                    "awards": len(r.stripped.found.awards) + r.stripped.found.blank_awards,
                                    "nodes": r.stripped.nodes, "triples": r.stripped.triples}}
                               for r in results], indent=2))


@main.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--format", "media_type", help="Media type of the input, if the extension does not tell.")
@click.option("--report", "report_format", type=click.Choice(["text", "json", "turtle"]), default="text",
              show_default=True, help="Form of the report on stdout.")
@JSON_OPTION
@QUIET_OPTION
def validate(file: Path, media_type: str | None, report_format: str, as_json: bool, quiet: bool) -> None:
    """Check a file against the LOQ profile and EQF Annex VI, without a store. Exit 1 if it does not conform.

    The file is imported into a temporary store exactly as `nqdb load` would, so both give one verdict.
    """
    from store.ingest.file_validation import validate_file

    try:
        with console.byte_progress(f"Reading {file.name}", file, quiet or as_json) as progress:
            report, completeness = validate_file(file, media_type, progress.bytes_read, progress.phase)
    except (InputRejected, importer.WriteFailed) as error:  # WriteFailed: no room for the temporary store
        fail(as_json, str(error))
    if as_json or report_format == "json":
        click.echo(json.dumps({"file": str(file), **report.to_json(),
                               "annexVI": completeness.to_json()}, indent=2))
    elif report_format == "turtle":
        click.echo(report.to_turtle())
    else:
        click.echo(report.to_text())
        if not quiet:
            click.echo(completeness.to_text())
    # A file with no ELM qualification conforms to nothing: as `load --strict` refuses it, so does validate.
    sys.exit(0 if report.conforms and report.qualifications > 0 else 1)


@main.command()
@STORE_OPTION
@JSON_OPTION
def stats(store_path: Path, as_json: bool) -> None:
    """Counts of the published data: datasets, qualifications, organisations, EQF levels."""
    from store.core import statistics

    store = Store(store_path)
    if not store.is_initialised():
        fail(as_json, f"No NQDB store at {store_path}; run `nqdb init --store {store_path}`.")
    summary = statistics.summary(store)
    if as_json:
        click.echo(json.dumps(summary.to_json(), indent=2))
    else:
        console.print_summary(summary)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", default=8000, show_default=True, type=int, help="TCP port.")
@click.option("--dev", is_flag=True, help="Flask development server with the reloader and debugger.")
@click.option("--demo/--no-demo", default=True, show_default=True,
              help="Load the demo dataset into an empty store.")
@click.option("--threads", default=8, show_default=True, type=int, help="Worker threads (production server).")
@STORE_OPTION
def serve(host: str, port: int, dev: bool, demo: bool, threads: int, store_path: Path) -> None:
    """Serve the portal (waitress, a production WSGI server); seeds an empty store with the demo data."""
    from portal import create_app
    from portal.web import server
    from store.ingest.bootstrap import initialise, load_demo

    app = create_app({"STORE": str(store_path)})
    try:
        server.ServerLimits.from_config(app.config)  # a bad setting stops here, before any work
    except server.ServerConfigError as error:
        raise click.ClickException(str(error)) from None
    base = app.config["PUBLIC_BASE_URL"] or f"http://{host}:{port}"
    app.config["PUBLIC_BASE_URL"] = base
    store = Store(store_path)
    if not store.is_initialised():
        initialise(store)
        if demo:
            result = load_demo(store, base)
            click.echo(f"Loaded the demo dataset: {result.qualifications} qualifications.", err=True)
    click.echo(f"NQDB serving {store_path} at http://{host}:{port}/ (IRIs under {base})", err=True)
    if dev:
        app.run(host=host, port=port, debug=True)
        return
    try:
        production = server.create_server(app, host, port, threads)
    except OSError as error:
        raise click.ClickException(f"Cannot listen on {host}:{port}: {error.strerror or error}.") from None
    server.run(production)


@main.command()
@click.option("--base", default="http://127.0.0.1:8000", show_default=True, help="Base URL of the minted IRIs.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="File (default: stdout).")
def demo(base: str, output: Path | None) -> None:
    """Write the demo dataset as Turtle."""
    from store.ingest.demo import demo_dataset_turtle

    text = demo_dataset_turtle(base)
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")


@main.command()
@click.option("--dir", "folder", default=".", show_default=True,
              type=click.Path(file_okay=False, path_type=Path), help="Folder to write the template into.")
@JSON_OPTION
def template(folder: Path, as_json: bool) -> None:
    """Write a ready-to-fill register template: register.csv, organisations.csv, register.xlsx, mapping."""
    from store.ingest.mapping.template import write_template

    try:
        written = write_template(folder)
    except OSError as error:
        fail(as_json, f"{error.filename or folder}: cannot write the template ({error.strerror or error}).")
    emit(as_json, {"files": [str(p) for p in written]},
            "Wrote " + ", ".join(str(p) for p in written) + ".\nFill in the rows, then run "
            f"`nqdb import-table {folder / 'register.xlsx'} --mapping {folder / 'mapping.yaml'}`.")


@main.command("import-table")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--mapping", "mapping_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Mapping file (default: the template's mapping, store/ingest/mapping/default-mapping.yaml).")
@click.option("--dataset", "dataset_id", help="Dataset id (default: the file name's stem).")
@click.option("--title", help="Dataset title (default: the mapping's title).")
@click.option("--base", envvar="NQDB_PUBLIC_BASE_URL", default="http://127.0.0.1:8000", show_default=True,
              help="Base URL of the minted IRIs (env NQDB_PUBLIC_BASE_URL).")
@click.option("--replace", is_flag=True, help="Replace the dataset if it exists.")
@click.option("--strict", is_flag=True, help="Reject the dataset if a qualification violates LOQ.")
@click.option("--skip-invalid", is_flag=True, help="Load the valid rows and report the others.")
@click.option("--dry-run", is_flag=True, help="Write the ELM Turtle and the validation report; no store.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
              help="With --dry-run: the Turtle file (default: FILE with .ttl).")
@click.option("--max-cells", envvar="NQDB_TABLE_MAX_CELLS", type=click.IntRange(min=1),
              default=DEFAULT_MAX_CELLS, show_default=True,
              help="Most cells read from one table or sheet (env NQDB_TABLE_MAX_CELLS).")
@click.option("--max-bytes", envvar="NQDB_TABLE_MAX_BYTES", type=click.IntRange(min=1),
              default=DEFAULT_MAX_BYTES, show_default=True,
              help="Most bytes of a CSV file, of an XLSX workbook unzipped, and of one table's cell text "
                   "(env NQDB_TABLE_MAX_BYTES).")
@click.option("--max-ratio", envvar="NQDB_TABLE_MAX_RATIO", type=click.FloatRange(min=1),
              default=DEFAULT_MAX_RATIO, show_default=True,
              help="Highest compression ratio of an XLSX part over 1 MiB (env NQDB_TABLE_MAX_RATIO).")
@STORE_OPTION
@JSON_OPTION
@QUIET_OPTION
def import_table(file: Path, mapping_path: Path | None, dataset_id: str | None, title: str | None, base: str,
                 replace: bool, strict: bool, skip_invalid: bool, dry_run: bool, output: Path | None,
                 max_cells: int, max_bytes: int, max_ratio: float, store_path: Path, as_json: bool,
                 quiet: bool) -> None:
    """Import a register kept as a spreadsheet (CSV or XLSX) through a mapping to ELM, in one transaction.

    Every row is checked first: with any error nothing is loaded, unless --skip-invalid. With more errors
    than the terminal shows, the full list is written beside FILE (FILE.errors.txt); --json has them all.
    """
    from nqdb import table_console
    from store.ingest.mapping.errors import MappingInvalid, RowsRejected, TableUnreadable
    from store.ingest.mapping.load import check_dataset_id, check_output, import_register
    from store.ingest.mapping.mapping import DEFAULT_MAPPING

    mapping_path = mapping_path or DEFAULT_MAPPING
    limits = TableLimits(max_cells, max_bytes, max_ratio)
    try:  # every id and path is checked before anything is written (no store is created for a bad id)
        check_dataset_id(file, dataset_id or importer.default_dataset_id(file))
        if dry_run:
            check_output(output or file.with_suffix(".ttl"), file, mapping_path)
    except InputRejected as error:
        fail(as_json, str(error))
    if dry_run:
        _import_table_dry_run(file, mapping_path, base, output or file.with_suffix(".ttl"), skip_invalid,
                              as_json, quiet, limits)
        return
    store = Store(store_path)
    if not store.is_initialised():
        from store.ingest.bootstrap import initialise

        initialise(store)
    try:
        with table_console.row_progress(f"Reading {file.name}", quiet or as_json) as rows:
            built, result = import_register(store, file, mapping_path, base, dataset_id, title=title,
                                            replace=replace, strict=strict, skip_invalid=skip_invalid,
                                            rows=rows, limits=limits)
    except RowsRejected as error:
        _fail_rows(as_json, error, file)
    except importer.ValidationFailed as error:
        fail(as_json, str(error), report=error.report)
    except (MappingInvalid, TableUnreadable, InputRejected, importer.DatasetExists, StoreLocked) as error:
        fail(as_json, str(error))
    if as_json:
        payload = {**console.import_json(result), "table": table_console.build_json(built)}
        click.echo(json.dumps(payload, indent=2))
    else:
        table_console.print_build(built, file)
        console.print_import(result)


def _import_table_dry_run(file: Path, mapping_path: Path, base: str, output: Path, skip_invalid: bool,
                          as_json: bool, quiet: bool, limits: TableLimits) -> None:
    from nqdb import table_console
    from store.ingest.mapping.errors import MappingInvalid, RowsRejected, TableUnreadable
    from store.ingest.mapping.load import dry_run

    try:
        with table_console.row_progress(f"Reading {file.name}", quiet or as_json) as rows:
            checked = dry_run(file, mapping_path, base, output, skip_invalid=skip_invalid, rows=rows,
                              limits=limits)
    except RowsRejected as error:
        _fail_rows(as_json, error, file)
    except (MappingInvalid, TableUnreadable, InputRejected) as error:
        fail(as_json, str(error))
    if as_json:
        click.echo(json.dumps({"output": str(output), "table": table_console.build_json(checked.build),
                               **checked.report.to_json(), "annexVI": checked.completeness.to_json()},
                              indent=2))
    else:
        table_console.print_build(checked.build, file)
        click.echo(f"Wrote {output}.")
        click.echo(checked.report.to_text())
        if not quiet:
            click.echo(checked.completeness.to_text())
    sys.exit(0 if checked.report.conforms else 1)


def _fail_rows(as_json: bool, error: Any, register: Path) -> None:
    """Every row error in JSON; on the terminal the first ones, and the full list in a file named there."""
    from nqdb import table_console

    if as_json:
        click.echo(json.dumps({"error": str(error), "rows": [e.to_json() for e in error.errors],
                               "notices": [n.to_json() for n in error.notices]}, indent=2))
    else:
        table_console.report_rows(error.errors, error.notices, f"Error: {register.name}: {error}", register)
    sys.exit(1)


@main.command()
@click.option("--dumps-dir", type=click.Path(file_okay=False, path_type=Path), envvar="NQDB_DUMPS_DIR",
              help="Where dumps go (env NQDB_DUMPS_DIR; default <store>/dumps).")
@click.option("--base", envvar="NQDB_PUBLIC_BASE_URL", default="http://127.0.0.1:8000", show_default=True,
              help="Public base URL written into the tables' Data Package (env NQDB_PUBLIC_BASE_URL).")
@click.option("--languages", envvar="NQDB_LANGUAGES", default="en,fr", show_default=True,
              help="Languages of the tables' text columns (env NQDB_LANGUAGES).")
@click.option("--license", "license_url", envvar="NQDB_LICENSE_URL",
              default="https://creativecommons.org/licenses/by/4.0/", show_default=True, help="Licence URL.")
@STORE_OPTION
@JSON_OPTION
@QUIET_OPTION
def dump(dumps_dir: Path | None, base: str, languages: str, license_url: str, store_path: Path, as_json: bool,
         quiet: bool) -> None:
    """Generate every open-data dump and table of the published snapshot, then swap them in atomically."""
    from store.opendata import dumps as store_dumps

    store = Store(store_path)
    if not store.is_initialised():
        fail(as_json, f"No NQDB store at {store_path}; run `nqdb init --store {store_path}`.")
    directory = store_dumps.dumps_dir(store, str(dumps_dir or ""))
    try:
        with _dump_progress(quiet or as_json) as progress:
            manifest = store_dumps.generate(store, directory, base_url=base, wait=True, progress=progress,
                                            languages=[x.strip() for x in languages.split(",") if x.strip()],
                                            license_url=license_url)
    except (store_dumps.DumpFailed, store_dumps.DumpBusy) as error:  # disk full...: `latest` is unchanged
        fail(as_json, str(error))
    if as_json:
        click.echo(json.dumps({"directory": str(directory), **manifest.to_json()}, indent=2))
    else:
        size = sum(f.bytes for f in manifest.files)
        click.echo(f"Dumps of snapshot {manifest.version} in {directory / 'latest'}: "
                   f"{len(manifest.files)} files, {size:,} bytes.")


@contextmanager
def _dump_progress(quiet: bool) -> Iterator[Callable[[str, int, int], None] | None]:
    """A bar over the files of a generation (in the style of nqdb/console.py), or nothing when quiet."""
    if quiet or not console.err.is_terminal:
        yield None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (TextColumn("Generating dumps: {task.description}"), BarColumn(), MofNCompleteColumn(),
               TimeElapsedColumn())
    with Progress(*columns, console=console.err, transient=True) as bar:
        task = bar.add_task("snapshot", total=None)
        yield lambda name, done, total: bar.update(task, description=name, completed=done, total=total)


for group in (register_commands.organisation, register_commands.user, register_commands.token):
    main.add_command(group)


if __name__ == "__main__":
    main()
