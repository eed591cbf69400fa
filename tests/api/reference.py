"""Kept for tests of other packages (audit) that still import the reference city from here; it
lives in ``tests.support.city`` and this module goes once they import it from there."""

from tests.support.city import City, city

__all__ = ["City", "city"]
