"""The default route of each kind of approval: which OPD heads decide, in which order.

Pure policy, no state. The choices, so they can be argued with:

- A milestone report goes to BAPPEDA (it monitors development programs, 5 working days to
  weigh the report against the plan), then to DISKOMINFO (the smart-city secretariat, 3
  working days). The BAPPEDA step is a ``budget`` step when the program has a budget, since
  that is where the use of money is judged; DISKOMINFO checks delivery, not money. Both
  steps are ``strategic`` for a quick win: it is the mayor's flagship, so an acting head
  (Plt./Plh.) signs off neither step (UU 30/2014 art. 14(7)); escalation lets the Sekda.
- A bimtek deliverable and a commitment closure are checked by DISKOMINFO alone.
- A plan revision changes the plan and its money: BAPPEDA and BPKPD (finance) must both
  approve (a budget and strategic step), then SETDA for the Sekda (strategic).
"""

from __future__ import annotations

from domain.approvals.rules import ALL, StepSpec
from domain.shared import ValidationError

BAPPEDA, DISKOMINFO, BPKPD, SETDA = "BAPPEDA", "DISKOMINFO", "BPKPD", "SETDA"


class NoDefaultRouteError(ValidationError):
    """There is no default route for this kind of subject."""

    code = "no-default-route"
    title = "No default approval route"

    def __init__(self, subject_kind: str) -> None:
        super().__init__(
            "subject_kind", f"There is no default approval route for '{subject_kind}'."
        )


def milestone_report_route(has_budget: bool, quick_win: bool) -> list[StepSpec]:
    """BAPPEDA (5 working days), then DISKOMINFO (3 working days)."""
    return [
        StepSpec(0, (BAPPEDA,), ALL, None, 5, strategic=quick_win, budget=has_budget),
        StepSpec(1, (DISKOMINFO,), ALL, None, 3, strategic=quick_win),
    ]


def plan_revision_route() -> list[StepSpec]:
    """BAPPEDA and BPKPD together (5 working days), then SETDA (3 working days)."""
    return [
        StepSpec(0, (BAPPEDA, BPKPD), ALL, None, 5, strategic=True, budget=True),
        StepSpec(1, (SETDA,), ALL, None, 3, strategic=True),
    ]


def default_route(
    subject_kind: str, *, has_budget: bool = False, quick_win: bool = False
) -> list[StepSpec]:
    """The route an approval of ``subject_kind`` takes unless the secretariat sets another."""
    if subject_kind == "milestone-report":
        return milestone_report_route(has_budget, quick_win)
    if subject_kind == "plan-revision":
        return plan_revision_route()
    if subject_kind in ("deliverable", "commitment-closure"):
        return [StepSpec(0, (DISKOMINFO,), ALL, None, 3)]
    raise NoDefaultRouteError(subject_kind)
