"""The real app over a SQLite store in a temporary directory, seeded with a few OPDs (`api`)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from api.app import create_app
from api.auth import DEV_USERS, Role, dev_tokens, sign_dev_token
from domain.approvals.application import ApprovalsApplication
from domain.approvals.rules import StepSpec
from domain.organisation.application import OrganisationApplication
from domain.shared import Actor
from infra.settings import Settings

HEAD_NIP = DEV_USERS[Role.OPD_HEAD][0]
OTHER_HEAD_NIP = "198002022005012002"
OWN_OPD = "DISKOMINFO"
FOREIGN_OPD = "BAPPEDA"
SECRETARIAT = Actor(DEV_USERS[Role.ADMIN][0])
#: The city the test deployment serves (JEJAK_CITY).
CITY = "SIANTAR"


@dataclass
class Api:
    """The app under test, a client, and a token per role."""

    app: FastAPI
    client: httpx.AsyncClient
    settings: Settings
    tokens: dict[str, str]

    def auth(self, role: str) -> dict[str, str]:
        """The Authorization header of the dev user of ``role``."""
        return {"Authorization": f"Bearer {self.tokens[role]}"}

    def organisation(self) -> OrganisationApplication:
        """The organisation service over the app's store."""
        return self.app.state.store.app(OrganisationApplication)  # type: ignore[no-any-return]


def seed(organisation: OrganisationApplication) -> None:
    """Two OPDs, each with a head: the dev OPD head leads DISKOMINFO."""
    for code, name, nip in (
        (OWN_OPD, "Dinas Komunikasi dan Informatika", HEAD_NIP),
        (FOREIGN_OPD, "Badan Perencanaan Pembangunan Daerah", OTHER_HEAD_NIP),
    ):
        kind = "dinas" if code == OWN_OPD else "badan"
        organisation.register_opd(code, name, kind, "Kepala", by=SECRETARIAT)
        organisation.register_person(nip, f"Head of {code}", by=SECRETARIAT)
        organisation.appoint_head(code, nip, date(2023, 1, 2), f"SK/{code}/1", by=SECRETARIAT)


def settings_for(tmp_path: Path, **overrides: object) -> Settings:
    """Settings for a store in ``tmp_path``, without reading the environment's .env."""
    # Dev tokens on, and no rate limit: tests call faster than any official (their own tests
    # in test_hardening*.py turn the limit on).
    overrides = {"dev_mode": True, "rate_limit": "", **overrides}
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        data_dir=tmp_path,
        event_store_url=f"sqlite:///{tmp_path / 'events.db'}",
        **overrides,  # type: ignore[arg-type]
    )


@asynccontextmanager
async def serving(settings: Settings, rate_limit_pause: float | None = None) -> AsyncIterator[Api]:
    """The app of ``settings`` with its lifespan running and a client to call it (unseeded);
    ``rate_limit_pause`` shortens the wait a rate-limited request is held for."""
    app = create_app(settings)
    if rate_limit_pause is not None:
        app.state.rate_limit_pause = rate_limit_pause
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://jejak.test") as client:
            yield Api(app, client, settings, dev_tokens(settings))


@pytest.fixture
async def api(tmp_path: Path) -> AsyncIterator[Api]:
    """The app with its lifespan running, seeded, and a client to call it."""
    settings = settings_for(tmp_path, city=CITY)
    async with serving(settings) as found:
        seed(found.organisation())
        found.tokens["opd-head-other"] = sign_dev_token(settings, OTHER_HEAD_NIP, Role.OPD_HEAD)
        yield found


def request_approval(api: Api, opd: str) -> str:
    """An approval request owned by ``opd`` whose one step ``opd`` decides (not yet open)."""
    approvals = api.app.state.store.app(ApprovalsApplication)
    request_id, _ = approvals.request_approval(
        "milestone-report",
        f"milestone-{opd}",
        f"Progress report of {opd}",
        opd,
        "staff.nip",
        [StepSpec(0, (opd,))],
        SECRETARIAT,
    )
    return str(request_id)
