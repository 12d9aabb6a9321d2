"""What every `nqdb` command shares: the common options and the one way to report or fail."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, NoReturn

import click

from store.validation.profile import ValidationReport

STORE_OPTION = click.option("--store", "store_path", envvar="NQDB_STORE", default="nqdb-store",
                            show_default=True, type=click.Path(file_okay=False, path_type=Path),
                            help="Store directory (env NQDB_STORE).")
JSON_OPTION = click.option("--json", "as_json", is_flag=True, help="Print a JSON report on stdout.")
QUIET_OPTION = click.option("--quiet", "-q", is_flag=True, help="No progress bar, only errors.")
PASSWORD_FILE_OPTION = click.option("--password-file", type=click.Path(dir_okay=False, path_type=Path),
                                    help="Read the password from this file's first line (default: prompt twice).")


def emit(as_json: bool, payload: dict[str, Any], text: str) -> None:
    click.echo(json.dumps(payload, indent=2) if as_json else text)


def fail(as_json: bool, message: str, report: ValidationReport | None = None) -> NoReturn:
    if as_json:
        payload: dict[str, Any] = {"error": message}
        if report is not None:
            payload["validation"] = report.to_json()
        click.echo(json.dumps(payload, indent=2))
    else:
        click.echo(f"Error: {message}", err=True)
        if report is not None:
            click.echo(report.to_text(), err=True)
    sys.exit(1)
