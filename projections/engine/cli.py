"""`jejak projections status` and `jejak projections rebuild [NAME]`."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn
from rich.table import Table

from infra.background_report import background_status
from infra.settings import load_settings
from infra.store import EventStore
from projections.engine import operations

projections_cli = typer.Typer(help="Read models: how far they are, and rebuilding them.")


def _store() -> EventStore:
    return EventStore(load_settings().store_url)


@projections_cli.command("status")
def status_command() -> None:
    """Show each read model's position and lag, and how each background loop fares."""
    store = _store()
    try:
        rows = operations.status(store)
        loops = background_status(store)
    finally:
        store.close()
    table = Table(title="Read models")
    for column in ("view", "version", "generation", "position", "head", "lag", "updated_at"):
        table.add_column(
            column, justify="right" if column in {"position", "head", "lag"} else "left"
        )
    for row in rows:
        table.add_row(*(str(row[c]) if row[c] is not None else "-" for c in table_columns(table)))
    Console().print(table)
    Console().print(loops_table(loops))


def loops_table(loops: dict[str, dict[str, Any]]) -> Table:
    """The background loops (starter, checkpointer, projector) as the heartbeats tell them."""
    table = Table(title="Background loops")
    columns = ("job", "ok", "holder", "role", "standbys", "position", "lag")
    for column in (*columns, "idle_s", "checkpoint_age_s", "last_error"):
        table.add_column(column)
    for job, summary in loops.items():
        values = [job, *(summary[c] for c in columns[1:])]
        values += [summary["seconds_since_tick"], summary.get("checkpoint_age_seconds")]
        values.append(summary["last_error"])
        table.add_row(*("-" if v is None else str(v) for v in values))
    if not loops:
        table.caption = "No background loop has reported to this database yet."
    return table


def table_columns(table: Table) -> list[str]:
    """The header names of a rich table."""
    return [str(column.header) for column in table.columns]


@projections_cli.command("rebuild")
def rebuild_command(
    name: Annotated[str | None, typer.Argument(help="The read model; all when omitted")] = None,
) -> None:
    """Rebuild read models from the whole log beside the live ones, then switch to them."""
    store = _store()
    try:
        with Progress(
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn()
        ) as progress:
            tasks: dict[str, TaskID] = {}

            def report(view: str, position: int, head: int) -> None:
                if view not in tasks:
                    tasks[view] = progress.add_task(view, total=head)
                progress.update(tasks[view], completed=position, total=max(head, position))

            rebuilt = operations.rebuild(store, name, report)
    except LookupError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2) from None
    finally:
        store.close()
    typer.echo(f"Rebuilt: {', '.join(rebuilt)}")
