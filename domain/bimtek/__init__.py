"""Bimtek (bimbingan teknis): technical guidance stages, attendance and deliverables."""

from domain.bimtek.application import BimtekApplication
from domain.bimtek.session import (
    BimtekSession,
    DeliverableAlreadyAssignedError,
    DeliverableNotFoundError,
    DeliverableStatusError,
    NotInvitedError,
)
from domain.bimtek.values import Attendance, Deliverable, DeliverableStatus, Material

__all__ = [
    "Attendance",
    "BimtekApplication",
    "BimtekSession",
    "Deliverable",
    "DeliverableAlreadyAssignedError",
    "DeliverableNotFoundError",
    "DeliverableStatus",
    "DeliverableStatusError",
    "Material",
    "NotInvitedError",
]
