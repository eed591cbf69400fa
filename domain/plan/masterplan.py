"""The MasterPlan aggregate: period, vision, aspects, program index, baseline and revisions."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import asdict
from datetime import datetime
from typing import Any

from eventsourcing.domain import event

from domain.plan.errors import BaselineLockedError, InvalidTransitionError, UnknownAspectError
from domain.plan.rules import check_aspects, program_id_for
from domain.plan.values import (
    DEFAULT_ASPECTS,
    Aspect,
    Baseline,
    PlanStatus,
    Revision,
    RevisionStatus,
)
from domain.shared import AlreadyExistsError, JejakAggregate, ValidationError, natural_id
from domain.values import required_text


class MasterPlan(JejakAggregate):
    """A city's smart-city master plan (Masterplan Kota Cerdas) over a number of years."""

    TOPIC = "jejak.plan:MasterPlan"

    @staticmethod
    def create_id(city_code: str, start_year: int) -> uuid.UUID:
        """The id of the plan of ``city_code`` starting in ``start_year``."""
        return natural_id("plan", city_code, str(start_year))

    @classmethod
    def draft(
        cls,
        *,
        city_code: str,
        city_name: str,
        title: str,
        start_year: int,
        years: int = 10,
        vision: str = "",
        aspects: Sequence[Aspect] | None = None,
        **attribution: Any,
    ) -> MasterPlan:
        """A new plan in draft, with the six default aspects unless others are given."""
        chosen = list(DEFAULT_ASPECTS if aspects is None else aspects)
        check_aspects(chosen)
        if not 1900 < start_year < 3000 or not 1 <= years <= 50:
            raise ValidationError("years", f"{start_year} for {years} years is not a valid period.")
        return cls(
            city_code=required_text("city_code", city_code, "The city code"),
            city_name=required_text("city_name", city_name, "The city name"),
            title=required_text("title", title, "The title"),
            start_year=start_year,
            years=years,
            vision=vision.strip(),
            aspects=[asdict(a) for a in chosen],
            **attribution,
        )

    @event("Created", topic="jejak.plan:MasterPlan.Created")
    def __init__(
        self,
        city_code: str,
        city_name: str,
        title: str,
        start_year: int,
        years: int,
        vision: str,
        aspects: list[dict[str, str]],
        actor: str,
        capacity: str,
        effective_at: datetime,
    ) -> None:
        self.city_code = city_code
        self.city_name = city_name
        self.title = title
        self.start_year = start_year
        self.years = years
        self.vision = vision
        self.aspects = [Aspect(**a) for a in aspects]
        self.status = PlanStatus.DRAFT
        self.programs: dict[str, list[uuid.UUID]] = {a.id: [] for a in self.aspects}
        self.baseline_version = 0
        self.baselines: dict[int, Baseline] = {}
        self.revisions: dict[str, Revision] = {}
        self.pending_revision: str | None = None

    @property
    def end_year(self) -> int:
        """The last year of the plan."""
        return self.start_year + self.years - 1

    @property
    def aspect_ids(self) -> list[str]:
        """The ids of the plan's aspects, in order."""
        return [a.id for a in self.aspects]

    def program_ids(self) -> list[uuid.UUID]:
        """Every program of the plan, aspect by aspect."""
        return [pid for aspect in self.aspect_ids for pid in self.programs[aspect]]

    def require_draft(self) -> None:
        """Refuse a direct change once the plan is approved (a revision is needed)."""
        if self.status != PlanStatus.DRAFT:
            raise BaselineLockedError(
                f"The master plan '{self.title}' is approved; propose a revision to change it."
            )

    def require_aspect(self, aspect: str) -> None:
        """Refuse an aspect the plan does not have."""
        if aspect not in self.aspect_ids:
            raise UnknownAspectError(
                "aspect",
                f"'{aspect}' is not an aspect of this master plan "
                f"(aspects: {', '.join(self.aspect_ids)}).",
            )

    def index_program(self, program_id: uuid.UUID, aspect: str, **attribution: Any) -> None:
        """Record a new program of the draft plan under its aspect."""
        self.require_draft()
        self.require_aspect(aspect)
        if program_id in self.program_ids():
            raise AlreadyExistsError("This program is already part of the master plan.")
        self._program_indexed(program_id=program_id, aspect=aspect, **attribution)

    @event("ProgramIndexed", topic="jejak.plan:MasterPlan.ProgramIndexed")
    def _program_indexed(
        self, program_id: uuid.UUID, aspect: str, actor: str, capacity: str, effective_at: datetime
    ) -> None:
        self.programs[aspect].append(program_id)

    def approve(self, versions: Mapping[uuid.UUID, int], **attribution: Any) -> None:
        """Approve the draft: its content becomes baseline 1."""
        if self.status != PlanStatus.DRAFT:
            raise InvalidTransitionError(f"The master plan '{self.title}' is already approved.")
        self._approved(versions={str(k): v for k, v in versions.items()}, **attribution)

    @event("Approved", topic="jejak.plan:MasterPlan.Approved")
    def _approved(
        self, versions: dict[str, int], actor: str, capacity: str, effective_at: datetime
    ) -> None:
        self.status = PlanStatus.APPROVED
        self._take_baseline(versions, None, actor, effective_at)

    def _take_baseline(
        self, versions: dict[str, int], revision_id: str | None, actor: str, at: datetime
    ) -> None:
        self.baseline_version += 1
        self.baselines[self.baseline_version] = Baseline(
            version=self.baseline_version,
            title=self.title,
            vision=self.vision,
            start_year=self.start_year,
            years=self.years,
            aspects=tuple(self.aspects),
            programs={a: tuple(ids) for a, ids in self.programs.items()},
            versions={uuid.UUID(k): v for k, v in versions.items()},
            revision_id=revision_id,
            approved_by=actor,
            approved_at=at,
        )

    def baseline(self, version: int | None = None) -> Baseline | None:
        """The approved content (the last baseline, or ``version``); None while in draft."""
        return self.baselines.get(self.baseline_version if version is None else version)

    def pending(self, revision_id: str) -> Revision:
        """The revision ``revision_id``, which must be the one waiting for a decision."""
        if self.pending_revision != revision_id:
            raise InvalidTransitionError(
                f"Revision {revision_id} is not waiting for a decision on this master plan."
            )
        return self.revisions[revision_id]

    def propose_revision(
        self, revision_id: str, description: str, changes: list[dict[str, Any]], **attribution: Any
    ) -> None:
        """Propose a change to the approved plan; the baseline stays until it is approved."""
        if self.status == PlanStatus.DRAFT:
            raise InvalidTransitionError("The master plan is still a draft; change it directly.")
        if self.pending_revision is not None:
            raise InvalidTransitionError(
                f"Revision {self.pending_revision} is still waiting for a decision; "
                "decide on it before proposing another."
            )
        revision_id = required_text("revision_id", revision_id, "The revision number")
        if revision_id in self.revisions:
            raise AlreadyExistsError(f"Revision {revision_id} was already proposed.")
        if not changes:
            raise ValidationError("changes", "A revision must change something.")
        self._revision_proposed(
            revision_id=revision_id,
            description=required_text("description", description, "The description"),
            changes=changes,
            **attribution,
        )

    @event("RevisionProposed", topic="jejak.plan:MasterPlan.RevisionProposed")
    def _revision_proposed(
        self,
        revision_id: str,
        description: str,
        changes: list[dict[str, Any]],
        actor: str,
        capacity: str,
        effective_at: datetime,
    ) -> None:
        self.revisions[revision_id] = Revision(revision_id, description, changes, actor)
        self.pending_revision = revision_id
        self.status = PlanStatus.REVISION_PENDING

    def approve_revision(
        self, revision_id: str, versions: Mapping[uuid.UUID, int], **attribution: Any
    ) -> None:
        """Apply the pending revision's plan-level changes; a new baseline is taken."""
        self.pending(revision_id)
        self._revision_approved(
            revision_id=revision_id,
            versions={str(k): v for k, v in versions.items()},
            **attribution,
        )

    @event("RevisionApproved", topic="jejak.plan:MasterPlan.RevisionApproved")
    def _revision_approved(
        self,
        revision_id: str,
        versions: dict[str, int],
        actor: str,
        capacity: str,
        effective_at: datetime,
    ) -> None:
        revision = self.revisions[revision_id]
        for change in revision.changes:
            self._apply_plan_change(change)
        revision.status = RevisionStatus.APPROVED
        self.pending_revision = None
        self.status = PlanStatus.APPROVED
        self._take_baseline(versions, revision_id, actor, effective_at)

    def _apply_plan_change(self, change: dict[str, Any]) -> None:
        kind = change["kind"]
        if kind == "add-aspect":
            self.aspects.append(Aspect(change["id"], change["label_en"], change["label_id"]))
            self.programs[change["id"]] = []
        elif kind == "add-program":
            self.programs[change["aspect"]].append(program_id_for(self.id, change["code"]))
        elif kind == "change-vision":
            self.vision = change["vision"]
        elif kind == "change-title":
            self.title = change["title"]

    def reject_revision(self, revision_id: str, reason: str, **attribution: Any) -> None:
        """Discard the pending revision; the baseline stays as it was."""
        self.pending(revision_id)
        reason = required_text("reason", reason, "The reason for rejecting")
        self._revision_rejected(revision_id=revision_id, reason=reason, **attribution)

    @event("RevisionRejected", topic="jejak.plan:MasterPlan.RevisionRejected")
    def _revision_rejected(
        self, revision_id: str, reason: str, actor: str, capacity: str, effective_at: datetime
    ) -> None:
        self.revisions[revision_id].status = RevisionStatus.REJECTED
        self.revisions[revision_id].reason = reason
        self.pending_revision = None
        self.status = PlanStatus.APPROVED
