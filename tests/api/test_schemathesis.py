"""Every operation of the live OpenAPI, called with generated requests: no 5xx, none off-schema.

The app runs over the reference scenario with its read models following the log, so reads
answer from real data and writes change it. Requests are sent as the secretariat (admin).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings

from api.app import create_app
from api.auth import Role, dev_tokens
from domain.scenario import ScenarioApps, load_reference_scenario
from infra.settings import Settings
from projections.registry import all_views
from projections.runner import ProjectionRunner
from tests.api.conftest import settings_for

#: Generated requests per operation: enough to reach every branch of the handlers cheaply.
EXAMPLES = 12
#: Seconds a read waits for the read models (the runner follows the log meanwhile).
READ_WAIT = 2.0


@dataclass
class Live:
    """The running app, a client to it and the dev tokens."""

    app: FastAPI
    client: TestClient
    tokens: dict[str, str]

    def last_position(self) -> int:
        """The newest position in the log."""
        return int(self.app.state.store.max_position())


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
            yield Live(app, client, dev_tokens(settings))
        finally:
            runner.stop()


#: The OpenAPI the app publishes (the first test checks the running app serves the same).
published = schemathesis.openapi.from_dict(create_app(Settings(_env_file=None)).openapi())  # type: ignore[call-arg]
#: /health answers 503 by design while Temporal is down, as it is here; its own tests cover it.
schema = published.exclude(path="/health")
checks = schema.config.checks
# The domain checks more than the schema says (an OPD code's letters, a known OPD kind, a
# city code, text that is only blanks): such a request is refused with 422 and field errors.
checks.positive_data_acceptance.expected_statuses = [
    *checks.positive_data_acceptance.expected_statuses,
    "422",
]


def test_the_running_app_publishes_the_schema_under_test(live: Live) -> None:
    served = live.client.get("/openapi.json")
    assert served.status_code == 200
    assert served.json() == published.raw_schema


def reachable(case: Any, live: Live) -> None:
    """Keep ``after_position`` within the log: a position never written is a 503 by design."""
    query = case.query or {}
    position = query.get("after_position")
    if isinstance(position, int) and position > live.last_position():
        query["after_position"] = live.last_position()


def send(case: Any, live: Live, role: str) -> Any:
    """Send the generated request as the dev user of ``role``; the raw response."""
    reachable(case, live)
    token = {"Authorization": f"Bearer {live.tokens[role]}"}
    kwargs = case.as_transport_kwargs(base_url="http://jejak.test", headers=token)
    kwargs.pop("cookies", None)
    if "data" in kwargs:
        kwargs["content"] = kwargs.pop("data")
    return live.client.request(**kwargs)


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_answers_within_its_schema_and_without_server_errors(
    case: Any, live: Live
) -> None:
    response = send(case, live, Role.ADMIN)
    assert response.status_code < 500, response.text
    case.validate_response(response)
