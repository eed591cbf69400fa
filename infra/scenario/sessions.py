"""The four bimtek stages of 2023: attendance, materials and the deliverables owed after them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from functools import partial

from domain.bimtek import BimtekApplication, BimtekSession
from infra.scenario.data import CITY_CODE, Facts, at_wib, day, moment, paper, staff

#: A fact to record: when it happened, and the command that records it.
Step = tuple[datetime, Callable[[], None]]


def load_sessions(app: BimtekApplication, facts: Facts) -> tuple[int, int, int]:
    """Record the stages; returns (stages, attendance records, deliverables)."""
    sessions = [_stage(facts, stage) for stage in facts["bimtek"]["stages"]]
    app.save_new(*sessions, what="The bimtek stages of the reference city")
    attendance = sum(len(s.attendance) for s in sessions)
    return len(sessions), attendance, sum(len(s.deliverables) for s in sessions)


def _stage(facts: Facts, stage: Facts) -> BimtekSession:
    """One stage and everything recorded on it, in the order it happened."""
    bimtek = facts["bimtek"]
    codes = [u["code"] for u in facts["units"]]
    session = BimtekSession.create(
        city_code=CITY_CODE,
        stage_number=stage["stage"],
        title=stage["title"],
        start_date=day(stage["start"]),
        end_date=day(stage["end"]),
        venue=stage["venue"],
        organiser_opd=bimtek["organiser"],
        invited_opds=codes,
        **staff(moment(stage["planned_at"])).attribution(),
    )
    steps = _materials(session, stage) + _attendance(session, stage, facts)
    for assignment in bimtek["deliverables"]:
        if assignment["stage"] == stage["stage"]:
            steps += _deliverables(session, assignment, codes)
    for _, record in sorted(steps, key=lambda step: step[0]):
        record()
    return session


def _materials(session: BimtekSession, stage: Facts) -> list[Step]:
    """The materials presented on the first morning."""
    when = at_wib(stage["start"], 9)
    return [
        (when, partial(session.add_material, title, ref, **staff(when).attribution()))
        for title, ref in stage["materials"]
    ]


def _attendance(session: BimtekSession, stage: Facts, facts: Facts) -> list[Step]:
    """Who came (how many ASN), noted from the attendance list at the end of the stage."""
    when = at_wib(stage["end"], 16)
    steps: list[Step] = []
    for row in facts["units"]:
        count = row["bimtek_asn"][stage["stage"] - 1]
        record = partial(session.record_attendance, row["code"], count > 0, count, None, False)
        steps.append((when, partial(record, **paper(when).attribution())))
    return steps


def _deliverables(session: BimtekSession, assignment: Facts, codes: list[str]) -> list[Step]:
    """Each OPD's draft section of the master plan: assigned, submitted, reviewed."""
    assigned = moment(assignment["assigned_at"])
    due = day(assignment["due"])
    steps: list[Step] = []
    for index, code in enumerate(codes):
        key = f"{assignment['prefix']}-{code}"
        assign = partial(session.assign_deliverable, key, code, assignment["title"], due)
        steps.append((assigned, partial(assign, **staff(assigned).attribution())))
        if code in assignment["owed"]:
            continue
        late = assignment["late"].get(code)
        submitted = (
            at_wib(late, 15) if late else at_wib(assignment["due"], 15) - timedelta(days=index % 6)
        )
        reference = f"bimtek/2023/tahap-{session.stage_number}/{key.lower()}.docx"
        submit = partial(session.submit_deliverable, key, reference, submitted)
        steps.append((submitted, partial(submit, **paper(submitted).attribution())))
        if late and session.stage_number > 2:
            continue  # late drafts of stage 3 were still waiting for review
        reviewed = submitted + timedelta(days=3)
        accept = partial(session.accept_deliverable, key, "Diterima tim sekretariat")
        steps.append((reviewed, partial(accept, **staff(reviewed).attribution())))
    return steps
