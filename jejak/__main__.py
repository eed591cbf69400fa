"""`python -m jejak`: the same as the `jejak` command."""

from jejak.cli import app

app(prog_name="jejak")
