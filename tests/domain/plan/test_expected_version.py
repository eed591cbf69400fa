"""If-Match made atomic: a command compares the version it loads, and the save refuses a race."""

from __future__ import annotations

import uuid
from collections.abc import Callable

import pytest

from domain.plan import PlanApplication
from domain.plan.milestone import Milestone
from domain.shared import ConflictError, VersionMismatchError
from infra.store import EventStore
from tests.support.plan import KADIS, plan_setup


class WriteInBetween(PlanApplication):
    """Runs someone else's command right after its own load: a write between load and save."""

    in_between: Callable[[], object] = staticmethod(lambda: None)

    def get_milestone(
        self, milestone_id: uuid.UUID, expected_version: int | None = None
    ) -> Milestone:
        milestone = super().get_milestone(milestone_id, expected_version)
        run, self.in_between = self.in_between, lambda: None
        run()
        return milestone


def test_a_command_on_the_version_it_was_based_on_goes_through(store: EventStore) -> None:
    setup = plan_setup(store)
    version = setup.app.get_milestone(setup.milestone_id).version
    setup.app.report_progress(setup.milestone_id, percent=20, by=KADIS, expected_version=version)
    assert setup.app.get_milestone(setup.milestone_id).version == version + 1


def test_two_commands_on_the_same_version_one_wins_the_other_is_refused(
    store: EventStore,
) -> None:
    setup = plan_setup(store)
    version = setup.app.get_milestone(setup.milestone_id).version
    setup.app.report_progress(setup.milestone_id, percent=20, by=KADIS, expected_version=version)
    with pytest.raises(VersionMismatchError) as refused:
        setup.app.report_progress(
            setup.milestone_id, percent=30, by=KADIS, expected_version=version
        )
    assert refused.value.current_version == version + 1
    assert [r.percent for r in setup.app.get_milestone(setup.milestone_id).reports] == [20]


def test_a_write_between_load_and_save_cannot_slip_through(store: EventStore) -> None:
    setup = plan_setup(store)
    version = setup.app.get_milestone(setup.milestone_id).version
    racer = store.app(WriteInBetween)
    racer.in_between = lambda: setup.app.report_progress(
        setup.milestone_id, percent=20, by=KADIS, expected_version=version
    )
    with pytest.raises(ConflictError):
        racer.report_progress(setup.milestone_id, percent=30, by=KADIS, expected_version=version)
    assert [r.percent for r in setup.app.get_milestone(setup.milestone_id).reports] == [20]
