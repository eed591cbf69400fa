"""Prometheus metrics of notification deliveries, read from the notifications view at scrape."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from projections.engine.viewstore import ViewStore
from projections.views.notifications.queries import counts


class NotificationCollector(Collector):
    """Deliveries by state and channel; sends, attempts and dead letters as counters."""

    def __init__(self, views: Callable[[], ViewStore | None]) -> None:
        self.views = views

    def collect(self) -> Iterator[Metric]:
        """One reading of the view (nothing while it is not built)."""
        deliveries = GaugeMetricFamily(
            "jejak_notifications", "Deliveries of notifications now, by state and channel",
            labels=["state", "channel"],
        )  # fmt: skip
        sent = CounterMetricFamily(
            "jejak_notifications_sent", "Deliveries taken by their receiver", labels=["channel"]
        )
        dead = CounterMetricFamily(
            "jejak_notifications_dead_lettered", "Deliveries given up on", labels=["channel"]
        )
        attempts = CounterMetricFamily(
            "jejak_notification_attempts", "Send attempts recorded", labels=["channel"]
        )
        by_channel: dict[str, dict[str, int]] = {}
        for state, channel, number, tries in self._counts():
            deliveries.add_metric([state, channel], number)
            found = by_channel.setdefault(channel, {"sent": 0, "dead-letter": 0, "attempts": 0})
            found["attempts"] += tries
            if state in found:
                found[state] += number
        for channel, found in sorted(by_channel.items()):
            sent.add_metric([channel], found["sent"])
            dead.add_metric([channel], found["dead-letter"])
            attempts.add_metric([channel], found["attempts"])
        yield from (deliveries, sent, dead, attempts)

    def _counts(self) -> list[tuple[str, str, int, int]]:
        views = self.views()
        if views is None:
            return []
        try:
            return counts(views)
        except LookupError:
            return []
