"""Media types live in store/core/formats.py and IRI namespaces in store/core/namespaces.py, nowhere else.

The scan reads the string literals of every .py file under store/, portal/ and nqdb/ (docstrings and
comments are prose, not tables) and the quoted strings of static/*.js. SPARQL files under queries/
declare their own PREFIXes: they are data, not scanned.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

from store.core import namespaces

ROOT = Path(__file__).resolve().parents[1]
SCANNED = ("store", "portal", "nqdb")
HOMES = ("store/core/formats.py", "store/core/namespaces.py")
# A top-level type not inside a path (".../snb/model/context" is no media type).
MEDIA_TYPE = re.compile(r"(?<![\w/.-])(?:application|text|image|audio|video|multipart|font|model)"
                        r"/[a-z0-9][a-z0-9.+-]*(?!/)", re.IGNORECASE)
IRI = re.compile(r"https?://[^\s\"'<>{}`\\]+(?<![.,;:)])")
# Hosts of vocabularies, authority tables and the specifications they come with.
VOCABULARY_HOSTS = ("www.w3.org", "purl.org", "data.europa.eu", "publications.europa.eu", "xmlns.com",
                    "schema.org", "rdfs.org", "spdx.org", "www.iana.org", "www.sitemaps.org")
_JS_STRING = re.compile(r"""(["'`])((?:\\.|(?!\1).)*)\1""")

# (file, literal) -> why it stays there. Every entry must still match, so the list cannot go stale.
ALLOWED: dict[tuple[str, str], str] = {
    ("static/sparql.js", "application/x-www-form-urlencoded"): "browser script: cannot import formats.py",
    ("static/sparql.js", "application/sparql-results+json"): "browser script: cannot import formats.py",
    ("static/sparql.js", "text/turtle"): "browser script: cannot import formats.py",
    **{("store/validation/" + name, literal): "store/validation rewrite in progress" for name, literal in (
        ("report.py", "http://data.europa.eu/snb/model/elm/"),
        ("messages.py", "http://data.europa.eu/snb/model/ap/loq-constraints-mdr/"),
        ("messages.py", "http://data.europa.eu/esco/concept-scheme/skills"),
        ("messages.py", "http://data.europa.eu/esco/occupation"),
        ("messages.py", "http://data.europa.eu/esco/concept-scheme/occupations"),
        ("elm_content.py", "http://data.europa.eu/snb/model/"),
        ("elm_content.py", "http://data.europa.eu/europass/model/credentials#"),
        ("elm_content.py", "http://schema.org/"),
        ("elm_content.py", "https://schema.org/"),
    )},
}


def _known_namespaces() -> tuple[str, ...]:
    values = [v for k, v in vars(namespaces).items() if k.isupper() and isinstance(v, str)]
    values += list(namespaces.ELM_NAMESPACES.values())
    return tuple(v for v in values if v.startswith(("http://", "https://")))


KNOWN = _known_namespaces()


def is_stray_iri(iri: str) -> bool:
    """A vocabulary IRI: under a namespace of namespaces.py or on a vocabulary host."""
    host = iri.split("/")[2].lower()
    return host in VOCABULARY_HOSTS or iri.startswith(KNOWN)


def stray_literals(text: str) -> Iterator[str]:
    """The media types and vocabulary IRIs written in one string literal."""
    matches = [*MEDIA_TYPE.finditer(text), *(m for m in IRI.finditer(text) if is_stray_iri(m.group(0)))]
    yield from (m.group(0) for m in sorted(matches, key=lambda m: m.start()))


def _docstrings(tree: ast.Module) -> set[int]:
    nodes: list[ast.AST] = [tree, *ast.walk(tree)]
    found = set()
    for node in nodes:
        body = getattr(node, "body", None)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and body \
                and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
            found.add(id(body[0].value))
    return found


def python_strings(source: str) -> Iterator[tuple[int, str]]:
    """(line, text) of every str and bytes literal, f-string parts included, docstrings left out."""
    tree = ast.parse(source)
    docstrings = _docstrings(tree)
    constants = sorted((n for n in ast.walk(tree) if isinstance(n, ast.Constant) and id(n) not in docstrings),
                       key=lambda n: (n.lineno, n.col_offset))
    for node in constants:
        if isinstance(node.value, str):
            yield node.lineno, node.value
        elif isinstance(node.value, bytes):
            yield node.lineno, node.value.decode("utf-8", "replace")


def js_strings(source: str) -> Iterator[tuple[int, str]]:
    """(line, text) of every quoted string of a script (comments are not told apart: keep IRIs out)."""
    for match in _JS_STRING.finditer(source):
        yield source.count("\n", 0, match.start()) + 1, match.group(2)


def strays_in(path: Path, source: str) -> list[tuple[str, int, str]]:
    """(file, line, literal) of each media type or namespace literal in one file."""
    name = path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else path.name
    strings = js_strings(source) if path.suffix == ".js" else python_strings(source)
    return [(name, line, literal) for line, text in strings for literal in stray_literals(text)]


def scanned_files() -> list[Path]:
    """Every source file the rule covers, its two homes left out."""
    files = [p for top in SCANNED for p in sorted((ROOT / top).rglob("*.py"))]
    files += sorted((ROOT / "static").glob("*.js"))
    return [p for p in files if p.relative_to(ROOT).as_posix() not in HOMES]


def test_media_types_and_namespaces_live_in_one_place() -> None:
    found = [s for path in scanned_files() for s in strays_in(path, path.read_text(encoding="utf-8"))]
    strays = [f"{name}:{line}: {literal!r}" for name, line, literal in found if (name, literal) not in ALLOWED]
    assert not strays, ("Media types belong in store/core/formats.py, namespaces in store/core/namespaces.py; "
                        "import them:\n" + "\n".join(strays))
    stale = set(ALLOWED) - {(name, literal) for name, _, literal in found}
    assert not stale, f"Allow-list entries that match nothing any more, delete them: {sorted(stale)}"


def test_the_scan_catches_a_planted_literal(tmp_path: Path) -> None:
    planted = tmp_path / "planted.py"
    source = ('"""A docstring may say application/ld+json and http://www.w3.org/ns/dcat#."""\n'
              'DCAT = "http://www.w3.org/ns/dcat#"\n'
              'TYPES = {"ttl": "text/turtle; charset=utf-8"}\n'
              'TAIL = f"<{DCAT}> <http://purl.org/dc/terms/title>"\n'
              'XMLNS = b\'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>\'\n'
              'ELM_TERM = "' + namespaces.ELM + 'Qualification"\n'
              'FINE = ("https://example.org/", "context/edc-ap", "Mon texte/sa forme")\n')
    assert strays_in(planted, source) == [
        ("planted.py", 2, "http://www.w3.org/ns/dcat#"),
        ("planted.py", 3, "text/turtle"),
        ("planted.py", 4, "http://purl.org/dc/terms/title"),
        ("planted.py", 5, "http://www.w3.org/1999/02/22-rdf-syntax-ns#"),
        ("planted.py", 6, namespaces.ELM + "Qualification"),
    ]


def test_the_scan_reads_scripts(tmp_path: Path) -> None:
    script = tmp_path / "page.js"
    found = strays_in(script, 'fetch(url, {headers: {Accept: "application/sparql-results+json"}});\n'
                              "const home = 'https://example.org/';\n")
    assert found == [("page.js", 1, "application/sparql-results+json")]
