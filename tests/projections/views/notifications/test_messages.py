"""A person's messages in the notifications view: one per message, read once marked."""

from __future__ import annotations

from domain.notifications import NotificationsApplication
from domain.notifications.delivery import Delivery
from domain.shared import SYSTEM, Actor
from infra.store import EventStore
from projections.engine.runner import ProjectionRunner
from projections.views.notifications.queries import deliveries, messages_for, unread_count
from projections.views.notifications.view import NotificationsView

#: The view the ``runner`` fixture runs.
VIEWS = [NotificationsView()]
HEAD, OTHER = "196602201991042009", "197207231998071004"


def planned(app: NotificationsApplication, position: int, recipient: str, channel: str) -> None:
    """A reminder of outbox ``position`` to ``recipient`` by ``channel``."""
    app.plan(
        Delivery(
            position=position, kind="reminder", recipient=recipient, recipient_name="Kepala",
            channel=channel, address="", secret_ref="", mode="immediate", language="id",
            subject=f"Pesan {position}", body="", link="", **SYSTEM.attribution(),
        )
    )  # fmt: skip


def test_a_persons_messages_are_one_row_each_newest_first_and_read_once_marked(
    durable_store: EventStore, runner: ProjectionRunner
) -> None:
    app = durable_store.app(NotificationsApplication)
    for position, recipient, channel in (
        (3, HEAD, "email"), (3, HEAD, "sink"), (4, HEAD, "sink"), (4, OTHER, "sink"),
    ):  # fmt: skip
        planned(app, position, recipient, channel)
    runner.catch_up()
    views = runner.viewstore
    assert [(m.position, m.read) for m in messages_for(views, HEAD)] == [(4, False), (3, False)]
    assert unread_count(views, HEAD) == 2
    app.mark_read(3, HEAD, Actor(HEAD))
    runner.catch_up()
    assert [(m.position, m.read) for m in messages_for(views, HEAD)] == [(4, False), (3, True)]
    assert [m.position for m in messages_for(views, HEAD, unread_only=True)] == [4]
    assert (unread_count(views, HEAD), unread_count(views, OTHER)) == (1, 1)
    read = {
        (d.position, d.channel): d.read_at is not None for d in deliveries(views, recipient=HEAD)
    }
    assert read == {(4, "sink"): False, (3, "email"): True, (3, "sink"): True}
