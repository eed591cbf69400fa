"""The README's table of who approves what, written from the default routes.

``python -m domain.approvals.route_table`` prints it; a test checks the README holds exactly
this text between its markers, so the table cannot drift from ``routes.py``.
"""

from __future__ import annotations

from domain.approvals import rules
from domain.approvals.routes import default_route
from domain.approvals.rules import StepSpec

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
    if step.mode == rules.ANY:
        return f"in parallel, any 1 of {n}"
    if step.mode == rules.QUORUM:
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
