"""A step nobody in office may decide goes to the Sekda as it opens, and is decided there."""

from __future__ import annotations

from datetime import date

import pytest
from temporalio.testing import WorkflowEnvironment

from domain.approvals.errors import ActingRestrictedError, FourEyesError
from domain.approvals.values import ApprovalStatus
from domain.organisation.application import OrganisationApplication
from domain.shared import Actor
from infra.store import EventStore
from tests.workflows.approval.scenario import (
    SUBMITTER,
    approval_input,
    ballot,
    event_names,
    events,
    start,
    step,
)
from tests.workflows.histories import keep_history
from tests.workflows.workers import running_worker
from workflows.approval import client as approvals
from workflows.approval.inputs import DecideInput

pytestmark = [pytest.mark.temporal, pytest.mark.asyncio(loop_scope="session")]

PLT = "197505052000031002"
SECRETARIAT = Actor("sekretariat-1", "staff")
SINCE = date(2020, 1, 2)


def diskominfo(store: EventStore, head: str | None = None, plt: str | None = None) -> None:
    """Register DISKOMINFO with its head and/or Plt. in office since 2020."""
    organisation = store.app(OrganisationApplication)
    organisation.register_opd(
        "DISKOMINFO", "Dinas Kominfo", "dinas", "Kepala Dinas", by=SECRETARIAT
    )
    for nip in filter(None, (head, plt)):
        organisation.register_person(nip, f"Pegawai {nip[-3:]}", by=SECRETARIAT)
    if head:
        organisation.appoint_head("DISKOMINFO", head, SINCE, "SK-1/2020", by=SECRETARIAT)
    if plt:
        organisation.appoint_acting("DISKOMINFO", "plt", plt, "SK-2/2020", SINCE, by=SECRETARIAT)


SEKDA = ballot("DISKOMINFO", capacity="sekda", person="196905171993011006")


@pytest.mark.parametrize(
    ("in_office", "strategic", "refused", "error", "why_says"),
    [
        pytest.param(
            {"head": SUBMITTER},
            False,
            ballot("DISKOMINFO", person=SUBMITTER),
            FourEyesError,
            "DISKOMINFO",
            id="the heads own report",
        ),
        pytest.param(
            {"plt": PLT},
            True,
            ballot("DISKOMINFO", capacity="plt", person=PLT),
            ActingRestrictedError,
            "Plt.",
            id="a strategic step with only a plt in office",
        ),
    ],
)
async def test_a_step_nobody_in_office_may_decide_goes_to_the_sekda_at_once(
    dev_env: WorkflowEnvironment,
    memory_store: EventStore,
    task_queue: str,
    in_office: dict[str, str],
    strategic: bool,
    refused: DecideInput,
    error: type[Exception],
    why_says: str,
) -> None:
    diskominfo(memory_store, **in_office)
    approval = approval_input([step(0, "DISKOMINFO", strategic=strategic)])
    async with running_worker(dev_env.client, memory_store, task_queue):
        handle = await start(dev_env.client, task_queue, approval)
        with pytest.raises(error):
            await approvals.decide(dev_env.client, approval.request_id, refused)
        state = await approvals.decide(dev_env.client, approval.request_id, SEKDA)
        assert state.status == ApprovalStatus.APPROVED
        assert await handle.result() == ApprovalStatus.APPROVED
        if not strategic:
            await keep_history(handle, "approval", "nobody-may-decide")
    names = event_names(memory_store)
    opened = names.index("StepOpened")
    assert names[opened + 1 : opened + 3] == ["NobodyMayDecide", "StepEscalated"]
    (why,) = events(memory_store, "NobodyMayDecide")
    assert (why["level"], why["step_index"]) == (1, 0)
    assert why_says in why["reason"]
    assert [d["person_capacity"] for d in events(memory_store, "DecisionRecorded")] == ["sekda"]


async def test_an_ordinary_step_with_a_plt_in_office_waits_for_the_plt(
    dev_env: WorkflowEnvironment, memory_store: EventStore, task_queue: str
) -> None:
    diskominfo(memory_store, plt=PLT)
    approval = approval_input([step(0, "DISKOMINFO")])
    async with running_worker(dev_env.client, memory_store, task_queue):
        handle = await start(dev_env.client, task_queue, approval)
        acting = ballot("DISKOMINFO", capacity="plt", person=PLT)
        state = await approvals.decide(dev_env.client, approval.request_id, acting)
        assert state.status == ApprovalStatus.APPROVED
        assert await handle.result() == ApprovalStatus.APPROVED
    assert "NobodyMayDecide" not in event_names(memory_store)
    assert "StepEscalated" not in event_names(memory_store)
