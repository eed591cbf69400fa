"""People and appointments over HTTP: registering civil servants, appointing and ending."""

from __future__ import annotations

from datetime import date

from tests.support.app import FOREIGN_OPD, HEAD_NIP, OWN_OPD, Api

V1 = "/api/v1"
PERSON = {"nip": "19800101 200501 1 001", "name": "Siti Aminah, S.Kom.", "golongan": "iii/d"}


async def test_a_person_is_registered_with_a_checked_nip_and_the_golongans_pangkat(
    api: Api,
) -> None:
    answer = await api.client.post(f"{V1}/people", json=PERSON, headers=api.auth("admin"))
    assert answer.status_code == 201, answer.text
    assert answer.json()["id"] == "198001012005011001"
    assert answer.headers["Location"] == f"{V1}/people/198001012005011001"
    found = await api.client.get(f"{V1}/people/19800101 200501 1 001", headers=api.auth("admin"))
    body = found.json()
    assert (body["nip"], body["golongan"], body["rank"]) == (
        "198001012005011001", "III/d", "Penata Tingkat I"
    )  # fmt: skip
    assert body["appointments"] == []


async def test_a_wrong_nip_or_rank_is_422_and_registers_nobody(api: Api) -> None:
    before = api.app.state.store.max_position()
    bad_nip = {**PERSON, "nip": "19800230 200501 1 001"}  # 30 February: no pattern says so
    bad_rank = {**PERSON, "rank": "Pembina"}
    for body, words in ((bad_nip, "birth date"), (bad_rank, "Penata Tingkat I")):
        answer = await api.client.post(f"{V1}/people", json=body, headers=api.auth("admin"))
        assert answer.status_code == 422, answer.text
        assert words in answer.json()["detail"]
    assert api.app.state.store.max_position() == before


async def test_people_of_an_opd_are_listed_with_their_appointments(api: Api) -> None:
    await api.client.post(f"{V1}/people", json=PERSON, headers=api.auth("admin"))
    everyone = await api.client.get(f"{V1}/people?limit=1", headers=api.auth("admin"))
    rest = await api.client.get(
        f"{V1}/people?cursor={everyone.json()['next_cursor']}", headers=api.auth("admin")
    )
    own = await api.client.get(f"{V1}/people?opd={OWN_OPD}", headers=api.auth("admin"))
    assert len(everyone.json()["items"]) + len(rest.json()["items"]) == 3
    assert rest.json()["next_cursor"] is None
    ((head,),) = [p["appointments"] for p in own.json()["items"]]
    assert (own.json()["items"][0]["nip"], head["opd"], head["kind"], head["in_force"]) == (
        HEAD_NIP, OWN_OPD, "head", True
    )  # fmt: skip


async def test_a_plt_is_appointed_by_decree_for_a_period_and_ended_early(api: Api) -> None:
    await api.client.post(f"{V1}/people", json=PERSON, headers=api.auth("admin"))
    body = {"kind": "plt", "nip": PERSON["nip"], "decree": "800/12/BKPSDM/2024",
            "decree_date": "2024-02-26", "valid_from": "2024-03-01",
            "valid_until": "2024-05-31"}  # fmt: skip
    appointed = await api.client.post(
        f"{V1}/opds/{FOREIGN_OPD}/appointments", json=body, headers=api.auth("admin")
    )
    assert appointed.status_code == 200, appointed.text
    ended = await api.client.post(
        f"{V1}/appointments/{appointed.json()['id']}/end",
        json={"last_day": "2024-04-15", "reason": "Kepala definitif dilantik"},
        headers=api.auth("admin"),
    )
    assert ended.status_code == 200, ended.text
    found = await api.client.get(
        f"{V1}/people/{PERSON['nip']}?on=2024-04-16", headers=api.auth("admin")
    )
    (term,) = found.json()["appointments"]
    assert (term["opd"], term["decree_date"], term["last_day"], term["in_force"]) == (
        FOREIGN_OPD, "2024-02-26", "2024-04-15", False
    )  # fmt: skip
    assert api.organisation().capacity_of(PERSON["nip"], FOREIGN_OPD, date(2024, 4, 15)) == "plt"


async def test_a_head_term_ended_by_its_successor_cannot_be_ended_again(api: Api) -> None:
    await api.client.post(f"{V1}/people", json=PERSON, headers=api.auth("admin"))
    own = await api.client.get(f"{V1}/people/{HEAD_NIP}", headers=api.auth("admin"))
    (old_term,) = own.json()["appointments"]
    body = {"kind": "head", "nip": PERSON["nip"], "decree": "821/7/2024",
            "decree_date": "2024-06-28", "valid_from": "2024-07-01"}  # fmt: skip
    appointed = await api.client.post(
        f"{V1}/opds/{OWN_OPD}/appointments", json=body, headers=api.auth("admin")
    )
    again = await api.client.post(
        f"{V1}/appointments/{old_term['id']}/end",
        json={"last_day": "2024-08-01", "reason": "Pensiun"},
        headers=api.auth("admin"),
    )
    assert appointed.status_code == 200
    assert again.status_code == 409
    assert "successor" in again.json()["detail"]


async def test_an_unknown_appointment_is_404(api: Api) -> None:
    answer = await api.client.post(
        f"{V1}/appointments/00000000-0000-0000-0000-000000000000/end",
        json={"last_day": "2024-08-01", "reason": "Pensiun"},
        headers=api.auth("admin"),
    )
    assert answer.status_code == 404


async def test_a_nip_registered_twice_is_409_and_an_unknown_nip_is_404(api: Api) -> None:
    first = await api.client.post(f"{V1}/people", json=PERSON, headers=api.auth("admin"))
    again = await api.client.post(
        f"{V1}/people", json={**PERSON, "name": "Orang lain"}, headers=api.auth("admin")
    )
    unknown = await api.client.get(f"{V1}/people/197001012000011001", headers=api.auth("admin"))
    assert (first.status_code, again.status_code, unknown.status_code) == (201, 409, 404)
    assert "198001012005011001" in again.json()["detail"]
