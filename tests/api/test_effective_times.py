"""Times that cannot be bent: a fact done over HTTP counts from the server's clock.

Only the secretariat enters a paper record with an earlier time, saying why; the event is
marked back-dated and says so in the audit trail and the timeline. A future time is refused.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from api.auth import sign_dev_token
from domain.bimtek import BimtekSession
from domain.calendar import JAKARTA
from domain.commitments import Commitment
from domain.times import backdating_of
from infra.scenario.data import CITY_CODE
from projections.audit.decode import reader
from projections.views.timeline import view as timeline
from tests.api.routes.made import create, milestone, owe, stage
from tests.support.app import FOREIGN_OPD, HEAD_NIP, OTHER_HEAD_NIP, OWN_OPD, Api
from tests.support.city import City, catch_up, city

__all__ = ["city"]

V1 = "/api/v1"
#: The head of DISPAR in the reference city, who owes stage 3's draft and one signature.
DISPAR_HEAD = "198201212006011004"
PAPER = "Lembar serah terima kertas diterima sekretariat kemudian"


def submission(session_id: str) -> str:
    """The submission path of the own OPD's deliverable of a stage."""
    return f"{V1}/bimtek/sessions/{session_id}/deliverables/draft-{OWN_OPD}/submission"


async def deliverable(api: Api, session_id: str) -> dict[str, object]:
    """The own OPD's deliverable of a stage, as the secretariat reads it."""
    answer = await api.client.get(
        f"{V1}/bimtek/sessions/{session_id}/deliverables", headers=api.auth("admin")
    )
    found: dict[str, object] = next(
        d for d in answer.json()["items"] if d["deliverable_id"] == f"draft-{OWN_OPD}"
    )
    return found


def moment(delta: timedelta) -> str:
    """Now plus ``delta``, as ISO text in WIB."""
    return (datetime.now(JAKARTA) + delta).isoformat()


async def test_an_opd_head_may_not_back_date_a_deliverable(api: Api) -> None:
    session_id = await stage(api)
    await owe(api, session_id, OWN_OPD)  # due 2023-07-31
    body = {"reference": "drive/draft.pdf", "submitted_at": "2023-07-30T10:00:00+07:00"}
    refused = await api.client.post(submission(session_id), json=body, headers=api.auth("opd-head"))
    assert refused.status_code == 403
    assert "only the secretariat" in refused.json()["detail"]
    assert (await deliverable(api, session_id))["status"] == "owed"
    honest = await api.client.post(
        submission(session_id), json={"reference": "drive/draft.pdf"}, headers=api.auth("opd-head")
    )
    assert honest.status_code == 200
    assert (await deliverable(api, session_id))["late"] is True


async def test_an_opd_head_may_not_back_date_a_signature(api: Api) -> None:
    commitment_id = await create(api)
    refused = await api.client.post(
        f"{V1}/commitments/{commitment_id}/signatures",
        json={"signed_at": "2024-05-07T10:00:00+07:00"}, headers=api.auth("opd-head"),
    )  # fmt: skip
    assert refused.status_code == 403
    listed = await api.client.get(
        f"{V1}/commitments/{commitment_id}/signatures", headers=api.auth("admin")
    )
    assert listed.json()["items"] == []


async def test_a_time_within_a_clock_s_error_is_taken_as_the_servers_now(api: Api) -> None:
    commitment_id = await create(api)
    before = datetime.now(JAKARTA)
    signed = await api.client.post(
        f"{V1}/commitments/{commitment_id}/signatures",
        json={"signed_at": moment(timedelta(minutes=-2))}, headers=api.auth("opd-head"),
    )  # fmt: skip
    assert signed.status_code == 200
    listed = await api.client.get(
        f"{V1}/commitments/{commitment_id}/signatures", headers=api.auth("admin")
    )
    [signature] = listed.json()["items"]
    assert datetime.fromisoformat(signature["signed_at"]) >= before
    assert signature["backdated"] == ""


async def test_a_future_time_is_refused_whoever_gives_it(api: Api) -> None:
    commitment_id = await create(api)
    tomorrow = moment(timedelta(days=1))
    by_head = await api.client.post(
        f"{V1}/commitments/{commitment_id}/signatures", json={"signed_at": tomorrow},
        headers=api.auth("opd-head"),
    )  # fmt: skip
    session_id = await stage(api)
    by_secretariat = await api.client.post(
        f"{V1}/bimtek/sessions/{session_id}/attendance",
        json={"opd_code": OWN_OPD, "present": True, "asn_count": 2, "effective_at": tomorrow,
              "backdated_reason": PAPER},
        headers=api.auth("admin"),
    )  # fmt: skip
    for answer, field in ((by_head, "signed_at"), (by_secretariat, "effective_at")):
        assert answer.status_code == 422
        assert answer.json()["errors"][0]["field"] == field
        assert "future" in answer.json()["detail"]


