"""The rows of the authorization matrix for commitments, bimtek, the plan, overviews and audit.

Each OPD gets its own objects: an approval request, a commitment its head must sign, a
bimtek stage it is invited to (owing ``draft-<OPD>``), and a program with a milestone in
progress, all in one draft plan; the read models are caught up before the calls.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from api.auth import Role
from domain.approvals.application import ApprovalsApplication
from domain.approvals.values import StepSpec
from domain.bimtek import BimtekApplication
from domain.commitments import CommitmentsApplication, RequiredSignatory
from domain.plan import PlanApplication
from tests.support.app import FOREIGN_OPD, HEAD_NIP, OTHER_HEAD_NIP, OWN_OPD, SECRETARIAT, Api
from tests.support.city import catch_up

ADMIN, HEAD, INSP, AUD, LEAD, PUB = (
    Role.ADMIN, Role.OPD_HEAD, Role.INSPECTORATE, Role.AUDITOR, Role.LEADERSHIP, Role.PUBLIC,
)  # fmt: skip
ROLES = [ADMIN, HEAD, INSP, AUD, LEAD, PUB]

#: The ids of one OPD's objects: approval, commitment, session, plan, program, milestone and
#: a withdrawn approval.
Ids = dict[str, str]


@dataclass(frozen=True)
class Endpoint:
    """A call, built for an object of one OPD; ``expected`` is role -> (own, foreign)."""

    method: str
    path: Callable[[str, Ids], str]  # (opd code, ids of that OPD's objects) -> path
    expected: dict[str, tuple[int, int]]
    body: Callable[[str], dict[str, Any]] | None = None


def readers(ok: int = 200) -> dict[str, tuple[int, int]]:
    """Admin, inspectorate, auditor, leadership read all; an OPD head its own; public none."""
    return {ADMIN: (ok, ok), HEAD: (ok, 403), INSP: (ok, ok), AUD: (ok, ok), LEAD: (ok, ok),
            PUB: (403, 403)}  # fmt: skip


def admin_only(status: int) -> dict[str, tuple[int, int]]:
    """Only the secretariat may; everyone else is refused."""
    return {role: (status, status) if role == ADMIN else (403, 403) for role in ROLES}


def only(statuses: dict[str, tuple[int, int]]) -> dict[str, tuple[int, int]]:
    """These roles get these statuses; every other role is refused."""
    return {role: statuses.get(role, (403, 403)) for role in ROLES}


def everyone(status: int = 200) -> dict[str, tuple[int, int]]:
    """Every role, the public included."""
    return dict.fromkeys(ROLES, (status, status))


def government(status: int = 200) -> dict[str, tuple[int, int]]:
    """Every role but the public, on every object."""
    return {**everyone(status), PUB: (403, 403)}


def lists() -> dict[str, tuple[int, int]]:
    """A list: every reader gets one (an OPD head's filtered to its own); the public none."""
    return {**readers(), HEAD: (200, 200)}


AUDITORS = only({AUD: (200, 200), INSP: (200, 200)})
HEAD_OWN = only({HEAD: (200, 403)})


def withdrawn_approval(api: Api, opd: str) -> str:
    """An approval request of ``opd`` that was withdrawn: nothing more can change it."""
    approvals = api.app.state.store.app(ApprovalsApplication)
    request_id, _ = approvals.request_approval(
        "milestone-report", f"withdrawn-{opd}", "Ditarik", opd, "staff.nip",
        [StepSpec(0, (opd,))], SECRETARIAT,
    )  # fmt: skip
    approvals.withdraw(request_id, "Ditarik", SECRETARIAT)
    return str(request_id)


def objects(api: Api, request_approval: Callable[[Api, str], str]) -> dict[str, Ids]:
    """Each seeded OPD's objects, and read models that know them."""
    store = api.app.state.store
    plans = store.app(PlanApplication)
    plan = plans.create_plan(
        city_code="SIANTAR", city_name="Kota Pematang Siantar", title="Masterplan",
        start_year=2024, by=SECRETARIAT,
    )  # fmt: skip
    found = {}
    for number, (opd, nip) in enumerate(((OWN_OPD, HEAD_NIP), (FOREIGN_OPD, OTHER_HEAD_NIP)), 1):
        commitment, _ = store.app(CommitmentsApplication).create_commitment(
            city_code="SIANTAR", slug=f"komitmen-{opd}", title="Komitmen", text="Kami berkomitmen.",
            legal_basis="Perpres 95/2018", place="Bappeda", date=date(2024, 5, 7),
            required=[RequiredSignatory(nip, opd, "Kepala")], by=SECRETARIAT,
        )  # fmt: skip
        bimtek = store.app(BimtekApplication)
        session, _ = bimtek.create_session(
            city_code="SIANTAR", stage_number=number, title=f"Tahap {number}",
            start_date=date(2023, 7, 3), end_date=date(2023, 7, 4), venue="Bappeda",
            organiser_opd=opd, invited_opds=[opd], by=SECRETARIAT,
        )  # fmt: skip
        bimtek.assign_deliverable(
            session, deliverable_id=f"draft-{opd}", opd_code=opd, title="Draf",
            due_date=date(2023, 7, 31), by=SECRETARIAT,
        )  # fmt: skip
        program = plans.add_program(
            plan.id, code=f"P-{opd}", name="Program", aspect="governance", owner_opd=opd,
            by=SECRETARIAT,
        )  # fmt: skip
        milestone = plans.add_milestone(
            program.id, code="M1", title="Langkah", due_date=date(2024, 12, 31), by=SECRETARIAT
        )
        plans.report_progress(milestone.id, percent=10, by=SECRETARIAT)
        found[opd] = {
            "approval": request_approval(api, opd), "commitment": str(commitment),
            "session": str(session), "plan": str(plan.id), "program": str(program.id),
            "milestone": str(milestone.id), "withdrawn": withdrawn_approval(api, opd),
        }  # fmt: skip
    catch_up(api)
    return found


def session(o: str, a: Ids, rest: str = "") -> str:
    """A path under the OPD's bimtek stage."""
    return f"/bimtek/sessions/{a['session']}{rest}"


MOMENTS = "from=2020-01-01T00:00:00%2B07:00&to=2030-01-01T00:00:00%2B07:00"

ENDPOINTS_OF_THE_PLAN_AND_OVERVIEWS: dict[str, Endpoint] = {
    "GET /commitments": Endpoint("GET", lambda o, a: "/commitments", lists()),
    "POST /commitments": Endpoint(
        "POST", lambda o, a: "/commitments", admin_only(201),
        lambda o: {"city_code": "SIANTAR", "slug": f"baru-{o}", "title": "Baru", "text": "Teks",
                   "date": "2024-06-03",
                   "required": [{"nip": HEAD_NIP, "opd_code": o, "role": "Kepala"}]},
    ),
    "GET /commitments/{id}": Endpoint(
        "GET", lambda o, a: f"/commitments/{a['commitment']}", readers()
    ),
    "GET /commitments/{id}/signatures": Endpoint(
        "GET", lambda o, a: f"/commitments/{a['commitment']}/signatures", readers()
    ),
    "POST /commitments/{id}/signatures": Endpoint(
        "POST", lambda o, a: f"/commitments/{a['commitment']}/signatures",
        {**admin_only(422), HEAD: (200, 403)}, lambda o: {"media": ["sheet"]},
    ),
    "POST /commitments/{id}/withdraw": Endpoint(
        "POST", lambda o, a: f"/commitments/{a['commitment']}/withdraw", admin_only(200),
        lambda o: {"reason": "Diganti"},
    ),
    "GET /bimtek/sessions": Endpoint("GET", lambda o, a: "/bimtek/sessions", lists()),
    "POST /bimtek/sessions": Endpoint(
        "POST", lambda o, a: "/bimtek/sessions", admin_only(409),
        lambda o: {"city_code": "SIANTAR", "stage_number": 1 if o == OWN_OPD else 2,
                   "title": "Lagi", "start_date": "2023-07-03", "end_date": "2023-07-04",
                   "organiser_opd": o},
    ),
    "GET /bimtek/sessions/{id}": Endpoint("GET", lambda o, a: session(o, a), readers()),
    "GET /bimtek/sessions/{id}/attendance": Endpoint(
        "GET", lambda o, a: session(o, a, "/attendance"), readers()
    ),
    "POST /bimtek/sessions/{id}/attendance": Endpoint(
        "POST", lambda o, a: session(o, a, "/attendance"), admin_only(200),
        lambda o: {"opd_code": o, "present": True, "asn_count": 2},
    ),
    "GET /bimtek/sessions/{id}/deliverables": Endpoint(
        "GET", lambda o, a: session(o, a, "/deliverables"), readers()
    ),
    "POST /bimtek/sessions/{id}/deliverables": Endpoint(
        "POST", lambda o, a: session(o, a, "/deliverables"), admin_only(409),
        lambda o: {"deliverable_id": f"draft-{o}", "opd_code": o, "title": "Lagi",
                   "due_date": "2023-07-31"},
    ),
    "POST /bimtek/sessions/{id}/deliverables/{deliverable_id}/submission": Endpoint(
        "POST", lambda o, a: session(o, a, f"/deliverables/draft-{o}/submission"),
        {**admin_only(200), HEAD: (409, 403)}, lambda o: {"reference": "drive/draf.pdf"},
    ),
    "POST /bimtek/sessions/{id}/deliverables/{deliverable_id}/review": Endpoint(
        "POST", lambda o, a: session(o, a, f"/deliverables/draft-{o}/review"), admin_only(409),
        lambda o: {"outcome": "accept"},
    ),
    "GET /plans": Endpoint("GET", lambda o, a: "/plans", government()),
    "POST /plans": Endpoint(
        "POST", lambda o, a: "/plans", admin_only(409),
        lambda o: {"city_code": "SIANTAR", "city_name": "Siantar", "title": "Lagi",
                   "start_year": 2024},
    ),
    "GET /plans/{id}": Endpoint("GET", lambda o, a: f"/plans/{a['plan']}", government()),
    "GET /plans/{id}/programs": Endpoint(
        "GET", lambda o, a: f"/plans/{a['plan']}/programs", lists()
    ),
    "POST /plans/{id}/programs": Endpoint(
        "POST", lambda o, a: f"/plans/{a['plan']}/programs", admin_only(409),
        lambda o: {"code": f"P-{o}", "name": "Lagi", "aspect": "governance", "owner_opd": o},
    ),
    "GET /programs/{id}": Endpoint("GET", lambda o, a: f"/programs/{a['program']}", readers()),
    "GET /programs/{id}/milestones": Endpoint(
        "GET", lambda o, a: f"/programs/{a['program']}/milestones", readers()
    ),
    "POST /programs/{id}/milestones": Endpoint(
        "POST", lambda o, a: f"/programs/{a['program']}/milestones", admin_only(409),
        lambda o: {"code": "M1", "title": "Lagi", "due_date": "2024-12-31"},
    ),
    "GET /milestones/{id}": Endpoint(
        "GET", lambda o, a: f"/milestones/{a['milestone']}", readers()
    ),
    "POST /milestones/{id}/progress": Endpoint(
        "POST", lambda o, a: f"/milestones/{a['milestone']}/progress", HEAD_OWN,
        lambda o: {"percent": 50},
    ),
    "POST /milestones/{id}/submit": Endpoint(
        "POST", lambda o, a: f"/milestones/{a['milestone']}/submit", only({HEAD: (200, 403)})
    ),
    "GET /me/inbox": Endpoint(
        "GET", lambda o, a: "/me/inbox", only({HEAD: (200, 200), LEAD: (200, 200)})
    ),
    "GET /status/aspects": Endpoint("GET", lambda o, a: "/status/aspects", everyone()),
    "GET /status/programs": Endpoint("GET", lambda o, a: "/status/programs", everyone()),
    "GET /status/opds": Endpoint("GET", lambda o, a: "/status/opds", lists()),
    "GET /deadlines": Endpoint("GET", lambda o, a: f"/deadlines?opd={o}", readers()),
    "GET /audit/events": Endpoint("GET", lambda o, a: "/audit/events", AUDITORS),
    "GET /audit/aggregates/{id}/events": Endpoint(
        "GET", lambda o, a: f"/audit/aggregates/{a['approval']}/events", AUDITORS
    ),
    "GET /audit/aggregates/{id}/state": Endpoint(
        "GET", lambda o, a: f"/audit/aggregates/{a['approval']}/state?version=1", AUDITORS
    ),
    "GET /audit/aggregates/{id}/diff": Endpoint(
        "GET", lambda o, a: f"/audit/aggregates/{a['approval']}/diff?{MOMENTS}", AUDITORS
    ),
    "GET /audit/export": Endpoint("GET", lambda o, a: "/audit/export?format=csv", AUDITORS),
    "GET /audit/approvals/{id}/workflow-history": Endpoint(
        "GET", lambda o, a: f"/audit/approvals/{a['approval']}/workflow-history",
        only({AUD: (503, 503), INSP: (503, 503)}),
    ),
}  # fmt: skip
