"""Build ontology/vocabularies/esco-skills.ttl: the ESCO skills pillar as SKOS, from the shared CSV extracts.

Input (see /work/shared/esco/SOURCES.md):
- esco_skill_labels_en_fr_all.csv: all 14,238 skill URIs, en (v1.1.1) and fr (v1.0.x) labels, in_v1_2_0;
- esco_skills_subset_en_fr.csv: 2,334 skills with v1.2.0 English labels, descriptions, type and reuse level.

Usage: python scripts/build_esco_vocabulary.py [--esco-dir DIR] [--output FILE]
The output is deterministic (skills sorted by URI) and is checked by parsing it with pyoxigraph.
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_ESCO_DIR = Path(__file__).resolve().parents[2] / "shared" / "esco"  # shared/ sits beside the checkout
DEFAULT_OUTPUT = ROOT / "ontology" / "vocabularies" / "esco-skills.ttl"
ALL_LABELS = "esco_skill_labels_en_fr_all.csv"
SUBSET = "esco_skills_subset_en_fr.csv"

# At most this many skos:altLabel per language and skill (in ESCO's CSV order): all of them make 7.3 MB,
# three keep the file under 6 MB. The v1.1.1 label of a renamed skill always comes first.
MAX_ALT_LABELS = 3
SKILL_NS = "http://data.europa.eu/esco/skill/"
SCHEME = "http://data.europa.eu/esco/concept-scheme/skills"
ATTRIBUTION = "This service uses the ESCO classification of the European Commission."
MODIFIED_NOTE = (
    "Modified by NQDB: filtered, merged and reformatted. Skill URIs and English/French labels come from "
    "CSV extracts of ESCO v1.1.1 (English), v1.0.x (French) and v1.2.0 (English labels, descriptions, "
    "skill type and reuse level for 2,334 skills of the digital, green, language, transversal, research "
    "and DigComp collections), converted to SKOS Turtle; at most three alternative labels per language "
    "and skill are kept. Skills absent from ESCO v1.2.0 are marked "
    "owl:deprecated. Not an official ESCO distribution."
)
# ESCO's own model terms and concepts (https://esco.ec.europa.eu/en/about-esco/escopedia).
SKILL_TYPES = {
    "knowledge": "http://data.europa.eu/esco/skill-type/knowledge",
    "skill/competence": "http://data.europa.eu/esco/skill-type/skill",
}
REUSE_LEVEL_NS = "http://data.europa.eu/esco/skill-reuse-level/"

PREFIXES = {
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dct": "http://purl.org/dc/terms/",
    "owl": "http://www.w3.org/2002/07/owl#",
    "esco": "http://data.europa.eu/esco/model#",
    "skill": SKILL_NS,
    "escoscheme": "http://data.europa.eu/esco/concept-scheme/",
}

_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}


@dataclass
class Skill:
    """One ESCO skill, merged from both CSV files."""

    uri: str
    current: bool
    pref: dict[str, str] = field(default_factory=dict)
    alts: dict[str, list[str]] = field(default_factory=dict)
    definition: str = ""
    skill_type: str = ""
    reuse_level: str = ""


def literal(text: str, lang: str) -> str:
    """A Turtle language-tagged string with every character Turtle requires escaped."""
    escaped = "".join(_ESCAPES.get(ch, ch) for ch in text)
    return f'"{escaped}"@{lang}'


def split_labels(value: str, separator: str) -> list[str]:
    """Labels of a multi-valued CSV cell, trimmed, empty ones dropped."""
    return [label.strip() for label in value.split(separator) if label.strip()]


def unique(labels: Iterable[str], exclude: str) -> list[str]:
    """Non-empty labels in first-seen order, without duplicates or the preferred label (SKOS: disjoint)."""
    seen = {exclude}
    kept = []
    for label in labels:
        if label and label not in seen:
            seen.add(label)
            kept.append(label)
    return kept


def read_csv(path: Path) -> list[dict[str, str]]:
    """All rows of a UTF-8 CSV file."""
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def merge_skill(row: dict[str, str], extra: dict[str, str] | None, max_alts: int) -> Skill:
    """One skill from its all-labels row, enriched by its subset row (v1.2.0) when there is one."""
    skill = Skill(uri=row["conceptUri"], current=row["in_v1_2_0"] == "yes")
    old_en = row["preferredLabel_en_v1_1_1"].strip()
    en = (extra["preferredLabel_en"].strip() if extra else "") or old_en
    fr = row["preferredLabel_fr_v1_0"].strip() or (extra["preferredLabel_fr"].strip() if extra else "")
    if en:
        skill.pref["en"] = en
    if fr:
        skill.pref["fr"] = fr
    if max_alts:
        en_alts = [old_en] + split_labels(row["altLabels_en_v1_1_1"], "\n")
        if extra:
            en_alts += split_labels(extra["altLabels_en"], "|")
        skill.alts["en"] = unique(en_alts, en)[:max_alts]
        skill.alts["fr"] = unique(split_labels(row["altLabels_fr_v1_0"], "\n"), fr)[:max_alts]
    if extra:
        skill.definition = " ".join(extra["description_en"].split())
        skill.skill_type = SKILL_TYPES.get(extra["skillType"], "")
        reuse = extra["reuseLevel"].strip()
        skill.reuse_level = REUSE_LEVEL_NS + reuse if reuse else ""
    return skill


def load_skills(esco_dir: Path, max_alts: int) -> list[Skill]:
    """Every skill of the all-labels file, sorted by URI so the output is deterministic."""
    subset = {row["conceptUri"]: row for row in read_csv(esco_dir / SUBSET)}
    rows = read_csv(esco_dir / ALL_LABELS)
    return sorted(
        (merge_skill(row, subset.get(row["conceptUri"]), max_alts) for row in rows),
        key=lambda skill: skill.uri,
    )


def scheme_turtle(count: int) -> Iterator[str]:
    """The concept scheme, with title, source, attribution and modification note."""
    yield f"<{SCHEME}> a skos:ConceptScheme ;"
    yield '    dct:title "ESCO skills"@en , "Compétences ESCO"@fr ;'
    yield "    dct:source <https://esco.ec.europa.eu/en/use-esco/download> ;"
    yield "    dct:publisher <http://publications.europa.eu/resource/authority/corporate-body/EMPL> ;"
    yield f"    dct:rightsHolder {literal('European Union', 'en')} ;"
    yield f"    dct:bibliographicCitation {literal(ATTRIBUTION, 'en')} ;"
    yield f"    skos:note {literal(MODIFIED_NOTE, 'en')} ;"
    yield f"    skos:scopeNote {literal(f'{count} skills.', 'en')} ."


def skill_turtle(skill: Skill) -> Iterator[str]:
    """The Turtle block of one skill concept."""
    yield f"skill:{skill.uri[len(SKILL_NS) :]} a skos:Concept ;\n    skos:inScheme escoscheme:skills"
    if skill.pref:
        prefs = (literal(label, lang) for lang, label in sorted(skill.pref.items()))
        yield " ;\n    skos:prefLabel " + " , ".join(prefs)
    for lang, labels in sorted(skill.alts.items()):
        if labels:
            yield " ;\n    skos:altLabel " + " , ".join(literal(label, lang) for label in labels)
    if skill.definition:
        yield f" ;\n    skos:definition {literal(skill.definition, 'en')}"
    if skill.skill_type:
        yield f" ;\n    esco:skillType <{skill.skill_type}>"
    if skill.reuse_level:
        yield f" ;\n    esco:skillReuseLevel <{skill.reuse_level}>"
    if not skill.current:
        yield " ;\n    owl:deprecated true"
    yield " .\n"


def render(skills: list[Skill]) -> str:
    """The whole vocabulary as Turtle text."""
    header = [
        "# ESCO skills as SKOS, generated by scripts/build_esco_vocabulary.py: do not edit by hand.",
        f"# {ATTRIBUTION}",
        "# Modified (filtered, merged, reformatted) from ESCO CSV extracts; see ontology/SOURCES.md.",
    ]
    lines = header + [f"@prefix {prefix}: <{ns}> ." for prefix, ns in PREFIXES.items()] + [""]
    lines += [*scheme_turtle(len(skills)), ""]
    body = ["".join(skill_turtle(skill)) for skill in skills]
    return "\n".join(lines) + "\n" + "\n".join(body)


def main(argv: list[str] | None = None) -> int:
    """Write the vocabulary file and check that it parses."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--esco-dir", type=Path, default=DEFAULT_ESCO_DIR)
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument(
        "--max-alt-labels",
        type=int,
        default=MAX_ALT_LABELS,
        help="skos:altLabel kept per language and skill (0: none)",
    )
    args = parser.parse_args(argv)
    skills = load_skills(args.esco_dir, args.max_alt_labels)
    text = render(skills)
    triples = sum(1 for _ in pyoxigraph.parse(text.encode("utf-8"), pyoxigraph.RdfFormat.TURTLE))
    args.output.write_text(text, encoding="utf-8")
    size = args.output.stat().st_size
    print(f"{args.output}: {len(skills)} skills, {triples} triples, {size / 1e6:.2f} MB", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
