"""A civil servant's rank: the golongan/ruang (``III/c``) and its pangkat (``Penata``).

PP 99/2000: each golongan/ruang has exactly one pangkat, so a rank given as a golongan
alone is completed, and a pangkat that does not belong to the golongan is refused.
"""

from __future__ import annotations

from domain.shared import ValidationError

#: golongan/ruang -> pangkat (the name of the rank).
PANGKAT: dict[str, str] = {
    "I/a": "Juru Muda",
    "I/b": "Juru Muda Tingkat I",
    "I/c": "Juru",
    "I/d": "Juru Tingkat I",
    "II/a": "Pengatur Muda",
    "II/b": "Pengatur Muda Tingkat I",
    "II/c": "Pengatur",
    "II/d": "Pengatur Tingkat I",
    "III/a": "Penata Muda",
    "III/b": "Penata Muda Tingkat I",
    "III/c": "Penata",
    "III/d": "Penata Tingkat I",
    "IV/a": "Pembina",
    "IV/b": "Pembina Tingkat I",
    "IV/c": "Pembina Utama Muda",
    "IV/d": "Pembina Utama Madya",
    "IV/e": "Pembina Utama",
}


class InvalidRankError(ValidationError):
    """The golongan or the pangkat given is not a civil-service rank, or they do not match."""

    code = "invalid-rank"
    title = "Not a valid rank"


def normalise_golongan(golongan: str) -> str:
    """The golongan/ruang written as the civil service writes it (``iii/c`` -> ``III/c``)."""
    roman, _, room = "".join(golongan.split()).partition("/")
    normal = f"{roman.upper()}/{room.lower()}"
    if normal not in PANGKAT:
        raise InvalidRankError(
            "golongan",
            f"'{golongan}' is not a golongan/ruang (I/a to IV/e, e.g. III/c or IV/b).",
        )
    return normal


def rank_of(golongan: str, pangkat: str = "") -> tuple[str, str]:
    """The golongan and its pangkat, checked; an empty pangkat is the golongan's own."""
    golongan = normalise_golongan(golongan)
    expected = PANGKAT[golongan]
    if pangkat.strip() and " ".join(pangkat.split()).lower() != expected.lower():
        raise InvalidRankError(
            "rank", f"The pangkat of golongan {golongan} is {expected}, not '{pangkat.strip()}'."
        )
    return golongan, expected
