"""`jejak projections status` and `jejak projections rebuild [NAME]`."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn
from rich.table import Table

from infra.settings import load_settings
from infra.store import EventStore
from projections import operations

projections_cli = typer.Typer(help="Read models: how far they are, and rebuilding them.")


def _store() -> EventStore:
    return EventStore(load_settings().store_url)


@projections_cli.command("status")
def status_command() -> None:
    """Show each read model's position, the head of the log and the lag."""
    store = _store()
    try:
        rows = operations.status(store)
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
