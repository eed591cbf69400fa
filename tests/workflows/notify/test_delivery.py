"""Reminders, overdue notes and escalations reach real receivers once, or end dead-lettered."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from prometheus_client import generate_latest
from structlog.testing import capture_logs
from temporalio.client import WorkflowExecutionStatus
from temporalio.testing import WorkflowEnvironment

from api.auth import Role
from domain.notifications import NotificationsApplication
from jejak.sender import outbox_source
from projections.engine.viewstore import ViewStore
from tests.support.app import HEAD_NIP, SECRETARIAT, Api
from tests.workflows.notify.receivers import (
    SECRET,
    SECRET_ENV,
    Webhooks,
    smtp_server,
    webhook_server,
)
from tests.workflows.notify.stack import (
    HEAD_EMAIL,
    INSPEKTUR_NIP,
    SEKDA_EMAIL,
    SEKDA_NIP,
    Stack,
    raise_alerts,
    register,
    seed_offices,
)
from workflows.notify.sender import OutboxSender
from workflows.notify.workflow import DIGEST_WORKFLOW_ID

pytestmark = pytest.mark.asyncio(loop_scope="session")
ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(autouse=True)
def webhook_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    """The worker finds the shared secret in its environment, by the name the contact gives."""
    monkeypatch.setenv(SECRET_ENV, SECRET)


@pytest.fixture
async def stack(api: Api, dev_env: WorkflowEnvironment) -> AsyncIterator[Stack]:
    store = api.app.state.store
    seed_offices(store)
    async with smtp_server() as (mailbox, port):
        found = Stack(dev_env.client, store, port)
        found.mailbox = mailbox  # type: ignore[attr-defined]
        yield found


async def test_each_alert_arrives_once_with_the_right_recipients_and_words(stack: Stack) -> None:
    receiver = Webhooks()
    async with webhook_server(receiver) as url:
        register(stack.store, url, SECRET_ENV)
        raise_alerts(stack.store)
        async with stack.worker():
            positions = await stack.send()
            outcomes = await stack.finished(positions, keep="sent")
            again = await stack.send()  # the outbox handed over once more: nothing new
    assert again == []
    assert all(set(o) == {"sent"} for o in outcomes)
    mailbox = stack.mailbox  # type: ignore[attr-defined]
    head_mail = mailbox.to(HEAD_EMAIL)
    head_mail.sort(key=lambda m: m["Subject"])
    assert [m["Subject"].split(":")[0] for m in head_mail] == ["Pengingat", "Terlambat"]
    assert "Kepala Dinas Komunikasi dan Informatika" in head_mail[0].get_payload()
    assert "/api/v1/milestones/m-1" in head_mail[0].get_payload()
    sekda_mail = mailbox.to(SEKDA_EMAIL)
    assert len(sekda_mail) == 1
    assert sekda_mail[0]["Subject"].startswith("Eskalasi tingkat 1")
    assert "milik DISKOMINFO" in sekda_mail[0].get_payload()
    hooks = sorted(receiver.accepted.values(), key=lambda d: (d["position"], d["recipient"]))
    assert [(h["type"], h["recipient"]) for h in hooks] == [
        ("jejak.notification.reminder", HEAD_NIP),
        ("jejak.notification.overdue", HEAD_NIP),
        ("jejak.notification.escalation", "INSPEKTORAT"),
    ]
    assert hooks[2]["subject"].startswith("Escalation level 2")
    assert (receiver.duplicates, receiver.bad_signatures) == (0, 0)


async def test_a_receiver_failing_twice_then_recovering_gets_each_message_once(
    stack: Stack, api: Api
) -> None:
    receiver = Webhooks(fail_first=2)
    async with webhook_server(receiver) as url:
        register(stack.store, url, SECRET_ENV)
        raise_alerts(stack.store)
        with capture_logs() as logs:
            async with stack.worker():
                await stack.finished(await stack.send(), keep="retried")
    assert len(receiver.accepted) == 3
    assert len([e for e in logs if e["event"] == "delivery failed"]) == 2
    assert SECRET not in repr(logs)
    assert receiver.duplicates == 0
    answer = await api.client.get(
        "/api/v1/notifications?channel=webhook", headers=api.auth(Role.ADMIN)
    )
    rows = answer.json()["items"]
    assert {r["state"] for r in rows} == {"sent"}
    assert sum(r["attempts"] for r in rows) == 3 + 2


async def test_a_receiver_down_for_good_ends_dead_lettered_and_shown(
    stack: Stack, api: Api
) -> None:
    receiver = Webhooks(down=True)
    async with webhook_server(receiver) as url:
        register(stack.store, url, SECRET_ENV)
        raise_alerts(stack.store)
        async with stack.worker():
            outcomes = await stack.finished(await stack.send(), keep="dead-lettered")
    assert [o for found in outcomes for o in found].count("dead-letter") == 3
    answer = await api.client.get(
        "/api/v1/notifications?state=dead-letter", headers=api.auth(Role.ADMIN)
    )
    rows = answer.json()["items"]
    assert [(r["channel"], r["attempts"]) for r in rows] == [("webhook", stack.attempts)] * 3
    assert all("500" in r["last_error"] for r in rows)
    mail = await api.client.get("/api/v1/notifications?channel=email", headers=api.auth(Role.ADMIN))
    assert {r["state"] for r in mail.json()["items"]} == {"sent"}  # the others were not held up
    mine = await api.client.get("/api/v1/me/notifications", headers=api.auth(Role.OPD_HEAD))
    assert {r["recipient"] for r in mine.json()["items"]} == {HEAD_NIP}
    # /metrics is served only when turned on; the registry behind it is read directly here.
    metrics = generate_latest(api.app.state.metrics.registry).decode()
    assert 'jejak_notifications_dead_lettered_total{channel="webhook"} 3.0' in metrics
    assert 'jejak_notifications_sent_total{channel="email"} 3.0' in metrics


async def test_a_message_older_than_the_limit_reaches_nobody_and_is_shown_as_expired(
    stack: Stack, api: Api
) -> None:
    """The sender was stopped, or starts over an old log: stale alerts are not sent."""
    receiver = Webhooks()
    stack.max_age = 0.001  # every alert is older than this by the time its workflow runs
    async with webhook_server(receiver) as url:
        register(stack.store, url, SECRET_ENV)
        raise_alerts(stack.store)
        async with stack.worker():
            outcomes = await stack.finished(await stack.send(), keep="expired")
    assert outcomes
    assert all(set(o) == {"expired"} for o in outcomes)
    assert receiver.accepted == {}
    assert stack.mailbox.to(HEAD_EMAIL) == stack.mailbox.to(SEKDA_EMAIL) == []  # type: ignore[attr-defined]
    answer = await api.client.get("/api/v1/notifications", headers=api.auth(Role.ADMIN))
    rows = answer.json()["items"]
    assert rows
    assert {r["state"] for r in rows} == {"dead-letter"}
    assert all(r["last_error"].startswith("Expired, not sent: raised at ") for r in rows)
    assert {r["attempts"] for r in rows} == {0}


async def test_a_worker_stopped_mid_delivery_loses_and_doubles_nothing(
    stack: Stack, api: Api
) -> None:
    receiver = Webhooks(delay=2.0)  # holds the first request while the worker goes away
    async with webhook_server(receiver) as url:
        register(stack.store, url, SECRET_ENV)
        raise_alerts(stack.store)
        async with stack.worker():
            positions = await stack.send()
            await asyncio.wait_for(receiver.first_request.wait(), 30)
        # The first worker is gone with a send in flight; another one takes over.
        async with stack.worker():
            outcomes = await stack.finished(positions)
        await asyncio.wait_for(receiver.all_answered(), 30)
    assert all(set(o) == {"sent"} for o in outcomes)
    # The held send reached the receiver too: it arrived again, and was taken once by its key.
    assert receiver.duplicates >= 1
    assert len(receiver.accepted) == 3
    answer = await api.client.get("/api/v1/notifications", headers=api.auth(Role.ADMIN))
    assert {r["state"] for r in answer.json()["items"]} == {"sent"}
    assert len(answer.json()["items"]) == 6  # 3 emails (head twice, Sekda) and 3 webhooks


async def test_in_dev_mode_each_office_holder_is_written_to_the_local_sink(
    stack: Stack, tmp_path: Path
) -> None:
    stack.sink = tmp_path / "notifications.jsonl"
    raise_alerts(stack.store)  # nobody registered an address
    async with stack.worker():
        await stack.finished(await stack.send())
    found = [json.loads(line) for line in stack.sink.read_text().splitlines()]
    lines = sorted(found, key=lambda line: line["position"])
    assert [(line["type"], line["recipient"]) for line in lines] == [
        ("jejak.notification.reminder", HEAD_NIP),
        ("jejak.notification.overdue", HEAD_NIP),
        ("jejak.notification.escalation", SEKDA_NIP),
        ("jejak.notification.escalation", INSPEKTUR_NIP),
    ]
    assert lines[2]["subject"] == "Eskalasi tingkat 1: Portal data terbit (DISKOMINFO)"


async def test_a_worker_killed_mid_delivery_loses_and_doubles_nothing(
    stack: Stack,
    api: Api,
    dev_env: WorkflowEnvironment,
) -> None:
    receiver = Webhooks(delay=8.0)  # holds the first send until after the kill
    async with webhook_server(receiver) as url:
        contacts = stack.store.app(NotificationsApplication)
        for kind, owner in (("person", HEAD_NIP), ("opd", "INSPEKTORAT")):
            contacts.register_contact(
                kind, owner, webhook_url=url, secret_ref=f"env:{SECRET_ENV}", by=SECRETARIAT
            )
        raise_alerts(stack.store)
        target = dev_env.client.service_client.config.target_host
        argv = [sys.executable, "-m", "tests.workflows.notify.worker_process", target,
                stack.task_queue, api.settings.store_url]  # fmt: skip
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        child = subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, cwd=ROOT)  # noqa: ASYNC220
        try:
            assert child.stdout is not None
            assert (await asyncio.to_thread(child.stdout.readline)).strip() == b"ready"
            positions = await stack.send()
            await asyncio.wait_for(receiver.first_request.wait(), 30)
            child.kill()  # SIGKILL: no goodbye to Temporal, the send's answer is never read
        finally:
            child.kill()
            child.wait()
        async with stack.worker():  # another worker takes over once the heartbeat is missed
            outcomes = await stack.finished(positions)
            await asyncio.wait_for(receiver.all_answered(), 30)
    assert [o for found in outcomes for o in found] == ["sent"] * 3  # the Sekda has no contact
    assert len(receiver.accepted) == 3  # each message once: the held send was a duplicate
    assert receiver.duplicates >= 1
    answer = await api.client.get("/api/v1/notifications", headers=api.auth(Role.ADMIN))
    assert [r["state"] for r in answer.json()["items"]] == ["sent"] * 3


async def test_the_sender_starts_the_daily_digest_once(stack: Stack) -> None:
    views = ViewStore(stack.store)
    tracking = stack.store.tracking_recorder()
    sender = OutboxSender(outbox_source(views), stack.client, stack.task_queue, tracking)
    try:
        await sender.start_digest()
        await sender.start_digest()  # a restarted sender finds it running
        handle = stack.client.get_workflow_handle(DIGEST_WORKFLOW_ID)
        description = await handle.describe()
        assert description.status == WorkflowExecutionStatus.RUNNING
        assert description.task_queue == stack.task_queue
        await handle.terminate()
    finally:
        views.close()
