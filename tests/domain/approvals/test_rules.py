"""The pure approval rules: who may decide a step, and when a step is decided."""

from __future__ import annotations

import random
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.approvals import rules
from domain.approvals.values import ApprovalStatus, Ballot, Decided, Mode, StepSpec, Verdict

OPDS = ("DINKES", "BAPPEDA", "DISKOMINFO", "DISHUB")
PROPERTY = settings(max_examples=200, deadline=None)


def ballot(person: str = "N-1", opd: str = "DINKES", capacity: str = "head") -> Ballot:
    return Ballot("d-" + person, person, opd, capacity, Verdict.APPROVE)


def decided(opd: str, outcome: str, person: str | None = None) -> Decided:
    who = person or "N-" + opd
    return Decided("d-" + who, who, opd, "head", outcome)


def refusal_code(
    step: StepSpec,
    b: Ballot,
    *,
    step_open: bool = True,
    done: tuple[Decided, ...] = (),
    escalated: bool = False,
) -> str | None:
    found = rules.refusal(step, step_open, step.opd_codes, done, "N-SUBMIT", b, escalated)
    return found.code if found else None


NORMAL = StepSpec(0, ("DINKES", "BAPPEDA"))
STRATEGIC = StepSpec(0, ("DINKES", "BAPPEDA"), strategic=True)
BUDGET = StepSpec(0, ("DINKES", "BAPPEDA"), budget=True)


def test_closed_step_refuses_before_anything_else() -> None:
    assert refusal_code(NORMAL, ballot(opd="NOWHERE"), step_open=False) == "step-closed"


def test_opd_not_assigned_to_the_step_is_refused() -> None:
    assert refusal_code(NORMAL, ballot(opd="DISHUB")) == "wrong-opd"


def test_staff_cannot_decide_for_a_head() -> None:
    assert refusal_code(NORMAL, ballot(capacity="staff")) == "not-head"


def test_sekda_decides_only_once_the_step_is_escalated() -> None:
    assert refusal_code(NORMAL, ballot(capacity="sekda")) == "not-head"
    assert refusal_code(NORMAL, ballot(capacity="sekda"), escalated=True) is None
    assert refusal_code(NORMAL, ballot(capacity="mayor"), escalated=True) is None


@pytest.mark.parametrize("capacity", ["plt", "plh"])
def test_acting_head_cannot_decide_strategic_or_budget_step(capacity: str) -> None:
    assert refusal_code(STRATEGIC, ballot(capacity=capacity)) == "acting-restricted"
    assert refusal_code(BUDGET, ballot(capacity=capacity)) == "acting-restricted"
    assert refusal_code(NORMAL, ballot(capacity=capacity)) is None


def test_submitter_cannot_decide_own_request() -> None:
    assert refusal_code(NORMAL, ballot(person="N-SUBMIT")) == "four-eyes"


def test_same_person_or_same_opd_cannot_decide_twice() -> None:
    earlier = (decided("DINKES", Verdict.APPROVE, person="N-1"),)
    by_person = rules.refusal(
        NORMAL, True, NORMAL.opd_codes, earlier, "N-SUBMIT", ballot("N-1", "BAPPEDA")
    )
    by_opd = rules.refusal(NORMAL, True, NORMAL.opd_codes, earlier, "N-SUBMIT", ballot("N-2"))
    assert by_person is not None
    assert by_person.code == "already-decided"
    assert "person" in by_person.message
    assert by_opd is not None
    assert by_opd.code == "already-decided"
    assert "DINKES" in by_opd.message


def test_repeated_decision_id_is_a_replay() -> None:
    earlier = (decided("DINKES", Verdict.APPROVE),)
    assert rules.is_replay(earlier, "d-N-DINKES")
    assert not rules.is_replay(earlier, "d-other")


@pytest.mark.parametrize(
    "step",
    [
        StepSpec(0, ()),
        StepSpec(0, ("A", "A")),
        StepSpec(0, ("A",), mode="most"),
        StepSpec(0, ("A", "B"), mode="quorum", quorum=3),
        StepSpec(0, ("A", "B"), mode="quorum", quorum=0),
        StepSpec(0, ("A", "B"), mode="quorum"),
        StepSpec(0, ("A",), sla_working_days=0),
        StepSpec(1, ("A",)),
    ],
)
def test_unsound_route_is_refused(step: StepSpec) -> None:
    found = rules.route_refusal([step])
    assert found is not None
    assert found.code == "invalid-route"


def test_sound_and_empty_routes() -> None:
    assert rules.route_refusal([NORMAL, StepSpec(1, ("A", "B"), "quorum", 2)]) is None
    assert rules.route_refusal([]) is not None


def test_step_spec_survives_storage_as_a_dict() -> None:
    spec = StepSpec(2, ("A", "B", "C"), "quorum", 2, 5, strategic=True)
    assert StepSpec.from_dict(spec.as_dict()) == spec


def test_return_ends_the_step_at_once() -> None:
    assert rules.outcome(NORMAL, (decided("DINKES", Verdict.RETURN),)) == ApprovalStatus.RETURNED


# Property tests: each OPD decides at most once (the refusal rules guarantee it).


@st.composite
def step_and_decisions(draw: st.DrawFn) -> tuple[StepSpec, list[Decided]]:
    n = draw(st.integers(1, len(OPDS)))
    opds = OPDS[:n]
    mode = draw(st.sampled_from(sorted(set(Mode))))
    quorum = draw(st.integers(1, n)) if mode == Mode.QUORUM else None
    step = StepSpec(0, opds, mode, quorum)
    who = draw(st.lists(st.sampled_from(opds), unique=True))
    outcomes = st.sampled_from([Verdict.APPROVE, Verdict.REJECT])
    return step, [decided(o, draw(outcomes)) for o in who]


