"""The OPD aggregate: a unit of the city government and who heads it, day by day."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import Any

from eventsourcing.domain import event

from domain.organisation.errors import (
    ActingOverlapError,
    HeadAppointmentError,
    InvalidOpdError,
    InvalidPeriodError,
    UnknownActingError,
)
from domain.organisation.nip import normalise_nip
from domain.organisation.terms import ACTING_KINDS, ActingTerm, HeadTerm
from domain.shared import Capacity, JejakAggregate, natural_id
from domain.values import checked_code, required_text

#: The kinds of OPD (Organisasi Perangkat Daerah) a city has.
OPD_KINDS: frozenset[str] = frozenset(
    {"dinas", "badan", "kecamatan", "inspektorat", "sekretariat", "satpol-pp", "rsud", "other"}
)
_DAY = timedelta(days=1)


def normalise_opd_code(code: str) -> str:
    """The OPD code in upper case, checked (letters, digits and hyphens, e.g. DISKOMINFO)."""
    error = InvalidOpdError("code", f"'{code}' is not an OPD code (letters, digits, '-').")
    return checked_code(code, error)


class Opd(JejakAggregate):
    """A unit of the city government and who heads it, day by day."""

    TOPIC = "jejak.organisation:Opd"

    @staticmethod
    def create_id(code: str) -> uuid.UUID:
        """The id of the OPD with this code."""
        return natural_id("opd", code)

    @classmethod
    def register(cls, code: str, name: str, kind: str, head_title: str, **attr: Any) -> Opd:
        """A newly registered OPD."""
        if kind not in OPD_KINDS:
            raise InvalidOpdError("kind", f"'{kind}' is not a kind of OPD.")
        code, name = normalise_opd_code(code), required_text("name", name, error=InvalidOpdError)
        return cls(
            code=code,
            name=name,
            kind=kind,
            head_title=required_text("head_title", head_title, error=InvalidOpdError),
            **attr,
        )

    @event("Created", topic="jejak.organisation:Opd.Created")
    def __init__(
        self,
        code: str,
        name: str,
        kind: str,
        head_title: str,
        actor: str,
        capacity: str,
        effective_at: datetime,
    ) -> None:
        self.code, self.name, self.kind, self.head_title = code, name, kind, head_title
        self.heads: list[HeadTerm] = []
        self.acting: dict[str, ActingTerm] = {}

    def head_on(self, day: date) -> HeadTerm | None:
        """The definitive head's term in force on ``day``, if any."""
        return next((t for t in reversed(self.heads) if t.covers(day)), None)

    def acting_on(self, day: date) -> list[ActingTerm]:
        """The Plt./Plh. appointments in force on ``day``."""
        return [t for t in self.acting.values() if t.covers(day)]

    def capacity_on(self, nip: str, day: date) -> str | None:
        """In which capacity ``nip`` leads this OPD on ``day``: head, plt, plh or None."""
        nip = "".join(nip.split())
        head = self.head_on(day)
        if head is not None and head.nip == nip:
            return Capacity.HEAD
        kinds = {t.kind for t in self.acting_on(day) if t.nip == nip}
        return next((k for k in (Capacity.PLT, Capacity.PLH) if k in kinds), None)

    def appoint_head(
        self,
        nip: str,
        valid_from: date,
        decree: str,
        decree_date: date | None = None,
        **attr: Any,
    ) -> None:
        """Appoint the definitive head from ``valid_from``; ends predecessor and acting heads."""
        nip, decree = normalise_nip(nip), required_text("decree", decree, error=InvalidOpdError)
        latest = self.heads[-1] if self.heads else None
        if latest is not None and valid_from <= latest.valid_from:
            raise HeadAppointmentError(
                f"The new head's term must start after {latest.valid_from.isoformat()}, "
                "when the current head's term started."
            )
        if latest is not None and latest.nip == nip and latest.covers(valid_from):
            raise HeadAppointmentError(f"{nip} is already the head of {self.code}.")
        self._head_appointed(
            nip=nip, valid_from=valid_from, decree=decree, decree_date=decree_date, **attr
        )
        for term in [t for t in self.acting.values() if t.open_on(valid_from)]:
            reason = f"definitive head appointed by decree {decree}"
            self._acting_ended(
                decree=term.decree, last_day=valid_from - _DAY, reason=reason, **attr
            )

    @event("HeadAppointed", topic="jejak.organisation:Opd.HeadAppointed")
    def _head_appointed(
        self,
        nip: str,
        valid_from: date,
        decree: str,
        actor: str,
        capacity: str,
        effective_at: datetime,
        decree_date: date | None = None,
    ) -> None:
        if self.heads:
            last = self.heads[-1]
            until = valid_from - _DAY
            if last.valid_until is None or last.valid_until > until:
                self.heads[-1] = replace(last, valid_until=until)
        self.heads.append(HeadTerm(nip, valid_from, decree, decree_date=decree_date))

    def vacate_head(self, last_day: date, reason: str, **attr: Any) -> None:
        """End the current head's term on ``last_day`` (retired, moved): the post is vacant."""
        latest = self.heads[-1] if self.heads else None
        if latest is None or latest.valid_until is not None:
            raise HeadAppointmentError(f"{self.code} has no head in office to end.")
        if last_day < latest.valid_from:
            raise InvalidPeriodError("The head's term cannot end before it started.")
        self._head_vacated(
            last_day=last_day, reason=required_text("reason", reason, error=InvalidOpdError), **attr
        )

    @event("HeadVacated", topic="jejak.organisation:Opd.HeadVacated")
    def _head_vacated(
        self, last_day: date, reason: str, actor: str, capacity: str, effective_at: datetime
    ) -> None:
        self.heads[-1] = replace(self.heads[-1], valid_until=last_day)

    def appoint_acting(
        self,
        kind: str,
        nip: str,
        decree: str,
        valid_from: date,
        valid_until: date | None,
        decree_date: date | None = None,
        **attr: Any,
    ) -> None:
        """Appoint a Plt. or Plh. by decree (SK) for a period (open-ended if no end)."""
        nip, decree = normalise_nip(nip), required_text("decree", decree, error=InvalidOpdError)
        self._check_acting(kind, nip, decree, valid_from, valid_until)
        self._acting_appointed(
            kind=kind,
            nip=nip,
            decree=decree,
            valid_from=valid_from,
            valid_until=valid_until,
            decree_date=decree_date,
            **attr,
        )

    def _check_acting(
        self, kind: str, nip: str, decree: str, valid_from: date, valid_until: date | None
    ) -> None:
        """Refuse an acting appointment that breaks a rule."""
        if kind not in ACTING_KINDS:
            raise InvalidOpdError("kind", f"'{kind}' is not an acting capacity (plt or plh).")
        if valid_until is not None and valid_until < valid_from:
            raise InvalidPeriodError("The appointment ends before it starts.")
        if decree in self.acting:
            raise ActingOverlapError(f"Decree {decree} already appointed an acting head here.")
        clash = [
            t
            for t in self.acting.values()
            if t.kind == kind and t.overlaps(valid_from, valid_until)
        ]
        if clash:
            raise ActingOverlapError(
                f"A {kind.capitalize()}. of {self.code} is already appointed for part of "
                f"this period (decree {clash[0].decree})."
            )
        if self.capacity_on(nip, valid_from) == Capacity.HEAD:
            raise InvalidOpdError("nip", f"{nip} is the head of {self.code} on that day.")

    @event("ActingAppointed", topic="jejak.organisation:Opd.ActingAppointed")
    def _acting_appointed(
        self,
        kind: str,
        nip: str,
        decree: str,
        valid_from: date,
        valid_until: date | None,
        actor: str,
        capacity: str,
        effective_at: datetime,
        decree_date: date | None = None,
    ) -> None:
        self.acting[decree] = ActingTerm(
            kind, nip, decree, valid_from, valid_until, decree_date=decree_date
        )

    def end_acting(self, decree: str, last_day: date, reason: str, **attr: Any) -> None:
        """End an acting appointment early: ``last_day`` is its last day in force."""
        term = self.acting.get(decree.strip())
        if term is None:
            raise UnknownActingError(f"{self.code} has no acting appointment by decree {decree}.")
        if not term.open_on(last_day + _DAY) or last_day < term.valid_from - _DAY:
            raise InvalidPeriodError(
                f"The acting appointment by decree {decree} cannot end on {last_day.isoformat()}."
            )
        self._acting_ended(
            decree=term.decree,
            last_day=last_day,
            reason=required_text("reason", reason, error=InvalidOpdError),
            **attr,
        )

    @event("ActingEnded", topic="jejak.organisation:Opd.ActingEnded")
    def _acting_ended(
        self,
        decree: str,
        last_day: date,
        reason: str,
        actor: str,
        capacity: str,
        effective_at: datetime,
    ) -> None:
        self.acting[decree] = replace(self.acting[decree], ended_on=last_day, end_reason=reason)
