"""What the notifications read model answers: deliveries by state, channel and recipient."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from domain.calendar import local_day
from projections.engine.viewstore import ViewStore
from projections.views.notifications.view import DELIVERIES, NotificationsView


@dataclass(frozen=True)
class DeliveryRow:
    """One delivery of a message to one recipient by one channel."""

    delivery_id: str
    position: int
    kind: str
    recipient: str
    recipient_name: str
    channel: str
    address: str
    mode: str
    state: str
    attempts: int
    last_error: str
    subject: str
    link: str
    planned_at: str
    updated_at: str
    read_at: str | None = None

    @property
    def cursor(self) -> str:
        """The key after which the next page starts."""
        return f"{self.position}|{self.delivery_id}"


def deliveries(
    views: ViewStore,
    *,
    state: str | None = None,
    channel: str | None = None,
    recipient: str | None = None,
    after: tuple[int, str] | None = None,
    limit: int = 50,
) -> list[DeliveryRow]:
    """Deliveries, newest message first, filtered; ``after`` is the last row's key."""
    table = views.table(NotificationsView.name, "notifications")
    where: list[str] = ["1 = 1"]
    params: list[object] = []
    for column, value in (("state", state), ("channel", channel), ("recipient", recipient)):
        if value is not None:
            where.append(f"{column} = ?")
            params.append(value)
    if after is not None:
        where.append("(position < ? OR (position = ? AND delivery_id < ?))")
        params += [after[0], after[0], after[1]]
    rows = views.query(
        f"SELECT {DELIVERIES.column_list} FROM {table} WHERE {' AND '.join(where)} "
        "ORDER BY position DESC, delivery_id DESC LIMIT ?",
        (*params, limit),
    )
    return [DeliveryRow(*row) for row in rows]


@dataclass(frozen=True)
class Message:
    """One message to one person, whatever the channels it went by; read once all are."""

    position: int
    kind: str
    subject: str
    link: str
    planned_at: str
    read_at: str | None

    @property
    def planned_on(self) -> date:
        """The city's day (WIB) the message was planned."""
        return local_day(datetime.fromisoformat(self.planned_at))

    @property
    def read(self) -> bool:
        """Whether the person marked it read."""
        return self.read_at is not None


def messages_for(
    views: ViewStore, recipient: str, *, unread_only: bool = False, limit: int = 50
) -> list[Message]:
    """The messages to ``recipient``, newest first (one row per message, not per channel)."""
    table = views.table(NotificationsView.name, "notifications")
    unread = "SUM(CASE WHEN read_at IS NULL THEN 1 ELSE 0 END)"
    having = f"HAVING {unread} > 0 " if unread_only else ""
    rows = views.query(
        f"SELECT position, MIN(kind), MIN(subject), MIN(link), MIN(planned_at), "
        f"CASE WHEN {unread} = 0 THEN MAX(read_at) END FROM {table} WHERE recipient = ? "
        f"GROUP BY position {having}ORDER BY position DESC LIMIT ?",
        (recipient, limit),
    )
    return [Message(int(p), str(k), str(s), str(li), str(at), r) for p, k, s, li, at, r in rows]


def unread_count(views: ViewStore, recipient: str) -> int:
    """How many messages to ``recipient`` are not read yet."""
    table = views.table(NotificationsView.name, "notifications")
    rows = views.query(
        f"SELECT COUNT(DISTINCT position) FROM {table} WHERE recipient = ? AND read_at IS NULL",
        (recipient,),
    )
    return int(rows[0][0]) if rows else 0


def counts(views: ViewStore) -> list[tuple[str, str, int, int]]:
    """(state, channel, deliveries, attempts) for the metrics."""
    table = views.table(NotificationsView.name, "notifications")
    rows = views.query(
        f"SELECT state, channel, COUNT(*), SUM(attempts) FROM {table} GROUP BY state, channel"
    )
    return [(str(s), str(c), int(n), int(a or 0)) for s, c, n, a in rows]
