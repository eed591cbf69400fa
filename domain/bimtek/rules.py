"""The rules of a bimtek stage: the checks a command must pass."""

from __future__ import annotations

from datetime import date

from domain.shared import (
    ValidationError,
)


def check_new_session(
    city_code: str, stage_number: int, title: str, start_date: date, end_date: date
) -> None:
    """Refuse a stage without a key or a title, or that ends before it starts."""
    if not city_code.strip():
        raise ValidationError("city_code", "The stage needs the city it belongs to.")
    if stage_number < 1:
        raise ValidationError("stage_number", "Stages are numbered from 1.")
    if not title.strip():
        raise ValidationError("title", "The stage needs a title.")
    if end_date < start_date:
        raise ValidationError("end_date", "The stage cannot end before it starts.")


def check_attendance(present: bool, asn_count: int, names: list[str]) -> None:
    """Refuse attendance figures that contradict each other."""
    if asn_count < 0:
        raise ValidationError("asn_count", "The number of ASN cannot be negative.")
    if present and asn_count == 0:
        raise ValidationError("asn_count", "An OPD that was present sent at least one ASN.")
    if not present and (asn_count or names):
        raise ValidationError("asn_count", "An absent OPD sent no one.")
    if len(names) > asn_count:
        raise ValidationError("names", "More names were given than ASN who came.")
