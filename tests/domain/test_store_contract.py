"""The store contract: every application saves, loads and refuses races alike on every store.

The domain tests run on the in-memory store; this module runs the behaviour they rely on
(save, load, natural-key collisions, optimistic concurrency, expected versions) on memory,
SQLite and PostgreSQL, once per application.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from contextlib import closing
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from domain.approvals.application import ApprovalsApplication
from domain.approvals.rules import StepSpec
from domain.bimtek import BimtekApplication
from domain.calendar import CalendarApplication
from domain.calendar.city_calendar import CityCalendar
from domain.commitments import CommitmentsApplication, RequiredSignatory
from domain.deadlines.application import DeadlinesApplication
from domain.evaluation import EvaluationApplication
from domain.notifications import NotificationsApplication
from domain.notifications.contact import Contact
from domain.organisation import OrganisationApplication
from domain.plan import PlanApplication
from domain.shared import (
    Actor,
    AlreadyExistsError,
    ConflictError,
    JejakAggregate,
    JejakApplication,
    VersionMismatchError,
)
from infra.store import EventStore
from tests.support.stores import STORE_KINDS, store_url

STAFF = Actor("198001012005011001", "staff")
HEAD_NIP = "197505052000031002"
WEIGHTS = {"baseline": 10, "output": 20, "outcome": 30, "impact": 30, "quick-win": 10}
REWEIGHED = {**WEIGHTS, "impact": 20, "quick-win": 20}


@dataclass(frozen=True)
class Case:
    """One application: how to create one aggregate (its id) and how to change it."""

    app: type[JejakApplication]
    create: Callable[[Any], uuid.UUID]
    change: Callable[[Any, uuid.UUID], int]


def _opd(app: OrganisationApplication) -> uuid.UUID:
    app.register_person(HEAD_NIP, "Andi", by=STAFF)
    return app.register_opd("DISKOMINFO", "Dinas Kominfo", "dinas", "Kepala Dinas", by=STAFF)[0]


def _holiday(app: CalendarApplication) -> uuid.UUID:
    app.declare_local_holiday("PSIANTAR", date(2024, 6, 24), "Hari jadi kota", by=STAFF)
    return CityCalendar.create_id("PSIANTAR")


def _commitment(app: CommitmentsApplication) -> uuid.UUID:
    return app.create_commitment(
        city_code="PSIANTAR", slug="komitmen", title="Komitmen", text="Kami berkomitmen.",
        legal_basis="Perpres 95/2018", place="Bappeda", date=date(2023, 10, 18),
        required=[RequiredSignatory(HEAD_NIP, "DISKOMINFO", "Kepala Dinas")], by=STAFF,
    )[0]  # fmt: skip


def _stage(app: BimtekApplication) -> uuid.UUID:
    return app.create_session(
        city_code="PSIANTAR", stage_number=1, title="Masterplan", start_date=date(2023, 7, 3),
        end_date=date(2023, 7, 4), venue="Bappeda", organiser_opd="DISKOMINFO",
        invited_opds=["DINKES"], by=STAFF,
    )[0]  # fmt: skip


def _plan(app: PlanApplication) -> uuid.UUID:
    return app.create_plan(
        city_code="PSIANTAR", city_name="Pematang Siantar", title="Masterplan", start_year=2024,
        by=STAFF,
    ).id  # fmt: skip


def _contact(app: NotificationsApplication) -> uuid.UUID:
    app.register_contact("opd", "DISKOMINFO", email="kominfo@siantar.go.id", by=STAFF)
    return Contact.create_id("opd", "DISKOMINFO")


def _request(app: ApprovalsApplication) -> uuid.UUID:
    route = [StepSpec(0, ("BAPPEDA",))]
    return app.request_approval("deliverable", "D-1", "Draf", "DINKES", HEAD_NIP, route, STAFF)[0]


CASES = {
    "approvals": Case(
        ApprovalsApplication, _request, lambda app, i: app.withdraw(i, "Ditarik", STAFF)
    ),
    "deadlines": Case(
        DeadlinesApplication,
        lambda app: app.track("milestone", "M-1", "DINKES", "Laporan", date(2024, 6, 28))[0],
        lambda app, i: app.move_due_date(i, date(2024, 9, 30)),
    ),
    "organisation": Case(
        OrganisationApplication,
        _opd,
        lambda app, _: app.appoint_head("DISKOMINFO", HEAD_NIP, date(2024, 1, 2), "SK 1", by=STAFF),
    ),
    "calendar": Case(
        CalendarApplication,
        _holiday,
        lambda app, _: app.declare_working_day("PSIANTAR", date(2024, 6, 8), "Sabtu", by=STAFF),
    ),
    "commitments": Case(
        CommitmentsApplication, _commitment, lambda app, i: app.withdraw(i, reason="Baru", by=STAFF)
    ),
    "bimtek": Case(
        BimtekApplication,
        _stage,
        lambda app, i: app.add_material(i, title="Modul", reference="modul.pdf", by=STAFF),
    ),
    "plan": Case(
        PlanApplication,
        _plan,
        lambda app, i: (
            app.add_program(
                i,
                code="GOV-01",
                name="Satu data",
                aspect="governance",
                owner_opd="DISKOMINFO",
                by=STAFF,
            ).position
        ),
    ),
    "evaluation": Case(
        EvaluationApplication,
        lambda app: app.open_year(city_code="PSIANTAR", year=2024, weights=WEIGHTS, by=STAFF)[0],
        lambda app, i: app.set_weights(i, weights=REWEIGHED, by=STAFF),
    ),
    "notifications": Case(
        NotificationsApplication,
        _contact,
        lambda app, _: app.register_contact("opd", "DISKOMINFO", email="a@siantar.go.id", by=STAFF),
    ),
}


@pytest.fixture(params=STORE_KINDS)
def every_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[EventStore]:
    """A fresh event store, once in memory, once on SQLite and once on PostgreSQL."""
    if request.param == "postgres":
        request.applymarker(pytest.mark.postgres)
    with closing(EventStore(*store_url(request.param, tmp_path, request))) as store:
        yield store


@pytest.fixture(params=sorted(CASES))
def case(request: pytest.FixtureRequest) -> Case:
    """Each application in turn."""
    return CASES[request.param]


def another_instance(store: EventStore, cls: type[JejakApplication]) -> Any:
    """A second instance of an application on the same log (another process, say).

    The store holds it, so it lives (and keeps the shared connections open) as long as
    the store does.
    """
    return store.app(type(f"Another{cls.__name__}", (cls,), {}))


def test_a_change_reads_back_from_the_log_at_its_position(
    every_store: EventStore, case: Case
) -> None:
    app = every_store.app(case.app)
    aggregate_id = case.create(app)
    position = case.change(app, aggregate_id)
    assert position == every_store.max_position()
    saved: JejakAggregate = app.repository.get(aggregate_id)
    read: JejakAggregate = another_instance(every_store, case.app).repository.get(aggregate_id)
    assert (read.version, read.modified_on) == (saved.version, saved.modified_on)


def racing(store: EventStore, case: Case, first: Callable[[], object]) -> Any:
    """Another instance of the case's application that lets ``first`` save just before it."""
    racer = another_instance(store, case.app)
    save = racer.save

    def save_after_someone_else(*aggregates: Any, **kwargs: Any) -> Any:
        racer.save = save  # only the first save races
        first()
        return save(*aggregates, **kwargs)

    racer.save = save_after_someone_else
    return racer


def test_two_creations_of_one_natural_key_at_once_one_is_refused(
    every_store: EventStore, case: Case
) -> None:
    app = every_store.app(case.app)
    racer = racing(every_store, case, lambda: case.create(app))
    with pytest.raises((AlreadyExistsError, ConflictError)):
        case.create(racer)


def test_a_change_saved_between_load_and_save_is_a_conflict(
    every_store: EventStore, case: Case
) -> None:
    app = every_store.app(case.app)
    aggregate_id = case.create(app)
    racer = racing(every_store, case, lambda: case.change(app, aggregate_id))
    with pytest.raises(ConflictError):
        case.change(racer, aggregate_id)


def test_a_stale_expected_version_is_refused_before_anything_is_saved(
    every_store: EventStore, case: Case
) -> None:
    app = every_store.app(case.app)
    aggregate_id = case.create(app)
    version = app.repository.get(aggregate_id).version
    head = every_store.max_position()
    with pytest.raises(VersionMismatchError) as refused:
        app.get(aggregate_id, JejakAggregate, "It", expected_version=version - 1)
    assert refused.value.current_version == version
    assert app.get(aggregate_id, JejakAggregate, "It", expected_version=version).version == version
    assert every_store.max_position() == head
