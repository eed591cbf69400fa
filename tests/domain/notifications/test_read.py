"""Marking a message read: every channel's delivery of it to one person, once."""

from __future__ import annotations

import pytest

from domain.notifications import NotificationsApplication
from domain.notifications.delivery import Delivery
from domain.shared import SYSTEM, Actor, NotFoundError
from infra.store import EventStore

HEAD = "196602201991042009"


def planned(app: NotificationsApplication, position: int, channel: str) -> Delivery:
    """A reminder of outbox ``position`` to the head, by ``channel``."""
    return app.plan(
        Delivery(
            position=position, kind="reminder", recipient=HEAD, recipient_name="Kepala",
            channel=channel, address="", secret_ref="", mode="immediate", language="id",
            subject="Pengingat", body="", link="", **SYSTEM.attribution(),
        )
    )  # fmt: skip


def test_marking_read_marks_every_channel_once_and_only_that_message(store: EventStore) -> None:
    app = store.app(NotificationsApplication)
    email, sink, other = planned(app, 5, "email"), planned(app, 5, "sink"), planned(app, 6, "sink")
    app.mark_read(5, HEAD, Actor(HEAD))
    versions = [app.delivery(d.id).version for d in (email, sink)]
    assert all(app.delivery(d.id).read_at is not None for d in (email, sink))
    assert app.delivery(other.id).read_at is None
    app.mark_read(5, HEAD, Actor(HEAD))
    assert [app.delivery(d.id).version for d in (email, sink)] == versions, "no second event"


def test_a_message_never_sent_to_the_person_is_not_found(store: EventStore) -> None:
    app = store.app(NotificationsApplication)
    planned(app, 5, "sink")
    with pytest.raises(NotFoundError):
        app.mark_read(5, "someone.else", Actor("someone.else"))
