"""Say what a loaded file is when it is not ELM 3.1 qualifications (issue 9 case 12).

A file with no elm:Qualification (SKOS or schema.org data, a JSON-LD frame) or written in the ELM
namespace of another version parses and validates without a single violation: there is nothing for
the LOQ shapes to judge. The importer must not call that "conforms"; these notes say what the file is,
and a strict import refuses it.
"""

from __future__ import annotations

import pyoxigraph as ox

from store.core import execute
from store.core.namespaces import ELM, ELM_33, FOAF, RDF, RDFS, SKOS

ELM_EARLIER = "http://data.europa.eu/snb/model/"            # ELM before 3.x: classes right under model/
EDCI = "http://data.europa.eu/europass/model/credentials#"  # the Europass EDCI model, ELM's predecessor
_NOT_VOCABULARY = ("elm/", "ap/", "context/", "ontology/")  # under model/: ELM 3.1, profiles, contexts, 3.3
_PREFIXES = {ELM: "elm:", SKOS: "skos:", FOAF: "foaf:", RDFS: "rdfs:", RDF: "rdf:",
             "http://schema.org/": "schema:", "https://schema.org/": "schema:"}
_SHOWN_CLASSES = 5


def notes(handle: ox.Store, graph: str, qualifications: int) -> list[str]:
    """Sentences about a dataset graph that is not (only) ELM 3.1 qualifications; empty when it is."""
    classes = _class_counts(handle, graph)
    terms = list(classes)
    if qualifications == 0:  # a full scan of the predicates, affordable only on files without qualifications
        terms += [row["predicate"].value for row in execute.select(handle, "list_predicates_in_graph",
                                                                      {"graph": graph})]
    found = version_notes(terms)
    if qualifications == 0:
        found.insert(0, no_qualification_note(classes))
    return found


def no_qualification_note(classes: dict[str, int]) -> str:
    """'no ELM qualification in it', with what the file holds instead."""
    if not classes:
        held = "its triples have no rdf:type at all"
    else:
        shown = [f"{count} {_short(iri)}" for iri, count in list(classes.items())[:_SHOWN_CLASSES]]
        more = f" and {len(classes) - _SHOWN_CLASSES} more class(es)" if len(classes) > _SHOWN_CLASSES else ""
        held = "it holds " + ", ".join(shown) + more
    return f"no ELM qualification in it (nothing typed elm:Qualification, <{ELM}Qualification>): {held}"


def version_notes(terms: list[str]) -> list[str]:
    """A note per foreign ELM namespace the class and property IRIs use, with one example each."""
    found = []
    for label, matches in (("an earlier version", _earlier), ("a later version (ELM 3.3)", _later)):
        examples = sorted(t for t in terms if matches(t))
        if examples:
            namespace = ELM_33 if matches is _later else (EDCI if examples[0].startswith(EDCI) else ELM_EARLIER)
            found.append(f"ELM namespace of {label}: {namespace} (e.g. <{examples[0]}>); NQDB reads and "
                         f"publishes ELM 3.1, {ELM}")
    return found


def _earlier(iri: str) -> bool:
    if iri.startswith(EDCI):
        return True
    if not iri.startswith(ELM_EARLIER):
        return False
    rest = iri[len(ELM_EARLIER):]
    return bool(rest) and not rest.startswith(_NOT_VOCABULARY) and "/" not in rest


def _later(iri: str) -> bool:
    return iri.startswith(ELM_33) and iri != ELM_33


def _class_counts(handle: ox.Store, graph: str) -> dict[str, int]:
    rows = execute.select(handle, "count_instances_by_class_in_graph", {"graph": graph})
    return {row["class"].value: int(row["instances"].value) for row in rows if "class" in row}


def _short(iri: str) -> str:
    for namespace, prefix in _PREFIXES.items():
        if iri.startswith(namespace):
            return prefix + iri[len(namespace):]
    return f"<{iri}>"
