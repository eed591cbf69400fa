"""Prometheus metrics of the process's connection pool, read at scrape time."""

from __future__ import annotations

from collections.abc import Iterator

from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.registry import Collector

from infra.pool import SharedPool

#: Gauges: psycopg_pool's name, then what the metric says.
GAUGES = {
    "pool_size": ("connections", "Connections the pool holds now, lent or idle"),
    "pool_available": ("connections_idle", "Connections idle in the pool"),
    "pool_max": ("connections_max", "The most connections the pool may open"),
    "requests_waiting": ("waiting", "Callers waiting for a connection now"),
}
#: Counters since the process started.
COUNTERS = {
    "requests_num": ("requests", "Connections lent"),
    "requests_errors": ("shortages", "Callers that got no connection in time (answered 503)"),
    "connections_lost": ("connections_lost", "Connections found dropped before lending"),
    "returns_bad": ("connections_broken", "Connections that came back broken"),
}


class PoolCollector(Collector):
    """``jejak_db_pool_*``: how full the pool is, and how often it ran short."""

    def __init__(self, pool: SharedPool) -> None:
        self.pool = pool

    def collect(self) -> Iterator[GaugeMetricFamily | CounterMetricFamily]:
        """One family per measure."""
        stats = self.pool.stats()
        for key, (name, help_text) in GAUGES.items():
            yield GaugeMetricFamily(f"jejak_db_pool_{name}", help_text, value=stats.get(key, 0))
        for key, (name, help_text) in COUNTERS.items():
            yield CounterMetricFamily(f"jejak_db_pool_{name}", help_text, value=stats.get(key, 0))
