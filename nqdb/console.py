"""Terminal output of the CLI: progress bars with rate and ETA, readable summaries."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TextColumn,
    TimeRemainingColumn,
    TransferSpeedColumn,
)
from rich.table import Table

from store.core.statistics import Summary
from store.ingest.importer import ImportResult

err = Console(stderr=True)
out = Console()


@dataclass(frozen=True)
class ImportProgress:
    """Callbacks for a running import: bytes read, and the phase that starts (None when quiet)."""

    bytes_read: Callable[[int], None] | None = None
    phase: Callable[[str], None] | None = None


@contextmanager
def byte_progress(label: str, path: Path, quiet: bool) -> Iterator[ImportProgress]:
    """A progress bar over the bytes of `path` (rate and ETA), then the later phases by name.

    Nothing is drawn when quiet or when stderr is not a terminal.
    """
    if quiet or not err.is_terminal or not path.is_file():
        yield ImportProgress()
        return
    columns = (TextColumn("{task.description}"), BarColumn(), DownloadColumn(), TransferSpeedColumn(),
               TimeRemainingColumn())
    with Progress(*columns, console=err, transient=True) as bar:
        task = bar.add_task(label, total=path.stat().st_size)
        yield ImportProgress(lambda done: bar.update(task, completed=done),
                             lambda text: bar.update(task, description=f"{path.name}: {text}"))


def import_json(result: ImportResult) -> dict[str, object]:
    """An import result as JSON."""
    return {"dataset": result.dataset_id, "file": result.file, "triples": result.triples,
            "qualifications": result.qualifications, "replaced": result.replaced,
            "conforms": result.report.conforms,
            "nonconforming": sorted(result.report.nonconforming_qualifications()),
            "nonconformingSharedNodes": list(result.report.nonconforming_shared_nodes()),
            "violations": len(result.report.violations),
            "summary": result.report.summary(),
            "official": _official_json(result),
            "annexVIScore": result.completeness.dataset_score, "seconds": round(result.seconds, 3),
            "phases": result.phases}


def _official_json(result: ImportResult) -> dict[str, object] | None:
    """The verdict under the official LOQ shapes, in brief: verdict, count, defects by name and count."""
    official = result.report.official
    if official is None:
        return None
    return {"conforms": official.conforms, "violations": official.violation_count,
            "defects": {shape: count for shape, count in official.defects}}


def print_import(result: ImportResult) -> None:
    """One import, in a few readable lines."""
    verb = "Replaced" if result.replaced else "Imported"
    out.print(f"{verb} dataset [bold]{result.dataset_id}[/] from {result.file}: {result.qualifications} "
              f"qualifications, {result.triples} triples in {result.seconds:.1f} s.")
    report = result.report
    headline, *rest = report.summary()
    # Green only for what the JSON calls conforming, and never for a file without qualifications.
    colour = "green" if report.conforms and report.qualifications else "yellow"
    out.print(f"[{colour}]{escape(headline)}[/]")
    bad = report.nonconforming_qualifications()
    if bad:
        out.print(f"{len(bad)} qualification(s) are marked not Europass-ready.")
    for line in rest:
        out.print(escape(line))
    if not report.conforms:
        out.print("`nqdb validate FILE` explains each problem.")
    out.print(f"EQF Annex VI completeness score: {result.completeness.dataset_score:.1%}")


def print_summary(summary: Summary) -> None:
    """`nqdb stats` as tables."""
    out.print(f"Snapshot {summary.version}: {summary.qualifications} qualifications, "
              f"{summary.organisations} organisations, {summary.triples} triples in datasets.")
    table = Table("dataset", "qualifications", "triples", "conforms", "Annex VI", "modified")
    for d in summary.datasets:
        score = f"{d.annex_vi_score:.1%}" if d.annex_vi_score is not None else "-"
        table.add_row(d.dataset_id, str(d.qualifications), str(d.triples), "yes" if d.conforms else "no",
                      score, d.modified)
    out.print(table)
    levels = Table("EQF level", "qualifications")
    for level in summary.levels:
        levels.add_row(level.label, str(level.qualifications))
    out.print(levels)
