"""A small aggregate with explicit topics, and a log of events to audit."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from eventsourcing.domain import event

from domain.shared import Actor, JejakAggregate, JejakApplication, natural_id
from infra.store import EventStore

START = datetime(2023, 7, 3, 9, 0, tzinfo=UTC)


class Dossier(JejakAggregate):
    """A file with a title and a list of notes, enough to exercise the audit trail."""

    TOPIC = "jejak.tests.audit:Dossier"

    @staticmethod
    def create_id(code: str) -> uuid.UUID:
        return natural_id("dossier", code)

    @event("Created", topic="jejak.tests.audit:Dossier.Created")
    def __init__(
        self, code: str, title: str, actor: str, capacity: str, effective_at: datetime
    ) -> None:
        self.code = code
        self.title = title
        self.notes: list[str] = []

    @event("Retitled", topic="jejak.tests.audit:Dossier.Retitled")
    def retitle(self, title: str, actor: str, capacity: str, effective_at: datetime) -> None:
        self.title = title

    @event("Noted", topic="jejak.tests.audit:Dossier.Noted")
    def note(self, text: str, actor: str, capacity: str, effective_at: datetime) -> None:
        self.notes.append(text)


class DossierApp(JejakApplication):
    name = "jejak.tests.audit"


def actor(day: int, who: str = "sekretariat") -> Actor:
    """A staff member acting on ``day`` days after the start."""
    return Actor(who, "staff", START + timedelta(days=day))


def build_log(
    store: EventStore, dossiers: int = 10, notes: int = 15, prefix: str = "D"
) -> list[uuid.UUID]:
    """Open ``dossiers`` dossiers and add ``notes`` notes to each, in rounds."""
    app = store.app(DossierApp)
    ids = []
    for n in range(dossiers):
        dossier = Dossier(
            code=f"{prefix}{n}", title=f"Dossier {prefix}{n}", **actor(0).attribution()
        )
        app.save_new(dossier, what="Dossier")
        ids.append(dossier.id)
    for round_ in range(notes):
        for dossier_id in ids:
            dossier = app.repository.get(dossier_id)
            dossier.note(f"note {round_}", **actor(round_ + 1).attribution())
            app.save_changes(dossier)
    return ids
