"""The reference city's 35 OPDs, their heads and the Plt. of Dinas Pariwisata, in one save."""

from __future__ import annotations

from domain.organisation import Opd, OpdRegistry, OrganisationApplication, Person
from infra.scenario.data import Facts, at_wib, day, moment, staff

#: When the OPDs of the city's current structure came into being (as recorded here).
ESTABLISHED = "2017-01-02"


def load_units(app: OrganisationApplication, facts: Facts) -> tuple[int, int]:
    """Register every OPD, its head and the acting heads; returns (persons, acting terms)."""
    founded = staff(at_wib(ESTABLISHED, 8))
    registry = OpdRegistry(**founded.attribution())
    opds: dict[str, Opd] = {}
    persons: list[Person] = []
    for row in facts["units"]:
        opd = Opd.register(
            row["code"], row["name"], row["kind"], row["head_title"], **founded.attribution()
        )
        registry.list_opd(code=opd.code, **founded.attribution())
        persons.append(_appoint_head(opd, row["head"]))
        opds[opd.code] = opd
    persons += [_appoint_acting(opds[term["opd"]], term) for term in facts["acting"]]
    app.save_new(registry, *persons, *opds.values(), what="The OPDs of the reference city")
    return len(persons), len(facts["acting"])


def _appoint_head(opd: Opd, head: Facts) -> Person:
    """The definitive head, appointed by decree on the day the term began."""
    appointed = staff(at_wib(head["since"], 8))
    person = Person.register(head["nip"], head["name"], **appointed.attribution())
    opd.appoint_head(head["nip"], day(head["since"]), head["decree"], **appointed.attribution())
    return person


def _appoint_acting(opd: Opd, term: Facts) -> Person:
    """A Plt. (or Plh.), appointed by decree (SK) for a period."""
    recorded = staff(moment(term["recorded_at"]))
    person = Person.register(term["nip"], term["name"], **recorded.attribution())
    until = day(term["until"]) if term.get("until") else None
    opd.appoint_acting(
        term["kind"],
        term["nip"],
        term["decree"],
        day(term["from"]),
        until,
        **recorded.attribution(),
    )
    return person
