"""Every operation of the live OpenAPI, called with generated requests: the API keeps its schema.

The app runs over the reference scenario with its read models following the log, so reads
answer from real data and writes change it. Every check of schemathesis runs, with
``positive_data_acceptance`` and ``negative_data_rejection``: a request the schema allows is
not refused as malformed, a request it forbids is refused. Then a state machine follows the
OpenAPI links: a plan, a program, a milestone, a progress report, a submission, a decision.

Budget (2 cores): every read route gets ``READ_EXAMPLES`` requests (100), every command
``WRITE_EXAMPLES`` (20; commands are reached again, with real ids, by the stateful phase) and
the state machine ``STATEFUL_EXAMPLES`` scenarios (100) of at most ``STATEFUL_STEPS`` calls.
Shrinking is off (a failure is reported as found): the file takes about 1 min 45 s of CPU,
some 6,400 requests (4-5 minutes of wall time when other work shares the two cores).
Generated ``Idempotency-Key``s are made unique, and the milestone commands are sent as the
head of the milestone's owner OPD; a well-formed body names the city served here (but for a
new plan's); everything else is sent as generated, as the secretariat.
``make fuzz`` runs it with ``JEJAK_FUZZ_EXAMPLES=1000`` for every phase.
"""

from __future__ import annotations

import json
import os
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, Phase, settings
from hypothesis.errors import FlakyStrategyDefinition
from schemathesis.config import InferenceAlgorithm
from schemathesis.generation.meta import REQUEST_SHAPE_PROBES, coverage_scenario
from schemathesis.generation.modes import GenerationMode

from api.app import create_app
from api.auth import Role, dev_tokens, sign_dev_token
from domain.organisation.application import OrganisationApplication
from domain.plan import PlanApplication
from infra.scenario import ScenarioApps, load_reference_scenario
from infra.scenario.data import CITY_CODE
from infra.settings import Settings
from projections.engine.registry import all_views
from projections.engine.runner import ProjectionRunner
from tests.support.app import settings_for

#: Generated requests against every operation: minutes, not seconds.
pytestmark = pytest.mark.slow

#: ``make fuzz`` sets it: the examples of every phase (at least 1,000 there).
LONG = int(os.environ.get("JEJAK_FUZZ_EXAMPLES", "0"))
#: ``make fuzz`` sets it: the file that gets the counts of the run (docs/fuzz.json), from which
#: ``python -m bench`` makes row 8 of docs/benchmarks.md.
RESULT = Path(os.environ["JEJAK_FUZZ_RESULT"]) if os.environ.get("JEJAK_FUZZ_RESULT") else None
READ_EXAMPLES = LONG or 100
WRITE_EXAMPLES = LONG or 20
STATEFUL_EXAMPLES = LONG or 100
STATEFUL_STEPS = 8
#: How many times the state machine may start again after a flaky replay.
RESTARTS = 20
#: Seconds a read waits for the read models (the runner follows the log meanwhile).
READ_WAIT = 2.0
V1 = "/api/v1"
#: The problem type of a request the schema refuses (as opposed to a rule of the domain).
MALFORMED = "https://jejak.id/problems/invalid-request"
#: Refusals by a rule of the domain no JSON Schema pattern can state: a NIP's birth date must
#: exist (not 30 February) and come before its year and month of appointment; a pangkat, when
#: given, must be its golongan's own (PP 99/2000: a rule between two fields of the body); the
#: secretariat recording a signature must name the signer, which an OPD head signing does
#: not (one body for both, the rule follows the caller's role).
DOMAIN_ONLY = {"422 invalid-nip", "422 invalid-rank", "422 signer-needed"}
#: Operations that name a new city: any code of the right form is theirs to name.
NAMES_A_CITY = {"POST /api/v1/plans"}
#: Answers that say nothing of the data sent; 412 answers an If-Match naming a version the
#: record does not have (the schema cannot know it), a conflict with the state like 409.
SILENT = {401, 403, 404, 409, 412, 429}
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
    statuses: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    keys: int = 0
    failures: int = 0
    started: float = field(default_factory=time.monotonic)
    requests: Counter[str] = field(default_factory=Counter)
    operations: set[str] = field(default_factory=set)

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
# The state machine follows the links the OpenAPI publishes (and those a Location header
# shows). Schemathesis' own guesses from the shapes of answers are off: every command answers
# the one CommandResult, whose id names a plan, a NIP or an OPD's contact by operation, so it
# would link a registered person's NIP to GET /evaluations/{year_id}.
schema.config.phases.stateful.inference.algorithms = [InferenceAlgorithm.LOCATION_HEADERS]
checks = schema.config.checks
# A request the schema allows may still break a rule of the domain that JSON Schema cannot say
# (an end before a start, a year outside the plan, an aspect the plan lacks, a NIP born after
# its appointment): 422 with the rule's own problem type. That it is never refused as
# malformed is checked apart, by ``well_formed_data_is_not_refused_as_malformed``. A generated
# If-Match names no version the record has: 412, as a stale one would.
checks.positive_data_acceptance.expected_statuses = [
    *checks.positive_data_acceptance.expected_statuses,
    "412",
    "422",
]


