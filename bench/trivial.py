"""The baseline endpoint: a trivial FastAPI app."""

from __future__ import annotations

from fastapi import FastAPI


def create_app() -> FastAPI:
    """A FastAPI app with one endpoint that returns a constant."""
    app = FastAPI()

    @app.get("/ping")
    def ping() -> dict[str, str]:
        return {"status": "ok"}

    return app
