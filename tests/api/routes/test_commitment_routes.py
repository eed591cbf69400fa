"""Commitments over HTTP: creating, signing in the capacity of the day, and reading them."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from domain.calendar import JAKARTA
from tests.api.routes.made import commitment, create
from tests.support.app import (
    FOREIGN_OPD,
    HEAD_NIP,
    OTHER_HEAD_NIP,
    OWN_OPD,
    SECRETARIAT,
    Api,
)
from tests.support.city import catch_up

V1 = "/api/v1/commitments"


async def test_an_opd_head_signs_as_head_of_the_opd_it_leads(api: Api) -> None:
    commitment_id = await create(api)
    signed = await api.client.post(
        f"{V1}/{commitment_id}/signatures", json={"media": ["sheet", "banner"]},
        headers=api.auth("opd-head"),
    )  # fmt: skip
    assert signed.status_code == 200
    assert (signed.json()["signed_as"], signed.json()["opd_code"]) == ("head", OWN_OPD)
    assert signed.json()["position"] == api.app.state.store.max_position()
    listed = await api.client.get(f"{V1}/{commitment_id}/signatures", headers=api.auth("auditor"))
    [signature] = listed.json()["items"]
    assert (signature["nip"], signature["media"]) == (HEAD_NIP, ["sheet", "banner"])
    state = await api.client.get(f"{V1}/{commitment_id}", headers=api.auth("auditor"))
    assert [r["signed"] for r in state.json()["required"]] == [True, False]
    assert state.headers["etag"] == f'"{state.json()["version"]}"'


async def test_the_capacity_is_the_one_held_on_the_day_of_signing(api: Api) -> None:
    today = datetime.now(JAKARTA).date()
    api.organisation().appoint_acting(
        FOREIGN_OPD, "plt", HEAD_NIP, "SK/PLT/7", today - timedelta(days=1),
        today + timedelta(days=5), by=SECRETARIAT,
    )  # fmt: skip
    commitment_id = await create(api)
    body = {"opd_code": FOREIGN_OPD}
    signed = await api.client.post(
        f"{V1}/{commitment_id}/signatures", json=body, headers=api.auth("opd-head")
    )
    assert signed.status_code == 200
    assert signed.json()["signed_as"] == "plt"


@pytest.mark.parametrize(
    "body",
    [{"opd_code": FOREIGN_OPD}, {"nip": OTHER_HEAD_NIP}],
    ids=["for-an-opd-not-led-on-that-day", "in-someone-elses-name"],
)
async def test_an_opd_head_may_not_sign_for_another(api: Api, body: dict[str, str]) -> None:
    commitment_id = await create(api)
    answer = await api.client.post(
        f"{V1}/{commitment_id}/signatures", json=body, headers=api.auth("opd-head")
    )
    assert answer.status_code == 403
    if "opd_code" in body:
        assert str(datetime.now(JAKARTA).date()) in answer.json()["detail"]


async def test_the_secretariat_records_a_paper_signature_naming_the_signer(api: Api) -> None:
    commitment_id = await create(api)
    body = {"nip": OTHER_HEAD_NIP, "name": "Kepala Bappeda", "signed_as": "head",
            "opd_code": FOREIGN_OPD, "signed_at": "2024-05-07T09:30:00+07:00",
            "backdated_reason": "Lembar kertas diterima kemudian"}  # fmt: skip
    recorded = await api.client.post(
        f"{V1}/{commitment_id}/signatures", json=body, headers=api.auth("admin")
    )
    unnamed = await api.client.post(
        f"{V1}/{commitment_id}/signatures", json={"media": ["sheet"]}, headers=api.auth("admin")
    )
    assert recorded.status_code == 200
    assert unnamed.status_code == 422
    assert {e["field"] for e in unnamed.json()["errors"]} == {"nip", "name", "signed_as"}


async def test_a_withdrawn_commitment_cannot_be_signed(api: Api) -> None:
    commitment_id = await create(api)
    withdrawn = await api.client.post(
        f"{V1}/{commitment_id}/withdraw", json={"reason": "Teks diganti"}, headers=api.auth("admin")
    )
    signed = await api.client.post(
        f"{V1}/{commitment_id}/signatures", json={}, headers=api.auth("opd-head")
    )
    assert withdrawn.status_code == 200
    assert signed.status_code == 409
    assert signed.json()["type"].endswith("/commitment-closed")


async def test_an_opd_head_lists_only_commitments_its_opd_must_sign(api: Api) -> None:
    mine = await create(api)
    other = commitment("lain")
    other["required"] = other["required"][1:]
    await api.client.post(V1, json=other, headers=api.auth("admin"))
    catch_up(api)
    head = await api.client.get(V1, headers=api.auth("opd-head"))
    auditor = await api.client.get(f"{V1}?limit=1", headers=api.auth("auditor"))
    assert [c["id"] for c in head.json()["items"]] == [mine]
    assert auditor.json()["next_cursor"] is not None
    assert head.json()["items"][0]["required_count"] == 2
