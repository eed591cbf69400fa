"""The values every context writes the same way: required texts, codes, part ids, subjects."""

from __future__ import annotations

import re
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


def clean_code(code: str) -> str:
    """A code (of an OPD, a city) as the city writes it: upper case, no surrounding blanks."""
    return code.strip().upper()


#: A code of the city's own: letters, digits and hyphens (``DISKOMINFO``, ``1272``).
_CODE = re.compile(r"^[A-Z0-9][A-Z0-9-]{1,31}$")


def checked_code(code: str, error: ValidationError) -> str:
    """``code`` in upper case when it is letters, digits and hyphens; ``error`` otherwise."""
    normal = clean_code(code)
    if not _CODE.match(normal):
        raise error
    return normal


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


@dataclass(frozen=True)
class SubjectRef:
    """What an approval or a deadline is about: a kind and the subject's id."""

    kind: str
    id: str

    def __str__(self) -> str:
        return f"{self.kind} {self.id}"
