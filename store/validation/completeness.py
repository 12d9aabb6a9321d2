"""EQF Annex VI completeness: which recommended data elements each qualification of a dataset carries."""

from __future__ import annotations

from dataclasses import asdict, dataclass

import pyoxigraph
from pyoxigraph import Literal, NamedNode, QuerySolutions

from store.core import queries

# (query variable, readable element name); the variable names match queries/completeness_annex_vi.rq.
MANDATORY: tuple[tuple[str, str], ...] = (
    ("title_", "title"), ("field", "field (ISCED-F)"), ("country", "country"), ("eqfLevel", "EQF level"),
    ("learningOutcomes", "learning outcomes"), ("awardingBody", "awarding body"),
)
OPTIONAL: tuple[tuple[str, str], ...] = (
    ("nqfLevel", "NQF level"), ("description", "description"), ("creditPoints", "credit points"),
    ("workload", "workload / volume of learning"), ("entryRequirements", "entry requirements"),
    ("qualityAssurance", "quality assurance"), ("waysToAcquire", "ways to acquire"),
    ("validity", "expiry / validity"), ("homepage", "homepage or information source"),
    ("language", "language"), ("escoSkills", "ESCO skill links"),
    ("occupations", "relationship to occupations"),
)
MANDATORY_WEIGHT, OPTIONAL_WEIGHT = 3, 1   # documented in docs/validation.md


@dataclass(frozen=True)
class QualificationCompleteness:
    """The Annex VI elements one qualification has and lacks, and its score in [0, 1]."""

    iri: str
    title: str | None
    present: tuple[str, ...]
    missing_mandatory: tuple[str, ...]
    missing_optional: tuple[str, ...]
    score: float

    @property
    def missing(self) -> tuple[str, ...]:
        """All missing element names, mandatory first."""
        return self.missing_mandatory + self.missing_optional


@dataclass(frozen=True)
class CompletenessReport:
    """Per-qualification completeness and the dataset score (the mean, 0.0 for no qualification)."""

    per_qualification: list[QualificationCompleteness]
    dataset_score: float

    def to_json(self) -> dict[str, object]:
        """Stable keys: dataset_score, qualifications, elements."""
        return {
            "dataset_score": round(self.dataset_score, 4),
            "qualifications": [{**asdict(q), "score": round(q.score, 4)} for q in self.per_qualification],
            "elements": {"mandatory": [n for _, n in MANDATORY], "optional": [n for _, n in OPTIONAL]},
        }

    def to_text(self) -> str:
        """A short per-qualification summary of what is missing."""
        lines = [f"EQF Annex VI completeness: {self.dataset_score:.0%} over {len(self.per_qualification)} "
                 "qualifications."]
        for q in self.per_qualification:
            lines.append(f"- {q.title or q.iri}: {q.score:.0%}")
            if q.missing_mandatory:
                lines.append(f"    missing (mandatory): {', '.join(q.missing_mandatory)}")
            if q.missing_optional:
                lines.append(f"    missing (optional): {', '.join(q.missing_optional)}")
        return "\n".join(lines) + "\n"


def score(mandatory_present: int, optional_present: int) -> float:
    """Weighted share of Annex VI elements present: mandatory count MANDATORY_WEIGHT times an optional one."""
    total = MANDATORY_WEIGHT * len(MANDATORY) + OPTIONAL_WEIGHT * len(OPTIONAL)
    return (MANDATORY_WEIGHT * mandatory_present + OPTIONAL_WEIGHT * optional_present) / total


def _titles(ox_store: pyoxigraph.Store, graph: NamedNode) -> dict[str, str | None]:
    """Every qualification with one title, English preferred."""
    solutions = ox_store.query(queries.load("completeness_qualification_titles"), default_graph=graph)
    assert isinstance(solutions, QuerySolutions)
    titles: dict[str, str | None] = {}
    for s in solutions:
        iri, title = s["qualification"].value, s["title"]
        if isinstance(title, Literal) and (titles.get(iri) is None or title.language == "en"):
            titles[iri] = title.value
        else:
            titles.setdefault(iri, None)
    return titles


def annex_vi_completeness(ox_store: pyoxigraph.Store, data_graph: str) -> CompletenessReport:
    """Check every elm:Qualification of a dataset graph for the Annex VI elements (two set-based queries)."""
    graph = NamedNode(data_graph)
    titles = _titles(ox_store, graph)
    solutions = ox_store.query(queries.load("completeness_annex_vi"), default_graph=graph)
    assert isinstance(solutions, QuerySolutions)
    found: dict[str, set[str]] = {}
    for s in solutions:
        iri = s["qualification"].value
        if iri in titles and isinstance(s["elements"], Literal):
            found[iri] = set(s["elements"].value.split())
    per = []
    for iri in sorted(titles):
        present = found.get(iri, set())
        present_m = [n for v, n in MANDATORY if v in present]
        present_o = [n for v, n in OPTIONAL if v in present]
        per.append(QualificationCompleteness(
            iri=iri, title=titles[iri], present=tuple(present_m + present_o),
            missing_mandatory=tuple(n for v, n in MANDATORY if v not in present),
            missing_optional=tuple(n for v, n in OPTIONAL if v not in present),
            score=score(len(present_m), len(present_o))))
    dataset = sum(q.score for q in per) / len(per) if per else 0.0
    return CompletenessReport(per_qualification=per, dataset_score=dataset)
