"""One user per role of the reference scenario, for development sign-in (stable ids).

The NIPs are those of the (fictional) heads in ``pematang_siantar.json``.
"""

from __future__ import annotations

from dataclasses import dataclass

from domain.shared import Capacity
from infra.scenario.data import MAYOR_ID, RECORDER_ID

#: The smart-city secretariat staff at Diskominfo, who sets up plans, stages, commitments.
ADMIN = RECORDER_ID
ADMIN_OPD = "DISKOMINFO"

#: The head of Bappeda: the first step of every milestone report's approval, so the
#: submitted milestones of the scenario wait in this inbox once the engine runs.
OPD_HEAD = "196602201991042009"
OPD_HEAD_OPD = "BAPPEDA"

#: The Inspektur (head of the Inspektorat), who monitors deadlines and escalations.
INSPECTORATE = "197207231998071004"
INSPECTORATE_OPD = "INSPEKTORAT"

#: An external auditor (BPK) replaying the history.
AUDITOR = "auditor.bpk"

#: The Sekda (head of the Setda), who leads all OPDs and receives escalations.
LEADERSHIP = "196905171993011006"
LEADERSHIP_OPD = "SETDA"

#: The mayor (not a civil servant: a stable id, not a NIP).
MAYOR = MAYOR_ID

#: A citizen looking at the plan's progress.
PUBLIC = "warga"


@dataclass(frozen=True)
class Persona:
    """A user of one role: actor id, the capacity they act in, and their OPD if any."""

    role: str
    actor_id: str
    capacity: str
    opd_code: str | None = None


#: Every persona, by role.
PERSONAS: dict[str, Persona] = {
    "admin": Persona("admin", ADMIN, Capacity.STAFF, ADMIN_OPD),
    "opd_head": Persona("opd_head", OPD_HEAD, Capacity.HEAD, OPD_HEAD_OPD),
    "inspectorate": Persona("inspectorate", INSPECTORATE, Capacity.HEAD, INSPECTORATE_OPD),
    "auditor": Persona("auditor", AUDITOR, Capacity.STAFF),
    "leadership": Persona("leadership", LEADERSHIP, Capacity.SEKDA, LEADERSHIP_OPD),
    "mayor": Persona("mayor", MAYOR, Capacity.MAYOR),
    "public": Persona("public", PUBLIC, Capacity.STAFF),
}
