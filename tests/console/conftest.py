"""Fixtures of the browser tests: the engine over a socket, and Chromium."""

from tests.console.stack import browser, console
from tests.workflows.conftest import dev_env

__all__ = ["browser", "console", "dev_env"]