async def test_the_secretariat_back_dates_a_paper_record_only_saying_why(api: Api) -> None:
    session_id = await stage(api)
    await owe(api, session_id, OWN_OPD)
    body = {"reference": "arsip/draft.pdf", "submitted_at": "2023-07-30T10:00:00+07:00"}
    unexplained = await api.client.post(
        submission(session_id), json=body, headers=api.auth("admin")
    )
    assert unexplained.status_code == 422
    assert unexplained.json()["errors"][0]["field"] == "backdated_reason"
    assert (await deliverable(api, session_id))["status"] == "owed"
    recorded = await api.client.post(
        submission(session_id), json={**body, "backdated_reason": PAPER}, headers=api.auth("admin")
    )
    assert recorded.status_code == 200
    shown = await deliverable(api, session_id)
    assert (shown["status"], shown["late"], shown["backdated"]) == ("submitted", False, PAPER)
    trail = await api.client.get(
        f"{V1}/audit/aggregates/{session_id}/events", headers=api.auth("auditor")
    )
    submitted = trail.json()["items"][-1]
    assert submitted["event_type"] == "DeliverableSubmitted"
    assert submitted["payload"]["backdated"] == PAPER
    assert submitted["effective_at"].startswith("2023-07-30")
    catch_up(api)
    newest = timeline.recent(api.app.state.views, limit=1)[0]
    assert "back-dated" in newest.sentence
    assert PAPER in newest.sentence


async def test_a_signature_the_secretariat_back_dates_completes_the_commitment_marked(
    api: Api,
) -> None:
    commitment_id = await create(api)
    for nip, opd in ((HEAD_NIP, OWN_OPD), (OTHER_HEAD_NIP, FOREIGN_OPD)):
        body = {"nip": nip, "name": "Kepala", "signed_as": "head", "opd_code": opd,
                "signed_at": "2024-05-07T09:30:00+07:00", "backdated_reason": PAPER}  # fmt: skip
        answer = await api.client.post(
            f"{V1}/commitments/{commitment_id}/signatures", json=body, headers=api.auth("admin")
        )
        assert answer.status_code == 200, answer.json()
    store = api.app.state.store
    events = reader(store).repository.event_store.get(uuid.UUID(commitment_id))
    completed = [e for e in events if type(e).__name__ == "Completed"]
    assert [backdating_of(e) for e in completed] == [PAPER]
    state = await api.client.get(f"{V1}/commitments/{commitment_id}", headers=api.auth("admin"))
    assert state.json()["completed_at"].startswith("2024-05-07")
    listed = await api.client.get(
        f"{V1}/commitments/{commitment_id}/signatures", headers=api.auth("opd-head")
    )
    assert {s["backdated"] for s in listed.json()["items"]} == {PAPER}


async def test_a_progress_report_cannot_carry_its_own_time(api: Api) -> None:
    milestone_id = await milestone(api)
    answer = await api.client.post(
        f"{V1}/milestones/{milestone_id}/progress",
        json={"percent": 100, "effective_at": "2024-01-05T10:00:00+07:00"},
        headers=api.auth("opd-head"),
    )  # fmt: skip
    assert answer.status_code == 422
    shown = await api.client.get(f"{V1}/milestones/{milestone_id}", headers=api.auth("opd-head"))
    assert shown.json()["reports"] == []


async def test_the_dispar_head_cannot_make_2023_facts_of_todays_acts(city: City) -> None:
    headers = {"Authorization": f"Bearer {sign_dev_token(city.settings, DISPAR_HEAD, 'opd-head')}"}
    stage_3 = BimtekSession.create_id(CITY_CODE, 3)
    path = f"{V1}/bimtek/sessions/{stage_3}/deliverables/T3-DISPAR/submission"  # due 2023-10-06
    body = {"reference": "bimtek/2023/tahap-3/t3-dispar.docx"}
    back = await city.client.post(
        path, json={**body, "submitted_at": "2023-10-05T10:00:00+07:00"}, headers=headers
    )
    handed_in = await city.client.post(path, json=body, headers=headers)
    assert (back.status_code, handed_in.status_code) == (403, 200)
    listed = await city.client.get(f"{V1}/bimtek/sessions/{stage_3}/deliverables", headers=headers)
    [draft] = [d for d in listed.json()["items"] if d["deliverable_id"] == "T3-DISPAR"]
    assert (draft["late"], draft["backdated"]) == (True, "")
    commitment = Commitment.create_id(CITY_CODE, "komitmen-program-kota-cerdas-2023")
    signing = f"{V1}/commitments/{commitment}/signatures"
    back = await city.client.post(
        signing, json={"signed_at": "2023-10-18T10:00:00+07:00"}, headers=headers
    )
    signed = await city.client.post(signing, json={}, headers=headers)
    assert (back.status_code, signed.status_code) == (403, 200)
    state = await city.client.get(f"{V1}/commitments/{commitment}", headers=headers)
    completed = datetime.fromisoformat(state.json()["completed_at"])
    assert completed.astimezone(JAKARTA).date() == datetime.now(JAKARTA).date()
