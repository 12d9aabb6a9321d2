"""A seeded generator of N realistic ELM qualifications for benchmarks (~57 triples each).

Usage: python -m tests.bench.generate 10000 out.nt [--broken-every 50]
Each qualification has en/fr titles, EQF/NQF levels, ISCED-F field, 3-6 learning outcomes (one
linked to an ESCO skill), credit points, entry requirements, homepage and an awarding opportunity
of one of 50 awarding bodies; one record in 50 carries a deliberate defect (set --broken-every 0
for none). Deterministic: the same N gives the same bytes.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from store.core.paths import VOCABULARIES

BASE = "https://example.org/nqd/"
ELM, DCT, XSD = "http://data.europa.eu/snb/model/elm/", "http://purl.org/dc/terms/", "http://www.w3.org/2001/XMLSchema#"
RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
SNB = "http://data.europa.eu/snb/"
ISCED = ["0732", "0413", "0611", "0222", "0912", "0715", "1013", "0531"]
NQF = ["c_38f52397"]
LANG = ["ENG", "FRA", "DEU"]
BROKEN = ("missing-eqf", "bad-url", "unknown-property", "two-en-titles", "wrong-scheme")


def _esco_skills(limit: int = 200) -> list[str]:
    text = (VOCABULARIES / "esco-skills.ttl").read_text(encoding="utf-8") if (
        VOCABULARIES / "esco-skills.ttl").exists() else ""
    ids = re.findall(r"^skill:([0-9a-f-]{36}) a skos:Concept", text, flags=re.M)[:limit]
    return [f"http://data.europa.eu/esco/skill/{i}" for i in ids]


def _t(s: str, p: str, o: str) -> str:
    return f"{s} {p} {o} .\n"


def _org_triples(orgs: int) -> list[str]:
    out = []
    for k in range(orgs):
        org, loc, addr = f"<{BASE}org/O{k}>", f"<{BASE}location/L{k}>", f"<{BASE}address/A{k}>"
        out += [_t(org, RDF_TYPE, f"<{ELM}Organisation>"),
                _t(org, "<http://www.w3.org/ns/regorg#legalName>", f'"Awarding body {k}"@en'),
                _t(org, f"<{ELM}location>", loc), _t(loc, RDF_TYPE, f"<{DCT}Location>"),
                _t(loc, f"<{ELM}address>", addr), _t(addr, RDF_TYPE, f"<{ELM}Address>"),
                _t(addr, f"<{ELM}countryCode>", "<http://publications.europa.eu/resource/authority/country/IRL>")]
    return out


def qualification(i: int, orgs: int, skills: list[str], broken: str | None) -> list[str]:
    """About 57 N-Triples lines describing one qualification and its own nodes."""
    q, e = f"<{BASE}qualification/Q{i}>", f"<{ELM}"
    ident, note, entry = f"<{BASE}identifier/Q{i}>", f"<{BASE}note/Q{i}-los>", f"<{BASE}note/Q{i}-entry>"
    cp, web, awo = f"<{BASE}credit/Q{i}>", f"<{BASE}web/Q{i}>", f"<{BASE}awarding/Q{i}>"
    org, loc = f"<{BASE}org/O{i % orgs}>", f"<{BASE}location/L{i % orgs}>"
    eqf = f"<{SNB}eqf/{1 + i % 8}>" if broken != "wrong-scheme" else f"<{SNB}isced-f/{ISCED[i % 8]}>"
    out = [_t(q, RDF_TYPE, e + "Qualification>"), _t(q, "<http://www.w3.org/ns/adms#identifier>", ident),
           _t(q, f"<{DCT}title>", f'"Qualification {i} in trade {i % 97}"@en'),
           _t(q, f"<{DCT}title>", f'"Qualification {i} du métier {i % 97}"@fr'),
           _t(q, f"<{DCT}description>", f'"National qualification number {i}."@en'),
           _t(q, f"<{DCT}language>", f"<http://publications.europa.eu/resource/authority/language/{LANG[i % 3]}>"),
           _t(q, e + "NQFLevel>", f"<{SNB}qdr/{NQF[i % len(NQF)]}>"),
           _t(q, e + "ISCEDFCode>", f"<{SNB}isced-f/{ISCED[i % 8]}>"),
           _t(q, e + "learningOutcomeSummary>", note), _t(q, e + "entryRequirement>", entry),
           _t(q, e + "creditPoint>", cp), _t(q, e + "volumeOfLearning>", f'"PT{600 + i % 900}H"^^<{XSD}duration>'),
           _t(q, e + "awardingOpportunity>", awo), _t(q, "<http://xmlns.com/foaf/0.1/homepage>", web),
           _t(q, f"<{DCT}publisher>", org), _t(q, f"<{DCT}modified>", f'"2025-01-15T00:00:00Z"^^<{XSD}dateTime>'),
           _t(ident, RDF_TYPE, e + "Identifier>"),
           _t(ident, "<http://www.w3.org/2004/02/skos/core#notation>", f'"Q{i}"'),
           _t(ident, e + "schemeName>", '"National Qualifications Database"'),
           _t(note, RDF_TYPE, e + "Note>"), _t(note, e + "noteLiteral>", f'"Knowledge, skills, autonomy {i}."@en'),
           _t(entry, RDF_TYPE, e + "Note>"), _t(entry, e + "noteLiteral>", '"Lower secondary education."@en'),
           _t(cp, RDF_TYPE, e + "CreditPoint>"), _t(cp, e + "framework>", f"<{SNB}education-credit/60b314e826>"),
           _t(cp, e + "point>", f'"{60 + i % 120}"'),
           _t(web, RDF_TYPE, e + "WebResource>"),
           _t(web, e + "contentUrl>", f'"{"ftp" if broken == "bad-url" else "https"}://example.org/q/{i}"^^<{XSD}anyURI>'),
           _t(awo, RDF_TYPE, e + "AwardingOpportunity>"), _t(awo, e + "awardingBody>", org),
           _t(awo, e + "learningAchievementSpecification>", q), _t(awo, e + "location>", loc)]
    if broken != "missing-eqf":
        out.append(_t(q, e + "EQFLevel>", eqf))
    if broken == "unknown-property":
        out.append(_t(q, f"<{BASE}portalStatus>", '"draft"'))
    if broken == "two-en-titles":
        out.append(_t(q, f"<{DCT}title>", f'"Another title {i}"@en'))
    for k in range(3 + i % 4):
        lo = f"<{BASE}lo/Q{i}-{k}>"
        out += [_t(q, e + "learningOutcome>", lo), _t(lo, RDF_TYPE, e + "LearningOutcome>"),
                _t(lo, f"<{DCT}title>", f'"Outcome {k} of qualification {i}."@en'),
                _t(lo, f"<{DCT}type>", f"<{SNB}skill-type/{'skill' if k % 2 else 'knowledge'}>")]
        if skills and k == 0:
            out.append(_t(lo, e + "relatedESCOSkill>", f"<{skills[i % len(skills)]}>"))
    return out


def write_dataset(path: Path, n: int, orgs: int = 50) -> tuple[int, int]:
    """Write n qualifications as N-Triples; return (triples, broken qualifications)."""
    skills, triples, broken = _esco_skills(), 0, 0
    with path.open("w", encoding="utf-8") as f:
        lines = _org_triples(orgs)
        f.writelines(lines)
        triples += len(lines)
        for i in range(n):
            defect = BROKEN[(i // 50) % len(BROKEN)] if i % 50 == 7 else None   # 2 % broken
            broken += defect is not None
            lines = qualification(i, orgs, skills, defect)
            f.writelines(lines)
            triples += len(lines)
    return triples, broken


def main() -> None:
    """Write N qualifications as N-Triples."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int)
    parser.add_argument("output", type=Path)
    args = parser.parse_args()
    triples, broken = write_dataset(args.output, args.n)
    print(f"{args.output}: {args.n} qualifications, {triples} triples, {broken} broken")


if __name__ == "__main__":
    main()
