"""The rules of signing: the checks a command must pass."""

from __future__ import annotations

from datetime import date, datetime

from domain.commitments.values import (
    MEDIA,
    OPD_CAPACITIES,
    SIGNING_CAPACITIES,
    RequiredSignatory,
)
from domain.shared import ValidationError


def checked_media(media: list[str]) -> list[str]:
    """The media of one signature, in the order given, each known and named once."""
    if not media:
        raise ValidationError("media", "Say on what the signature was put (sheet, banner, ...).")
    unknown = [m for m in media if m not in MEDIA]
    if unknown:
        raise ValidationError(
            "media", f"Unknown medium {unknown[0]!r}; use sheet, banner or electronic."
        )
    if len(set(media)) != len(media):
        raise ValidationError("media", "Each medium may be named only once per signature.")
    return list(media)


def check_signer(
    nip: str, name: str, signed_as: str, opd_code: str | None, signed_at: datetime
) -> None:
    """Refuse a signature that does not say clearly who signed, for whom and when."""
    if not nip or not name.strip():
        raise ValidationError("nip", "A signature needs the signer's identity number and name.")
    if signed_as not in SIGNING_CAPACITIES:
        raise ValidationError("signed_as", f"'{signed_as}' is not a capacity one signs in.")
    if signed_as in OPD_CAPACITIES and opd_code is None:
        raise ValidationError("opd_code", "A head, Plt. or Plh. signs for an OPD: name it.")
    if signed_at.tzinfo is None:
        raise ValidationError("signed_at", "The time of signing must carry a time zone.")


def check_new_commitment(
    city_code: str,
    slug: str,
    title: str,
    text: str,
    signing_date: date,
    required: list[RequiredSignatory],
    signing_deadline: date | None,
) -> None:
    """Refuse a commitment without a key, a text or a clear list of who must sign."""
    for field, value in (("city_code", city_code), ("slug", slug), ("title", title)):
        if not value.strip():
            raise ValidationError(field, f"The commitment needs a {field.replace('_', ' ')}.")
    if not text.strip():
        raise ValidationError("text", "The commitment needs the text to be signed.")
    if not required:
        raise ValidationError("required", "Name at least one person who must sign.")
    nips = [r.nip.strip() for r in required]
    if len(set(nips)) != len(nips):
        raise ValidationError("required", "A person is listed twice among the signatories.")
    if signing_deadline is not None and signing_deadline < signing_date:
        raise ValidationError("signing_deadline", "The deadline is before the signing date.")
