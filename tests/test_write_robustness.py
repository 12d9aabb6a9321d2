"""The write path on real data: deep blank-node structures and a full disk (issue 9 cases 17 and 18)."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from nqdb.cli import main
from store.core import changes, graphs
from store.core.triplestore import Store
from store.ingest import importer
from tests.bench.generate import write_dataset
from tests.conftest import MINIMAL, copy_store
from tests.test_importer import content

QUALIFICATION = "https://example.org/nqd/qualification/Q-0001"


def with_extra(tmp_path: Path, name: str, extra: str) -> Path:
    """The minimal qualification plus one more Turtle statement about it."""
    path = tmp_path / name
    path.write_text(MINIMAL.read_text(encoding="utf-8") + f"\nqual:Q-0001 {extra} .\n", encoding="utf-8")
    return path


def long_list(tmp_path: Path, items: int = 10_000) -> Path:
    return with_extra(tmp_path, "long-list.ttl", "<http://example.org/items> ( "
                      + " ".join(f'"item {i}"' for i in range(items)) + " )")


def deep_nesting(tmp_path: Path, depth: int = 5_000) -> Path:
    return with_extra(tmp_path, "deep.ttl", "<http://example.org/nest> " + "[ <http://example.org/p> " * depth
                      + '"bottom"' + " ]" * depth)


def test_long_rdf_list_loads(empty_store: Store, tmp_path: Path) -> None:
    """Issue 9 case 17: a 10,000-item rdf:List on a qualification loads (no RecursionError in the feed)."""
    result = importer.import_file(empty_store, long_list(tmp_path), "list")
    assert result.triples > 20_000
    rows = empty_store.select_private("feed_summary")
    assert int(rows[0]["events"]) >= 1
    # the feed serves the qualification with its whole list, and its hash matches the recorded one
    page = changes.page(empty_store, 1)
    assert page is not None
    event = next(e for e in page.events if e.resource == QUALIFICATION)
    assert event.content is not None and event.content.count(b"rdf-syntax-ns#first") == 10_000


def test_deeply_nested_blank_nodes_load(empty_store: Store, tmp_path: Path) -> None:
    """Issue 9 case 17: blank nodes nested 5,000 deep load, and re-importing them changes no hash."""
    path = deep_nesting(tmp_path)
    importer.import_file(empty_store, path, "deep")
    first = changes.resource_hashes(empty_store.snapshot().ox, graphs.dataset_graph("deep"))
    importer.import_file(empty_store, path, "deep", replace=True)
    again = changes.resource_hashes(empty_store.snapshot().ox, graphs.dataset_graph("deep"))
    assert first == again and QUALIFICATION in first
    assert int(empty_store.select_private("feed_summary")[0]["events"]) == len(first)  # no spurious updates


def test_long_list_cli_gives_a_summary_not_a_traceback(tmp_path: Path, empty_store: Store) -> None:
    """Issue 9 case 18: `nqdb load` of the long-list file answers with its summary, exit 0, no traceback."""
    result = CliRunner().invoke(main, ["load", "--quiet", "--store", str(empty_store.path),
                                       str(long_list(tmp_path))])
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output and "Imported dataset" in result.output


def deleted_files_held_open(folder: Path) -> list[str]:
    """Files under `folder` that this process still holds open although they were deleted (Linux /proc)."""
    held = []
    for fd in Path("/proc/self/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith(str(folder)) and target.endswith("(deleted)"):
            held.append(target)
    return held


@pytest.fixture
def small_disk(tmp_path: Path, empty_template: Path) -> Iterator[Path]:
    """A tmpfs with a copy of the vocabulary store and about 16 MB to spare; skipped where mounting is denied."""
    mount = tmp_path / "disk"
    mount.mkdir()
    used = sum(p.stat().st_size for p in empty_template.rglob("*") if p.is_file())
    size = used // (1 << 20) + 16
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}m", "tmpfs", str(mount)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    try:
        copy_store(empty_template, mount / "store")
        yield mount / "store"
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def test_disk_full_during_load_is_a_message_and_changes_nothing(small_disk: Path, tmp_path: Path) -> None:
    """Issue 9 case 18: a load that fills the disk says so, and the previous snapshot stays current and readable."""
    big = tmp_path / "big.nt"
    write_dataset(big, 4000)  # ~28 MB of N-Triples: more than the disk has left
    store = Store(small_disk)
    before, version = content(store), store.version
    result = CliRunner().invoke(main, ["load", "--quiet", "--store", str(small_disk), str(big)])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.output
    assert "Traceback" not in result.output
    assert str(big) in result.output and "no space left" in result.output.lower()
    assert "nothing was imported" in result.output
    assert store.version == version and content(store) == before
    assert sorted(p.name for p in (small_disk / "versions").iterdir()) == [version]  # no half copy left
    reader = ox.Store.read_only(str(store.snapshot_path()))
    assert len(reader) > 0
    assert deleted_files_held_open(small_disk) == []  # the failed copy's space is free at once
    # once space is freed (the disk grown to twice the store's size) the same store takes a normal import:
    # RocksDB may compact the copied tables when it opens them, which needs room for a second copy
    used = sum(p.stat().st_size for p in small_disk.rglob("*") if p.is_file())
    subprocess.run(["mount", "-o", f"remount,size={2 * used // (1 << 20) + 64}m", str(small_disk.parent)],
                   check=True)
    assert importer.import_file(store, MINIMAL, "minimal").qualifications == 1
