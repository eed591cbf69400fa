"""Schemas of recipients' contacts and of deliveries of notifications."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, Field
from pydantic.dataclasses import dataclass

from api.schemas import RequestBody
from projections.views.notifications.queries import DeliveryRow


class ContactIn(RequestBody):
    """Where and how to be told; each part is optional and replaces what was registered."""

    email: str | None = Field(
        None, max_length=254, description="One mailbox, e.g. kadis@kota.go.id"
    )
    webhook_url: str | None = Field(
        None, max_length=2000, description="HTTPS endpoint that receives signed messages"
    )
    webhook_secret_ref: str | None = Field(
        None,
        max_length=140,
        description="Where the worker finds the shared secret: env:NAME (never the secret)",
    )
    delivery: Literal["immediate", "digest"] | None = Field(
        None, description="Each message at once, or one email at 07:30 WIB on working days"
    )
    language: Literal["id", "en"] | None = Field(None, description="Bahasa Indonesia or English")


class ContactOut(BaseModel):
    """A person's or OPD's registered contact (the webhook secret only by its reference)."""

    owner_kind: str
    owner: str
    email: str
    webhook_url: str
    webhook_secret_ref: str
    delivery: str
    language: str
    version: int


@dataclass(frozen=True)
class DeliveryOut(DeliveryRow):
    """One delivery of a message to one recipient by one channel, and its outcome."""

    position: Annotated[
        int, Field(description="The outbox position: the message's idempotency key")
    ]
