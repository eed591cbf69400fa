"""How the read models write a row and store a moment."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from projections.engine.schema import Table
from projections.engine.view import ViewTx


def insert(tx: ViewTx, base_name: str | Table, row: Mapping[str, Any], *, unless: str = "") -> None:
    """Insert one row, given as column -> value, into one of the view's tables.

    With ``unless`` (the table's key columns, e.g. ``"program_id"``), a row with the same key
    already there is left as it is: a replayed event writes nothing twice.
    """
    tx.execute(
        f"INSERT INTO {tx.table(base_name)} ({', '.join(row)}) "
        f"VALUES ({', '.join('?' * len(row))})"
        + (f" ON CONFLICT ({unless}) DO NOTHING" if unless else ""),
        list(row.values()),
    )


def update(tx: ViewTx, base_name: str | Table, where: Mapping[str, Any], **values: Any) -> None:
    """Set ``values`` (column -> value) on the rows whose columns equal ``where``."""
    assignments = ", ".join(f"{column} = ?" for column in values)
    condition = " AND ".join(f"{column} = ?" for column in where)
    tx.execute(
        f"UPDATE {tx.table(base_name)} SET {assignments} WHERE {condition}",
        [*values.values(), *where.values()],
    )


def utc_text(moment: datetime) -> str:
    """An aware moment as sortable ISO text in UTC."""
    return moment.astimezone(UTC).isoformat()