@PROPERTY
@given(step_and_decisions())
def test_outcome_is_never_both_approved_and_rejected(case: tuple[StepSpec, list[Decided]]) -> None:
    step, done = case
    approvals = sum(d.outcome == Verdict.APPROVE for d in done)
    rejections = len(done) - approvals
    reached = approvals >= step.needed
    lost = len(step.opd_codes) - rejections < step.needed
    assert not (reached and lost)
    expected = ApprovalStatus.APPROVED if reached else ApprovalStatus.REJECTED if lost else None
    assert rules.outcome(step, done) == expected


@pytest.mark.parametrize(("mode", "approves"), [(Mode.ALL, all), (Mode.ANY, any)])
@PROPERTY
@given(votes=st.lists(st.booleans(), min_size=1, max_size=len(OPDS)))
def test_all_of_needs_every_opd_and_any_of_one(
    mode: Mode, approves: Callable[[list[bool]], bool], votes: list[bool]
) -> None:
    step = StepSpec(0, OPDS[: len(votes)], mode)
    done = [
        decided(o, Verdict.APPROVE if v else Verdict.REJECT)
        for o, v in zip(step.opd_codes, votes, strict=True)
    ]
    assert (rules.outcome(step, done) == ApprovalStatus.APPROVED) == approves(votes)


@PROPERTY
@given(step_and_decisions(), st.data())
def test_quorum_outcome_is_monotonic(
    case: tuple[StepSpec, list[Decided]], data: st.DataObject
) -> None:
    step, done = case
    step = StepSpec(0, step.opd_codes, Mode.QUORUM, step.quorum or 1)
    first = rules.outcome(step, done)
    rest = [o for o in step.opd_codes if all(d.opd_code != o for d in done)]
    more = [decided(o, data.draw(st.sampled_from([Verdict.APPROVE, Verdict.REJECT]))) for o in rest]
    later = rules.outcome(step, done + more)
    if first is not None:
        assert later == first
    else:
        assert later is not None


@PROPERTY
@given(step_and_decisions(), st.randoms())
def test_outcome_does_not_depend_on_order(
    case: tuple[StepSpec, list[Decided]], rnd: random.Random
) -> None:
    step, done = case
    shuffled = list(done)
    rnd.shuffle(shuffled)
    assert rules.outcome(step, shuffled) == rules.outcome(step, done)


def test_a_step_whose_only_head_submitted_is_deadlocked() -> None:
    step = StepSpec(1, ("DISKOMINFO",))
    holders = {"DISKOMINFO": [rules.Holder("N-SUB", "head")]}
    reason = rules.deadlock_reason(step, ("DISKOMINFO",), holders, "N-SUB")
    assert reason is not None
    assert "DISKOMINFO" in reason
    assert "submitted" in reason


def test_an_acting_head_alone_deadlocks_a_strategic_step_but_not_an_ordinary_one() -> None:
    holders = {"DISKOMINFO": [rules.Holder("N-PLT", "plt")]}
    strategic = StepSpec(0, ("DISKOMINFO",), strategic=True)
    ordinary = StepSpec(0, ("DISKOMINFO",))
    reason = rules.deadlock_reason(strategic, ("DISKOMINFO",), holders, "N-SUB")
    assert reason is not None
    assert "Plt." in reason
    assert rules.deadlock_reason(ordinary, ("DISKOMINFO",), holders, "N-SUB") is None


def test_a_plh_beside_a_head_who_submitted_cannot_unlock_a_budget_step() -> None:
    holders = {"BAPPEDA": [rules.Holder("N-SUB", "head"), rules.Holder("N-PLH", "plh")]}
    step = StepSpec(0, ("BAPPEDA",), budget=True)
    assert rules.deadlock_reason(step, ("BAPPEDA",), holders, "N-SUB") is not None
    assert rules.deadlock_reason(StepSpec(0, ("BAPPEDA",)), ("BAPPEDA",), holders, "N-SUB") is None


def test_a_vacant_post_deadlocks_an_all_step_but_not_an_any_step() -> None:
    holders = {"BAPPEDA": [], "BPKPD": [rules.Holder("N-B", "head")]}
    both = ("BAPPEDA", "BPKPD")
    reason = rules.deadlock_reason(StepSpec(0, both), both, holders, "N-SUB")
    assert reason is not None
    assert "BAPPEDA has no head" in reason
    assert rules.deadlock_reason(StepSpec(0, both, Mode.ANY), both, holders, "N-SUB") is None


def test_an_opd_nobody_knows_about_is_not_called_deadlocked() -> None:
    assert rules.deadlock_reason(StepSpec(0, ("DINKES",)), ("DINKES",), {}, "N-SUB") is None


def test_the_sekda_may_decide_only_once_the_step_is_escalated() -> None:
    step = StepSpec(1, ("DISKOMINFO",), strategic=True)
    sekda = Ballot("d-s", "N-SEKDA", "DISKOMINFO", "sekda", Verdict.APPROVE)
    before = rules.person_refusal(step, sekda, "N-SUB", escalated=False)
    assert before is not None
    assert before.code == "not-head"
    assert rules.person_refusal(step, sekda, "N-SUB", escalated=True) is None
