"""The reference scenario of Pematang Siantar 2023: what it records, and its past replayed."""

from __future__ import annotations

import uuid
from collections import Counter
from datetime import date, datetime

import pytest

from domain.bimtek import BimtekSession, DeliverableStatus
from domain.commitments import Commitment
from domain.plan import MilestoneStatus, PlanStatus
from domain.shared import Capacity, JejakAggregate, JejakApplication
from infra.scenario import (
    CITY_CODE,
    MAYOR_ID,
    WIB,
    ScenarioAlreadyLoadedError,
    ScenarioApps,
    ScenarioSummary,
    load_reference_scenario,
    personas,
    reference_facts,
)
from infra.store import EventStore

COMMITMENT_SLUG = "komitmen-program-kota-cerdas-2023"
MOU_SLUG = "mou-gerakan-menuju-kota-cerdas-2023"
HEAD_DISPAR = "198201212006011004"
PLT_DISPAR = "198204142008011005"
CAMAT_MARIMBUN = "198101132005011007"
TODAY = date(2026, 11, 27)

Loaded = tuple[ScenarioApps, ScenarioSummary]


@pytest.fixture
def loaded(store: EventStore) -> Loaded:
    """The scenario, loaded into a fresh store (memory, SQLite, PostgreSQL)."""
    apps = ScenarioApps.of(store.app)
    return apps, load_reference_scenario(apps)


def as_of(app: JejakApplication, aggregate_id: uuid.UUID, when: datetime) -> object | None:
    """The aggregate as it stood at ``when``: its events that had happened by then, replayed."""
    happened = [
        event.originator_version
        for event in app.events.get(aggregate_id)
        if isinstance(event, JejakAggregate.Event) and event.effective_at <= when
    ]
    return app.repository.get(aggregate_id, version=max(happened)) if happened else None


def commitment(apps: ScenarioApps, slug: str) -> Commitment:
    """A commitment of the reference city."""
    return apps.commitments.get_commitment(Commitment.create_id(CITY_CODE, slug))


def stage(apps: ScenarioApps, number: int) -> BimtekSession:
    """A bimtek stage of the reference city."""
    return apps.bimtek.get_session(BimtekSession.create_id(CITY_CODE, number))


def test_the_city_has_35_units_of_the_kinds_in_the_news_report(loaded: Loaded) -> None:
    apps, summary = loaded
    kinds = Counter(opd.kind for opd in apps.organisation.opds())
    assert summary.units == 35
    assert kinds == {
        "dinas": 17,
        "badan": 5,
        "kecamatan": 8,
        "inspektorat": 1,
        "sekretariat": 2,
        "satpol-pp": 1,
        "rsud": 1,
    }
    assert apps.organisation.get_opd("RSUD").name == "RSUD dr. Djasamen Saragih"


def test_every_unit_had_a_head_before_2023_and_pariwisata_a_plt(loaded: Loaded) -> None:
    apps, _ = loaded
    for opd in apps.organisation.opds():
        head = opd.head_on(date(2023, 1, 1))
        assert head is not None, opd.code
        assert apps.organisation.get_person(head.nip).name
    assert apps.organisation.capacity_of(PLT_DISPAR, "DISPAR", date(2023, 10, 18)) == "plt"
    assert apps.organisation.capacity_of(PLT_DISPAR, "DISPAR", date(2024, 3, 1)) is None
    assert apps.organisation.get_opd("DISPAR").acting_on(date(2023, 10, 18))[0].decree


def test_four_bimtek_stages_on_the_dates_of_2023(loaded: Loaded) -> None:
    apps, summary = loaded
    dates = [(stage(apps, n).start_date, stage(apps, n).end_date) for n in range(1, 5)]
    assert summary.bimtek_stages == 4
    assert dates == [
        (date(2023, 7, 3), date(2023, 7, 4)),
        (date(2023, 8, 9), date(2023, 8, 10)),
        (date(2023, 9, 13), date(2023, 9, 24)),
        (date(2023, 10, 18), date(2023, 10, 19)),
    ]
    assert all(len(stage(apps, n).invited_opds) == 35 for n in range(1, 5))
    assert all(stage(apps, n).organiser_opd == "DISKOMINFO" for n in range(1, 5))


def test_two_kecamatan_missed_bimtek_stage_3(loaded: Loaded) -> None:
    apps, _ = loaded
    third = stage(apps, 3)
    absent = sorted(code for code, a in third.attendance.items() if not a.present)
    assert absent == ["KEC-SIANTAR-MARIMBUN", "KEC-SIANTAR-SITALASARI"]
    present = [a.asn_count for a in third.attendance.values() if a.present]
    assert len(present) == 33
    assert all(2 <= n <= 5 for n in present)
    assert all(a.present for a in stage(apps, 1).attendance.values())


def test_deliverables_were_on_time_late_or_are_still_owed(loaded: Loaded) -> None:
    apps, _ = loaded
    third = stage(apps, 3).deliverables.values()
    owed = sorted(d.opd_code for d in third if d.status == DeliverableStatus.OWED)
    late = sorted(d.opd_code for d in third if d.late)
    assert owed == ["DISPAR", "KEC-SIANTAR-MARIMBUN", "SETWAN"]
    assert late == ["DISPORA", "DPUPR", "KEC-SIANTAR-SITALASARI"]
    assert len(stage(apps, 3).overdue_deliverables(TODAY)) == 3
    second = stage(apps, 2).deliverables.values()
    assert all(d.status == DeliverableStatus.ACCEPTED for d in second)


