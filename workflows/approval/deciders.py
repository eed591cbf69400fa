"""Who is in office for the OPDs of a step, so a step nobody may decide goes up at once.

The ``approval.open_step`` activity hands these holders to the approval when it opens a
step: if none of them may decide it (the only head submitted the report, the post is vacant,
or only a Plt./Plh. holds it on a strategic or budget step), the step would wait for its SLA
escalation for nothing, so it goes to the Sekda in the same save, with the reason recorded.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from domain.approvals.values import Holder
from domain.organisation.application import OrganisationApplication
from domain.shared import Capacity, NotFoundError


def holders_on(
    organisation: OrganisationApplication, opd_codes: Iterable[str], day: date
) -> dict[str, list[Holder]]:
    """Who leads each of ``opd_codes`` on ``day`` (head, Plt., Plh.); unknown OPDs left out."""
    found: dict[str, list[Holder]] = {}
    for code in opd_codes:
        try:
            opd = organisation.get_opd(code)
        except NotFoundError:
            continue  # not registered here: nothing known, so nothing to conclude
        head = opd.head_on(day)
        holders = [Holder(head.nip, Capacity.HEAD)] if head is not None else []
        holders += [Holder(t.nip, t.kind) for t in opd.acting_on(day)]
        found[code] = holders
    return found
