"""The real app (from the API tests) for the notification routes."""

from tests.api.conftest import api  # noqa: F401 - the app under test, shared
