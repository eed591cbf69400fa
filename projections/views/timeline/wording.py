"""How the timeline names people, offices and things in plain words."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from domain.calendar import JAKARTA
from projections.views.timeline.phrases import Names

#: The first word of a unit's name, and the head title that goes with it.
UNIT_WORDS = {"Kecamatan": "Camat", "Inspektorat": "Inspektur", "Sekretariat": "Sekretaris"}
ACTING_PREFIX = {"plt": "Plt. ", "plh": "Plh. "}
CITY_OFFICES = {"mayor": "Wali Kota", "sekda": "Sekda"}
SUBJECT_WORDS = {
    "milestone-report": "the milestone report",
    "deliverable": "the deliverable",
    "plan-revision": "the plan revision",
    "commitment-closure": "the closure of the commitment",
}


def opd_name(names: Names, code: str | None) -> str:
    """The OPD's name (``Dinas Kesehatan``), or its code when the name is not known."""
    if not code:
        return "the city"
    return names.get("opd", code) or code


def head_of(names: Names, code: str) -> str:
    """The head's title of an OPD, e.g. ``Kepala Dinas Kesehatan`` or ``Camat Siantar Barat``."""
    name, title = names.get("opd", code), names.get("opd-head", code)
    if name is None or title is None:
        return f"the head of {name or code}"
    first, _, rest = name.partition(" ")
    if first == title.split()[-1]:
        return f"{title} {rest}".strip()
    if title.startswith(UNIT_WORDS.get(first, "\0")):
        return title if " " in title else f"{title} {rest}".strip()
    return f"{title} {name}"


def office(names: Names, code: str | None, capacity: str) -> str:
    """Who acts, by office: ``Plt. Kepala Dinas Kesehatan``, ``Wali Kota``, ``Sekda``."""
    if capacity in CITY_OFFICES:
        city = CITY_OFFICES[capacity]
        return f"{city} (for {opd_name(names, code)})" if code else city
    if code is None:
        return "a staff member"
    return ACTING_PREFIX.get(capacity, "") + head_of(names, code)


def quoted(title: str | None, fallback: str) -> str:
    """A title in quotes, or the fallback when the title is not known."""
    return f'"{title}"' if title else fallback


def day(value: date | datetime) -> str:
    """A day as the city writes it in English, e.g. ``18 Oct 2023`` (WIB for moments)."""
    if isinstance(value, datetime):
        value = value.astimezone(JAKARTA).date()
    return f"{value.day} {value.strftime('%b %Y')}"


def listing(items: Sequence[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def capitalised(text: str) -> str:
    """The text with its first letter in upper case (the rest unchanged)."""
    return text[:1].upper() + text[1:]


def backdated(reason: str, recorded: datetime | None) -> str:
    """The words marking a fact entered later from a paper record, with an earlier time."""
    entered = f" on {day(recorded)}" if recorded is not None else ""
    return f"(back-dated: entered{entered} from a paper record; reason: {reason})"
