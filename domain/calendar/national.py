"""Indonesia's national holidays and collective leave (cuti bersama), from the holidays package.

The ``public`` category holds the national holidays; ``government`` holds the cuti bersama
set each year by joint ministerial decree (SKB). ``holidays`` is a pure data package, the
one exception to "the domain imports only the standard library and eventsourcing".
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from functools import lru_cache
from types import MappingProxyType

import holidays


@lru_cache(maxsize=256)
def national_holidays(year: int) -> Mapping[date, str]:
    """The national holidays and cuti bersama of ``year``, by day (read-only)."""
    days = holidays.country_holidays("ID", years=year, categories=("public", "government"))
    return MappingProxyType({day: str(name) for day, name in days.items() if day.year == year})