def well_formed(case: Any) -> bool:
    """Whether ``case`` was generated to fit the schema (positive), not to break it."""
    return case.meta is not None and case.meta.generation.mode == GenerationMode.POSITIVE


@schemathesis.check
def well_formed_data_is_not_refused_as_malformed(ctx: Any, response: Any, case: Any) -> None:
    """A request the schema allows never answers 422 ``invalid-request``: the schema says all."""
    if not well_formed(case):
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


def served_city(case: Any) -> None:
    """Name the city served here in a well-formed body (a new plan names its own)."""
    # Whether a code of the right form is a city served is known only to the server
    # (JEJAK_CITY, or a master plan of that city); an unknown one is refused as such
    # (422 ``unknown-city``, tests/api/routes/test_calendar_routes.py).
    body = case.body
    if not isinstance(body, dict) or not well_formed(case) or case.operation.label in NAMES_A_CITY:
        return
    for name in ("city", "city_code"):
        if isinstance(body.get(name), str):
            body[name] = CITY_CODE


def unique_key(case: Any, live: Live) -> None:
    """Make a generated Idempotency-Key unique, keeping its form and length.

    Generated keys repeat ("0"), and a key sent again with another body is refused by design
    (tests/api/test_idempotency.py): each generated request here is meant as a new command.
    """
    key = (case.headers or {}).get("Idempotency-Key")
    if not isinstance(key, str) or not well_formed(case):
        return
    live.keys += 1
    unique = f"{live.keys:08x}{key}"
    case.headers["Idempotency-Key"] = unique if len(unique) <= 255 else unique[:8] + key[8:]


def answer_kind(response: Any) -> str:
    """The status and, for a problem, its type: ``422 invalid-nip``."""
    kind = str(response.status_code)
    if response.headers.get("content-type") == "application/problem+json":
        kind += " " + str(response.json().get("type", "")).rsplit("/", 1)[-1]
    return kind


def send(case: Any, live: Live) -> Any:
    """Send the generated request as the caller allowed to send it; the raw response."""
    reachable(case, live)
    served_city(case)
    unique_key(case, live)
    token = {"Authorization": f"Bearer {live.token_for(case.operation.path, case)}"}
    kwargs = case.as_transport_kwargs(base_url="http://jejak.test", headers=token)
    kwargs.pop("cookies", None)
    # A generated header may hold any character; HTTP carries bytes (the API then refuses it).
    kwargs["headers"] = {k: str(v).encode() for k, v in (kwargs.get("headers") or {}).items()}
    if "data" in kwargs:
        kwargs["content"] = kwargs.pop("data")
    response = live.client.request(**kwargs)
    live.requests[case.meta.phase.name.value if case.meta else "explicit"] += 1
    live.operations.add(case.operation.label)
    if well_formed(case) and coverage_scenario(case) not in REQUEST_SHAPE_PROBES:
        live.statuses[case.operation.label][answer_kind(response)] += 1
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
    checked(case, send(case, live), live)


@schema.exclude(method="GET").parametrize()
@fuzz_settings(WRITE_EXAMPLES)
def test_every_command_answers_within_its_schema(case: Any, live: Live) -> None:
    checked(case, send(case, live), live)


