"""The commitments application service: create, sign, withdraw and renew commitments."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime

from domain.commitments.commitment import Commitment
from domain.commitments.values import RequiredSignatory
from domain.shared import Actor, JejakApplication


class CommitmentsApplication(JejakApplication):
    """Records commitments and their signatures; every command returns its log position."""

    name = "jejak.commitments"

    def create_commitment(
        self,
        *,
        city_code: str,
        slug: str,
        title: str,
        text: str,
        legal_basis: str,
        place: str,
        date: date,
        required: Sequence[RequiredSignatory],
        signing_deadline: date | None = None,
        commitment_id: uuid.UUID | None = None,
        by: Actor,
    ) -> tuple[uuid.UUID, int]:
        """Create a commitment; returns its id and the log position."""
        commitment = Commitment.create(
            city_code=city_code,
            slug=slug,
            title=title,
            text=text,
            legal_basis=legal_basis,
            place=place,
            date=date,
            required=list(required),
            signing_deadline=signing_deadline,
            commitment_id=commitment_id,
            **by.attribution(),
        )
        position = self.save_new(commitment, what=f"The commitment '{slug}' of {city_code}")
        return commitment.id, position

    def sign(
        self,
        commitment_id: uuid.UUID,
        *,
        nip: str,
        name: str,
        signed_as: str,
        opd_code: str | None,
        media: Sequence[str],
        signed_at: datetime,
        by: Actor,
        expected_version: int | None = None,
    ) -> int:
        """Record a signature; the time the signature was put is its effective time."""
        commitment = self.get_commitment(commitment_id, expected_version)
        attribution = {**by.attribution(), "effective_at": signed_at}
        commitment.sign(nip, name, signed_as, opd_code, list(media), signed_at, **attribution)
        return self.save_command(commitment)

    def add_medium(self, commitment_id: uuid.UUID, *, nip: str, medium: str, by: Actor) -> int:
        """Record that a signatory also signed on another medium."""
        commitment = self.get_commitment(commitment_id)
        return self.run(commitment, commitment.add_medium, nip, medium, **by.attribution())

    def withdraw(
        self,
        commitment_id: uuid.UUID,
        *,
        reason: str,
        by: Actor,
        expected_version: int | None = None,
    ) -> int:
        """Withdraw a commitment."""
        commitment = self.get_commitment(commitment_id, expected_version)
        return self.run(commitment, commitment.withdraw, reason, **by.attribution())

    def renew(
        self,
        commitment_id: uuid.UUID,
        *,
        new_date: date,
        new_text: str | None = None,
        signing_deadline: date | None = None,
        by: Actor,
    ) -> int:
        """Renew a commitment: a new signing round on a new date, maybe with a new text."""
        commitment = self.get_commitment(commitment_id)
        return self.run(
            commitment, commitment.renew, new_date, new_text, signing_deadline, **by.attribution()
        )

    def get_commitment(
        self, commitment_id: uuid.UUID, expected_version: int | None = None
    ) -> Commitment:
        """The commitment with this id (at ``expected_version``, when one is given)."""
        return self.get(commitment_id, Commitment, "The commitment", expected_version)
