"""The master plan 2024-2033: six aspects, programs, quick wins and milestones in every state."""

from __future__ import annotations

import uuid

from domain.plan import PlanApplication
from domain.shared import Actor, Capacity
from infra.scenario.data import (
    CITY_CODE,
    CITY_NAME,
    MAYOR_ID,
    Facts,
    at_wib,
    day,
    head_of,
    moment,
    paper,
    staff,
)


def load_plan(
    app: PlanApplication,
    facts: Facts,
    city: tuple[str, str] = (CITY_CODE, CITY_NAME),
    title: str = "",
) -> tuple[uuid.UUID, int, int]:
    """Draft, fill, approve and execute the plan; returns (plan id, programs, milestones).

    Another ``city`` (code, name) and ``title`` give the same plan to another city.
    """
    spec = facts["plan"]
    plan_id = app.create_plan(
        city_code=city[0],
        city_name=city[1],
        title=title or spec["title"],
        start_year=spec["start_year"],
        years=spec["years"],
        vision=spec["vision"],
        by=staff(moment(spec["drafted_at"])),
    ).id
    added = staff(moment(spec["programs_added_at"]))
    milestones = [m for program in spec["programs"] for m in _define(app, plan_id, program, added)]
    app.approve_plan(plan_id, by=Actor(MAYOR_ID, Capacity.MAYOR, moment(spec["approved_at"])))
    reviewer = head_of(facts, spec["reviewer_opd"])["nip"]
    for milestone_id, owner, row in milestones:
        _execute(app, milestone_id, head_of(facts, owner)["nip"], reviewer, row)
    return plan_id, len(spec["programs"]), len(milestones)


def _define(
    app: PlanApplication, plan_id: uuid.UUID, program: Facts, by: Actor
) -> list[tuple[uuid.UUID, str, Facts]]:
    """Add a program and its milestones; returns (milestone id, owner OPD, facts) of each."""
    program_id = app.add_program(
        plan_id,
        code=program["code"],
        name=program["name"],
        aspect=program["aspect"],
        owner_opd=program["owner"],
        supporting_opds=program["supporting"],
        quick_win=program["quick_win"],
        horizon=program["horizon"],
        targets={int(year): target for year, target in program["targets"].items()},
        budgets={int(year): amount for year, amount in program["budgets"].items()},
        by=by,
    ).id
    added = []
    for row in program["milestones"]:
        milestone = app.add_milestone(
            program_id, code=row["code"], title=row["title"], due_date=day(row["due"]), by=by
        )
        added.append((milestone.id, program["owner"], row))
    return added


def _execute(
    app: PlanApplication, milestone_id: uuid.UUID, owner: str, reviewer: str, row: Facts
) -> None:
    """Record what happened to a milestone: reported, submitted, approved or returned, done."""
    state = row["state"]
    if state == "planned":
        return
    reported = paper(at_wib(row["reported_on"], 10), owner, Capacity.HEAD)
    evidence = [f"bukti/{CITY_CODE.lower()}/{milestone_id}/laporan-kemajuan.pdf"]
    app.report_progress(
        milestone_id, percent=row["percent"], note=row["note"], evidence=evidence, by=reported
    )
    if state == "in-progress":
        return
    app.submit_milestone(
        milestone_id, by=paper(at_wib(row["submitted_on"], 14), owner, Capacity.HEAD)
    )
    if state == "submitted":
        return
    decided = Actor(reviewer, Capacity.HEAD, at_wib(row["decided_on"], 10))
    if state == "returned":
        app.return_milestone(milestone_id, comment=row["comment"], by=decided)
        return
    app.approve_milestone(milestone_id, by=decided)
    app.complete_milestone(milestone_id, by=staff(at_wib(row["decided_on"], 15)))
