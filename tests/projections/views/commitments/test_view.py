"""The commitments read model: required and collected signatures, who is missing, rounds."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

import pytest

from domain.calendar import JAKARTA
from domain.commitments import CommitmentsApplication, RequiredSignatory
from domain.shared import Actor
from projections.engine.runner import ProjectionRunner
from projections.views.commitments.queries import commitment_status, list_commitments
from projections.views.commitments.view import CommitmentsView

STAFF = Actor("199001012015011001", "staff", datetime(2023, 10, 1, 9, tzinfo=UTC))
MAYOR = RequiredSignatory("WALIKOTA", None, "Wali Kota")
DINKES = RequiredSignatory("197306121998042002", "DINKES", "Kepala Dinas Kesehatan")
DISHUB = RequiredSignatory("197004061997102004", "DISHUB", "Kepala Dinas Perhubungan")
SIGNED_AT = datetime(2023, 10, 18, 10, tzinfo=JAKARTA)


#: The view the ``runner`` fixture runs.
VIEWS = [CommitmentsView()]


def created(commitments: CommitmentsApplication, slug: str = "kota-cerdas") -> uuid.UUID:
    """A commitment the mayor and two OPD heads must sign on 18 Oct 2023."""
    commitment_id, _ = commitments.create_commitment(
        city_code="SIANTAR", slug=slug, title="Komitmen Kota Cerdas",
        text="Kami berkomitmen ...", legal_basis="Perpres 95/2018", place="Aula Bappeda",
        date=date(2023, 10, 18), required=[MAYOR, DINKES, DISHUB],
        signing_deadline=date(2023, 10, 31), by=STAFF,
    )  # fmt: skip
    return commitment_id


def sign(
    commitments: CommitmentsApplication, commitment_id: uuid.UUID, who: RequiredSignatory
) -> None:
    """``who`` signs on the sheet, as mayor or as head of their OPD."""
    signed_as = "mayor" if who.opd_code is None else "head"
    commitments.sign(
        commitment_id, nip=who.nip, name=who.role, signed_as=signed_as, opd_code=who.opd_code,
        media=["sheet"], signed_at=SIGNED_AT, by=STAFF,
    )  # fmt: skip


def test_status_shows_collected_and_missing_signatures(
    commitments: CommitmentsApplication, runner: ProjectionRunner
) -> None:
    commitment_id = created(commitments)
    sign(commitments, commitment_id, MAYOR)
    commitments.add_medium(commitment_id, nip=MAYOR.nip, medium="banner", by=STAFF)
    sign(commitments, commitment_id, DISHUB)
    runner.catch_up()
    status = commitment_status(runner.viewstore, commitment_id)
    assert [s.nip for s in status.missing] == [DINKES.nip]
    assert not status.complete
    assert [s.nip for s in status.signatures] == [DISHUB.nip, MAYOR.nip]  # same time: by NIP
    mayor = status.signatures[1]
    assert (mayor.nip, mayor.signed_as, mayor.media) == ("WALIKOTA", "mayor", ("sheet", "banner"))
    assert mayor.signed_at == SIGNED_AT
    assert mayor.recorded_at > mayor.signed_at
    assert mayor.recorded_by == STAFF.actor_id
    sign(commitments, commitment_id, DINKES)
    runner.catch_up()
    status = commitment_status(runner.viewstore, commitment_id)
    assert status.missing == ()
    assert status.complete
    assert status.completed_at == SIGNED_AT


def test_renewal_starts_a_new_round_and_keeps_the_earlier_signatures(
    commitments: CommitmentsApplication, runner: ProjectionRunner
) -> None:
    commitment_id = created(commitments)
    for who in (MAYOR, DINKES, DISHUB):
        sign(commitments, commitment_id, who)
    commitments.renew(commitment_id, new_date=date(2024, 10, 18), by=STAFF)
    sign(commitments, commitment_id, DINKES)
    runner.catch_up()
    status = commitment_status(runner.viewstore, commitment_id)
    assert (status.summary.round_number, status.complete) == (2, False)
    assert [s.nip for s in status.missing] == [MAYOR.nip, DISHUB.nip]
    assert [s.nip for s in status.signatures] == [DINKES.nip]
    assert len(status.earlier_signatures) == 3
    assert status.summary.signing_date == date(2024, 10, 18)


def test_list_counts_signatures_and_shows_withdrawn_commitments(
    commitments: CommitmentsApplication, runner: ProjectionRunner
) -> None:
    first, second = created(commitments, "b-second"), created(commitments, "a-first")
    sign(commitments, first, MAYOR)
    commitments.withdraw(second, reason="Replaced by the MoU", by=STAFF)
    runner.catch_up()
    listed = list_commitments(runner.viewstore)
    assert [(c.slug, c.signed_count, c.required_count) for c in listed] == [
        ("a-first", 0, 3),
        ("b-second", 1, 3),
    ]
    assert [c.withdrawn for c in listed] == [True, False]
    assert commitment_status(runner.viewstore, second).withdrawn_reason == "Replaced by the MoU"
    with pytest.raises(LookupError):
        commitment_status(runner.viewstore, uuid.uuid4())
