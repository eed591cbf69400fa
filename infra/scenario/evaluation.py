"""SAMPLE DATA: the reference city's 2024 evaluation, so a newcomer sees a complete one.

The items, document numbers and scores below are plausible examples, not the city's real
evaluation: every title says "[Contoh]" and every description says it is sample data.
"""

from __future__ import annotations

import uuid

from domain.evaluation import EvaluationApplication, Evidence
from domain.shared import Actor, Capacity
from infra.scenario.data import CITY_CODE, at_wib, day, staff
from infra.scenario.personas import LEADERSHIP

#: The year and the weights of the published set (Baseline 10, Output 20, Outcome 30,
#: Impact 30, Quick Win 10).
YEAR = 2024
WEIGHTS = {"baseline": 10.0, "output": 20.0, "outcome": 30.0, "impact": 30.0, "quick-win": 10.0}
SAMPLE = "Data contoh (sample data), bukan hasil evaluasi resmi."
#: Two sample assessors: a practitioner and an academic.
ASSESSORS = ("asesor.contoh.praktisi", "asesor.contoh.akademisi")

#: (code, dimension, title, evidence (title, document number, date), the two scores).
ITEMS: tuple[tuple[str, str, str, tuple[str, str, str] | None, tuple[int, int]], ...] = (
    ("BAS-1", "baseline", "Kondisi awal: capaian evaluasi 2023", None, (60, 65)),
    ("OUT-1", "output", "Peraturan Wali Kota tentang Masterplan Smart City",
     ("Perwal Masterplan Smart City", "CONTOH/PERWAL/2024", "2024-03-12"), (85, 80)),
    ("OUT-2", "output", "SK Dewan Smart City dan Tim Pelaksana",
     ("SK Wali Kota Dewan Smart City", "CONTOH/SK/2024", "2024-02-05"), (90, 85)),
    ("OUT-3", "output", "Anggaran program smart city dalam APBD 2024",
     ("DPA Diskominfo 2024", "CONTOH/DPA/2024", "2024-01-08"), (70, 75)),
    ("OUTC-1", "outcome", "Pelaksanaan program masterplan 2024", None, (65, 60)),
    ("IMP-1", "impact", "Survei kepuasan warga (6 program, 50 responden per program)",
     ("Laporan survei warga 2024", "CONTOH/SURVEI/2024", "2024-10-21"), (72, 68)),
    ("QW-1", "quick-win", "Inovasi dan keberlanjutan program quick win", None, (75, 80)),
)  # fmt: skip


#: Which OPD filled which items (those with evidence), by the due date of the sample.
ASSIGNMENTS = {"BAPPEDA": ["OUT-1", "OUT-2"], "DISKOMINFO": ["OUT-3", "IMP-1"]}
FILL_DUE = "2024-11-15"


def load_sample_evaluation(app: EvaluationApplication) -> int:
    """Record the sample 2024 evaluation from its items to its published index, as the
    process does (assigned, filled, compiled, approved, handed over, scored, published);
    the item count."""
    secretariat = staff(at_wib("2024-11-04", 9))
    year_id, _ = app.open_year(city_code=CITY_CODE, year=YEAR, weights=WEIGHTS, by=secretariat)
    for code, dimension, title, evidence, _ in ITEMS:
        app.add_item(year_id, code=code, dimension=dimension, title=f"[Contoh] {title}",
                     description=SAMPLE, by=secretariat)  # fmt: skip
        if evidence is not None:
            name, number, issued = evidence
            sample = Evidence(f"{code}-1", "document", f"[Contoh] {name}", number, day(issued))
            app.attach_evidence(year_id, item_code=code, evidence=sample, by=secretariat)
    _process(app, year_id)
    for code, _, _, _, scores in ITEMS:
        for assessor, score in zip(ASSESSORS, scores, strict=True):
            by = Actor(assessor, Capacity.STAFF, at_wib("2024-11-25", 10))
            app.score(year_id, score_id=str(uuid.uuid5(year_id, f"{assessor}/{code}")),
                      item_code=code, score=score, comment=f"[Contoh] {SAMPLE}", by=by)  # fmt: skip
    app.publish(year_id, by=staff(at_wib("2024-12-02", 9)))
    return len(ITEMS)


def _process(app: EvaluationApplication, year_id: uuid.UUID) -> None:
    """The sample's steps before scoring, each on a plausible day of November 2024."""
    for opd, codes in ASSIGNMENTS.items():
        app.assign(year_id, opd_code=opd, item_codes=codes, due_date=day(FILL_DUE),
                   by=staff(at_wib("2024-11-04", 10)))  # fmt: skip
        app.fill(year_id, opd_code=opd, by=staff(at_wib("2024-11-13", 14)))
    app.compile(year_id, by=staff(at_wib("2024-11-18", 9)))
    app.approve(year_id, by=Actor(LEADERSHIP, Capacity.SEKDA, at_wib("2024-11-19", 11)))
    app.hand_over(year_id, assessors=list(ASSESSORS), by=staff(at_wib("2024-11-20", 9)))
