"""What route tests make over HTTP before they test: a bimtek stage, a deliverable owed and
handed in, a commitment, a milestone (each as the secretariat, on the seeded OPDs)."""

from __future__ import annotations

from typing import Any

import httpx

from tests.support.app import FOREIGN_OPD, HEAD_NIP, OTHER_HEAD_NIP, OWN_OPD, Api

V1 = "/api/v1"
BIMTEK = f"{V1}/bimtek/sessions"
COMMITMENTS = f"{V1}/commitments"


async def stage(api: Api, number: int = 1) -> str:
    """A stage both seeded OPDs are invited to; its id."""
    body = {"city_code": "SIANTAR", "stage_number": number, "title": f"Tahap {number}",
            "start_date": "2023-07-03", "end_date": "2023-07-04", "venue": "Bappeda",
            "organiser_opd": OWN_OPD, "invited_opds": [OWN_OPD, FOREIGN_OPD]}  # fmt: skip
    answer = await api.client.post(BIMTEK, json=body, headers=api.auth("admin"))
    assert answer.status_code == 201
    return str(answer.json()["id"])


async def owe(api: Api, session_id: str, opd: str) -> None:
    """``opd`` owes its draft section after the stage."""
    body = {"deliverable_id": f"draft-{opd}", "opd_code": opd, "title": "Draf bagian",
            "due_date": "2023-07-31"}  # fmt: skip
    answer = await api.client.post(
        f"{BIMTEK}/{session_id}/deliverables", json=body, headers=api.auth("admin")
    )
    assert answer.status_code == 200


async def submit(api: Api, session_id: str, opd: str, role: str = "admin") -> httpx.Response:
    """POST the hand-in of ``opd``'s draft as ``role``."""
    return await api.client.post(
        f"{BIMTEK}/{session_id}/deliverables/draft-{opd}/submission",
        json={"reference": "drive/draf.pdf"}, headers=api.auth(role),
    )  # fmt: skip


async def submitted(api: Api, opd: str = OWN_OPD) -> str:
    """A stage where ``opd`` owes ``draft-<opd>`` and has handed it in; the stage's id."""
    session_id = await stage(api)
    await owe(api, session_id, opd)
    answer = await submit(api, session_id, opd)
    assert answer.status_code == 200, answer.text
    return session_id


def commitment(slug: str = "komitmen-uji") -> dict[str, Any]:
    """A commitment the heads of both seeded OPDs must sign."""
    return {
        "city_code": "SIANTAR", "slug": slug, "title": "Komitmen Kota Cerdas",
        "text": "Kami berkomitmen.", "legal_basis": "Perpres 95/2018", "place": "Bappeda",
        "date": "2024-05-07",
        "required": [{"nip": HEAD_NIP, "opd_code": OWN_OPD, "role": "Kepala Dinas"},
                     {"nip": OTHER_HEAD_NIP, "opd_code": FOREIGN_OPD, "role": "Kepala Badan"}],
    }  # fmt: skip


async def create(api: Api) -> str:
    """A new commitment, created by the secretariat; its id."""
    answer = await api.client.post(COMMITMENTS, json=commitment(), headers=api.auth("admin"))
    assert answer.status_code == 201
    return str(answer.json()["id"])


async def milestone(api: Api, owner: str = OWN_OPD) -> str:
    """A plan with a program of ``owner`` and one milestone; the milestone's id."""
    admin = api.auth("admin")
    body = {"city_code": "SIANTAR", "city_name": "Kota Pematang Siantar",
            "title": "Masterplan Kota Cerdas", "start_year": 2024}  # fmt: skip
    plan = await api.client.post(f"{V1}/plans", json=body, headers=admin)
    program = await api.client.post(
        f"{V1}/plans/{plan.json()['id']}/programs",
        json={"code": f"P-{owner}", "name": "Satu Data", "aspect": "governance",
              "owner_opd": owner, "quick_win": True, "targets": {"2024": "10 OPD"}},
        headers=admin,
    )  # fmt: skip
    added = await api.client.post(
        f"{V1}/programs/{program.json()['id']}/milestones",
        json={"code": "M1", "title": "Forum Satu Data", "due_date": "2024-12-31"}, headers=admin,
    )  # fmt: skip
    assert (plan.status_code, program.status_code, added.status_code) == (201, 201, 201)
    return str(added.json()["id"])
