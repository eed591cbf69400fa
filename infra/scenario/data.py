"""The reference scenario's facts (pematang_siantar.json) and how to read its dates."""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta, timezone
from functools import cache
from importlib.resources import files
from typing import Any

from domain.shared import Actor, Capacity

#: The city of the reference scenario.
CITY_CODE = "SIANTAR"
CITY_NAME = "Kota Pematang Siantar"

#: Western Indonesian Time (WIB), the city's clock.
WIB = timezone(timedelta(hours=7), "WIB")

#: The mayor is not a civil servant (no NIP): her stable signatory id.
MAYOR_ID = "WALIKOTA"

#: Who records the facts: the smart-city secretariat at Diskominfo.
RECORDER_ID = "sekretariat.diskominfo"

Facts = dict[str, Any]


@cache
def _text() -> str:
    """The raw facts file, read once."""
    return files("infra.scenario").joinpath("pematang_siantar.json").read_text("utf-8")


def reference_facts() -> Facts:
    """A fresh copy of the reference scenario's facts."""
    facts: Facts = json.loads(_text())
    return facts


def day(text: str) -> date:
    """An ISO date."""
    return date.fromisoformat(text)


def moment(text: str) -> datetime:
    """An ISO date-time carrying its zone, e.g. ``2023-10-18T09:30:00+07:00``."""
    return datetime.fromisoformat(text)


def at_wib(text: str, hour: int, minute: int = 0) -> datetime:
    """A wall-clock time in WIB on the ISO date ``text``."""
    return datetime.combine(day(text), time(hour, minute), WIB)


def staff(when: datetime) -> Actor:
    """The secretariat staff recording a fact that happened at ``when``."""
    return Actor(RECORDER_ID, Capacity.STAFF, when)


#: Why the facts people did themselves in 2023 carry their 2023 times: the secretariat
#: entered them later from the paper records (back-dating, ARCHITECTURE.md "Times and progress").
PAPER_RECORDS = "Dicatat sekretariat dari arsip kertas 2023 (entered from the 2023 paper records)"


def paper(when: datetime, who: str = RECORDER_ID, capacity: str = Capacity.STAFF) -> Actor:
    """A fact done by ``who`` at ``when``, entered later by the secretariat from paper."""
    return Actor(who, capacity, when, PAPER_RECORDS)


def unit(facts: Facts, code: str) -> Facts:
    """The unit (OPD) ``code`` of the facts."""
    found: Facts = next(u for u in facts["units"] if u["code"] == code)
    return found


def head_of(facts: Facts, code: str) -> Facts:
    """The definitive head of unit ``code`` (NIP, name, since, decree)."""
    head: Facts = unit(facts, code)["head"]
    return head
