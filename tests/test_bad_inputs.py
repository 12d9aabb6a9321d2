"""The bad-input corpus: every file in tests/data/bad-inputs/ is refused with a message and changes nothing.

Each corpus file `<name>` has a sidecar `<name>.expect` holding one line: a fragment the user-facing
message must contain (case-insensitive). For every file, `nqdb load --strict` runs through the real CLI
on a copy of an empty store and must exit non-zero, name the file, contain the fragment, print no
traceback and leave every quad of the public and private databases as it was; `nqdb validate` must
exit non-zero without a traceback too. Files under `tables/` go through `nqdb import-table --strict`
(default mapping, unless `<name>.mapping.yaml` or `<stem>.mapping.yaml` sits beside the file) with the same checks.

Files that could hurt the test process (entity or archive bombs, huge inputs) are named `bomb-*`: they
run in a child process under an address-space limit and a timeout instead of in-process.
"""

from __future__ import annotations

import resource
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from nqdb.cli import main
from store.core.triplestore import Store
from tests.conftest import DATA
from tests.store_state import StoreState, state

CORPUS = DATA / "bad-inputs"
TABLES = CORPUS / "tables"
SIDECARS = (".expect", ".mapping.yaml", ".md")
CHILD_MEMORY = 2 << 30    # address space of a child running a bomb: far below what an expansion reaches
CHILD_SECONDS = 180


def corpus(folder: Path) -> list[Path]:
    """The corpus files of one folder (not sidecars, not subfolders), sorted."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.is_file() and not p.name.endswith(SIDECARS))


@dataclass(frozen=True)
class Run:
    """What one CLI run printed and how it ended."""

    exit_code: int
    output: str
    crashed: bool  # an exception other than SystemExit escaped the command


def expected_fragment(path: Path) -> str:
    """The one-line fragment from the file's .expect sidecar."""
    sidecar = path.with_name(path.name + ".expect")
    assert sidecar.is_file(), f"{path.name} has no {sidecar.name}: add one line the message must contain"
    fragment = sidecar.read_text(encoding="utf-8").strip()
    assert fragment and "\n" not in fragment, f"{sidecar.name} must hold exactly one non-empty line"
    return fragment


def quads(store_path: Path) -> StoreState:
    """The published version, the store's files and its quad counts (tests/store_state.py)."""
    return state(store_path)


def run_cli(args: list[str], isolated: bool) -> Run:
    """Run `nqdb ARGS` in-process (CliRunner) or, for a bomb, in a child process with a memory cap."""
    if not isolated:
        result = CliRunner().invoke(main, args)
        crashed = result.exception is not None and not isinstance(result.exception, SystemExit)
        return Run(result.exit_code, result.output, crashed)
    child = subprocess.run([sys.executable, "-m", "nqdb.cli", *args], capture_output=True, text=True,
                           timeout=CHILD_SECONDS, preexec_fn=_limit_memory, check=False)
    return Run(child.returncode, child.stdout + child.stderr, child.returncode < 0)


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (CHILD_MEMORY, CHILD_MEMORY))


def assert_refused(run: Run, path: Path, fragment: str | None) -> None:
    """Non-zero exit, no traceback, the file named and the fragment said."""
    assert not run.crashed, run.output
    assert run.exit_code != 0, run.output
    assert "Traceback" not in run.output, run.output
    if fragment is not None:
        assert path.name in run.output, run.output
        assert fragment.lower() in run.output.lower(), run.output


@pytest.mark.parametrize("path", corpus(CORPUS), ids=lambda p: p.name)
def test_bad_input_is_refused_by_load_and_changes_nothing(empty_store: Store, path: Path) -> None:
    fragment = expected_fragment(path)
    before = quads(empty_store.path)
    run = run_cli(["load", "--strict", "--store", str(empty_store.path), str(path)], path.name.startswith("bomb-"))
    assert_refused(run, path, fragment)
    assert quads(empty_store.path) == before


@pytest.mark.parametrize("path", corpus(CORPUS), ids=lambda p: p.name)
def test_bad_input_is_refused_by_validate(path: Path) -> None:
    expected_fragment(path)
    assert_refused(run_cli(["validate", str(path)], path.name.startswith("bomb-")), path, None)


@pytest.mark.parametrize("path", corpus(TABLES), ids=lambda p: p.name)
def test_bad_table_is_refused_by_import_table_and_changes_nothing(empty_store: Store, path: Path) -> None:
    fragment = expected_fragment(path)
    mapping = next((m for m in (path.with_name(path.name + ".mapping.yaml"),
                                path.with_name(path.stem + ".mapping.yaml")) if m.is_file()), None)
    before = quads(empty_store.path)
    args = ["import-table", "--strict", "--store", str(empty_store.path), str(path)]
    if mapping is not None:
        args += ["--mapping", str(mapping)]
    assert_refused(run_cli(args, path.name.startswith("bomb-")), path, fragment)
    assert quads(empty_store.path) == before


def test_a_50_mb_literal_is_a_message_and_changes_nothing(empty_store: Store, tmp_path: Path) -> None:
    """Issue 9 case 18: a 50 MB literal is refused with a message naming the file, not a MemoryError traceback."""
    path = tmp_path / "huge-literal.nt"
    with path.open("w", encoding="utf-8") as handle:
        handle.write('<http://example.org/q> <http://purl.org/dc/terms/description> "')
        handle.write("x" * (50 * 1024 * 1024))
        handle.write('"@en .\n')
    before = quads(empty_store.path)
    run = run_cli(["load", "--strict", "--store", str(empty_store.path), str(path)], isolated=False)
    assert_refused(run, path, "16 MiB")
    assert quads(empty_store.path) == before
