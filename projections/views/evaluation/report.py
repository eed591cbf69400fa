"""The evaluation as an Excel workbook, in Bahasa Indonesia: a summary and a sheet per dimension.

Every cell is a typed value (text as text, numbers as numbers); nothing is a formula, so
the figures read the same in any spreadsheet and a title beginning with ``=`` stays text.
"""

from __future__ import annotations

from typing import IO, Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from domain.evaluation import DIMENSIONS, Score, YearResult
from projections.audit.cells import xlsx_text
from projections.views.evaluation.queries import DimensionFigures

#: The sheet (and label) of each dimension.
SHEETS = {
    "baseline": "Baseline",
    "output": "Output",
    "outcome": "Outcome",
    "impact": "Impact",
    "quick-win": "Quick Win",
}
SUMMARY = "Ringkasan"
ITEM_COLUMNS = ("Kode", "Kriteria", "Nilai akhir", "Penilai", "Nilai", "Komentar", "Bukti")


def _cells(sheet: WriteOnlyWorksheet, values: list[Any]) -> list[WriteOnlyCell]:
    """A row of typed cells: text is stored as text, never as a formula."""
    cells = []
    for value in values:
        cell = WriteOnlyCell(sheet, value=xlsx_text(value) if isinstance(value, str) else value)
        if isinstance(value, str):
            cell.data_type = "s"
        cells.append(cell)
    return cells


def _summary_rows(result: YearResult, computed: dict[str, DimensionFigures]) -> list[list[Any]]:
    year = result.year
    rows: list[list[Any]] = [
        ["Kota", year.city_code],
        ["Tahun", year.year],
        ["Indeks capaian", result.index],
        ["Lengkap", "ya" if result.complete else "belum"],
        [],
        ["Dimensi", "Bobot (%)", "Nilai", "Kontribusi", "Butir", "Butir dinilai",
         "Dihitung dari catatan", "Sumber (posisi log)"],
    ]  # fmt: skip
    for d in result.dimensions:
        figure = computed.get(d.dimension)
        from_record = figure.score if figure else None
        sources = " ".join(str(p) for p in figure.sources) if figure else ""
        if d.dimension == "baseline":
            from_record, sources = result.previous_index, _previous(result)
        rows.append([SHEETS[d.dimension], d.weight, d.score, d.contribution, d.items,
                     d.scored_items, from_record, sources])  # fmt: skip
    return rows


def _previous(result: YearResult) -> str:
    if result.previous_source is None:
        return ""
    evaluation, version = result.previous_source
    return f"evaluasi {evaluation} versi {version}"


def _item_rows(result: YearResult, dimension: str) -> list[list[Any]]:
    rows: list[list[Any]] = [list(ITEM_COLUMNS)]
    for item in result.year.items.values():
        if item.dimension != dimension:
            continue
        evidence = "; ".join(
            " ".join(x for x in (e.title, e.document_number, e.link, e.sha256) if x)
            for e in item.evidence
        )
        scores: list[Score | None] = [*item.scores.values()] or [None]
        for score in scores:
            rows.append([
                item.code, item.title, item.final_score(),
                score.assessor if score else None, score.score if score else None,
                score.comment if score else None, evidence,
            ])  # fmt: skip
    return rows


def write_report(
    result: YearResult, computed: dict[str, DimensionFigures], handle: IO[bytes]
) -> None:
    """The workbook: the summary, then one sheet per dimension with its items and scores."""
    book = Workbook(write_only=True)
    sheets: list[tuple[str, list[list[Any]]]] = [(SUMMARY, _summary_rows(result, computed))]
    sheets += [(SHEETS[d], _item_rows(result, d)) for d in DIMENSIONS]
    for name, rows in sheets:
        sheet = book.create_sheet(name)
        for values in rows:
            sheet.append(_cells(sheet, values))
    book.save(handle)
