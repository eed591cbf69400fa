"""`jejak token`: print a dev token for a user and role (dev mode only)."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

import typer

from api.auth import DevTokensDisabledError, Role, sign_dev_token
from infra.settings import load_settings


def token(
    user: Annotated[str, typer.Option(help="The user id (a NIP for an OPD head)")],
    role: Annotated[str, typer.Option(help=f"One of: {', '.join(sorted(Role.ALL))}")],
    opd: Annotated[str | None, typer.Option(help="OPD code, for information only")] = None,
    hours: Annotated[int, typer.Option(min=1, max=720, help="How long it is valid")] = 12,
) -> None:
    """Print a dev bearer token for USER in ROLE (refused unless JEJAK_DEV_MODE is on)."""
    if role not in Role.ALL:
        raise typer.BadParameter(f"unknown role {role!r}", param_hint="--role")
    try:
        print(sign_dev_token(load_settings(), user, role, opd, timedelta(hours=hours)))
    except DevTokensDisabledError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1) from None
