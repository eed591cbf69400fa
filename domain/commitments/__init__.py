"""Commitments: a text the mayor and OPD heads sign, and who signed it, how and when."""

from domain.commitments.application import CommitmentsApplication
from domain.commitments.commitment import (
    AlreadySignedError,
    Commitment,
    CommitmentClosedError,
    NotSignedError,
)
from domain.commitments.values import MEDIA, RequiredSignatory, Signature, SigningRound

__all__ = [
    "MEDIA",
    "AlreadySignedError",
    "Commitment",
    "CommitmentClosedError",
    "CommitmentsApplication",
    "NotSignedError",
    "RequiredSignatory",
    "Signature",
    "SigningRound",
]
