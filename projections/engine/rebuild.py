"""Rebuild a view beside the live one, then swap to it atomically."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import structlog

from infra.follower import LogFollower
from projections.engine.generations import (
    apply_events,
    apply_to_views,
    create_generation,
    drop_generation,
)
from projections.engine.view import EventDecoder, View, decode_for
from projections.engine.viewstore import ViewStore

log = structlog.get_logger(__name__)

#: Told (view name, position reached, head of the log) after every batch.
Progress = Callable[[str, int, int], None]


class Rebuilder:
    """Builds generation g+1 of views from position 0 while generation g keeps serving."""

    def __init__(self, viewstore: ViewStore, follower: LogFollower, decoder: EventDecoder) -> None:
        self.viewstore = viewstore
        self.follower = follower
        self.decoder = decoder

    def rebuild(self, view: View, progress: Progress | None = None) -> int:
        """Rebuild one view; returns the generation now active."""
        return self.rebuild_all([view], progress)[view.name]

    def rebuild_all(
        self, views: Sequence[View], progress: Progress | None = None
    ) -> dict[str, int]:
        """Rebuild several views in one pass over the log; the generation now active of each.

        Each event is read and decoded once for every view that handles its topic, and each
        batch is written to every new generation in one transaction.
        """
        generations = {view.name: self._start(view) for view in views}
        log.info("read model rebuild started", generations=generations)
        pending, position = list(views), 0
        while pending:
            position = self._catch_up(pending, generations, position, progress)
            pending = [v for v in pending if not self._swap(v, generations[v.name], position)]
        log.info("read models rebuilt", generations=generations, position=position)
        return generations

    def _catch_up(
        self,
        views: Sequence[View],
        generations: dict[str, int],
        position: int,
        progress: Progress | None,
    ) -> int:
        """Apply the log from ``position`` up to its head now to the new generations."""
        head = self.follower.store.max_position()
        targets: list[tuple[View, int | None]] = [(v, generations[v.name]) for v in views]
        while position < head:
            notifications = self.follower.read(position, upto=head)
            if not notifications:
                break
            events = decode_for(self.decoder, views, notifications)
            upto = notifications[-1].id
            apply_to_views(self.viewstore, targets, events, upto)
            position = upto
            if progress is not None:
                for view in views:
                    progress(view.name, position, head)
        return position

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
            events = decode_for(self.decoder, [view], rest)
            last = apply_events(tx, view, generation, events, position, rest[-1].id if rest else 0)
            tx.set_position(view.name, generation, last)
            tx.execute(
                "UPDATE projection_generations SET active_generation = ?, version = ? "
                "WHERE view = ?",
                (generation, view.version, view.name),
            )
            if active is not None and active[0] != generation:
                drop_generation(tx, view, active[0])
        return True
