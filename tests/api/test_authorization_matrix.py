"""Every endpoint x every role x own and foreign objects, against the expected table.

"own" is an object of DISKOMINFO, which the dev OPD head leads today; "foreign" one of
BAPPEDA. A status other than 401/403 means the policy let the call through to the domain
(409 there: the command was well-formed but broke a rule, which is what these bodies do).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from api.auth import Role
from tests.api.conftest import FOREIGN_OPD, HEAD_NIP, OWN_OPD, Api, request_approval

ADMIN, HEAD, INSP, AUD, LEAD, PUB = (
    Role.ADMIN, Role.OPD_HEAD, Role.INSPECTORATE, Role.AUDITOR, Role.LEADERSHIP, Role.PUBLIC,
)  # fmt: skip
ROLES = [ADMIN, HEAD, INSP, AUD, LEAD, PUB]


@dataclass(frozen=True)
class Endpoint:
    """A call, built for an object of one OPD; ``expected`` is role -> (own, foreign)."""

    method: str
    path: Callable[[str, str], str]  # (opd code, approval id) -> path
    expected: dict[str, tuple[int, int]]
    body: Callable[[str], dict[str, Any]] | None = None


def readers(ok: int = 200) -> dict[str, tuple[int, int]]:
    """Admin, inspectorate, auditor, leadership read all; an OPD head its own; public none."""
    return {ADMIN: (ok, ok), HEAD: (ok, 403), INSP: (ok, ok), AUD: (ok, ok), LEAD: (ok, ok),
            PUB: (403, 403)}  # fmt: skip


def admin_only(status: int) -> dict[str, tuple[int, int]]:
    """Only the secretariat may; everyone else is refused."""
    return {role: (status, status) if role == ADMIN else (403, 403) for role in ROLES}


ENDPOINTS: dict[str, Endpoint] = {
    "GET /opds": Endpoint(
        "GET", lambda o, a: "/opds", {**readers(), HEAD: (200, 200)}
    ),
    "POST /opds": Endpoint(
        "POST", lambda o, a: "/opds", admin_only(409),
        lambda o: {"code": o, "name": "Again", "kind": "dinas", "head_title": "Kepala"},
    ),
    "GET /opds/{code}": Endpoint("GET", lambda o, a: f"/opds/{o}", readers()),
    "GET /opds/{code}/head": Endpoint("GET", lambda o, a: f"/opds/{o}/head", readers()),
    "PUT /opds/{code}/head": Endpoint(
        "PUT", lambda o, a: f"/opds/{o}/head", admin_only(409),
        lambda o: {"nip": HEAD_NIP, "valid_from": "2020-01-01", "decree": "SK/old"},
    ),
    "GET /opds/{code}/acting": Endpoint("GET", lambda o, a: f"/opds/{o}/acting", readers()),
    "POST /opds/{code}/acting": Endpoint(
        "POST", lambda o, a: f"/opds/{o}/acting", admin_only(409),
        lambda o: {"kind": "plt", "nip": HEAD_NIP, "decree": f"SK/PLT/{o}",
                   "valid_from": "2024-02-01", "valid_until": "2024-01-01"},
    ),
    "GET /calendar/working-days": Endpoint(
        "GET", lambda o, a: "/calendar/working-days?from=2024-01-02&days=3",
        dict.fromkeys(ROLES, (200, 200)),
    ),
    "POST /calendar/declarations": Endpoint(
        "POST", lambda o, a: "/calendar/declarations", admin_only(201),
        lambda o: {"city": "PEMATANGSIANTAR", "kind": "working-day", "reason": "Bimtek",
                   "day": "2024-06-08" if o == OWN_OPD else "2024-06-15"},
    ),
    "GET /approvals/{id}": Endpoint("GET", lambda o, a: f"/approvals/{a}", readers()),
    "POST /approvals/{id}/decisions": Endpoint(
        "POST", lambda o, a: f"/approvals/{a}/decisions",
        {**admin_only(403), HEAD: (409, 403), LEAD: (409, 409)},
        lambda o: {"outcome": "approve", "comment": "Setuju"},
    ),
}  # fmt: skip


async def call(api: Api, endpoint: Endpoint, role: str, opd: str, approval: str) -> int:
    """The status of ``endpoint`` on an object of ``opd``, called as ``role``."""
    body = endpoint.body(opd) if endpoint.body else None
    answer = await api.client.request(
        endpoint.method, "/api/v1" + endpoint.path(opd, approval), json=body, headers=api.auth(role)
    )
    return answer.status_code


@pytest.mark.parametrize("name", list(ENDPOINTS))
async def test_each_role_gets_what_the_policy_table_says(api: Api, name: str) -> None:
    endpoint = ENDPOINTS[name]
    approvals = {opd: request_approval(api, opd) for opd in (OWN_OPD, FOREIGN_OPD)}
    found = {
        role: (
            await call(api, endpoint, role, OWN_OPD, approvals[OWN_OPD]),
            await call(api, endpoint, role, FOREIGN_OPD, approvals[FOREIGN_OPD]),
        )
        for role in ROLES
    }
    assert found == endpoint.expected


def test_every_route_of_the_api_is_in_the_matrix(api: Api) -> None:
    def shape(text: str) -> str:
        return re.sub(r"\{[^}]*\}", "{}", text.split("?")[0])

    paths = api.app.openapi()["paths"]
    routes = {
        f"{method.upper()} {shape(path.removeprefix('/api/v1'))}"
        for path, operations in paths.items()
        if path.startswith("/api/v1")
        for method in operations
    }
    assert routes == {shape(name) for name in ENDPOINTS}


def test_an_unknown_permission_is_refused_to_every_role() -> None:
    from api.policy import scope_of

    assert {scope_of(role, "opd:demolish") for role in ROLES} == {None}
