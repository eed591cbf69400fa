"""Deadline tracks: every reminder, overdue note and escalation is recorded once per due date."""

from __future__ import annotations

from datetime import date

import pytest

from domain.deadlines.application import DeadlinesApplication
from domain.deadlines.errors import EscalationLevelError, UnknownDeadlineKindError
from domain.deadlines.track import DeadlineTrack
from infra.store import EventStore

DUE = date(2024, 3, 28)


def tracked(store: EventStore) -> tuple[DeadlinesApplication, DeadlineTrack]:
    app = store.app(DeadlinesApplication)
    track_id, _ = app.track("milestone", "m-1", "dinkes", "Draft section", DUE)
    return app, app.get_track(track_id)


def event_names(store: EventStore) -> list[str]:
    return [n.topic.rpartition(".")[2] for n in store.recorder.select_notifications(0, 100)]


def test_tracking_the_same_subject_twice_keeps_one_track(store: EventStore) -> None:
    app, track = tracked(store)
    again, position = app.track("milestone", "m-1", "DINKES", "Draft section", DUE)
    assert again == track.id == DeadlineTrack.create_id("milestone", "m-1")
    assert position is None
    assert track.owner_opd == "DINKES"


def test_unknown_kind_is_refused(store: EventStore) -> None:
    with pytest.raises(UnknownDeadlineKindError):
        store.app(DeadlinesApplication).track("meeting", "x", "DINKES", "t", DUE)


def test_a_retried_reminder_is_recorded_once(store: EventStore) -> None:
    app, track = tracked(store)
    assert app.send_reminder(track.id, "H-2", DUE) is not None
    assert app.send_reminder(track.id, "H-2", DUE) is None
    assert event_names(store).count("ReminderSent") == 1


def test_a_moved_due_date_gets_its_own_reminders(store: EventStore) -> None:
    app, track = tracked(store)
    app.send_reminder(track.id, "H-1", DUE)
    new_due = date(2024, 4, 30)
    assert app.move_due_date(track.id, new_due) is not None
    assert app.move_due_date(track.id, new_due) is None
    assert app.send_reminder(track.id, "H-1", new_due) is not None
    assert app.get_track(track.id).due_date == new_due


def test_overdue_and_each_escalation_level_are_recorded_once(store: EventStore) -> None:
    app, track = tracked(store)
    assert app.record_overdue(track.id, DUE) is not None
    assert app.record_overdue(track.id, DUE) is None
    assert app.escalate(track.id, 1, DUE) is not None
    assert app.escalate(track.id, 1, DUE) is None
    assert app.escalate(track.id, 2, DUE) is not None
    assert event_names(store).count("Escalated") == 2


def test_escalation_beyond_the_inspektorat_is_refused(store: EventStore) -> None:
    app, track = tracked(store)
    with pytest.raises(EscalationLevelError):
        app.escalate(track.id, 3, DUE)


def test_a_closed_track_records_nothing_more(store: EventStore) -> None:
    app, track = tracked(store)
    assert app.close_track(track.id, "milestone approved") is not None
    assert app.close_track(track.id, "milestone approved") is None
    assert app.send_reminder(track.id, "H-0", DUE) is None
    assert app.escalate(track.id, 1, DUE) is None
    assert event_names(store) == ["Tracked", "Closed"]


def test_a_reopened_track_follows_its_due_date_afresh_once_per_key(store: EventStore) -> None:
    app, track = tracked(store)
    app.send_reminder(track.id, "H-1", DUE)
    app.close_track(track.id, "deliverable submitted")
    later = date(2024, 4, 30)
    assert app.reopen(track.id, later, "deliverable returned", key=42) is not None
    assert app.reopen(track.id, later, "deliverable returned", key=42) is None
    reopened = app.get_track(track.id)
    assert not reopened.is_closed
    assert reopened.due_date == later
    assert app.send_reminder(track.id, "H-1", later) is not None
    assert event_names(store).count("Reopened") == 1


def test_a_track_reopened_on_the_same_due_date_reminds_again(store: EventStore) -> None:
    app, track = tracked(store)
    app.send_reminder(track.id, "H-1", DUE)
    app.reopen(track.id, DUE, "deliverable returned", key=7)
    assert app.send_reminder(track.id, "H-1", DUE) is not None
