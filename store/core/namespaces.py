"""Every IRI namespace NQDB writes or recognises, and the one prefix map; the ELM version is chosen here.

tests/test_one_place.py fails on a namespace IRI written anywhere else in store/, portal/ or nqdb/.
"""

from __future__ import annotations

# The ELM NQDB reads and publishes: 3.1 (the QDR profile 1.1.0 we validate against). ELM 3.3 moved its
# classes and properties to .../snb/model/ontology/; files in that namespace are recognised as a later
# version, not read (store/validation/elm_content.py). Moving NQDB to 3.3 starts with this one line.
ELM_VERSION = "3.1"
ELM_NAMESPACES: dict[str, str] = {
    "3.1": "http://data.europa.eu/snb/model/elm/",
    "3.3": "http://data.europa.eu/snb/model/ontology/",
}
ELM = ELM_NAMESPACES[ELM_VERSION]
ELM_33 = ELM_NAMESPACES["3.3"]  # the later version's namespace, named in notes about foreign files
# The ontology's own IRI (dct:conformsTo of every dataset): for 3.1 the namespace without its slash.
ELM_ONTOLOGY = ELM.removesuffix("/")
ELM_MODEL = "http://data.europa.eu/snb/model/"  # parent of ELM 3.x, its profiles and JSON-LD contexts

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCT = "http://purl.org/dc/terms/"
DCAT = "http://www.w3.org/ns/dcat#"
FOAF = "http://xmlns.com/foaf/0.1/"
ADMS = "http://www.w3.org/ns/adms#"
ROV = "http://www.w3.org/ns/regorg#"
PROV = "http://www.w3.org/ns/prov#"
SH = "http://www.w3.org/ns/shacl#"
SPDX = "http://spdx.org/rdf/terms#"
VOID = "http://rdfs.org/ns/void#"
VCARD = "http://www.w3.org/2006/vcard/ns#"
SD = "http://www.w3.org/ns/sparql-service-description#"
FORMATS = "http://www.w3.org/ns/formats/"  # W3C IRIs of RDF and SPARQL results syntaxes
AS = "https://www.w3.org/ns/activitystreams#"
SPARQL_RESULTS = "http://www.w3.org/2005/sparql-results#"  # XML namespace of SPARQL XML results
PERSON = "http://www.w3.org/ns/person#"
CRED = "https://www.w3.org/2018/credentials#"
SCHEMA = "http://schema.org/"
SCHEMA_HTTPS = "https://schema.org/"
M8G = "http://data.europa.eu/m8g/"  # SEMIC core vocabularies (core person)
ESCO = "http://data.europa.eu/esco/"
ESCO_SKILL = ESCO + "skill/"
# EU controlled vocabularies the data points at.
EQF = "http://data.europa.eu/snb/eqf/"
ISCED_F = "http://data.europa.eu/snb/isced-f/"
SKILL_TYPE = "http://data.europa.eu/snb/skill-type/"
EDUCATION_CREDIT = "http://data.europa.eu/snb/education-credit/"
EUROPASS_STATUS = "http://data.europa.eu/snb/status/"  # publication status (released, obsolete, ...)
EU_AUTHORITY = "http://publications.europa.eu/resource/authority/"
EU_LANGUAGE = EU_AUTHORITY + "language/"
EU_COUNTRY = EU_AUTHORITY + "country/"
IANA_MEDIA_TYPES = "http://www.iana.org/assignments/media-types/"
SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"  # XML namespace of sitemaps (sitemaps.org protocol)
# NQDB's own terms, used only in the metadata graph (never on ELM nodes: the LOQ shapes are closed).
NQDB = "urn:nqdb:vocab:"

# Single IRIs that are not under a namespace above: specifications and JSON-LD contexts.
SPARQL_PROTOCOL = "https://www.w3.org/TR/sparql11-protocol/"
AS_CONTEXT = "https://www.w3.org/ns/activitystreams"
SCHEMA_CONTEXT = SCHEMA_HTTPS.removesuffix("/")
EDC_AP_CONTEXT = ELM_MODEL + "context/edc-ap"
EDC_AP_CONTEXT_HTTPS = "https" + EDC_AP_CONTEXT.removeprefix("http")
NQDB_CONTEXT = ELM_MODEL + "context/nqdb"
CREDENTIALS_V1_CONTEXT = "https://www.w3.org/2018/credentials/v1"
CREDENTIALS_V2_CONTEXT = "https://www.w3.org/ns/credentials/v2"

# The one prefix map: every prefix NQDB writes, each always for the same namespace.
PREFIX_MAP: dict[str, str] = {
    "elm": ELM,
    "rdf": RDF,
    "rdfs": RDFS,
    "xsd": XSD,
    "skos": SKOS,
    "dct": DCT,
    "dcat": DCAT,
    "foaf": FOAF,
    "adms": ADMS,
    "rov": ROV,
    "prov": PROV,
    "esco": ESCO_SKILL,
    "vcard": VCARD,
    "spdx": SPDX,
    "void": VOID,
    "sd": SD,
    "formats": FORMATS,
    "sh": SH,
}


def prefixes(*names: str) -> dict[str, str]:
    """The prefix map cut to `names`, in that order (serialisers declare every prefix they are given)."""
    return {name: PREFIX_MAP[name] for name in names}


# The prefixes of ELM data: Turtle of the mapping, the SPARQL page's query prologue.
PREFIXES: dict[str, str] = prefixes("elm", "rdf", "rdfs", "xsd", "skos", "dct", "dcat", "foaf", "adms", "rov",
                                    "prov")
