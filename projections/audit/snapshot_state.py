"""The state at a snapshot's version, read from the stored snapshot straight into JSON values.

Reading through the repository decodes the snapshot into domain values (every report of a
milestone a value object, every moment a ``datetime``) and then converts them all back into
JSON values for the answer. When a snapshot was stored at exactly the asked version, its JSON
already holds those values: each encoded value (``{"_type_": ..., "_data_": ...}``) is turned
into its JSON answer as the JSON is parsed, by the same conversion the slow way would end in.
Whatever this cannot read exactly as the slow way would (a value object stored under other
field names, an upcast, a compressed or encrypted store) answers ``None``, and the caller
takes the slow way.
"""

from __future__ import annotations

import json
from typing import Any
from uuid import UUID

from eventsourcing.persistence import Transcoding
from eventsourcing.utils import resolve_topic

from domain.transcodings import ValueAsFields, ValueLogAsRows
from infra.store import EventStore
from projections.audit.decode import reader
from projections.audit.jsonable import to_jsonable


class _NotDirectError(Exception):
    """The snapshot holds a value this path cannot answer exactly as the repository would."""


def state_from_snapshot(
    store: EventStore, aggregate_id: UUID, version: int
) -> dict[str, Any] | None:
    """The public state at ``version`` from a snapshot stored at it; ``None`` when there is none."""
    app = reader(store)
    snapshots = app.snapshots
    if snapshots is None or snapshots.mapper.cipher or snapshots.mapper.compressor:
        return None
    stored = snapshots.recorder.select_events(aggregate_id, gt=version - 1, lte=version, limit=1)
    if not stored:
        return None
    names: dict[str, Transcoding] = app.mapper.transcoder.names  # type: ignore[attr-defined]
    try:
        decoded = json.loads(stored[0].state, object_hook=_JsonValues(names))
    except _NotDirectError:
        return None
    kind = resolve_topic(decoded["topic"])
    fields: dict[str, Any] = decoded["state"]
    if fields.pop("class_version", 1) != getattr(kind, "class_version", 1):
        return None  # the library upcasts older snapshots with the aggregate's own code
    # The same keys, in the same order, as history.public_state of the aggregate read back.
    state: dict[str, Any] = {
        "id": str(aggregate_id),
        "kind": kind.__name__,
        "version": version,
        "created_on": fields["_created_on"],
        "modified_on": fields["_modified_on"],
    }
    for name, value in fields.items():
        if not name.startswith("_"):
            state[name] = value
    return state


class _JsonValues:
    """The JSON hook: an encoded value becomes the JSON value the audit shows for it."""

    def __init__(self, names: dict[str, Transcoding]) -> None:
        self.names = names

    def __call__(self, data: dict[str, Any]) -> Any:
        if len(data) != 2 or "_type_" not in data or "_data_" not in data:
            return data
        transcoding = self.names.get(data["_type_"])
        if transcoding is None:
            raise _NotDirectError  # the repository raises its own error for it
        inner = data["_data_"]
        if type(inner) is str:
            if transcoding.name == "datetime_iso" and inner.endswith(_UTC):
                # Written by datetime.isoformat and in UTC already: the text the audit shows.
                return inner
            return to_jsonable(transcoding.decode(inner))
        if isinstance(transcoding, ValueAsFields):
            # Its fields were turned into JSON values already (the hook runs inside out);
            # to_jsonable of the value object is those, in the order of its fields.
            order = transcoding.order
            if order is None or transcoding.renamed or inner.keys() != transcoding.fields:
                raise _NotDirectError
            return {name: inner[name] for name in order}
        if isinstance(transcoding, ValueLogAsRows):
            # Its rows stay as parsed (a log read back builds no value object until read).
            try:
                return to_jsonable(transcoding.decode(inner))
            except (KeyError, TypeError):  # values of a kind no longer named, or reshaped
                raise _NotDirectError from None
        raise _NotDirectError  # a transcoding of nested values this path does not know


_UTC = "+00:00"
