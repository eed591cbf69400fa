"""The self-assessment and the result of a year as printable PDF, in Bahasa Indonesia (fpdf2).

Each report is a summary page, then each dimension from a new page (a long one runs on to
further pages), with "Halaman n dari m" at the foot of every page. The built-in fonts
cover Latin-1 only: other characters are written as their nearest Latin-1 letters.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from domain.evaluation import DIMENSIONS, Item, YearResult
from projections.views.evaluation.queries import DimensionFigures
from projections.views.evaluation.report import SHEETS

FONT = "Helvetica"
#: Typographic punctuation the built-in fonts lack, as its plain twin.
_PLAIN = str.maketrans({"\u2013": "-", "\u2014": "-", "\u2018": "'", "\u2019": "'",
                        "\u201c": '"', "\u201d": '"', "\u2026": "..."})  # fmt: skip
#: Widths (mm) of the item columns of each report (the page's body is 180 mm wide).
EVIDENCE_COLUMNS = ((22, "Kode"), (58, "Kriteria"), (100, "Bukti"))
SCORE_COLUMNS = ((20, "Kode"), (50, "Kriteria"), (28, "Penilai"), (16, "Nilai"), (66, "Komentar"))


def latin(text: object) -> str:
    """``text`` in the characters the built-in fonts have (accents kept where Latin-1 has them)."""
    value = "" if text is None else str(text)
    value = value.translate(_PLAIN)
    kept = value.encode("latin-1", "ignore").decode("latin-1")
    if kept == value:
        return value
    decomposed = unicodedata.normalize("NFKD", value)
    return decomposed.encode("latin-1", "ignore").decode("latin-1")


def number(value: float | None) -> str:
    """A figure the Indonesian way (``72,50``), or a dash when there is none."""
    return "-" if value is None else f"{value:.2f}".replace(".", ",")


class _Report(FPDF):
    """An A4 page with the report's title at the head and the page number at the foot."""

    def __init__(self, heading: str) -> None:
        super().__init__(format="A4")
        self.heading = heading
        self.set_margins(15, 15, 15)
        self.set_auto_page_break(True, margin=18)
        self.alias_nb_pages()

    def header(self) -> None:
        self.set_font(FONT, "B", 9)
        self.cell(0, 6, latin(self.heading), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(2)

    def footer(self) -> None:
        self.set_y(-14)
        self.set_font(FONT, "", 8)
        self.cell(0, 8, f"Halaman {self.page_no()} dari {{nb}}", align="C")

    def title_line(self, text: str, size: int = 14) -> None:
        self.set_font(FONT, "B", size)
        self.multi_cell(0, 8, latin(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(1)

    def line_of(self, label: str, value: object) -> None:
        self.set_font(FONT, "", 10)
        self.cell(50, 6, latin(label))
        self.multi_cell(0, 6, latin(value), new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def rows(self, columns: Sequence[tuple[int, str]], rows: Sequence[Sequence[object]]) -> None:
        self.set_font(FONT, "", 9)
        with self.table(col_widths=[w for w, _ in columns], line_height=5) as table:
            table.row([name for _, name in columns])
            for values in rows:
                table.row([latin(v) for v in values])


def _summary(pdf: _Report, result: YearResult, computed: dict[str, DimensionFigures]) -> None:
    year = result.year
    pdf.add_page()
    pdf.line_of("Kota", year.city_code)
    pdf.line_of("Tahun", year.year)
    pdf.line_of("Tahap", year.stage)
    pdf.line_of("Indeks capaian", number(result.index))
    pdf.line_of("Indeks tahun lalu", number(result.previous_index))
    pdf.ln(3)
    columns = ((40, "Dimensi"), (25, "Bobot (%)"), (25, "Nilai"), (30, "Kontribusi"),
               (30, "Dari catatan"), (30, "Butir dinilai"))  # fmt: skip
    rows = []
    for d in result.dimensions:
        figure = computed.get(d.dimension)
        from_record = result.previous_index if d.dimension == "baseline" else (
            figure.score if figure else None
        )  # fmt: skip
        figures = (d.weight, d.score, d.contribution, from_record)
        rows.append([SHEETS[d.dimension], *map(number, figures), f"{d.scored_items}/{d.items}"])
    pdf.rows(columns, rows)


def _items(result: YearResult, dimension: str) -> list[Item]:
    return [i for i in result.year.items.values() if i.dimension == dimension]


def _evidence(item: Item) -> str:
    parts = []
    for e in item.evidence:
        reference = e.document_number or e.link or f"SHA-256 {e.sha256[:16]}..."
        parts.append(f"{e.title} ({reference})")
    return "; ".join(parts) or "belum ada bukti"


def self_assessment_pdf(result: YearResult, computed: dict[str, DimensionFigures]) -> bytes:
    """The self-assessment: the summary, then each dimension's items and their evidence."""
    year = result.year
    pdf = _Report(f"Penilaian Mandiri Smart City - {year.city_code} {year.year}")
    pdf.set_title(latin(pdf.heading))
    _summary(pdf, result, computed)
    for dimension in DIMENSIONS:
        pdf.add_page()
        pdf.title_line(f"Dimensi {SHEETS[dimension]}")
        items = _items(result, dimension)
        rows = [[i.code, i.title, _evidence(i)] for i in items] or [["-", "Tidak ada butir", ""]]
        pdf.rows(EVIDENCE_COLUMNS, rows)
    return bytes(pdf.output())


def result_pdf(result: YearResult, computed: dict[str, DimensionFigures]) -> bytes:
    """The result: the summary with the index, then each dimension's scores and comments."""
    year = result.year
    pdf = _Report(f"Hasil Evaluasi Smart City - {year.city_code} {year.year}")
    pdf.set_title(latin(pdf.heading))
    _summary(pdf, result, computed)
    for dimension in DIMENSIONS:
        pdf.add_page()
        pdf.title_line(f"Dimensi {SHEETS[dimension]}")
        rows: list[list[object]] = []
        for item in _items(result, dimension):
            scores = list(item.scores.values())
            rows += [
                [item.code, item.title, s.assessor, number(s.score), s.comment] for s in scores
            ]
            if not scores:
                rows.append([item.code, item.title, "-", "-", "belum dinilai"])
        pdf.rows(SCORE_COLUMNS, rows or [["-", "Tidak ada butir", "", "", ""]])
    return bytes(pdf.output())
