"""The words of a message, from the template files of ``templates/`` (one per kind and language).

A template's first line is the subject; the rest, after one blank line, is the body. Fields
are ``$name`` (``string.Template``), so an official can reword a message without code.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from string import Template
from typing import Any

from domain.notifications.values import LANGUAGES


@dataclass(frozen=True)
class Words:
    """A rendered message: subject line and plain-text body."""

    subject: str
    body: str


@cache
def _template(name: str) -> str:
    return resources.files(__package__).joinpath("templates", name).read_text(encoding="utf-8")


@cache
def terms(language: str) -> dict[str, Any]:
    """The words a template is filled with in ``language`` (kinds of work, due phrases)."""
    found: dict[str, Any] = json.loads(_template(f"{_lang(language)}.json"))
    return found


def _lang(language: str) -> str:
    return language if language in LANGUAGES else "id"


def render(kind: str, language: str, **fields: object) -> Words:
    """The subject and body of a message of ``kind`` in ``language``."""
    text = Template(_template(f"{kind}.{_lang(language)}.txt")).safe_substitute(fields)
    subject, _, body = text.partition("\n")
    return Words(subject.strip(), body.lstrip("\n"))


def what(subject_kind: str, language: str) -> str:
    """What the work is called (``Tonggak capaian``, ``milestone``)."""
    names: dict[str, str] = terms(language)["what"]
    return names.get(subject_kind, names[""])


def when(language: str, due: str, days: int | None, *, late: bool = False) -> str:
    """By when, in working days: ``days`` left (negative: late), or unknown.

    ``late`` (an overdue note, an escalation) never says "today": the due day is past.
    """
    words = terms(language)
    if not due or days is None:
        return str(words["no_due"])
    phrase = "due_in" if days > 0 else "due_today" if days == 0 else "late"
    if late and days >= 0:
        phrase = "passed"
    return Template(words[phrase]).safe_substitute(due=due, days=abs(days))


def office_name(head_title: str, opd_name: str) -> str:
    """``Kepala Dinas`` + ``Dinas Kesehatan`` -> ``Kepala Dinas Kesehatan``."""
    title, name = head_title.split(), opd_name.split()
    if title and name and title[-1].lower() == name[0].lower():
        name = name[1:]
    return " ".join([*title, *name])
