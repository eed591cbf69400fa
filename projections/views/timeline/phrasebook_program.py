"""The timeline's sentences for the program's events: commitments and bimtek stages."""

from __future__ import annotations

from collections.abc import Iterable

from domain.values import PartRef
from projections.engine.aggregates import BimtekSession, Commitment
from projections.engine.view import Recorded
from projections.views.timeline.phrases import Names, learns, named_phrase, templated
from projections.views.timeline.wording import capitalised, day, listing, office, opd_name, quoted

Learned = Iterable[tuple[str, str, str]]


def _id(recorded: Recorded) -> str:
    return str(recorded.event.originator_id)


def _deliverable(recorded: Recorded) -> str:
    """The deliverable's id: the part of its stage (``"<stage id>/<deliverable id>"``)."""
    return str(PartRef(recorded.event.originator_id, recorded.event.deliverable_id))


@learns(Commitment.Created)
def _commitment_name(recorded: Recorded) -> Learned:
    return [("commitment", _id(recorded), recorded.event.title)]


@learns(BimtekSession.Created)
def _stage_name(recorded: Recorded) -> Learned:
    return [("bimtek", _id(recorded), str(recorded.event.stage_number))]


@learns(BimtekSession.DeliverableAssigned)
def _deliverable_names(recorded: Recorded) -> Learned:
    key = _deliverable(recorded)
    return [
        ("deliverable", key, recorded.event.title),
        ("deliverable-opd", key, recorded.event.opd_code),
    ]


def commitment(names: Names, recorded: Recorded) -> str:
    """``the commitment "Komitmen ..."``."""
    return f"the commitment {quoted(names.get('commitment', _id(recorded)), _id(recorded)[:8])}"


def stage(names: Names, recorded: Recorded) -> str:
    """``bimtek stage 3``."""
    return f"bimtek stage {names.get('bimtek', _id(recorded)) or _id(recorded)[:8]}"


def deliverable(names: Names, recorded: Recorded) -> tuple[str, str]:
    """Which OPD owes the deliverable, and the deliverable in quotes."""
    key = _deliverable(recorded)
    owner = opd_name(names, names.get("deliverable-opd", key))
    return owner, quoted(names.get("deliverable", key), recorded.event.deliverable_id)


@named_phrase(Commitment.Created)
def commitment_created(recorded: Recorded, names: Names) -> str:
    """``The commitment "X" was drawn up for signing on 18 Oct 2023 at Bappeda``."""
    e = recorded.event
    return f'The commitment "{e.title}" was drawn up for signing on {day(e.date)} at {e.place}'


@named_phrase(Commitment.Signed)
def commitment_signed(recorded: Recorded, names: Names) -> str:
    """``Wali Kota dr. Susanti signed the commitment "X" on the sheet and the banner``."""
    e = recorded.event
    who = e.name if e.signed_as == "staff" else f"{office(names, e.opd_code, e.signed_as)} {e.name}"
    media = listing([f"the {m}" for m in e.media])
    return f"{who} signed {commitment(names, recorded)} on {media}, on {day(e.signed_at)}"


@named_phrase(BimtekSession.Created)
def stage_planned(recorded: Recorded, names: Names) -> str:
    """``Bimtek stage 1 "X" was planned for 3 Jul 2023 to 4 Jul 2023 at ..., 35 OPDs invited``."""
    e = recorded.event
    when = (
        day(e.start_date)
        if e.start_date == e.end_date
        else f"{day(e.start_date)} to {day(e.end_date)}"
    )
    invited = f"{len(e.invited_opds)} OPDs invited"
    return (
        f'Bimtek stage {e.stage_number} "{e.title}" was planned for {when} at {e.venue}, {invited}'
    )


@named_phrase(BimtekSession.AttendanceRecorded)
def attendance_recorded(recorded: Recorded, names: Names) -> str:
    """``Dinas Kesehatan attended bimtek stage 3 with 5 ASN`` or ``... was absent from ...``."""
    e = recorded.event
    who = opd_name(names, e.opd_code)
    if not e.present:
        return f"{who} was absent from {stage(names, recorded)}"
    return f"{who} attended {stage(names, recorded)} with {e.asn_count} ASN"


@named_phrase(BimtekSession.DeliverableAssigned)
def deliverable_assigned(recorded: Recorded, names: Names) -> str:
    """``Dinas Kesehatan owes "X" after bimtek stage 1, due 14 Jul 2023``."""
    e = recorded.event
    owes = f'owes "{e.title}" after {stage(names, recorded)}, due {day(e.due_date)}'
    return f"{opd_name(names, e.opd_code)} {owes}"


def _commitment_words(recorded: Recorded, names: Names) -> dict[str, str]:
    """The commitment; who signed on another medium, the day of a renewal."""
    e, about = recorded.event, commitment(names, recorded)
    words = {"commitment": about, "Commitment": capitalised(about)}
    if hasattr(e, "medium"):
        words["who"] = names.get("person", e.nip) or e.nip
    if hasattr(e, "new_date"):
        words["new_day"] = day(e.new_date)
    return words


def _deliverable_words(recorded: Recorded, names: Names) -> dict[str, str]:
    """The OPD that owes the deliverable, the deliverable in quotes, and its days."""
    e = recorded.event
    owner, what = deliverable(names, recorded)
    words = {"owner": owner, "what": what, "late": " late" if getattr(e, "late", False) else ""}
    if hasattr(e, "submitted_at"):
        words["submitted_day"] = day(e.submitted_at)
    if hasattr(e, "due_date"):
        words["due_day"] = day(e.due_date)
    return words


templated(
    _commitment_words,
    {
        Commitment.MediumAdded: "{who} also signed {commitment} on the {medium}",
        Commitment.Completed: "Every required signatory has signed {commitment}",
        Commitment.Withdrawn: "{Commitment} was withdrawn: {reason}",
        Commitment.Renewed: "{Commitment} was renewed: signing round {round_number} on {new_day}",
    },
)
templated(
    _deliverable_words,
    {
        BimtekSession.DeliverableSubmitted: "{owner} submitted {what}{late}, on {submitted_day}",
        BimtekSession.DeliverableAccepted: "{what} of {owner} was accepted",
        BimtekSession.DeliverableReturned: "{what} of {owner} was returned for revision: {reason}",
        BimtekSession.DueDateChanged: "{what} of {owner} is now due {due_day}: {reason}",
    },
)
