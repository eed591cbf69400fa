"""Rows of figures, the machine they were measured on, and the table, JSON and Markdown."""

from __future__ import annotations

import json
import os
import platform
import sqlite3
import statistics
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from rich.table import Table


@dataclass
class Stat:
    """Median, min and max of repeated measurements of one figure."""

    median: float
    low: float
    high: float
    runs: int

    @classmethod
    def of(cls, values: Sequence[float]) -> Stat:
        """The summary of ``values`` (one per repetition)."""
        return cls(statistics.median(values), min(values), max(values), len(values))

    def text(self, unit: str) -> str:
        """``1234 ev/s (1100-1300)``."""
        return f"{fmt(self.median)} {unit} ({fmt(self.low)}-{fmt(self.high)})"


@dataclass
class Row:
    """One line of the table: our figure, the baseline's, the ratio and the target."""

    name: str
    ours: Stat
    unit: str
    baseline: Stat | None = None
    baseline_name: str = ""
    target: str = ""
    passed: bool | None = None
    higher_is_better: bool = True
    notes: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def ratio(self) -> float | None:
        """Ours over the baseline (for rates) or the baseline over ours (for times)."""
        if self.baseline is None or not self.baseline.median or not self.ours.median:
            return None
        if self.higher_is_better:
            return self.ours.median / self.baseline.median
        return self.baseline.median / self.ours.median


def fmt(value: float) -> str:
    """A number in few digits."""
    if value >= 100:
        return f"{value:,.0f}"
    if value >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def verdict(passed: bool | None) -> str:
    """pass / FAIL / - ."""
    return "-" if passed is None else ("pass" if passed else "FAIL")


def machine(pg_version: str = "") -> dict[str, str]:
    """Cores, memory, Python, SQLite and PostgreSQL versions."""
    memory = ""
    if hasattr(os, "sysconf"):
        pages = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
        memory = f"{pages / 2**30:.1f} GiB"
    return {
        # Other work on the machine moves absolute figures; ratios measured side by side less.
        "load_average_1m_at_start": f"{os.getloadavg()[0]:.1f}",
        "cores": str(os.cpu_count()),
        "memory": memory,
        "cpu": _cpu_model(),
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "postgresql": pg_version,
    }


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


def table(rows: Sequence[Row]) -> Table:
    """The one rich table of the run."""
    out = Table(title="Jejak benchmarks (median of runs, min-max)", show_lines=True)
    for column in ("row", "Jejak", "baseline", "ratio", "target", "result"):
        out.add_column(column)
    for row in rows:
        out.add_row(*cells(row))
    return out


def cells(row: Row) -> list[str]:
    """The table cells of one row."""
    base = f"{row.baseline_name}: {row.baseline.text(row.unit)}" if row.baseline else "-"
    ratio = f"{row.ratio:.2f}x" if row.ratio is not None else "-"
    return [row.name, row.ours.text(row.unit), base, ratio, row.target, verdict(row.passed)]


def write(rows: Sequence[Row], info: dict[str, Any], docs: Path, bounds: str) -> None:
    """docs/benchmarks.json and docs/benchmarks.md."""
    docs.mkdir(parents=True, exist_ok=True)
    data = {"machine": info, "rows": [{**asdict(r), "ratio": r.ratio} for r in rows]}
    (docs / "benchmarks.json").write_text(json.dumps(data, indent=2, default=str) + "\n")
    (docs / "benchmarks.md").write_text(markdown(rows, info, bounds))


def load_rows(path: Path) -> tuple[list[Row], dict[str, Any]]:
    """The rows and machine of an earlier ``benchmarks.json`` (none when there is none)."""
    if not path.exists():
        return [], {}
    data = json.loads(path.read_text())
    rows = []
    for found in data["rows"]:
        found.pop("ratio", None)
        for name in ("ours", "baseline"):
            if found.get(name) is not None:
                found[name] = Stat(**found[name])
        rows.append(Row(**found))
    return rows, data.get("machine", {})


def merged(earlier: Sequence[Row], fresh: Sequence[Row], replaced: Sequence[str]) -> list[Row]:
    """``earlier`` with the rows named by a prefix in ``replaced`` swapped for ``fresh``."""
    kept = [r for r in earlier if not any(r.name.startswith(p) for p in replaced)]
    spot = next((i for i, r in enumerate(earlier) if r not in kept), len(kept))
    before = sum(1 for r in earlier[:spot] if r in kept)
    return [*kept[:before], *fresh, *kept[before:]]


def markdown(rows: Sequence[Row], info: dict[str, Any], bounds: str) -> str:
    """The Markdown report."""
    lines = [
        "# Benchmarks",
        "",
        "Generated by `make bench` (`python -m bench`); do not edit by hand. Each figure is",
        "the median of several runs with the minimum and maximum in brackets; every baseline",
        "was measured in the same run on the same machine.",
        "",
        "## Machine",
        "",
        *(f"- {k}: {v}" for k, v in info.items()),
        "",
        "## Results",
        "",
        "| row | Jejak | baseline | ratio | target | result |",
        "|---|---|---|---|---|---|",
        *("| " + " | ".join(c.replace("|", "/") for c in cells(r)) + " |" for r in rows),
        "",
        "## Notes per row",
        "",
        *(f"- **{r.name}**: {r.notes}" for r in rows if r.notes),
        "",
        bounds,
    ]
    return "\n".join(lines).rstrip() + "\n"
