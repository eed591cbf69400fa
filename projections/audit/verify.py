"""Proof that the record was not altered: recompute the hash chain from the raw stored rows."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from infra.chain import GENESIS_HASH, canonical_record, chain_hash
from infra.store import EventStore
from projections.audit.keys import checkpoint_message, signature_is_valid
from projections.audit.rawlog import PAGE, ChainRow, CheckpointRow, RawEvent, RawLog

TRow = TypeVar("TRow", RawEvent, ChainRow)

#: What can be wrong at a position, in the words of the report.
KINDS = {
    "changed": "the stored event differs from what was chained",
    "missing": "an event is gone (a chain row without its event, or a gap in the chain)",
    "reordered": "the event belongs at another position (rows were swapped)",
    "inserted": "an event was added that the chain never saw",
    "bad-signature": "a checkpoint's signature does not match",
    "unknown-key": "a checkpoint was signed by a key that is not trusted",
    "checkpoint-mismatch": "the chain differs from what a signed checkpoint recorded",
}


@dataclass(frozen=True)
class Problem:
    """The first thing found wrong, and where."""

    position: int
    kind: str
    detail: str


@dataclass
class VerifyReport:
    """The outcome of a verification: ok, or the first bad position and what is wrong."""

    events_checked: int = 0
    checkpoints_checked: int = 0
    last_position: int = 0
    last_hash: str = GENESIS_HASH
    keys_pinned: bool = False
    problem: Problem | None = None
    _seen_checkpoints: set[int] = field(default_factory=set, repr=False)

    @property
    def ok(self) -> bool:
        """True when nothing is wrong."""
        return self.problem is None


def event_hash(prev_hash: str, position: int, event: RawEvent) -> str:
    """The chain hash of a raw event placed at ``position`` after ``prev_hash``."""
    record = canonical_record(
        position, event.originator_id, event.originator_version, event.topic, event.state
    )
    return chain_hash(prev_hash, record)


def verify(
    store: EventStore,
    public_keys: Collection[str] | None = None,
    *,
    since: CheckpointRow | None = None,
) -> VerifyReport:
    """Recompute the whole chain (or from checkpoint ``since``) and check signed checkpoints.

    ``public_keys`` are the trusted signing keys (base64); ``None`` trusts the keys recorded
    with the checkpoints, which proves less: the report says so with ``keys_pinned``.
    """
    log = RawLog(store)
    checkpoints = {c.position: c for c in log.checkpoints()}
    start = since.position if since else 0
    report = VerifyReport(
        last_position=start,
        last_hash=since.hash if since else GENESIS_HASH,
        keys_pinned=public_keys is not None,
    )
    pending = sorted(p for p in checkpoints if p > start)
    if _verify_pages(log, report, checkpoints, pending, public_keys):
        if report.problem is None:
            _check_passed_checkpoints(report, pending, before=None)
        return report
    # Something does not line up: walk the rest event by event to name what and where.
    for position, event, link in _merged(log, report.last_position):
        _check_passed_checkpoints(report, pending, before=position)
        if report.problem is None:
            report.problem = _check_position(log, report, position, event, link)
        if report.problem is None and position in checkpoints:
            report.problem = _check_checkpoint(report, checkpoints[position], public_keys)
        if report.problem is not None:
            return report
    _check_passed_checkpoints(report, pending, before=None)
    return report


def _verify_pages(
    log: RawLog,
    report: VerifyReport,
    checkpoints: dict[int, CheckpointRow],
    pending: list[int],
    public_keys: Collection[str] | None,
) -> bool:
    """Accept events a page at a time while each has its chain row and matches it.

    True when the walk is over (the end reached, or a checkpoint found wrong); False at
    the first event that does not line up, with the report at the last event accepted.
    """
    while True:
        events = log.event_rows(report.last_position)
        if not events:
            return not log.chain_page(report.last_position, 1)
        links = log.chain_rows(report.last_position, events[-1][0])
        if len(links) != len(events):
            return False
        if not _accept_page(report, events, links, checkpoints, pending, public_keys):
            return report.problem is not None
        if len(events) < PAGE:
            return not log.chain_page(report.last_position, 1)


def _accept_page(
    report: VerifyReport,
    events: list[tuple[int, str, int, str, bytes]],
    links: list[tuple[int, str, str]],
    checkpoints: dict[int, CheckpointRow],
    pending: list[int],
    public_keys: Collection[str] | None,
) -> bool:
    """Accept a page whose rows pair up by position; False at the first that does not match."""
    running = report.last_hash
    for (position, originator_id, version, topic, state), link in zip(events, links, strict=True):
        if pending and pending[0] < position:
            _check_passed_checkpoints(report, pending, before=position)
            if report.problem is not None:
                return False
        if link[0] != position or link[2] != running:
            return False
        digest = hashlib.sha256(bytes.fromhex(running))
        digest.update(canonical_record(position, originator_id, version, topic, state))
        running = digest.hexdigest()
        if running != link[1]:
            return False
        report.events_checked += 1
        report.last_position, report.last_hash = position, running
        if position in checkpoints:
            report.problem = _check_checkpoint(report, checkpoints[position], public_keys)
            if report.problem is not None:
                return False
    return True


def _merged(log: RawLog, after: int) -> Iterator[tuple[int, RawEvent | None, ChainRow | None]]:
    """Events and chain rows side by side, by position."""
    events, chain = _pages(log.events_page, after), _pages(log.chain_page, after)
    event, link = next(events, None), next(chain, None)
    while event is not None or link is not None:
        position = min(x.position for x in (event, link) if x is not None)
        here_event = event if event is not None and event.position == position else None
        here_link = link if link is not None and link.position == position else None
        yield position, here_event, here_link
        if here_event is not None:
            event = next(events, None)
        if here_link is not None:
            link = next(chain, None)


def _pages(read: Callable[[int], Sequence[TRow]], after: int) -> Iterator[TRow]:
    """Every row after ``after``, read a page at a time."""
    while page := read(after):
        yield from page
        after = page[-1].position


def _check_position(
    log: RawLog, report: VerifyReport, position: int, event: RawEvent | None, link: ChainRow | None
) -> Problem | None:
    """Accept the event at ``position`` into the report, or say what is wrong there."""
    if link is None:
        return Problem(position, "inserted", "This event has no row in the hash chain.")
    if event is None:
        return Problem(position, "missing", "The chain records an event here that is gone.")
    expected = event_hash(report.last_hash, position, event)
    if expected == link.hash and link.prev_hash == report.last_hash:
        report.events_checked += 1
        report.last_position, report.last_hash = position, expected
        return None
    return _diagnose(log, report.last_hash, position, event, link)


def _diagnose(log: RawLog, running: str, position: int, event: RawEvent, link: ChainRow) -> Problem:
    """Name what is wrong at a position whose event does not match its chain row."""
    elsewhere = _chained_position_of(log, event, position)
    if elsewhere is not None:
        return Problem(position, "reordered", f"This event was chained at position {elsewhere}.")
    following = log.events_page(position, 1)
    if following and event_hash(running, position, following[0]) == link.hash:
        return Problem(position, "inserted", "An event was put in before the chained one.")
    if event_hash(link.prev_hash, position, event) == link.hash:
        return Problem(position, "missing", "The chain before this event was cut.")
    return Problem(position, "changed", "The stored event differs from the chained one.")


def _chained_position_of(log: RawLog, event: RawEvent, position: int) -> int | None:
    """The other position whose chain row this event matches, if any."""
    for link in _pages(log.chain_page, 0):
        if (
            link.position != position
            and event_hash(link.prev_hash, link.position, event) == link.hash
        ):
            return link.position
    return None


def _check_checkpoint(
    report: VerifyReport, checkpoint: CheckpointRow, public_keys: Collection[str] | None
) -> Problem | None:
    """Check one checkpoint against the recomputed hash at its position."""
    report._seen_checkpoints.add(checkpoint.position)
    where = checkpoint.position
    if public_keys is not None and checkpoint.public_key not in public_keys:
        return Problem(where, "unknown-key", "The checkpoint was signed by an untrusted key.")
    message = checkpoint_message(checkpoint.position, checkpoint.hash, checkpoint.signed_at)
    if not signature_is_valid(checkpoint.public_key, message, checkpoint.signature):
        return Problem(where, "bad-signature", "The checkpoint's signature does not match.")
    if checkpoint.hash != report.last_hash:
        return Problem(where, "checkpoint-mismatch", "The chain differs from the signed hash.")
    report.checkpoints_checked += 1
    return None


def _check_passed_checkpoints(report: VerifyReport, pending: list[int], before: int | None) -> None:
    """A checkpoint the walk went past without an event at its position: that event is gone."""
    while report.problem is None and pending and (before is None or pending[0] < before):
        position = pending.pop(0)
        if position not in report._seen_checkpoints:
            report.problem = Problem(
                position, "missing", "A signed checkpoint names an event that is gone."
            )
