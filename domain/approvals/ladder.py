"""The default route of each kind of approval (which OPD heads decide, in which order), and
the README's table of it.

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

``python -m domain.approvals.ladder`` prints the README's table of who approves what; a
test checks the README holds exactly this text between its markers, so it cannot drift.
"""

from __future__ import annotations

from domain.approvals.values import Mode, StepSpec, SubjectKind
from domain.shared import ValueRefusedError

BAPPEDA, DISKOMINFO, BPKPD, SETDA = "BAPPEDA", "DISKOMINFO", "BPKPD", "SETDA"


class NoDefaultRouteError(ValueRefusedError):
    """There is no default route for this kind of subject."""

    code = "no-default-route"
    title = "No default approval route"
    FIELD = "subject_kind"
    MESSAGE = "There is no default approval route for '{}'."


def milestone_report_route(has_budget: bool, quick_win: bool) -> list[StepSpec]:
    """BAPPEDA (5 working days), then DISKOMINFO (3 working days)."""
    return [
        StepSpec(0, (BAPPEDA,), Mode.ALL, None, 5, strategic=quick_win, budget=has_budget),
        StepSpec(1, (DISKOMINFO,), Mode.ALL, None, 3, strategic=quick_win),
    ]


def plan_revision_route() -> list[StepSpec]:
    """BAPPEDA and BPKPD together (5 working days), then SETDA (3 working days)."""
    return [
        StepSpec(0, (BAPPEDA, BPKPD), Mode.ALL, None, 5, strategic=True, budget=True),
        StepSpec(1, (SETDA,), Mode.ALL, None, 3, strategic=True),
    ]


def default_route(
    subject_kind: str, *, has_budget: bool = False, quick_win: bool = False
) -> list[StepSpec]:
    """The route an approval of ``subject_kind`` takes unless the secretariat sets another."""
    if subject_kind == SubjectKind.MILESTONE_REPORT:
        return milestone_report_route(has_budget, quick_win)
    if subject_kind == SubjectKind.PLAN_REVISION:
        return plan_revision_route()
    if subject_kind in (SubjectKind.DELIVERABLE, SubjectKind.COMMITMENT_CLOSURE):
        return [StepSpec(0, (DISKOMINFO,), Mode.ALL, None, 3)]
    raise NoDefaultRouteError(subject_kind)


START = "<!-- approval-routes:start -->"
END = "<!-- approval-routes:end -->"

#: Each subject kind, and the cases in which its route differs: (subject, when, options).
CASES: tuple[tuple[str, str, str, dict[str, bool]], ...] = (
    ("milestone-report", "Milestone report", "program without budget", {}),
    ("milestone-report", "Milestone report", "program with a budget", {"has_budget": True}),
    ("milestone-report", "Milestone report", "quick win", {"quick_win": True}),
    (
        "milestone-report",
        "Milestone report",
        "quick win with a budget",
        {"has_budget": True, "quick_win": True},
    ),
    ("deliverable", "Bimtek deliverable", "always", {}),
    ("commitment-closure", "Commitment closure", "always", {}),
    ("plan-revision", "Plan revision", "always", {}),
)
HEADER = (
    "| Subject (`subject_kind`) | When | Step | Decided by | Mode | Strategic | Budget "
    "| SLA (working days) |",
    "|---|---|---|---|---|---|---|---|",
)


def mode_words(step: StepSpec) -> str:
    """How the OPDs of a step decide, in words."""
    n = len(step.opd_codes)
    if n == 1:
        return "alone"
    if step.mode == Mode.ANY:
        return f"in parallel, any 1 of {n}"
    if step.mode == Mode.QUORUM:
        return f"in parallel, {step.quorum} of {n}"
    return f"in parallel, all {n}"


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


def rows() -> list[str]:
    """One table row per step of each case; steps run one after another."""
    found = []
    for kind, subject, when, options in CASES:
        for step in default_route(kind, **options):
            cells = (
                f"{subject} (`{kind}`)",
                when,
                str(step.index + 1),
                " + ".join(step.opd_codes),
                mode_words(step),
                _yes(step.strategic),
                _yes(step.budget),
                str(step.sla_working_days),
            )
            found.append("| " + " | ".join(cells) + " |")
    return found


def table() -> str:
    """The whole table, markers included, as the README holds it."""
    return "\n".join((START, *HEADER, *rows(), END))


if __name__ == "__main__":
    print(table())
