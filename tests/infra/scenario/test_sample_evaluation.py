"""The reference scenario carries a complete sample 2024 evaluation, marked as sample data."""

from __future__ import annotations

import math

from domain.evaluation import EvaluationYear
from infra.scenario import CITY_CODE, ScenarioApps, load_reference_scenario
from infra.scenario.evaluation import SAMPLE
from infra.store import EventStore


def test_the_scenario_holds_a_complete_2024_evaluation_marked_as_sample_data() -> None:
    store = EventStore("memory://")
    try:
        apps = ScenarioApps.of(store.app)
        summary = load_reference_scenario(apps)
        assert apps.evaluation is not None
        result = apps.evaluation.result(EvaluationYear.create_id(CITY_CODE, 2024))
    finally:
        store.close()
    assert summary.evaluation_items == 7
    assert result.complete
    assert {d.dimension: d.items for d in result.dimensions} == {
        "baseline": 1, "output": 3, "outcome": 1, "impact": 1, "quick-win": 1,
    }  # fmt: skip
    # baseline 62.5, output (82.5 + 87.5 + 72.5) / 3 = 80.8333, outcome 62.5, impact 70,
    # quick win 77.5: (10*62.5 + 20*80.8333 + 30*62.5 + 30*70 + 10*77.5) / 100 = 69.9167
    assert math.isclose(result.index, 69.91666666, rel_tol=1e-6)
    # The sample went through every step of the process, and its published index is the same.
    assert result.year.stage == "published"
    assert result.year.filled == {"BAPPEDA", "DISKOMINFO"}
    assert result.year.published_index is not None
    assert math.isclose(result.year.published_index, result.index)
    items = result.year.items.values()
    assert all(i.title.startswith("[Contoh]") and i.description == SAMPLE for i in items)
