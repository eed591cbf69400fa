"""Commitments: one signature per person, completion when the last required signs."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta, timezone
from typing import Any

import pytest

from domain.commitments import (
    AlreadySignedError,
    Commitment,
    CommitmentClosedError,
    CommitmentsApplication,
    NotSignedError,
    RequiredSignatory,
)
from domain.shared import Actor, AlreadyExistsError, NotFoundError, ValidationError
from infra.store import EventStore

WIB = timezone(timedelta(hours=7))
SIGNING_DAY = date(2023, 10, 18)
MAYOR_NIP = "WALIKOTA-PSIANTAR"
HEAD_DISKOMINFO = "197001012000031001"
HEAD_BAPPEDA = "197502022001122002"
ASN_DISKOMINFO = "199003032015031003"
SECRETARIAT = Actor("sekretariat-diskominfo", "staff")


def at(hour: int, minute: int = 0) -> datetime:
    """A time on the signing day, Western Indonesia Time."""
    return datetime(2023, 10, 18, hour, minute, tzinfo=WIB)


def required() -> list[RequiredSignatory]:
    """The mayor and two OPD heads."""
    return [
        RequiredSignatory(MAYOR_NIP, None, "Wali Kota"),
        RequiredSignatory(HEAD_DISKOMINFO, "DISKOMINFO", "Kepala Dinas"),
        RequiredSignatory(HEAD_BAPPEDA, "BAPPEDA", "Kepala Badan"),
    ]


def create(app: CommitmentsApplication, slug: str = "kota-cerdas-2023", **given: Any) -> uuid.UUID:
    """The smart-city commitment of Pematang Siantar, as signed on 18 Oct 2023 (or ``given``)."""
    commitment = {
        "title": "Komitmen Melaksanakan Program Kota Cerdas",
        "text": "Kami berkomitmen melaksanakan program Kota Cerdas.",
        "legal_basis": "Perpres 95/2018",
        "place": "Ruang serbaguna Bappeda",
        "date": SIGNING_DAY,
        "required": required(),
        "signing_deadline": date(2023, 10, 31),
    }
    commitment_id, _ = app.create_commitment(
        city_code="PSIANTAR", slug=slug, **{**commitment, **given}, by=SECRETARIAT
    )
    return commitment_id


SIGNERS: dict[str, dict[str, object]] = {
    MAYOR_NIP: {"name": "dr Susanti Dewayani SpA", "signed_as": "mayor", "opd_code": None},
    HEAD_DISKOMINFO: {"name": "Kadis Kominfo", "signed_as": "head", "opd_code": "diskominfo"},
    HEAD_BAPPEDA: {"name": "Kaban Bappeda", "signed_as": "head", "opd_code": "BAPPEDA"},
    ASN_DISKOMINFO: {"name": "ASN Diskominfo", "signed_as": "staff", "opd_code": "DISKOMINFO"},
}


def sign(app: CommitmentsApplication, commitment_id: uuid.UUID, nip: str, **kw: object) -> int:
    """Record a signature with sensible defaults for the parts the test does not care about."""
    args = {**SIGNERS[nip], "media": ["sheet"], "signed_at": at(10), **kw}
    return app.sign(commitment_id, nip=nip, by=SECRETARIAT, **args)  # type: ignore[arg-type]


def event_names(app: CommitmentsApplication, commitment_id: uuid.UUID) -> list[str]:
    """The names of the commitment's events, oldest first."""
    return [type(e).__name__ for e in app.events.get(commitment_id)]


def test_commitment_id_comes_from_city_and_slug_and_collides(store: EventStore) -> None:
    app = store.app(CommitmentsApplication)
    commitment_id = create(app)
    assert commitment_id == Commitment.create_id("psiantar", "kota-cerdas-2023")
    with pytest.raises(AlreadyExistsError):
        create(app)


def test_a_given_id_is_used_instead_of_the_natural_key(store: EventStore) -> None:
    app = store.app(CommitmentsApplication)
    given = uuid.uuid4()
    assert create(app, "other", commitment_id=given) == given
    assert app.get_commitment(given).version == 1
    assert app.get_commitment(given).required == required()


def test_unknown_commitment_is_not_found(store: EventStore) -> None:
    with pytest.raises(NotFoundError):
        store.app(CommitmentsApplication).get_commitment(uuid.uuid4())


