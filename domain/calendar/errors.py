"""The refusals of the calendar context."""

from __future__ import annotations

from domain.shared import AlreadyExistsError, NotFoundError, ValidationError


class InvalidCityError(ValidationError):
    """A city code must be letters, digits and hyphens (e.g. SIANTAR or 1272)."""

    code = "invalid-city"
    title = "Not a valid city code"


class DayAlreadyDeclaredError(AlreadyExistsError):
    """The city already declared something for this day; withdraw it first."""

    code = "day-already-declared"
    title = "Day already declared"


class DeclarationNotNeededError(ValidationError):
    """The day already is what the declaration would make it."""

    code = "declaration-not-needed"
    title = "Declaration not needed"


class NoDeclarationError(NotFoundError):
    """The city declared nothing for this day."""

    code = "no-declaration"
    title = "Nothing declared for this day"
