"""Validate a lone file exactly as `nqdb load` would: one engine, one verdict (issue 9, case 9).

The file is imported, non-strictly, into a throw-away NQDB store in a temporary directory on disk
(bulk load, so a big file needs disk, not RAM) through `store.ingest.importer.import_file` itself: the same
parser, loader, graph layout, validator and Annex VI scorer as a real import, so `nqdb validate FILE`
and `nqdb load FILE` cannot disagree. The temporary store is deleted afterwards.

Installing the vocabularies into a new on-disk store takes seconds, so an initialised vocabulary-only
store is kept in the user's cache directory, keyed by a hash of the shipped vocabulary files, and
copied for each run; when the cache cannot be written the vocabularies are installed afresh.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from pathlib import Path

from store.core.triplestore import Store
from store.ingest import importer
from store.ingest.bootstrap import initialise
from store.ingest.vocabularies import vocabulary_files
from store.validation.completeness import CompletenessReport
from store.validation.profile import ValidationReport

_DATASET = "validate"
_TEMPLATE_PREFIX = "validate-vocabularies-"


def validate_file(path: Path, media_type: str | None = None, progress: importer.Progress | None = None,
                  phase: importer.Phase | None = None,
                  work_dir: Path | None = None) -> tuple[ValidationReport, CompletenessReport]:
    """Import `path` into a temporary store (under `work_dir`, default $TMPDIR) and return its reports.

    Raises:
        InputRejected: unreadable, empty, unsafe or syntactically invalid input, as `import_file` says.
    """
    with tempfile.TemporaryDirectory(prefix="nqdb-validate-", dir=work_dir) as folder:
        if phase is not None:
            phase("Preparing a temporary store")
        store = _vocabulary_store(Path(folder) / "store")
        result = importer.import_file(store, path, _DATASET, media_type=media_type, progress=progress,
                                      phase=phase)
    return result.report, result.completeness


def cache_root() -> Path:
    """Where NQDB keeps rebuildable files: $XDG_CACHE_HOME/nqdb, else ~/.cache/nqdb."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "nqdb"


def _vocabulary_store(target: Path) -> Store:
    """A store at `target` holding only the shipped vocabularies: a copy of the cached one if possible."""
    try:
        shutil.copytree(_vocabulary_template(), target, symlinks=True)
    except OSError:  # no writable cache (read-only home, full disk): build it here instead
        shutil.rmtree(target, ignore_errors=True)
        initialise(Store(target))
    return Store(target)


def _vocabulary_key() -> str:
    """A hash of the shipped vocabulary files' names and contents."""
    digest = hashlib.sha256()
    for path in vocabulary_files():
        digest.update(path.name.encode("utf-8") + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def _vocabulary_template() -> Path:
    """The cached vocabulary-only store, built (atomically renamed into place) on first use.

    Raises:
        OSError: the cache directory cannot be written.
    """
    root = cache_root()
    template = root / f"{_TEMPLATE_PREFIX}{_vocabulary_key()}"
    if (template / "current").is_symlink():
        return template
    root.mkdir(parents=True, exist_ok=True)
    building = Path(tempfile.mkdtemp(prefix="building-", dir=root))
    try:
        initialise(Store(building / "store"))
        try:
            os.rename(building / "store", template)
        except OSError:
            if not (template / "current").is_symlink():  # another process did not win the race
                raise
    finally:
        shutil.rmtree(building, ignore_errors=True)
    for old in root.glob(f"{_TEMPLATE_PREFIX}*"):  # templates of earlier vocabulary versions
        if old != template:
            shutil.rmtree(old, ignore_errors=True)
    return template
