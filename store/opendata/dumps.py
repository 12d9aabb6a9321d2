"""Open-data dumps of the published data: generated from one fixed snapshot, swapped in atomically.

Layout of the dumps directory (DUMPS_DIR, default <STORE>/dumps):
    versions/<store version>/   one finished generation: dumps, tables, manifest.json (never rewritten)
    latest -> versions/<v>      symlink, replaced with os.replace (atomic on POSIX)
    generate.lock               flock held by the one generator (server thread or `nqdb dump`)
    tmp-<v>-<pid>/              a generation in progress; renamed into versions/ only when complete

A client never sees a half-written file: files are written in tmp-*, the finished folder is renamed
into versions/ and only then does `latest` move. Old versions are pruned (KEEP_VERSIONS); a download
that already opened a file keeps reading it (POSIX keeps unlinked files readable).

A generation that cannot be written (disk full, no such directory) raises DumpFailed with a message
naming the directory; its temporary folder is removed and `latest` keeps its previous version.
"""

from __future__ import annotations

import errno
import fcntl
import gzip
import hashlib
import io
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import pyoxigraph as ox

from store.core import graphs, metadata
from store.core.formats import RdfSyntax, rdf_by_extension
from store.core.triplestore import Store
from store.opendata import tables

KEEP_VERSIONS = 3
GZIP_LEVEL = 6
MANIFEST = "manifest.json"
WHOLE = "nqdb"  # file stem of the whole-database dumps
WHOLE_FORMATS = ("nq", "nt", "ttl", "jsonld", "rdf")
DATASET_FORMATS = ("nq", "ttl")

Progress = Callable[[str, int, int], None]  # (file name, files done, files in total)


class DumpBusy(RuntimeError):
    """Another process or thread is generating dumps into this directory."""


class DumpFailed(RuntimeError):
    """The dumps could not be written (disk full, unwritable directory); `latest` is unchanged."""


FULL = (errno.ENOSPC, errno.EDQUOT, errno.EFBIG)


@dataclass(frozen=True)
class DumpFile:
    """One downloadable file of a generation."""

    name: str
    title: str
    media_type: str             # of the content once decompressed (application/n-quads, text/csv...)
    compressed: bool            # gzip-compressed (.gz)
    dataset: str | None         # dataset id, or None for the whole database
    bytes: int
    sha256: str


@dataclass(frozen=True)
class Manifest:
    """What one generation holds: the store version it was made from and each file's size and checksum."""

    version: str
    generated: str              # ISO 8601 UTC
    files: tuple[DumpFile, ...]

    def file(self, name: str) -> DumpFile | None:
        """The entry for one file name, or None."""
        return next((f for f in self.files if f.name == name), None)

    def to_json(self) -> dict[str, object]:
        """A JSON-ready dict (the manifest.json file)."""
        return asdict(self)


def dumps_dir(store: Store, configured: str = "") -> Path:
    """DUMPS_DIR (made absolute), or <store>/dumps when it is empty."""
    return Path(configured).expanduser().absolute() if configured else store.path / "dumps"


def read_manifest(folder: Path) -> Manifest | None:
    """The manifest of one generation folder, or None if there is none."""
    try:
        data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (FileNotFoundError, NotADirectoryError):
        return None
    return Manifest(data["version"], data["generated"], tuple(DumpFile(**f) for f in data["files"]))


def resolve(directory: Path, version: str) -> Path | None:
    """The real folder of a generation ('latest' is followed to its version), or None if absent."""
    if version == "latest":
        try:
            target = os.readlink(directory / "latest")
        except (FileNotFoundError, NotADirectoryError):
            return None
        return directory / target
    if not version.isdigit():
        return None
    folder = directory / "versions" / version
    return folder if folder.is_dir() else None


def latest(directory: Path) -> Manifest | None:
    """The manifest `latest` points at, or None before the first generation."""
    folder = resolve(directory, "latest")
    return read_manifest(folder) if folder else None


def versions(directory: Path) -> list[str]:
    """Finished generations, oldest first."""
    root = directory / "versions"
    return sorted(p.name for p in root.iterdir() if p.name.isdigit()) if root.is_dir() else []


def is_current(store: Store, directory: Path) -> bool:
    """True when `latest` was generated from the store's published snapshot."""
    found = latest(directory)
    return found is not None and found.version == store.version


def generate(store: Store, directory: Path, *, base_url: str, languages: Sequence[str], license_url: str,
             progress: Progress | None = None, wait: bool = False) -> Manifest:
    """Generate every dump of the current snapshot (unless `latest` already has it) and publish it.

    Raises:
        DumpBusy: another generator holds the lock and `wait` is false.
        DumpFailed: the directory cannot be written (the disk is full...); `latest` is unchanged.
    """
    try:
        directory.mkdir(parents=True, exist_ok=True)
        with _generate_lock(directory, wait):
            pinned = store.pinned()  # one snapshot throughout, whatever is published meanwhile
            done = read_manifest(directory / "versions" / str(pinned.version))
            if done is None:
                settings = _Settings(base_url, tuple(languages), license_url)
                with pinned.checkpoint() as snap:  # readable even if the store prunes the snapshot meanwhile
                    done = _generate_version(snap.ox, snap.version, directory, settings, progress)
            _point_latest(directory, done.version)
            _prune(directory)
            return done
    except OSError as error:
        raise DumpFailed(_failure_message(directory, error)) from error


def _failure_message(directory: Path, error: OSError) -> str:
    if error.errno in FULL:
        return (f"The disk holding the dumps directory {directory} is full ({error.strerror}); nothing was "
                "changed: the previous dumps are still served. Free space (or set DUMPS_DIR / --dumps-dir "
                "to a larger disk) and run `nqdb dump` again.")
    where = f"{error.filename}: " if error.filename and str(error.filename) != str(directory) else ""
    return f"Cannot write the dumps into {directory}: {where}{error.strerror or error}."


