"""What the notifications read model answers: deliveries by state, channel and recipient."""

from __future__ import annotations

from dataclasses import dataclass

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


def counts(views: ViewStore) -> list[tuple[str, str, int, int]]:
    """(state, channel, deliveries, attempts) for the metrics."""
    table = views.table(NotificationsView.name, "notifications")
    rows = views.query(
        f"SELECT state, channel, COUNT(*), SUM(attempts) FROM {table} GROUP BY state, channel"
    )
    return [(str(s), str(c), int(n), int(a or 0)) for s, c, n, a in rows]
