"""Real sockets for tests that need them: a free port, and an ASGI app under uvicorn on it."""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import AsyncIterator
from typing import Any

import uvicorn


def free_port() -> int:
    """A TCP port of this machine nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextlib.asynccontextmanager
async def served(app: Any, port: int) -> AsyncIterator[None]:
    """``app`` under uvicorn on ``port`` (no lifespan: the caller runs the app's)."""
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, lifespan="off", log_level="warning")
    )
    serve_task = asyncio.create_task(server.serve())
    try:
        while not server.started:  # noqa: ASYNC110 - uvicorn offers no event to wait on
            await asyncio.sleep(0.02)
        yield
    finally:
        server.should_exit = True
        await serve_task
