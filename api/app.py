"""The FastAPI application factory; clients and stores are built in the lifespan."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from api import console, health, unavailable
from api.notification_metrics import NotificationCollector
from api.routes import install
from infra import heap, telemetry, tracing
from infra.background_report import BackgroundCollector
from infra.pool_metrics import PoolCollector
from infra.settings import Settings, get_settings
from infra.store import EventStore, open_store
from infra.temporal import connect
from projections.engine.viewstore import ViewStore


def views_of(store: EventStore) -> ViewStore | None:
    """The read models beside the events (None for a store in memory, which keeps none)."""
    try:
        return ViewStore(store)
    except ValueError:
        return None


def create_app(settings: Settings | None = None) -> FastAPI:
    """A new Jejak API over ``settings`` (read from the environment when not given)."""
    settings = settings or get_settings()
    telemetry.install(settings, "api")

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.settings = settings
        app.state.store = open_store(settings)
        # Lazy: the API starts even while Temporal is down; /health reports it.
        app.state.temporal = await connect(settings, lazy=True)
        app.state.views = views_of(app.state.store)
        collector = NotificationCollector(lambda: app.state.views)
        app.state.metrics.registry.register(collector)
        app.state.metrics.registry.register(BackgroundCollector(app.state.store))
        if app.state.store.pool is not None:
            app.state.metrics.registry.register(PoolCollector(app.state.store.pool))
        heap.settle()  # what start-up built is kept for good: no full collection walks it
        try:
            yield
        finally:
            app.state.metrics.registry.unregister(collector)
            if app.state.views is not None:
                app.state.views.close()
            app.state.store.close()

    app = FastAPI(
        title="Jejak",
        summary="Event-sourced workflow engine for a city's smart-city master plan.",
        version="0.1.0",
        lifespan=lifespan,
    )
    app.include_router(health.router)
    install(app, settings)
    unavailable.install(app)
    console.install(app, settings)
    provider = tracing.provider()
    if provider is not None:  # outermost: the request's span is the parent of everything
        from opentelemetry.instrumentation.asgi import OpenTelemetryMiddleware

        app.add_middleware(OpenTelemetryMiddleware, tracer_provider=provider)
    return app
