"""problem+json in the caller's language: Indonesian when Accept-Language asks for it."""

from __future__ import annotations

import pytest
from starlette.requests import Request

from api.console.i18n import localized
from api.problems import language_of
from tests.support.app import FOREIGN_OPD, Api, request_approval


def asking(accept_language: str) -> Request:
    """A request carrying only an Accept-Language header."""
    headers = [(b"accept-language", accept_language.encode())]
    return Request({"type": "http", "headers": headers, "path": "/"})


@pytest.mark.parametrize(
    ("header", "language"),
    [
        ("", "en"),
        ("id", "id"),
        ("id-ID,id;q=0.9,en-US;q=0.8", "id"),
        ("en-GB,en;q=0.9,id;q=0.8", "en"),
        ("fr, id;q=0.5", "id"),
        ("fr, de", "en"),
        ("in", "id"),
        ("id;q=0, en;q=0.1", "en"),
        ("id;q=nonsense, en", "en"),
    ],
)
def test_the_language_is_the_callers_first_choice_among_ours(header: str, language: str) -> None:
    assert language_of(asking(header)) == language


async def test_a_refused_call_in_indonesian_reads_in_indonesian(api: Api) -> None:
    request_id = request_approval(api, FOREIGN_OPD)
    body = {"outcome": "approve", "comment": "", "opd_code": FOREIGN_OPD}
    headers = {**api.auth("opd-head"), "Accept-Language": "id-ID,id;q=0.9,en;q=0.5"}
    answer = await api.client.post(
        f"/api/v1/approvals/{request_id}/decisions", json=body, headers=headers
    )
    assert answer.status_code == 403
    problem = answer.json()
    assert problem["title"] == "Tidak diizinkan"
    assert problem["detail"] == (
        "Anda hanya boleh memutuskan persetujuan milik OPD yang Anda pimpin hari ini;"
        f" yang ini milik {FOREIGN_OPD}."
    )
    assert answer.headers["content-language"] == "id"
    assert "accept-language" in answer.headers["vary"].lower()
    english = await api.client.post(
        f"/api/v1/approvals/{request_id}/decisions", json=body, headers=api.auth("opd-head")
    )
    assert english.json()["detail"].startswith("You may decide an approval only if")


async def test_a_missing_sign_in_reads_in_indonesian(api: Api) -> None:
    answer = await api.client.get("/api/v1/opds", headers={"Accept-Language": "id"})
    assert answer.status_code == 401
    assert answer.json()["detail"] == "Masuk dulu: kirim header 'Authorization: Bearer <token>'."


def test_a_message_made_from_a_template_is_translated_with_its_values() -> None:
    made = "The role 'opd-head' may not read the audit trail."
    assert localized(made, "id") == "Peran 'opd-head' tidak boleh membaca jejak audit."
    assert localized(made, "en") == made
    unknown = "A sentence the catalog has never seen."
    assert localized(unknown, "id") == unknown


async def test_each_field_error_reads_in_indonesian_too(api: Api) -> None:
    answer = await api.client.post(
        "/api/v1/opds",
        json={"code": "DISPORA", "surprise": 1},
        headers={**api.auth("admin"), "Accept-Language": "id"},
    )
    assert answer.status_code == 422
    problem = answer.json()
    assert problem["detail"].startswith("Ada isian yang kurang")
    messages = {e["field"]: e["message"] for e in problem["errors"]}
    assert messages["surprise"] == "Isian tambahan tidak diizinkan"
    assert messages["name"] == "Wajib diisi"
