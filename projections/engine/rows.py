"""How the read models write a row and store a moment."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from projections.engine.view import ViewTx


def insert(tx: ViewTx, base_name: str, row: dict[str, Any]) -> None:
    """Insert one row, given as column -> value, into one of the view's tables."""
    tx.execute(
        f"INSERT INTO {tx.table(base_name)} ({', '.join(row)}) "
        f"VALUES ({', '.join('?' * len(row))})",
        list(row.values()),
    )


def utc_text(moment: datetime) -> str:
    """An aware moment as sortable ISO text in UTC."""
    return moment.astimezone(UTC).isoformat()
