"""Every endpoint x every role x own and foreign objects, against the expected table.

"own" is an object of DISKOMINFO, which the dev OPD head leads today; "foreign" one of
BAPPEDA. A status other than 401/403 means the policy let the call through to the domain
(409 there: the command was well-formed but broke a rule, which is what these bodies do).
"""

from __future__ import annotations

import re
import uuid

import pytest

from domain.plan import PlanApplication
from tests.api.matrix_notifications import ENDPOINTS_OF_NOTIFICATIONS
from tests.api.matrix_objects import (
    ADMIN,
    AUD,
    ENDPOINTS_OF_THE_PLAN_AND_OVERVIEWS,
    HEAD,
    INSP,
    LEAD,
    PUB,
    ROLES,
    Endpoint,
    Ids,
    admin_only,
    everyone,
    objects,
    only,
    readers,
)
from tests.api.test_evaluation_authorization import EVALUATION_ENDPOINTS
from tests.support.app import (
    FOREIGN_OPD,
    HEAD_NIP,
    OWN_OPD,
    SECRETARIAT,
    Api,
    request_approval,
)
from tests.support.city import catch_up

#: Every endpoint for every role, over the reference city.
pytestmark = pytest.mark.slow

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
    "POST /opds/{code}/appointments": Endpoint(
        "POST", lambda o, a: f"/opds/{o}/appointments", admin_only(409),
        lambda o: {"kind": "head", "nip": HEAD_NIP, "decree": "SK/old",
                   "decree_date": "2019-12-20", "valid_from": "2020-01-01"},
    ),
    "POST /people": Endpoint(
        "POST", lambda o, a: "/people", admin_only(201),
        lambda o: {"nip": "198001012005011001" if o == OWN_OPD else "198001012005012002",
                   "name": "Baru", "golongan": "III/a"},
    ),
    "GET /people": Endpoint("GET", lambda o, a: f"/people?opd={o}", admin_only(200)),
    "GET /people/{nip}": Endpoint("GET", lambda o, a: f"/people/{HEAD_NIP}", admin_only(200)),
    "POST /appointments/{id}/end": Endpoint(
        "POST", lambda o, a: f"/appointments/{a['approval']}/end", admin_only(404),
        lambda o: {"last_day": "2024-01-31", "reason": "Mutasi"},
    ),
    "GET /calendar/working-days": Endpoint(
        "GET", lambda o, a: "/calendar/working-days?from=2024-01-02&days=3",
        dict.fromkeys(ROLES, (200, 200)),
    ),
    "POST /calendar/declarations": Endpoint(
        "POST", lambda o, a: "/calendar/declarations", admin_only(200),
        lambda o: {"city": "SIANTAR", "kind": "working-day", "reason": "Bimtek",
                   "day": "2024-06-08" if o == OWN_OPD else "2024-06-15"},
    ),
    "GET /approvals/{id}": Endpoint("GET", lambda o, a: f"/approvals/{a['approval']}", readers()),
    "GET /approvals/of/{kind}/{id}": Endpoint(
        "GET", lambda o, a: f"/approvals/of/milestone-report/milestone-{o}", readers()
    ),
    "POST /approvals/{id}/decisions": Endpoint(
        "POST", lambda o, a: f"/approvals/{a['approval']}/decisions",
        {**admin_only(403), HEAD: (409, 403), LEAD: (409, 409)},
        lambda o: {"outcome": "approve", "comment": "Setuju"},
    ),
    "POST /approvals/{id}/reassignments": Endpoint(
        "POST", lambda o, a: f"/approvals/{a['approval']}/reassignments",
        only({ADMIN: (404, 404), LEAD: (404, 404)}),
        lambda o: {"step_index": 0, "from_opd": o, "to_opd": "DINAS-ANTAH", "reason": "Cuti"},
    ),
    "POST /approvals/{id}/withdrawal": Endpoint(
        "POST", lambda o, a: f"/approvals/{a['withdrawn']}/withdrawal",
        only({ADMIN: (409, 409), HEAD: (409, 403)}), lambda o: {"reason": "Ditarik"},
    ),
    "GET /status/plans": Endpoint("GET", lambda o, a: "/status/plans", everyone()),
    **ENDPOINTS_OF_THE_PLAN_AND_OVERVIEWS,
    **ENDPOINTS_OF_NOTIFICATIONS,
    **EVALUATION_ENDPOINTS,
}  # fmt: skip


async def call(api: Api, endpoint: Endpoint, role: str, opd: str, ids: Ids) -> int:
    """The status of ``endpoint`` on an object of ``opd``, called as ``role``."""
    body = endpoint.body(opd) if endpoint.body else None
    answer = await api.client.request(
        endpoint.method, "/api/v1" + endpoint.path(opd, ids), json=body, headers=api.auth(role)
    )
    return answer.status_code


@pytest.mark.parametrize("name", list(ENDPOINTS))
async def test_each_role_gets_what_the_policy_table_says(api: Api, name: str) -> None:
    endpoint = ENDPOINTS[name]
    ids = objects(api, request_approval)
    found = {
        role: (
            await call(api, endpoint, role, OWN_OPD, ids[OWN_OPD]),
            await call(api, endpoint, role, FOREIGN_OPD, ids[FOREIGN_OPD]),
        )
        for role in ROLES
    }
    assert found == endpoint.expected


#: The programs each role sees on /status/programs: (while the plan is a draft, once it is
#: approved). Every government role, an OPD head included, sees the progress of every OPD's
#: programs (the plan is the whole city's); an OPD head opens only its own OPDs' programs and
#: milestones (GET /programs/{id} above). The public sees nothing of a draft.
BOTH = {f"P-{OWN_OPD}", f"P-{FOREIGN_OPD}"}
PROGRAMS_SEEN: dict[str, tuple[set[str], set[str]]] = {
    ADMIN: (BOTH, BOTH), HEAD: (BOTH, BOTH), INSP: (BOTH, BOTH), AUD: (BOTH, BOTH),
    LEAD: (BOTH, BOTH), PUB: (set(), BOTH),
}  # fmt: skip


async def test_each_role_sees_the_programs_the_publication_rule_says(api: Api) -> None:
    ids = objects(api, request_approval)

    async def seen(role: str) -> set[str]:
        answer = await api.client.get("/api/v1/status/programs", headers=api.auth(role))
        return {p["code"] for p in answer.json()["items"]}

    drafted = {role: await seen(role) for role in ROLES}
    plans = api.app.state.store.app(PlanApplication)
    plans.approve_plan(uuid.UUID(ids[OWN_OPD]["plan"]), by=SECRETARIAT)
    catch_up(api)
    published = {role: await seen(role) for role in ROLES}
    assert {role: (drafted[role], published[role]) for role in ROLES} == PROGRAMS_SEEN


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
