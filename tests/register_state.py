"""What "a refused change changes nothing" is checked against in the register: every row of every table."""

from __future__ import annotations

import sqlite3


def rows(connection: sqlite3.Connection) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table of the register database, in a stable order."""
    tables = [r[0] for r in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
    return {table: sorted((tuple(row) for row in connection.execute(f'SELECT * FROM "{table}"')), key=repr)
            for table in tables}
