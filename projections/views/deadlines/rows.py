"""The rows of the deadline board and how handlers write them.

One row per thing someone owes by a date: a milestone, a bimtek deliverable, an OPD's
decision on an opened approval step, or a commitment whose deadline is tracked. ``key``
names it (``milestone:<id>``, ``deliverable:<stage id>/<deliverable id>``,
``approval:<request id>:<round>:<step>:<opd>``, ``commitment:<id>``), the same subject ids
the deadline tracks use, so a track's escalations land on its subject's row.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from projections.engine.days import days_table
from projections.engine.schema import Table
from projections.engine.view import ViewTx

OPEN, CLOSED = "open", "closed"

BOARD = Table(
    "deadline_board",
    "key text, group_key text, request_id text?, kind text, subject_id text, title text, "
    "owner_opd text, due_date text, due_at text?, state text, subject_status text, "
    "opened_at text?, decided_at text?, closed_at text?, escalation_level int=0, "
    "escalated_at text?, escalated_to text?, overdue_recorded_at text?, reminders int=0",
    key="key",
    # Pages of the board are read in (due date, key) order, for all OPDs or some.
    indexes=(
        "state, due_date, key",
        "owner_opd, state, due_date, key",
        "escalation_level, escalated_at",
        "group_key",
        "request_id",
    ),
)
REQUESTS = Table(
    "deadline_requests",
    "request_id text, subject_kind text, subject_id text, title text, round int, route text, "
    "assigned text",
    key="request_id",
)
TRACKS = Table("deadline_tracks", "track_id text, key text", key="track_id")
#: Working days from today to each open due day, kept by the projector's day refresher.
DAYS = days_table("deadline_days")


def iso(moment: Any) -> str | None:
    """An aware moment as ISO text, None for anything else."""
    return moment.isoformat() if isinstance(moment, datetime) else None


def insert(tx: ViewTx, key: str, *, replace: bool = False, **values: Any) -> None:
    """Add the row ``key`` (a new row starts open, with its own key as group); an existing
    row is updated with ``values`` when ``replace``, else left as it is."""
    row = {"group_key": key, "state": OPEN, **values, "key": key}
    columns = ", ".join(row)
    update = ", ".join(f"{c} = excluded.{c}" for c in values) if replace else ""
    tx.execute(
        f"INSERT INTO {tx.table(BOARD)} ({columns}) "
        f"VALUES ({', '.join('?' * len(row))}) ON CONFLICT (key) DO "
        + (f"UPDATE SET {update}" if update else "NOTHING"),
        list(row.values()),
    )


def update(tx: ViewTx, where: str, params: list[Any], **values: Any) -> None:
    """Set ``values`` on the rows matching ``where``; a value may be raw SQL via ``Sql``."""
    parts: list[str] = []
    args: list[Any] = []
    for column, value in values.items():
        if isinstance(value, Sql):
            parts.append(f"{column} = {value.text}")
            args.extend(value.params)
        else:
            parts.append(f"{column} = ?")
            args.append(value)
    tx.execute(
        f"UPDATE {tx.table(BOARD)} SET {', '.join(parts)} WHERE {where}",
        [*args, *params],
    )


class Sql:
    """A value computed by the database from the row, e.g. ``COALESCE(closed_at, ?)``."""

    def __init__(self, text: str, *params: Any) -> None:
        self.text = text
        self.params = params


def close(moment: Any, status: str) -> dict[str, Any]:
    """The values that close a row at ``moment`` (a first closing time is kept)."""
    return {
        "state": CLOSED,
        "subject_status": status,
        "closed_at": Sql("COALESCE(closed_at, ?)", iso(moment)),
    }


def escalation(level: int, escalated_to: str, moment: Any) -> dict[str, Any]:
    """The values that record an escalation, keeping the highest level reached."""
    higher = "CASE WHEN escalation_level < ? THEN {} ELSE {} END"
    return {
        "escalated_at": Sql(higher.format("?", "escalated_at"), level, iso(moment)),
        "escalated_to": Sql(higher.format("?", "escalated_to"), level, escalated_to),
        "escalation_level": Sql(higher.format("?", "escalation_level"), level, level),
    }
