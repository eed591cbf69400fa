"""`jejak audit ...`: verify the log, export it, sign a checkpoint."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import Progress

from infra.settings import get_settings
from infra.store import EventStore
from projections.audit.checkpoints import ChainBrokenError, make_checkpoint
from projections.audit.export import ExportFormat, export
from projections.audit.keys import signing_key
from projections.audit.selection import Selection
from projections.audit.verify import KINDS, verify

app = typer.Typer(help="Audit the event log: verify, export, checkpoint.", no_args_is_help=True)


@contextmanager
def _store() -> Iterator[EventStore]:
    store = EventStore(get_settings().store_url)
    try:
        yield store
    finally:
        store.close()


@app.command("verify")
def verify_command(
    public_key: Annotated[
        list[str] | None,
        typer.Option("--public-key", help="Trusted signing key (base64); repeat for several"),
    ] = None,
) -> None:
    """Recompute the hash chain and check the signed checkpoints; exit 1 when altered."""
    with _store() as store:
        report = verify(store, public_key or None)
    if report.problem is not None:
        problem = report.problem
        typer.echo(f"ALTERED at position {problem.position}: {problem.kind}", err=True)
        typer.echo(f"  {KINDS[problem.kind]}. {problem.detail}", err=True)
        raise typer.Exit(1)
    typer.echo(
        f"OK: {report.events_checked} events up to position {report.last_position}, "
        f"{report.checkpoints_checked} signed checkpoints, head {report.last_hash}"
    )
    if not report.keys_pinned:
        typer.echo("Note: signing keys were not pinned; pass --public-key to pin them.")


def _when(value: str | None, option: str) -> date | datetime | None:
    """A day (YYYY-MM-DD, the city's day) or a moment with its time zone."""
    if value is None:
        return None
    try:
        return date.fromisoformat(value) if len(value) == 10 else datetime.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(
            "give a day YYYY-MM-DD or a moment with its time zone", param_hint=option
        ) from None


#: What every time option takes.
WHEN = "a day (YYYY-MM-DD, WIB) or a moment with its time zone"


@app.command("export")
def export_command(
    out: Annotated[Path, typer.Option("--out", help="File to write")],
    fmt: Annotated[str, typer.Option("--format", help="jsonl, csv or xlsx")] = "jsonl",
    start: Annotated[str | None, typer.Option("--from", help=f"Happened from: {WHEN}")] = None,
    end: Annotated[str | None, typer.Option("--to", help=f"Happened until: {WHEN}")] = None,
    recorded_from: Annotated[
        str | None, typer.Option("--recorded-from", help=f"Recorded from: {WHEN}")
    ] = None,
    recorded_to: Annotated[
        str | None, typer.Option("--recorded-to", help=f"Recorded until: {WHEN}")
    ] = None,
) -> None:
    """Export the log (every event with its hash, and the signed checkpoints) for auditors."""
    if fmt not in ("jsonl", "csv", "xlsx"):
        raise typer.BadParameter("must be jsonl, csv or xlsx", param_hint="--format")
    chosen: ExportFormat = fmt  # type: ignore[assignment]
    selection = Selection.of(
        _when(start, "--from"), _when(end, "--to"),
        _when(recorded_from, "--recorded-from"), _when(recorded_to, "--recorded-to"),
    )  # fmt: skip
    if any(m is not None and m.tzinfo is None for m in vars(selection).values()):
        raise typer.BadParameter("a moment must carry its time zone", param_hint="--from/--to")
    with _store() as store, Progress() as progress:
        task = progress.add_task("Exporting", total=store.max_position() or None)
        count = export(store, out, chosen, selection, lambda n: progress.advance(task, n))
    typer.echo(f"Wrote {count} events to {out}")


@app.command("checkpoint")
def checkpoint_command() -> None:
    """Sign a checkpoint of the log as it is now."""
    settings = get_settings()
    with _store() as store:
        try:
            checkpoint = make_checkpoint(store, signing_key(settings))
        except ChainBrokenError as exc:
            typer.echo(f"Not signed: the chain is broken at {exc}", err=True)
            raise typer.Exit(1) from None
    if checkpoint is None:
        typer.echo("The log is empty: nothing to sign.")
        return
    typer.echo(f"Checkpoint at position {checkpoint.position}: {checkpoint.hash}")
    typer.echo(f"Public key: {checkpoint.public_key}")