def test_commitment_needs_signatories_listed_once(store: EventStore) -> None:
    app = store.app(CommitmentsApplication)
    twice = [*required(), RequiredSignatory(HEAD_BAPPEDA, "BAPPEDA", "Kepala Badan")]
    for signatories in ([], twice):
        with pytest.raises(ValidationError):
            create(app, "bad", required=signatories)
    assert store.max_position() == 0


def test_no_one_signs_twice(store: EventStore) -> None:
    app = store.app(CommitmentsApplication)
    commitment_id = create(app)
    sign(app, commitment_id, HEAD_DISKOMINFO)
    with pytest.raises(AlreadySignedError):
        sign(app, commitment_id, HEAD_DISKOMINFO, media=["banner"], signed_at=at(11))
    assert event_names(app, commitment_id).count("Signed") == 1


def test_sheet_and_banner_are_one_signature_with_two_media(store: EventStore) -> None:
    app = store.app(CommitmentsApplication)
    commitment_id = create(app)
    sign(app, commitment_id, ASN_DISKOMINFO, media=["sheet"])
    app.add_medium(commitment_id, nip=ASN_DISKOMINFO, medium="banner", by=SECRETARIAT)
    with pytest.raises(AlreadySignedError):
        app.add_medium(commitment_id, nip=ASN_DISKOMINFO, medium="banner", by=SECRETARIAT)
    with pytest.raises(NotSignedError):
        app.add_medium(commitment_id, nip=HEAD_BAPPEDA, medium="banner", by=SECRETARIAT)
    signature = app.get_commitment(commitment_id).signatures[ASN_DISKOMINFO]
    assert signature.media == ("sheet", "banner")


def test_unknown_or_repeated_medium_is_refused(store: EventStore) -> None:
    app = store.app(CommitmentsApplication)
    commitment_id = create(app)
    for media in ([], ["poster"], ["sheet", "sheet"]):
        with pytest.raises(ValidationError):
            sign(app, commitment_id, HEAD_DISKOMINFO, media=media)
    assert app.get_commitment(commitment_id).signatures == {}


def test_signer_not_required_is_recorded_as_additional(store: EventStore) -> None:
    app = store.app(CommitmentsApplication)
    commitment_id = create(app)
    sign(app, commitment_id, ASN_DISKOMINFO)
    sign(app, commitment_id, HEAD_DISKOMINFO)
    commitment = app.get_commitment(commitment_id)
    assert commitment.signatures[ASN_DISKOMINFO].additional is True
    assert commitment.signatures[HEAD_DISKOMINFO].additional is False
    assert commitment.signatures[HEAD_DISKOMINFO].opd_code == "DISKOMINFO"
    assert commitment.signatures[HEAD_DISKOMINFO].recorded_by == SECRETARIAT.actor_id
    signed = [e for e in app.events.get(commitment_id) if type(e).__name__ == "Signed"]
    assert [e.additional for e in signed] == [True, False]  # type: ignore[attr-defined]


def test_complete_exactly_when_the_last_required_signs(store: EventStore) -> None:
    app = store.app(CommitmentsApplication)
    commitment_id = create(app)
    sign(app, commitment_id, MAYOR_NIP, signed_at=at(9))
    sign(app, commitment_id, HEAD_DISKOMINFO, signed_at=at(9, 5))
    sign(app, commitment_id, ASN_DISKOMINFO, signed_at=at(9, 10))
    before = app.get_commitment(commitment_id)
    assert not before.is_complete
    assert [r.nip for r in before.missing_signatories()] == [HEAD_BAPPEDA]
    position = sign(app, commitment_id, HEAD_BAPPEDA, signed_at=at(9, 15))
    after = app.get_commitment(commitment_id)
    assert after.is_complete
    assert after.missing_signatories() == []
    assert after.completed_at == at(9, 15)
    assert event_names(app, commitment_id)[-2:] == ["Signed", "Completed"]
    assert position == store.max_position()


def test_completed_is_recorded_once_even_when_more_people_sign(store: EventStore) -> None:
    app = store.app(CommitmentsApplication)
    commitment_id = create(app)
    for nip in (MAYOR_NIP, HEAD_DISKOMINFO, HEAD_BAPPEDA, ASN_DISKOMINFO):
        sign(app, commitment_id, nip)
    assert event_names(app, commitment_id).count("Completed") == 1


