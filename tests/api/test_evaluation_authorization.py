"""The evaluation's rows of the authorization matrix, and the assessor against every route.

An assessor (external, for the ministry) reads the evaluation package and scores its
items, and reaches nothing else: every other route of the API refuses them.
"""

from __future__ import annotations

from api.auth import Role
from domain.evaluation import EvaluationApplication, EvaluationYear
from domain.evaluation.survey import SurveyCampaign
from tests.api.matrix_objects import (
    ADMIN,
    AUD,
    INSP,
    LEAD,
    PUB,
    Endpoint,
    admin_only,
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
}  # fmt: skip

#: What the assessor gets on the evaluation's routes once the year exists: the package and
#: one score per item (the second call scores the same item again: 409), and the messages
#: sent to them (as every signed-in role); nothing else.
ASSESSOR_ALLOWED = {
    "GET /me/notifications": (200, 200),
    "POST /me/notifications/{position}/read": (404, 404),
    "GET /evaluations/{id}": (200, 200),
    "GET /evaluations/{id}/report.xlsx": (200, 200),
    "POST /evaluations/{id}/items/{code}/scores": (200, 409),
    "GET /surveys/{id}/counts": (200, 200),
}


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
    expected = {name: ASSESSOR_ALLOWED.get(name, (403, 403)) for name in ENDPOINTS}
    assert found == expected
