"""Reading one field of the events of one topic straight from the shared log.

For the few questions no aggregate answers (which cities have a plan, which NIPs are
registered), without a read model: each event is read once, later calls go on from where
the last one stopped (the log only grows), and the event's class is never loaded.
"""

from __future__ import annotations

import threading
from typing import Any

from eventsourcing.persistence import ApplicationRecorder, Mapper

_BATCH = 1000


class TopicField:
    """The values of ``field`` in every stored event of ``topic``, in log order."""

    def __init__(
        self, recorder: ApplicationRecorder, mapper: Mapper[Any], topic: str, field: str
    ) -> None:
        self._recorder, self._mapper = recorder, mapper
        self._topic, self._field = topic, field
        self._values: list[Any] = []
        self._read_up_to = 0
        self._lock = threading.Lock()

    def values(self) -> list[Any]:
        """Every value so far, oldest event first."""
        with self._lock:
            head = self._recorder.max_notification_id() or 0
            while self._read_up_to < head:
                found = self._recorder.select_notifications(
                    self._read_up_to + 1, _BATCH, stop=head, topics=[self._topic]
                )
                self._values.extend(self._decode(n.state).get(self._field) for n in found)
                self._read_up_to = found[-1].id if len(found) == _BATCH else head
            return list(self._values)

    def _decode(self, state: bytes) -> dict[str, Any]:
        if self._mapper.cipher is not None:
            state = self._mapper.cipher.decrypt(state)
        if self._mapper.compressor is not None:
            state = self._mapper.compressor.decompress(state)
        data: dict[str, Any] = self._mapper.transcoder.decode(state)
        return data
