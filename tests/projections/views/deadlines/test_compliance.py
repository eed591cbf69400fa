"""Compliance per OPD: on time, late and escalated counts and the share on time."""

from __future__ import annotations

from infra.store import EventStore
from projections.engine.runner import ProjectionRunner
from projections.views.deadlines.compliance import compliance
from projections.views.deadlines.view import DeadlineBoardView
from tests.projections.views.deadlines.board_log import AS_OF, fill

#: The view the ``runner`` fixture runs.
VIEWS = [DeadlineBoardView()]


def test_compliance_counts_met_missed_and_escalated_deadlines_per_opd(
    durable_store: EventStore, runner: ProjectionRunner
) -> None:
    fill(durable_store)
    runner.catch_up()
    found = {c.opd: c for c in compliance(runner.viewstore, AS_OF)}
    # BAPPEDA decided after its step's due time, once escalated to the Sekda.
    bappeda = found["BAPPEDA"]
    assert (bappeda.on_time, bappeda.late, bappeda.escalated, bappeda.share) == (0, 1, 1, 0.0)
    assert (found["DINKES"].on_time, found["DINKES"].late, found["DINKES"].share) == (1, 0, 100.0)
    kominfo = found["DISKOMINFO"]
    assert (kominfo.on_time, kominfo.late, kominfo.counted) == (1, 2, 3)
    assert round(kominfo.share or 0, 1) == 33.3


def test_compliance_of_chosen_opds_leaves_the_others_out(
    durable_store: EventStore, runner: ProjectionRunner
) -> None:
    fill(durable_store)
    runner.catch_up()
    assert [c.opd for c in compliance(runner.viewstore, AS_OF, ["DINKES"])] == ["DINKES"]
    assert compliance(runner.viewstore, AS_OF, []) == []
