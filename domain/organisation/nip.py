"""The NIP: the 18-digit number of an Indonesian civil servant (ASN).

Layout: ``YYYYMMDD`` birth date, ``YYYYMM`` year and month of appointment, one gender
digit (1 man, 2 woman) and a three-digit serial, often written with spaces
(``19800101 200501 1 001``).
"""

from __future__ import annotations

from datetime import date

from domain.shared import ValidationError


class InvalidNipError(ValidationError):
    """The NIP given is not a valid civil-servant number."""

    code = "invalid-nip"
    title = "Not a valid NIP"

    def __init__(self, nip: str, reason: str) -> None:
        super().__init__("nip", f"NIP '{nip}' is not valid: {reason}.")
        self.nip = nip


def normalise_nip(nip: str) -> str:
    """The NIP without spaces, checked; raises ``InvalidNipError`` when it cannot be one."""
    digits = "".join(nip.split())
    if len(digits) != 18 or not digits.isascii() or not digits.isdigit():
        raise InvalidNipError(nip, "it must have exactly 18 digits")
    born = _birth_date(nip, digits[:8])
    if born.year < 1900:
        raise InvalidNipError(nip, "digits 1-8 must be a birth date (YYYYMMDD)")
    year, month = int(digits[8:12]), int(digits[12:14])
    if not 1 <= month <= 12:
        raise InvalidNipError(nip, "digits 13-14 must be the month of appointment (01-12)")
    if (year, month) <= (born.year, born.month):
        raise InvalidNipError(nip, "the appointment must come after the birth date")
    if digits[14] not in "12":
        raise InvalidNipError(nip, "digit 15 must be 1 (man) or 2 (woman)")
    return digits


def _birth_date(nip: str, text: str) -> date:
    """Digits 1-8 as the birth date."""
    try:
        return date(int(text[:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
        raise InvalidNipError(nip, "digits 1-8 must be a birth date (YYYYMMDD)") from None
