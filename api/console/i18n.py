"""The console's languages: Bahasa Indonesia by default, English by choice (gettext catalogs)."""

from __future__ import annotations

import gettext
import re
from datetime import date
from functools import cache
from io import BytesIO
from pathlib import Path

from babel.dates import format_date
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

LOCALES = Path(__file__).parent / "locale"
#: The languages offered, the default first; messages in the code are English.
LANGUAGES = ("id", "en")
DEFAULT = "id"


@cache
def catalog(language: str) -> Catalog | None:
    """The messages of ``language`` as its .po file holds them (None: none, as for English)."""
    po = LOCALES / language / "LC_MESSAGES" / "messages.po"
    if not po.exists():
        return None
    with po.open("rb") as handle:
        return read_po(handle, locale=language)


@cache
def translations(language: str) -> gettext.NullTranslations:
    """The catalog of ``language``, compiled from its .po file once per process."""
    found = catalog(language)
    if found is None:
        return gettext.NullTranslations()
    compiled = BytesIO()
    write_mo(compiled, found)
    compiled.seek(0)
    return Translations(compiled)


#: A placeholder of a message: ``%(name)s`` or ``%(n)d``.
PLACEHOLDER = re.compile(r"%\\\((\w+)\\\)([sd])")


@cache
def templates(language: str) -> list[tuple[re.Pattern[str], str]]:
    """The catalog's messages with placeholders, as patterns matching a filled-in English text
    (the most specific first) and their translations."""
    found = catalog(language)
    if found is None:
        return []
    kept = []
    for message in found:
        if isinstance(message.id, str) and "%(" in message.id and isinstance(message.string, str):
            escaped = re.escape(message.id)
            pattern = PLACEHOLDER.sub(
                lambda m: f"(?P<{m[1]}>\\d+)" if m[2] == "d" else f"(?P<{m[1]}>.+?)", escaped
            )
            kept.append((re.compile(f"^{pattern}$", re.DOTALL), message.string, len(message.id)))
    kept.sort(key=lambda k: -k[2])
    return [(pattern, string) for pattern, string, _ in kept]


def value(words: gettext.NullTranslations, name: str, text: str) -> object:
    """A filled-in value in the catalog's language: a number stays one; a word is looked up as
    ``name=word`` first (the same word may read differently in another place), then alone."""
    if text.isdigit():
        return int(text)
    placed = words.gettext(f"{name}={text}")
    return placed if placed != f"{name}={text}" else words.gettext(text)


def localized(text: str, language: object) -> str:
    """An English message in ``language``: as the catalog has it, or filled into the catalog's
    translation of the message it was made from (each filled-in value translated too, when
    the catalog has it); unchanged when the catalog has neither."""
    language = chosen(language)
    words = translations(language)
    exact = words.gettext(text)
    if exact != text or not text:
        return exact
    for pattern, string in templates(language):
        matched = pattern.match(text)
        if matched:
            values = {k: value(words, k, v) for k, v in matched.groupdict().items()}
            try:
                return string % values
            except (KeyError, TypeError, ValueError):
                return text
    return text


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
