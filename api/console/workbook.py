"""The deadline board as an Excel workbook (openpyxl), one row per row of the board."""

from __future__ import annotations

from datetime import date
from io import BytesIO
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from api.console.i18n import Words
from projections.audit.cells import escape_cell, xlsx_text
from projections.views.deadlines.queries import Deadline

#: The columns, headed in Indonesian (the officials' language) and in English.
HEADERS = {
    "id": (
        "Jenis", "Judul", "OPD", "Tenggat", "Status", "Hari kerja terlambat",
        "Tingkat eskalasi", "Dieskalasi ke", "Pengingat terkirim", "ID subjek",
    ),
    "en": (
        "Kind", "Title", "OPD", "Due date", "Status", "Working days late",
        "Escalation level", "Escalated to", "Reminders sent", "Subject id",
    ),
}  # fmt: skip
SHEETS = {"id": "Tenggat", "en": "Deadlines"}


def _(message: str) -> str:
    """Marks a message for the catalog; it is translated when the file is written."""
    return message


#: The words of the kinds and states the board stores as codes.
WORDS = {
    "approval-step": _("Approval step"), "milestone": _("Milestone"),
    "deliverable": _("Bimtek deliverable"), "commitment": _("Commitment"),
    "planned": _("planned"), "in-progress": _("in progress"), "submitted": _("awaiting approval"),
    "returned": _("returned for revision"), "approved": _("approved"), "done": _("done"),
    "owed": _("owed"), "accepted": _("accepted"), "open": _("open"), "waiting": _("waiting"),
    "rejected": _("rejected"), "withdrawn": _("withdrawn"),
}  # fmt: skip


def cells(sheet: WriteOnlyWorksheet, values: list[Any]) -> list[WriteOnlyCell]:
    """A row's cells; text is typed as text (never a formula) and escaped for Excel."""
    row = []
    for value in values:
        text = isinstance(value, str)
        cell = WriteOnlyCell(sheet, value=xlsx_text(escape_cell(value)) if text else value)
        if text:
            cell.data_type = "s"
        elif isinstance(value, date):
            cell.number_format = "yyyy-mm-dd"
        row.append(cell)
    return row


def board_workbook(rows: list[Deadline], state: str, texts: Words) -> bytes:
    """The workbook of the board's rows, in the order the page shows them."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(f"{SHEETS[texts.language]} ({state})")
    sheet.append(cells(sheet, list(HEADERS[texts.language])))

    def said(code: str) -> str:
        return texts.gettext(WORDS[code]) if code in WORDS else code

    for r in rows:
        values: list[Any] = [
            said(r.kind), r.title, r.owner_opd, r.due_date, said(r.subject_status),
            r.working_days_late,
            r.escalation_level, r.escalated_to or "", r.reminders, r.subject_id,
        ]  # fmt: skip
        sheet.append(cells(sheet, values))
    out = BytesIO()
    book.save(out)
    return out.getvalue()
