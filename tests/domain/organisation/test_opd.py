"""Organisation: OPDs, NIPs, one head at a time, Plt./Plh. only within their decree's period."""

from __future__ import annotations

from datetime import date

import pytest

from domain.organisation import (
    ActingOverlapError,
    HeadAppointmentError,
    InvalidNipError,
    InvalidOpdError,
    InvalidPeriodError,
    OrganisationApplication,
    UnknownActingError,
    UnknownOpdError,
    UnknownPersonError,
    may_decide_restricted,
    normalise_nip,
)
from domain.shared import Actor, AlreadyExistsError, Capacity
from infra.store import EventStore

SECRETARIAT = Actor("197505052000031002", Capacity.STAFF)
ANDI = "198001012005011001"
BUDI = "198203152008021003"
CITRA = "199012312015032001"
DEWI = "198506302010122002"


@pytest.fixture
def org(store: EventStore) -> OrganisationApplication:
    """An organisation with Diskominfo, Bappeda and four civil servants."""
    app = store.app(OrganisationApplication)
    app.register_opd("diskominfo", "Dinas Kominfo", "dinas", "Kepala Dinas", by=SECRETARIAT)
    app.register_opd("BAPPEDA", "Bappeda", "badan", "Kepala Badan", by=SECRETARIAT)
    for nip, name in [(ANDI, "Andi"), (BUDI, "Budi"), (CITRA, "Citra"), (DEWI, "Dewi")]:
        app.register_person(nip, name, by=SECRETARIAT)
    return app


def event_names(app: OrganisationApplication, code: str) -> list[str]:
    """The names of the events recorded for an OPD, in order."""
    return [type(e).__name__ for e in app.events.get(app.get_opd(code).id)]


@pytest.mark.parametrize(
    "nip", [ANDI, "19800101 200501 1 001", "196002292000122999", "200001012019091001"]
)
def test_valid_nip_is_accepted_without_spaces(nip: str) -> None:
    assert normalise_nip(nip) == nip.replace(" ", "")


@pytest.mark.parametrize(
    "nip",
    [
        "19800101200501100",  # 17 digits
        "1980010120050110011",  # 19 digits
        "19800101200501100A",  # a letter
        "198013012005011001",  # month 13 of birth
        "198102292005011001",  # 29 Feb in a common year
        "198001012005131001",  # appointment month 13
        "198001012005001001",  # appointment month 00
        "198001012005013001",  # gender digit 3
        "198001011979011001",  # appointed before birth
    ],
)
def test_invalid_nip_is_refused(nip: str) -> None:
    with pytest.raises(InvalidNipError) as refused:
        normalise_nip(nip)
    assert refused.value.code == "invalid-nip"


def test_person_with_invalid_nip_cannot_be_registered(store: EventStore) -> None:
    app = store.app(OrganisationApplication)
    with pytest.raises(InvalidNipError):
        app.register_person("198001012005013001", "Andi", by=SECRETARIAT)
    assert store.max_position() == 0


def test_duplicate_opd_registration_collides(org: OrganisationApplication) -> None:
    with pytest.raises(AlreadyExistsError):
        org.register_opd("Diskominfo", "Dinas lain", "dinas", "Kepala Dinas", by=SECRETARIAT)
    assert org.opd_codes() == ["BAPPEDA", "DISKOMINFO"]


def test_duplicate_person_registration_collides(org: OrganisationApplication) -> None:
    with pytest.raises(AlreadyExistsError):
        org.register_person("19800101 200501 1 001", "Andi lagi", by=SECRETARIAT)
    assert org.get_person(ANDI).name == "Andi"


def test_opd_of_unknown_kind_is_refused(org: OrganisationApplication) -> None:
    with pytest.raises(InvalidOpdError):
        org.register_opd("DPRD", "DPRD", "parliament", "Ketua", by=SECRETARIAT)
    assert "DPRD" not in org.opd_codes()


def test_opds_are_listed_with_their_kind_and_head_title(org: OrganisationApplication) -> None:
    assert [(o.code, o.kind, o.head_title) for o in org.opds()] == [
        ("BAPPEDA", "badan", "Kepala Badan"),
        ("DISKOMINFO", "dinas", "Kepala Dinas"),
    ]
    with pytest.raises(UnknownOpdError):
        org.get_opd("DISHUB")


def test_head_is_head_from_the_appointment_date(org: OrganisationApplication) -> None:
    org.appoint_head("DISKOMINFO", ANDI, date(2023, 1, 2), "SK 800/1/2023", by=SECRETARIAT)
    assert org.capacity_of(ANDI, "DISKOMINFO", date(2023, 1, 1)) is None
    assert org.capacity_of(ANDI, "DISKOMINFO", date(2023, 1, 2)) == "head"
    assert org.capacity_of(ANDI, "BAPPEDA", date(2023, 1, 2)) is None
    head = org.head_on("DISKOMINFO", date(2023, 10, 18))
    assert head is not None
    assert head.decree == "SK 800/1/2023"