def test_signing_needs_a_known_capacity_an_opd_for_heads_and_a_time_zone(
    store: EventStore,
) -> None:
    app = store.app(CommitmentsApplication)
    commitment_id = create(app)
    with pytest.raises(ValidationError):
        sign(app, commitment_id, HEAD_DISKOMINFO, signed_as="king")
    with pytest.raises(ValidationError):
        sign(app, commitment_id, HEAD_DISKOMINFO, signed_as="plt", opd_code=None)
    with pytest.raises(ValidationError):
        sign(app, commitment_id, HEAD_DISKOMINFO, signed_at=datetime(2023, 10, 18, 10))
    assert event_names(app, commitment_id) == ["Created"]


def test_withdrawn_commitment_cannot_be_signed(store: EventStore) -> None:
    app = store.app(CommitmentsApplication)
    commitment_id = create(app)
    app.withdraw(commitment_id, reason="Diganti dengan komitmen baru", by=SECRETARIAT)
    with pytest.raises(CommitmentClosedError):
        sign(app, commitment_id, MAYOR_NIP)
    with pytest.raises(CommitmentClosedError):
        app.renew(commitment_id, new_date=date(2024, 1, 10), by=SECRETARIAT)
    assert app.get_commitment(commitment_id).is_withdrawn
    assert app.get_commitment(commitment_id).signatures == {}


def test_renewal_starts_a_new_round_and_keeps_the_old_signatures(store: EventStore) -> None:
    app = store.app(CommitmentsApplication)
    commitment_id = create(app)
    for nip in (MAYOR_NIP, HEAD_DISKOMINFO, HEAD_BAPPEDA):
        sign(app, commitment_id, nip)
    app.renew(commitment_id, new_date=date(2024, 10, 18), new_text="Komitmen 2024", by=SECRETARIAT)
    renewed = app.get_commitment(commitment_id)
    assert (renewed.round_number, renewed.text, renewed.date) == (
        2,
        "Komitmen 2024",
        date(2024, 10, 18),
    )
    assert not renewed.is_complete
    assert renewed.signatures == {}
    assert len(renewed.missing_signatories()) == 3
    (old,) = renewed.previous_rounds
    assert (old.number, old.date, old.completed_at) == (1, SIGNING_DAY, at(10))
    assert {s.nip for s in old.signatures} == {MAYOR_NIP, HEAD_DISKOMINFO, HEAD_BAPPEDA}
    sign(app, commitment_id, MAYOR_NIP, signed_at=datetime(2024, 10, 18, 9, tzinfo=WIB))
    assert MAYOR_NIP in app.get_commitment(commitment_id).signatures


def test_renewal_keeps_the_text_when_no_new_text_is_given(store: EventStore) -> None:
    app = store.app(CommitmentsApplication)
    commitment_id = create(app)
    original = app.get_commitment(commitment_id).text
    app.renew(commitment_id, new_date=date(2024, 10, 18), by=SECRETARIAT)
    assert app.get_commitment(commitment_id).text == original


def test_missing_signatures_become_overdue_after_the_deadline(store: EventStore) -> None:
    app = store.app(CommitmentsApplication)
    commitment_id = create(app)
    sign(app, commitment_id, MAYOR_NIP)
    commitment = app.get_commitment(commitment_id)
    assert not commitment.is_overdue(date(2023, 10, 31))
    assert commitment.is_overdue(date(2023, 11, 1))
    sign(app, commitment_id, HEAD_DISKOMINFO)
    sign(app, commitment_id, HEAD_BAPPEDA)
    assert not app.get_commitment(commitment_id).is_overdue(date(2023, 11, 1))


def test_signature_time_is_the_effective_time_of_the_event(store: EventStore) -> None:
    app = store.app(CommitmentsApplication)
    commitment_id = create(app)
    sign(app, commitment_id, MAYOR_NIP, signed_at=at(9, 30))
    signed = app.events.get(commitment_id)
    last = list(signed)[-1]
    assert (last.actor, last.effective_at) == (SECRETARIAT.actor_id, at(9, 30))  # type: ignore[attr-defined]
