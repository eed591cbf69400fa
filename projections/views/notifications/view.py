"""Each delivery of a message as one row: recipient, channel, state, attempts, last error."""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from projections.engine.aggregates import Delivery
from projections.engine.rows import insert, utc_text
from projections.engine.topics import by_topic
from projections.engine.view import Handler, Recorded, View, ViewTx

DELIVERY = "jejak.notifications:Delivery"
COLUMNS = (
    "delivery_id",
    "position",
    "kind",
    "recipient",
    "recipient_name",
    "channel",
    "address",
    "mode",
    "state",
    "attempts",
    "last_error",
    "subject",
    "link",
    "planned_at",
    "updated_at",
)


def _planned(tx: ViewTx, recorded: Recorded) -> None:
    e = recorded.event
    at = utc_text(e.timestamp)
    state = "queued" if e.mode == "digest" else "pending"
    values = (
        str(e.originator_id), e.position, e.kind, e.recipient, e.recipient_name, e.channel,
        e.address, e.mode, state, 0, "", e.subject, e.link, at, at,
    )  # fmt: skip
    insert(tx, "notifications", dict(zip(COLUMNS, values, strict=True)), unless="delivery_id")


def _update(tx: ViewTx, recorded: Recorded, state: str | None, error: str | None) -> None:
    e = recorded.event
    attempt = int(getattr(e, "attempt", 0))
    sets = ["attempts = CASE WHEN attempts > ? THEN attempts ELSE ? END", "updated_at = ?"]
    params: list[object] = [attempt, attempt, utc_text(e.timestamp)]
    if state is not None:
        sets.append("state = ?")
        params.append(state)
    if error is not None:
        sets.append("last_error = ?")
        params.append(error)
    tx.execute(
        f"UPDATE {tx.table('notifications')} SET {', '.join(sets)} WHERE delivery_id = ?",
        (*params, str(e.originator_id)),
    )


class NotificationsView(View):
    """Deliveries of reminders, overdue notes, escalations and digests, and their outcomes."""

    name: ClassVar[str] = "notifications"
    version: ClassVar[int] = 1
    tables: ClassVar[dict[str, str]] = {
        "notifications": (
            "delivery_id {text} PRIMARY KEY, position {int} NOT NULL, kind {text} NOT NULL, "
            "recipient {text} NOT NULL, recipient_name {text} NOT NULL, "
            "channel {text} NOT NULL, address {text} NOT NULL, mode {text} NOT NULL, "
            "state {text} NOT NULL, attempts {int} NOT NULL, last_error {text} NOT NULL, "
            "subject {text} NOT NULL, link {text} NOT NULL, planned_at {text} NOT NULL, "
            "updated_at {text} NOT NULL"
        ),
    }
    indexes: ClassVar[dict[str, list[str]]] = {
        "notifications": ["position, delivery_id", "recipient, position", "state, position"],
    }
    handlers: ClassVar[Mapping[str, Handler]] = by_topic(
        {
            Delivery.Created: _planned,
            Delivery.AttemptFailed: lambda tx, r: _update(tx, r, None, r.event.error),
            Delivery.Sent: lambda tx, r: _update(tx, r, "sent", None),
            Delivery.DeadLettered: lambda tx, r: _update(tx, r, "dead-letter", r.event.reason),
        }
    )
