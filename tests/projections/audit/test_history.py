"""Auditors replay history: who did what when, state as of a date or version, and diffs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from domain.shared import Actor, NotFoundError
from infra.store import EventStore
from projections.audit.history import diff, events_after, history, state_as_of, state_at_version
from tests.projections.audit.dossier import START, Dossier, DossierApp


def _dossier_with_late_entry(store: EventStore) -> tuple[Dossier, list[datetime]]:
    """Opened, retitled on day 10, then a note that happened on day 2 but recorded last."""
    app = store.app(DossierApp)
    marks = []
    dossier = Dossier(code="RPJMD", title="Draft", **Actor("bappeda", "head", START).attribution())
    app.save_new(dossier, what="Dossier")
    marks.append(datetime.now(UTC))
    later = Actor("kominfo", "plt", START + timedelta(days=10))
    dossier.retitle("Master plan", **later.attribution())
    app.save_changes(dossier)
    marks.append(datetime.now(UTC))
    dossier.note(
        "signed on paper", **Actor("staff-1", "staff", START + timedelta(days=2)).attribution()
    )
    app.save_changes(dossier)
    return dossier, marks


def test_history_names_who_in_which_capacity_when_and_the_hash(durable_store: EventStore) -> None:
    dossier, _ = _dossier_with_late_entry(durable_store)
    entries = history(durable_store, dossier.id)
    assert [e["event_type"] for e in entries] == ["Created", "Retitled", "Noted"]
    retitled = entries[1]
    assert retitled["aggregate_kind"] == "Dossier"
    assert (retitled["actor"], retitled["capacity"]) == ("kominfo", "plt")
    assert retitled["effective_at"] == (START + timedelta(days=10)).isoformat()
    assert retitled["payload"] == {"title": "Master plan"}
    assert retitled["position"] == 2
    assert len(retitled["hash"]) == 64
    assert events_after(durable_store, 1, limit=1) == [retitled]


def test_state_as_of_recorded_time_shows_what_was_on_record_then(
    durable_store: EventStore,
) -> None:
    dossier, marks = _dossier_with_late_entry(durable_store)
    assert state_as_of(durable_store, dossier.id, START) is None
    first = state_as_of(durable_store, dossier.id, marks[0])
    assert first is not None
    assert (first["title"], first["version"]) == ("Draft", 1)
    second = state_as_of(durable_store, dossier.id, marks[1])
    assert second is not None
    assert (second["title"], second["notes"]) == ("Master plan", [])


def test_state_as_of_effective_time_includes_late_entries_that_happened_by_then(
    durable_store: EventStore,
) -> None:
    dossier, _ = _dossier_with_late_entry(durable_store)
    day5 = state_as_of(durable_store, dossier.id, START + timedelta(days=5), time="effective")
    assert day5 is not None
    assert (day5["title"], day5["notes"]) == ("Draft", ["signed on paper"])
    assert day5["versions_applied"] == [1, 3]
    before = state_as_of(durable_store, dossier.id, START - timedelta(days=1), time="effective")
    assert before is None


def test_state_at_version_replays_up_to_that_event(durable_store: EventStore) -> None:
    dossier, _ = _dossier_with_late_entry(durable_store)
    assert state_at_version(durable_store, dossier.id, 2)["title"] == "Master plan"
    assert state_at_version(durable_store, dossier.id, 2)["notes"] == []
    with pytest.raises(NotFoundError):
        state_at_version(durable_store, dossier.id, 9)


def test_diff_lists_changed_fields_and_the_events_between(durable_store: EventStore) -> None:
    dossier, marks = _dossier_with_late_entry(durable_store)
    changes = diff(durable_store, dossier.id, marks[0], datetime.now(UTC))
    assert changes["changes"] == {
        "notes": {"before": [], "after": ["signed on paper"]},
        "title": {"before": "Draft", "after": "Master plan"},
    }
    assert [e["version"] for e in changes["events"]] == [2, 3]
