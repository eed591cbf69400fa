"""The commitment aggregate, its events and the errors of its rules.

A person signs a commitment once per signing round. At the reference city the ASN signed
both a paper sheet and a banner: that is ONE signature carrying a list of media
(``['sheet', 'banner']``), and a medium recorded later is added to it (``add_medium``), so
"no one signs twice" holds and every signatory is counted once.
"""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import date, datetime
from typing import Any

from eventsourcing.domain import event

from domain.commitments.errors import AlreadySignedError, CommitmentClosedError, NotSignedError
from domain.commitments.rules import check_new_commitment, check_signer, checked_media
from domain.commitments.values import (
    RequiredSignatory,
    Signature,
    SigningRound,
    opd_code_or_none,
)
from domain.shared import JejakAggregate, ValidationError, natural_id

__all__ = ["AlreadySignedError", "Commitment", "CommitmentClosedError", "NotSignedError"]

_TOPIC = "jejak.commitments:Commitment"


class Commitment(JejakAggregate):
    """A commitment to sign: text, legal basis, place, date and the required signatories."""

    TOPIC = _TOPIC

    @staticmethod
    def create_id(city_code: str, slug: str) -> uuid.UUID:
        """The id of the commitment ``slug`` of city ``city_code``."""
        return natural_id("commitment", city_code, slug)

    @classmethod
    def create(
        cls,
        *,
        city_code: str,
        slug: str,
        title: str,
        text: str,
        legal_basis: str,
        place: str,
        date: date,
        required: list[RequiredSignatory],
        signing_deadline: date | None = None,
        commitment_id: uuid.UUID | None = None,
        **attribution: Any,
    ) -> Commitment:
        """A new commitment, refused when its text, signatories or deadline do not hold."""
        check_new_commitment(city_code, slug, title, text, date, required, signing_deadline)
        return cls(
            city_code=city_code.strip().upper(),
            slug=slug.strip(),
            title=title.strip(),
            text=text.strip(),
            legal_basis=legal_basis.strip(),
            place=place.strip(),
            date=date,
            signing_deadline=signing_deadline,
            required_signatories=[r.as_dict() for r in required],
            id=commitment_id,
            **attribution,
        )

    @event("Created", topic=f"{_TOPIC}.Created")
    def __init__(
        self,
        city_code: str,
        slug: str,
        title: str,
        text: str,
        legal_basis: str,
        place: str,
        date: date,
        signing_deadline: date | None,
        required_signatories: list[dict[str, Any]],
        actor: str,
        capacity: str,
        effective_at: datetime,
        id: uuid.UUID | None = None,
    ) -> None:
        self.city_code, self.slug, self.title = city_code, slug, title
        self.text, self.legal_basis, self.place = text, legal_basis, place
        self.date, self.signing_deadline = date, signing_deadline
        self.required = [RequiredSignatory.from_dict(s) for s in required_signatories]
        self.round_number = 1
        self.signatures: dict[str, Signature] = {}
        self.completed_at: datetime | None = None
        self.previous_rounds: list[SigningRound] = []
        self.withdrawn_reason: str | None = None

    @property
    def is_complete(self) -> bool:
        """True when every required signatory signed in the current round."""
        return self.completed_at is not None

    @property
    def is_withdrawn(self) -> bool:
        """True once the commitment was withdrawn."""
        return self.withdrawn_reason is not None

    def missing_signatories(self) -> list[RequiredSignatory]:
        """The required signatories who have not signed in the current round."""
        return [r for r in self.required if r.nip not in self.signatures]

    def is_overdue(self, today: date) -> bool:
        """True when the signing deadline has passed and signatures are still missing."""
        deadline = self.signing_deadline
        return deadline is not None and today > deadline and not self.is_complete

    def sign(
        self,
        nip: str,
        name: str,
        signed_as: str,
        opd_code: str | None,
        media: list[str],
        signed_at: datetime,
        **attribution: Any,
    ) -> None:
        """Record one person's signature; completes the round when the last required signs."""
        self._check_open()
        nip, opd = nip.strip(), opd_code_or_none(opd_code)
        check_signer(nip, name, signed_as, opd, signed_at)
        if nip in self.signatures:
            raise AlreadySignedError(f"{name} ({nip}) already signed this commitment.")
        additional = nip not in {r.nip for r in self.required}
        self._signed(
            nip=nip,
            name=name.strip(),
            signed_as=signed_as,
            opd_code=opd,
            media=checked_media(media),
            signed_at=signed_at,
            additional=additional,
            round_number=self.round_number,
            **attribution,
        )
        if not additional and not self.missing_signatories():
            self._completed(round_number=self.round_number, **attribution)

    def add_medium(self, nip: str, medium: str, **attribution: Any) -> None:
        """Record that a person who signed also signed on another medium (e.g. the banner)."""
        self._check_open()
        signature = self.signatures.get(nip.strip())
        if signature is None:
            raise NotSignedError(f"{nip} has not signed this commitment yet.")
        if medium in signature.media:
            raise AlreadySignedError(f"{signature.name} already signed on the {medium}.")
        checked_media([medium])
        self._medium_added(nip=signature.nip, medium=medium, **attribution)

    def withdraw(self, reason: str, **attribution: Any) -> None:
        """Withdraw the commitment; no one can sign it afterwards."""
        self._check_open()
        if not reason.strip():
            raise ValidationError("reason", "Say why the commitment is withdrawn.")
        self._withdrawn(reason=reason.strip(), **attribution)

    def renew(
        self,
        new_date: date,
        new_text: str | None = None,
        signing_deadline: date | None = None,
        **attribution: Any,
    ) -> None:
        """Start a new signing round; the signatures of the current round become history."""
        self._check_open()
        if new_text is not None and not new_text.strip():
            raise ValidationError("text", "The renewed commitment needs a text.")
        if signing_deadline is not None and signing_deadline < new_date:
            raise ValidationError("signing_deadline", "The deadline is before the signing date.")
        self._renewed(
            new_date=new_date,
            new_text=new_text if new_text is not None else self.text,
            signing_deadline=signing_deadline,
            round_number=self.round_number + 1,
            **attribution,
        )

    def _check_open(self) -> None:
        if self.is_withdrawn:
            raise CommitmentClosedError(
                f"The commitment '{self.title}' was withdrawn ({self.withdrawn_reason})."
            )

    @event("Signed", topic=f"{_TOPIC}.Signed")
    def _signed(
        self,
        nip: str,
        name: str,
        signed_as: str,
        opd_code: str | None,
        media: list[str],
        signed_at: datetime,
        additional: bool,
        round_number: int,
        actor: str,
        capacity: str,
        effective_at: datetime,
        backdated: str = "",
    ) -> None:
        self.signatures[nip] = Signature(
            nip, name, signed_as, opd_code, tuple(media), signed_at, actor, additional, backdated
        )

    @event("Completed", topic=f"{_TOPIC}.Completed")
    def _completed(
        self,
        round_number: int,
        actor: str,
        capacity: str,
        effective_at: datetime,
        backdated: str = "",
    ) -> None:
        self.completed_at = effective_at

    @event("MediumAdded", topic=f"{_TOPIC}.MediumAdded")
    def _medium_added(
        self, nip: str, medium: str, actor: str, capacity: str, effective_at: datetime
    ) -> None:
        signature = self.signatures[nip]
        self.signatures[nip] = replace(signature, media=(*signature.media, medium))

    @event("Withdrawn", topic=f"{_TOPIC}.Withdrawn")
    def _withdrawn(self, reason: str, actor: str, capacity: str, effective_at: datetime) -> None:
        self.withdrawn_reason = reason

    @event("Renewed", topic=f"{_TOPIC}.Renewed")
    def _renewed(
        self,
        new_date: date,
        new_text: str,
        signing_deadline: date | None,
        round_number: int,
        actor: str,
        capacity: str,
        effective_at: datetime,
    ) -> None:
        finished = SigningRound(
            self.round_number,
            self.date,
            self.text,
            tuple(self.signatures.values()),
            self.completed_at,
        )
        self.previous_rounds.append(finished)
        self.round_number, self.date, self.text = round_number, new_date, new_text
        self.signing_deadline = signing_deadline
        self.signatures, self.completed_at = {}, None