@dataclass(frozen=True)
class _Target:
    name: str
    title: str
    syntax: RdfSyntax
    dataset: str | None
    graphs: tuple[ox.NamedNode, ...]


def _targets(published: Sequence[ox.NamedNode]) -> list[_Target]:
    out = []
    for ext in WHOLE_FORMATS:
        syntax = rdf_by_extension(ext)
        assert syntax is not None
        out.append(_Target(f"{WHOLE}.{ext}.gz", f"Whole database, {syntax.name}", syntax, None,
                           tuple(published)))
    for graph in published:
        dataset_id = graphs.dataset_id_of(graph.value)
        if dataset_id is None:
            continue
        for ext in DATASET_FORMATS:
            syntax = rdf_by_extension(ext)
            assert syntax is not None
            out.append(_Target(f"dataset-{dataset_id}.{ext}.gz", f"Dataset {dataset_id}, {syntax.name}",
                               syntax, dataset_id, (graph,)))
    return out


@dataclass(frozen=True)
class _Settings:
    base_url: str
    languages: tuple[str, ...]
    license_url: str


def _generate_version(handle: ox.Store, version: str, directory: Path, settings: _Settings,
                      progress: Progress | None) -> Manifest:
    work = Path(tempfile.mkdtemp(prefix=f"tmp-{version}-", dir=directory))
    try:
        published = [g for g in handle.named_graphs()
                     if isinstance(g, ox.NamedNode) and graphs.is_published_graph(g.value)]
        targets = _targets(sorted(published, key=lambda g: g.value))
        total = len(targets) + 1
        files = []
        for index, target in enumerate(targets):
            if progress:
                progress(target.name, index, total)
            files.append(_write_rdf(handle, target, work / target.name))
        if progress:
            progress("tables", len(targets), total)
        for written in tables.write_tables(handle, published, work, languages=settings.languages,
                                           base_url=settings.base_url, license_url=settings.license_url):
            files.append(DumpFile(written.name, written.title, written.media_type, False, None,
                                  written.bytes, written.sha256))
        manifest = Manifest(version, metadata.now().isoformat(), tuple(files))
        (work / MANIFEST).write_text(json.dumps(manifest.to_json(), indent=2), encoding="utf-8")
        (directory / "versions").mkdir(exist_ok=True)
        os.rename(work, directory / "versions" / version)
        if progress:
            progress("done", total, total)
        return manifest
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise


class _HashingWriter(io.RawIOBase):
    """Writes through to a file while counting bytes and computing SHA-256."""

    def __init__(self, inner: io.BufferedWriter) -> None:
        self._inner, self.digest, self.size = inner, hashlib.sha256(), 0

    def writable(self) -> bool:
        return True

    def write(self, data: bytes | bytearray | memoryview) -> int:  # type: ignore[override]
        self.digest.update(data)
        self.size += len(data)
        return self._inner.write(data)


def _write_rdf(handle: ox.Store, target: _Target, path: Path) -> DumpFile:
    with open(path, "wb") as raw:
        hashing = _HashingWriter(raw)
        # mtime=0 and no file name in the header: the same data always gives the same bytes.
        with gzip.GzipFile(filename="", mode="wb", fileobj=hashing, compresslevel=GZIP_LEVEL, mtime=0) as gz:
            buffered = io.BufferedWriter(gz, 1 << 20)
            quads = _quads(handle, target.graphs)
            if target.syntax.is_dataset:
                ox.serialize(quads, buffered, target.syntax.format)
            else:
                ox.serialize((q.triple for q in quads), buffered, target.syntax.format)
            buffered.flush()
        raw.flush()
        os.fsync(raw.fileno())
    return DumpFile(target.name, target.title, target.syntax.media_type, True, target.dataset, hashing.size,
                    hashing.digest.hexdigest())


def _quads(handle: ox.Store, selected: Sequence[ox.NamedNode]) -> Iterator[ox.Quad]:
    for graph in selected:
        yield from handle.quads_for_pattern(None, None, None, graph)


class _LockFile:
    def __init__(self, path: Path, wait: bool) -> None:
        self.path, self.wait = path, wait

    def __enter__(self) -> None:
        self.handle = open(self.path, "w")
        try:
            fcntl.flock(self.handle, fcntl.LOCK_EX | (0 if self.wait else fcntl.LOCK_NB))
        except BlockingIOError as error:
            self.handle.close()
            raise DumpBusy(f"Dumps are being generated into {self.path.parent} elsewhere.") from error

    def __exit__(self, *exc: object) -> None:
        fcntl.flock(self.handle, fcntl.LOCK_UN)
        self.handle.close()


def _generate_lock(directory: Path, wait: bool) -> _LockFile:
    return _LockFile(directory / "generate.lock", wait)


def _point_latest(directory: Path, version: str) -> None:
    temporary = directory / f"latest.{os.getpid()}.tmp"
    temporary.unlink(missing_ok=True)
    try:
        os.symlink(f"versions/{version}", temporary)
        os.replace(temporary, directory / "latest")
    finally:
        temporary.unlink(missing_ok=True)


def _prune(directory: Path) -> None:
    current = resolve(directory, "latest")
    keep = set(versions(directory)[-KEEP_VERSIONS:]) | ({current.name} if current else set())
    for name in versions(directory):
        if name not in keep:
            shutil.rmtree(directory / "versions" / name, ignore_errors=True)
    for leftover in directory.glob("tmp-*"):  # from a generator that crashed (we hold the lock)
        shutil.rmtree(leftover, ignore_errors=True)