def checked(case: Any, response: Any, live: Live) -> None:
    """No server error, an answer within the schema; a failure is counted for the fuzz row."""
    try:
        assert response.status_code < 500, response.text
        case.validate_response(
            response, additional_checks=[well_formed_data_is_not_refused_as_malformed]
        )
    except BaseException:
        live.failures += 1
        raise


def test_following_the_links_keeps_the_schema(live: Live) -> None:
    failures: list[BaseException] = []
    scenarios = [0]

    class Workflow(schema.as_state_machine()):  # type: ignore[misc]
        def setup(self) -> None:
            scenarios[0] += 1

        def call(self, case: Any, **kwargs: Any) -> Any:
            return schemathesis.Response.from_any(send(case, live))

        def validate_response(self, response: Any, case: Any, **kwargs: Any) -> None:
            try:
                checked(case, response, live)
            except BaseException as failure:
                failures.append(failure)
                raise

    # The server's state moves on between Hypothesis' replays (a second plan for the same city
    # and years is refused), so a replayed prefix may offer other links: Hypothesis calls that
    # a flaky strategy. Like schemathesis' own runner, start again and count the scenarios run;
    # a failure of a check is kept apart above, so a flaky replay cannot hide it.
    for _ in range(RESTARTS):
        remaining = STATEFUL_EXAMPLES - scenarios[0]
        if remaining <= 0:
            break
        run = fuzz_settings(remaining)
        try:
            Workflow.run(settings=settings(run, stateful_step_count=STATEFUL_STEPS))
        except FlakyStrategyDefinition:
            continue
        break
    assert not failures, failures[0]
    assert scenarios[0] >= STATEFUL_EXAMPLES


def test_no_operation_refuses_as_malformed_most_of_what_its_schema_allows(live: Live) -> None:
    """Schemathesis' "schema validation mismatch" warning, over every phase of this module.

    Over the requests that fit the schema, it names an operation that never answered other
    than 4xx when 10% or more of its 4xx are not 404 (401, 403, 409, 429 are left out). Here
    412 is left out too (a generated If-Match names no real version) and so are the NIP and
    pangkat rules no pattern can state (``DOMAIN_ONLY``): appointing a head needs a registered
    person, so without them that operation would be named for refusals the schema cannot
    prevent.
    """
    mismatched = {}
    for label, kinds in live.statuses.items():
        counts: Counter[int] = Counter()
        for kind, n in kinds.items():
            counts[int(kind[:3])] += n
        if not all(400 <= s < 500 for s in counts if s != 500) or set(counts) <= {401, 403, 500}:
            continue
        domain_only = sum(n for kind, n in kinds.items() if kind in DOMAIN_ONLY)
        other = sum(n for s, n in counts.items() if 400 <= s < 500 and s not in SILENT)
        other -= domain_only
        considered = other + counts.get(404, 0)
        if considered and other / considered >= 0.1:
            mismatched[label] = dict(kinds)
    if RESULT:
        record_fuzz_result(live, mismatched, RESULT)
    assert not mismatched, "\n".join(f"{k}: {v}" for k, v in mismatched.items())
    assert not live.failures


def record_fuzz_result(live: Live, mismatched: dict[str, Any], result: Path) -> None:
    """``make fuzz``: the counts of this run, for the fuzz row of docs/benchmarks.md.

    It runs last in the module, so ``live.failures`` holds every failed check of the run (a
    read, a command or a linked call), whichever test it failed.
    """
    counts = {
        "schemathesis": schemathesis.__version__,
        "operations": len(live.operations),
        "requests": sum(live.requests.values()),
        "requests_by_phase": dict(sorted(live.requests.items())),
        "failures": live.failures,
        "mismatched": mismatched,
        "read_examples": READ_EXAMPLES,
        "write_examples": WRITE_EXAMPLES,
        "stateful_scenarios": STATEFUL_EXAMPLES,
        "stateful_steps": STATEFUL_STEPS,
        "seconds": round(time.monotonic() - live.started),
    }
    result.write_text(json.dumps(counts, indent=2) + "\n")
