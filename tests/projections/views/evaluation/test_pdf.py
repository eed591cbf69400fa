"""The printable reports: every page renders with ink on it, one page per dimension and more
when a dimension runs long."""

from __future__ import annotations

import pypdfium2 as pdfium

from domain.evaluation import EvaluationApplication, Evidence
from domain.shared import Actor
from projections.views.evaluation.pdf import latin, result_pdf, self_assessment_pdf

BY = Actor("sekretariat.sc")
WEIGHTS = {"baseline": 10, "output": 20, "outcome": 30, "impact": 30, "quick-win": 10}


def year_with(items: int) -> EvaluationApplication:
    """An evaluation with ``items`` Output items, one with evidence and a score."""
    app = EvaluationApplication()
    year_id, _ = app.open_year(city_code="SIANTAR", year=2024, weights=WEIGHTS, by=BY)
    for n in range(items):
        title = f"Peraturan Wali Kota tentang “Smart City” — tahap {n}"
        app.add_item(year_id, code=f"OUT-{n}", dimension="output", title=title, by=BY)
    evidence = Evidence("ev-1", "document", "Perwal Smart City", document_number="12/2023")
    app.attach_evidence(year_id, item_code="OUT-0", evidence=evidence, by=BY)
    app.score(year_id, score_id="s-1", item_code="OUT-0", score=82.5, comment="Lengkap",
              by=Actor("asesor.a"))  # fmt: skip
    app.year_id = year_id  # type: ignore[attr-defined]
    return app


def inked_pages(content: bytes) -> list[float]:
    """Each page rendered to an image: the share of its pixels that are not white."""
    shares = []
    for page in pdfium.PdfDocument(content):
        image = page.render(scale=0.5).to_pil().convert("L")
        histogram = image.histogram()  # pixels per grey level, 0 (black) to 255 (white)
        shares.append(sum(histogram[:200]) / sum(histogram))
    return shares


def text_of(content: bytes) -> str:
    """All the text of the document."""
    return "\n".join(page.get_textpage().get_text_range() for page in pdfium.PdfDocument(content))


def test_self_assessment_has_a_summary_and_a_page_per_dimension_each_with_ink() -> None:
    app = year_with(3)
    content = self_assessment_pdf(app.result(app.year_id), {})  # type: ignore[attr-defined]
    shares = inked_pages(content)
    assert len(shares) == 6
    assert all(share > 0.002 for share in shares), shares
    text = text_of(content)
    assert "Penilaian Mandiri Smart City - SIANTAR 2024" in text
    assert "Perwal Smart City (12/2023)" in text
    assert "Halaman 6 dari 6" in text
    assert 'tentang "Smart' in text  # the typographic quotes, as plain ones


def test_result_lists_the_assessors_scores_and_a_long_dimension_runs_on() -> None:
    app = year_with(60)
    content = result_pdf(app.result(app.year_id), {})  # type: ignore[attr-defined]
    shares = inked_pages(content)
    assert len(shares) > 6
    assert all(share > 0.002 for share in shares), shares
    text = text_of(content)
    assert "Hasil Evaluasi Smart City" in text
    assert "82,50" in text
    assert "Lengkap" in text
    assert "belum dinilai" in text


def test_text_outside_latin1_is_kept_as_its_nearest_letters() -> None:
    assert latin("Kelurahan Bantan — “Ā”") == 'Kelurahan Bantan - "A"'
    assert latin("Siantar Martoba é") == "Siantar Martoba é"
