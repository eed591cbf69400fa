"""The effective time of a fact done over HTTP: the server's, or a paper record's (secretariat)."""

from __future__ import annotations

from datetime import datetime

from api import policy
from api.policy import Caller
from domain.calendar import JAKARTA
from domain.shared import Actor
from domain.times import effective_time, is_backdated

#: The permission to record a paper record with an earlier effective time.
BACKDATE = "record:backdate"


def effective_actor(
    caller: Caller,
    given: datetime | None,
    reason: str | None,
    *,
    field: str,
    opd_code: str | None = None,
) -> Actor:
    """Who does a fact and when it counts: now, or earlier only when the secretariat says why.

    An OPD head's earlier time is refused (403), not silently replaced: a head who believes
    the fact counts as of an earlier day must learn that it does not. A future time is 422.
    """
    now = datetime.now(JAKARTA)
    may_backdate = policy.scope_of(caller.role, BACKDATE) is not None
    if given is not None and is_backdated(given, now) and not may_backdate:
        raise policy.refused(
            BACKDATE,
            f"{field} {given.isoformat()} is earlier than now. A fact you do here counts"
            " from the moment you send it; only the secretariat records a paper record"
            " with an earlier time, saying why. Leave the time out.",
        )
    at, why = effective_time(given, now, reason or "", field=field)
    acting = caller.actor(opd_code)
    return Actor(acting.actor_id, acting.capacity, at, why)
