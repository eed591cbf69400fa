"""Who is in office for the OPDs of a step, and a step nobody may decide sent up the ladder.

Called by the ``approval.open_step`` activity: a step that no one in office may decide
(the only head submitted the report, or only a Plt./Plh. is in office on a strategic or
budget step) would wait for its SLA escalation for nothing, so it goes to the Sekda at once,
with the reason recorded.
"""

from __future__ import annotations

import uuid
from datetime import date

from domain.approvals import rules
from domain.approvals.application import ApprovalsApplication
from domain.approvals.rules import Holder
from domain.organisation.application import OrganisationApplication
from domain.shared import Actor, NotFoundError


def holders_on(
    organisation: OrganisationApplication, opd_codes: tuple[str, ...], day: date
) -> dict[str, list[Holder]]:
    """Who leads each of ``opd_codes`` on ``day`` (head, Plt., Plh.); unknown OPDs left out."""
    found: dict[str, list[Holder]] = {}
    for code in opd_codes:
        try:
            opd = organisation.get_opd(code)
        except NotFoundError:
            continue  # not registered here: nothing known, so nothing to conclude
        head = opd.head_on(day)
        holders = [Holder(head.nip, "head")] if head is not None else []
        holders += [Holder(t.nip, t.kind) for t in opd.acting_on(day)]
        found[code] = holders
    return found


def escalate_if_deadlocked(
    approvals: ApprovalsApplication,
    organisation: OrganisationApplication,
    request_id: uuid.UUID,
    step_index: int,
    day: date,
    by: Actor,
) -> str | None:
    """Escalate the open step at once when nobody in office on ``day`` may decide it.

    Answers the reason (also when a retried call finds it already recorded), else None.
    """
    state = approvals.snapshot(request_id)
    step = state.steps[step_index]
    if step.escalation_reason is not None:
        return step.escalation_reason
    if not step.is_open or step.escalation_level > 0:
        return None
    holders = holders_on(organisation, step.assigned_opds, day)
    reason = rules.deadlock_reason(step.spec, step.assigned_opds, holders, state.submitted_by)
    if reason is not None:
        approvals.escalate_deadlock(request_id, step_index, reason, by)
    return reason
