"""The two commitments of 2023: the MoU with Kominfo and the smart-city commitment."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from domain.commitments import Commitment, CommitmentsApplication, RequiredSignatory
from domain.shared import Capacity
from infra.scenario.data import (
    CITY_CODE,
    MAYOR_ID,
    Facts,
    day,
    head_of,
    moment,
    paper,
    staff,
)


def load_commitments(app: CommitmentsApplication, facts: Facts) -> tuple[int, int]:
    """Record the MoU and the commitment of 18 Oct 2023; returns (commitments, signatures)."""
    mou = _mou(facts)
    commitment = _smart_city_commitment(facts)
    app.save_new(mou, commitment, what="The commitments of the reference city")
    return 2, len(mou.signatures) + len(commitment.signatures)


def _mayor(facts: Facts) -> RequiredSignatory:
    """The mayor, who signs for the city."""
    return RequiredSignatory(MAYOR_ID, None, facts["mayor"]["role"])


def _sign(
    commitment: Commitment,
    who: tuple[str, str],
    signed_as: str,
    opd_code: str | None,
    media: list[str],
    when: datetime,
) -> None:
    """Record one signature, put at ``when`` and entered later by the secretariat from paper."""
    nip, name = who
    attribution = paper(when).attribution()
    commitment.sign(nip, name, signed_as, opd_code, media, when, **attribution)


def _created(spec: Facts, required: list[RequiredSignatory], **more: Any) -> Commitment:
    """A commitment as the facts describe it, recorded by the secretariat when they say."""
    texts = {key: spec[key] for key in ("slug", "title", "text", "legal_basis", "place")}
    attribution = staff(moment(spec["recorded_at"])).attribution()
    return Commitment.create(
        city_code=CITY_CODE, date=day(spec["date"]), required=required, **texts, **more,
        **attribution,
    )  # fmt: skip


def _mou(facts: Facts) -> Commitment:
    """The memorandum of understanding of 28 Feb 2023 (Perpres 95/2018)."""
    mou = facts["mou"]
    commitment = _created(mou, [_mayor(facts)])
    when, ministry = moment(mou["mayor_signed_at"]), mou["ministry"]
    signer = (ministry["id"], ministry["name"])
    _sign(commitment, signer, Capacity.HEAD, ministry["unit"], ["sheet"], when)
    mayor = (MAYOR_ID, facts["mayor"]["name"])
    _sign(commitment, mayor, Capacity.MAYOR, None, ["sheet"], when)
    return commitment


def _smart_city_commitment(facts: Facts) -> Commitment:
    """The commitment signed on the sheet and the banner at Bappeda on 18 Oct 2023."""
    spec = facts["commitment"]
    heads = [
        RequiredSignatory(u["head"]["nip"], u["code"], u["head_title"]) for u in facts["units"]
    ]
    commitment = _created(spec, [_mayor(facts), *heads], signing_deadline=day(spec["deadline"]))
    _sign_the_day(commitment, facts)
    return commitment


def _sign_the_day(commitment: Commitment, facts: Facts) -> None:
    """The mayor, then the heads one after another, the Plt., and those who signed later."""
    spec = facts["commitment"]
    media = spec["media"]
    mayor = (MAYOR_ID, facts["mayor"]["name"])
    _sign(commitment, mayor, Capacity.MAYOR, None, media, moment(spec["mayor_at"]))
    first, gap = moment(spec["first_head_at"]), timedelta(minutes=spec["minutes_between"])
    for index, code in enumerate(spec["head_order"]):
        head = head_of(facts, code)
        who = (head["nip"], head["name"])
        _sign(commitment, who, Capacity.HEAD, code, media, first + index * gap)
    plt = next(t for t in facts["acting"] if t["opd"] == spec["plt"]["opd"])
    acting = (plt["nip"], plt["name"])
    _sign(commitment, acting, Capacity.PLT, plt["opd"], media, moment(spec["plt"]["at"]))
    for late in spec["late"]:
        head = head_of(facts, late["opd"])
        who = (head["nip"], head["name"])
        _sign(commitment, who, Capacity.HEAD, late["opd"], late["media"], moment(late["at"]))
