"""Row 3: live lag, from an event saved to the moment every view shows it."""

from __future__ import annotations

import random
import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime

from bench.cities import generate, reporter_at
from bench.report import Row, Stat
from domain.plan import PlanApplication
from domain.shared import Actor, Capacity
from infra.settings import Settings
from infra.store import EventStore
from projections.engine.registry import all_views
from projections.engine.runner import ProjectionRunner
from projections.engine.viewstore import ViewStore

REPORTER = Actor("196602201991042009", Capacity.HEAD)


def percentile(values: list[float], q: float) -> float:
    """The ``q`` quantile (0-1) of ``values``."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def lag_samples(url: str, samples: int) -> list[float]:
    """Milliseconds from save to visible in every view, one event at a time."""
    store = EventStore(url)
    cities = generate(store, 1, 0)
    runner = ProjectionRunner(store, all_views(), Settings(_env_file=None).poll_interval)  # type: ignore[call-arg]
    runner.start()
    reader = ViewStore(store)
    names = [v.name for v in runner.views]
    plan = store.app(PlanApplication)
    milestone_id = cities.milestones[0][0][0]
    try:
        reader.wait_for(names, store.max_position(), timeout=120)
        found = []
        for _ in range(samples):
            time.sleep(random.uniform(0, 0.05))
            milestone = plan.get_milestone(milestone_id)
            milestone.report_progress(
                milestone.percent, "", (), **reporter_at(REPORTER, datetime.now(UTC))
            )
            started = time.perf_counter()
            position = plan.save_changes(milestone) or 0
            while min(reader.positions(names).values()) < position:
                time.sleep(0.001)
            found.append((time.perf_counter() - started) * 1000)
        return found
    finally:
        runner.stop()
        reader.close()
        store.close()


def lag_row(url: Callable[[], str], label: str, runs: int, samples: int, target_ms: float) -> Row:
    """p50 and p99 of the live lag over ``runs`` runs."""
    p50s, p99s = [], []
    for _ in range(runs):
        found = lag_samples(url(), samples)
        p50s.append(statistics.median(found))
        p99s.append(percentile(found, 0.99))
    row = Row(
        f"3. Live lag p99, {label}",
        Stat.of(p99s),
        "ms",
        target=f"p99 < {target_ms:g} ms",
        higher_is_better=False,
        notes=(
            f"{samples} single-event saves per run, 0-50 ms apart; a ProjectionRunner thread "
            f"runs all {len(all_views())} views with the default poll interval; lag = save "
            "committed -> every view's position has reached it. p50 "
            f"{Stat.of(p50s).text('ms')}."
        ),
        extra={"p50_ms": Stat.of(p50s).median},
    )
    row.passed = Stat.of(p99s).median < target_ms
    return row
