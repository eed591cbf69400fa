"""Fixtures of the console tests: the engine over a socket, and Chromium."""

from tests.api.console.stack import browser, console

__all__ = ["browser", "console"]
