"""The notifications outbox: each reminder and escalation is one message, however often replayed."""

from __future__ import annotations

from datetime import date, datetime

from domain.approvals.application import ApprovalsApplication
from domain.approvals.rules import StepSpec
from domain.calendar import JAKARTA
from domain.deadlines.application import DeadlinesApplication
from domain.shared import Actor
from infra.store import EventStore
from projections.engine.runner import ProjectionRunner
from projections.views.outbox import view as outbox
from projections.views.outbox.view import OutboxView

DUE = date(2024, 6, 28)
DUE_AT = datetime(2024, 6, 28, 23, 59, tzinfo=JAKARTA)
SUBMITTER = Actor("198001012005011001", "staff")


def write_alerts(store: EventStore) -> None:
    deadlines = store.app(DeadlinesApplication)
    track_id, _ = deadlines.track("milestone", "m-1", "DINKES", "Portal data terbit", DUE)
    deadlines.send_reminder(track_id, "H-1", DUE)
    deadlines.send_reminder(track_id, "H-1", DUE)  # a retried activity: recorded once
    deadlines.record_overdue(track_id, DUE)
    deadlines.escalate(track_id, 1, DUE)
    approvals = store.app(ApprovalsApplication)
    route = [StepSpec(0, ("BAPPEDA", "BPKPD"))]
    request_id, _ = approvals.request_approval(
        "deliverable", "d-1", "Draft", "DINKES", SUBMITTER.actor_id, route, SUBMITTER
    )
    approvals.open_step(request_id, 0, DUE_AT)
    approvals.record_reminder(request_id, 0, "H-0")
    approvals.escalate(request_id, 0, 2)


def project(store: EventStore) -> ProjectionRunner:
    runner = ProjectionRunner(store, [OutboxView()])
    runner.prepare()
    runner.catch_up()
    return runner


def test_each_alert_is_one_message_to_the_right_people(durable_store: EventStore) -> None:
    write_alerts(durable_store)
    runner = project(durable_store)
    messages = outbox.after(runner.viewstore)
    assert [(m.kind, m.recipients, m.label, m.level) for m in messages] == [
        ("reminder", "DINKES", "H-1", 0),
        ("overdue", "DINKES", "", 0),
        ("escalation", "SEKDA", "", 1),
        ("reminder", "BAPPEDA,BPKPD", "H-0", 0),
        ("escalation", "INSPEKTORAT", "", 2),
    ]
    assert messages[0].subject_id == "m-1"
    assert messages[0].due == DUE.isoformat()
    runner.viewstore.close()


def test_catching_up_again_adds_no_message(durable_store: EventStore) -> None:
    write_alerts(durable_store)
    first = project(durable_store)
    count = len(outbox.after(first.viewstore))
    first.viewstore.close()
    again = project(durable_store)
    assert len(outbox.after(again.viewstore)) == count == 5
    assert (
        outbox.after(again.viewstore, position=outbox.after(again.viewstore)[2].position)[0].label
        == "H-0"
    )
    again.viewstore.close()


def test_each_message_names_its_step_and_the_late_opds(durable_store: EventStore) -> None:
    write_alerts(durable_store)
    runner = project(durable_store)
    messages = outbox.after(runner.viewstore)
    assert [(m.step, m.owners) for m in messages] == [
        (-1, "DINKES"),
        (-1, "DINKES"),
        (-1, "DINKES"),
        (0, "BAPPEDA,BPKPD"),
        (0, "BAPPEDA,BPKPD"),
    ]
    assert messages[3].aggregate_id == messages[4].aggregate_id != messages[0].aggregate_id
    runner.viewstore.close()
