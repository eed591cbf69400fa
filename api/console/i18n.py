"""The console's languages: Bahasa Indonesia by default, English by choice (gettext catalogs)."""

from __future__ import annotations

import gettext
from datetime import date
from functools import cache
from io import BytesIO
from pathlib import Path

from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

LOCALES = Path(__file__).parent / "locale"
#: The languages offered, the default first; messages in the code are English.
LANGUAGES = ("id", "en")
DEFAULT = "id"


@cache
def translations(language: str) -> gettext.NullTranslations:
    """The catalog of ``language``, compiled from its .po file once per process."""
    po = LOCALES / language / "LC_MESSAGES" / "messages.po"
    if not po.exists():
        return gettext.NullTranslations()
    with po.open("rb") as handle:
        catalog = read_po(handle, locale=language)
    compiled = BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(compiled)


def chosen(language: object) -> str:
    """A language offered here, else the default."""
    return language if isinstance(language, str) and language in LANGUAGES else DEFAULT


class Words:
    """The texts and formats of one language, as the templates use them."""

    def __init__(self, language: str) -> None:
        self.language = chosen(language)
        self._t = translations(self.language)

    def gettext(self, message: str, **values: object) -> str:
        """The translated ``message``, with ``values`` filled in."""
        text = self._t.gettext(message)
        return text % values if values else text

    def ngettext(self, singular: str, plural: str, n: int, **values: object) -> str:
        """The translated singular or plural form for ``n``."""
        return self._t.ngettext(singular, plural, n) % {"n": n, **values}

    def day(self, value: date | None) -> str:
        """A date in words: "18 Oktober 2023" / "October 18, 2023"."""
        return "" if value is None else format_date(value, format="long", locale=self.language)

    def working_days(self, n: int) -> str:
        """A count of working days: "3 hari kerja" / "3 working days"."""
        return self.ngettext("%(n)d working day", "%(n)d working days", n)

    def percent(self, value: float) -> str:
        """A percentage with the language's decimal sign ("42,5%" in Indonesian)."""
        text = f"{value:.1f}".rstrip("0").rstrip(".")
        return (text.replace(".", ",") if self.language == "id" else text) + "%"
