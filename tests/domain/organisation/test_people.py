"""People and appointments: ranks, the directory by NIP and OPD, rotations day by day."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest

from domain.organisation import (
    AppointmentEndedError,
    InvalidRankError,
    OrganisationApplication,
    Person,
    UnknownAppointmentError,
)
from domain.shared import Actor
from infra.store import EventStore

SECRETARIAT = Actor("197505052000031002")
OLD, NEW, PLT = "196602201991042009", "197803032002121004", "198001012005011001"
ROTATION = date(2024, 7, 1)


@pytest.fixture
def org(store: EventStore) -> OrganisationApplication:
    """DISKOMINFO headed by OLD since 2021, with NEW and PLT registered."""
    app = store.app(OrganisationApplication)
    app.register_opd("DISKOMINFO", "Dinas Kominfo", "dinas", "Kepala Dinas", by=SECRETARIAT)
    for nip, golongan in ((OLD, "IV/c"), (NEW, "IV/b"), (PLT, "III/d")):
        app.register_person(nip, f"ASN {nip[-3:]}", golongan, by=SECRETARIAT)
    app.appoint("DISKOMINFO", "head", OLD, "SK/2021/1", date(2021, 1, 4), by=SECRETARIAT)
    return app


def test_a_golongan_alone_gets_its_pangkat_and_a_wrong_pangkat_is_refused() -> None:
    person = Person.register(NEW, "Rudi", "iv/b", **SECRETARIAT.attribution())
    assert (person.golongan, person.rank) == ("IV/b", "Pembina Tingkat I")
    with pytest.raises(InvalidRankError, match="Pembina Tingkat I"):
        Person.register(NEW, "Rudi", "IV/b", "Penata", **SECRETARIAT.attribution())
    with pytest.raises(InvalidRankError, match="I/a to IV/e"):
        Person.register(NEW, "Rudi", "III/e", **SECRETARIAT.attribution())


def test_people_are_listed_by_nip_and_by_the_opd_they_lead(org: OrganisationApplication) -> None:
    assert [p.nip for p in org.people()] == sorted([OLD, NEW, PLT])
    assert [p.nip for p in org.people(after=OLD, limit=1)] == [NEW]
    assert [p.nip for p in org.people("diskominfo")] == [OLD]


def test_a_new_head_takes_the_office_on_the_first_day_of_the_decree(
    org: OrganisationApplication,
) -> None:
    org.appoint("DISKOMINFO", "head", NEW, "SK/2024/9", ROTATION, None, date(2024, 6, 20),
                by=SECRETARIAT)  # fmt: skip
    day_before = ROTATION - timedelta(days=1)
    assert org.opds_of(OLD, day_before) == [("DISKOMINFO", "head")]
    assert org.opds_of(NEW, day_before) == []
    assert org.opds_of(OLD, ROTATION) == []
    assert org.opds_of(NEW, ROTATION) == [("DISKOMINFO", "head")]
    ((_, held),) = org.people_and_appointments(nip=NEW)
    assert [(a.kind, a.decree_date, a.last_day) for a in held] == [
        ("head", date(2024, 6, 20), None)
    ]


def test_a_head_appointed_for_a_period_leaves_the_post_vacant_after_it(
    org: OrganisationApplication,
) -> None:
    org.appoint("DISKOMINFO", "head", NEW, "SK/2024/9", ROTATION, date(2024, 12, 31),
                by=SECRETARIAT)  # fmt: skip
    assert org.head_on("DISKOMINFO", date(2024, 12, 31)).nip == NEW  # type: ignore[union-attr]
    assert org.head_on("DISKOMINFO", date(2025, 1, 1)) is None


def test_an_acting_appointment_ends_early_by_its_id(org: OrganisationApplication) -> None:
    appointment, _ = org.appoint(
        "DISKOMINFO", "plh", PLT, "SK/PLH/3", date(2024, 3, 4), date(2024, 3, 29), by=SECRETARIAT
    )
    org.end_appointment(appointment, date(2024, 3, 15), "Kepala kembali bertugas", by=SECRETARIAT)
    assert org.capacity_of(PLT, "DISKOMINFO", date(2024, 3, 15)) == "plh"
    assert org.capacity_of(PLT, "DISKOMINFO", date(2024, 3, 18)) is None
    with pytest.raises(UnknownAppointmentError):
        org.end_appointment(uuid.UUID(int=0), date(2024, 3, 15), "x", by=SECRETARIAT)


def test_a_head_term_closed_by_a_successor_cannot_be_ended(org: OrganisationApplication) -> None:
    ((_, (first,)),) = org.people_and_appointments(nip=OLD)
    org.appoint("DISKOMINFO", "head", NEW, "SK/2024/9", ROTATION, by=SECRETARIAT)
    with pytest.raises(AppointmentEndedError, match="successor"):
        org.end_appointment(first.id, ROTATION, "Pensiun", by=SECRETARIAT)


def test_a_person_stored_before_ranks_existed_reads_with_no_rank() -> None:
    app = OrganisationApplication()
    (created,) = Person.register(NEW, "Rudi", **SECRETARIAT.attribution()).collect_events()
    stored = app.mapper.to_stored_event(created)
    state = app.mapper.transcoder.decode(stored.state)
    del state["golongan"], state["rank"]
    old = type(stored)(
        originator_id=stored.originator_id,
        originator_version=stored.originator_version,
        topic=stored.topic,
        state=app.mapper.transcoder.encode(state),
    )
    person = app.mapper.to_domain_event(old).mutate(None)
    assert isinstance(person, Person)
    assert (person.nip, person.golongan, person.rank) == (NEW, "", "")
