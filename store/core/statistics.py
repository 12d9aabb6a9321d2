"""Counts and dataset listings for pages and `nqdb stats`, computed once per published snapshot."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from store.core.snapshot_cache import per_snapshot
from store.core.triplestore import Store


@dataclass(frozen=True)
class DatasetInfo:
    """One published dataset as recorded at import."""

    dataset_id: str
    graph: str
    title: str
    source: str
    issued: str
    modified: str
    triples: int
    qualifications: int
    conforms: bool
    annex_vi_score: float | None


@dataclass(frozen=True)
class LevelCount:
    """Qualifications at one EQF level."""

    level: str
    label: str
    qualifications: int


@dataclass(frozen=True)
class Summary:
    """Headline numbers of the published data."""

    version: str
    datasets: tuple[DatasetInfo, ...]
    qualifications: int
    organisations: int
    triples: int
    levels: tuple[LevelCount, ...]

    def to_json(self) -> dict[str, object]:
        """A JSON-ready dict."""
        return asdict(self)


def datasets(store: Store) -> list[DatasetInfo]:
    """Published datasets, by id."""
    return [DatasetInfo(r["identifier"], r["dataset"], r["title"], r["source"], r["issued"], r["modified"],
                        int(r["triples"]), int(r["qualifications"]), r["conforms"] == "true",
                        float(r["annexVIScore"]) if "annexVIScore" in r else None)
            for r in store.select_private("list_datasets")]


@per_snapshot(maxsize=8)
def summary(store: Store) -> Summary:
    """Headline numbers of the current snapshot (a full scan runs once per publish)."""
    version, found = store.version or "", datasets(store)
    levels = tuple(LevelCount(r["eqfLevel"], r.get("label", r["eqfLevel"].rsplit("/", 1)[-1]),
                              int(r["qualifications"]))
                   for r in store.select("count_qualifications_by_eqf_level"))
    organisations = int(store.select("count_organisations")[0]["organisations"])
    return Summary(version, tuple(found), sum(d.qualifications for d in found), organisations,
                   sum(d.triples for d in found), levels)
