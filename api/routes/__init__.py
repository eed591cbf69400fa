"""The versioned API: every router, the problem handlers and the middleware, installed at once."""

from __future__ import annotations

from fastapi import APIRouter, FastAPI

from api.idempotency import IdempotencyMiddleware
from api.observability import Metrics, RequestLogMiddleware, metrics_router
from api.problems import install_problem_handlers, problem_responses
from api.routes import (
    approvals,
    audit,
    bimtek,
    calendar,
    commitments,
    evaluation,
    evaluation_surveys,
    me,
    milestones,
    organisation,
    people,
    plans,
    status,
)

PREFIX = "/api/v1"


def api_router() -> APIRouter:
    """Every route of /api/v1."""
    router = APIRouter(prefix=PREFIX, responses=problem_responses())
    modules = (organisation, people, calendar, approvals, commitments, bimtek, plans, milestones)
    for module in (*modules, evaluation, evaluation_surveys, status, me, audit):
        router.include_router(module.router)
    return router


def install(app: FastAPI) -> None:
    """Add the API's routes, error handlers and middleware to ``app``."""
    app.include_router(api_router())
    app.include_router(metrics_router)
    install_problem_handlers(app)
    app.state.metrics = Metrics()
    app.add_middleware(IdempotencyMiddleware)
    # Added last, so it is outermost: it sees every answer, also idempotent replays.
    app.add_middleware(RequestLogMiddleware, metrics=app.state.metrics)
