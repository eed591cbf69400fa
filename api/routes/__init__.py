"""The versioned API: every router, the problem handlers and the middleware, installed at once."""

from __future__ import annotations

from functools import cache

from fastapi import APIRouter, FastAPI

from api.answers import AnswerCache, AnswerCacheMiddleware
from api.guards import AuthenticationMiddleware, BodyLimitMiddleware, SignedWritesMiddleware
from api.idempotency import IdempotencyMiddleware
from api.observability import Metrics, RequestLogMiddleware, metrics_router
from api.problems import install_problem_handlers, problem_responses
from api.ratelimit import RateLimitMiddleware
from api.routes import (
    approvals,
    audit,
    bimtek,
    calendar,
    commitments,
    evaluation,
    evaluation_feedback,
    evaluation_process,
    evaluation_reports,
    evaluation_surveys,
    me,
    milestones,
    notifications,
    organisation,
    people,
    plans,
    status,
)
from infra.settings import Settings

PREFIX = "/api/v1"


@cache
def api_router() -> APIRouter:
    """Every route of /api/v1 (built once: an app copies the routes it includes)."""
    router = APIRouter(prefix=PREFIX, responses=problem_responses())
    modules = (organisation, people, calendar, approvals, commitments, bimtek, plans, milestones)
    evaluations = (
        evaluation_reports,
        evaluation,
        evaluation_process,
        evaluation_surveys,
        evaluation_feedback,
    )
    for module in (*modules, *evaluations, status, me, audit, notifications):
        router.include_router(module.router)
    return router


def install(app: FastAPI, settings: Settings) -> None:
    """Add the API's routes, error handlers and middleware to ``app``."""
    app.include_router(api_router())
    if settings.metrics_enabled:
        app.include_router(metrics_router)
    install_problem_handlers(app)
    app.state.metrics = Metrics()
    app.state.answers = AnswerCache()
    # Innermost: a kept answer is sent only after every check outside it has passed.
    answerables = [*status.ANSWERS, *me.ANSWERS]
    app.add_middleware(
        AnswerCacheMiddleware, answerables=answerables, cache=app.state.answers, prefix=PREFIX
    )
    app.add_middleware(IdempotencyMiddleware)
    # Outside in: who is calling, how often, how large, signed writes; none reads the body.
    app.add_middleware(SignedWritesMiddleware)
    app.add_middleware(BodyLimitMiddleware, limit=settings.max_body_bytes)
    app.add_middleware(RateLimitMiddleware, rates=settings.rate_limit)
    app.add_middleware(AuthenticationMiddleware)
    # Added last, so it is outermost: it sees every answer, also idempotent replays.
    app.add_middleware(RequestLogMiddleware, metrics=app.state.metrics)
