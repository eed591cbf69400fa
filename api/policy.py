"""Who may do what, in one table: (action, resource kind) -> which roles, on which objects.

Anything not in the table is refused. ``ANY`` lets a role act on every object of the kind;
``OWN`` only on objects one of the caller's OPDs owns or is assigned to, where the caller's
OPDs are the ones they lead on the day, by the appointments in the record (not the token).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from api.auth import Principal, Role
from api.problems import ProblemError
from domain.shared import Actor, Capacity

ANY = "any"
OWN = "own"

_READERS: Mapping[str, str] = {
    Role.ADMIN: ANY,
    Role.INSPECTORATE: ANY,
    Role.AUDITOR: ANY,
    Role.LEADERSHIP: ANY,
    Role.OPD_HEAD: OWN,
}
_ADMIN_ONLY: Mapping[str, str] = {Role.ADMIN: ANY}
#: Every role of the city government, on every object (the plan is the whole city's).
_GOVERNMENT: Mapping[str, str] = dict.fromkeys(Role.ALL - {Role.PUBLIC, Role.ASSESSOR}, ANY)
#: Everyone but the external assessors, who read the evaluation package and nothing else.
_EVERYONE: Mapping[str, str] = dict.fromkeys(Role.ALL - {Role.ASSESSOR}, ANY)
#: Who reads a year's evaluation package: the secretariat, leadership, oversight, assessors.
_EVALUATION_READERS: Mapping[str, str] = dict.fromkeys(
    {Role.ADMIN, Role.LEADERSHIP, Role.INSPECTORATE, Role.AUDITOR, Role.ASSESSOR}, ANY
)
_AUDITORS: Mapping[str, str] = {Role.AUDITOR: ANY, Role.INSPECTORATE: ANY}
_OWNER_HEAD: Mapping[str, str] = {Role.OPD_HEAD: OWN}
#: Contacts: the secretariat registers anyone's; a person their own (and a head their OPD's).
_CONTACT_OWNERS: Mapping[str, str] = {
    Role.ADMIN: ANY,
    Role.OPD_HEAD: OWN,
    Role.INSPECTORATE: OWN,
    Role.LEADERSHIP: OWN,
}

#: (action, resource kind) -> role -> scope. Deny by default.
RULES: dict[tuple[str, str], Mapping[str, str]] = {
    ("read", "opd"): _READERS,
    ("appoint", "opd"): _ADMIN_ONLY,
    ("register", "person"): _ADMIN_ONLY,
    ("read", "person"): _ADMIN_ONLY,
    ("read", "calendar"): _EVERYONE,
    ("declare", "calendar"): _ADMIN_ONLY,
    ("read", "approval"): _READERS,
    ("decide", "approval"): {Role.OPD_HEAD: OWN, Role.LEADERSHIP: ANY},
    ("reassign", "approval"): {Role.ADMIN: ANY, Role.LEADERSHIP: ANY},
    ("withdraw", "approval"): {Role.ADMIN: ANY, Role.OPD_HEAD: OWN},
    ("read", "commitment"): _READERS,
    ("create", "commitment"): _ADMIN_ONLY,
    ("sign", "commitment"): {Role.ADMIN: ANY, Role.OPD_HEAD: OWN},
    ("withdraw", "commitment"): _ADMIN_ONLY,
    ("read", "bimtek"): _READERS,
    ("create", "bimtek"): _ADMIN_ONLY,
    ("record", "bimtek"): _ADMIN_ONLY,
    ("assign", "bimtek"): _ADMIN_ONLY,
    ("submit", "bimtek"): {Role.ADMIN: ANY, Role.OPD_HEAD: OWN},
    ("review", "bimtek"): _ADMIN_ONLY,
    ("read", "plan"): _GOVERNMENT,
    ("create", "plan"): _ADMIN_ONLY,
    ("read", "program"): _READERS,
    ("create", "program"): _ADMIN_ONLY,
    ("read", "milestone"): _READERS,
    ("create", "milestone"): _ADMIN_ONLY,
    ("report", "milestone"): _OWNER_HEAD,
    ("submit", "milestone"): _OWNER_HEAD,
    ("read", "inbox"): {Role.OPD_HEAD: ANY, Role.LEADERSHIP: ANY},
    ("read", "progress"): _EVERYONE,
    ("read", "opd-progress"): _READERS,
    ("read", "deadline"): _READERS,
    ("read", "audit"): _AUDITORS,
    ("read", "evaluation"): _EVALUATION_READERS,
    ("prepare", "evaluation"): _ADMIN_ONLY,
    ("score", "evaluation"): {Role.ASSESSOR: ANY},
    ("fill", "evaluation"): {Role.ADMIN: ANY, Role.OPD_HEAD: OWN},
    ("approve", "evaluation"): {Role.LEADERSHIP: ANY},
    ("open", "survey"): _ADMIN_ONLY,
    ("respond", "survey"): {Role.PUBLIC: ANY},
    ("read", "survey"): _EVALUATION_READERS,
    # Citizens rate published programs; the secretariat moderates before anyone sees it.
    ("give", "feedback"): {Role.PUBLIC: ANY},
    ("read", "feedback"): _EVERYONE,
    ("moderate", "feedback"): _ADMIN_ONLY,
    # A paper record entered with an earlier effective time, saying why (ARCHITECTURE.md).
    ("backdate", "record"): _ADMIN_ONLY,
    ("register", "contact"): _CONTACT_OWNERS,
    ("read", "contact"): _CONTACT_OWNERS,
    ("read", "notification"): {Role.ADMIN: ANY, Role.INSPECTORATE: ANY, Role.AUDITOR: ANY},
    ("read", "my-notification"): dict.fromkeys(Role.ALL - {Role.PUBLIC}, ANY),
}

#: The OPD whose head is the regional secretary (Sekda).
SEKDA_OPD = "SETDA"


@dataclass(frozen=True)
class Caller:
    """An authenticated principal and the OPDs they lead today (code -> head/plt/plh)."""

    principal: Principal
    opds: Mapping[str, str] = field(default_factory=dict)

    @property
    def user(self) -> str:
        """The user id (a NIP for OPD heads)."""
        return self.principal.user

    @property
    def role(self) -> str:
        """The role the token grants."""
        return self.principal.role

    def capacity_for(self, opd_code: str | None = None) -> str:
        """The capacity in which the caller acts (for an OPD, by today's appointments)."""
        if self.role == Role.LEADERSHIP:
            return Capacity.SEKDA if SEKDA_OPD in self.opds else Capacity.MAYOR
        if opd_code is not None and opd_code in self.opds:
            return self.opds[opd_code]
        return Capacity.STAFF

    def actor(self, opd_code: str | None = None) -> Actor:
        """The attribution for a command done by the caller."""
        return Actor(self.user, self.capacity_for(opd_code))


def parse(permission: str) -> tuple[str, str]:
    """``"approval:decide"`` -> ``("decide", "approval")``."""
    kind, _, action = permission.partition(":")
    return action, kind


def scope_of(role: str, permission: str) -> str | None:
    """The scope a role has for a permission, or None when refused."""
    return RULES.get(parse(permission), {}).get(role)


#: How a refusal names the object of a permission ("an approval", not "a approval").
NOUNS = {
    "approval": "an approval",
    "audit": "the audit trail",
    "bimtek": "a bimtek stage",
    "calendar": "days in a city's calendar",
    "inbox": "an inbox",
    "opd": "an OPD",
    "opd-progress": "the progress of an OPD",
    "progress": "the progress overview",
}


def noun(kind: str) -> str:
    """The object of a permission in words, with its article."""
    return NOUNS.get(kind, f"a {kind}")


def refused(permission: str, detail: str) -> ProblemError:
    """The 403 problem for a refused permission."""
    return ProblemError(403, "forbidden", "Not allowed", detail, permission=permission)


def require(caller: Caller, permission: str) -> None:
    """Refuse unless the caller's role may do this to some object."""
    if scope_of(caller.role, permission) is None:
        action, kind = parse(permission)
        raise refused(permission, f"The role '{caller.role}' may not {action} {noun(kind)}.")


def visible(caller: Caller, permission: str, owners: Iterable[str]) -> bool:
    """Whether the caller may do this to an object owned by or assigned to ``owners``."""
    scope = scope_of(caller.role, permission)
    if scope == ANY:
        return True
    return scope == OWN and not set(caller.opds).isdisjoint(owners)


def check(caller: Caller, permission: str, owners: Iterable[str]) -> None:
    """Refuse unless the caller may do this to an object of ``owners``."""
    owners = list(owners)
    if not visible(caller, permission, owners):
        require(caller, permission)
        action, kind = parse(permission)
        raise refused(
            permission,
            f"You may {action} {noun(kind)} only if it belongs to an OPD you lead today;"
            f" this one belongs to {', '.join(sorted(owners)) or 'no OPD'}.",
        )
