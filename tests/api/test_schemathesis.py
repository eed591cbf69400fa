"""Every operation of the live OpenAPI, called with generated requests: the API keeps its schema.

The app runs over the reference scenario with its read models following the log, so reads
answer from real data and writes change it. Every check of schemathesis runs, with
``positive_data_acceptance`` and ``negative_data_rejection``: a request the schema allows is
not refused as malformed, a request it forbids is refused. Then a state machine follows the
OpenAPI links: a plan, a program, a milestone, a progress report, a submission, a decision.

Budget (2 cores): every read route gets ``READ_EXAMPLES`` requests (100), every command
``WRITE_EXAMPLES`` (25; commands are reached again, with real ids, by the stateful phase) and
the state machine ``STATEFUL_EXAMPLES`` scenarios (100) of at most ``STATEFUL_STEPS`` calls.
Shrinking is off (a failure is reported as found), so the whole file runs in about two
minutes. ``make fuzz`` runs it with ``JEJAK_FUZZ_EXAMPLES=1000`` for every phase.
"""

from __future__ import annotations

import os
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, Phase, settings
from schemathesis.generation.modes import GenerationMode

from api.app import create_app
from api.auth import Role, dev_tokens, sign_dev_token
from domain.organisation.application import OrganisationApplication
from domain.plan import PlanApplication
from domain.scenario import ScenarioApps, load_reference_scenario
from infra.settings import Settings
from projections.registry import all_views
from projections.runner import ProjectionRunner
from tests.api.conftest import settings_for

#: ``make fuzz`` sets it: the examples of every phase (at least 1,000 there).
LONG = int(os.environ.get("JEJAK_FUZZ_EXAMPLES", "0"))
READ_EXAMPLES = LONG or 100
WRITE_EXAMPLES = LONG or 25
STATEFUL_EXAMPLES = LONG or 100
STATEFUL_STEPS = 8
#: Seconds a read waits for the read models (the runner follows the log meanwhile).
READ_WAIT = 2.0
V1 = "/api/v1"
#: The problem type of a request the schema refuses (as opposed to a rule of the domain).
MALFORMED = "https://jejak.id/problems/invalid-request"
#: Answers that say nothing of the data sent.
SILENT = {401, 403, 404, 409, 429}
#: Commands only the head of the OPD that owns the milestone may send.
OWNER_ONLY = {
    "/api/v1/milestones/{milestone_id}/progress",
    "/api/v1/milestones/{milestone_id}/submit",
}


@dataclass
class Live:
    """The running app, a client to it, the dev tokens and what each operation answered."""

    app: FastAPI
    client: TestClient
    settings: Settings
    tokens: dict[str, str]
    statuses: dict[str, Counter[int]] = field(default_factory=lambda: defaultdict(Counter))

    def last_position(self) -> int:
        """The newest position in the log."""
        return int(self.app.state.store.max_position())

    def token_for(self, path: str, case: Any) -> str:
        """The token to send ``case`` with: the owner OPD's head for its commands, else admin."""
        if path not in OWNER_ONLY:
            return self.tokens[Role.ADMIN]
        store = self.app.state.store
        try:
            milestone = store.app(PlanApplication).get_milestone(
                case.path_parameters["milestone_id"]
            )
            term = (
                store.app(OrganisationApplication)
                .get_opd(milestone.owner_opd)
                .head_on(date.today())
            )
        except Exception:  # an unknown milestone or OPD: the API answers for itself
            return self.tokens[Role.ADMIN]
        nip = term.nip if term is not None else ""
        return sign_dev_token(self.settings, nip, Role.OPD_HEAD) if nip else self.tokens[Role.ADMIN]


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    """The app over the reference scenario, its lifespan running, read models following the log."""
    settings = settings_for(tmp_path_factory.mktemp("schemathesis"))
    app = create_app(settings)
    with TestClient(app, base_url="http://jejak.test", raise_server_exceptions=False) as client:
        load_reference_scenario(ScenarioApps.of(app.state.store.app))
        runner = ProjectionRunner(app.state.store, all_views(), poll_interval=0.05)
        runner.prepare()
        runner.catch_up()
        runner.start()
        app.state.read_wait_seconds = READ_WAIT
        try:
            yield Live(app, client, settings, dev_tokens(settings))
        finally:
            runner.stop()


