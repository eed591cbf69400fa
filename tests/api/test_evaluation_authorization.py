"""The evaluation's rows of the authorization matrix, and the assessor against every route.

An assessor (external, for the ministry) reads the evaluation package and scores its
items, and reaches nothing else: every other route of the API refuses them.
"""

from __future__ import annotations

import uuid

from api.auth import Role
from domain.evaluation import EvaluationApplication, EvaluationYear
from domain.evaluation.survey import SurveyCampaign
from tests.api.matrix_objects import (
    ADMIN,
    AUD,
    HEAD,
    INSP,
    LEAD,
    PUB,
    Endpoint,
    admin_only,
    everyone,
    objects,
    only,
)
from tests.support.app import CITY, OWN_OPD, SECRETARIAT, Api, request_approval

#: The year the rows name: absent in the matrix (404 past the policy), opened below.
YEAR = EvaluationYear.create_id(CITY, 2022)
_READ = (404, 404)
#: A survey that does not exist: it may not be answered (404), and nobody answered it.
SURVEY = SurveyCampaign.create_id(CITY, "SURVEI-NONE")
_COUNTS = (200, 200)
#: A program that does not exist: feedback on it is refused, and there is none to moderate.
FEEDBACK_PROGRAM = uuid.UUID("5b0e7c3a-1f0d-4c52-9d55-0c1d2e3f4a5b")

EVALUATION_ENDPOINTS: dict[str, Endpoint] = {
    "POST /evaluations": Endpoint(
        "POST", lambda o, a: "/evaluations", admin_only(201),
        lambda o: {"city_code": CITY, "year": 2024 if o == OWN_OPD else 2025,
                   "weights": {"baseline": 10, "output": 20, "outcome": 30, "impact": 30,
                               "quick-win": 10}},
    ),
    "GET /evaluations/{id}": Endpoint(
        "GET", lambda o, a: f"/evaluations/{YEAR}",
        only({ADMIN: _READ, INSP: _READ, AUD: _READ, LEAD: _READ}),
    ),
    "GET /evaluations/{id}/report.xlsx": Endpoint(
        "GET", lambda o, a: f"/evaluations/{YEAR}/report.xlsx",
        only({ADMIN: _READ, INSP: _READ, AUD: _READ, LEAD: _READ}),
    ),
    "GET /evaluations/{id}/self-assessment.pdf": Endpoint(
        "GET", lambda o, a: f"/evaluations/{YEAR}/self-assessment.pdf",
        only({ADMIN: _READ, INSP: _READ, AUD: _READ, LEAD: _READ}),
    ),
    "GET /evaluations/{id}/result.pdf": Endpoint(
        "GET", lambda o, a: f"/evaluations/{YEAR}/result.pdf",
        only({ADMIN: _READ, INSP: _READ, AUD: _READ, LEAD: _READ}),
    ),
    "GET /evaluations/chart.svg": Endpoint(
        "GET", lambda o, a: f"/evaluations/chart.svg?city_code={CITY}",
        only({ADMIN: _COUNTS, INSP: _COUNTS, AUD: _COUNTS, LEAD: _COUNTS}),
    ),
    "PUT /evaluations/{id}/weights": Endpoint(
        "PUT", lambda o, a: f"/evaluations/{YEAR}/weights", admin_only(404),
        lambda o: {"weights": {"baseline": 10, "output": 20, "outcome": 30, "impact": 20,
                               "quick-win": 20}},
    ),
    "POST /evaluations/{id}/items": Endpoint(
        "POST", lambda o, a: f"/evaluations/{YEAR}/items", admin_only(404),
        lambda o: {"code": f"OUT-{o}", "dimension": "output", "title": "Perwal"},
    ),
    "POST /evaluations/{id}/items/{code}/evidence": Endpoint(
        "POST", lambda o, a: f"/evaluations/{YEAR}/items/OUT-1/evidence", admin_only(404),
        lambda o: {"kind": "document", "title": "Perwal", "document_number": "12/2023"},
    ),
    "POST /evaluations/{id}/items/{code}/scores": Endpoint(
        "POST", lambda o, a: f"/evaluations/{YEAR}/items/OUT-1/scores", only({}),
        lambda o: {"score": 80, "comment": "Sesuai"},
    ),
    "POST /evaluations/{id}/process": Endpoint(
        "POST", lambda o, a: f"/evaluations/{YEAR}/process", admin_only(404),
        lambda o: {"assignments": [{"opd_code": o, "item_codes": ["OUT-1"]}]},
    ),
    "GET /evaluations/{id}/process": Endpoint(
        "GET", lambda o, a: f"/evaluations/{YEAR}/process",
        only({ADMIN: _READ, INSP: _READ, AUD: _READ, LEAD: _READ}),
    ),
    # An OPD head may declare only their own OPD's items; the year is looked up first.
    "POST /evaluations/{id}/process/filled": Endpoint(
        "POST", lambda o, a: f"/evaluations/{YEAR}/process/filled",
        only({ADMIN: _READ, HEAD: _READ}), lambda o: {"opd_code": o},
    ),
    "POST /evaluations/{id}/process/compile": Endpoint(
        "POST", lambda o, a: f"/evaluations/{YEAR}/process/compile", admin_only(404),
    ),
    "POST /evaluations/{id}/process/approval": Endpoint(
        "POST", lambda o, a: f"/evaluations/{YEAR}/process/approval", only({LEAD: _READ}),
    ),
    "POST /evaluations/{id}/process/hand-over": Endpoint(
        "POST", lambda o, a: f"/evaluations/{YEAR}/process/hand-over", admin_only(404),
        lambda o: {"assessors": ["asesor.kementerian"]},
    ),
    "POST /evaluations/{id}/process/scores": Endpoint(
        "POST", lambda o, a: f"/evaluations/{YEAR}/process/scores", only({}),
        lambda o: {"item_code": "OUT-1", "score": 80, "comment": "Sesuai"},
    ),
    "POST /evaluations/{id}/process/publication": Endpoint(
        "POST", lambda o, a: f"/evaluations/{YEAR}/process/publication", admin_only(404),
    ),
    "POST /surveys": Endpoint(
        "POST", lambda o, a: "/surveys", admin_only(201),
        lambda o: {"city_code": CITY, "campaign_code": f"SURVEI-{o}", "year": 2024,
                   "program": "Layanan", "question": "Puas?", "respondents": 3},
    ),
    "POST /surveys/{id}/responses": Endpoint(
        "POST", lambda o, a: f"/surveys/{SURVEY}/responses", only({PUB: (404, 404)}),
        lambda o: {"code": "BUKANKODE", "rating": 4},
    ),
    "GET /surveys/{id}/counts": Endpoint(
        "GET", lambda o, a: f"/surveys/{SURVEY}/counts",
        only({ADMIN: _COUNTS, INSP: _COUNTS, AUD: _COUNTS, LEAD: _COUNTS}),
    ),
    # The plan of the matrix is a draft: nobody may rate its programs yet (404 for the public).
    "POST /feedback": Endpoint(
        "POST", lambda o, a: "/feedback", only({PUB: (404, 404)}),
        lambda o: {"program_id": str(FEEDBACK_PROGRAM), "rating": 4, "comment": "Bagus"},
    ),
    "GET /feedback/programs/{id}": Endpoint(
        "GET", lambda o, a: f"/feedback/programs/{a['program']}", everyone(200),
    ),
    "GET /surveys/{id}/comments": Endpoint(
        "GET", lambda o, a: f"/surveys/{SURVEY}/comments", everyone(200),
    ),
    "GET /feedback/pending": Endpoint("GET", lambda o, a: "/feedback/pending", admin_only(200)),
    "POST /feedback/{id}/moderation": Endpoint(
        "POST", lambda o, a: f"/feedback/{FEEDBACK_PROGRAM}/moderation", admin_only(404),
        lambda o: {"decision": "approved"},
    ),
}  # fmt: skip

