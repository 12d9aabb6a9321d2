"""Named SPARQL queries: queries/<name>.rq, loaded once and cached."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from store.core.paths import QUERIES

_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_KIND = re.compile(r"\?([A-Za-z_]\w*)\s*\((IRI|literal)", re.IGNORECASE)


class UnknownQuery(LookupError):
    """No queries/<name>.rq file."""


@dataclass(frozen=True)
class NamedQuery:
    """A .rq file with the documentation its header comments carry."""

    name: str
    text: str
    title: str
    description: str
    parameters: tuple[str, ...]  # from a '# Binds: ?a (IRI), ?b (literal)' header line
    kinds: tuple[str, ...]  # each parameter's kind, "IRI" or "literal" (IRI when the header does not say)

    def parameter_kinds(self) -> dict[str, str]:
        """Each parameter's kind, 'IRI' or 'literal', in header order."""
        return dict(zip(self.parameters, self.kinds, strict=True))


def names() -> list[str]:
    """Every named query, sorted."""
    return sorted(p.stem for p in QUERIES.glob("*.rq"))


@cache
def load(name: str) -> str:
    """The SPARQL text of queries/<name>.rq."""
    return describe(name).text


@cache
def describe(name: str) -> NamedQuery:
    """A named query with its title, description and parameters, read from its header comments."""
    path = QUERIES / f"{name}.rq"
    if not _NAME.match(name) or not path.is_file():
        raise UnknownQuery(f"No named query {name!r}.")
    text = path.read_text(encoding="utf-8")
    header = [line[1:].strip() for line in text.splitlines() if line.startswith("#")]
    # Header convention: "# name.rq — Title." then description lines, "Binds:" and "Returns:" lines.
    first = header[0] if header else name
    title = first.partition(" — ")[2].strip().rstrip(".") or name.replace("_", " ")
    binds = next((h for h in header if h.lower().startswith("binds:")), "").split("Returns:")[0]
    parameters = tuple(dict.fromkeys(re.findall(r"\?([A-Za-z_][A-Za-z0-9_]*)", binds)))
    written = {name: kind.upper() for name, kind in _KIND.findall(binds)}
    kinds = tuple("literal" if written.get(p) == "LITERAL" else "IRI" for p in parameters)
    description = " ".join(h for h in header[1:] if h and not h.lower().startswith(("binds:", "returns:")))
    return NamedQuery(name, text, title, description, parameters, kinds)
