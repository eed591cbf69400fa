"""Citizens' feedback over HTTP: given on published programs, shown only once approved."""

from __future__ import annotations

import uuid
from typing import Any

from api.auth import Role
from domain.plan import PlanApplication
from tests.api.routes.made import milestone
from tests.support.app import SECRETARIAT, Api
from tests.support.city import catch_up

V1 = "/api/v1"


async def program_of(api: Api, *, publish: bool = True) -> str:
    """A program of a new plan, the plan approved (published) unless ``publish`` is False."""
    plans: PlanApplication = api.app.state.store.app(PlanApplication)
    program_id = plans.get_milestone(uuid.UUID(await milestone(api))).program_id
    if publish:
        plans.approve_plan(plans.get_program(program_id).plan_id, by=SECRETARIAT)
    return str(program_id)


async def give(api: Api, program_id: str, rating: int, comment: str, key: str = "") -> Any:
    """A citizen's feedback (with an Idempotency-Key when given); the answer."""
    headers = {**api.auth(Role.PUBLIC), **({"Idempotency-Key": key} if key else {})}
    body = {"program_id": program_id, "rating": rating, "comment": comment, "kelurahan": "Bantan"}
    return await api.client.post(f"{V1}/feedback", json=body, headers=headers)


async def moderate(api: Api, comment_id: str, decision: str, reason: str = "") -> Any:
    """The secretariat's decision on a comment; the answer."""
    return await api.client.post(
        f"{V1}/feedback/{comment_id}/moderation",
        json={"decision": decision, "reason": reason},
        headers=api.auth(Role.ADMIN),
    )


async def shown(api: Api, program_id: str, role: str = Role.PUBLIC) -> Any:
    """The program's feedback as ``role`` sees it, once the read models caught up."""
    catch_up(api)
    answer = await api.client.get(f"{V1}/feedback/programs/{program_id}", headers=api.auth(role))
    assert answer.status_code == 200, answer.text
    return answer.json()


async def test_feedback_is_hidden_until_approved_and_a_rejected_one_is_never_shown(
    api: Api,
) -> None:
    program_id = await program_of(api)
    kept = await give(api, program_id, 5, "Antrian puskesmas jauh lebih cepat")
    spam = await give(api, program_id, 1, "Beli obat murah di sini")
    assert (kept.status_code, spam.status_code) == (201, 201), kept.text
    before = await shown(api, program_id)
    assert before["comments"] == []
    assert before["ratings"] == {"count": 0, "mean": None, "distribution": {}}
    queue = await api.client.get(f"{V1}/feedback/pending", headers=api.auth(Role.ADMIN))
    assert {c["comment_id"] for c in queue.json()} == {kept.json()["id"], spam.json()["id"]}
    assert (await moderate(api, kept.json()["id"], "approved")).status_code == 200
    assert (await moderate(api, spam.json()["id"], "rejected", "Iklan")).status_code == 200
    after = await shown(api, program_id)
    assert [c["comment"] for c in after["comments"]] == ["Antrian puskesmas jauh lebih cepat"]
    assert after["ratings"] == {"count": 1, "mean": 5.0, "distribution": {"5": 1}}
    changed_mind = await moderate(api, spam.json()["id"], "approved")
    assert (changed_mind.status_code, changed_mind.json()["type"].split("/")[-1]) == (
        409,
        "already-moderated",
    )
    assert [c["comment"] for c in (await shown(api, program_id))["comments"]] == [
        "Antrian puskesmas jauh lebih cepat"
    ]


async def test_a_retried_feedback_counts_once(api: Api) -> None:
    program_id = await program_of(api)
    first = await give(api, program_id, 4, "Bagus", key="kirim-1")
    again = await give(api, program_id, 4, "Bagus", key="kirim-1")
    assert first.json()["id"] == again.json()["id"]
    await moderate(api, first.json()["id"], "approved")
    assert (await shown(api, program_id))["ratings"]["count"] == 1


async def test_feedback_on_a_draft_plan_or_with_a_bad_rating_is_refused(api: Api) -> None:
    draft = await program_of(api, publish=False)
    refused = await give(api, draft, 4, "Belum terbit")
    assert refused.status_code == 404
    assert refused.headers["content-type"].startswith("application/problem+json")
    plans: PlanApplication = api.app.state.store.app(PlanApplication)
    plans.approve_plan(plans.get_program(uuid.UUID(draft)).plan_id, by=SECRETARIAT)
    assert (await give(api, draft, 6, "Enam")).status_code == 422
    assert (await give(api, str(uuid.uuid4()), 3, "Tidak ada")).status_code == 404
    catch_up(api)
    queue = await api.client.get(f"{V1}/feedback/pending", headers=api.auth(Role.ADMIN))
    assert queue.json() == []


async def test_rejection_needs_a_reason_and_only_the_secretariat_moderates(api: Api) -> None:
    program_id = await program_of(api)
    given = (await give(api, program_id, 2, "Lambat")).json()["id"]
    no_reason = await moderate(api, given, "rejected")
    assert no_reason.status_code == 422
    as_head = await api.client.post(
        f"{V1}/feedback/{given}/moderation", json={"decision": "approved"},
        headers=api.auth(Role.OPD_HEAD),
    )  # fmt: skip
    assert as_head.status_code == 403
    unknown = await moderate(api, str(uuid.uuid4()), "approved")
    assert unknown.status_code == 404
