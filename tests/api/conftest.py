"""The API tests' fixtures come from tests.support (registered by the root conftest).

The names below are still imported from here by tests of other packages (notifications); they
move to ``tests.support.app`` with those packages, and then this module goes."""

from tests.support.app import (
    FOREIGN_OPD,
    HEAD_NIP,
    OTHER_HEAD_NIP,
    OWN_OPD,
    SECRETARIAT,
    Api,
    api,
)

__all__ = ["FOREIGN_OPD", "HEAD_NIP", "OTHER_HEAD_NIP", "OWN_OPD", "SECRETARIAT", "Api", "api"]
