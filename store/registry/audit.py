"""The audit log: every action on the register (actor, time, action, record, version, reason), append-only.

Written in the same SQLite transaction as the change it records, so the log and the state never disagree.
Admins browse and export it; record events are also kept as PROV-O in the private Oxigraph database.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from store.registry.database import now


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: str
    actor: str
    action: str
    record: str | None
    version: int | None
    reason: str | None
    detail: str | None

    def to_json(self) -> dict[str, object]:
        return {"id": self.id, "at": self.at, "actor": self.actor, "action": self.action, "record": self.record,
                "version": self.version, "reason": self.reason, "detail": self.detail}


def append(connection: sqlite3.Connection, actor: str, action: str, *, record: str | None = None,
           version: int | None = None, reason: str | None = None, detail: str | None = None) -> int:
    """Add one entry (inside the caller's transaction); returns its id."""
    cursor = connection.execute(
        "INSERT INTO audit (at, actor, action, record, version, reason, detail) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (now(), actor, action, record, version, reason, detail))
    return int(cursor.lastrowid or 0)


def entries(connection: sqlite3.Connection, *, record: str | None = None, actor: str | None = None,
            action: str | None = None, before: int | None = None, limit: int = 100) -> list[AuditEntry]:
    """The newest entries first, filtered; `before` (an entry id) pages back through older ones."""
    clauses, values = [], []
    for column, value in (("record", record), ("actor", actor), ("action", action)):
        if value is not None:
            clauses.append(f"{column} = ?")
            values.append(value)
    if before is not None:
        clauses.append("id < ?")
        values.append(str(before))
    where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
    rows = connection.execute(f"SELECT * FROM audit {where} ORDER BY id DESC LIMIT ?", (*values, limit))
    return [AuditEntry(r["id"], r["at"], r["actor"], r["action"], r["record"], r["version"], r["reason"],
                       r["detail"]) for r in rows]
