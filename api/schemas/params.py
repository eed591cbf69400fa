"""Path, query and header parameters, bounded and described as they are checked."""

from __future__ import annotations

from typing import Annotated

from fastapi import Header, Path, Query

from api.schemas.bounds import CODE_PATTERN, KEY_PATTERN, NIP_PATTERN

#: A UUID in its usual text form.
UUID_PATTERN = r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"

#: An Idempotency-Key: 1-255 visible ASCII characters (spaces only between them).
KEY_HEADER_PATTERN = r"^[!-~]([ -~]*[!-~])?$"

#: An OPD code in a path, e.g. DISKOMINFO (any case).
OpdCodePath = Annotated[
    str, Path(min_length=2, max_length=32, pattern=CODE_PATTERN, examples=["DISKOMINFO"])
]
#: A civil servant's NIP in a path: 18 digits, groups maybe separated by one space.
NipPath = Annotated[
    str, Path(min_length=18, max_length=21, pattern=NIP_PATTERN, examples=["197207231998071004"])
]
#: A deliverable's id in a path, as it was assigned.
DeliverableIdPath = Annotated[str, Path(min_length=1, max_length=80, pattern=KEY_PATTERN)]
#: A city code in a query, e.g. SIANTAR (any case); none: the city this deployment serves.
CityQuery = Annotated[
    str | None,
    Query(
        min_length=2,
        max_length=32,
        pattern=CODE_PATTERN,
        description="The city's code (default: the city this deployment serves, JEJAK_CITY)",
    ),
]
#: Only the OPD with this code (an OPD head: one it leads).
OpdQuery = Annotated[
    str | None,
    Query(
        min_length=2,
        max_length=32,
        pattern=CODE_PATTERN,
        description="Only this OPD (an OPD head: one it leads)",
    ),
]
#: Only the plan with this id.
PlanIdQuery = Annotated[
    str | None, Query(pattern=UUID_PATTERN, max_length=36, description="Only this plan")
]
#: Only the aspect with this id.
AspectQuery = Annotated[
    str | None,
    Query(min_length=1, max_length=40, pattern=KEY_PATTERN, description="Only this aspect"),
]
#: ``If-Match``: the ETag of the version the change is based on.
IfMatchHeader = Annotated[str | None, Header(alias="If-Match", max_length=100)]
#: ``Idempotency-Key``: the same key and body replay the first answer.
IdempotencyKeyHeader = Annotated[
    str | None,
    Header(alias="Idempotency-Key", min_length=1, max_length=255, pattern=KEY_HEADER_PATTERN),
]
