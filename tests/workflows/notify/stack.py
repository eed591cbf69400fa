"""The delivery stack over the test app's store: projector, worker, sender, real receivers."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from temporalio.client import Client
from temporalio.worker import Worker

from domain.deadlines.application import DeadlinesApplication
from domain.notifications import NotificationsApplication, PlanOptions
from domain.organisation.application import OrganisationApplication
from infra.store import EventStore
from jejak.sender import outbox_source
from projections.engine.runner import ProjectionRunner
from projections.views.notifications.view import NotificationsView
from projections.views.outbox.view import OutboxView
from tests.support.app import HEAD_NIP, OWN_OPD, SECRETARIAT
from tests.workflows.histories import keep_history
from workflows.notify.activities import DeliveryActivities
from workflows.notify.channels import ChannelConfig, Channels
from workflows.notify.inputs import DigestLoop
from workflows.notify.sender import OutboxSender
from workflows.notify.wiring import notification_workflows
from workflows.notify.workflow import notification_workflow_id

SEKDA_NIP, INSPEKTUR_NIP = "196905171993011006", "197207231998071004"
HEAD_EMAIL, SEKDA_EMAIL = "kadis@diskominfo.siantar.go.id", "sekda@siantar.go.id"
DUE = date(2024, 6, 28)


def seed_offices(store: EventStore) -> None:
    """The Setda (the Sekda heads it) and the Inspektorat, beside the test app's OPDs."""
    organisation = store.app(OrganisationApplication)
    for code, name, kind, title, nip in (
        ("SETDA", "Sekretariat Daerah", "sekretariat", "Sekretaris", SEKDA_NIP),
        ("INSPEKTORAT", "Inspektorat", "inspektorat", "Inspektur", INSPEKTUR_NIP),
    ):
        organisation.register_opd(code, name, kind, title, by=SECRETARIAT)
        organisation.register_person(nip, f"Kepala {code}", by=SECRETARIAT)
        organisation.appoint_head(code, nip, date(2020, 1, 2), f"SK/{code}/1", by=SECRETARIAT)


def register(store: EventStore, webhook_url: str, secret_env: str) -> None:
    """Diskominfo's head: email and webhook; the Sekda: email; the Inspektorat: webhook."""
    contacts = store.app(NotificationsApplication)
    ref = f"env:{secret_env}"
    contacts.register_contact("person", HEAD_NIP, email=HEAD_EMAIL, webhook_url=webhook_url,
                              secret_ref=ref, by=SECRETARIAT)  # fmt: skip
    contacts.register_contact("person", SEKDA_NIP, email=SEKDA_EMAIL, by=SECRETARIAT)
    contacts.register_contact("opd", "INSPEKTORAT", webhook_url=webhook_url, secret_ref=ref,
                              language="en", by=SECRETARIAT)  # fmt: skip


def raise_alerts(store: EventStore) -> None:
    """A reminder and an overdue note for Diskominfo, then both escalations."""
    deadlines = store.app(DeadlinesApplication)
    track_id, _ = deadlines.track("milestone", "m-1", OWN_OPD, "Portal data terbit", DUE)
    deadlines.send_reminder(track_id, "H-1", DUE)
    deadlines.record_overdue(track_id, DUE)
    deadlines.escalate(track_id, 1, DUE)
    deadlines.escalate(track_id, 2, DUE)


def project(store: EventStore) -> None:
    """Bring the outbox and the notifications view up to the end of the log."""
    runner = ProjectionRunner(store, [OutboxView(), NotificationsView()])
    try:
        runner.prepare()
        runner.catch_up()
    finally:
        runner.viewstore.close()


@dataclass
class Stack:
    """A Temporal client, a task queue, the store and the channels' configuration."""

    client: Client
    store: EventStore
    smtp_port: int
    task_queue: str = ""
    attempts: int = 3
    sink: Path | None = None
    #: The sender's limit on a message's age (an hour: every alert of a test is younger).
    max_age: float = 3600.0

    def __post_init__(self) -> None:
        self.task_queue = self.task_queue or f"notify-{uuid.uuid4().hex[:8]}"

    @asynccontextmanager
    async def worker(self) -> AsyncIterator[Worker]:
        """A worker with the real delivery activities (graceful shutdown: none)."""
        config = ChannelConfig(
            smtp_host="127.0.0.1", smtp_port=self.smtp_port, timeout=5.0, sink_path=self.sink
        )
        channels = Channels(config)
        options = PlanOptions(sink=self.sink is not None)
        activities = DeliveryActivities(self.store, channels, options).all()
        with ThreadPoolExecutor(8) as executor:
            worker = Worker(self.client, task_queue=self.task_queue,
                            workflows=notification_workflows(), activities=activities,
                            activity_executor=executor)  # fmt: skip
            async with worker:
                yield worker
        await channels.close()

    async def send(self) -> list[int]:
        """Hand the outbox to Temporal (as the sender process does); the positions handed."""
        project(self.store)
        from projections.engine.viewstore import ViewStore

        views = ViewStore(self.store)
        try:
            source = outbox_source(views)
            tracking = self.store.tracking_recorder()
            retry = DigestLoop(self.attempts, 0.2)
            sender = OutboxSender(
                source,
                self.client,
                self.task_queue,
                tracking,
                retry,
                id_prefix=self.task_queue,
                max_age_seconds=self.max_age,
            )
            before = sender.position()
            await sender.catch_up()
            return [row.position for row in source(before, 1000)]
        finally:
            views.close()

    async def finished(self, positions: Sequence[int], keep: str = "") -> list[list[str]]:
        """Wait for the delivery workflows of ``positions``; their outcomes.

        ``keep`` names the history of the first one, replayed (and recorded when asked).
        """
        ids = [notification_workflow_id(p, self.task_queue) for p in positions]
        handles = [self.client.get_workflow_handle(i) for i in ids]
        results = await asyncio.wait_for(asyncio.gather(*(h.result() for h in handles)), 60)
        if keep:
            await keep_history(handles[0], "notification", keep)
        project(self.store)
        return list(results)
