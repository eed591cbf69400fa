"""Fixtures of the console tests: the engine over a socket, Chromium, and the plain app."""

from tests.api.conftest import api
from tests.console.stack import browser, console
from tests.workflows.conftest import dev_env

__all__ = ["api", "browser", "console", "dev_env"]
