"""One city code everywhere: a local holiday declared for the city moves the due dates the
workflows compute, and the deadline board and the inbox count with it."""

from __future__ import annotations

from datetime import datetime

from api.auth import Role
from domain.approvals.ladder import milestone_report_route
from domain.calendar import JAKARTA, CalendarApplication
from tests.support.engine import V1, Engine, board, engine, inbox_of, started

__all__ = ["engine"]


async def test_a_local_holiday_moves_a_due_date_on_the_deadline_board(engine: Engine) -> None:
    city = engine
    calendar = city.app.state.store.app(CalendarApplication)
    code = city.plan().get_plan(city.summary.plan_id).city_code
    today = datetime.now(JAKARTA).date()
    sla = milestone_report_route(has_budget=False, quick_win=False)[0].sla_working_days
    due_before = calendar.calendar_for(code).add_working_days(today, sla)
    holiday = calendar.calendar_for(code).add_working_days(today, 1)

    # No city named: the deployment's city, which is the city of the loaded plan.
    declared = await city.client.post(
        f"{V1}/calendar/declarations",
        json={"day": holiday.isoformat(), "kind": "local-holiday", "reason": "Hari jadi kota"},
        headers=city.auth(Role.ADMIN),
    )
    assert declared.status_code == 200, declared.text
    request_id = await started(city)

    due_after = calendar.calendar_for(code).add_working_days(due_before, 1)
    rows = await board(city, "due-soon", city.last_position())
    assert [r["due_date"] for r in rows if r["subject_id"] == request_id] == [due_after.isoformat()]
    inbox = await inbox_of(city, city.auth(Role.OPD_HEAD), city.last_position())
    assert [i["working_days_left"] for i in inbox if i["request_id"] == request_id] == [sla]
