"""From one outbox message to its deliveries: who holds the office that day, by which channel."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from domain.approvals.application import ApprovalsApplication
from domain.calendar import JAKARTA, CalendarApplication
from domain.notifications import values, words
from domain.notifications.application import NotificationsApplication
from domain.notifications.contact import Contact
from domain.notifications.delivery import Delivery
from domain.notifications.recipients import Holder, office_holders, opd_code_of
from domain.organisation.application import OrganisationApplication
from domain.organisation.errors import UnknownOpdError, UnknownPersonError
from domain.shared import SYSTEM, Actor


@dataclass(frozen=True)
class Alert:
    """One message of the outbox: a reminder, an overdue note or an escalation."""

    position: int
    kind: str
    subject_kind: str
    subject_id: str
    title: str
    recipients: str
    label: str = ""
    level: int = 0
    due: str = ""
    effective_at: str = ""
    aggregate_id: str = ""
    step: int = -1
    owners: str = ""

    def day(self) -> date:
        """The day the alert was raised, in the city's time (whose office it is that day)."""
        try:
            return datetime.fromisoformat(self.effective_at).astimezone(JAKARTA).date()
        except ValueError:
            return datetime.now(JAKARTA).date()


@dataclass(frozen=True)
class PlanOptions:
    """How a deployment delivers: the local sink, links, the secretariat, the city's calendar."""

    sink: bool = False
    base_url: str = "http://127.0.0.1:8000"
    secretariat_opd: str = "DISKOMINFO"
    city: str = "PEMATANGSIANTAR"


@dataclass(frozen=True)
class Addressee:
    """One recipient of a message: who, in which office, and their contact."""

    key: str
    name: str
    office: str
    contact: Contact | None
    digest_only: bool = False


class Planner:
    """Turns an alert into deliveries, kept as events so a retry plans the same ones."""

    def __init__(
        self,
        notifications: NotificationsApplication,
        organisation: OrganisationApplication,
        calendar: CalendarApplication,
        approvals: ApprovalsApplication,
        options: PlanOptions,
        by: Actor = SYSTEM,
    ) -> None:
        self.notifications, self.organisation = notifications, organisation
        self.calendar, self.approvals = calendar, approvals
        self.options, self.by = options, by

    def plan(self, alert: Alert) -> list[Delivery]:
        """Every delivery of ``alert``: each office holder, each OPD and the secretariat copy."""
        planned: list[Delivery] = []
        for addressee in self.addressees(alert):
            for channel, address, ref, mode in self._channels(addressee):
                planned.append(self._plan_one(alert, addressee, channel, address, ref, mode))
        return planned

    def addressees(self, alert: Alert) -> list[Addressee]:
        """The office holders of each OPD named, the OPD itself, and the secretariat (digest)."""
        found: list[Addressee] = []
        for name in filter(None, (n.strip() for n in alert.recipients.split(","))):
            try:
                opd = self.organisation.get_opd(opd_code_of(name))
            except UnknownOpdError:
                continue
            found += [self._person(h) for h in office_holders(opd, alert.day())]
            office = words.office_name(opd.head_title, opd.name)
            found.append(
                Addressee(opd.code, opd.name, office, self.notifications.contact("opd", opd.code))
            )
        secretariat = self.notifications.contact("opd", self.options.secretariat_opd)
        if secretariat is not None:
            name = words.terms(secretariat.language)["secretariat"]
            found.append(Addressee("SECRETARIAT", name, name, secretariat, digest_only=True))
        return found

    def _person(self, holder: Holder) -> Addressee:
        try:
            name = self.organisation.get_person(holder.nip).name
        except UnknownPersonError:
            name = holder.nip
        return Addressee(
            holder.nip, name, holder.office, self.notifications.contact("person", holder.nip)
        )

    def _channels(self, addressee: Addressee) -> list[tuple[str, str, str, str]]:
        """(channel, address, secret reference, mode) for one addressee."""
        contact = addressee.contact
        found: list[tuple[str, str, str, str]] = []
        if contact is not None:
            for channel, address, ref in contact.channels():
                # A digest is one email; a chat gateway gets each message as it comes.
                wants_digest = addressee.digest_only or contact.delivery == values.DIGEST
                if addressee.digest_only and channel != values.EMAIL:
                    continue
                digest = wants_digest and channel == values.EMAIL
                found.append((channel, address, ref, values.DIGEST if digest else values.IMMEDIATE))
        if self.options.sink and addressee.key.isdigit():
            found.append((values.SINK, "", "", values.IMMEDIATE))
        return found

    def _plan_one(
        self, alert: Alert, to: Addressee, channel: str, address: str, ref: str, mode: str
    ) -> Delivery:
        language = to.contact.language if to.contact is not None else "id"
        link = self.link(alert)
        text = words.render(
            alert.kind,
            language,
            name=to.name,
            office=to.office,
            title=alert.title,
            what=words.what(alert.subject_kind, language),
            when=words.when(language, *self._due(alert), late=alert.kind != "reminder"),
            owner=alert.owners or alert.recipients,
            level=alert.level,
            label=alert.label,
            link=link,
        )
        delivery = Delivery(
            position=alert.position,
            kind=alert.kind,
            recipient=to.key,
            recipient_name=to.name,
            channel=channel,
            address=address,
            secret_ref=ref,
            mode=mode,
            language=language,
            subject=text.subject,
            body=text.body,
            link=link,
            **self.by.attribution(),
        )
        # The id is natural (position, recipient, channel): planning again finds the kept one.
        return self.notifications.plan(delivery)

    def link(self, alert: Alert) -> str:
        """Where the step is read in the API."""
        base = self.options.base_url.rstrip("/") + "/api/v1"
        if alert.step >= 0 and alert.aggregate_id:
            return f"{base}/approvals/{alert.aggregate_id}"
        if alert.subject_kind in {"milestone", "commitment"}:
            return f"{base}/{alert.subject_kind}s/{alert.subject_id}"
        return f"{base}/deadlines?opd={(alert.owners or alert.recipients).split(',')[0]}"

    def _due(self, alert: Alert) -> tuple[str, int | None]:
        """The due day and the working days left on the alert's day (negative: late)."""
        due = alert.due[:10]
        if not due and alert.step >= 0 and alert.aggregate_id:
            request = self.approvals.get_request(uuid.UUID(alert.aggregate_id))
            due_at = request.step(alert.step).due_at if alert.step < len(request.steps) else None
            due = due_at.astimezone(JAKARTA).date().isoformat() if due_at else ""
        if not due:
            return "", None
        working = self.calendar.calendar_for(self.options.city)
        return due, working.working_days_between(alert.day(), date.fromisoformat(due))
