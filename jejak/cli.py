"""The `jejak` command line."""

from __future__ import annotations

import asyncio
import inspect
import os
import sys
from collections.abc import Coroutine
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer

from api.cli import token as token_command
from infra import heap, telemetry
from infra.logs import configure_logging
from infra.settings import Settings, SettingsError, load_settings
from infra.store import EventStore
from projections.audit.cli import app as audit_cli
from projections.engine.cli import projections_cli

app = typer.Typer(
    help="Jejak: the smart-city program engine.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)


def fail(message: str, status: int = 1) -> NoReturn:
    """Print one line to stderr and leave with ``status``."""
    print(f"jejak: {message}", file=sys.stderr)
    raise typer.Exit(status)


def start(part: str, dev_mode_by_default: bool = False) -> Settings:
    """Read the settings once and configure logging for this entry point."""
    os.umask(0o077)  # every file Jejak writes (databases, keys, logs) is its owner's only
    try:
        settings = load_settings()
        if dev_mode_by_default and "dev_mode" not in settings.model_fields_set:
            # `jejak up` is the laptop stack: dev tokens on, for its children too,
            # unless JEJAK_DEV_MODE says otherwise. Every other entry point keeps it off.
            os.environ["JEJAK_DEV_MODE"] = "true"
            settings = load_settings()
    except SettingsError as exc:
        fail(str(exc), status=2)
    configure_logging(settings.log_format, settings.log_level, part=part)
    return settings


def exit_status(result: Any) -> int:
    """The exit status of an entry point's result (run to completion if a coroutine)."""
    if inspect.iscoroutine(result):
        result = asyncio.run(result)
    return result if isinstance(result, int) else 0


@app.command()
def up(
    no_demo: Annotated[
        bool, typer.Option("--no-demo", help="Start empty, without the reference scenario.")
    ] = False,
) -> None:
    """Start everything: Temporal, the worker, the projector and the API."""
    settings = start("up", dev_mode_by_default=True)
    from jejak.supervisor import Supervisor

    raise typer.Exit(Supervisor(settings, demo=not no_demo).run())


@app.command()
def api() -> None:
    """Serve the HTTP API."""
    settings = start("api")
    import uvicorn

    uvicorn.run(
        "api.app:create_app",
        factory=True,
        host=settings.api_host,
        port=settings.api_port,
        workers=settings.api_workers,
        log_config=None,
        server_header=False,
    )


def on_temporal(main: Coroutine[Any, Any, None]) -> None:
    """Run a process that needs Temporal; one line, not a traceback, if it never answers."""
    from infra.temporal import TemporalUnavailableError

    try:
        asyncio.run(main)
    except TemporalUnavailableError as exc:
        fail(str(exc))


@app.command()
def worker() -> None:
    """Run the Temporal worker (workflows and activities)."""
    settings = start("worker")
    from workflows.worker import run_worker

    heap.settle()
    on_temporal(run_worker(settings))


@app.command()
def projector() -> None:
    """Keep the read models up to date with the event log."""
    settings = start("projector")
    from projections.engine.runner import run_projector

    telemetry.install(settings, "projector")  # the read models' transactions as spans
    heap.settle()
    raise typer.Exit(exit_status(run_projector(settings)))


@app.command()
def sender() -> None:
    """Deliver the notifications outbox: hand each message to a delivery workflow."""
    settings = start("sender")
    from jejak.sender import run_sender

    telemetry.install(settings, "sender")  # its Temporal starts carry the trace
    heap.settle()
    on_temporal(run_sender(settings))


@app.command()
def backup(path: Annotated[Path, typer.Argument(help="File to write the backup to")]) -> None:
    """Back up the events, the audit chain and the read models, with a manifest beside."""
    settings = start("backup")
    from jejak.backup import BackupError
    from jejak.backup import backup as make_backup

    store = EventStore(settings.store_url)
    try:
        made = make_backup(store, path)
    except BackupError as exc:
        fail(str(exc))
    finally:
        store.close()
    typer.echo(f"Backed up to {path}: log head {made.head_position}, chain {made.head_hash}")


@app.command()
def restore(
    path: Annotated[Path, typer.Argument(help="A file written by `jejak backup`")],
    force: Annotated[bool, typer.Option("--force", help="Replace a store that has events")] = False,
) -> None:
    """Restore a backup into the configured store, then verify the chain and checkpoints."""
    settings = start("restore")
    from jejak.backup import BackupError
    from jejak.backup import restore as restore_backup

    store = EventStore(settings.store_url)
    try:
        made = restore_backup(store, path, force)
    except BackupError as exc:
        fail(f"restore not verified: {exc}")
    finally:
        store.close()
    typer.echo(
        f"Restored and verified: log head {made.head_position}, "
        f"last signed checkpoint {made.checkpoint_position or 'none'}"
    )


@app.command()
def version() -> None:
    """Print the version."""
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as dist_version

    from jejak import __version__

    try:
        typer.echo(dist_version("jejak"))
    except PackageNotFoundError:
        typer.echo(__version__)


app.command("token")(token_command)
app.add_typer(projections_cli, name="projections")
app.add_typer(audit_cli, name="audit")
