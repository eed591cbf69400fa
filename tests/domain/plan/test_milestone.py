"""Milestones: progress reports, submission, decisions, completion and deadlines."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from eventsourcing.persistence import StoredEvent

from domain.plan import InvalidTransitionError, MilestoneStatus, ProgressDecreaseError
from domain.plan.values import DueDateChange
from domain.shared import ValidationError
from domain.transcodings import ValueAsFields
from infra.store import EventStore
from tests.support.plan import KADIS, PlanSetup, plan_setup


def submitted(store: EventStore) -> PlanSetup:
    """A plan whose milestone GOV-01-M1 was reported at 100% and submitted."""
    setup = plan_setup(store)
    setup.app.report_progress(setup.milestone_id, percent=100, by=KADIS)
    setup.app.submit_milestone(setup.milestone_id, by=KADIS)
    return setup


def test_first_progress_report_starts_the_milestone(store: EventStore) -> None:
    setup = plan_setup(store)
    position = setup.app.report_progress(
        setup.milestone_id,
        percent=40,
        note="Portal uji coba",
        evidence=["https://data.pematangsiantarkota.go.id", "BA-2024-017"],
        by=KADIS,
    )
    milestone = setup.app.get_milestone(setup.milestone_id)
    assert position == store.max_position()
    assert (milestone.status, milestone.percent) == (MilestoneStatus.IN_PROGRESS, 40.0)
    (report,) = milestone.reports
    assert report.evidence == ("https://data.pematangsiantarkota.go.id", "BA-2024-017")
    assert report.reported_by == KADIS.actor_id


def test_planned_milestone_cannot_be_submitted(store: EventStore) -> None:
    setup = plan_setup(store)
    with pytest.raises(InvalidTransitionError) as refused:
        setup.app.submit_milestone(setup.milestone_id, by=KADIS)
    assert refused.value.code == "invalid-transition"
    assert refused.value.message == (
        "Milestone GOV-01-M1 is still planned; report progress before submitting it."
    )


def test_submission_records_who_submitted(store: EventStore) -> None:
    setup = submitted(store)
    milestone = setup.app.get_milestone(setup.milestone_id)
    assert (milestone.status, milestone.submitted_by) == (
        MilestoneStatus.SUBMITTED,
        KADIS.actor_id,
    )


@pytest.mark.parametrize("percent", [-1, 100.5, 250])
def test_progress_outside_0_to_100_is_refused(store: EventStore, percent: float) -> None:
    setup = plan_setup(store)
    with pytest.raises(ValidationError):
        setup.app.report_progress(setup.milestone_id, percent=percent, by=KADIS)
    assert setup.app.get_milestone(setup.milestone_id).status == MilestoneStatus.PLANNED


def test_lower_progress_needs_a_reason(store: EventStore) -> None:
    setup = plan_setup(store)
    app = setup.app
    app.report_progress(setup.milestone_id, percent=60, by=KADIS)
    with pytest.raises(ProgressDecreaseError):
        app.report_progress(setup.milestone_id, percent=50, by=KADIS)
    app.report_progress(setup.milestone_id, percent=50, reason="Server rusak", by=KADIS)
    milestone = app.get_milestone(setup.milestone_id)
    assert milestone.percent == 50
    assert milestone.reports[-1].reason == "Server rusak"


def test_submitted_milestone_refuses_progress_until_decided(store: EventStore) -> None:
    setup = submitted(store)
    with pytest.raises(InvalidTransitionError):
        setup.app.report_progress(setup.milestone_id, percent=100, by=KADIS)
    with pytest.raises(InvalidTransitionError):
        setup.app.submit_milestone(setup.milestone_id, by=KADIS)


def test_only_submitted_milestone_can_be_approved_or_returned(store: EventStore) -> None:
    setup = plan_setup(store)
    app = setup.app
    app.report_progress(setup.milestone_id, percent=30, by=KADIS)
    with pytest.raises(InvalidTransitionError):
        app.approve_milestone(setup.milestone_id, by=KADIS)
    with pytest.raises(InvalidTransitionError):
        app.return_milestone(setup.milestone_id, comment="Lengkapi bukti", by=KADIS)


def test_returned_milestone_can_be_reworked_and_resubmitted(store: EventStore) -> None:
    setup = submitted(store)
    app = setup.app
    app.return_milestone(setup.milestone_id, comment="Lengkapi bukti", by=KADIS)
    returned = app.get_milestone(setup.milestone_id)
    assert (returned.status, returned.comment) == (MilestoneStatus.RETURNED, "Lengkapi bukti")
    with pytest.raises(InvalidTransitionError):
        app.complete_milestone(setup.milestone_id, by=KADIS)
    app.submit_milestone(setup.milestone_id, by=KADIS)
    assert app.get_milestone(setup.milestone_id).status == MilestoneStatus.SUBMITTED
    app.return_milestone(setup.milestone_id, comment="Foto kurang jelas", by=KADIS)
    app.report_progress(setup.milestone_id, percent=100, evidence=["foto-2.jpg"], by=KADIS)
    assert app.get_milestone(setup.milestone_id).status == MilestoneStatus.IN_PROGRESS


def test_return_needs_a_comment(store: EventStore) -> None:
    setup = submitted(store)
    with pytest.raises(ValidationError):
        setup.app.return_milestone(setup.milestone_id, comment=" ", by=KADIS)


def test_approved_milestone_at_100_percent_can_be_done(store: EventStore) -> None:
    setup = submitted(store)
    app = setup.app
    with pytest.raises(InvalidTransitionError):
        app.complete_milestone(setup.milestone_id, by=KADIS)
    app.approve_milestone(setup.milestone_id, by=KADIS)
    app.complete_milestone(setup.milestone_id, by=KADIS)
    assert app.get_milestone(setup.milestone_id).status == MilestoneStatus.DONE


def test_done_milestone_refuses_every_further_step(store: EventStore) -> None:
    setup = submitted(store)
    app = setup.app
    app.approve_milestone(setup.milestone_id, by=KADIS)
    app.complete_milestone(setup.milestone_id, by=KADIS)
    with pytest.raises(InvalidTransitionError):
        app.report_progress(setup.milestone_id, percent=100, by=KADIS)
    with pytest.raises(InvalidTransitionError):
        app.complete_milestone(setup.milestone_id, by=KADIS)
    with pytest.raises(InvalidTransitionError):
        app.change_due_date(
            setup.milestone_id, due_date=date(2024, 12, 31), reason="Terlambat", by=KADIS
        )


def test_approved_milestone_below_100_percent_cannot_be_done(store: EventStore) -> None:
    setup = plan_setup(store)
    app = setup.app
    app.report_progress(setup.milestone_id, percent=70, by=KADIS)
    app.submit_milestone(setup.milestone_id, by=KADIS)
    app.approve_milestone(setup.milestone_id, by=KADIS)
    with pytest.raises(InvalidTransitionError) as refused:
        app.complete_milestone(setup.milestone_id, by=KADIS)
    assert "70%" in refused.value.message
    app.report_progress(setup.milestone_id, percent=90, by=KADIS)
    assert app.get_milestone(setup.milestone_id).status == MilestoneStatus.IN_PROGRESS


def test_due_date_change_records_old_and_new_date(store: EventStore) -> None:
    setup = plan_setup(store)
    app = setup.app
    app.change_due_date(
        setup.milestone_id, due_date=date(2024, 9, 30), reason="Anggaran perubahan", by=KADIS
    )
    milestone = app.get_milestone(setup.milestone_id)
    (change,) = milestone.due_date_changes
    assert (change.old_due_date, change.due_date) == (date(2024, 6, 28), date(2024, 9, 30))
    assert (change.reason, change.changed_by) == ("Anggaran perubahan", KADIS.actor_id)
    assert milestone.due_date == date(2024, 9, 30)
    last = app.events.get(setup.milestone_id, gt=milestone.version - 1)
    assert [type(e).__name__ for e in last] == ["DueDateChanged"]


def test_due_date_change_needs_a_reason(store: EventStore) -> None:
    setup = plan_setup(store)
    with pytest.raises(ValidationError):
        setup.app.change_due_date(
            setup.milestone_id, due_date=date(2024, 9, 30), reason="", by=KADIS
        )
    assert setup.app.get_milestone(setup.milestone_id).due_date == date(2024, 6, 28)


def test_a_milestone_stored_before_back_dating_was_marked_replays_the_same(
    store: EventStore,
) -> None:
    setup = submitted(store)
    app = setup.app
    app.approve_milestone(setup.milestone_id, by=KADIS)

    def as_stored_before(stored: StoredEvent) -> StoredEvent:
        state = json.loads(stored.state)
        state.pop("backdated", None)
        return StoredEvent(
            stored.originator_id,
            stored.originator_version,
            stored.topic,
            json.dumps(state).encode(),
        )

    milestone: Any = None
    for stored in app.recorder.select_events(setup.milestone_id):
        milestone = app.mapper.to_domain_event(as_stored_before(stored)).mutate(milestone)
    now = app.get_milestone(setup.milestone_id)
    assert (milestone.status, milestone.percent, milestone.approved_percent) == (
        now.status,
        now.percent,
        now.approved_percent,
    )


def test_a_due_date_change_stored_as_version_1_reads_with_the_dates_named_alike(
    store: EventStore,
) -> None:
    setup = plan_setup(store)
    app = setup.app
    app.change_due_date(setup.milestone_id, due_date=date(2024, 9, 30), reason="Banjir", by=KADIS)
    *_, stored = app.recorder.select_events(setup.milestone_id)
    state = json.loads(stored.state)
    state["old_due"], state["new_due"] = state.pop("old_due_date"), state.pop("due_date")
    del state["class_version"]
    as_v1 = StoredEvent(
        stored.originator_id, stored.originator_version, stored.topic, json.dumps(state).encode()
    )
    read = app.mapper.to_domain_event(as_v1)
    assert (read.old_due_date, read.due_date) == (date(2024, 6, 28), date(2024, 9, 30))  # type: ignore[attr-defined]


def test_a_snapshot_taken_before_the_dates_were_named_alike_still_reads() -> None:
    stored = {"old_due": date(2024, 6, 28), "new_due": date(2024, 9, 30), "reason": "Banjir",
              "changed_by": KADIS.actor_id}  # fmt: skip
    change = ValueAsFields("value_model_DueDateChange", DueDateChange).decode(stored)
    assert (change.old_due_date, change.due_date) == (date(2024, 6, 28), date(2024, 9, 30))
