"""The evaluation activities over a real store: an OPD's reminders and escalations reach the
notification outbox and the deadline board as a deliverable's do, each once."""

from __future__ import annotations

from datetime import UTC, datetime

from temporalio.testing import ActivityEnvironment

from infra.store import EventStore
from projections.views.deadlines.queries import escalated
from projections.views.deadlines.view import DeadlineBoardView
from projections.views.outbox.view import OutboxView, after
from tests.projections.runners import prepared
from tests.workflows.evaluation.scenario import ADMIN, CITY, attach, open_year
from workflows.common import AlertKind
from workflows.evaluation.activities import EvaluationActivities
from workflows.evaluation.inputs import (
    AssignInput,
    Assignment,
    ItemsAlertInput,
    RecordStepInput,
)

#: The views that carry an alert to people.
VIEWS = [OutboxView(), DeadlineBoardView()]
NOW = datetime(2025, 2, 3, 2, tzinfo=UTC)  # Monday 3 February 2025, 09:00 WIB


def test_alerts_of_an_opd_late_on_its_items_reach_the_outbox_once_each(
    durable_store: EventStore,
) -> None:
    year_id = open_year(durable_store, 2025)
    activities, env = EvaluationActivities.over(durable_store), ActivityEnvironment()
    assign = AssignInput(str(year_id), CITY, [Assignment("DINKES", ["I1"])], "2025-02-03", 5,
                         [2, 1, 0], 3, ADMIN.actor_id, NOW)  # fmt: skip
    (deadline,) = env.run(activities.assign, assign)
    assert deadline.due_date == "2025-02-10"  # five working days after Monday the 3rd
    assert env.run(activities.assign, assign) == [deadline]  # again: the same, recorded once
    first_reminder = deadline.alerts[0]
    sekda = next(a for a in deadline.alerts if a.kind == AlertKind.ESCALATION and a.level == 1)
    for alert in (first_reminder, sekda, first_reminder, sekda):  # each twice, as on a retry
        env.run(
            activities.record_alert, ItemsAlertInput(str(year_id), "DINKES", "2025-02-10", alert)
        )
    attach(durable_store, year_id, "DINKES")
    env.run(activities.fill, RecordStepInput(str(year_id), "kepala.dinkes", "head", NOW, "DINKES"))
    inspektorat = deadline.alerts[-1]
    after_filling = ItemsAlertInput(str(year_id), "DINKES", "2025-02-10", inspektorat)
    assert env.run(activities.record_alert, after_filling) is False
    with prepared(durable_store, VIEWS) as runner:
        runner.catch_up()
        messages = after(runner.viewstore)
        (board,) = escalated(runner.viewstore)
    assert [(m.kind, m.subject_kind, m.recipients, m.label, m.level) for m in messages] == [
        ("reminder", "evaluation-items", "DINKES", "H-2", 0),
        ("overdue", "evaluation-items", "DINKES", "", 0),
        ("escalation", "evaluation-items", "SEKDA", "", 1),
    ]
    assert messages[0].subject_id == f"{year_id}/DINKES"
    assert (board.kind, board.owner_opd, board.escalation_level, board.reminders) == (
        "evaluation-items", "DINKES", 1, 1,
    )  # fmt: skip
    assert board.closed_at is not None  # filled: no longer open
