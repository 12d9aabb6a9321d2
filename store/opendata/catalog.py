"""DCAT-AP description of the catalogue, its datasets and their distributions, from the metadata graph.

Every node is a fragment of <base>/catalog, so each IRI dereferences to this description. Distributions
are the files of the latest dump generation (store/opendata/dumps.py), with their byte size and SHA-256.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pyoxigraph as ox

from store.core import statistics
from store.core.formats import EU_FILE_TYPES, GZIP, rdf_by_media_type
from store.core.namespaces import DCAT, DCT, ELM_ONTOLOGY, FOAF, RDF, SPARQL_PROTOCOL, SPDX, VCARD, XSD, prefixes
from store.core.namespaces import EU_AUTHORITY as EU
from store.core.namespaces import IANA_MEDIA_TYPES as IANA
from store.core.triplestore import Store
from store.opendata.dumps import DumpFile, Manifest

THEME_EDUCATION = EU + "data-theme/EDUC"
# ISO 639-1 (LANGUAGES setting) -> EU language authority (ISO 639-2/B style codes it uses).
LANGUAGE_CODES = {"en": "ENG", "fr": "FRA", "de": "DEU", "nl": "NLD", "it": "ITA", "es": "SPA", "pt": "POR",
                  "pl": "POL", "ro": "RON", "el": "ELL", "cs": "CES", "sk": "SLK", "sl": "SLV", "hu": "HUN",
                  "bg": "BUL", "hr": "HRV", "da": "DAN", "sv": "SWE", "fi": "FIN", "et": "EST", "lv": "LAV",
                  "lt": "LIT", "mt": "MLT", "ga": "GLE", "lb": "LTZ", "no": "NOR", "is": "ISL"}
PREFIXES = prefixes("dcat", "dct", "foaf", "vcard", "spdx", "xsd", "void", "adms", "rdf")

Object = str | ox.Literal | ox.BlankNode  # str = IRI


@dataclass(frozen=True)
class Site:
    """The portal settings that go into open-data metadata."""

    base_url: str
    title: str
    publisher_name: str
    publisher_url: str
    contact_email: str
    license_url: str
    languages: tuple[str, ...]
    country_code: str = ""

    def url(self, path: str) -> str:
        """An absolute URL of the portal."""
        return self.base_url.rstrip("/") + path

    def language_iris(self) -> list[str]:
        """EU language authority IRIs of the configured languages."""
        return [EU + "language/" + LANGUAGE_CODES[x] for x in self.languages if x in LANGUAGE_CODES]


class GraphBuilder:
    """Collects triples; subjects and IRI objects are plain strings."""

    def __init__(self) -> None:
        self.triples: list[ox.Triple] = []

    def add(self, subject: str | ox.BlankNode, predicate: str, obj: Object) -> None:
        """Add one triple."""
        node = ox.NamedNode(obj) if isinstance(obj, str) else obj
        s = ox.NamedNode(subject) if isinstance(subject, str) else subject
        self.triples.append(ox.Triple(s, ox.NamedNode(predicate), node))

    def add_all(self, subject: str | ox.BlankNode, predicate: str, objects: Iterable[Object]) -> None:
        """Add one triple per object."""
        for obj in objects:
            self.add(subject, predicate, obj)

    def serialize(self, media_type: str) -> bytes:
        """The graph in an RDF media type (graph syntaxes only)."""
        syntax = rdf_by_media_type(media_type)
        if syntax is None or syntax.is_dataset:
            raise ValueError(f"Cannot serialise a graph as {media_type}.")
        return ox.serialize(self.triples, None, syntax.format, prefixes=PREFIXES) or b""


def text(value: str, language: str | None = "en") -> ox.Literal:
    """A language-tagged literal."""
    return ox.Literal(value, language=language) if language else ox.Literal(value)


def typed(value: object, datatype: str) -> ox.Literal:
    """A typed literal (datatype local name in XSD)."""
    return ox.Literal(str(value), datatype=ox.NamedNode(XSD + datatype))


def catalog_graph(store: Store, site: Site, manifest: Manifest | None) -> GraphBuilder:
    """The DCAT-AP graph: catalogue, whole-database dataset, one dataset per import, distributions."""
    g, catalog = GraphBuilder(), site.url("/catalog")
    found = statistics.datasets(store)
    issued = min((d.issued for d in found), default=None)
    modified = max((d.modified for d in found), default=None)
    g.add(catalog, RDF + "type", DCAT + "Catalog")
    g.add(catalog, DCT + "title", text(site.title))
    g.add(catalog, DCT + "description", text(f"Qualifications published by {site.publisher_name} as linked "
                                                 "open data in the European Learning Model (ELM v3)."))
    g.add(catalog, FOAF + "homepage", site.url("/"))
    g.add(catalog, DCAT + "themeTaxonomy", EU + "data-theme")
    g.add(catalog, DCT + "license", site.license_url)
    g.add_all(catalog, DCT + "language", site.language_iris())
    _agents(g, site, catalog)
    if issued and modified:
        g.add(catalog, DCT + "issued", typed(issued, "dateTime"))
        g.add(catalog, DCT + "modified", typed(modified, "dateTime"))
    whole = _dataset(g, site, "nqdb", site.title, f"Every published qualification of the {site.title}.",
                     issued, modified)
    g.add(catalog, DCAT + "dataset", whole)
    files = manifest.files if manifest else ()
    _distributions(g, site, whole, [f for f in files if f.dataset is None], manifest)
    for info in found:
        node = _dataset(g, site, f"dataset-{info.dataset_id}", info.title,
                        f"Dataset {info.dataset_id}: {info.qualifications} qualifications, "
                        f"{info.triples} triples.",
                        info.issued, info.modified)
        g.add(catalog, DCAT + "dataset", node)
        g.add(whole, DCT + "hasPart", node)
        _distributions(g, site, node, [f for f in files if f.dataset == info.dataset_id], manifest)
    _service(g, site, catalog, whole)
    return g


def _agents(g: GraphBuilder, site: Site, catalog: str) -> None:
    publisher = site.url("/catalog#publisher")
    g.add(catalog, DCT + "publisher", publisher)
    g.add(publisher, RDF + "type", FOAF + "Agent")
    g.add(publisher, FOAF + "name", text(site.publisher_name))
    if site.publisher_url:
        g.add(publisher, FOAF + "homepage", site.publisher_url)
    contact = site.url("/catalog#contact")
    g.add(contact, RDF + "type", VCARD + "Organization")
    g.add(contact, VCARD + "fn", text(site.publisher_name))
    g.add(contact, VCARD + "hasEmail", "mailto:" + site.contact_email)


def _dataset(g: GraphBuilder, site: Site, key: str, title: str, description: str,
             issued: str | None, modified: str | None) -> str:
    node = site.url(f"/catalog#{key}")
    g.add(node, RDF + "type", DCAT + "Dataset")
    g.add(node, DCT + "identifier", ox.Literal(node))
    g.add(node, DCT + "title", text(title))
    g.add(node, DCT + "description", text(description))
    g.add(node, DCT + "publisher", site.url("/catalog#publisher"))
    g.add(node, DCAT + "contactPoint", site.url("/catalog#contact"))
    g.add(node, DCAT + "theme", THEME_EDUCATION)
    g.add_all(node, DCAT + "keyword", [text("qualifications"), text("EQF"), text("ELM"), text("Europass")])
    g.add_all(node, DCT + "language", site.language_iris())
    g.add(node, DCT + "conformsTo", ELM_ONTOLOGY)
    g.add(node, DCT + "accrualPeriodicity", EU + "frequency/IRREG")
    g.add(node, DCAT + "landingPage", site.url("/downloads"))
    if site.country_code:
        g.add(node, DCT + "spatial", EU + "country/" + site.country_code.upper())
    if issued and modified:
        g.add(node, DCT + "issued", typed(issued, "dateTime"))
        g.add(node, DCT + "modified", typed(modified, "dateTime"))
    return node


def _distributions(g: GraphBuilder, site: Site, dataset: str, files: Sequence[DumpFile],
                   manifest: Manifest | None) -> None:
    for file in files:
        assert manifest is not None
        node = site.url(f"/catalog#distribution-{file.name}")
        g.add(dataset, DCAT + "distribution", node)
        g.add(node, RDF + "type", DCAT + "Distribution")
        g.add(node, DCT + "title", text(file.title))
        g.add(node, DCAT + "accessURL", site.url("/downloads"))
        g.add(node, DCAT + "downloadURL", site.url(f"/dumps/latest/{file.name}"))
        g.add(node, DCAT + "mediaType", IANA + file.media_type)
        if file.media_type in EU_FILE_TYPES:  # DCAT-AP recommends dct:format from the EU file-type table
            g.add(node, DCT + "format", EU + "file-type/" + EU_FILE_TYPES[file.media_type])
        if file.compressed:
            g.add(node, DCAT + "compressFormat", IANA + GZIP)
        g.add(node, DCAT + "byteSize", typed(file.bytes, "nonNegativeInteger"))
        checksum = ox.BlankNode()
        g.add(node, SPDX + "checksum", checksum)
        g.add(checksum, RDF + "type", SPDX + "Checksum")
        g.add(checksum, SPDX + "algorithm", SPDX + "checksumAlgorithm_sha256")
        g.add(checksum, SPDX + "checksumValue", typed(file.sha256, "hexBinary"))
        g.add(node, DCT + "license", site.license_url)
        g.add(node, DCT + "issued", typed(manifest.generated, "dateTime"))
        g.add(node, DCT + "modified", typed(manifest.generated, "dateTime"))


def _service(g: GraphBuilder, site: Site, catalog: str, whole: str) -> None:
    service = site.url("/catalog#sparql")
    g.add(catalog, DCAT + "service", service)
    g.add(service, RDF + "type", DCAT + "DataService")
    g.add(service, DCT + "title", text(f"SPARQL endpoint of the {site.title}"))
    g.add(service, DCAT + "endpointURL", site.url("/sparql"))
    g.add(service, DCAT + "endpointDescription", site.url("/sparql"))
    g.add(service, DCAT + "servesDataset", whole)
    g.add(service, DCT + "conformsTo", SPARQL_PROTOCOL)
    g.add(service, DCT + "license", site.license_url)
    g.add(service, DCT + "publisher", site.url("/catalog#publisher"))
    g.add(service, DCAT + "contactPoint", site.url("/catalog#contact"))
    access = site.url("/catalog#distribution-sparql")
    g.add(whole, DCAT + "distribution", access)
    g.add(access, RDF + "type", DCAT + "Distribution")
    g.add(access, DCT + "title", text("SPARQL endpoint"))
    g.add(access, DCAT + "accessURL", site.url("/sparql"))
    g.add(access, DCAT + "accessService", service)
    g.add(access, DCT + "license", site.license_url)
