"""Registering where people and OPDs are told: checked at the door, kept as events."""

from __future__ import annotations

import uuid

from api.auth import Role
from tests.support.app import FOREIGN_OPD, HEAD_NIP, OTHER_HEAD_NIP, OWN_OPD, Api

PERSONS = "/api/v1/notifications/contacts/persons"
OPDS = "/api/v1/notifications/contacts/opds"


def key() -> dict[str, str]:
    return {"Idempotency-Key": uuid.uuid4().hex}


async def test_secretariat_registers_a_heads_email_webhook_and_digest(api: Api) -> None:
    body = {
        "email": "Kadis@Kominfo.Siantar.go.id",
        "webhook_url": "https://wa-gateway.example.id/hooks/jejak",
        "webhook_secret_ref": "env:JEJAK_WEBHOOK_SECRET_WA",
        "delivery": "digest",
        "language": "en",
    }
    put = await api.client.put(f"{PERSONS}/{HEAD_NIP}", json=body, headers=api.auth(Role.ADMIN))
    assert put.status_code == 200, put.text
    got = await api.client.get(f"{PERSONS}/{HEAD_NIP}", headers=api.auth(Role.ADMIN))
    assert got.json() | {"version": 0} == {
        "owner_kind": "person",
        "owner": HEAD_NIP,
        "email": "Kadis@kominfo.siantar.go.id",
        "webhook_url": "https://wa-gateway.example.id/hooks/jejak",
        "webhook_secret_ref": "env:JEJAK_WEBHOOK_SECRET_WA",
        "delivery": "digest",
        "language": "en",
        "version": 0,
    }


async def test_an_invalid_email_is_refused_and_nothing_is_kept(api: Api) -> None:
    answer = await api.client.put(
        f"{PERSONS}/{HEAD_NIP}",
        json={"email": "kadis at kominfo", "language": "en"},
        headers=api.auth(Role.ADMIN),
    )
    assert answer.status_code == 422
    assert answer.json()["type"].endswith("invalid-address")
    got = await api.client.get(f"{PERSONS}/{HEAD_NIP}", headers=api.auth(Role.ADMIN))
    assert (got.json()["email"], got.json()["language"], got.json()["version"]) == ("", "id", 0)


async def test_a_webhook_that_is_not_https_is_refused(api: Api) -> None:
    for url in ("http://gateway.example.id/hook", "ftp://x.example.id", "https://u:p@x.id/h"):
        answer = await api.client.put(
            f"{OPDS}/{OWN_OPD}",
            json={"webhook_url": url, "webhook_secret_ref": "env:WA_SECRET"},
            headers=api.auth(Role.ADMIN),
        )
        assert answer.status_code == 422, url


async def test_a_secret_given_instead_of_its_reference_is_refused(api: Api) -> None:
    answer = await api.client.put(
        f"{OPDS}/{OWN_OPD}",
        json={"webhook_url": "https://gw.example.id/h", "webhook_secret_ref": "whsec_c2VjcmV0"},
        headers=api.auth(Role.ADMIN),
    )
    assert answer.status_code == 422
    assert "whsec_" not in answer.text


async def test_a_head_registers_their_own_contact_but_not_anothers(api: Api) -> None:
    head = api.auth(Role.OPD_HEAD)
    own = await api.client.put(
        f"{PERSONS}/{HEAD_NIP}", json={"email": "me@kota.go.id"}, headers=head
    )
    assert own.status_code == 200
    other = await api.client.put(
        f"{PERSONS}/{OTHER_HEAD_NIP}", json={"email": "x@kota.go.id"}, headers=head
    )
    assert other.status_code == 403
    own_opd = await api.client.put(
        f"{OPDS}/{OWN_OPD}", json={"email": "d@kota.go.id"}, headers=head
    )
    foreign = await api.client.put(
        f"{OPDS}/{FOREIGN_OPD}", json={"email": "b@kota.go.id"}, headers=head
    )
    assert (own_opd.status_code, foreign.status_code) == (200, 403)


async def test_an_unknown_person_has_no_contact_to_register(api: Api) -> None:
    answer = await api.client.put(
        f"{PERSONS}/199901012020011001",
        json={"email": "a@kota.go.id"},
        headers=api.auth(Role.ADMIN),
    )
    assert answer.status_code == 404


async def test_two_people_editing_one_contact_do_not_undo_each_others_change(api: Api) -> None:
    """Each sends the ETag it read: the second is told (412) and nothing of it is kept."""
    url, admin = f"{OPDS}/{OWN_OPD}", api.auth(Role.ADMIN)
    first = await api.client.get(url, headers=admin)
    assert first.headers["ETag"] == '"0"'  # nothing registered yet
    mine = await api.client.put(
        url, json={"email": "kominfo@siantar.go.id"}, headers={**admin, "If-Match": '"0"'}
    )
    assert mine.status_code == 200, mine.text
    theirs = await api.client.put(
        url, json={"email": "lama@siantar.go.id"}, headers={**admin, "If-Match": '"0"'}
    )
    assert theirs.status_code == 412, theirs.text
    now = await api.client.get(url, headers=admin)
    assert now.json()["email"] == "kominfo@siantar.go.id"
    assert theirs.json()["current_version"] == now.json()["version"] > 0
    again = await api.client.put(
        url, json={"delivery": "digest"}, headers={**admin, "If-Match": now.headers["ETag"]}
    )
    assert again.status_code == 200, again.text
    kept = (await api.client.get(url, headers=admin)).json()
    assert (kept["email"], kept["delivery"]) == ("kominfo@siantar.go.id", "digest")