def test_the_mou_of_28_february_2023_was_signed_by_the_mayor(loaded: Loaded) -> None:
    apps, _ = loaded
    mou = commitment(apps, MOU_SLUG)
    assert mou.date == date(2023, 2, 28)
    assert "95 Tahun 2018" in mou.legal_basis
    assert mou.is_complete
    assert mou.signatures[MAYOR_ID].signed_as == Capacity.MAYOR


def test_the_commitment_shows_who_has_not_signed(loaded: Loaded) -> None:
    apps, _ = loaded
    signed = commitment(apps, COMMITMENT_SLUG)
    assert len(signed.required) == 36
    assert [r.nip for r in signed.missing_signatories()] == [HEAD_DISPAR]
    assert not signed.is_complete
    assert signed.is_overdue(date(2023, 11, 1))
    plt = signed.signatures[PLT_DISPAR]
    assert plt.additional
    assert plt.signed_as == Capacity.PLT
    assert plt.opd_code == "DISPAR"
    mayor = signed.signatures[MAYOR_ID]
    assert mayor.signed_at == datetime(2023, 10, 18, 9, 30, tzinfo=WIB)
    assert mayor.media == ("sheet", "banner")


def test_the_commitment_as_it_stood_during_18_october(loaded: Loaded) -> None:
    apps, _ = loaded
    commitment_id = Commitment.create_id(CITY_CODE, COMMITMENT_SLUG)
    morning = as_of(apps.commitments, commitment_id, datetime(2023, 10, 18, 9, 0, tzinfo=WIB))
    evening = as_of(apps.commitments, commitment_id, datetime(2023, 10, 18, 23, 59, tzinfo=WIB))
    assert isinstance(morning, Commitment)
    assert isinstance(evening, Commitment)
    assert morning.signatures == {}
    assert len(evening.signatures) == 35
    missing = sorted(r.nip for r in evening.missing_signatories())
    assert missing == sorted([HEAD_DISPAR, CAMAT_MARIMBUN])
    first_version: object = apps.commitments.repository.get(commitment_id, version=1)
    assert isinstance(first_version, Commitment)
    assert first_version.signatures == {}


def test_the_master_plan_has_six_aspects_programs_and_quick_wins(loaded: Loaded) -> None:
    apps, summary = loaded
    plan = apps.plan.get_plan(summary.plan_id)
    assert plan.status == PlanStatus.APPROVED
    assert plan.baseline_version == 1
    assert (plan.start_year, plan.end_year, plan.vision) == (
        2024,
        2033,
        "Sehat, Sejahtera, Berkualitas",
    )
    programs = apps.plan.programs_of(summary.plan_id)
    assert len(plan.aspects) == 6
    for aspect in plan.aspect_ids:
        mine = [p for p in programs if p.aspect == aspect]
        quick_wins = [p for p in mine if p.quick_win]
        assert len(mine) >= 2, aspect
        assert 1 <= len(quick_wins) <= 2, aspect


def test_milestones_are_done_in_progress_submitted_and_late(loaded: Loaded) -> None:
    apps, summary = loaded
    milestones = [
        m for p in apps.plan.programs_of(summary.plan_id) for m in apps.plan.milestones_of(p.id)
    ]
    states = Counter(m.status for m in milestones)
    assert states[MilestoneStatus.DONE] >= 5
    assert states[MilestoneStatus.SUBMITTED] >= 3
    assert states[MilestoneStatus.IN_PROGRESS] >= 3
    assert states[MilestoneStatus.RETURNED] == 1
    assert states[MilestoneStatus.PLANNED] >= 3
    late = [m for m in milestones if m.due_date < TODAY and m.status != MilestoneStatus.DONE]
    assert {m.status for m in late} >= {MilestoneStatus.PLANNED, MilestoneStatus.IN_PROGRESS}
    assert min(m.due_date for m in milestones) >= date(2024, 1, 1)


def test_the_personas_lead_their_opds_and_reports_wait_for_review(loaded: Loaded) -> None:
    apps, summary = loaded
    organisation = apps.organisation
    assert organisation.capacity_of(personas.OPD_HEAD, personas.OPD_HEAD_OPD, TODAY) == "head"
    assert organisation.capacity_of(personas.LEADERSHIP, "SETDA", TODAY) == "head"
    assert organisation.capacity_of(personas.INSPECTORATE, "INSPEKTORAT", TODAY) == "head"
    submitted = [
        p
        for p in apps.plan.programs_of(summary.plan_id)
        for m in apps.plan.milestones_of(p.id)
        if m.status == MilestoneStatus.SUBMITTED
    ]
    assert submitted
    assert all(personas.OPD_HEAD_OPD in p.supporting_opds for p in submitted)


def test_loading_into_a_store_in_use_is_refused(loaded: Loaded) -> None:
    apps, _ = loaded
    with pytest.raises(ScenarioAlreadyLoadedError):
        load_reference_scenario(apps)


def test_the_facts_file_names_the_city_and_people_the_code_exports() -> None:
    facts = reference_facts()
    assert facts["city"]["code"] == CITY_CODE
    assert facts["mayor"]["id"] == MAYOR_ID == personas.MAYOR
    assert facts["recorder"] == personas.ADMIN
    heads = {u["code"]: u["head"]["nip"] for u in facts["units"]}
    assert heads[personas.OPD_HEAD_OPD] == personas.OPD_HEAD
    assert heads[personas.LEADERSHIP_OPD] == personas.LEADERSHIP
    assert heads[personas.INSPECTORATE_OPD] == personas.INSPECTORATE
