"""A rotation (mutasi) over HTTP: open work follows the office, not the person.

The BAPPEDA head approves step 1; step 2 waits at DISKOMINFO. The secretariat registers a
new civil servant, appoints them head of DISKOMINFO from today by decree, and ends the
BAPPEDA head's appointment. From today the step is in the new head's inbox and no longer in
the old head's; the BAPPEDA decision keeps the capacity it was taken in.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from api.auth import Role
from domain.calendar import JAKARTA
from infra.scenario import personas
from tests.support.engine import (
    V1,
    Engine,
    approval_of,
    engine,
    eventually,
    head_of,
    inbox_of,
    open_step,
    started,
)

__all__ = ["engine"]

NEW_HEAD = "19780303 200212 1 004"
NEW_HEAD_NIP = NEW_HEAD.replace(" ", "")


async def post(city: Engine, path: str, body: dict[str, Any], key: str) -> dict[str, Any]:
    """POST as the secretariat; the answer's body (2xx asserted)."""
    headers = {**city.auth(Role.ADMIN), "Idempotency-Key": key}
    answer = await city.client.post(f"{V1}{path}", json=body, headers=headers)
    assert answer.status_code in (200, 201), answer.text
    found: dict[str, Any] = answer.json()
    return found


async def step_requests(city: Engine, headers: dict[str, str]) -> list[tuple[str, int]]:
    """(request, step) of the caller's inbox, read at the end of the log."""
    items = await inbox_of(city, headers, city.last_position())
    return [(i["request_id"], i["step_index"]) for i in items]


async def test_a_rotation_moves_an_open_step_to_the_new_heads_inbox(engine: Engine) -> None:
    city, today = engine, datetime.now(JAKARTA).date()
    request_id = await started(city)
    bappeda_head = city.auth(Role.OPD_HEAD)
    decided = await city.client.post(
        f"{V1}/approvals/{request_id}/decisions",
        json={"outcome": "approve", "comment": "Sesuai rencana induk."},
        headers={**bappeda_head, "Idempotency-Key": "rotation-1"},
    )
    assert decided.status_code == 200, decided.text
    await eventually(lambda: approval_of(city, request_id), lambda a: open_step(a) == 1)
    old_head = city.token_of(head_of(city, "DISKOMINFO"))
    assert (request_id, 1) in await step_requests(city, old_head)

    await post(
        city, "/people", {"nip": NEW_HEAD, "name": "Dr. Rudi Hartono", "golongan": "IV/b"}, "r-1"
    )
    appointed = await post(
        city,
        "/opds/DISKOMINFO/appointments",
        {"kind": "head", "nip": NEW_HEAD, "decree": "821.2/45/BKPSDM/2026",
         "decree_date": (today - timedelta(days=3)).isoformat(), "valid_from": today.isoformat()},
        "r-2",
    )  # fmt: skip
    moved_out = await city.client.get(
        f"{V1}/people/{personas.OPD_HEAD}", headers=city.auth(Role.ADMIN)
    )
    (term,) = [a for a in moved_out.json()["appointments"] if a["in_force"]]
    await post(
        city,
        f"/appointments/{term['id']}/end",
        {"last_day": (today - timedelta(days=1)).isoformat(), "reason": "Mutasi"},
        "r-3",
    )

    new_head = city.token_of(NEW_HEAD_NIP)
    assert (request_id, 1) in await step_requests(city, new_head)
    assert (request_id, 1) not in await step_requests(city, old_head)
    people = await city.client.get(f"{V1}/people?opd=DISKOMINFO", headers=city.auth(Role.ADMIN))
    heads_today = {
        p["nip"] for p in people.json()["items"] for a in p["appointments"]
        if a["opd"] == "DISKOMINFO" and a["kind"] == "head" and a["in_force"]
    }  # fmt: skip
    assert heads_today == {NEW_HEAD_NIP}
    assert appointed["id"] in {a["id"] for p in people.json()["items"] for a in p["appointments"]}

    second = await city.client.post(
        f"{V1}/approvals/{request_id}/decisions",
        json={"outcome": "approve", "comment": "Lanjutkan."},
        headers={**new_head, "Idempotency-Key": "rotation-2"},
    )
    assert second.status_code == 200, second.text
    first_step, second_step = second.json()["approval"]["steps"]
    assert [(d["person_nip"], d["opd_code"], d["capacity"]) for d in first_step["decisions"]] == [
        (personas.OPD_HEAD, "BAPPEDA", "head")
    ]
    assert [(d["person_nip"], d["capacity"]) for d in second_step["decisions"]] == [
        (NEW_HEAD_NIP, "head")
    ]
