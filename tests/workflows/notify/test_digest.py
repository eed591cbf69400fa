"""The daily digest: one email per person at 07:30 WIB, on working days only."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from temporalio.api.enums.v1 import EventType
from temporalio.client import WorkflowHandle
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from domain.calendar import JAKARTA, WorkingCalendar
from domain.notifications import NotificationsApplication, PlanOptions, next_digest_at
from domain.organisation import OrganisationApplication
from domain.shared import Actor
from infra.store import EventStore
from tests.support.polling import eventually
from tests.workflows.histories import keep_history
from tests.workflows.notify.receivers import Mailbox, smtp_server
from workflows.notify.activities import DeliveryActivities
from workflows.notify.channels import ChannelConfig, Channels
from workflows.notify.inputs import DigestLoop, MessageInput
from workflows.notify.wiring import notification_workflows
from workflows.notify.workflow import DigestWorkflow, NotificationWorkflow

STAFF = Actor("196601011990011001")
HEAD = "197306121998042002"
HEAD_EMAIL, SECRETARIAT_EMAIL = "kadinkes@siantar.go.id", "kotacerdas@siantar.go.id"


def wib(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=JAKARTA)


@pytest.mark.parametrize(
    ("now", "digest"),
    [
        ("2023-10-20T07:29:59", "2023-10-20T07:30"),  # Friday, before the digest: today
        ("2023-10-20T07:30", "2023-10-23T07:30"),  # Friday, after it: Monday
        ("2024-06-14T08:00", "2024-06-19T07:30"),  # over Idul Adha and its cuti bersama
    ],
)
def test_the_digest_goes_out_at_half_past_seven_on_working_days_only(now: str, digest: str) -> None:
    assert next_digest_at(wib(now), WorkingCalendar()) == wib(digest)


@pytest.fixture
def store() -> Iterator[EventStore]:
    found = EventStore("memory://")
    organisation = found.app(OrganisationApplication)
    for code, name, nip in (
        ("DINKES", "Dinas Kesehatan", HEAD),
        ("DISKOMINFO", "Dinas Kominfo", STAFF.actor_id),
    ):
        organisation.register_opd(code, name, "dinas", "Kepala Dinas", by=STAFF)
        organisation.register_person(nip, f"Kepala {code}", by=STAFF)
        organisation.appoint_head(code, nip, date(2020, 1, 2), f"SK/{code}", by=STAFF)
    contacts = found.app(NotificationsApplication)
    contacts.register_contact("person", HEAD, email=HEAD_EMAIL, delivery="digest", by=STAFF)
    contacts.register_contact("opd", "DISKOMINFO", email=SECRETARIAT_EMAIL, by=STAFF)
    yield found
    found.close()


async def received(mailbox: Mailbox, count: int) -> bool:
    """Whether ``count`` emails arrived within two seconds (real time)."""
    try:
        await eventually(lambda: len(mailbox.messages) >= count, seconds=2, every=0.1)
    except TimeoutError:
        return False
    return True


async def timer_started(handle: WorkflowHandle[Any, Any]) -> bool:
    """Whether the workflow has started its timer (it sleeps until the digest is due)."""
    async for event in handle.fetch_history_events():
        if event.event_type == EventType.EVENT_TYPE_TIMER_STARTED:
            return True
    return False


def message(position: int, kind: str) -> MessageInput:
    return MessageInput(
        position, kind, "milestone", f"m-{position}", f"Laporan {position}", "DINKES",
        due="2099-12-31", effective_at=datetime.now(JAKARTA).isoformat(),
    )  # fmt: skip


@pytest.mark.asyncio(loop_scope="session")
async def test_a_persons_messages_of_the_day_arrive_as_one_email(
    store: EventStore,
    skipping_env: WorkflowEnvironment,
) -> None:
    queue = f"digest-{uuid.uuid4().hex[:8]}"
    client = skipping_env.client
    async with smtp_server() as (mailbox, port):
        channels = Channels(ChannelConfig(smtp_host="127.0.0.1", smtp_port=port))
        activities = DeliveryActivities(store, channels, PlanOptions()).all()
        # The server's clock moves only when told to, so planning and the digest share a day.
        with skipping_env.auto_time_skipping_disabled(), ThreadPoolExecutor(4) as executor:
            async with Worker(client, task_queue=queue, workflows=notification_workflows(),
                              activities=activities, activity_executor=executor):  # fmt: skip
                for position, kind in ((11, "reminder"), (12, "overdue")):
                    sent_now = await client.execute_workflow(
                        NotificationWorkflow.run, message(position, kind),
                        id=f"{queue}/{position}", task_queue=queue,
                    )  # fmt: skip
                    assert sent_now == []  # both wait for the digest
                digest = await client.start_workflow(
                    DigestWorkflow.run, DigestLoop(3, 0.2), id=f"{queue}/digest",
                    task_queue=queue,
                )  # fmt: skip
                await eventually(lambda: timer_started(digest), seconds=10, every=0.1)
                for _ in range(12):  # half-days pass until the digest went out
                    await skipping_env.sleep(timedelta(hours=12))
                    if await received(mailbox, 2):
                        break
                await skipping_env.sleep(timedelta(days=3))  # later digests: nothing new
                await received(mailbox, 3)
                await digest.terminate()
                await keep_history(digest, "notification", "digest")
        await channels.close()
    head, secretariat = mailbox.to(HEAD_EMAIL), mailbox.to(SECRETARIAT_EMAIL)
    assert (len(head), len(secretariat)) == (1, 1)
    assert head[0]["Subject"].startswith("Ringkasan harian Jejak")
    assert head[0]["Subject"].endswith(": 2 pesan")
    body = head[0].get_payload()
    assert "Pengingat: Laporan 11" in body
    assert "Terlambat: Laporan 12" in body
    day = head[0]["Subject"].split(", ")[1].split(":")[0]
    assert date.fromisoformat(day).weekday() < 5
