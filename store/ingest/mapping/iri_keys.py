"""Tables that name rows by NQDB IRI instead of key (the researcher tables): IRIs -> keys, before conversion.

With `key_from_iri: true` in a mapping, the key column, the learning-outcome table's qualification column
and every organisation-id column hold IRIs minted by store/core/iris.py; each is replaced by its key when it
is an IRI of the expected kind under the import's base URL. Any other value is left as it is, so the
usual checks report it (a key with ':' and '/' is not a key; an id not in its table is unknown).
"""

from __future__ import annotations

import re

from store.core.iris import parse
from store.ingest.mapping.mapping import TableMapping
from store.ingest.mapping.reader import Row, Table

# Register keys: letters, digits and . _ ~ - (URL-safe as they are), in segments joined by single '/'
# (an English register's `603/0462/4`). store/core/iris.py mints each key percent-encoded as ONE path
# segment (`/id/qualification/603%2F0462%2F4`) and parse() decodes it, so a key comes back from an IRI
# exactly as written (the researcher tables round trip).
_REGISTER_KEY = re.compile(r"^[A-Za-z0-9._~-]+(?:/[A-Za-z0-9._~-]+)*$")
KEY_RULE = ("key may only contain letters, digits, '.', '_', '~', '-' and '/' between them (at most 200 "
            "characters)")


def is_register_key(key: str) -> bool:
    """A key a register row may carry: see KEY_RULE."""
    return len(key) <= 200 and bool(_REGISTER_KEY.match(key))


TABLE_KINDS = {"qualifications": "qualification", "learning_outcomes": "learning-outcome",
               "organisations": "organisation"}


def keys_from_iris(table: Table, name: str, spec: TableMapping, base_url: str) -> Table:
    """A copy of `table` whose IRI columns hold keys instead."""
    columns: dict[str, tuple[str, str | None]] = {}  # column -> (kind, separator)
    if spec.key:
        columns[spec.key] = (TABLE_KINDS[name], None)
    if spec.qualification:
        columns[spec.qualification] = ("qualification", None)
    for field in spec.fields.values():
        if field.spec.kind == "organisation":
            for column in field.columns().values():
                columns[column] = ("organisation", field.separator)
    rows = [Row(row.number, {column: _keys(text, *columns[column], base_url) if column in columns else text
                             for column, text in row.cells.items()})
            for row in table.rows]
    return Table(table.name, table.columns, rows)


def _keys(cell: str, kind: str, separator: str | None, base_url: str) -> str:
    parts = [p.strip() for p in cell.split(separator)] if separator else [cell.strip()]
    keys = []
    for part in parts:
        minted = parse(base_url, part)
        keys.append(minted.key if minted is not None and minted.kind == kind else part)
    return (separator or "").join(keys)
