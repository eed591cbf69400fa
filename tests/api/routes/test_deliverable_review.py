"""The secretariat reviews submitted bimtek deliverables over HTTP: accept, or return saying why."""

from __future__ import annotations

from typing import Any

import httpx

from tests.api.routes.made import BIMTEK as V1
from tests.api.routes.made import owe, stage, submitted
from tests.support.app import FOREIGN_OPD, OWN_OPD, Api


async def review(
    api: Api, session_id: str, body: dict[str, Any], role: str = "admin", **headers: str
) -> httpx.Response:
    """POST a review of the own OPD's draft as ``role``."""
    return await api.client.post(
        f"{V1}/{session_id}/deliverables/draft-{OWN_OPD}/review",
        json=body, headers={**api.auth(role), **headers},
    )  # fmt: skip


async def deliverable(api: Api, session_id: str, opd: str = OWN_OPD) -> dict[str, Any]:
    """The deliverable of ``opd``, as the secretariat sees it."""
    answer = await api.client.get(f"{V1}/{session_id}/deliverables", headers=api.auth("admin"))
    found: dict[str, Any] = next(
        d for d in answer.json()["items"] if d["deliverable_id"] == f"draft-{opd}"
    )
    return found


async def test_the_secretariat_accepts_a_submitted_deliverable(api: Api) -> None:
    session_id = await submitted(api)
    before = api.app.state.store.max_position()
    answer = await review(api, session_id, {"outcome": "accept", "comment": "Lengkap."})
    assert answer.status_code == 200, answer.text
    assert answer.json()["position"] > before
    assert answer.json()["id"] == f"draft-{OWN_OPD}"
    found = await deliverable(api, session_id)
    assert (found["status"], found["note"]) == ("accepted", "Lengkap.")


async def test_a_returned_deliverable_carries_the_reason(api: Api) -> None:
    session_id = await submitted(api)
    answer = await review(api, session_id, {"outcome": "return", "comment": "Lampiran kurang."})
    assert answer.status_code == 200, answer.text
    found = await deliverable(api, session_id)
    assert (found["status"], found["note"]) == ("returned", "Lampiran kurang.")


async def test_returning_without_saying_why_is_refused(api: Api) -> None:
    session_id = await submitted(api)
    answer = await review(api, session_id, {"outcome": "return", "comment": "   "})
    assert answer.status_code == 422
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.json()["errors"][0]["field"] == "comment"
    assert (await deliverable(api, session_id))["status"] == "submitted"


async def test_a_deliverable_not_yet_handed_in_cannot_be_reviewed(api: Api) -> None:
    session_id = await stage(api)
    await owe(api, session_id, OWN_OPD)
    answer = await review(api, session_id, {"outcome": "accept"})
    problem = answer.json()
    assert answer.status_code == 409
    assert problem["type"].endswith("/deliverable-wrong-status")
    assert problem["detail"] == (
        f"Deliverable draft-{OWN_OPD} is owed; this needs it to be submitted."
    )


async def test_an_accepted_deliverable_cannot_then_be_returned(api: Api) -> None:
    session_id = await submitted(api)
    accepted = await review(api, session_id, {"outcome": "accept"})
    returned = await review(api, session_id, {"outcome": "return", "comment": "Ralat."})
    assert accepted.status_code == 200
    assert returned.status_code == 409
    assert "is accepted" in returned.json()["detail"]


async def test_an_unknown_deliverable_is_not_found(api: Api) -> None:
    session_id = await stage(api)
    answer = await review(api, session_id, {"outcome": "accept"})
    assert answer.status_code == 404
    assert answer.json()["type"].endswith("/deliverable-not-found")


async def test_the_head_of_the_owing_opd_may_not_review_its_own_deliverable(api: Api) -> None:
    session_id = await submitted(api)
    answer = await review(api, session_id, {"outcome": "accept"}, role="opd-head")
    assert answer.status_code == 403
    assert (await deliverable(api, session_id))["status"] == "submitted"


async def test_an_outcome_other_than_accept_or_return_and_unknown_fields_are_refused(
    api: Api,
) -> None:
    session_id = await submitted(api)
    approve = await review(api, session_id, {"outcome": "approve"})
    extra = await review(api, session_id, {"outcome": "accept", "score": 90})
    assert (approve.status_code, extra.status_code) == (422, 422)
    assert [e["field"] for e in approve.json()["errors"]] == ["outcome"]
    assert [e["field"] for e in extra.json()["errors"]] == ["score"]


async def test_a_review_sent_twice_with_one_key_is_recorded_once(api: Api) -> None:
    session_id = await submitted(api, FOREIGN_OPD)
    path = f"{V1}/{session_id}/deliverables/draft-{FOREIGN_OPD}/review"
    headers = {**api.auth("admin"), "Idempotency-Key": "review-1"}
    first = await api.client.post(path, json={"outcome": "accept"}, headers=headers)
    again = await api.client.post(path, json={"outcome": "accept"}, headers=headers)
    assert first.status_code == again.status_code == 200
    assert again.json() == first.json()
    assert (await deliverable(api, session_id, FOREIGN_OPD))["status"] == "accepted"
