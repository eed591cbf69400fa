"""Who a message of the outbox is for, on the day: office holders, the Sekda, the Inspektorat."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from domain.notifications.words import office_name
from domain.organisation.opd import Opd
from domain.shared import Capacity
from domain.values import clean_code

#: Outbox names that are offices, not OPD codes: the Sekda heads the regional secretariat.
OFFICES = {"SEKDA": "SETDA"}
#: How each capacity is written before the head's title.
TITLE_PREFIX: dict[str, str] = {Capacity.HEAD: "", Capacity.PLT: "Plt. ", Capacity.PLH: "Plh. "}


@dataclass(frozen=True)
class Holder:
    """Someone who holds an OPD's head post on a day, and in which capacity."""

    nip: str
    capacity: str
    opd_code: str
    office: str


def opd_code_of(name: str) -> str:
    """The OPD an outbox recipient name stands for (``SEKDA`` -> ``SETDA``)."""
    name = clean_code(name)
    return OFFICES.get(name, name)


def office_holders(opd: Opd, day: date) -> list[Holder]:
    """Who acts as head of ``opd`` on ``day``: the Plt./Plh. in office, else the head.

    A Plh. stands in while the head is away and a Plt. while the post is vacant, so when
    one is in office, open work goes to them; the head is told when no one stands in.
    """
    acting = sorted(opd.acting_on(day), key=lambda t: (t.kind, t.valid_from, t.nip))
    if acting:
        return [_holder(opd, t.nip, t.kind) for t in acting]
    head = opd.head_on(day)
    return [_holder(opd, head.nip, Capacity.HEAD)] if head is not None else []


def _holder(opd: Opd, nip: str, capacity: str) -> Holder:
    office = TITLE_PREFIX.get(capacity, "") + office_name(opd.head_title, opd.name)
    return Holder(nip, capacity, opd.code, office)
