"""The values every context writes the same way: required texts, OPD codes, part ids."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from domain.shared import ValidationError


def required_text(
    field: str, value: object, what: str = "", *, error: type[ValidationError] = ValidationError
) -> str:
    """``value`` without surrounding blanks; ``error`` naming ``field`` when it is blank.

    The message names what is missing: ``what`` ("The title of the material"), by default
    the field's own name.
    """
    if not isinstance(value, str) or not value.strip():
        raise error(field, f"{what or 'The ' + field.replace('_', ' ')} must not be empty.")
    return value.strip()


def clean_opd_code(code: str) -> str:
    """An OPD code as the city writes it: upper case, no surrounding blanks (``DISKOMINFO``)."""
    return code.strip().upper()


@dataclass(frozen=True)
class PartRef:
    """A part of an aggregate named as one id, ``"<owner uuid>/<part>"``.

    A bimtek deliverable is the part ``draft-dinkes`` of its stage: its deadline and its
    approval name it ``"<stage id>/draft-dinkes"``. The text form is stored (subject ids),
    so it never changes.
    """

    owner: uuid.UUID
    part: str

    def __str__(self) -> str:
        return f"{self.owner}/{self.part}"

    @classmethod
    def parse(cls, text: str) -> PartRef:
        """The owner and the part of ``"<owner uuid>/<part>"`` (``ValueError`` if no uuid)."""
        owner, _, part = text.partition("/")
        return cls(uuid.UUID(owner), part)
