"""Terminal output of `nqdb import-table`: a row progress bar with rate and ETA, row errors, results."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeRemainingColumn,
)
from rich.text import Text

from nqdb.console import err
from store.ingest.mapping.build import BuildResult
from store.ingest.mapping.errors import CellError

SHOWN_ERRORS = 50


class RowRateColumn(ProgressColumn):
    """Rows per second."""

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text(f"{speed:,.0f} rows/s" if speed else "- rows/s")


@contextmanager
def row_progress(label: str, quiet: bool) -> Iterator[Callable[[int, int], None] | None]:
    """A progress bar over register rows (rows/s and ETA), or nothing when quiet or not on a terminal."""
    if quiet or not err.is_terminal:
        yield None
        return
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
               RowRateColumn(), TimeRemainingColumn())
    with Progress(*columns, console=err, transient=True) as bar:
        task = bar.add_task(label, total=None)
        yield lambda done, total: bar.update(task, completed=done, total=total)


def build_json(built: BuildResult) -> dict[str, object]:
    """What the table build produced, as JSON (every skipped row and every notice)."""
    return {"rows": built.rows, "qualifications": built.qualifications,
            "learningOutcomes": built.learning_outcomes, "organisations": built.organisations,
            "triples": built.triples, "skipped": [e.to_json() for e in built.skipped],
            "notices": [n.to_json() for n in built.notices]}


def full_list_path(register: Path) -> Path:
    """Where the full list of problems goes when the terminal shows only the first SHOWN_ERRORS."""
    return register.with_name(register.name + ".errors.txt")


def write_full_list(path: Path, sections: dict[str, list[CellError]]) -> str | None:
    """Write every problem of each long section to `path`; None, or why it could not be written."""
    lines = [f"{heading} ({len(items)}):\n" + "".join(f"  {item}\n" for item in items)
             for heading, items in sections.items() if items]
    try:
        path.write_text("\n".join(lines), encoding="utf-8")
    except OSError as error:
        return error.strerror or str(error)
    return None


def print_errors(errors: list[CellError], heading: str, full_list: Path | None = None,
                 unwritten: str | None = None) -> None:
    """Row errors (or notices) in plain words: the first SHOWN_ERRORS, then where the others are."""
    err.print(f"[red]{heading}[/]", highlight=False)
    for error in errors[:SHOWN_ERRORS]:
        err.print(f"  {error}", highlight=False, markup=False)
    hidden = len(errors) - SHOWN_ERRORS
    if hidden <= 0:
        return
    if full_list is not None and unwritten is None:
        err.print(f"  ... and {hidden} more: all {len(errors)} are listed in {full_list}.", highlight=False,
                  markup=False, soft_wrap=True)  # soft_wrap: never break the path
    else:
        why = f" (could not write {full_list}: {unwritten})" if full_list is not None else ""
        err.print(f"  ... and {hidden} more{why}; --json lists them all.", highlight=False, markup=False)


def report_rows(errors: list[CellError], notices: list[CellError], heading: str, register: Path) -> None:
    """Print the errors and the notices; when either is long, the full lists go to one file, named."""
    long = {h: items for h, items in (("Errors", errors), ("Notices", notices)) if len(items) > SHOWN_ERRORS}
    path = full_list_path(register) if long else None
    unwritten = write_full_list(path, {"Errors": errors, "Notices": notices}) if path is not None else None
    if errors:
        print_errors(errors, heading, path, unwritten)
    if notices:
        print_errors(notices, f"{len(notices)} cell(s) read otherwise than written, as the mapping asks:",
                     path, unwritten)


def print_build(built: BuildResult, register: Path | None = None) -> None:
    """One line about the table build, then the rows left out and the notices."""
    err.print(f"Read {built.rows} rows: {built.qualifications} qualifications, {built.learning_outcomes} "
              f"learning outcomes, {built.organisations} organisations ({built.triples} triples).",
              highlight=False)
    if built.skipped or built.notices:
        report_rows(built.skipped, built.notices, f"Left out {len(built.skipped)} problem(s) (--skip-invalid):",
                    register or built.output)
