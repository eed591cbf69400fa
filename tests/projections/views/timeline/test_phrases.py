"""The timeline in plain words: offices, titles and stages named from earlier events."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from domain.approvals.application import ApprovalsApplication
from domain.approvals.values import Ballot, Mode, StepSpec
from domain.bimtek import BimtekApplication
from domain.calendar import JAKARTA, end_of_day
from domain.commitments import CommitmentsApplication, RequiredSignatory
from domain.organisation import OrganisationApplication
from domain.shared import Actor
from infra.store import EventStore
from projections.engine import operations
from projections.engine.runner import ProjectionRunner
from projections.views.timeline.view import TimelineView, recent
from projections.views.timeline.wording import head_of

STAFF = Actor("199001012015011001", "staff", datetime(2023, 10, 1, 9, tzinfo=UTC))
DINKES_HEAD = "197306121998042002"
DISHUB_PLT = "197004061997102004"
MAYOR = RequiredSignatory("WALIKOTA", None, "Wali Kota")


#: The view the ``runner`` fixture runs.
VIEWS = [TimelineView()]


def sentences(runner: ProjectionRunner) -> list[str]:
    """Every sentence of the timeline, oldest first, after catching up."""
    runner.catch_up()
    return [e.sentence for e in reversed(recent(runner.viewstore, limit=500))]


def organisation(store: EventStore) -> None:
    """Dinas Kesehatan with its head, and Dinas Perhubungan with a Plt."""
    org = store.app(OrganisationApplication)
    org.register_opd("DINKES", "Dinas Kesehatan", "dinas", "Kepala Dinas", by=STAFF)
    org.register_opd("DISHUB", "Dinas Perhubungan", "dinas", "Kepala Dinas", by=STAFF)
    org.register_person(DINKES_HEAD, "dr. Sari Contoh", by=STAFF)
    org.register_person(DISHUB_PLT, "Rina Fiktif", by=STAFF)
    org.appoint_head("DINKES", DINKES_HEAD, date(2020, 8, 8), "SK-1", by=STAFF)
    org.appoint_acting("DISHUB", "plt", DISHUB_PLT, "SK-2", date(2023, 1, 2), by=STAFF)


def test_decisions_name_the_office_and_the_subject(
    durable_store: EventStore, runner: ProjectionRunner
) -> None:
    organisation(durable_store)
    approvals = durable_store.app(ApprovalsApplication)
    route = [StepSpec(0, ("DINKES", "DISHUB"), Mode.ALL, None, 5)]
    request_id, _ = approvals.request_approval(
        "milestone-report", "MS-7", "Puskesmas online", "DINKES", STAFF.actor_id, route, STAFF
    )
    approvals.open_step(request_id, 0, end_of_day(date(2023, 10, 23)))
    head = Actor(DINKES_HEAD, "head")
    approvals.decide(request_id, Ballot("d1", DINKES_HEAD, "DINKES", "head", "approve"), "", head)
    plt = Actor(DISHUB_PLT, "plt")
    ballot = Ballot("d2", DISHUB_PLT, "DISHUB", "plt", "return")
    approvals.decide(request_id, ballot, "Add the budget", plt)
    said = sentences(runner)
    assert "dr. Sari Contoh was appointed Kepala Dinas Kesehatan from 8 Aug 2020" in said
    assert "Rina Fiktif was appointed Plt. Kepala Dinas Perhubungan from 2 Jan 2023" in said
    assert 'Dinas Kesehatan sent the milestone report "Puskesmas online" for approval' in said
    assert 'Step 1 of the milestone report "Puskesmas online" is open, due 23 Oct 2023' in said
    assert (
        'Kepala Dinas Kesehatan approved the milestone report "Puskesmas online" (step 1)' in said
    )
    assert (
        "Plt. Kepala Dinas Perhubungan returned for revision the milestone report "
        '"Puskesmas online" (step 1): "Add the budget"'
    ) in said
    assert said[-1] == 'The milestone report "Puskesmas online" was returned for revision'


def test_signatures_and_attendance_read_in_plain_words(
    durable_store: EventStore, runner: ProjectionRunner
) -> None:
    organisation(durable_store)
    commitments = durable_store.app(CommitmentsApplication)
    commitment_id, _ = commitments.create_commitment(
        city_code="SIANTAR", slug="kota-cerdas", title="Komitmen Kota Cerdas", text="...",
        legal_basis="Perpres 95/2018", place="Aula Bappeda", date=date(2023, 10, 18),
        required=[MAYOR], by=STAFF,
    )  # fmt: skip
    commitments.sign(
        commitment_id, nip="WALIKOTA", name="dr. Susanti Dewayani, Sp.A", signed_as="mayor",
        opd_code=None, media=["sheet", "banner"],
        signed_at=datetime(2023, 10, 18, 10, tzinfo=JAKARTA), by=STAFF,
    )  # fmt: skip
    bimtek = durable_store.app(BimtekApplication)
    session_id, _ = bimtek.create_session(
        city_code="SIANTAR", stage_number=3, title="Tahap 3", start_date=date(2023, 9, 13),
        end_date=date(2023, 9, 24), venue="Bappeda", organiser_opd="DISKOMINFO",
        invited_opds=["DINKES", "DISHUB"], by=STAFF,
    )  # fmt: skip
    bimtek.record_attendance(session_id, opd_code="DINKES", present=True, asn_count=5, by=STAFF)
    bimtek.record_attendance(session_id, opd_code="DISHUB", present=False, asn_count=0, by=STAFF)
    said = sentences(runner)
    assert (
        'Wali Kota dr. Susanti Dewayani, Sp.A signed the commitment "Komitmen Kota Cerdas" '
        "on the sheet and the banner, on 18 Oct 2023"
    ) in said
    assert 'Every required signatory has signed the commitment "Komitmen Kota Cerdas"' in said
    assert "Dinas Kesehatan attended bimtek stage 3 with 5 ASN" in said
    assert said[-1] == "Dinas Perhubungan was absent from bimtek stage 3"


def test_a_rebuilt_timeline_says_the_same_sentences(
    durable_store: EventStore, runner: ProjectionRunner
) -> None:
    organisation(durable_store)
    before = sentences(runner)
    runner.rebuilder.rebuild(TimelineView())
    assert sentences(runner) == before
    assert operations.checksum(runner.viewstore, TimelineView())


class KnownNames:
    """Names given in a dict."""

    def __init__(self, known: dict[tuple[str, str], str]) -> None:
        self.known = known

    def get(self, kind: str, key: str) -> str | None:
        """The name, if given."""
        return self.known.get((kind, key))


@pytest.mark.parametrize(
    ("name", "title", "expected"),
    [
        ("Kecamatan Siantar Barat", "Camat", "Camat Siantar Barat"),
        ("Sekretariat Daerah", "Sekretaris Daerah", "Sekretaris Daerah"),
        ("RSUD Djasamen Saragih", "Direktur", "Direktur RSUD Djasamen Saragih"),
        (
            "Badan Perencanaan Pembangunan Daerah",
            "Kepala Badan",
            "Kepala Badan Perencanaan Pembangunan Daerah",
        ),
    ],
)
def test_head_titles_read_as_the_city_writes_them(name: str, title: str, expected: str) -> None:
    names = KnownNames({("opd", "X"): name, ("opd-head", "X"): title})
    assert head_of(names, "X") == expected
    assert head_of(KnownNames({}), "X") == "the head of X"
