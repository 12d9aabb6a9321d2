"""Terminal output of `nqdb import-table`: a row progress bar with rate and ETA, row errors, results."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

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

from portal.console import err
from store.mapping.build import BuildResult
from store.mapping.errors import CellError

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
    """What the table build produced, as JSON."""
    return {"rows": built.rows, "qualifications": built.qualifications,
            "learningOutcomes": built.learning_outcomes, "organisations": built.organisations,
            "triples": built.triples, "skipped": [e.to_json() for e in built.skipped]}


def print_errors(errors: list[CellError], heading: str) -> None:
    """Row errors in plain words, at most SHOWN_ERRORS of them."""
    err.print(f"[red]{heading}[/]", highlight=False)
    for error in errors[:SHOWN_ERRORS]:
        err.print(f"  {error}", highlight=False, markup=False)
    if len(errors) > SHOWN_ERRORS:
        err.print(f"  ... and {len(errors) - SHOWN_ERRORS} more (--json lists them all).")


def print_build(built: BuildResult) -> None:
    """One line about the table build."""
    err.print(f"Read {built.rows} rows: {built.qualifications} qualifications, {built.learning_outcomes} "
              f"learning outcomes, {built.organisations} organisations ({built.triples} triples).",
              highlight=False)
    if built.skipped:
        print_errors(built.skipped, f"Left out {len(built.skipped)} problem(s) (--skip-invalid):")
