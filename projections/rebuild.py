"""Rebuild a view beside the live one, then swap to it atomically."""

from __future__ import annotations

from collections.abc import Callable

import structlog

from infra.follower import LogFollower
from projections.generations import apply_batch, apply_events, create_generation, drop_generation
from projections.view import EventDecoder, View
from projections.viewstore import ViewStore

log = structlog.get_logger(__name__)

#: Told (view name, position reached, head of the log) after every batch.
Progress = Callable[[str, int, int], None]


class Rebuilder:
    """Builds generation g+1 of a view from position 0 while generation g keeps serving."""

    def __init__(self, viewstore: ViewStore, follower: LogFollower, decoder: EventDecoder) -> None:
        self.viewstore = viewstore
        self.follower = follower
        self.decoder = decoder

    def rebuild(self, view: View, progress: Progress | None = None) -> int:
        """Rebuild one view; returns the generation now active."""
        generation = self._start(view)
        log.info("read model rebuild started", view=view.name, generation=generation)
        position = 0
        while True:
            head = self.follower.store.max_position()
            while position < head:
                batch = [self.decoder.decode(n) for n in self.follower.read(position, upto=head)]
                if not batch:
                    break
                position = apply_batch(self.viewstore, view, batch, generation)
                if progress is not None:
                    progress(view.name, position, head)
            if self._swap(view, generation, position):
                break
        log.info("read model rebuilt", view=view.name, generation=generation, position=position)
        return generation

    def _start(self, view: View) -> int:
        with self.viewstore.transaction() as tx:
            active = tx.active_generation(view.name, lock=True)
            live = active[0] if active else 0
            # A rebuild that died half-way left a generation nobody reads: clear it first.
            for (stale,) in tx.query(
                "SELECT generation FROM projection_positions WHERE view = ? AND generation <> ?",
                (view.name, live),
            ):
                drop_generation(tx, view, int(stale))
            generation = live + 1
            create_generation(tx, self.viewstore.dialect, view, generation)
            if active is None:
                tx.execute(
                    "INSERT INTO projection_generations (view, active_generation, version) "
                    "VALUES (?, ?, ?)",
                    (view.name, generation, view.version),
                )
        return generation

    def _swap(self, view: View, generation: int, position: int) -> bool:
        """Apply the last few events and make ``generation`` active, in one transaction.

        Holding the view's row lock, the live runner cannot apply a batch to the old
        generation between our last read and the swap. False if still too far behind.
        """
        with self.viewstore.transaction() as tx:
            active = tx.active_generation(view.name, lock=True)
            rest = self.follower.read(position)
            if len(rest) >= self.follower.batch_size:
                return False
            last = apply_events(
                tx, view, generation, [self.decoder.decode(n) for n in rest], position
            )
            tx.set_position(view.name, generation, last)
            tx.execute(
                "UPDATE projection_generations SET active_generation = ?, version = ? "
                "WHERE view = ?",
                (generation, view.version, view.name),
            )
            if active is not None and active[0] != generation:
                drop_generation(tx, view, active[0])
        return True
