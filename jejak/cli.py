"""The `jejak` command line."""

from __future__ import annotations

import typer

app = typer.Typer(help="Jejak: the smart-city program engine.", no_args_is_help=True)


@app.command()
def version() -> None:
    """Print the version."""
    from importlib.metadata import version as dist_version

    typer.echo(dist_version("jejak"))
