"""Typed keys of the custom search attributes the workflows set (registered in infra.temporal)."""

from __future__ import annotations

from temporalio.common import SearchAttributeKey

#: The OPDs expected to act (the inbox of an OPD head is a query on this).
OPD_CODE = SearchAttributeKey.for_keyword_list("OpdCode")
#: What is being approved or tracked (deliverable, milestone-report, ...).
SUBJECT_KIND = SearchAttributeKey.for_keyword("JejakSubjectKind")
#: Where it stands: waiting, late, returned, approved, rejected, withdrawn.
STATUS = SearchAttributeKey.for_keyword("JejakStatus")
#: When the open step (or deadline) falls due.
DUE_AT = SearchAttributeKey.for_datetime("JejakDueAt")

ALL_KEYS = (OPD_CODE, SUBJECT_KIND, STATUS, DUE_AT)

WAITING = "waiting"
LATE = "late"