def test_new_head_ends_previous_head_the_day_before(org: OrganisationApplication) -> None:
    org.appoint_head("DISKOMINFO", ANDI, date(2023, 1, 2), "SK 1", by=SECRETARIAT)
    org.appoint_head("DISKOMINFO", BUDI, date(2023, 7, 1), "SK 2", by=SECRETARIAT)
    assert org.capacity_of(ANDI, "DISKOMINFO", date(2023, 6, 30)) == "head"
    assert org.capacity_of(ANDI, "DISKOMINFO", date(2023, 7, 1)) is None
    assert org.capacity_of(BUDI, "DISKOMINFO", date(2023, 7, 1)) == "head"
    heads = org.get_opd("DISKOMINFO").heads
    assert [(h.nip, h.valid_until) for h in heads] == [(ANDI, date(2023, 6, 30)), (BUDI, None)]


def test_head_appointment_cannot_be_backdated_before_current_term(
    org: OrganisationApplication,
) -> None:
    org.appoint_head("DISKOMINFO", ANDI, date(2023, 7, 1), "SK 1", by=SECRETARIAT)
    with pytest.raises(HeadAppointmentError):
        org.appoint_head("DISKOMINFO", BUDI, date(2023, 7, 1), "SK 2", by=SECRETARIAT)
    with pytest.raises(HeadAppointmentError):
        org.appoint_head("DISKOMINFO", ANDI, date(2023, 8, 1), "SK 3", by=SECRETARIAT)
    assert len(org.get_opd("DISKOMINFO").heads) == 1


def test_unregistered_person_cannot_be_appointed(org: OrganisationApplication) -> None:
    with pytest.raises(UnknownPersonError):
        org.appoint_head("DISKOMINFO", "197001012000011001", date(2023, 1, 2), "SK", by=SECRETARIAT)
    assert org.get_opd("DISKOMINFO").heads == []


def test_plt_capacity_holds_only_within_its_period(org: OrganisationApplication) -> None:
    org.appoint_acting(
        "BAPPEDA", "plt", CITRA, "SK Plt 7", date(2023, 3, 1), date(2023, 5, 31), by=SECRETARIAT
    )
    assert org.capacity_of(CITRA, "BAPPEDA", date(2023, 2, 28)) is None
    assert org.capacity_of(CITRA, "BAPPEDA", date(2023, 3, 1)) == "plt"
    assert org.capacity_of(CITRA, "BAPPEDA", date(2023, 5, 31)) == "plt"
    assert org.capacity_of(CITRA, "BAPPEDA", date(2023, 6, 1)) is None


def test_plh_and_plt_are_told_apart_and_may_overlap(org: OrganisationApplication) -> None:
    org.appoint_acting("BAPPEDA", "plt", CITRA, "SK Plt", date(2023, 3, 1), None, by=SECRETARIAT)
    org.appoint_acting(
        "BAPPEDA", "plh", DEWI, "SK Plh", date(2023, 4, 10), date(2023, 4, 14), by=SECRETARIAT
    )
    day = date(2023, 4, 12)
    assert org.capacity_of(CITRA, "BAPPEDA", day) == "plt"
    assert org.capacity_of(DEWI, "BAPPEDA", day) == "plh"
    assert not may_decide_restricted("plt")
    assert not may_decide_restricted("plh")
    assert may_decide_restricted("head")


def test_overlapping_acting_of_the_same_kind_is_refused(org: OrganisationApplication) -> None:
    org.appoint_acting(
        "BAPPEDA", "plh", CITRA, "SK 1", date(2023, 4, 10), date(2023, 4, 14), by=SECRETARIAT
    )
    with pytest.raises(ActingOverlapError):
        org.appoint_acting(
            "BAPPEDA", "plh", DEWI, "SK 2", date(2023, 4, 14), date(2023, 4, 20), by=SECRETARIAT
        )
    org.appoint_acting("BAPPEDA", "plh", DEWI, "SK 3", date(2023, 4, 15), None, by=SECRETARIAT)
    assert org.capacity_of(DEWI, "BAPPEDA", date(2023, 4, 14)) is None
    assert org.capacity_of(DEWI, "BAPPEDA", date(2023, 4, 15)) == "plh"


def test_acting_period_ending_before_it_starts_is_refused(org: OrganisationApplication) -> None:
    with pytest.raises(InvalidPeriodError):
        org.appoint_acting(
            "BAPPEDA", "plt", CITRA, "SK 1", date(2023, 4, 10), date(2023, 4, 9), by=SECRETARIAT
        )
    with pytest.raises(InvalidOpdError):
        org.appoint_acting(
            "BAPPEDA", "acting", CITRA, "SK 1", date(2023, 4, 10), None, by=SECRETARIAT
        )
    assert org.get_opd("BAPPEDA").acting == {}