#: What the assessor gets on the evaluation's routes once the year exists: the package and
#: one score per item (the second call scores the same item again: 409), and the messages
#: sent to them (as every signed-in role); nothing else.
ASSESSOR_ALLOWED = {
    "GET /me/notifications": (200, 200),
    "POST /me/notifications/{position}/read": (404, 404),
    "GET /evaluations/{id}": (200, 200),
    "GET /evaluations/{id}/report.xlsx": (200, 200),
    "GET /evaluations/{id}/self-assessment.pdf": (200, 200),
    "GET /evaluations/{id}/result.pdf": (200, 200),
    "GET /evaluations/chart.svg": (200, 200),
    "POST /evaluations/{id}/items/{code}/scores": (200, 409),
    "GET /surveys/{id}/counts": (200, 200),
}
#: The process's routes the assessor is let through to: what they answer then depends on
#: Temporal (none runs here), so only "not refused" is checked.
ASSESSOR_LET_THROUGH = {"GET /evaluations/{id}/process", "POST /evaluations/{id}/process/scores"}


async def test_an_assessor_reads_the_package_scores_once_and_reaches_nothing_else(
    api: Api,
) -> None:
    from tests.api.test_authorization_matrix import ENDPOINTS, FOREIGN_OPD, call

    ids = objects(api, request_approval)
    evaluations = api.app.state.store.app(EvaluationApplication)
    weights = {"baseline": 10, "output": 20, "outcome": 30, "impact": 30, "quick-win": 10}
    year_id, _ = evaluations.open_year(city_code=CITY, year=2022, weights=weights, by=SECRETARIAT)
    evaluations.add_item(year_id, code="OUT-1", dimension="output", title="Perwal", by=SECRETARIAT)
    found = {
        name: (
            await call(api, endpoint, Role.ASSESSOR, OWN_OPD, ids[OWN_OPD]),
            await call(api, endpoint, Role.ASSESSOR, FOREIGN_OPD, ids[FOREIGN_OPD]),
        )
        for name, endpoint in ENDPOINTS.items()
    }
    through = {name: found.pop(name) for name in ASSESSOR_LET_THROUGH}
    expected = {name: ASSESSOR_ALLOWED.get(name, (403, 403)) for name in found}
    assert found == expected
    assert all(status not in (401, 403) for pair in through.values() for status in pair), through
