"""Each delivery of a message as one row: recipient, channel, state, attempts, last error."""

from __future__ import annotations

from projections.engine.aggregates import Delivery
from projections.engine.rows import insert, utc_text
from projections.engine.schema import Table
from projections.engine.topics import by_topic
from projections.engine.view import Recorded, View, ViewTx

DELIVERY = "jejak.notifications:Delivery"
DELIVERIES = Table(
    "notifications",
    "delivery_id text, position int, kind text, recipient text, recipient_name text, "
    "channel text, address text, mode text, state text, attempts int, last_error text, "
    "subject text, link text, planned_at text, updated_at text, read_at text?",
    key="delivery_id",
    indexes=("position, delivery_id", "recipient, position", "state, position"),
)


def _planned(tx: ViewTx, recorded: Recorded) -> None:
    e = recorded.event
    at = utc_text(e.timestamp)
    state = "queued" if e.mode == "digest" else "pending"
    values = (
        str(e.originator_id), e.position, e.kind, e.recipient, e.recipient_name, e.channel,
        e.address, e.mode, state, 0, "", e.subject, e.link, at, at, None,
    )  # fmt: skip
    insert(
        tx, "notifications", dict(zip(DELIVERIES.names, values, strict=True)), unless="delivery_id"
    )


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
        f"UPDATE {tx.table(DELIVERIES)} SET {', '.join(sets)} WHERE delivery_id = ?",
        (*params, str(e.originator_id)),
    )


def _read(tx: ViewTx, recorded: Recorded) -> None:
    e = recorded.event
    tx.execute(
        f"UPDATE {tx.table(DELIVERIES)} SET read_at = ? WHERE delivery_id = ?",
        (utc_text(e.effective_at), str(e.originator_id)),
    )


class NotificationsView(View, name="notifications", version=2, tables=(DELIVERIES,)):
    """Deliveries of reminders, overdue notes, escalations and digests, their outcomes, and
    whether the recipient read them (in the console)."""

    handlers = by_topic(
        {
            Delivery.Created: _planned,
            Delivery.AttemptFailed: lambda tx, r: _update(tx, r, None, r.event.error),
            Delivery.Sent: lambda tx, r: _update(tx, r, "sent", None),
            Delivery.DeadLettered: lambda tx, r: _update(tx, r, "dead-letter", r.event.reason),
            Delivery.Read: _read,
        }
    )