def test_new_head_ends_open_acting_periods_in_the_record(org: OrganisationApplication) -> None:
    org.appoint_acting("BAPPEDA", "plt", CITRA, "SK Plt", date(2023, 3, 1), None, by=SECRETARIAT)
    org.appoint_acting(
        "BAPPEDA", "plh", DEWI, "SK Plh", date(2023, 2, 1), date(2023, 2, 3), by=SECRETARIAT
    )
    org.appoint_head("BAPPEDA", BUDI, date(2023, 9, 1), "SK Kepala", by=SECRETARIAT)
    assert event_names(org, "BAPPEDA")[-2:] == ["HeadAppointed", "ActingEnded"]
    ended = list(org.events.get(org.get_opd("BAPPEDA").id))[-1]
    assert (ended.decree, ended.last_day) == ("SK Plt", date(2023, 8, 31))  # type: ignore[attr-defined]
    assert org.capacity_of(CITRA, "BAPPEDA", date(2023, 8, 31)) == "plt"
    assert org.capacity_of(CITRA, "BAPPEDA", date(2023, 9, 1)) is None
    assert org.capacity_of(BUDI, "BAPPEDA", date(2023, 9, 1)) == "head"


def test_acting_can_be_ended_early_but_only_once(org: OrganisationApplication) -> None:
    org.appoint_acting("BAPPEDA", "plt", CITRA, "SK Plt", date(2023, 3, 1), None, by=SECRETARIAT)
    org.end_acting("BAPPEDA", "SK Plt", date(2023, 3, 31), "head returned", by=SECRETARIAT)
    assert org.capacity_of(CITRA, "BAPPEDA", date(2023, 4, 1)) is None
    with pytest.raises(InvalidPeriodError):
        org.end_acting("BAPPEDA", "SK Plt", date(2023, 4, 30), "again", by=SECRETARIAT)
    with pytest.raises(UnknownActingError):
        org.end_acting("BAPPEDA", "SK none", date(2023, 4, 30), "?", by=SECRETARIAT)
    assert event_names(org, "BAPPEDA")[-1] == "ActingEnded"


def test_head_of_one_opd_may_be_plt_of_another(org: OrganisationApplication) -> None:
    org.appoint_head("DISKOMINFO", ANDI, date(2023, 1, 2), "SK 1", by=SECRETARIAT)
    org.appoint_acting("BAPPEDA", "plt", ANDI, "SK Plt", date(2023, 10, 1), None, by=SECRETARIAT)
    assert org.opds_of(ANDI, date(2023, 10, 18)) == [("BAPPEDA", "plt"), ("DISKOMINFO", "head")]
    assert org.opds_of(ANDI, date(2023, 9, 30)) == [("DISKOMINFO", "head")]
    assert org.opds_of(BUDI, date(2023, 10, 18)) == []


def test_offices_of_a_day_follow_an_appointment_saved_by_another_process(
    org: OrganisationApplication,
) -> None:
    """The answer is kept between requests, but never past a change of the log."""
    elsewhere = OrganisationApplication(recorder=org.recorder)  # another API worker
    day = date(2023, 10, 18)
    assert org.opds_of(ANDI, day) == []
    elsewhere.appoint_head("DISKOMINFO", ANDI, date(2023, 1, 2), "SK 1", by=SECRETARIAT)
    assert org.opds_of(ANDI, day) == [("DISKOMINFO", "head")]
    elsewhere.vacate_head("DISKOMINFO", date(2023, 5, 31), "retired", by=SECRETARIAT)
    assert org.opds_of(ANDI, day) == []
    org.opds_of(BUDI, day).append(("BAPPEDA", "head"))  # a caller's change stays its own
    assert org.opds_of(BUDI, day) == []


def test_vacated_post_has_no_head_until_successor(org: OrganisationApplication) -> None:
    org.appoint_head("DISKOMINFO", ANDI, date(2023, 1, 2), "SK 1", by=SECRETARIAT)
    org.vacate_head("DISKOMINFO", date(2023, 5, 31), "retired", by=SECRETARIAT)
    assert org.head_on("DISKOMINFO", date(2023, 6, 1)) is None
    assert org.capacity_of(ANDI, "DISKOMINFO", date(2023, 5, 31)) == "head"
    org.appoint_head("DISKOMINFO", BUDI, date(2023, 8, 1), "SK 2", by=SECRETARIAT)
    assert org.head_on("DISKOMINFO", date(2023, 7, 31)) is None
    assert org.capacity_of(BUDI, "DISKOMINFO", date(2023, 8, 1)) == "head"


def test_every_appointment_returns_the_log_position_and_names_its_actor(
    org: OrganisationApplication, store: EventStore
) -> None:
    position = org.appoint_head("DISKOMINFO", ANDI, date(2023, 1, 2), "SK 1", by=SECRETARIAT)
    assert position == store.max_position()
    last = list(org.events.get(org.get_opd("DISKOMINFO").id))[-1]
    assert (last.actor, last.capacity) == (SECRETARIAT.actor_id, "staff")  # type: ignore[attr-defined]
