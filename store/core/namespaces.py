"""IRI namespaces used by NQDB: one constant each, so the ELM 3.1/3.3 switch happens in one place."""

from __future__ import annotations

# ELM 3.1 (the QDR profile 1.1.0 we validate against). ELM 3.3 moved to .../snb/model/ontology/.
ELM = "http://data.europa.eu/snb/model/elm/"
ELM_33 = "http://data.europa.eu/snb/model/ontology/"
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
ESCO = "http://data.europa.eu/esco/"
# NQDB's own terms, used only in the metadata graph (never on ELM nodes: the LOQ shapes are closed).
NQDB = "urn:nqdb:vocab:"

PREFIXES: dict[str, str] = {
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
}