#: The OpenAPI the app publishes (the first test checks the running app serves the same).
published = schemathesis.openapi.from_dict(create_app(Settings(_env_file=None)).openapi())  # type: ignore[call-arg]
#: /health answers 503 by design while Temporal is down, as it is here; its own tests cover it.
schema = published.exclude(path="/health")
checks = schema.config.checks
# A request the schema allows may still break a rule of the domain that JSON Schema cannot say
# (an end before a start, a year outside the plan, an aspect the plan lacks, a NIP born after
# its appointment): 422 with the rule's own problem type. That it is never refused as
# malformed is checked apart, by ``well_formed_data_is_not_refused_as_malformed``.
checks.positive_data_acceptance.expected_statuses = [
    *checks.positive_data_acceptance.expected_statuses,
    "422",
]


@schemathesis.check
def well_formed_data_is_not_refused_as_malformed(ctx: Any, response: Any, case: Any) -> None:
    """A request the schema allows never answers 422 ``invalid-request``: the schema says all."""
    if case.meta is None or case.meta.generation.mode != GenerationMode.POSITIVE:
        return
    if response.status_code in (400, 422) and MALFORMED in response.text:
        raise AssertionError(
            f"The schema allows what the API refuses as malformed: {response.text}"
        )


def test_the_running_app_publishes_the_schema_under_test(live: Live) -> None:
    served = live.client.get("/openapi.json")
    assert served.status_code == 200
    assert served.json() == published.raw_schema


def reachable(case: Any, live: Live) -> None:
    """Keep ``after_position`` within the log: a position never written is refused by design."""
    query = case.query or {}
    position = query.get("after_position")
    if isinstance(position, int) and position > live.last_position():
        query["after_position"] = live.last_position()


def send(case: Any, live: Live) -> Any:
    """Send the generated request as the caller allowed to send it; the raw response."""
    reachable(case, live)
    token = {"Authorization": f"Bearer {live.token_for(case.operation.path, case)}"}
    kwargs = case.as_transport_kwargs(base_url="http://jejak.test", headers=token)
    kwargs.pop("cookies", None)
    if "data" in kwargs:
        kwargs["content"] = kwargs.pop("data")
    response = live.client.request(**kwargs)
    live.statuses[case.operation.label][response.status_code] += 1
    return response


def fuzz_settings(examples: int) -> settings:
    """Hypothesis settings of a phase: ``examples`` per operation, no shrinking, no deadline."""
    return settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
        phases=[Phase.explicit, Phase.generate],
    )


@schema.include(method="GET").parametrize()
@fuzz_settings(READ_EXAMPLES)
def test_every_read_answers_within_its_schema(case: Any, live: Live) -> None:
    response = send(case, live)
    assert response.status_code < 500, response.text
    case.validate_response(
        response, additional_checks=[well_formed_data_is_not_refused_as_malformed]
    )


@schema.exclude(method="GET").parametrize()
@fuzz_settings(WRITE_EXAMPLES)
def test_every_command_answers_within_its_schema(case: Any, live: Live) -> None:
    response = send(case, live)
    assert response.status_code < 500, response.text
    case.validate_response(
        response, additional_checks=[well_formed_data_is_not_refused_as_malformed]
    )


def test_following_the_links_keeps_the_schema(live: Live) -> None:
    class Workflow(schema.as_state_machine()):  # type: ignore[misc]
        def call(self, case: Any, **kwargs: Any) -> Any:
            return schemathesis.Response.from_any(send(case, live))

        def validate_response(self, response: Any, case: Any, **kwargs: Any) -> None:
            assert response.status_code < 500, response.text
            case.validate_response(
                response, additional_checks=[well_formed_data_is_not_refused_as_malformed]
            )

    run = fuzz_settings(STATEFUL_EXAMPLES)
    Workflow.run(settings=settings(run, stateful_step_count=STATEFUL_STEPS))


def test_no_operation_refuses_as_malformed_most_of_what_its_schema_allows(live: Live) -> None:
    """Schemathesis' "schema validation mismatch" warning, on every answer of this module.

    It names an operation that never answered other than 4xx, when 10% or more of its 400s,
    422s and 404s are 400 or 422 (401, 403, 409 and 429 say nothing of the data).
    """
    mismatched = {}
    for label, counts in live.statuses.items():
        if not all(400 <= s < 500 for s in counts if s != 500):
            continue
        if set(counts) <= {401, 403, 500}:
            continue
        other = sum(n for s, n in counts.items() if 400 <= s < 500 and s not in SILENT)
        considered = other + counts.get(404, 0)
        if considered and other / considered >= 0.1:
            mismatched[label] = dict(counts)
    assert not mismatched, mismatched
