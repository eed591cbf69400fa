"""What `jejak up` prints once everything answers: where to go, and how to get in."""

from __future__ import annotations

from rich.console import Console
from rich.panel import Panel
from rich.table import Table

from api.auth import dev_tokens
from infra.settings import Settings


def reachable_host(host: str) -> str:
    """The host to browse to: a wildcard bind address is reached on the loopback."""
    return "127.0.0.1" if host in {"0.0.0.0", "::", ""} else host  # noqa: S104


def api_url(settings: Settings, path: str = "") -> str:
    """The URL of the API (``path`` appended)."""
    return f"http://{reachable_host(settings.api_host)}:{settings.api_port}{path}"


def temporal_ui_url(settings: Settings) -> str:
    """The Web UI of the embedded Temporal (or the address of the external one)."""
    if not settings.embedded_temporal:
        return f"(external Temporal at {settings.temporal_address})"
    return f"http://127.0.0.1:{settings.temporal_ui_port}"


def ready_panel(settings: Settings) -> Panel:
    """The panel: where the console, the API docs, the Temporal Web UI and the store are."""
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold")
    table.add_column(overflow="fold")
    table.add_row("Console", api_url(settings, "/konsol/"))
    table.add_row("API docs", api_url(settings, "/docs"))
    table.add_row("Temporal Web UI", temporal_ui_url(settings))
    if settings.store_url.startswith("sqlite"):
        table.add_row("Event store", settings.store_url)
    return Panel(table, title="Jejak is up", subtitle="Ctrl-C stops everything", expand=False)


def print_ready(settings: Settings) -> None:
    """Print the panel, then the dev tokens one per line (unbroken, so they copy whole)."""
    console = Console()
    console.print(ready_panel(settings))
    tokens = dev_tokens(settings) if settings.dev_mode else {}
    if tokens:
        console.print("[bold]Dev tokens[/] (Authorization: Bearer <token>)")
    for who, token in tokens.items():
        console.print(f"  [bold]{who}[/]: {token}", soft_wrap=True, highlight=False)
